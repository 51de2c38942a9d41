//! A Markdown file (`.md`) → an article, its front matter kept.
//!
//! Front matter between `+++` lines is TOML (Briefpack's own article
//! format); between `---` lines it is YAML as web clippers write it, read
//! here as flat `key: value` pairs. Either way the text is kept as written,
//! and the usual keys fill in the metadata: `title`; `author`, `byline` or
//! the first of `authors`; `published`, `date` or `created`; `source`,
//! `site` or `publication`; `url`, `source_url` or `link`. A leading `#`
//! heading repeating the title, and byline and date lines under it, come out
//! of the body; so do lines of page furniture a clipper kept ("5 min read").

use super::metadata::{self, Head, HeadLine};
use super::{text, Extracted, FrontMatter};
use crate::pack::Marking;

pub(super) fn read(source: &str) -> Extracted {
    let source = text::normalise(source);
    let (front, body) = split_front_matter(&source);
    let fields = front.as_ref().map(fields).unwrap_or_default();
    let get = |keys: &[&str]| keys.iter().find_map(|k| fields.iter().find(|(name, _)| name == k).map(|(_, v)| v.clone()));

    let mut title = get(&["title", "headline"]);
    let mut lines: Vec<&str> = body.lines().collect();
    // Leading blank lines, then the first `# ` heading as (or repeating) the title.
    while lines.first().is_some_and(|l| l.trim().is_empty()) {
        lines.remove(0);
    }
    if let Some(first) = lines.first() {
        if let Some(heading) = first.strip_prefix("# ") {
            let heading = metadata::strip_emphasis(heading.trim());
            if title.as_deref().is_none_or(|t| same_words(t, &heading)) {
                title.get_or_insert(heading);
                lines.remove(0);
            }
        }
    }
    // Byline and date lines under the title, before the first paragraph.
    let mut head = Head::default();
    let mut i = 0;
    let mut seen_text = 0;
    while i < lines.len() && seen_text < 2 {
        let line = lines[i].trim();
        if line.is_empty() {
            i += 1;
            continue;
        }
        if line.starts_with('#') || text::is_prose(line) || line.chars().count() > 120 {
            seen_text += 1;
            i += 1;
            continue;
        }
        let kind = metadata::head_line(line, title.is_some() && i < 3);
        if kind != HeadLine::Other || text::is_furniture(line) {
            head.take(&kind);
            lines.remove(i);
        } else {
            seen_text += 1;
            i += 1;
        }
    }
    let body = drop_furniture(&lines);

    // Obsidian's clipper writes authors as wiki links: "[[Rhys Evans]]".
    let author = get(&["author", "byline", "authors", "creator"]).map(|a| a.trim().trim_start_matches("[[").trim_end_matches("]]").to_string());
    let byline = author.and_then(|a| metadata::clean_byline(&a).or(Some(a))).or(head.byline);
    let date = get(&["published", "date", "published_date", "date_published", "pubdate", "created"])
        .and_then(|d| metadata::parse_date(&d))
        .or(head.date);
    Extracted {
        extraction: super::Extraction::WholeText,
        title: title.filter(|t| !t.trim().is_empty()),
        byline: byline.filter(|b| !b.trim().is_empty()),
        date,
        // Clippers write the page's address as `source`: an address is the url, not the publication.
        source: get(&["site", "site_name", "publication", "publisher", "source"]).filter(|s| !s.starts_with("http")),
        url: get(&["url", "source_url", "link", "canonical", "original_url", "source"]).filter(|u| u.starts_with("http")),
        body_markdown: body,
        front_matter: front,
    }
}

/// Front matter between `+++` (TOML) or `---` (YAML) fences at the very start, and the rest.
fn split_front_matter(source: &str) -> (Option<FrontMatter>, String) {
    for (fence, syntax) in [("+++", "toml"), ("---", "yaml")] {
        let Some(rest) = source.strip_prefix(fence).and_then(|r| r.strip_prefix('\n')) else { continue };
        let closing = format!("\n{fence}");
        let end = if rest.starts_with(fence) { Some(0) } else { rest.find(&closing).map(|i| i + 1) };
        if let Some(end) = end {
            let text = rest[..end].to_string();
            let after = &rest[end + fence.len()..];
            let after = after.strip_prefix('\n').unwrap_or(after);
            return (Some(FrontMatter { syntax, text }), after.to_string());
        }
    }
    (None, source.to_string())
}

/// The front matter's scalar fields as text (the first item of a list).
fn fields(front: &FrontMatter) -> Vec<(String, String)> {
    if front.syntax == "toml" {
        let Ok(table) = front.text.parse::<toml::Table>() else { return Vec::new() };
        return table
            .into_iter()
            .filter_map(|(key, value)| {
                let text = match value {
                    toml::Value::String(s) => s,
                    toml::Value::Datetime(d) => d.to_string(),
                    toml::Value::Array(items) => items.into_iter().next().and_then(|v| v.as_str().map(str::to_string))?,
                    _ => return None,
                };
                Some((key.to_lowercase(), text))
            })
            .collect();
    }
    // YAML, flat: `key: value`, or `key:` followed by `- item` lines.
    let mut out = Vec::new();
    let mut pending: Option<String> = None;
    for line in front.text.lines() {
        if let (Some(key), Some(item)) = (&pending, line.trim_start().strip_prefix("- ")) {
            out.push((key.clone(), unquote(item)));
            pending = None;
            continue;
        }
        if line.starts_with(' ') || line.starts_with('#') {
            continue;
        }
        if let Some((key, value)) = line.split_once(':') {
            let key = key.trim().to_lowercase();
            let value = value.trim();
            if value.is_empty() {
                pending = Some(key);
            } else {
                let value = value.trim_start_matches('[').trim_end_matches(']');
                let value = if line.contains('[') { value.split(',').next().unwrap_or("") } else { value };
                out.push((key, unquote(value)));
                pending = None;
            }
        }
    }
    out
}

/// Keys under which clipped or exported Markdown states a protective marking.
const MARKING_KEYS: [&str; 5] = ["marking", "classification", "tlp", "protective_marking", "security_classification"];

/// The marking the front matter gives, if any. A marking that is there but
/// cannot be read is an error: dropping it would let the text print under a
/// lower marking than its author gave it.
pub(super) fn marking(front: &FrontMatter) -> Result<Option<Marking>, String> {
    let found: Vec<(String, String)> = if front.syntax == "toml" {
        let table = front.text.parse::<toml::Table>().map_err(|e| {
            let line = e.span().map(|s| front.text[..s.start].lines().count().max(1) + 1);
            format!(
                "its front matter (between the +++ lines) is not valid TOML{}: {}; correct it so Briefpack can read the article's marking and details",
                line.map(|l| format!(" at line {l}")).unwrap_or_default(),
                e.message()
            )
        })?;
        table
            .into_iter()
            .filter(|(key, _)| MARKING_KEYS.contains(&key.to_lowercase().as_str()))
            .map(|(key, value)| (key, value.as_str().map_or_else(|| value.to_string(), str::to_string)))
            .collect()
    } else {
        fields(front).into_iter().filter(|(key, _)| MARKING_KEYS.contains(&key.as_str())).collect()
    };
    let mut strictest: Option<Marking> = None;
    for (key, value) in found {
        let marking: Marking = value.trim().parse().map_err(|e| {
            format!("its front matter gives the marking {key} = {value:?}, which Briefpack cannot read ({e}); write it exactly, e.g. TLP:AMBER or OFFICIAL-SENSITIVE, before importing")
        })?;
        if strictest.is_none_or(|s| s.scheme() == marking.scheme() && s.level() < marking.level()) {
            strictest = Some(marking);
        }
    }
    Ok(strictest)
}

fn unquote(value: &str) -> String {
    let v = value.trim();
    let v = v.strip_prefix('"').and_then(|s| s.strip_suffix('"')).or_else(|| v.strip_prefix('\'').and_then(|s| s.strip_suffix('\''))).unwrap_or(v);
    v.replace("\\\"", "\"").trim().to_string()
}

/// The body without whole lines of page furniture (outside code blocks), one blank line between blocks.
fn drop_furniture(lines: &[&str]) -> String {
    let mut out: Vec<&str> = Vec::new();
    let mut in_code = false;
    let mut in_site_block = false;
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_code = !in_code;
        }
        // "## Related" and what follows it, up to the next heading, is the site's, not the article's.
        if !in_code && trimmed.starts_with('#') {
            in_site_block = text::is_block_start(trimmed);
        }
        if in_site_block {
            continue;
        }
        // A quoted line is furniture as much as a plain one ("> **Read more:** …").
        let unquoted = trimmed.trim_start_matches(['>', ' ']);
        if !in_code && !unquoted.is_empty() && text::is_furniture(unquoted) && !trimmed.starts_with('|') {
            continue;
        }
        if line.trim().is_empty() && out.last().is_none_or(|l| l.trim().is_empty()) {
            continue;
        }
        out.push(line);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    let mut body = out.join("\n");
    if !body.is_empty() {
        body.push('\n');
    }
    body
}

fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect::<Vec<_>>();
    words(a) == words(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn yaml_front_matter_fills_the_metadata_and_is_kept() {
        let out = read("---\ntitle: \"Card fraud in 2024\"\nauthor: Ann Lee\ndate: 2025-03-04\nsource: Example Post\nurl: https://example.org/a\ntags: [fraud, cards]\n---\n\n# Card fraud in 2024\n\n5 min read\n\nCard fraud losses fell by 8% last year.\n");
        assert_eq!(out.title.as_deref(), Some("Card fraud in 2024"));
        assert_eq!(out.byline.as_deref(), Some("Ann Lee"));
        assert_eq!(out.date, NaiveDate::from_ymd_opt(2025, 3, 4));
        assert_eq!(out.source.as_deref(), Some("Example Post"));
        assert_eq!(out.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(out.body_markdown, "Card fraud losses fell by 8% last year.\n");
        let front = out.front_matter.unwrap();
        assert_eq!(front.syntax, "yaml");
        assert!(front.text.contains("tags: [fraud, cards]"));
    }

    #[test]
    fn toml_front_matter_as_briefpack_writes_it() {
        let out = read("+++\ntitle = \"MI5 annual threat update\"\nauthor = \"Mark Rowe\"\npublished = 2025-10-16\n+++\nBody text.\n");
        assert_eq!(out.title.as_deref(), Some("MI5 annual threat update"));
        assert_eq!(out.byline.as_deref(), Some("Mark Rowe"));
        assert_eq!(out.date, NaiveDate::from_ymd_opt(2025, 10, 16));
        assert_eq!(out.body_markdown, "Body text.\n");
        assert_eq!(out.front_matter.unwrap().syntax, "toml");
    }

    #[test]
    fn no_front_matter_heading_byline_and_date() {
        let out = read("# Scams in June\n\n*By Tom Ward*\n\n24 June 2024\n\nThere were many scams, and many of them were new ones this time.\n\n## Next steps\n\nText.\n");
        assert_eq!(out.title.as_deref(), Some("Scams in June"));
        assert_eq!(out.byline.as_deref(), Some("Tom Ward"));
        assert_eq!(out.date, NaiveDate::from_ymd_opt(2024, 6, 24));
        assert!(out.front_matter.is_none());
        assert!(out.body_markdown.starts_with("There were many scams"), "{}", out.body_markdown);
        assert!(out.body_markdown.contains("## Next steps\n\nText."));
    }

    #[test]
    fn clipper_authors_addresses_and_quoted_furniture() {
        let out = read("---\ntitle: \"X\"\nsource: \"https://news.example.org/x\"\nauthor:\n  - \"[[Harriet Cole]]\"\n---\nText of the article, long enough to be prose here.\n\n> **Read more:** [Other story](https://news.example.org/y)\n");
        assert_eq!(out.byline.as_deref(), Some("Harriet Cole"));
        assert_eq!((out.source, out.url.as_deref()), (None, Some("https://news.example.org/x")));
        assert!(!out.body_markdown.contains("Read more"), "{}", out.body_markdown);
    }

    #[test]
    fn a_horizontal_rule_is_not_front_matter_unless_closed() {
        let (front, body) = split_front_matter("---\nno closing fence here\n");
        assert!(front.is_none());
        assert_eq!(body, "---\nno closing fence here\n");
    }
}
