//! Figures stated as facts, found sentence by sentence, each with its label,
//! period and the exact sentence it came from.
//!
//! What is proposed:
//! - percentages: "35 per cent", "43%", "less than 1%", "five per cent";
//! - counts: "19 late-stage attack plots", "1,727", "1727";
//! - money: "€4.2 million" (€4.2m), "$16.6 billion" ($16.6bn), "£3,000";
//! - ratios: "one in five" (1 in 5), "four in ten (43%)" (43%), "two-thirds of";
//! - ranges: "$100 to $1 million" ($100–$1m), "between 20% and 30%".
//!
//! What is not: phone numbers, dates and years on their own, times, page
//! furniture ("261 Shares", "10 minutes read"), list numbering, footnote
//! markers, numbers that are part of a name ("MI5", "COVID-19", "9/11",
//! "Windows 11"), references ("Section 4", "Step 2", "Top 10"), ages and
//! durations ("aged 15", "12 months"), and anything in a heading, a table, a
//! code block or a paragraph that is only a link (navigation to another
//! article). Numbers in words are read only in ratios and percentages, where
//! they are unambiguous.
//!
//! The label is the phrase that follows the figure ("late-stage attack
//! plots", "businesses that reported an attack"), or, when the figure ends
//! its clause, the words before it ("Ransomware attacks on schools rose").
//! The period is the time phrase in the same sentence nearest the figure
//! ("since the start of 2020", "in the last year", "in the year to August 2025").

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::StatisticProposal;
use crate::numbers::format_number;
use crate::pack::Direction;

/// Number words read in ratios and word percentages.
const NUMBER_WORDS: &[(&str, f64)] = &[
    ("one", 1.0), ("two", 2.0), ("three", 3.0), ("four", 4.0), ("five", 5.0), ("six", 6.0), ("seven", 7.0),
    ("eight", 8.0), ("nine", 9.0), ("ten", 10.0), ("eleven", 11.0), ("twelve", 12.0), ("thirteen", 13.0),
    ("fourteen", 14.0), ("fifteen", 15.0), ("sixteen", 16.0), ("seventeen", 17.0), ("eighteen", 18.0),
    ("nineteen", 19.0), ("twenty", 20.0), ("thirty", 30.0), ("forty", 40.0), ("fifty", 50.0), ("sixty", 60.0),
    ("seventy", 70.0), ("eighty", 80.0), ("ninety", 90.0), ("a hundred", 100.0), ("one hundred", 100.0),
    ("hundred", 100.0), ("a thousand", 1000.0), ("thousand", 1000.0),
];
const NUMW: &str = r"(?:a hundred|one hundred|a thousand|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)";
const NUM: &str = r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)";
const MONTHS: &str = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?";

/// Finds the figures in a Markdown body and proposes each once, in order.
pub fn propose(markdown: &str) -> Vec<StatisticProposal> {
    let mut out: Vec<StatisticProposal> = Vec::new();
    for block in prose_blocks(markdown) {
        for sentence in sentences(&block) {
            for proposal in in_sentence(sentence) {
                // The same figure quoted twice (standfirst and body, say) is one proposal.
                if !out.iter().any(|p| p.display == proposal.display && p.value == proposal.value) {
                    out.push(proposal);
                }
            }
        }
    }
    out
}

/// The plain text of each paragraph, list item and quoted paragraph;
/// headings, tables, code and paragraphs that are only links are left out.
pub fn prose_blocks(markdown: &str) -> Vec<String> {
    static ITEM: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:[-*+]|\d{1,9}[.)])\s+").unwrap());
    static RULE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^\s*(?:(?:-\s*){3,}|(?:\*\s*){3,}|(?:_\s*){3,})$").unwrap());
    let mut blocks = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut fence: Option<&str> = None;
    let flush = |current: &mut Vec<String>, blocks: &mut Vec<String>| {
        if !current.is_empty() {
            let source = current.join(" ");
            if !is_link_only(&source) {
                let text = plain(&source);
                if !text.is_empty() {
                    blocks.push(text);
                }
            }
            current.clear();
        }
    };
    for line in markdown.lines() {
        let trimmed = line.trim_start();
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            flush(&mut current, &mut blocks);
            fence = Some(&trimmed[..3]);
            continue;
        }
        let mut content = trimmed;
        let mut quoted = false;
        while let Some(rest) = content.strip_prefix('>') {
            content = rest.trim_start();
            quoted = true;
        }
        if content.is_empty() || RULE.is_match(content) {
            flush(&mut current, &mut blocks);
            continue;
        }
        if content.starts_with('#') || content.starts_with('|') || (quoted && content.starts_with("[!")) {
            flush(&mut current, &mut blocks);
            continue;
        }
        if let Some(m) = ITEM.find(content) {
            flush(&mut current, &mut blocks);
            content = &content[m.end()..];
        }
        current.push(content.to_string());
    }
    flush(&mut current, &mut blocks);
    blocks
}

/// A paragraph made only of links ("[5 ways to …](/news/…)") is navigation.
fn is_link_only(markdown: &str) -> bool {
    static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"!?\[[^\]]*\]\([^)]*\)").unwrap());
    LINK.is_match(markdown) && LINK.replace_all(markdown, "").chars().all(|c| !c.is_alphanumeric())
}

/// Markdown inline syntax removed: link text kept, images, footnote markers and tags dropped.
pub fn plain(markdown: &str) -> String {
    static IMAGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"!\[[^\]]*\]\([^)]*\)").unwrap());
    static LINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[([^\]]*)\]\([^)]*\)").unwrap());
    static FOOTNOTE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\[\^[^\]]*\]|\[\d{1,3}\]|<sup>[^<]*</sup>|[¹²³⁴⁵⁶⁷⁸⁹⁰]+").unwrap());
    static AUTOLINK: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"<(https?://[^>]+)>").unwrap());
    static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"</?[a-zA-Z][^>]*>").unwrap());
    static ESCAPE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\\([\\`*_{}\[\]()#+\-.!|>~])").unwrap());
    let text = IMAGE.replace_all(markdown, "");
    let text = LINK.replace_all(&text, "$1");
    let text = text.replace("\\[", "[").replace("\\]", "]");
    let text = FOOTNOTE.replace_all(&text, "");
    let text = AUTOLINK.replace_all(&text, "$1");
    let text = TAG.replace_all(&text, "");
    let text = text.replace("**", "").replace("__", "").replace('`', "");
    // Single * and _ are emphasis at word edges; inside words they are letters of the text.
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '*' || c == '_' {
            let before = i.checked_sub(1).map(|j| chars[j]);
            let after = chars.get(i + 1).copied();
            let inside = before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric);
            if !inside {
                continue;
            }
        }
        out.push(c);
    }
    let text = ESCAPE.replace_all(&out, "$1");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Splits plain text into sentences, leaving abbreviations ("Mr.", "e.g.", "U.S.") and decimals alone.
pub fn sentences(text: &str) -> Vec<&str> {
    const ABBREVIATIONS: &[&str] = &[
        "mr", "mrs", "ms", "dr", "prof", "st", "no", "nos", "vs", "etc", "e.g", "i.e", "eg", "ie", "inc", "ltd", "co", "corp",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "est", "fig", "vol",
        "u.s", "u.k", "gen", "col", "lt", "sgt", "insp", "supt", "rev", "hon", "jr", "sr", "p", "pp", "para", "cf", "al",
    ];
    let mut out = Vec::new();
    let mut start = 0;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if matches!(c, '.' | '!' | '?' | '…') {
            // Take closing quotes and brackets with the sentence.
            let mut j = i + 1;
            while j < chars.len() && matches!(chars[j].1, '"' | '”' | '’' | '\'' | ')' | ']') {
                j += 1;
            }
            let followed_by_space = j < chars.len() && chars[j].1.is_whitespace();
            let next = chars[j..].iter().map(|(_, c)| *c).find(|c| !c.is_whitespace());
            let starts_sentence = next.is_some_and(|n| n.is_uppercase() || n.is_ascii_digit() || "\"“‘'(£$€[".contains(n));
            // The word before the full stop, looked for in the last few characters only.
            let window = chars[i.saturating_sub(12)..i].iter().map(|(b, _)| *b).next().unwrap_or(at).max(start);
            let word_before: String = text[window..at].rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("").to_lowercase();
            let abbreviation = c == '.'
                && (ABBREVIATIONS.contains(&word_before.trim_start_matches(['"', '“', '‘']))
                    || (word_before.chars().count() == 1 && word_before.chars().all(char::is_alphabetic)));
            if followed_by_space && starts_sentence && !abbreviation {
                let end = if j < chars.len() { chars[j].0 } else { text.len() };
                let sentence = text[start..end].trim();
                if !sentence.is_empty() {
                    out.push(sentence);
                }
                start = end;
                i = j;
                continue;
            }
        }
        i += 1;
    }
    let rest = text[start..].trim();
    if !rest.is_empty() {
        out.push(rest);
    }
    out
}

/// What kind of figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Percent,
    Count,
    Money,
    Ratio,
    Range,
}

/// A figure found in a sentence.
#[derive(Debug, Clone)]
struct Figure {
    span: Range<usize>,
    /// A part of the sentence the figure also accounts for: the "(20%)" of "one in five charities (20%)".
    hidden: Option<Range<usize>>,
    display: String,
    value: f64,
    kind: Kind,
}

/// An amount: number, scale, currency and unit, as read.
#[derive(Debug, Clone, Default)]
struct Amount {
    number: f64,
    /// The digits as written, without thousands separators.
    digits: String,
    scale: Option<(&'static str, f64)>,
    currency: Option<String>,
    percent: bool,
    points: bool,
}

impl Amount {
    fn value(&self) -> f64 {
        let v = self.number * self.scale.map_or(1.0, |(_, m)| m);
        (v * 100.0).round() / 100.0
    }

    fn kind(&self) -> Kind {
        if self.percent || self.points {
            Kind::Percent
        } else if self.currency.is_some() {
            Kind::Money
        } else {
            Kind::Count
        }
    }

    /// "35%", "€4.2m", "$16.6bn", "1,727", "5pp".
    fn display(&self) -> String {
        let number = match self.scale {
            Some((abbr, _)) => format!("{}{abbr}", self.digits),
            None if self.percent || self.points => self.digits.clone(),
            None => format_number(self.number),
        };
        let currency = self.currency.as_deref().unwrap_or("");
        let unit = if self.points { "pp" } else if self.percent { "%" } else { "" };
        format!("{currency}{number}{unit}")
    }
}

/// Longer "sentences" are tables or lists run together, not statements.
const MAX_SENTENCE_BYTES: usize = 3000;
/// A sentence with more figures than this is a row of data, not a statement of fact.
const MAX_FIGURES_PER_SENTENCE: usize = 24;

fn in_sentence(sentence: &str) -> Vec<StatisticProposal> {
    if sentence.len() > MAX_SENTENCE_BYTES {
        return Vec::new();
    }
    let periods = periods(sentence);
    let mut masked: Vec<Range<usize>> = masks(sentence);
    masked.extend(periods.iter().map(|(r, _)| r.clone()));
    let mut figures: Vec<Figure> = Vec::new();
    let free = |span: &Range<usize>, taken: &[Range<usize>]| !taken.iter().any(|m| m.start < span.end && span.start < m.end);

    for figure in ratios(sentence).into_iter().chain(ranges(sentence)) {
        if free(&figure.span, &masked) && free(&figure.span, &figures.iter().map(|f| f.span.clone()).collect::<Vec<_>>()) {
            figures.push(figure);
        }
    }
    let taken: Vec<Range<usize>> =
        figures.iter().flat_map(|f| [Some(f.span.clone()), f.hidden.clone()]).flatten().chain(masked.iter().cloned()).collect();
    for figure in singles(sentence) {
        if free(&figure.span, &taken) {
            figures.push(figure);
        }
    }
    if figures.len() > MAX_FIGURES_PER_SENTENCE {
        return Vec::new();
    }
    figures.sort_by_key(|f| f.span.start);
    let spans: Vec<Range<usize>> = figures.iter().map(|f| f.span.clone()).collect();
    let mut out: Vec<StatisticProposal> = Vec::new();
    for f in &figures {
        let mut label = label(sentence, f, &spans, &periods);
        let mut direction = direction(sentence, &f.span);
        // "…, down from 38%": the earlier value of the figure before it.
        if COMPARISON.is_match(tail(&sentence[..f.span.start]).1) {
            if let Some(previous) = out.last() {
                label = format!("{} (before)", previous.label);
            }
            direction = None;
        } else if let (Some(change), Some(previous)) = (CHANGE.captures(tail(&sentence[..f.span.start]).1), out.last()) {
            // "…$16.6 billion, up 33% on the year before": the change in the figure before it.
            let word = change[1].to_lowercase();
            let rise = word == "up" || word.contains("increase") || word.contains("rise");
            let mut chars = previous.label.chars();
            let previous_label = chars.next().map(|c| c.to_lowercase().collect::<String>() + chars.as_str()).unwrap_or_default();
            label = format!("{} in {previous_label}", if rise { "Rise" } else { "Fall" });
            direction = Some(if rise { Direction::Up } else { Direction::Down });
        }
        // "rose by 8% to A$49,600": the new level of what the figure before it measured.
        if label.is_empty() {
            if let Some(previous) = out.last() {
                label = previous.label.clone();
            }
        }
        out.push(StatisticProposal {
            display: f.display.clone(),
            value: f.value,
            label,
            period: nearest_period(sentence, &f.span, &periods, &spans),
            sentence: sentence.to_string(),
            direction,
        });
    }
    out
}

/// Spans that hold no statistic: phone numbers, dates, times, addresses.
fn masks(sentence: &str) -> Vec<Range<usize>> {
    static PATTERNS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
        [
            // phone numbers: international, or starting 0, or in brackets, in digit groups
            r"(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,5}\)[\s.-]?)?\b0\d{2,4}[\s.-]\d{3,6}(?:[\s.-]\d{3,4})?\b".to_string(),
            r"\+\d{1,3}[\s.-]?\(?\d{1,5}\)?(?:[\s.-]\d{2,5}){1,4}\b".to_string(),
            r"\(\d{3}\)\s?\d{3}[\s.-]\d{4}\b".to_string(),
            r"\b\d{3}[.-]\d{3}[.-]\d{4}\b".to_string(),
            r"(?i)\b(?:call|dial|ring|phone|telephone|tel|text|sms|fax|helpline|hotline|freephone|on)\s*:?\s+\d{3}(?:\s\d{3,4}){0,2}\b(?:\s(?:or|and)\s\d{3}\b)?".to_string(),
            // dates and times
            format!(r"(?i)\b\d{{1,2}}(?:st|nd|rd|th)?(?:\s+of)?[\s-]+{MONTHS}(?:,?[\s-]+\d{{4}})?\b"),
            format!(r"(?i)\b{MONTHS}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?\b"),
            format!(r"(?i)\b{MONTHS}\s+\d{{4}}\b"),
            // "between 1 and 19 July 2025", "3-5 June"
            format!(r"(?i)\b\d{{1,2}}(?:st|nd|rd|th)?\s*(?:-|–|to|and)\s*\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTHS}"),
            r"\b\d{4}-\d{2}-\d{2}\b".to_string(),
            r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b".to_string(),
            r"(?i)\b\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?:\W|$)".to_string(),
            r"\b\d{1,2}:\d{2}\b".to_string(),
            // the whole of "Call 0300 123 2040 or text 7726"
            r"(?i)\b(?:call|dial|ring|phone|text)\b.{0,60}\b(?:999|101|111|112|911|7726|116 ?123)\b".to_string(),
            // addresses
            r"(?i)https?://\S+|\bwww\.\S+|\S+@\S+\.\w+".to_string(),
        ]
        .iter()
        .map(|p| Regex::new(p).unwrap())
        .collect()
    });
    PATTERNS.iter().flat_map(|re| re.find_iter(sentence).map(|m| m.range())).collect()
}

/// Time phrases: "since the start of 2020", "in the last year", "in the year to August 2025".
fn periods(sentence: &str) -> Vec<(Range<usize>, String)> {
    static PERIOD: LazyLock<Regex> = LazyLock::new(|| {
        let n = format!(r"(?:\d+|{NUMW}|several|few)");
        let unit = r"(?:years?|months?|weeks?|days?|decades?|quarters?|half|financial year|calendar year|reporting period|twelve months|year)";
        let year = r"\d{4}(?:\s*(?:/|-|–)\s*\d{2,4})?";
        let patterns = [
            format!(r"since (?:the (?:start|beginning|end|middle) of )?(?:(?:early|late|mid)[\s-])?(?:{MONTHS}\s+)?\d{{4}}"),
            format!(r"since (?:{MONTHS}|the pandemic|covid(?:-19)?|records began|the invasion of ukraine|last year)"),
            format!(r"(?:in|during|over|across|for|throughout|within) the (?:last|past|previous|latest|preceding|next|coming|first) (?:{n} )?{unit}(?: alone)?"),
            format!(r"(?:in|during|over|for) the (?:{n} )?(?:{unit}|12 months|six months|three months) (?:to|ending|ended|up to|until) (?:the end of )?(?:{MONTHS}\s+)?(?:\d{{4}}|{MONTHS})"),
            format!(r"(?:in|during|over|throughout|across|for) (?:the )?(?:first|second|third|fourth|final|last) (?:half|quarter|six months|three months|nine months) of (?:the year|{year})"),
            format!(r"(?:in|during|throughout|for|across) (?:the )?(?:(?:financial|calendar|tax|fiscal|academic) year )?(?:(?:q[1-4]|h[12]|fy)\s?)?(?:{MONTHS}\s+)?{year}(?: (?:financial|calendar|tax|fiscal|academic) year)?"),
            format!(r"(?:between|from) (?:{MONTHS}\s+)?\d{{4}} (?:and|to|until) (?:{MONTHS}\s+)?\d{{4}}"),
            r"(?:so far )?(?:this|last|in the) (?:year|month|quarter|week)(?: to date| so far)?".to_string(),
            r"(?:per|each|every) (?:year|month|week|day)|year[\s-]on[\s-]year|annually|a year (?:earlier|before|ago)|year to date".to_string(),
            r"by (?:the end of )?\d{4}".to_string(),
            r"(?:over|in|during|for|across) the same (?:period|time|months?|year|quarter)".to_string(),
        ];
        Regex::new(&format!(r"(?i)\b(?:{})\b", patterns.join("|"))).unwrap()
    });
    PERIOD
        .find_iter(sentence)
        .map(|m| {
            let mut text = m.as_str().to_string();
            // "In the last year" at the head of a sentence reads "in the last year" as a period.
            if let Some(first) = text.chars().next() {
                if first.is_uppercase() && !text.starts_with("Q") && !text[first.len_utf8()..].starts_with(|c: char| c.is_uppercase()) {
                    text = first.to_lowercase().collect::<String>() + &text[first.len_utf8()..];
                }
            }
            (m.range(), text)
        })
        .collect()
}

static CLAUSE_BREAK: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)[;!?]|\.\s|[,–—]\s*(?:and|but|while|whereas|although|though|yet|so|which|who|according)\b").unwrap());
static CHANGE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i),\s*(up|down|an increase of|a rise of|a fall of|a drop of|a decrease of)\s*$").unwrap());
static COMPARISON: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)\b(?:up|down|rising|falling|increased|decreased|fell|rose)? ?(?:from|compared (?:with|to)|against|versus|vs\.?)\s*$").unwrap());

fn nearest_period(sentence: &str, span: &Range<usize>, periods: &[(Range<usize>, String)], figures: &[Range<usize>]) -> Option<String> {
    periods
        .iter()
        // "By 2030" is a forecast's horizon and "over the same period" points elsewhere:
        // neither says which period a figure covers.
        .filter(|(_, text)| !text.to_lowercase().starts_with("by ") && !text.to_lowercase().contains(" same "))
        // A period in another clause ("…last year, and one in five …") is not this figure's.
        .filter(|(r, _)| {
            let between = if r.start >= span.end { &sentence[span.end..r.start] } else { &sentence[r.end..span.start] };
            let (from, to) = if r.start >= span.end { (span.end, r.start) } else { (r.end, span.start) };
            // Nor is one on the far side of another figure.
            !CLAUSE_BREAK.is_match(between) && !figures.iter().any(|f| f.start >= from && f.end <= to)
        })
        .min_by_key(|(r, _)| if r.start >= span.end { r.start - span.end } else { span.start.saturating_sub(r.end) })
        .map(|(_, text)| text.clone())
}

fn number_word(word: &str) -> Option<f64> {
    let lower = word.to_lowercase();
    NUMBER_WORDS.iter().find(|(w, _)| *w == lower).map(|(_, v)| *v)
}

fn parse_number(text: &str) -> Option<f64> {
    text.replace(',', "").parse().ok().or_else(|| number_word(text))
}

fn is_year(text: &str) -> bool {
    text.len() == 4 && text.chars().all(|c| c.is_ascii_digit()) && (1800..=2100).contains(&text.parse::<u32>().unwrap_or(0))
}

/// "one in five", "1 in 10", "four in ten (43%)", "two-thirds of".
fn ratios(sentence: &str) -> Vec<Figure> {
    static RATIO: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(&format!(
            r"(?i)\b({NUMW}|\d+)\s+(?:in|out of)\s+(?:every\s+)?({NUMW}|\d[\d,]*)\b(?:((?:\s+[a-z’'-]+){{0,3}}?)\s*(\(\s*({NUM})\s*(?:%|per ?cent|percent)\s*\)))?"
        ))
        .unwrap()
    });
    static FRACTION: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(a|one|two|three|four)[\s-](third|thirds|quarter|quarters|fifth|fifths|tenth|tenths)\s+of\b").unwrap()
    });
    let mut out = Vec::new();
    for c in RATIO.captures_iter(sentence) {
        let whole = c.get(0).expect("match");
        let (Some(a), Some(b)) = (parse_number(&c[1]), parse_number(&c[2])) else { continue };
        if b <= a || b < 2.0 || is_year(&c[2]) || adjacent_blocked(sentence, whole.start(), whole.end()) {
            continue;
        }
        let prefix = qualifier(sentence, whole.start());
        let (display, value) = match c.get(5).and_then(|p| parse_number(p.as_str()).map(|v| (p.as_str().to_string(), v))) {
            Some((digits, pct)) => (format!("{}{digits}%", prefix.0), pct),
            None => (format!("{}{} in {}", prefix.0, format_number(a), format_number(b)), (a / b * 10_000.0).round() / 100.0),
        };
        // "one in five charities (20%)": the figure is the ratio; the bracket restates it.
        let (span, hidden) = match (c.get(3).filter(|g| !g.as_str().trim().is_empty()), c.get(4)) {
            (Some(_), Some(bracket)) => (prefix.1..c.get(2).expect("denominator").end(), Some(bracket.range())),
            _ => (prefix.1..whole.end(), None),
        };
        out.push(Figure { span, hidden, display, value, kind: Kind::Ratio });
    }
    for c in FRACTION.captures_iter(sentence) {
        let whole = c.get(0).expect("match");
        let after = sentence[whole.end()..].trim_start().to_lowercase();
        let before = sentence[..whole.start()].trim_end().to_lowercase();
        // "a quarter of 2025", "the first quarter of the year" are periods.
        if after.starts_with("the year") || after.starts_with(|ch: char| ch.is_ascii_digit()) || after.starts_with("an hour") || before.ends_with("first") || before.ends_with("last") {
            continue;
        }
        let a = parse_number(&c[1]).unwrap_or(1.0);
        let b = match c[2].to_lowercase().trim_end_matches('s') {
            "third" => 3.0,
            "quarter" => 4.0,
            "fifth" => 5.0,
            _ => 10.0,
        };
        if a >= b {
            continue;
        }
        let prefix = qualifier(sentence, whole.start());
        let end = whole.end() - 2; // without " of"
        let end = sentence[..end].trim_end().len();
        out.push(Figure {
            span: prefix.1..end,
            hidden: None,
            display: format!("{}{} in {}", prefix.0, format_number(a), format_number(b)),
            value: (a / b * 10_000.0).round() / 100.0,
            kind: Kind::Ratio,
        });
    }
    out
}

/// Reads an amount starting at a number match: currency before, scale and unit after.
/// Returns the amount and the span it covers, or `None` when the number is part of something else.
fn amount_at(sentence: &str, m: Range<usize>) -> Option<(Amount, Range<usize>)> {
    amount_within(sentence, m, true)
}

/// [`amount_at`], optionally ignoring what comes before (the high end of "10-15%").
fn amount_within(sentence: &str, m: Range<usize>, check_before: bool) -> Option<(Amount, Range<usize>)> {
    static SCALE_WORD: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^\s?(million|billion|trillion|thousand|bn|mn|tn|m|k)\b").unwrap());
    static UNIT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^\s?(%|per ?cent\b|percent\b|pc\b|percentage points?\b|pp\b)").unwrap());
    static CURRENCY_AFTER: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)^\s(euros?|dollars?|pounds?(?: sterling)?|usd|eur|gbp)\b").unwrap());
    static CURRENCY_BEFORE: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?i)(?:(US|AU|A|C|CA|NZ|HK|S)?([$£€¥₹])|\b(USD|EUR|GBP|AUD|CAD)\s?)$").unwrap());
    let digits = sentence[m.clone()].to_string();
    let number = parse_number(&digits)?;
    let mut amount = Amount { number, digits: digits.replace(',', ""), ..Amount::default() };
    let mut start = m.start;
    let mut end = m.end;

    let (offset, before) = tail(&sentence[..start]);
    if let Some(c) = CURRENCY_BEFORE.captures(before) {
        let whole = c.get(0).expect("match");
        let symbol = c.get(2).map(|s| s.as_str().to_string()).unwrap_or_else(|| match c[3].to_uppercase().as_str() {
            "USD" => "$".into(),
            "EUR" => "€".into(),
            "GBP" => "£".into(),
            other => format!("{other} "),
        });
        let country = c.get(1).map(|p| p.as_str().to_uppercase()).unwrap_or_default();
        amount.currency = Some(format!("{country}{symbol}"));
        start = offset + whole.start();
    }
    if let Some(c) = SCALE_WORD.captures(&sentence[end..]) {
        let word = c[1].to_lowercase();
        let scale = match word.as_str() {
            "million" | "mn" => Some(("m", 1e6)),
            "m" if amount.currency.is_some() => Some(("m", 1e6)),
            "billion" | "bn" => Some(("bn", 1e9)),
            "trillion" | "tn" => Some(("tn", 1e12)),
            "thousand" => Some(("k", 1e3)),
            "k" if amount.currency.is_some() => Some(("k", 1e3)),
            _ => None,
        };
        if let Some(scale) = scale {
            amount.scale = Some(scale);
            end += c.get(0).expect("match").end();
        }
    }
    if let Some(c) = UNIT.captures(&sentence[end..]) {
        let unit = c[1].to_lowercase();
        if unit.starts_with("percentage") || unit == "pp" {
            amount.points = true;
        } else {
            amount.percent = true;
        }
        end += c.get(0).expect("match").end();
    } else if let Some(c) = CURRENCY_AFTER.captures(&sentence[end..]) {
        if amount.currency.is_none() {
            let word = c[1].to_lowercase();
            amount.currency = Some(
                if word.starts_with("euro") || word == "eur" {
                    "€"
                } else if word.starts_with("dollar") || word == "usd" {
                    "$"
                } else {
                    "£"
                }
                .to_string(),
            );
            end += c.get(0).expect("match").end();
        }
    }
    let blocked = if check_before { adjacent_blocked(sentence, start, end) } else { blocked_after(sentence, end) };
    if blocked {
        return None;
    }
    Some((amount, start..end))
}

/// Whether the characters around a figure make it part of a name, code or date ("MI5", "9/11", "COVID-19", "5G").
fn adjacent_blocked(sentence: &str, start: usize, end: usize) -> bool {
    blocked_before(sentence, start) || blocked_after(sentence, end)
}

/// Whether the characters before a figure make it part of a name or code ("MI5", "COVID-19", "#1").
fn blocked_before(sentence: &str, start: usize) -> bool {
    let before: Vec<char> = sentence[..start].chars().rev().take(2).collect();
    match before.first().copied() {
        Some(c) if c.is_alphanumeric() || "_#/\\@".contains(c) => true,
        Some('-' | '‑' | '.' | ':' | ',') => before.get(1).copied().is_some_and(char::is_alphanumeric),
        _ => false,
    }
}

/// Whether the characters after a figure make it part of a code, date or word ("5G", "24/7", "15-year-old").
fn blocked_after(sentence: &str, end: usize) -> bool {
    let after: Vec<char> = sentence[end..].chars().take(2).collect();
    match after.first().copied() {
        Some(c) if c.is_alphanumeric() || "_/\\@°".contains(c) => true,
        Some('-' | '‑' | '.' | ':' | ',') => after.get(1).copied().is_some_and(char::is_alphanumeric),
        _ => false,
    }
}

/// The last eighty bytes or so of `text` (from a character boundary) and where they start:
/// patterns anchored at the end of the text before a figure need look no further back,
/// and a sentence of a hundred thousand numbers is not scanned from its start each time.
fn tail(text: &str) -> (usize, &str) {
    let mut from = text.len().saturating_sub(80);
    while !text.is_char_boundary(from) {
        from += 1;
    }
    (from, &text[from..])
}

/// "less than", "more than", "nearly" before a figure: the display prefix and where the phrase starts.
fn qualifier(sentence: &str, start: usize) -> (&'static str, usize) {
    static QUALIFIER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)\b(less than|fewer than|under|below|just under|more than|over|above|in excess of|just over|well over|at least|up to|nearly|almost|around|about|approximately|roughly|some|an estimated|close to|as many as|as much as)\s+$").unwrap()
    });
    let (offset, before) = tail(&sentence[..start]);
    match QUALIFIER.captures(before) {
        // "built around 12 principles", "worried about 3 things": a preposition, not an estimate.
        Some(c) if matches!(c[1].to_lowercase().as_str(), "around" | "about" | "over" | "under")
            && PREPOSITION_VERB.is_match(&before[..c.get(0).expect("match").start()]) => ("", start),
        Some(c) => {
            let prefix = match c[1].to_lowercase().as_str() {
                "less than" | "fewer than" | "under" | "below" | "just under" => "<",
                "more than" | "over" | "above" | "in excess of" | "just over" | "well over" => ">",
                "at least" => "≥",
                "up to" => "≤",
                "an estimated" | "as many as" | "as much as" => "",
                _ => "~",
            };
            (prefix, offset + c.get(0).expect("match").start())
        }
        None => ("", start),
    }
}

static PREPOSITION_VERB: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:\w+ed|built|spent|went|thought|brought|talk|talks|care|cares|is|are|was|were|come|comes|came)\s+$").unwrap());

/// "$100 to $1 million", "between 20% and 30%", "10–15%".
fn ranges(sentence: &str) -> Vec<Figure> {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(NUM).unwrap());
    static JOIN: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"^(?:\s*(?:-|–|—)\s*|\s+to\s+|\s+and\s+)").unwrap());
    let numbers: Vec<Range<usize>> = NUMBER.find_iter(sentence).map(|m| m.range()).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i + 1 < numbers.len() {
        let Some((mut low, low_span)) = amount_at(sentence, numbers[i].clone()).or_else(|| {
            // "10-15%": the low end stops at the hyphen, which `amount_at` reads as part of a code.
            let end = numbers[i].end;
            let next = sentence[end..].chars().next();
            (matches!(next, Some('-' | '–' | '—')) && !blocked_before(sentence, numbers[i].start)).then(|| {
                let digits = sentence[numbers[i].clone()].to_string();
                (Amount { number: parse_number(&digits).unwrap_or(0.0), digits: digits.replace(',', ""), ..Amount::default() }, numbers[i].clone())
            })
        }) else {
            i += 1;
            continue;
        };
        let Some(join) = JOIN.find(&sentence[low_span.end..]) else {
            i += 1;
            continue;
        };
        let is_and = join.as_str().trim() == "and";
        let lead = sentence[..low_span.start].trim_end();
        let between_at = lead.len().checked_sub("between".len()).filter(|&at| lead.get(at..).is_some_and(|w| w.eq_ignore_ascii_case("between")));
        let between = between_at.is_some();
        let high_start = low_span.end + join.end();
        let Some(next) = numbers[i + 1..].iter().find(|r| r.start >= high_start) else { break };
        // The second number must start right after the joining word (perhaps after a currency sign).
        let gap = &sentence[high_start..next.start];
        if !(gap.is_empty() || gap.chars().all(|c| "$£€".contains(c) || c.is_ascii_uppercase())) || (is_and && !between) {
            i += 1;
            continue;
        }
        let Some((mut high, high_span)) = amount_within(sentence, next.clone(), false) else {
            i += 1;
            continue;
        };
        if is_year(&low.digits) && is_year(&high.digits) && low.kind() == Kind::Count && high.kind() == Kind::Count {
            i += 2;
            continue;
        }
        // Units written once belong to both ends: "10-15%", "20 and 30 per cent", "$5 to 10 million".
        if high.percent && !low.percent && low.currency.is_none() {
            low.percent = true;
        }
        if high.currency.is_some() && low.currency.is_none() && !low.percent {
            low.currency = high.currency.clone();
        }
        if low.currency.is_some() && high.currency.is_none() && !high.percent {
            high.currency = low.currency.clone();
        }
        if high.scale.is_some() && low.scale.is_none() && low.number < high.number && low.number < 1000.0 && !gap.contains(['$', '£', '€']) {
            low.scale = high.scale;
        }
        if low.value() >= high.value() || low.percent != high.percent {
            i += 1;
            continue;
        }
        let start = between_at.unwrap_or(low_span.start);
        let display = if low.percent {
            format!("{}–{}%", low.digits, high.digits)
        } else {
            let mut low_text = low.display();
            if low.scale.is_some() && low.scale == high.scale {
                low_text = low.display().trim_end_matches(low.scale.map_or("", |(s, _)| s)).to_string();
            }
            format!("{low_text}–{}", high.display())
        };
        out.push(Figure { span: start..high_span.end, hidden: None, display, value: low.value(), kind: Kind::Range });
        i += 2;
    }
    out
}

/// Single figures: percentages, money and counts.
fn singles(sentence: &str) -> Vec<Figure> {
    static NUMBER: LazyLock<Regex> = LazyLock::new(|| Regex::new(NUM).unwrap());
    static WORD_PERCENT: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(&format!(r"(?i)\b({NUMW})(?:[\s-]({NUMW}))?\s+(?:per ?cent|percent)\b")).unwrap());
    let mut out = Vec::new();
    for m in NUMBER.find_iter(sentence) {
        let Some((amount, span)) = amount_at(sentence, m.range()) else { continue };
        let kind = amount.kind();
        if kind == Kind::Count && !is_count(sentence, &amount, &span) {
            continue;
        }
        let (prefix, start) = qualifier(sentence, span.start);
        // "people over 60", "children under 16": ages, not counts.
        if kind == Kind::Count && matches!(prefix, ">" | "<") && PEOPLE.contains(&last_word(&sentence[..start]).as_str()) {
            continue;
        }
        out.push(Figure { span: start..span.end, hidden: None, display: format!("{prefix}{}", amount.display()), value: amount.value(), kind });
    }
    for c in WORD_PERCENT.captures_iter(sentence) {
        let whole = c.get(0).expect("match");
        let value = parse_number(&c[1]).unwrap_or(0.0) + c.get(2).and_then(|w| parse_number(w.as_str())).unwrap_or(0.0);
        let (prefix, start) = qualifier(sentence, whole.start());
        out.push(Figure { span: start..whole.end(), hidden: None, display: format!("{prefix}{}%", format_number(value)), value, kind: Kind::Percent });
    }
    out
}

/// Who an age bracket ("over 60") is about.
const PEOPLE: &[&str] = &[
    "people", "those", "adults", "children", "users", "victims", "men", "women", "anyone", "everyone", "staff",
    "employees", "workers", "pupils", "students", "customers", "consumers", "respondents", "patients", "pensioners", "aged",
];

fn last_word(text: &str) -> String {
    text.split_whitespace().next_back().unwrap_or("").trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()
}

/// Whether a bare number (no %, no currency) counts something rather than naming, dating or numbering it.
fn is_count(sentence: &str, amount: &Amount, span: &Range<usize>) -> bool {
    const REFERENCES: &[&str] = &[
        "step", "steps", "chapter", "section", "sections", "figure", "fig", "table", "page", "pages", "part", "article", "no", "number",
        "version", "v", "level", "tier", "phase", "stage", "round", "season", "episode", "issue", "vol", "volume", "clause",
        "paragraph", "para", "annex", "appendix", "item", "question", "q", "rule", "schedule", "top", "windows", "ios",
        "android", "iphone", "category", "grade", "class", "band", "type", "room", "floor", "flat", "unit", "junction",
        "platform", "gate", "route", "line", "year", "key", "group", "generation", "series", "model", "edition", "covid",
        "cve", "ps", "act", "regulation", "article", "point", "option", "priority", "p", "aged", "age", "ages", "under",
        "over-", "channel", "bbc", "radio", "day", "week", "stage", "principle", "box", "exhibit", "slide", "report",
        "wave", "lot", "batch", "building", "block", "terminal", "studio", "suite", "mi", "sir", "no.", "nos", "pp",
    ];
    const YEAR_WORDS: &[&str] = &[
        "in", "since", "by", "from", "during", "until", "till", "before", "after", "of", "to", "and", "between", "the",
        "early", "late", "mid", "end", "start", "beginning", "fy", "year", "autumn", "spring", "summer", "winter", "or",
        "through", "throughout", "for", "around", "circa", "c.", "last", "this", "next", "vision", "strategy",
    ];
    const TIME_UNITS: &[&str] = &[
        "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute", "minutes", "min",
        "mins", "second", "seconds", "secs", "decade", "decades", "century", "centuries", "am", "pm", "o'clock", "o’clock",
        "nights", "night", "weekends", "quarters",
    ];
    const FURNITURE: &[&str] = &["shares", "share", "comments", "comment", "views", "likes", "reads", "retweets", "replies", "reactions", "followers", "subscribers"];
    const STREETS: &[&str] = &["street", "st", "road", "rd", "avenue", "lane", "square", "place", "way", "drive", "close", "court", "row", "downing", "hill", "crescent", "gardens"];

    let before_words: Vec<String> = sentence[..span.start]
        .split_whitespace()
        .rev()
        .take(3)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.').to_lowercase())
        .collect();
    let after_words: Vec<String> = sentence[span.end..]
        .split_whitespace()
        .take(3)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’').to_string())
        .collect();
    let prev = before_words.first().map(String::as_str).unwrap_or("");
    let next = after_words.first().map(String::as_str).unwrap_or("");
    let next_lower = next.to_lowercase();

    // Wrapped in brackets on its own: "(2)" numbers a list inline.
    let open = sentence[..span.start].trim_end().ends_with('(');
    let close = sentence[span.end..].trim_start().starts_with(')');
    if open && close {
        return false;
    }
    if REFERENCES.contains(&prev) || (prev.len() == 1 && prev.chars().all(|c| c.is_ascii_uppercase())) {
        return false;
    }
    if is_year(&amount.digits) && amount.scale.is_none() {
        let counted_noun = next.chars().next().is_some_and(char::is_lowercase)
            && next_lower.ends_with('s')
            && !matches!(next_lower.as_str(), "was" | "is" | "has" | "as" | "its" | "this" | "saw" | "sees");
        if YEAR_WORDS.contains(&prev) || !counted_noun || sentence[..span.start].trim_end().ends_with(['(', '’', '\'']) {
            return false;
        }
    }
    if FURNITURE.contains(&next_lower.as_str()) || (matches!(next_lower.as_str(), "min" | "minute" | "minutes" | "mins") && after_words.get(1).is_some_and(|w| w.eq_ignore_ascii_case("read"))) {
        return false;
    }
    if TIME_UNITS.contains(&next_lower.as_str()) {
        let measured = before_words.iter().any(|w| matches!(w.as_str(), "average" | "median" | "mean" | "typically" | "took" | "takes" | "taking" | "dwell"));
        if !measured {
            return false;
        }
    }
    if next.chars().next().is_some_and(char::is_uppercase) && after_words.iter().take(2).any(|w| STREETS.contains(&w.to_lowercase().as_str())) {
        return false;
    }
    // "the 1990s" and ages in words ("in their 20s") are blocked by the letter after the digits.
    true
}

/// Words that end a label: a new clause, a comparison, a source.
const LABEL_STOPS: &[&str] = &[
    "and", "but", "while", "whilst", "whereas", "which", "who", "whom", "according", "compared", "since", "although",
    "though", "because", "when", "where", "after", "before", "despite", "than", "up", "down",
    "warned", "its", "as", "this",
    "including", "like", "such", "following", "amid",
];
/// Small words a label does not end on.
const TRAILING: &[&str] = &[
    "the", "a", "an", "of", "in", "on", "to", "for", "by", "at", "with", "from", "and", "or", "as", "its", "their", "our",
    "his", "her", "was", "were", "is", "are", "be", "been", "being", "has", "have", "had", "reached", "totalled",
    "totaled", "totalling", "stood", "hit", "saw", "seen", "see", "sees", "estimated", "some", "about", "around",
    "nearly", "almost", "just", "only", "roughly", "approximately", "more", "less", "than", "over", "under", "rising",
    "falling", "which", "of which", "that", "who", "it", "they", "we", "we’ve", "we've", "there", "what", "all", "also",
];
/// Words that start the phrase after a figure without saying what it counts.
const VERBISH: &[&str] = &["were", "was", "is", "are", "have", "has", "had", "will", "would", "could", "can", "may", "might", "said", "say", "says", "do", "did", "does"];
const PREPOSITIONS: &[&str] = &["on", "in", "to", "for", "from", "at", "by", "with", "into", "against", "over", "across", "per", "a", "each", "between"];

fn label(sentence: &str, figure: &Figure, figures: &[Range<usize>], periods: &[(Range<usize>, String)]) -> String {
    let after = phrase_after(sentence, figure, figures, periods);
    let before = phrase_before(sentence, figure, figures, periods);
    let first_after = after.split_whitespace().next().unwrap_or("").to_lowercase();
    let content_words = |s: &str| s.split_whitespace().filter(|w| !TRAILING.contains(&w.to_lowercase().as_str())).count();
    // "30% overall": an adverb alone says nothing of what is counted.
    let adverb = after.split_whitespace().count() == 1
        && (first_after.ends_with("ly") || matches!(first_after.as_str(), "overall" | "altogether" | "alone" | "apiece" | "each" | "in" | "total"));
    let label = if after.is_empty() || (VERBISH.contains(&first_after.as_str()) || adverb) && content_words(&before) >= 2 {
        before
    } else if PREPOSITIONS.contains(&first_after.as_str()) && content_words(&before) >= 1 {
        format!("{before} {after}")
    } else {
        after
    };
    let label = label.trim_matches(|c: char| c.is_whitespace() || "\"“”‘’'()[],;:–—-".contains(c)).to_string();
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Up to sixteen words after the figure, to the end of its clause.
fn phrase_after(sentence: &str, figure: &Figure, figures: &[Range<usize>], periods: &[(Range<usize>, String)]) -> String {
    let mut start = figure.span.end;
    let rest = &sentence[start..];
    let trimmed = rest.trim_start();
    start += rest.len() - trimmed.len();
    if matches!(figure.kind, Kind::Percent | Kind::Ratio | Kind::Range) {
        if let Some(stripped) = trimmed.strip_prefix("of ") {
            start += trimmed.len() - stripped.len();
        }
    }
    let limit = figures
        .iter()
        .map(|r| r.start)
        .chain(periods.iter().map(|(r, _)| r.start))
        .filter(|&s| s >= start)
        .min()
        .unwrap_or(sentence.len());
    // The bracket a ratio restates itself in is not part of the label.
    let text = match &figure.hidden {
        Some(h) if h.start >= start && h.end <= limit => format!("{} {}", &sentence[start..h.start], &sentence[h.end..limit]),
        _ => sentence[start..limit].to_string(),
    };
    let mut words: Vec<&str> = Vec::new();
    for word in text.split_whitespace() {
        let lower = word.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        // "19 countries have dismantled …": the verb starts what is said about them.
        let verb = !words.is_empty() && VERBISH.contains(&lower.as_str());
        if word.starts_with(['(', '“', '"', '–', '—', '[']) || word == "-" || LABEL_STOPS.contains(&lower.as_str()) || verb {
            break;
        }
        let ends_clause = word.ends_with([',', ';', ':', '.', '!', '?', ')', '”', '"']) && !word.ends_with("...");
        words.push(word);
        if ends_clause || words.len() >= 16 {
            break;
        }
    }
    trim_trailing(&words)
}

/// The words before the figure, back to the start of its clause.
fn phrase_before(sentence: &str, figure: &Figure, figures: &[Range<usize>], periods: &[(Range<usize>, String)]) -> String {
    let end = figure.span.start;
    let mut start = sentence[..end].rfind([',', ';', ':', '(', ')', '–', '—', '“', '”', '"']).map_or(0, |i| i + sentence[i..].chars().next().map_or(1, char::len_utf8));
    for r in figures.iter().chain(periods.iter().map(|(r, _)| r)) {
        if r.end <= end && r.end > start {
            start = r.end;
        }
    }
    let words: Vec<&str> = sentence[start..end].split_whitespace().collect();
    let words = &words[words.len().saturating_sub(14)..];
    trim_trailing(words)
}

fn trim_trailing(words: &[&str]) -> String {
    let mut words: Vec<&str> = words.to_vec();
    while let Some(last) = words.last() {
        let lower = last.trim_matches(|c: char| !c.is_alphanumeric() && c != '’' && c != '\'').to_lowercase();
        if TRAILING.contains(&lower.as_str()) || lower.is_empty() {
            words.pop();
        } else {
            break;
        }
    }
    while let Some(first) = words.first() {
        let lower = first.to_lowercase();
        if matches!(lower.as_str(), "of" | "which" | "and" | "but" | "while" | "that" | "a" | "an") {
            words.remove(0);
        } else {
            break;
        }
    }
    words.join(" ").trim_end_matches([',', ';', ':', '.', '!', '?']).to_string()
}

/// Up or down, from the words around the figure ("a 35 per cent increase", "fell by 8%").
fn direction(sentence: &str, span: &Range<usize>) -> Option<Direction> {
    const UP: &[&str] = &["increase", "increased", "increases", "increasing", "rise", "rose", "risen", "rising", "up", "grew", "grown", "growth", "jump", "jumped", "surge", "surged", "soared", "higher", "doubled", "climbed"];
    const DOWN: &[&str] = &["decrease", "decreased", "decreases", "fall", "fell", "fallen", "falling", "drop", "dropped", "decline", "declined", "down", "lower", "reduction", "reduced", "cut", "shrank"];
    let window = |text: &str, take_last: bool| -> Vec<String> {
        let words: Vec<String> = text.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase()).collect();
        if take_last {
            words[words.len().saturating_sub(4)..].to_vec()
        } else {
            words.into_iter().take(2).collect()
        }
    };
    let near: Vec<String> = window(&sentence[..span.start], true).into_iter().chain(window(&sentence[span.end..], false)).collect();
    let up = near.iter().any(|w| UP.contains(&w.as_str()));
    let down = near.iter().any(|w| DOWN.contains(&w.as_str()));
    match (up, down) {
        (true, false) => Some(Direction::Up),
        (false, true) => Some(Direction::Down),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<(String, f64)> {
        propose(text).into_iter().map(|p| (p.display, p.value)).collect()
    }

    fn displays(text: &str) -> Vec<String> {
        propose(text).into_iter().map(|p| p.display).collect()
    }

    fn one(text: &str) -> StatisticProposal {
        let all = propose(text);
        assert_eq!(all.len(), 1, "{all:#?}");
        all.into_iter().next().unwrap()
    }

    #[test]
    fn percentages() {
        assert_eq!(found("Arrests rose by 35 per cent."), [("35%".to_string(), 35.0)]);
        assert_eq!(found("Of those, 43% reported an attack."), [("43%".to_string(), 43.0)]);
        assert_eq!(found("Less than 1% of reports led to a charge."), [("<1%".to_string(), 1.0)]);
        assert_eq!(found("It rose 4.5 percent."), [("4.5%".to_string(), 4.5)]);
        assert_eq!(found("Only five per cent of firms had a plan."), [("5%".to_string(), 5.0)]);
        assert_eq!(found("Take-up rose by 3 percentage points."), [("3pp".to_string(), 3.0)]);
    }

    #[test]
    fn counts() {
        assert_eq!(found("Police disrupted 19 late-stage attack plots."), [("19".to_string(), 19.0)]);
        assert_eq!(found("There were 1,727 reports."), [("1,727".to_string(), 1727.0)]);
        assert_eq!(found("There were 1727 reports."), [("1,727".to_string(), 1727.0)]);
        assert_eq!(found("Some 2000 businesses replied."), [("~2,000".to_string(), 2000.0)]);
        assert_eq!(found("More than 2 million people were affected."), [(">2m".to_string(), 2_000_000.0)]);
    }

    #[test]
    fn money() {
        assert_eq!(found("Fines totalled €4.2 million."), [("€4.2m".to_string(), 4_200_000.0)]);
        assert_eq!(found("Losses reached $16.6 billion."), [("$16.6bn".to_string(), 16_600_000_000.0)]);
        assert_eq!(found("Each breach cost £3,000 on average."), [("£3,000".to_string(), 3000.0)]);
        assert_eq!(found("Victims lost £2.3bn."), [("£2.3bn".to_string(), 2_300_000_000.0)]);
        assert_eq!(found("They paid US$5m."), [("US$5m".to_string(), 5_000_000.0)]);
        assert_eq!(found("The fund is worth 40 million euros."), [("€40m".to_string(), 40_000_000.0)]);
    }

    #[test]
    fn ratios() {
        assert_eq!(found("One in five schools was hit."), [("1 in 5".to_string(), 20.0)]);
        assert_eq!(found("Four in ten (43%) businesses reported a breach."), [("43%".to_string(), 43.0)]);
        assert_eq!(found("Fewer than 1 in 10 have a security lead."), [("<1 in 10".to_string(), 10.0)]);
        assert_eq!(found("Two-thirds of staff reused passwords."), [("2 in 3".to_string(), 66.67)]);
        assert!(found("The first quarter of 2025 was quiet.").is_empty());
    }

    #[test]
    fn ranges() {
        assert_eq!(found("Ransoms ranged from $100 to $1 million."), [("$100–$1m".to_string(), 100.0)]);
        assert_eq!(found("Between 20% and 30% of staff clicked."), [("20–30%".to_string(), 20.0)]);
        assert_eq!(found("Prices rose 10-15% overall."), [("10–15%".to_string(), 10.0)]);
        assert!(found("From 2020 to 2024 the agency grew.").is_empty());
    }

    #[test]
    fn labels_are_the_articles_words() {
        let p = one("Since the start of 2020, MI5 and the police have disrupted 19 late-stage attack plots – state threats are escalating.");
        assert_eq!(p.label, "Late-stage attack plots");
        assert_eq!(p.period.as_deref(), Some("since the start of 2020"));
        let p = one("He says: “In the last year we’ve seen a 35 per cent increase in the number of individuals we’re investigating for involvement in state threat activity.");
        assert_eq!(p.label, "Increase in the number of individuals we’re investigating for involvement in state threat activity");
        assert_eq!(p.period.as_deref(), Some("in the last year"));
        assert_eq!(p.direction, Some(Direction::Up));
        let p = one("Ransomware attacks on schools rose by 43% in the year to August 2025, according to the NCSC.");
        assert_eq!(p.label, "Ransomware attacks on schools rose");
        assert_eq!(p.period.as_deref(), Some("in the year to August 2025"));
        let p = one("Four in ten (43%) businesses reported a breach or attack in the last 12 months.");
        assert_eq!(p.label, "Businesses reported a breach or attack");
        assert_eq!(p.period.as_deref(), Some("in the last 12 months"));
    }

    #[test]
    fn the_sentence_is_quoted_exactly() {
        let text = "Fraud is up. Reports rose by 12% in 2024, police said. Dr. Lee agreed.";
        let p = one(text);
        assert_eq!(p.sentence, "Reports rose by 12% in 2024, police said.");
        assert_eq!(p.period.as_deref(), Some("in 2024"));
    }

    #[test]
    fn phone_numbers_are_not_statistics() {
        for text in ["Call Action Fraud on 0300 123 2040.", "Ring +44 20 7946 0000 today.", "Dial (555) 123-4567 now.",
            "Call 999 in an emergency, or 101 otherwise.", "Call the anti-terrorist hotline on 0800 789 321."] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn dates_and_years_are_not_statistics() {
        for text in ["In 2019 the sector was rarely mentioned.", "On 16 October 2025 he spoke.", "It was published Oct 16, 2025.",
            "The 2025-10-16 update.", "Since 9/11 the threat has changed.", "By 2030 most firms will use AI.",
            "The 1990s were different.", "It opens at 10:30 or 9am.", "The 2024/25 financial year.", "It happened on the 16th."] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn furniture_and_names_are_not_statistics() {
        for text in ["261 Shares", "10 minutes read", "5 min read", "MI5 and GCHQ met.", "COVID-19 changed work.",
            "Windows 11 is affected.", "5G masts were attacked.", "CVE-2024-3400 was exploited.", "See Section 4 of the Act.",
            "Step 2 is to back up.", "Our top 10 tips.", "A 15-year-old was arrested.", "He was aged 15.",
            "Over the last 12 months it changed.", "It is open 24/7.", "He lives at 10 Downing Street.", "Version 2.1.3 fixed it."] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
    }

    #[test]
    fn list_numbering_footnotes_and_navigation_are_not_statistics() {
        let md = "1. Keep offline backups.\n2. Turn on MFA.\n\nLosses rose.[1] Costs grew.[^2] Fines fell.¹\n\n\
                  - [5 ways to protect your school](/news/5-ways)\n- [NHS trust breach exposed 1.2 million records](/news/x)\n\n\
                  ## 43% of firms hit\n\n| Year | Cases |\n|---|---|\n| 2024 | 347 |\n";
        assert!(displays(md).is_empty(), "{:?}", displays(md));
    }

    #[test]
    fn rows_of_data_are_not_statements() {
        let row = (1..40).map(|n| (n * 7).to_string()).collect::<Vec<_>>().join(" ");
        assert!(found(&format!("Counts: {row}.")).is_empty());
    }

    #[test]
    fn a_figure_quoted_twice_is_proposed_once() {
        assert_eq!(displays("Attacks rose 43%.\n\nThe 43% rise alarmed heads."), ["43%"]);
    }

    #[test]
    fn sentences_split_at_full_stops_but_not_abbreviations() {
        assert_eq!(sentences("Mr. Smith met Dr. Jones. They spoke at 3.5 p.m. about the U.S. and e.g. fraud. “It is bad.” He left."),
            ["Mr. Smith met Dr. Jones.", "They spoke at 3.5 p.m. about the U.S. and e.g. fraud.", "“It is bad.”", "He left."]);
    }

    #[test]
    fn markdown_is_read_as_plain_text() {
        assert_eq!(plain("A **bold** [link](https://x.org) and _it_ \\- snake_case `code`![img](a.png)"), "A bold link and it - snake_case code");
        assert_eq!(prose_blocks("# Head\n\nPara one\ncontinues.\n\n> Quote\n\n- item\n\n```\ncode 123\n```\n"), ["Para one continues.", "Quote", "item"]);
    }
}
