//! Title, byline and publication date, read from the lines pages put them on.
//!
//! Dates are parsed with chrono from the forms pages use ("16 Nov 2022",
//! "24 June 2024", "2025-10-16", "Oct 16, 2025", "Thursday 16th October
//! 2025", "16/10/2025" when the day cannot be the month). Bylines come from
//! "by Mark Rowe", "Words by …", "Author: …", or a bare name line beside the
//! title. What a page does not say stays `None`: nothing is guessed, and a
//! date in the body of the article is never taken for its publication date.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

static ISO: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b").unwrap());
static DAY_MONTH_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s-]+({MONTHS})\.?,?[\s-]+(\d{{4}})\b")).unwrap()
});
static MONTH_DAY_YEAR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?i)\b({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b")).unwrap()
});
static SLASHED: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\b(\d{1,4})[/.](\d{1,2})[/.](\d{2,4})\b").unwrap());

/// The first calendar date written in `text`, in any of the forms pages use.
///
/// Day-first and month-first numeric dates ("03/04/2025") are ambiguous and
/// give `None`, unless the day is over 12 ("16/10/2025").
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    let mut found: Vec<(usize, NaiveDate)> = Vec::new();
    for c in ISO.captures_iter(text) {
        if let Some(d) = ymd(&c[1], &c[2], &c[3]) {
            found.push((c.get(0)?.start(), d));
        }
    }
    for c in DAY_MONTH_YEAR.captures_iter(text) {
        if let Some(d) = month_number(&c[2]).and_then(|m| date(c[3].parse().ok()?, m, c[1].parse().ok()?)) {
            found.push((c.get(0)?.start(), d));
        }
    }
    for c in MONTH_DAY_YEAR.captures_iter(text) {
        if let Some(d) = month_number(&c[1]).and_then(|m| date(c[3].parse().ok()?, m, c[2].parse().ok()?)) {
            found.push((c.get(0)?.start(), d));
        }
    }
    for c in SLASHED.captures_iter(text) {
        let (a, b, y) = (&c[1], &c[2], &c[3]);
        let parsed = if a.len() == 4 {
            ymd(a, b, y)
        } else if y.len() == 4 {
            let (a, b): (u32, u32) = (a.parse().ok()?, b.parse().ok()?);
            let year: i32 = y.parse().ok()?;
            match (a > 12, b > 12) {
                (true, false) => date(year, b, a),
                (false, true) => date(year, a, b),
                _ => None, // 03/04/2025: day or month first? Not guessed.
            }
        } else {
            None
        };
        if let Some(d) = parsed {
            found.push((c.get(0)?.start(), d));
        }
    }
    found.into_iter().min_by_key(|(at, _)| *at).map(|(_, d)| d)
}

fn ymd(y: &str, m: &str, d: &str) -> Option<NaiveDate> {
    date(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    if !(1900..=2200).contains(&year) {
        return None;
    }
    NaiveDate::from_ymd_opt(year, month, day)
}

fn month_number(name: &str) -> Option<u32> {
    let lower = name.to_ascii_lowercase();
    let names = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    names.iter().position(|m| lower.starts_with(m)).map(|i| i as u32 + 1)
}

/// The words around a date on a dateline: "Published", "Posted on", weekdays, times.
static DATELINE_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:first\s+)?(?:published|posted|date|dated|released|issued|filed|on|at|gmt|bst|utc|am|pm|mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:r(?:s(?:day)?)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?)\b|\d{1,2}[:.]\d{2}|[|•·,:\-–—/()]",
    )
    .unwrap()
});

/// A publication date from a dateline: a short line that is a date, perhaps
/// with "Published", a weekday or a time. "Updated …" lines are not
/// publication dates and give `None`.
pub fn dateline(line: &str) -> Option<NaiveDate> {
    let line = strip_emphasis(line.trim());
    if line.chars().count() > 80 || line.to_lowercase().contains("updated") || line.to_lowercase().contains("modified") {
        return None;
    }
    let date = parse_date(&line)?;
    // What is left once the date and dateline words are gone must be (almost) nothing.
    let mut rest = ISO.replace_all(&line, " ").into_owned();
    rest = DAY_MONTH_YEAR.replace_all(&rest, " ").into_owned();
    rest = MONTH_DAY_YEAR.replace_all(&rest, " ").into_owned();
    rest = SLASHED.replace_all(&rest, " ").into_owned();
    rest = DATELINE_WORDS.replace_all(&rest, " ").into_owned();
    (rest.split_whitespace().count() == 0).then_some(date)
}

static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:(?:words|written|story|text|reporting|posted|article|report)\s+by|by|author|authors|words|writer|reporter)\s*[:\-–]?\s+(.+)$").unwrap()
});

/// The name in a byline line ("by Mark Rowe", "Words by Ann Lee, Security
/// Editor", "By Mark Rowe | 16 Nov 2022"), or `None` if the line is not one.
pub fn byline(line: &str) -> Option<String> {
    let line = strip_emphasis(line.trim());
    if line.chars().count() > 120 {
        return None;
    }
    let caps = BYLINE.captures(&line)?;
    clean_name(caps.get(1)?.as_str())
}

/// A byline as a page's metadata gives it ("By Mark Rowe", "Mark Rowe, Editor"): the name alone.
pub fn clean_byline(raw: &str) -> Option<String> {
    let raw = raw.trim();
    byline(raw).or_else(|| clean_name(raw))
}

/// "Mark Rowe | 16 Nov 2022" → "Mark Rowe"; `None` unless what is left looks like names.
fn clean_name(raw: &str) -> Option<String> {
    let mut name = raw.trim().to_string();
    // Cut at separators that start something else: a date, a role, a section.
    for sep in [" | ", " |", "|", " • ", " · ", " - ", " – ", " — ", ",", " on ", " in ", " for ", "(", " @"] {
        if let Some(at) = name.find(sep) {
            name.truncate(at);
        }
    }
    let name = name.trim().trim_end_matches(['.', ':', ';']).trim().to_string();
    looks_like_names(&name).then_some(name)
}

/// Words that appear in headings and menus, never as part of a person's name.
const NOT_NAMES: &[&str] = &[
    "about", "admin", "agency", "all", "analysis", "and", "blog", "business", "centre", "center", "comments",
    "company", "contact", "council", "cyber", "department", "desk", "editor", "editorial", "events", "featured",
    "features", "government", "home", "insights", "latest", "magazine", "media", "menu", "ministry", "news",
    "newsletter", "office", "opinion", "police", "policy", "popular", "press", "privacy", "related", "release",
    "report", "reporter", "research", "security", "service", "services", "share", "staff", "subscribe", "team",
    "terms", "the", "threat", "threats", "update", "updates", "up", "summing", "background", "conclusion",
    "introduction", "summary", "testimonials", "listing", "read", "more", "our", "your", "what", "why", "how",
    "partner", "sponsored", "advertisement", "uk", "us", "eu",
];

/// Whether `text` looks like one or two people's names: "Mark Rowe",
/// "Jean-Luc O'Neill", "Ann Lee and Tom Ward", "Sarah de Vries".
pub fn looks_like_names(text: &str) -> bool {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 60 || text.chars().any(|c| c.is_ascii_digit()) {
        return false;
    }
    let people: Vec<&str> = text.split(" and ").flat_map(|p| p.split(" & ")).collect();
    people.len() <= 3 && people.iter().all(|p| looks_like_name(p))
}

fn looks_like_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if !(2..=4).contains(&words.len()) {
        return false;
    }
    let particles = ["de", "van", "von", "der", "den", "da", "di", "du", "le", "la", "bin", "al", "el", "del"];
    let mut capitals = 0;
    for word in &words {
        if NOT_NAMES.contains(&word.to_lowercase().trim_matches(|c: char| !c.is_alphanumeric())) {
            return false;
        }
        if particles.contains(word) {
            continue;
        }
        let mut chars = word.chars();
        let first = chars.next().unwrap_or(' ');
        let rest: String = chars.collect();
        let letters_only = word.chars().all(|c| c.is_alphabetic() || "'’.-".contains(c));
        // All capitals ("FIND A BUSINESS") is a menu, not a name; initials ("J.") are fine.
        let shouty = rest.chars().filter(|c| c.is_alphabetic()).count() > 1 && !rest.chars().any(char::is_lowercase);
        if !first.is_uppercase() || !letters_only || shouty {
            return false;
        }
        capitals += 1;
    }
    capitals >= 2
}

/// Words that end the name of a publication ("Professional Security Magazine").
const PUBLICATION_WORDS: &str = "Magazine|Journal|Gazette|Weekly|Review|Times|Post|News|Monthly|Daily|Herald|Telegraph|Chronicle|Tribune|Bulletin";

static COPYRIGHT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:©|\(c\)|Copyright)\s*(?:\d{4}(?:\s*[-–]\s*\d{4})?)?\s*,?\s*((?:[A-Z][\w&’'.-]*\s?){1,5})").unwrap()
});
static EDITION_OF: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\bedition of ((?:[A-Z][\w&’'-]*\s){0,4}[A-Z][\w&’'-]*)").unwrap());
static PUBLICATION: LazyLock<Regex> = LazyLock::new(|| Regex::new(&format!(r"\b((?:[A-Z][\w&’'-]*\s){{1,4}}(?:{PUBLICATION_WORDS}))\b")).unwrap());

/// The publication a saved page names itself by, in the page's own words:
/// a copyright line ("© 2022 Fraud Watch News"), "… edition of Professional
/// Security Magazine", or a publication-like name the page repeats. One
/// passing mention of a name is not enough, and nothing is made up.
pub fn publication(text: &str) -> Option<String> {
    let tidy = |name: &str| name.trim().trim_end_matches(['.', ',', ' ']).to_string();
    for c in COPYRIGHT.captures_iter(text) {
        // "© 2025 Cyber Defence Weekly. All rights reserved": the name stops before "All rights".
        let name = c[1].split(". ").next().unwrap_or("").split(" All ").next().unwrap_or("");
        let name = tidy(name);
        if !name.is_empty() && !["all", "all rights reserved"].contains(&name.to_lowercase().as_str()) {
            return Some(name);
        }
    }
    if let Some(c) = EDITION_OF.captures(text) {
        return Some(tidy(&c[1]));
    }
    let mut counts: Vec<(String, usize)> = Vec::new();
    for c in PUBLICATION.captures_iter(text) {
        let name = tidy(&c[1]);
        // "Related News", "Latest News": site furniture, not a name.
        if name.split_whitespace().count() < 2 || name.starts_with("Related ") || name.starts_with("Latest ") || name.starts_with("More ") {
            continue;
        }
        match counts.iter_mut().find(|(n, _)| *n == name) {
            Some((_, count)) => *count += 1,
            None => counts.push((name, 1)),
        }
    }
    counts.into_iter().filter(|(_, n)| *n >= 2).max_by_key(|(_, n)| *n).map(|(name, _)| name)
}

/// Removes Markdown emphasis and link syntax around a short line ("*By Ann Lee*").
pub(crate) fn strip_emphasis(line: &str) -> String {
    static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap());
    static ESCAPE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\([\\`*_{}\[\]()#+\-.!|>~])").unwrap());
    let line = LINK.replace_all(line, "$1");
    let line = ESCAPE.replace_all(&line, "$1");
    line.replace("**", "").replace("__", "").trim_matches(|c| c == '*' || c == '_').trim().to_string()
}

/// A page title without the site name pages append ("Title | Site", "Title - Site").
pub fn clean_title(title: &str, site: Option<&str>) -> String {
    let mut title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    if let Some(site) = site.map(str::trim).filter(|s| !s.is_empty()) {
        for sep in [" | ", " - ", " – ", " — ", " :: ", " · "] {
            let suffix = format!("{sep}{site}");
            let cut = title.len().checked_sub(suffix.len()).filter(|&at| at > 0);
            if let Some(at) = cut.filter(|&at| title.get(at..).is_some_and(|end| end.to_lowercase() == suffix.to_lowercase())) {
                title.truncate(at);
            }
        }
    }
    title.trim().to_string()
}

/// What the head of an article (the lines between its title and its first
/// paragraph) says about it.
#[derive(Debug, Default, PartialEq)]
pub(crate) struct Head {
    pub(crate) byline: Option<String>,
    pub(crate) date: Option<NaiveDate>,
}

/// What one short line near the title is.
#[derive(Debug, PartialEq)]
pub(crate) enum HeadLine {
    /// A byline, perhaps with a date on the same line.
    Byline(String, Option<NaiveDate>),
    /// A dateline.
    Date(NaiveDate),
    /// An "Updated …" line or another dateline with no usable date.
    Dateline,
    /// Not metadata.
    Other,
}

/// Classifies a short line found next to an article's title.
/// A bare name counts as a byline only when `bare_names` is set.
pub(crate) fn head_line(line: &str, bare_names: bool) -> HeadLine {
    let plain = strip_emphasis(line.trim());
    if let Some(name) = byline(&plain) {
        return HeadLine::Byline(name, parse_date(&plain).filter(|_| !plain.to_lowercase().contains("updated")));
    }
    if let Some(date) = dateline(&plain) {
        return HeadLine::Date(date);
    }
    let lower = plain.to_lowercase();
    if (lower.starts_with("updated") || lower.starts_with("last updated") || lower.starts_with("modified")) && parse_date(&plain).is_some() {
        return HeadLine::Dateline;
    }
    // "Mark Rowe | 16 Nov 2022" or "Mark Rowe, 16 Nov 2022"
    if bare_names {
        if let Some(date) = parse_date(&plain) {
            if let Some(name) = clean_name(&plain) {
                let rest = plain.replacen(&name, "", 1);
                if dateline(&rest).is_some() {
                    return HeadLine::Byline(name, Some(date));
                }
            }
        }
        if looks_like_names(&plain) {
            return HeadLine::Byline(plain, None);
        }
    }
    HeadLine::Other
}

impl Head {
    /// Takes the byline and date a head line gives, keeping the first of each.
    pub(crate) fn take(&mut self, line: &HeadLine) -> bool {
        match line {
            HeadLine::Byline(name, date) => {
                self.byline.get_or_insert_with(|| name.clone());
                if let Some(d) = date {
                    self.date.get_or_insert(*d);
                }
                true
            }
            HeadLine::Date(d) => {
                self.date.get_or_insert(*d);
                true
            }
            HeadLine::Dateline => true,
            HeadLine::Other => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, day)
    }

    #[test]
    fn dates_in_the_forms_pages_use() {
        assert_eq!(parse_date("16 Nov 2022"), d(2022, 11, 16));
        assert_eq!(parse_date("24 June 2024"), d(2024, 6, 24));
        assert_eq!(parse_date("2025-10-16"), d(2025, 10, 16));
        assert_eq!(parse_date("Oct 16, 2025"), d(2025, 10, 16));
        assert_eq!(parse_date("October 16 2025"), d(2025, 10, 16));
        assert_eq!(parse_date("Thursday 16th October 2025"), d(2025, 10, 16));
        assert_eq!(parse_date("Sept. 3, 2024"), d(2024, 9, 3));
        assert_eq!(parse_date("1st of March, 2023"), d(2023, 3, 1));
        assert_eq!(parse_date("2025-10-16T07:30:00+01:00"), d(2025, 10, 16));
        assert_eq!(parse_date("16/10/2025"), d(2025, 10, 16));
        assert_eq!(parse_date("10/16/2025"), d(2025, 10, 16));
        assert_eq!(parse_date("2025/10/16"), d(2025, 10, 16));
    }

    #[test]
    fn impossible_or_ambiguous_dates_are_not_guessed() {
        assert_eq!(parse_date("03/04/2025"), None);
        assert_eq!(parse_date("31 Feb 2024"), None);
        assert_eq!(parse_date("2025-13-01"), None);
        assert_eq!(parse_date("in 2024"), None);
        assert_eq!(parse_date("October 2025"), None);
        assert_eq!(parse_date("no date here"), None);
    }

    #[test]
    fn datelines_are_short_lines_that_are_dates() {
        assert_eq!(dateline("Published: 16 Nov 2022"), d(2022, 11, 16));
        assert_eq!(dateline("Posted on Thursday, October 16, 2025 at 09:30 BST"), d(2025, 10, 16));
        assert_eq!(dateline("_24 June 2024_"), d(2024, 6, 24));
        assert_eq!(dateline("Updated 17 Nov 2022"), None);
        assert_eq!(dateline("On 16 October 2025 MI5 published its annual threat update for all to read."), None);
    }

    #[test]
    fn bylines_in_their_usual_forms() {
        assert_eq!(byline("by Mark Rowe").as_deref(), Some("Mark Rowe"));
        assert_eq!(byline("By Mark Rowe").as_deref(), Some("Mark Rowe"));
        assert_eq!(byline("Words by Sam Patel").as_deref(), Some("Sam Patel"));
        assert_eq!(byline("Words: Sam Patel").as_deref(), Some("Sam Patel"));
        assert_eq!(byline("Written by Jean-Luc O’Neill, Security Editor").as_deref(), Some("Jean-Luc O’Neill"));
        assert_eq!(byline("By Ann Lee and Tom Ward | 16 Nov 2022").as_deref(), Some("Ann Lee and Tom Ward"));
        assert_eq!(byline("*By Sarah de Vries*").as_deref(), Some("Sarah de Vries"));
        assert_eq!(byline("Author: [Priya Natarajan](https://example.org/priya)").as_deref(), Some("Priya Natarajan"));
        assert_eq!(byline("by the way, this is a sentence about something else entirely"), None);
        assert_eq!(byline("By 2030 most firms will use AI"), None);
    }

    #[test]
    fn bare_names_but_not_menus_or_headings() {
        assert!(looks_like_names("Mark Rowe"));
        assert!(looks_like_names("Graham Penn"));
        assert!(looks_like_names("J. R. Hartley"));
        assert!(!looks_like_names("FIND A BUSINESS"));
        assert!(!looks_like_names("Summing up"));
        assert!(!looks_like_names("Related News"));
        assert!(!looks_like_names("Government"));
        assert!(!looks_like_names("MI5 annual threat update"));
        assert!(!looks_like_names("Staff Reporter"));
    }

    #[test]
    fn head_lines_give_byline_and_date() {
        assert_eq!(head_line("By Mark Rowe | 16 Nov 2022", false), HeadLine::Byline("Mark Rowe".into(), d(2022, 11, 16)));
        assert_eq!(head_line("Mark Rowe", true), HeadLine::Byline("Mark Rowe".into(), None));
        assert_eq!(head_line("Mark Rowe", false), HeadLine::Other);
        assert_eq!(head_line("Mark Rowe, 16 November 2022", true), HeadLine::Byline("Mark Rowe".into(), d(2022, 11, 16)));
        assert_eq!(head_line("16 Nov 2022", false), HeadLine::Date(d(2022, 11, 16).unwrap()));
        assert_eq!(head_line("Last updated 17 Nov 2022", false), HeadLine::Dateline);
        assert_eq!(head_line("Government", true), HeadLine::Other);
    }

    #[test]
    fn titles_lose_the_site_name() {
        assert_eq!(clean_title("Ransomware rises | Cyber Desk Daily", Some("Cyber Desk Daily")), "Ransomware rises");
        assert_eq!(clean_title("Ransomware  rises - Cyber Desk", Some("Cyber Desk")), "Ransomware rises");
        assert_eq!(clean_title("Ransomware rises", None), "Ransomware rises");
    }
}
