//! Stage 3 of the pipeline: Markdown text → [`Document`].
//!
//! [`parse`] reads GitHub-flavoured Markdown (tables, footnotes,
//! strikethrough, autolinks, task lists, alerts) with comrak and converts it
//! into our own block/inline tree, so comrak's types never leave this module
//! and the layout stage works on plain data. Straight quotes and dashes are
//! made typographic ("smart punctuation") here, once.
//!
//! Briefpack's templates extend Markdown with special blocks: fenced blocks
//! whose info string names one of [`SPECIAL_BLOCKS`]. Only templates may write
//! them; [`special_block`] finds one in text that came from a pack.

mod convert;
mod document;

pub use document::*;

/// Opens text in another language: `<!-- briefpack-language: cy -->` on a line of its
/// own (the template stage writes it around an article whose language is not the
/// pack's). Any language tag that is not well formed is ignored.
pub const LANGUAGE_MARK: &str = "<!-- briefpack-language: ";

/// Closes text opened with [`LANGUAGE_MARK`].
pub const LANGUAGE_END: &str = "<!-- /briefpack-language -->";

/// Parses Markdown into a [`Document`]. Never fails: Markdown has no syntax errors.
pub fn parse(markdown: &str) -> Document {
    convert::convert(markdown)
}

/// One paragraph of prose as plain text (see [`prose`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prose {
    /// The paragraph's words on one line, Markdown syntax removed.
    pub text: String,
    /// Whether it sits in a block quote (someone else's words) or a callout.
    pub quoted: bool,
}

/// The prose of Markdown `text`: every paragraph (in lists, quotes and
/// footnotes too) as plain text, in order. Headings, tables, code and
/// paragraphs that are only links are left out; emphasis, link targets,
/// images, inline HTML and footnote markers are removed; the words are
/// exactly as written (no smart punctuation), so they can be quoted.
pub fn prose(text: &str) -> Vec<Prose> {
    convert::prose(text)
}

/// Fenced-block info strings that the layout stage draws as something other
/// than code: the cover, the contents, key-figure cards, charts, QR codes, the
/// probability yardstick, a page break and ruled lines for notes.
pub const SPECIAL_BLOCKS: [&str; 8] = ["cover", "contents", "stat-cards", "chart", "qr", "yardstick", "page-break", "ruled-lines"];

/// The first fenced block in Markdown `text` whose info string is one of
/// [`SPECIAL_BLOCKS`], as (1-based line, info string), also inside quotes.
pub fn special_block(text: &str) -> Option<(usize, String)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let trimmed = line.trim_start_matches([' ', '>', '\t']);
        let fence = trimmed.strip_prefix("```").or_else(|| trimmed.strip_prefix("~~~"))?;
        let info = fence.trim_start_matches(['`', '~']).split_whitespace().next()?.to_ascii_lowercase();
        SPECIAL_BLOCKS.contains(&info.as_str()).then_some((i + 1, info))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prose_is_the_words_of_each_paragraph() {
        let text = "# Heading\n\nA **bold** claim with a [link](https://x.org) and `code`,\nwrapped.[1]<sup>2</sup>\n\n- item *one*\n- item two\n\n> quoted &amp; escaped \\*star\\*\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n[Only a link](/x)\n\n```\ncode block\n```\n\n![alt](i.png) after an image\n";
        let prose: Vec<(String, bool)> = prose(text).into_iter().map(|p| (p.text, p.quoted)).collect();
        assert_eq!(
            prose,
            [
                ("A bold claim with a link and code, wrapped.".to_string(), false),
                ("item one".to_string(), false),
                ("item two".to_string(), false),
                ("quoted & escaped *star*".to_string(), true),
                ("after an image".to_string(), false),
            ]
        );
    }

    #[test]
    fn prose_keeps_quotes_as_written() {
        assert_eq!(prose("He said \"no\" -- twice.")[0].text, "He said \"no\" -- twice.");
    }

    #[test]
    fn special_blocks_are_found_in_text() {
        assert_eq!(special_block("Text\n\n```qr\nhttps://x\n```\n"), Some((3, "qr".into())));
        assert_eq!(special_block("> ~~~~ Cover\n"), Some((1, "cover".into())));
        assert_eq!(special_block("```rust\nfn main() {}\n```\n"), None);
    }
}
