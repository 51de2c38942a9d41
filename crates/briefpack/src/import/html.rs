//! A saved web page (`.html`) → a clean article in Markdown.
//!
//! Main-content extraction is `dom_smoothie`, a Rust port of Mozilla's
//! Readability (the algorithm behind Firefox's reader view), which also
//! reads the title, byline, site name and publication date from the page's
//! metadata and JSON-LD, and writes the content as Markdown (headings,
//! lists, quotes, links, emphasis). Before it runs, elements that are never
//! the article (cookie banners, share bars, newsletter boxes, related links,
//! images and captions) are removed with `dom_query`; after it, footnote
//! links are turned into plain markers, lines of page furniture that
//! survived are dropped, and the byline and dateline are taken out of the
//! head of the text. Relative links stay relative unless the page names its
//! canonical address; links to anything but web and mail addresses
//! (`javascript:`, `data:`, `file:`) keep their text and lose their target.
//! The page is parsed with its nesting capped (`dom`), so a hostile page
//! costs neither deep recursion nor quadratic time. Nothing is fetched.

use std::sync::LazyLock;

use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};
use regex::Regex;

use super::metadata::{self, Head, HeadLine};
use super::{dom, text, Extracted};

/// Elements that are never part of the article text.
const NEVER_ARTICLE: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button", "select", "input",
    "img", "picture", "figure", "figcaption", "video", "audio", "object", "embed",
    "nav", "aside", "[role=navigation]", "[role=complementary]", "[role=banner] nav", "[role=contentinfo]",
    "[aria-label*=breadcrumb i]", "[class*=breadcrumb i]",
    "[id*=cookie i]", "[class*=cookie i]", "[class*=consent i]", "[id*=consent i]", "[class*=gdpr i]",
    "[class*=share i]", "[class*=social i]", "[class*=sharing i]",
    "[class*=newsletter i]", "[id*=newsletter i]", "[class*=subscribe i]", "[class*=signup i]",
    "[class*=related i]", "[id*=related i]", "[class*=most-read i]", "[class*=popular i]", "[class*=recommended i]",
    "[class*=advert i]", "[id*=advert i]", "[class*=ad-slot i]", "[class*=promo i]", "[class*=sponsor i]",
    "[class*=comments i]", "[id*=comments i]", "[class*=reading-time i]", "[class*=read-time i]",
    "[class*=tags i]", "[class*=author-bio i]", "[class*=paywall i]",
];

pub(super) fn read(html: &str) -> Result<Extracted, String> {
    let document = dom::parse(html);
    let url = canonical_url(&document);
    let byline_element = byline_element(&document);
    let time_element = article_time(&document).or_else(|| json_ld_date(html)).or_else(|| dateline_element(&document));
    for selector in NEVER_ARTICLE {
        document.select(selector).remove();
    }
    // Links that only a browser should follow (or not even one) keep their text and lose their target.
    for link in document.select("a[href]").iter() {
        if link.attr("href").is_some_and(|href| !is_web_or_mail_link(&href)) {
            link.remove_attr("href");
        }
    }
    // Footnote markers as plain "[1]", so they neither glue to the word before nor read as numbers.
    for sup in document.select("sup").iter() {
        let text = sup.text();
        let marker = text.trim().trim_matches(['[', ']', '(', ')']);
        if !marker.is_empty() && marker.len() <= 3 && marker.chars().all(|c| c.is_ascii_digit()) && sup.select("a").is_empty() {
            sup.replace_with_html(format!("[{marker}]"));
        }
    }
    let config = Config { text_mode: TextMode::Markdown, ..Config::default() };
    let mut readability = Readability::with_document(document, url.as_deref(), Some(config))
        .or_else(|_| Readability::with_document(dom::parse(html), None, Some(Config { text_mode: TextMode::Markdown, ..Config::default() })))
        .map_err(|e| e.to_string())?;
    let article = readability
        .parse()
        .map_err(|_| "the page has no block of text that reads as an article (is it the article page itself, saved complete?)".to_string())?;

    let site = article.site_name.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    let title = Some(metadata::clean_title(&article.title, site.as_deref())).filter(|t| !t.is_empty());
    let (body, head) = tidy(&article.text_content, title.as_deref());
    let byline = article.byline.as_deref().and_then(metadata::clean_byline).or(head.byline).or(byline_element);
    let date = article
        .published_time
        .as_deref()
        .and_then(metadata::parse_date)
        .or(time_element)
        .or(head.date);
    if body.trim().is_empty() {
        return Err("the page has no article text".into());
    }
    Ok(Extracted { title, byline, date, source: site, url, body_markdown: body, front_matter: None })
}

/// Whether a link may stay a link in an imported article: a web or mail address,
/// or one relative to the page (no scheme). `javascript:`, `vbscript:`, `data:`,
/// `file:` and every other scheme may not. The scheme is read as browsers read
/// it: leading spaces and control characters, and tabs and newlines anywhere,
/// do not count.
fn is_web_or_mail_link(href: &str) -> bool {
    let cleaned: String = href
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .take(16)
        .collect();
    let scheme_end = cleaned.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')));
    match scheme_end {
        Some(end) if end > 0 && cleaned[end..].starts_with(':') && cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            let scheme = cleaned[..end].to_ascii_lowercase();
            matches!(scheme.as_str(), "http" | "https" | "mailto")
        }
        _ => true,
    }
}

/// The charset a page declares in its first kilobytes (`<meta charset>` or `http-equiv`).
pub(super) fn declared_charset(bytes: &[u8]) -> Option<String> {
    static CHARSET: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([a-z0-9_.:-]+)"#).unwrap());
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).into_owned();
    CHARSET.captures(&head).map(|c| c[1].to_string())
}

/// The page's own address, if it names one (canonical link or `og:url`) and it is a web address.
fn canonical_url(document: &Document) -> Option<String> {
    let candidates = [
        document.select("link[rel=canonical]").attr("href"),
        document.select("meta[property='og:url']").attr("content"),
    ];
    candidates
        .into_iter()
        .flatten()
        .map(|u| u.trim().to_string())
        .find(|u| (u.starts_with("https://") || u.starts_with("http://")) && url::Url::parse(u).is_ok())
}

/// A publication date marked up in the article itself: `itemprop=datePublished` or the article's first `<time>`.
fn article_time(document: &Document) -> Option<chrono::NaiveDate> {
    let marked = document.select("[itemprop=datePublished]");
    let candidates = [
        marked.attr("datetime"),
        marked.attr("content"),
        Some(marked.text()),
        document.select("article time[datetime], main time[datetime]").attr("datetime"),
    ];
    candidates.into_iter().flatten().find_map(|value| metadata::parse_date(&value))
}

/// A byline marked up as such (`itemprop=author`, `rel=author`, a `byline` or `author` class).
fn byline_element(document: &Document) -> Option<String> {
    let selector = "[itemprop=author], [rel=author], [class*=byline i], [class*=author i]";
    document.select(selector).iter().find_map(|node| metadata::clean_byline(node.text().trim()))
}

/// `datePublished` from JSON-LD, read directly (readability does not always find it).
fn json_ld_date(html: &str) -> Option<chrono::NaiveDate> {
    static DATE_PUBLISHED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r#""datePublished"\s*:\s*"([^"]+)""#).unwrap());
    DATE_PUBLISHED.captures(html).and_then(|c| metadata::parse_date(&c[1]))
}

/// A dateline marked up by class ("Published: 24 June 2024" in `<p class="published">`).
fn dateline_element(document: &Document) -> Option<chrono::NaiveDate> {
    let selector = "[class*=date i], [class*=published i], [class*=posted i], [class*=dateline i], [class*=meta i], time";
    document.select(selector).iter().find_map(|node| metadata::dateline(&node.text()))
}

/// Cleans the Markdown readability wrote: footnote links become markers, a
/// repeated title heading, the byline and dateline go, and so do furniture
/// lines and blocks of site content that survived extraction.
fn tidy(markdown: &str, title: Option<&str>) -> (String, Head) {
    static FOOTNOTE_LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\^?(\d{1,3})\]\(#[^)]*\)").unwrap());
    static ESCAPED_MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\\[(\d{1,3})\\\]").unwrap());
    let markdown = text::normalise(markdown);
    let markdown = FOOTNOTE_LINK.replace_all(&markdown, "[$1]");
    let markdown = ESCAPED_MARKER.replace_all(&markdown, "[$1]");
    let mut blocks: Vec<String> = markdown.split("\n\n").map(|b| b.trim_matches('\n').to_string()).filter(|b| !b.trim().is_empty()).collect();

    let mut head = Head::default();
    // The title again as the first heading.
    if let (Some(first), Some(title)) = (blocks.first(), title) {
        let heading = first.trim_start_matches('#').trim();
        if first.starts_with('#') && same_words(heading, title) {
            blocks.remove(0);
        }
    }
    // Byline and dateline lines at the head of the text.
    let mut i = 0;
    while i < blocks.len().min(4) {
        // "· 10 minutes read ·": separators around furniture (list markers are left alone).
        let cleaned = blocks[i].trim_matches(|c: char| c.is_whitespace() || "·•|–—".contains(c)).to_string();
        // A one- or two-word label over the headline ("Research", "Cyber crime") is a kicker, not text.
        let kicker = i == 0 && blocks.len() > 1 && !cleaned.starts_with('#') && cleaned.split_whitespace().count() <= 2 && !cleaned.ends_with(['.', ':', '!', '?']);
        if kicker || cleaned.is_empty() {
            blocks.remove(i);
            continue;
        }
        blocks[i] = cleaned;
        let block = &blocks[i];
        let short = block.lines().count() == 1 && block.chars().count() <= 120 && !text::is_prose(block);
        if !short {
            i += 1;
            if i > 1 {
                break;
            }
            continue;
        }
        let line = metadata::head_line(block, i == 0);
        if line != HeadLine::Other || text::is_furniture(block) {
            head.take(&line);
            blocks.remove(i);
        } else {
            i += 1;
        }
    }
    // Furniture wherever it is; a block of site content up to the next heading or paragraph.
    let mut out: Vec<String> = Vec::new();
    let mut skipping = false;
    for block in blocks {
        let first_line = block.lines().next().unwrap_or("");
        if text::is_block_start(first_line) && block.lines().count() <= 2 {
            skipping = true;
            continue;
        }
        if skipping {
            let is_heading = block.starts_with('#');
            let is_paragraph = !block.starts_with(['-', '*', '+']) && !starts_numbered(&block) && text::is_prose(&block);
            if is_heading || is_paragraph {
                skipping = false;
            } else {
                continue;
            }
        }
        if block.lines().count() == 1 && text::is_furniture(&block) {
            continue;
        }
        out.push(block);
    }
    let mut body = out.join("\n\n");
    if !body.is_empty() {
        body.push('\n');
    }
    (body, head)
}

fn starts_numbered(block: &str) -> bool {
    block.split_once(". ").is_some_and(|(n, _)| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
}

fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| s.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect::<Vec<_>>();
    words(a) == words(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!DOCTYPE html><html><head><title>Phishing rises | Example News</title>
        <meta property="og:site_name" content="Example News">
        <link rel="canonical" href="https://news.example.org/phishing-rises">
        </head><body>
        <div class="cookie-banner"><p>We use cookies on this site to improve your experience of it.</p><button>Accept all</button></div>
        <nav><ul><li><a href="/">Home</a></li><li><a href="/news">News</a></li></ul></nav>
        <article><h1>Phishing rises</h1>
        <p class="byline">By Ann Lee</p><time datetime="2024-06-24">24 June 2024</time>
        <div class="share-bar">261 Shares</div>
        <p>Reports of phishing emails to the agency rose by a fifth in the year, with more than 9,000 reports a day at the peak of the campaign.</p>
        <h2>What to do</h2>
        <ul><li>Check the sender.</li><li>Report the email.</li></ul>
        <blockquote><p>Stop and think before you click on anything that asks for your password or bank details.</p></blockquote>
        <p>Read the <a href="https://www.ncsc.gov.uk/collection/phishing-scams">guidance</a>.<sup><a href="#fn1">1</a></sup></p>
        </article>
        <aside class="related"><h3>Related articles</h3><ul><li><a href="/a">5 ways to stop phishing</a></li></ul></aside>
        <footer><p>Call 020 7946 0000</p></footer></body></html>"##;

    #[test]
    fn a_page_becomes_a_clean_article() {
        let out = read(PAGE).unwrap();
        assert_eq!(out.title.as_deref(), Some("Phishing rises"));
        assert_eq!(out.byline.as_deref(), Some("Ann Lee"));
        assert_eq!(out.date, chrono::NaiveDate::from_ymd_opt(2024, 6, 24));
        assert_eq!(out.source.as_deref(), Some("Example News"));
        assert_eq!(out.url.as_deref(), Some("https://news.example.org/phishing-rises"));
        let body = &out.body_markdown;
        assert!(body.starts_with("Reports of phishing emails"), "{body}");
        assert!(body.contains("## What to do"), "{body}");
        assert!(body.contains("- Check the sender."), "{body}");
        assert!(body.contains("> Stop and think"), "{body}");
        assert!(body.contains("[guidance](https://www.ncsc.gov.uk/collection/phishing-scams)"), "{body}");
        assert!(body.contains(".[1]"), "{body}");
        for junk in ["cookies", "Accept", "Home", "261", "Related", "5 ways", "020 7946", "By Ann Lee", "24 June 2024"] {
            assert!(!body.contains(junk), "{junk} left in:\n{body}");
        }
    }

    #[test]
    fn only_web_and_mail_links_stay_links() {
        for kept in ["https://www.ncsc.gov.uk", "HTTP://example.org", "mailto:a@b.org", "/relative/page", "#section", "page.html", "?q=1"] {
            assert!(is_web_or_mail_link(kept), "{kept}");
        }
        for dropped in ["javascript:alert(1)", " JavaScript:alert(1)", "java\tscript:alert(1)", "\u{1}vbscript:msgbox", "data:text/html,<b>x</b>", "file:///etc/passwd", "tel:123"] {
            assert!(!is_web_or_mail_link(dropped), "{dropped:?}");
        }
    }

    #[test]
    fn charsets_are_read_from_meta_tags() {
        assert_eq!(declared_charset(b"<html><head><meta charset=\"ISO-8859-1\">").as_deref(), Some("ISO-8859-1"));
        assert_eq!(
            declared_charset(b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">").as_deref(),
            Some("windows-1252")
        );
        assert_eq!(declared_charset(b"<html><p>no charset</p>"), None);
    }
}
