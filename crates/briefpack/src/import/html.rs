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
use super::{dom, json_ld, text, Extracted, Extraction};

/// Elements that are never part of the article text.
const NEVER_ARTICLE: &[&str] = &[
    "script", "style", "noscript", "template", "iframe", "svg", "canvas", "form", "button", "select", "input",
    "img", "picture", "figure", "figcaption", "video", "audio", "object", "embed", "amp-img", "amp-ad", "amp-embed",
    "nav", "aside", "[role=navigation]", "[role=complementary]", "[role=banner] nav", "[role=contentinfo]",
    "[aria-label*=breadcrumb i]",
];

/// Words in a class or id that mark site furniture: a class or id holding one
/// as a word of its own ("share-bar", "st-shares", "cookie_banner", "ad top-wrapper")
/// is removed, unless the word is negated ("no-share": the article *without* a share bar).
const FURNITURE_CLASS_WORDS: &[&str] = &[
    "breadcrumb", "breadcrumbs", "cookie", "cookies", "consent", "gdpr", "share", "shares", "sharing", "sharethis", "social",
    "newsletter", "subscribe", "signup", "related", "popular", "recommended", "advert", "adverts", "advertisement", "ad",
    "ads", "promo", "sponsor", "sponsored", "comments", "paywall", "tags", "prevnext",
];
/// Phrases (words joined by `-` or `_`) that mark site furniture the same way.
const FURNITURE_CLASS_PHRASES: &[&str] = &["most-read", "ad-slot", "reading-time", "read-time", "author-bio", "prev-next", "author-box", "authorbox"];
/// Run-together class names that start with a furniture word ("cookiebanner", "sharebar", "newsletterSignup").
const FURNITURE_CLASS_PREFIXES: &[&str] = &["cookie", "consent", "share", "social", "newsletter", "related", "advert", "breadcrumb", "paywall"];
/// Words that negate the furniture word after them in a class name.
const NEGATIONS: &[&str] = &["no", "not", "without", "hide", "hidden"];

/// The longest text, in characters, a furniture element may hold and still
/// be removed on its class alone: past it, the class is more likely a theme's
/// odd name for the article's own container.
const MAX_FURNITURE_CHARS: usize = 3_000;

pub(super) fn read(html: &str) -> Result<Extracted, String> {
    let document = dom::parse(html);
    let scripts: Vec<String> = document.select("script[type='application/ld+json' i]").iter().map(|s| s.text().to_string()).collect();
    let json_ld = json_ld::article(scripts.iter().map(String::as_str)).unwrap_or_default();
    let url = canonical_url(&document);
    let marked_byline = byline_element(&document).or_else(|| written_by(&document));
    let time_element = article_time(&document).or_else(|| json_ld.published.as_deref().and_then(metadata::parse_date)).or_else(|| dateline_element(&document));
    let titles = title_candidates(&document, &json_ld);
    let site_meta = document.select("meta[property='og:site_name']").attr("content").map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    remove_furniture(&document);
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
    // The page's own containers, for when a reader view finds no article in it.
    let containers: Vec<(Extraction, String)> = [
        (Extraction::ArticleBodyMarkup, "[itemprop=articleBody]"),
        (Extraction::ArticleElement, "article"),
        (Extraction::MainElement, "main, [role=main]"),
    ]
    .into_iter()
    .filter_map(|(how, selector)| document.select(selector).nodes().first().map(|node| (how, node.md(None).to_string())))
    .chain(largest_text_block(&document).map(|md| (Extraction::LargestTextBlock, md)))
    .collect();

    let config = || Config { text_mode: TextMode::Markdown, ..Config::default() };
    let reader = Readability::with_document(document, url.as_deref(), Some(config()))
        .or_else(|_| Readability::with_document(dom::parse(html), None, Some(config())))
        .ok()
        .and_then(|mut readability| readability.parse().ok());

    let site = reader
        .as_ref()
        .and_then(|a| a.site_name.as_deref())
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .or(site_meta)
        .or_else(|| json_ld.publisher.clone());
    let title = choose_title(reader.as_ref().map(|a| a.title.as_str()), &titles, site.as_deref());
    let (extraction, body, head) = choose_body(reader.as_ref().map(|a| a.text_content.to_string()), json_ld.body.as_deref(), containers, title.as_deref())?;
    // A by-line names people: the site's or publisher's name in an author field is not one.
    let not_the_site = |name: &String| {
        [site.as_deref(), json_ld.publisher.as_deref()].into_iter().flatten().all(|s| !name.eq_ignore_ascii_case(s))
    };
    let byline = names(&json_ld.authors)
        .and_then(|n| metadata::clean_byline(&n).map(|_| n))
        .or_else(|| reader.as_ref().and_then(|a| a.byline.as_deref()).and_then(metadata::clean_byline).filter(not_the_site))
        .or(head.byline)
        .or(marked_byline.filter(not_the_site));
    let date = reader.as_ref().and_then(|a| a.published_time.as_deref()).and_then(metadata::parse_date).or(time_element).or(head.date);
    Ok(Extracted { extraction, title, byline, date, source: site, url, body_markdown: body, front_matter: None })
}

/// People's names as a by-line writes them: "A", "A and B", "A, B and C".
fn names(people: &[String]) -> Option<String> {
    match people {
        [] => None,
        [one] => Some(one.clone()),
        [rest @ .., last] => Some(format!("{} and {last}", rest.join(", "))),
    }
}

/// Fewer words than this is not an article (a caption, a teaser, a menu).
const MIN_ARTICLE_WORDS: usize = 25;

/// The article's text and where it came from: the reader view's, unless the
/// page's JSON-LD holds far more of the article (a page saved before its
/// scripts filled it in); when the reader view finds nothing, the page's
/// article body markup, `<article>`, `<main>`, then its largest block of text.
fn choose_body(
    reader: Option<String>,
    json_ld_body: Option<&str>,
    containers: Vec<(Extraction, String)>,
    title: Option<&str>,
) -> Result<(Extraction, String, Head), String> {
    let words = |markdown: &str| crate::prose::word_count(&crate::prose::plain_text(markdown));
    let reader = reader.map(|text| tidy(&text, title)).filter(|(body, _)| !body.trim().is_empty());
    let reader_words = reader.as_ref().map_or(0, |(body, _)| words(body));
    let stored = json_ld_body.map(|text| tidy(&paragraphs_as_markdown(text), title)).filter(|(body, _)| !body.trim().is_empty());
    let stored_words = stored.as_ref().map_or(0, |(body, _)| words(body));
    if stored_words >= MIN_ARTICLE_WORDS && stored_words > 2 * reader_words + 20 {
        let (body, head) = stored.expect("counted above");
        return Ok((Extraction::JsonLd, body, head));
    }
    if reader_words >= MIN_ARTICLE_WORDS {
        let (body, head) = reader.expect("counted above");
        return Ok((Extraction::ReaderView, body, head));
    }
    for (how, markdown) in containers {
        let (body, head) = tidy(&markdown, title);
        if words(&body) >= MIN_ARTICLE_WORDS {
            return Ok((how, body, head));
        }
    }
    match (reader, stored) {
        (Some((body, head)), _) => Ok((Extraction::ReaderView, body, head)),
        (None, Some((body, head))) => Ok((Extraction::JsonLd, body, head)),
        (None, None) => Err("the page has no block of text that reads as an article (is it the article page itself, saved complete?)".into()),
    }
}

/// JSON-LD `articleBody` (plain text, paragraphs on their own lines) as Markdown paragraphs.
fn paragraphs_as_markdown(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    let separator = if text.contains("\n\n") { "\n\n" } else { "\n" };
    text.split(separator)
        .map(|p| text::escape_paragraph(&p.split_whitespace().collect::<Vec<_>>().join(" ")))
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// The element holding the most paragraph text (its `<p>` children, or its own
/// lines between `<br>`s), as Markdown.
fn largest_text_block(document: &Document) -> Option<String> {
    let mut scores: std::collections::HashMap<dom_query::NodeId, usize> = std::collections::HashMap::new();
    for node in document.select("p, br").nodes() {
        let Some(parent) = node.parent() else { continue };
        let gain = if node.has_name("p") { node.text().trim().chars().count() } else { 0 };
        // Text between <br>s counts once, when its container is first seen.
        let score = scores.entry(parent.id).or_insert_with(|| parent.children().iter().filter(|c| c.is_text()).map(|c| c.text().trim().chars().count()).sum());
        *score += gain;
    }
    // The first of equal blocks in document order, so the choice never depends on hashing.
    let (best, _) = scores.into_iter().max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(&a.0)))?;
    Some(document.tree.get(&best)?.md(None).to_string())
}

/// Removes what is never the article: the [`NEVER_ARTICLE`] elements, and
/// elements whose class or id names furniture ([`FURNITURE_CLASS_WORDS`]).
fn remove_furniture(document: &Document) {
    for selector in NEVER_ARTICLE {
        document.select(selector).remove();
    }
    for node in document.select("[class], [id]").nodes() {
        let names = [node.attr("class"), node.attr("id")].into_iter().flatten().map(|v| v.to_string()).collect::<Vec<_>>().join(" ");
        if names.split_whitespace().any(names_furniture) && node.text().chars().count() <= MAX_FURNITURE_CHARS {
            node.remove_from_parent();
        }
    }
}

/// Whether one class name or id names site furniture.
fn names_furniture(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(['-', '_']).filter(|w| !w.is_empty()).collect();
    let negated = |i: usize| i > 0 && NEGATIONS.contains(&words[i - 1]);
    words.iter().enumerate().any(|(i, w)| FURNITURE_CLASS_WORDS.contains(w) && !negated(i))
        || FURNITURE_CLASS_PHRASES.iter().any(|p| lower.replace('_', "-").contains(p))
        || words.first().is_some_and(|first| FURNITURE_CLASS_PREFIXES.iter().any(|w| first.starts_with(w) && first.len() > w.len()))
}

/// What the page offers as its title besides the reader view's, best first.
struct TitleCandidates {
    /// JSON-LD `headline`, `og:title`, `twitter:title`, the first `<h1>`s, the `<title>`.
    in_order: Vec<String>,
}

fn title_candidates(document: &Document, json_ld: &json_ld::ArticleData) -> TitleCandidates {
    let meta = |selector: &str| document.select(selector).attr("content").map(|s| s.to_string());
    let mut in_order: Vec<String> = [json_ld.headline.clone(), meta("meta[property='og:title']"), meta("meta[name='twitter:title']")].into_iter().flatten().collect();
    in_order.extend(document.select("h1").nodes().iter().take(4).map(|h| h.text().to_string()));
    in_order.extend(document.select("title").nodes().first().map(|t| t.text().to_string()));
    TitleCandidates { in_order }
}

/// The article's title: the reader view's, unless it is page furniture (a
/// share bar, a cookie dialog's heading, a counter); then the page's own
/// headline, `og:title`, an `<h1>` or the `<title>`, without the site's name.
fn choose_title(reader: Option<&str>, candidates: &TitleCandidates, site: Option<&str>) -> Option<String> {
    let usable = |t: &String| !t.is_empty() && t.chars().count() <= 300 && !text::is_furniture(t) && t.chars().any(char::is_alphabetic);
    reader.into_iter().chain(candidates.in_order.iter().map(String::as_str)).map(|t| metadata::clean_title(t, site)).find(usable)
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

/// A byline marked up as such: the name inside `itemprop=author` (or its
/// `content`), a `rel=author` link, then an element with a `byline`, `author`
/// or `writer` class.
fn byline_element(document: &Document) -> Option<String> {
    let marked = document.select("[itemprop=author] [itemprop=name]").iter().find_map(|node| metadata::clean_byline(node.text().trim()));
    let content = || document.select("[itemprop=author][content]").iter().find_map(|node| node.attr("content").and_then(|c| metadata::clean_byline(&c)));
    let selector = "[itemprop=author], [rel=author], [class*=byline i], [class*=author i], [class*=writer i]";
    marked.or_else(content).or_else(|| document.select(selector).iter().find_map(|node| metadata::clean_byline(node.text().trim())))
}

/// The by-line some sites give only to link previews: `twitter:label1` "Written by" with the name in `twitter:data1`.
fn written_by(document: &Document) -> Option<String> {
    (1..=4).find_map(|n| {
        let label = document.select(&format!("meta[name='twitter:label{n}']")).attr("content")?;
        let data = document.select(&format!("meta[name='twitter:data{n}']")).attr("content")?;
        let label = label.trim().to_lowercase();
        (label == "written by" || label == "author" || label == "by").then(|| metadata::clean_byline(&data)).flatten()
    })
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
        // "**By Sean Mitchell**" and "Wed, 21st May 2025" on two lines of one paragraph (a <br> between them).
        let lines: Vec<&str> = block.lines().map(|l| l.trim().trim_end_matches('\\').trim()).filter(|l| !l.is_empty()).collect();
        if (2..=3).contains(&lines.len()) && lines.iter().all(|l| l.chars().count() <= 120 && !text::is_prose(l)) {
            let parsed: Vec<HeadLine> = lines.iter().map(|l| metadata::head_line(l, false)).collect();
            if parsed.iter().zip(&lines).all(|(p, l)| *p != HeadLine::Other || text::is_furniture(l)) {
                parsed.iter().for_each(|p| {
                    head.take(p);
                });
                blocks.remove(i);
                continue;
            }
        }
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
    fn a_page_saved_before_its_scripts_ran_is_read_from_its_json_ld() {
        let body = "Agencies warned on Tuesday that state-linked groups are exploiting edge devices across Europe. ".repeat(4);
        let page = format!(
            r#"<html><head><title>Edge devices | Wire</title><script type="application/ld+json">{{"@type":"NewsArticle","headline":"Edge devices under attack","author":{{"@type":"Person","name":"Lukas Brandt"}},"datePublished":"2025-02-19","articleBody":"{body}\n\nSecond paragraph."}}</script></head>
            <body><main><div class="skeleton"></div><noscript><p>Please enable JavaScript to read this article.</p></noscript></main></body></html>"#
        );
        let out = read(&page).unwrap();
        assert_eq!(out.extraction, Extraction::JsonLd);
        assert_eq!(out.title.as_deref(), Some("Edge devices under attack"));
        assert_eq!(out.byline.as_deref(), Some("Lukas Brandt"));
        assert!(out.body_markdown.starts_with("Agencies warned on Tuesday") && out.body_markdown.contains("\n\nSecond paragraph."), "{}", out.body_markdown);
    }

    #[test]
    fn a_class_that_negates_furniture_keeps_the_article() {
        let text = "<p>GCHQ has warned universities that hostile states are using students and visiting researchers to reach sensitive technology.</p>".repeat(3);
        let page = format!(r#"<html><body><div class="sharethis-inline-share-buttons"><span>261</span><span>Shares</span></div><h1>GCHQ warns universities</h1><div class="entry-content no-share">{text}</div></body></html>"#);
        let out = read(&page).unwrap();
        assert!(out.body_markdown.starts_with("GCHQ has warned universities"), "{}", out.body_markdown);
        assert!(!out.body_markdown.contains("261"), "{}", out.body_markdown);
        assert!(names_furniture("share-bar") && names_furniture("st-shares") && names_furniture("cookieBanner") && names_furniture("ad"));
        assert!(!names_furniture("no-share") && !names_furniture("entry-content") && !names_furniture("header") && !names_furniture("download"));
    }

    #[test]
    fn when_reader_view_finds_nothing_the_pages_own_containers_are_used_in_order() {
        let article = "The agency received 3,207 reports of scams in the quarter, most of them from people who were phoned by someone claiming to be from their own bank.".to_string();
        let containers = vec![
            (Extraction::ArticleBodyMarkup, "Too short.".to_string()),
            (Extraction::ArticleElement, article.clone()),
            (Extraction::MainElement, format!("Menu\n\n{article}")),
        ];
        let (how, body, _) = choose_body(None, None, containers, None).unwrap();
        assert_eq!((how, body.trim()), (Extraction::ArticleElement, article.as_str()));
        // A reader view that found the article wins over the page's containers.
        let (how, _, _) = choose_body(Some(article.clone()), None, vec![(Extraction::MainElement, article.repeat(3))], None).unwrap();
        assert_eq!(how, Extraction::ReaderView);
        assert!(choose_body(None, None, Vec::new(), None).is_err());
    }

    #[test]
    fn titles_are_never_page_furniture() {
        let candidates = TitleCandidates { in_order: vec!["We value your privacy".into(), "Martyn's Law: what venues must do".into()] };
        assert_eq!(choose_title(Some("261 Shares facebook sharing button Share"), &candidates, None).as_deref(), Some("Martyn's Law: what venues must do"));
        assert_eq!(choose_title(Some("Scams rise | NCSC"), &candidates, Some("NCSC")).as_deref(), Some("Scams rise"));
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
