//! Pack text entering the Markdown a template writes: plain text stays text,
//! addresses stay one address, and only templates write special blocks.
//!
//! A template prints pack values with `{{ … }}`. Plain-text fields (titles,
//! labels, names) are escaped so no character in them is Markdown syntax: a
//! title like `NCSC](file:///etc/passwd) [x` prints as those characters, not as
//! a link. Markdown fields (the summary, article bodies, notes) are Markdown by
//! design; the pack checks refuse the special blocks only a template may write
//! in them (see [`crate::markdown::special_block`]). Addresses are
//! percent-encoded where a character would end a Markdown link or autolink.

/// `text` as Markdown that prints exactly `text`, on one line.
///
/// Characters that start Markdown syntax anywhere (`\ * _ [ ] < > | ~ ` & !`
/// and braces) are backslash-escaped; so are `:` and `@` and the dot of a
/// `www.`, which would otherwise make a bare address a link (GFM autolinks);
/// characters that only matter at the start of a line (`#`, `>`, `+`, `-`,
/// `=`, `1.`) are escaped there. Quotes, dashes and full stops are left alone
/// so smart punctuation still works. Line breaks become spaces: a value is
/// one run of text wherever a template puts it (a heading, a table cell, a
/// list item).
pub(crate) fn markdown_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let flat = text.split(['\n', '\r']).map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ");
    let leading_number = flat.find(|c: char| !c.is_ascii_digit()).filter(|&i| i > 0 && flat[i..].starts_with(['.', ')']));
    for (i, c) in flat.char_indices() {
        let at_start = i == 0 && "#>+-=".contains(c);
        let www_dot = c == '.' && flat[..i].to_ascii_lowercase().ends_with("www");
        if at_start || www_dot || leading_number == Some(i) || "\\*_[]<>|~`&!{}$^:@".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// `url` with every character that could end or break a Markdown link
/// destination or autolink percent-encoded (spaces, brackets, quotes, angle
/// brackets, backticks, backslashes, control characters).
pub(crate) fn url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.trim().chars() {
        if c.is_control() || c.is_whitespace() || "()[]<>`\"'\\{}|^".contains(c) {
            let mut bytes = [0; 4];
            for b in c.encode_utf8(&mut bytes).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::{parse, plain_text, Block, Inline};

    fn paragraph_text(markdown: &str) -> String {
        match parse(markdown).blocks.as_slice() {
            [Block::Paragraph(inlines)] => {
                assert!(inlines.iter().all(|i| matches!(i, Inline::Text(_))), "{markdown:?} is more than text: {inlines:?}");
                plain_text(inlines)
            }
            other => panic!("{markdown:?} did not stay one paragraph: {other:?}"),
        }
    }

    #[test]
    fn hostile_plain_text_prints_as_itself() {
        for text in [
            "NCSC](file:///etc/passwd) [x",
            "[text](https://evil.example)",
            "<script>alert(1)</script>",
            "**bold** and _it_ and `code`",
            "# not a heading",
            "> not a quote",
            "- not a list",
            "1. not a list",
            "a | b | c",
            "&amp; &lt;",
            "![img](x.png)",
            "see https://evil.example/x~y and www.evil.example or a@evil.example",
            "https://www.ncsc.gov\u{e}uk/nr~ity",
        ] {
            assert_eq!(paragraph_text(&markdown_text(text)), text, "{text}");
        }
    }

    #[test]
    fn line_breaks_cannot_open_a_block() {
        let escaped = markdown_text("Title\n```qr\nhttps://x.example\n```");
        assert!(!escaped.contains('\n'));
        assert_eq!(crate::markdown::special_block(&escaped), None);
    }

    #[test]
    fn addresses_cannot_break_out_of_a_link() {
        let hostile = "https://a.example/x) [Click](javascript:alert(1)";
        let md = format!("[NCSC]({})", url(hostile));
        let doc = parse(&md);
        let shown = format!("{doc:?}");
        assert!(!shown.contains("javascript:alert(1)\""), "{shown}");
        assert_eq!(url("https://www.ncsc.gov.uk/guidance?a=1&b=2#top"), "https://www.ncsc.gov.uk/guidance?a=1&b=2#top");
    }
}
