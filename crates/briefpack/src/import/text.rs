//! Text saved or copied from a web page → a clean article.
//!
//! A scraped page is the article surrounded by the site: menus,
//! testimonials, "FIND A BUSINESS", share counts, newsletter prompts,
//! "Related …" lists, captions and credits. The reader:
//!
//! 1. joins hard-wrapped lines into paragraphs (a line is joined to the one
//!    before when that one runs to the wrap width) and keeps list items;
//! 2. classifies each paragraph: prose, a short line (heading, title, name,
//!    menu item), page furniture (dropped wherever it is), or the heading of
//!    a block of site content ("TESTIMONIALS", "Related News"), which ends
//!    whatever came before it;
//! 3. takes the stretch between such block headings with the most prose as
//!    the article, finds its title (the short line before the first
//!    paragraph, skipping the byline and dateline) and drops what precedes it;
//! 4. writes Markdown: short lines followed by prose become `##` headings,
//!    short lines left over at the end are dropped.

use std::sync::LazyLock;

use regex::Regex;

use super::metadata::{self, Head, HeadLine};
use super::Extracted;

/// One paragraph, list item, quote or short line of the page.
#[derive(Debug, Clone, PartialEq)]
struct Unit {
    text: String,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Sentences: the article is made of these.
    Prose,
    /// A short line: a title, heading, name or menu item.
    Short,
    /// A list item (marker kept in `text`).
    Item,
    /// A quoted paragraph (`>` kept off `text`).
    Quote,
    /// Site furniture: dropped wherever it is.
    Furniture,
    /// The heading of a block of site content: nothing of the article follows it in its block.
    BlockStart,
}

pub(super) fn read(text: &str) -> Extracted {
    let units = units(&normalise(text));
    let (title, head, body) = article(&units);
    Extracted {
        extraction: super::Extraction::WholeText,
        title,
        byline: head.byline,
        date: head.date,
        source: metadata::publication(text),
        body_markdown: to_markdown(&body),
        ..Extracted::default()
    }
}

/// Unix newlines, no BOM, no non-breaking or zero-width spaces, no trailing blanks.
pub(crate) fn normalise(text: &str) -> String {
    text.trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .lines()
        .map(|line| {
            line.chars()
                .filter(|c| !matches!(c, '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}'))
                .map(|c| if c == '\t' || (c.is_whitespace() && c != '\n') { ' ' } else { c })
                .collect::<String>()
                .trim_end()
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("\n")
}

static LIST_ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:[-*+•·▪◦‣–]|\d{1,3}[.)]|[a-z][.)])\s+\S").unwrap());

/// Splits text into units: blank lines separate blocks; inside a block,
/// wrapped lines are joined and the rest are units of their own.
fn units(text: &str) -> Vec<Unit> {
    let mut out = Vec::new();
    for block in text.split("\n\n") {
        let lines: Vec<&str> = block.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if lines.is_empty() {
            continue;
        }
        let width = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0);
        // Hard-wrapped text runs to a width of at most about a hundred characters,
        // and only its last line falls well short of that width.
        let long = |l: &&str| l.chars().count() >= 35.max(width * 55 / 100);
        let wrapped = width <= 110 && lines.len() > 1 && lines[..lines.len() - 1].iter().all(long);
        let mut current: Option<String> = None;
        let mut previous_len = 0;
        for line in lines {
            let len = line.chars().count();
            let starts_item = LIST_ITEM.is_match(line) || line.starts_with('>');
            let continues = current.is_some()
                && !starts_item
                && ((wrapped && previous_len >= 35.max(width * 55 / 100))
                    || line.chars().next().is_some_and(char::is_lowercase));
            match (&mut current, continues) {
                (Some(text), true) => {
                    text.push(' ');
                    text.push_str(line);
                }
                _ => {
                    if let Some(text) = current.take() {
                        out.push(classify(text));
                    }
                    current = Some(line.to_string());
                }
            }
            previous_len = len;
        }
        if let Some(text) = current {
            out.push(classify(text));
        }
    }
    out
}

fn classify(text: String) -> Unit {
    let trimmed = text.trim();
    let kind = if is_block_start(trimmed) {
        Kind::BlockStart
    } else if is_furniture(trimmed) {
        Kind::Furniture
    } else if trimmed.starts_with('>') {
        Kind::Quote
    } else if LIST_ITEM.is_match(trimmed) && !is_prose_sentence(trimmed) {
        Kind::Item
    } else if is_prose(trimmed) {
        Kind::Prose
    } else {
        Kind::Short
    };
    let text = if kind == Kind::Quote { trimmed.trim_start_matches('>').trim().to_string() } else { trimmed.to_string() };
    Unit { text, kind }
}

/// A paragraph of sentences rather than a title, heading or menu item.
pub(crate) fn is_prose(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let ends = text.trim_end_matches(['"', '”', '’', '\'', ')', ']', '*', '_']).ends_with(['.', '!', '?', ':', ';', '…']);
    (ends && words >= 8) || words >= 25
}

/// A list-marker line that is really a numbered sentence ("1. In 2024 we …") still counts as an item,
/// unless it is long prose that merely starts with a digit and a full stop.
fn is_prose_sentence(text: &str) -> bool {
    text.split_whitespace().count() > 60
}

/// Whole lines that are site furniture wherever they appear.
static FURNITURE: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // share counts, reading times, comment counts
        r"^\d[\d,.]*\s*[km]?\s+(?:shares?|comments?|views?|likes?|reads?|reactions?|retweets?|responses?|replies)$",
        r"^(?:shares?|comments?|views?|likes?)\s*[:\-]?\s*\d[\d,.]*\s*[km]?$",
        r"^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s*(?:-|\s)?(?:min|mins|minutes?|secs?|seconds?)\.?(?:\s+(?:read|reading|listen|watch)(?:\s+time)?)?$",
        r"^(?:reading time|read time|estimated reading time|time to read)\s*[:\-]?\s*\d+.*$",
        r"^listen to (?:this|the) (?:article|story)\b.*$",
        // sharing and following
        r"^(?:share|tweet|email|e-mail|print|copy link|save|pin it|facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|telegram|bluesky|threads|instagram|youtube|messenger|flipboard)(?:\s*[|/·•,]\s*(?:share|tweet|email|print|copy link|save|facebook|twitter|x|linkedin|whatsapp|reddit|pinterest|telegram|bluesky|threads|instagram|youtube))*\s*$",
        r"^share (?:this|on|via|the)\b.{0,60}$",
        r"^(?:follow us|follow|like us)\b.{0,60}$",
        // newsletters, subscriptions, accounts
        r"^(?:sign up|subscribe)\b.{0,100}$",
        r"^(?:register|join)\b.{0,60}\b(?:newsletter|free|today|now|account|us|community)\b.{0,40}$",
        r"^.{0,80}\b(?:sign up|subscribe|delivered|straight to your|get our|receive our)\b.{0,60}\b(?:newsletter|inbox|mailing list|briefing|bulletin)\b.{0,60}$",
        r"^(?:enjoyed|like|liked) this (?:article|story|post)\?.{0,160}$",
        r"^(?:enter your email|your email address|email address)\b.*$",
        r"^(?:log ?in|sign ?in|log ?out|sign ?out|my account|create (?:an )?account)$",
        // cookies and consent
        r"^.{0,120}\b(?:we|this (?:site|website)|our (?:site|website))\s+uses?\s+cookies\b.{0,200}$",
        r"^.{0,60}\b(?:cookie (?:policy|settings|preferences|notice|consent|banner)|accept (?:all )?cookies)\b.{0,80}$",
        r"^(?:accept(?: all)?|reject(?: all)?|manage (?:preferences|cookies|settings)|cookie settings|got it|ok|i agree)$",
        r"^(?:we value your privacy|your privacy(?: choices| matters)?|privacy (?:settings|preferences|choices))$",
        // navigation
        r"^(?:skip to (?:main )?content|skip navigation|menu|main menu|open menu|close|search|home|back to top|top|toggle navigation|navigation|you are here:?)$",
        r"^(?:previous|next)(?:\s+(?:article|post|story|page)\b|\s*[:»«›‹>]).{0,100}$",
        r"^(?:previous|next)$",
        r"^(?:home|news)\s*[›»>/|].*$",
        r"^(?:page \d+ of \d+|\d+ of \d+)$",
        // advertising
        r"^(?:advertisement|advert|sponsored|sponsored content|promoted|partner content|ad|ads by .*|skip advertisement|supported by)$",
        // legal footer
        r"^(?:©|\(c\)|copyright\b).*$",
        r"^.{0,80}\ball rights reserved\b.*$",
        r"^(?:privacy(?: policy| notice)?|terms(?: (?:and|&) conditions| of use| of service)?|accessibility|contact(?: us)?|about(?: us)?|sitemap|careers|advertise(?: with us)?)(?:\s*[|·•]\s*.*)?$",
        // tags and categories
        r"^(?:tags?|topics?|categories|category|filed under|posted in|related topics|keywords)\s*:.*$",
        // captions and credits
        r"^(?:image|images|photo|photos|photograph|picture|pic|credit|image credit|photo credit|source: getty|caption|illustration|video)\s*(?:credit)?\s*[:|©].{0,200}$",
        r"^.{0,200}\b(?:photo|image|picture|pic|credit|illustration)\s*(?:credit)?\s*[:/©]\s*[^.]{0,60}$",
        r"^.{0,200}(?:[/(:|©]|\bvia)\s*(?:getty images|shutterstock|alamy|istock(?:photo)?|reuters|pa media|pa wire|afp|ap photo|unsplash|adobe stock)\s*\)?\.?$",
        // page furniture of the magazine kind
        r"^(?:all testimonials|add listing|add your listing|view all|see all|load more|show more|read more|more)\s*[»›>]?$",
        r"^would you like your business to be (?:added|listed).*$",
        r"^more in (?:the|our|this)\b.{0,60}\b(?:edition|issue|magazine|print edition)\b.*$",
        r"^(?:read|see|watch|listen)(?: more)?\s*:\s*.{0,160}$",
        r"^related\s*:.{0,200}$",
        r"^(?:☆|★|\*){3,}.*$",
    ]
    .iter()
    .map(|p| Regex::new(&format!("(?i){p}")).unwrap())
    .collect()
});

/// Whether a whole line is site furniture (share counts, "10 minutes read",
/// cookie and newsletter prompts, captions, credits, copyright lines).
pub(crate) fn is_furniture(line: &str) -> bool {
    let line = metadata::strip_emphasis(line.trim().trim_start_matches('#').trim());
    if line.is_empty() {
        return false;
    }
    if FURNITURE.iter().any(|re| re.is_match(&line)) {
        return true;
    }
    if is_share_bar(&line) {
        return true;
    }
    // "261 Shares | 5 min read": every part furniture.
    let parts: Vec<&str> = line.split(['|', '·', '•']).map(str::trim).filter(|p| !p.is_empty()).collect();
    parts.len() > 1 && parts.iter().all(|p| FURNITURE.iter().any(|re| re.is_match(p)))
}

/// Words of a share bar, as its text reads once copied or scraped.
const SHARE_BAR_WORDS: &[&str] = &[
    "share", "shares", "shared", "sharing", "button", "tweet", "tweets", "post", "email", "e-mail", "print", "copy", "link",
    "facebook", "twitter", "x", "linkedin", "whatsapp", "reddit", "pinterest", "telegram", "bluesky", "threads", "mastodon",
    "messenger", "pocket", "flipboard", "sms", "save", "like", "likes",
];

/// A share bar: "261 Shares facebook sharing button Share twitter sharing button …",
/// "Share 14 Tweet 9 LinkedIn 31 Email" — share words and counts, nothing else.
fn is_share_bar(line: &str) -> bool {
    let words: Vec<String> = line.split(|c: char| c.is_whitespace() || "|/·•,:".contains(c)).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
    let counts = |w: &str| w.trim_end_matches(['k', 'm']).replace([',', '.'], "").chars().all(|c| c.is_ascii_digit());
    let share_words = words.iter().filter(|w| SHARE_BAR_WORDS.contains(&w.as_str())).count();
    share_words >= 2 && words.iter().all(|w| SHARE_BAR_WORDS.contains(&w.as_str()) || counts(w))
}

/// Headings that open a block of site content: nothing after them in their block is the article.
static BLOCK_START: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:testimonials?|what (?:our|people) (?:readers|customers|clients) say|find a business|featured (?:company|companies|companies|business|businesses|content|articles?|posts?|stories|jobs|products?)|business directory|related(?: (?:news|articles?|posts?|stories|content|reading|links|topics|coverage|items|pages|guidance))?|more (?:news|stories|articles|posts|from|on|like this|in)\b.{0,40}|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|read (?:next|more|also)|recommended(?: for you| reading| articles| stories)?|most (?:read|popular|viewed|shared|commented)|popular(?: (?:posts|stories|articles|now|today))?|trending(?: now| stories)?|latest(?: (?:news|stories|articles|posts|headlines|updates))?|editor'?s picks|top stories|comments?(?: \(\d+\))?|\d+ (?:comments|responses|replies)|leave a (?:reply|comment)|join the (?:conversation|discussion)|about the author|about this author|author bio|in other news|elsewhere(?: on the site)?|upcoming events|events|jobs|whitepapers|webinars|newsletter|subscribe to our newsletter|stay (?:informed|up to date|in the loop))\s*[:»›>]?$",
    )
    .unwrap()
});

/// Whether a line heads a block of site content ("TESTIMONIALS", "Related News", "Comments").
pub(crate) fn is_block_start(line: &str) -> bool {
    let line = metadata::strip_emphasis(line.trim().trim_start_matches('#').trim());
    line.chars().count() <= 60 && BLOCK_START.is_match(&line)
}

/// The article: its title, its head (byline, date) and its body units.
fn article(units: &[Unit]) -> (Option<String>, Head, Vec<Unit>) {
    // Stretches between block headings; the one with the most prose is the article.
    let mut best: Option<(usize, std::ops::Range<usize>)> = None;
    let mut start = 0;
    for end in (0..units.len()).filter(|&i| units[i].kind == Kind::BlockStart).chain([units.len()]) {
        let words: usize = units[start..end]
            .iter()
            .filter(|u| matches!(u.kind, Kind::Prose | Kind::Quote | Kind::Item))
            .map(|u| u.text.split_whitespace().count())
            .sum();
        if best.as_ref().is_none_or(|(w, _)| words > *w) {
            best = Some((words, start..end));
        }
        start = end + 1;
    }
    let Some((_, range)) = best else { return (None, Head::default(), Vec::new()) };
    let stretch = &units[range];

    let first_prose = stretch.iter().position(|u| u.kind == Kind::Prose);
    let mut head = Head::default();
    let mut title = None;
    let mut body_start = 0;
    let mut taken = vec![false; stretch.len()];
    if let Some(first) = first_prose {
        // Walk back from the first paragraph over the byline and dateline to the title.
        let mut i = first;
        let mut head_lines = Vec::new();
        while i > 0 {
            i -= 1;
            let unit = &stretch[i];
            if unit.kind == Kind::Furniture {
                taken[i] = true;
                continue;
            }
            if unit.kind != Kind::Short {
                break;
            }
            let line = metadata::head_line(&unit.text, false);
            if line != HeadLine::Other {
                head_lines.push(line);
                taken[i] = true;
                continue;
            }
            // A bare name between the title and the text is the byline.
            let title_above = (0..i).rev().find(|&j| stretch[j].kind != Kind::Furniture).is_some_and(|j| stretch[j].kind == Kind::Short);
            if title_above && head.byline.is_none() && head_lines.iter().all(|l| !matches!(l, HeadLine::Byline(..))) {
                if let line @ HeadLine::Byline(..) = metadata::head_line(&unit.text, true) {
                    head_lines.push(line);
                    taken[i] = true;
                    continue;
                }
            }
            title = Some(unit.text.clone());
            taken[i] = true;
            body_start = i + 1;
            break;
        }
        if title.is_none() {
            body_start = i;
        }
        // A bare name line next to the title is its byline.
        if let Some(t) = title.as_ref().map(|_| body_start) {
            if let Some(j) = (t..first).find(|&j| !taken[j] && stretch[j].kind == Kind::Short) {
                let line = metadata::head_line(&stretch[j].text, true);
                if matches!(line, HeadLine::Byline(..)) {
                    head_lines.push(line);
                    taken[j] = true;
                }
            }
        }
        // Bylines and datelines can also follow a standfirst: look a little past the first paragraph.
        for j in first + 1..stretch.len().min(first + 4) {
            if stretch[j].kind != Kind::Short && stretch[j].kind != Kind::Furniture {
                break;
            }
            let line = metadata::head_line(&stretch[j].text, false);
            if line != HeadLine::Other {
                head_lines.push(line);
                taken[j] = true;
            }
        }
        // Nearest the title first.
        for line in head_lines.iter().rev() {
            head.take(line);
        }
    }
    let mut body: Vec<Unit> = stretch
        .iter()
        .enumerate()
        .skip(body_start)
        .filter(|(i, u)| !taken[*i] && u.kind != Kind::Furniture)
        .map(|(_, u)| u.clone())
        .collect();
    // "Sam Patel is our fraud correspondent.": the author's tagline, not the article.
    if let Some(name) = &head.byline {
        body.retain(|u| !(u.text.starts_with(&format!("{name} is ")) || u.text.starts_with(&format!("{name} writes"))) || u.text.len() > 200);
    }
    (title.map(|t| metadata::strip_emphasis(&t)), head, trim_tail(body))
}

/// Drops short lines after the last paragraph (bylines, tags, menus), keeping
/// a list that a paragraph introduces.
fn trim_tail(mut body: Vec<Unit>) -> Vec<Unit> {
    while let Some(last) = body.last() {
        let keep = match last.kind {
            Kind::Prose | Kind::Quote => true,
            Kind::Item => {
                // Keep items that follow a paragraph or a line leading into them with ':'.
                let lead = body.iter().rev().find(|u| u.kind != Kind::Item);
                lead.is_some_and(|u| matches!(u.kind, Kind::Prose | Kind::Quote) || u.text.trim_end().ends_with(':'))
            }
            _ => false,
        };
        if keep {
            break;
        }
        body.pop();
    }
    body
}

/// Units → Markdown: paragraphs, `##` headings, lists and quotes, one blank line apart.
fn to_markdown(units: &[Unit]) -> String {
    let mut out = String::new();
    for (i, unit) in units.iter().enumerate() {
        let next = units.get(i + 1).map(|u| u.kind);
        let block = match unit.kind {
            Kind::Prose => escape_paragraph(&unit.text),
            Kind::Quote => format!("> {}", unit.text),
            Kind::Item => list_item(&unit.text),
            Kind::Short => {
                // A short line that introduces text is a heading; a stray one stays a paragraph.
                let introduces = match next {
                    Some(Kind::Prose | Kind::Quote | Kind::Item) => true,
                    Some(Kind::Short) => units[i + 1].text.ends_with(':'),
                    _ => false,
                };
                if introduces && !unit.text.ends_with(['.', ':']) {
                    format!("## {}", unit.text)
                } else {
                    escape_paragraph(&unit.text)
                }
            }
            Kind::Furniture | Kind::BlockStart => continue,
        };
        if !out.is_empty() {
            // Consecutive list items stay one list.
            let tight = unit.kind == Kind::Item && i > 0 && units[i - 1].kind == Kind::Item;
            out.push_str(if tight { "\n" } else { "\n\n" });
        }
        out.push_str(&block);
    }
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

fn list_item(text: &str) -> String {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:([-*+•·▪◦‣–])|(\d{1,3})[.)]|([a-z])[.)])\s+").unwrap());
    match MARKER.captures(text) {
        Some(c) if c.get(2).is_some() => format!("{}. {}", &c[2], &text[c.get(0).map_or(0, |m| m.end())..]),
        Some(c) => format!("- {}", &text[c.get(0).map_or(0, |m| m.end())..]),
        None => format!("- {text}"),
    }
}

/// A paragraph that would otherwise read as Markdown syntax ("2025. A year …", "# 1") is escaped.
pub(crate) fn escape_paragraph(text: &str) -> String {
    static NUMBERED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(\d+)([.)])(\s)").unwrap());
    if NUMBERED.is_match(text) {
        return NUMBERED.replace(text, "$1\\$2$3").into_owned();
    }
    if text.starts_with(['#', '>', '=']) || text.starts_with("- ") || text.starts_with("+ ") || text.starts_with("* ") {
        return format!("\\{text}");
    }
    text.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_are_joined_and_paragraphs_kept() {
        let text = "Title here\n\nThis is a long line of a paragraph that was wrapped at about\nseventy characters by the site that the text was saved from,\nand it ends here.\n\nA second paragraph, also long enough to be prose in its own right.\n";
        let out = read(text);
        assert_eq!(out.title.as_deref(), Some("Title here"));
        assert_eq!(
            out.body_markdown,
            "This is a long line of a paragraph that was wrapped at about seventy characters by the site that the text was saved from, and it ends here.\n\nA second paragraph, also long enough to be prose in its own right.\n"
        );
    }

    #[test]
    fn furniture_lines() {
        for line in ["261 Shares", "10 minutes read", "5 min read", "Share", "Facebook | Twitter | LinkedIn", "12 Comments",
            "Sign up to our newsletter", "We use cookies to improve your experience.", "Image: Getty Images", "Photo: Stock Images Ltd",
            "© 2025 Example Ltd", "Tags: ransomware, schools", "ADD LISTING", "ALL TESTIMONIALS",
            "Would you like your business to be added to this list?", "More in the November edition of Professional Security Magazine.",
            "Advertisement", "Home › News › Cyber", "Related: Police arrest 12 in fraud raid", "Read more: How to report fraud"] {
            assert!(is_furniture(line), "{line}");
        }
        for line in ["For the full speech visit the MI5 website.", "Summing up", "MI5 annual threat update", "Background",
            "In the last year we saw 35 per cent more cases."] {
            assert!(!is_furniture(line), "{line}");
        }
    }

    #[test]
    fn share_bars_are_furniture() {
        assert!(is_furniture("261 Shares facebook sharing button Share twitter sharing button Tweet linkedin sharing button Share email sharing button Email"));
        assert!(is_furniture("Share 14   Tweet 9   LinkedIn 31   Email"));
        assert!(!is_furniture("Share prices fell 14% on the news"));
        assert!(!is_furniture("Email fraud rose"));
    }

    #[test]
    fn block_starts() {
        for line in ["TESTIMONIALS", "FIND A BUSINESS", "Related News", "Related articles", "You may also like", "Most read", "Comments (3)", "FEATURED COMPANY", "More from Cyber Desk"] {
            assert!(is_block_start(line), "{line}");
        }
        for line in ["Background", "Summing up", "‘Hard target’", "Related risks to the sector were also discussed at length."] {
            assert!(!is_block_start(line), "{line}");
        }
    }

    #[test]
    fn headings_lists_and_the_tail() {
        let text = "Nav\nHome\n\nThe title\n\nBy Ann Lee\n\n16 Nov 2022\n\nFirst paragraph with enough words to be counted as prose here.\n\nWhat to do\n\nThe agency advises three steps:\n\n1. Keep backups.\n2. Use MFA.\n\nAnn Lee\n\nTags: fraud\n";
        let out = read(text);
        assert_eq!(out.title.as_deref(), Some("The title"));
        assert_eq!(out.byline.as_deref(), Some("Ann Lee"));
        assert_eq!(out.date, chrono::NaiveDate::from_ymd_opt(2022, 11, 16));
        assert_eq!(
            out.body_markdown,
            "First paragraph with enough words to be counted as prose here.\n\n## What to do\n\nThe agency advises three steps:\n\n1. Keep backups.\n2. Use MFA.\n"
        );
    }

    #[test]
    fn a_bare_name_under_the_title_is_the_byline() {
        let out = read("Fraud losses hit a record\n\nSam Patel\n\nFraud losses reported to the police reached a record high last year, figures show.\n");
        assert_eq!(out.title.as_deref(), Some("Fraud losses hit a record"));
        assert_eq!(out.byline.as_deref(), Some("Sam Patel"));
    }

    #[test]
    fn paragraphs_that_look_like_markdown_are_escaped() {
        assert_eq!(escape_paragraph("2025. A year of change."), "2025\\. A year of change.");
        assert_eq!(escape_paragraph("# of attacks"), "\\# of attacks");
        assert_eq!(escape_paragraph("Plain."), "Plain.");
    }
}
