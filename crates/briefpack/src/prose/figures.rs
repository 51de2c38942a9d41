//! Figures in a sentence: percentages, counts, money, ratios and ranges, as
//! people write them, and the numbers that are not figures.
//!
//! What is found:
//! - percentages: "35 per cent", "43%", "less than 1%", "five per cent";
//! - counts: "19 late-stage attack plots", "1,727", "1727";
//! - money: "€4.2 million" (€4.2m), "$16.6 billion" ($16.6bn), "£3,000";
//! - ratios: "one in five" (1 in 5), "four in ten (43%)" (43%), "two-thirds of";
//! - ranges: "$100 to $1 million" ($100–$1m), "between 20% and 30%".
//!
//! What is not: phone numbers, dates and years on their own, times, page
//! furniture ("261 Shares", "10 minutes read"), numbers that are part of a name
//! ("MI5", "COVID-19", "9/11", "Windows 11"), references ("Section 4", "Step 2",
//! "Top 10"), ages and durations ("aged 15", "12 months"). Numbers in words are
//! read only in ratios and percentages, where they are unambiguous. The
//! importer proposes these figures as statistics; `check` looks for them in a
//! pack's own prose to ask that each be a sourced statistic.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::numbers::format_number;

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

/// What kind of figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// "35%", "3pp".
    Percent,
    /// "1,727".
    Count,
    /// "€4.2m".
    Money,
    /// "1 in 5".
    Ratio,
    /// "$100–$1m", "20–30%".
    Range,
}

/// A figure found in a sentence: where it is, how it reads, what it is worth.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Where it is in the sentence, with its qualifier ("more than") and unit.
    pub span: Range<usize>,
    /// A part of the sentence the figure also accounts for: the "(20%)" of "one in five charities (20%)".
    pub hidden: Option<Range<usize>>,
    /// How it is printed: "35%", "€4.2m", "1 in 5", "<1%", "$100–$1m".
    pub display: String,
    /// The number: a percentage for percentages and ratios, the full amount for money, the lower bound of a range.
    pub value: f64,
    /// What kind of figure.
    pub kind: Kind,
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

/// The figures a sentence states, in order: ratios and ranges first (they
/// hold numbers of their own), then single percentages, amounts and counts,
/// leaving out phone numbers, dates, times, addresses and period phrases.
pub fn figures(sentence: &str) -> Vec<Figure> {
    if sentence.len() > MAX_SENTENCE_BYTES {
        return Vec::new();
    }
    let mut masked: Vec<Range<usize>> = masks(sentence);
    masked.extend(periods(sentence).into_iter().map(|(r, _)| r));
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
    let mut kept: Vec<Figure> = Vec::with_capacity(figures.len());
    let mut previous_was_a_limit = false;
    for figure in figures {
        // "fines of up to £18m or 5% of worldwide revenue": the second limit goes with the first.
        let joined = sentence[..figure.span.start].trim_end().to_lowercase().ends_with(" or");
        let limit = is_threshold_or_limit(sentence, &figure) || (previous_was_a_limit && joined);
        previous_was_a_limit = limit;
        if !limit {
            kept.push(figure);
        }
    }
    kept
}

/// Whether a figure sets a rule rather than measures something: a threshold
/// ("200 or more people", "firms with more than 250 employees", "an income
/// under £100,000") or a legal maximum ("fines of up to £18m").
fn is_threshold_or_limit(sentence: &str, figure: &Figure) -> bool {
    static OR_MORE: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"(?i)^\s*(?:or|and)\s+(?:more|fewer|less|over|above|under|below|older|younger|higher|lower)\b|^\s*\+|^\s*plus\b").unwrap());
    const CLASSIFIED_BY: &[&str] = &["with", "income", "incomes", "turnover", "revenue", "revenues", "budget", "budgets", "aged"];
    const PENALTIES: &[&str] = &["fine", "fines", "fined", "penalty", "penalties", "sentence", "sentences", "jail", "prison", "imprisonment", "compensation"];
    if OR_MORE.is_match(&sentence[figure.span.end..]) {
        return true;
    }
    let before: Vec<String> = sentence[..figure.span.start]
        .split_whitespace()
        .rev()
        .take(4)
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase())
        .collect();
    match figure.display.chars().next() {
        Some('<' | '>') => before.first().is_some_and(|w| CLASSIFIED_BY.contains(&w.as_str())),
        Some('≤') => before.iter().any(|w| PENALTIES.contains(&w.as_str())),
        _ => false,
    }
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

/// Time phrases and where they are: "since the start of 2020", "in the last year",
/// "in the year to August 2025" (lower-cased at the head of a sentence).
pub fn periods(sentence: &str) -> Vec<(Range<usize>, String)> {
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
pub(crate) fn tail(text: &str) -> (usize, &str) {
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
    // "2,000 staff": a number written with a thousands separator is never a year.
    if is_year(&amount.digits) && amount.scale.is_none() && !sentence[span.clone()].contains(',') {
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


#[cfg(test)]
mod tests {
    use super::*;

    /// The figures in `text` (a sentence or a few) as (display, value).
    fn found(text: &str) -> Vec<(String, f64)> {
        crate::prose::sentences(text).into_iter().flat_map(figures).map(|f| (f.display, f.value)).collect()
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
        assert_eq!(found("We employ 2,000 staff."), [("2,000".to_string(), 2000.0)]);
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
    fn thresholds_and_legal_limits_are_not_statistics() {
        for text in ["Venues that can hold 200 or more people must plan.", "Firms with more than 250 employees were twice as likely to.",
            "Among charities with an income under £100,000, few had plans.", "It can issue fines of up to £18m or 5% of worldwide revenue.",
            "Savers aged 65 or over were targeted."] {
            assert!(found(text).is_empty(), "{text}: {:?}", found(text));
        }
        assert_eq!(found("Large firms reported costs of up to £2.1 million."), [("≤£2.1m".to_string(), 2_100_000.0)]);
        assert_eq!(found("Losses rose to more than £2.3bn."), [(">£2.3bn".to_string(), 2_300_000_000.0)]);
    }

    #[test]
    fn rows_of_data_are_not_statements() {
        let row = (1..40).map(|n| (n * 7).to_string()).collect::<Vec<_>>().join(" ");
        assert!(found(&format!("Counts: {row}.")).is_empty());
    }
}
