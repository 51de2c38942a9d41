//! Probability language: the PHIA yardstick and the estimative words that are not on it.
//!
//! The UK Professional Head of Intelligence Analysis (PHIA) probability
//! yardstick gives seven terms fixed ranges, so "likely" means 55–75% to every
//! reader. Words such as "possibly", "could" or "a good chance" have no range:
//! one director reads 20%, another 70%. [`off_yardstick`] finds those words
//! (each with the nearest yardstick term to use instead) and [`terms_used`]
//! finds the yardstick terms a text uses, so a template can draw the scale.
//!
//! Matching is by whole words, any case, longest phrase first: "highly likely"
//! is one term, not "likely"; "very likely" is off the yardstick.

use std::ops::Range;

/// One term of the yardstick, with its range in per cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Term {
    /// As the yardstick writes it ("realistic possibility").
    pub name: &'static str,
    /// The lower end of its range, per cent.
    pub low: u8,
    /// The upper end, per cent.
    pub high: u8,
}

impl Term {
    /// "40–50%", or "≈0–5%" for the remote chance (the yardstick's own "≈").
    pub fn range(&self) -> String {
        let approx = if self.low == 0 { "≈" } else { "" };
        format!("{approx}{}–{}%", self.low, self.high)
    }
}

/// The PHIA probability yardstick, least likely first.
pub const YARDSTICK: [Term; 7] = [
    Term { name: "remote chance", low: 0, high: 5 },
    Term { name: "highly unlikely", low: 10, high: 20 },
    Term { name: "unlikely", low: 25, high: 35 },
    Term { name: "realistic possibility", low: 40, high: 50 },
    Term { name: "likely or probably", low: 55, high: 75 },
    Term { name: "highly likely", low: 80, high: 90 },
    Term { name: "almost certain", low: 95, high: 100 },
];

/// How each yardstick term may be written, with the index of its term.
const ON_YARDSTICK: &[(&str, usize)] = &[
    ("remote chance", 0),
    ("highly unlikely", 1),
    ("unlikely", 2),
    ("realistic possibility", 3),
    ("likely", 4),
    ("probably", 4),
    ("probable", 4),
    ("highly likely", 5),
    ("almost certain", 6),
    ("almost certainly", 6),
];

/// Estimative words with no agreed range, each with the nearest yardstick term (its index).
const OFF_YARDSTICK: &[(&str, usize)] = &[
    ("possibly", 3),
    ("perhaps", 3),
    ("maybe", 3),
    ("may well", 4),
    ("could", 3),
    ("a good chance", 4),
    ("good chance", 4),
    ("a strong chance", 4),
    ("very likely", 5),
    ("very unlikely", 1),
    ("almost definitely", 6),
    ("doubtful", 2),
];

/// An estimative word that is not on the yardstick, where it is in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffYardstick {
    /// Byte range of the words in the text.
    pub at: Range<usize>,
    /// The words as the text has them ("Possibly").
    pub words: String,
    /// The yardstick term nearest in meaning.
    pub nearest: Term,
}

/// The estimative words in `text` that are not on the yardstick, in order.
/// Words inside quotation marks are someone else's and are left alone, and so
/// is "could not" (what someone was unable to do, not how likely something is).
pub fn off_yardstick(text: &str) -> Vec<OffYardstick> {
    let quoted = quoted_spans(text);
    phrases(text)
        .into_iter()
        .filter(|(at, _, _)| !quoted.iter().any(|q| q.start <= at.start && at.end <= q.end))
        .filter_map(|(at, on, index)| (!on).then_some((at, index)))
        .filter(|(at, _)| !negated_ability(text, at))
        .map(|(at, index)| OffYardstick { words: text[at.clone()].to_string(), at, nearest: YARDSTICK[index] })
        .collect()
}

/// The yardstick terms `text` uses (indices into [`YARDSTICK`]), each once, in yardstick order.
pub fn terms_used(text: &str) -> Vec<usize> {
    let mut used: Vec<usize> = phrases(text).into_iter().filter_map(|(_, on, index)| on.then_some(index)).collect();
    used.sort_unstable();
    used.dedup();
    used
}

/// Every estimative phrase in `text`: (where, on the yardstick?, term index), longest phrase first at each word.
fn phrases(text: &str) -> Vec<(Range<usize>, bool, usize)> {
    let words = words(text);
    let lower: Vec<String> = words.iter().map(|r| text[r.clone()].to_lowercase().replace('’', "'")).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let mut best: Option<(usize, bool, usize)> = None;
        for (phrase, on, index) in ON_YARDSTICK.iter().map(|(p, i)| (p, true, *i)).chain(OFF_YARDSTICK.iter().map(|(p, i)| (p, false, *i))) {
            let parts: Vec<&str> = phrase.split(' ').collect();
            let matches = parts.len() <= words.len() - i && parts.iter().zip(&lower[i..]).all(|(p, w)| p == w);
            if matches && best.is_none_or(|(n, _, _)| parts.len() > n) {
                best = Some((parts.len(), on, index));
            }
        }
        match best {
            Some((n, on, index)) => {
                out.push((words[i].start..words[i + n - 1].end, on, index));
                i += n;
            }
            None => i += 1,
        }
    }
    out
}

/// The words of `text` (letters, digits, apostrophes and hyphens inside words) as byte ranges.
fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let is_word = |c: char| c.is_alphanumeric() || c == '\'' || c == '’' || c == '-';
    for (at, c) in text.char_indices() {
        match (start, is_word(c)) {
            (None, true) => start = Some(at),
            (Some(s), false) => {
                out.push(s..at);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..text.len());
    }
    out
}

/// "could not", "could n't", "couldn't": what someone was unable to do.
fn negated_ability(text: &str, at: &Range<usize>) -> bool {
    let word = text[at.clone()].to_lowercase();
    word == "could" && text[at.end..].trim_start().to_lowercase().starts_with("not")
}

/// Spans between quotation marks (“…”, "…"): someone else's words.
fn quoted_spans(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut open: Option<(usize, char)> = None;
    for (at, c) in text.char_indices() {
        match (open, c) {
            (None, '“') => open = Some((at, '”')),
            (None, '"') => open = Some((at, '"')),
            (Some((start, close)), c) if c == close => {
                out.push(start..at + c.len_utf8());
                open = None;
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn off(text: &str) -> Vec<(String, &'static str)> {
        off_yardstick(text).into_iter().map(|o| (o.words, o.nearest.name)).collect()
    }

    #[test]
    fn words_off_the_yardstick_get_the_nearest_term() {
        assert_eq!(off("Attackers could possibly return."), [("could".into(), "realistic possibility"), ("possibly".into(), "realistic possibility")]);
        assert_eq!(off("It is very likely, and a good chance, almost definitely."), [
            ("very likely".into(), "highly likely"),
            ("a good chance".into(), "likely or probably"),
            ("almost definitely".into(), "almost certain")
        ]);
        assert_eq!(off("Perhaps. It may well happen; recovery is doubtful."), [
            ("Perhaps".into(), "realistic possibility"),
            ("may well".into(), "likely or probably"),
            ("doubtful".into(), "unlikely")
        ]);
    }

    #[test]
    fn yardstick_terms_are_fine_and_found() {
        let text = "It is highly likely, and almost certainly state-backed; a further attack is unlikely but a realistic possibility.";
        assert!(off(text).is_empty(), "{:?}", off(text));
        assert_eq!(terms_used(text), [2, 3, 5, 6]);
        assert_eq!(terms_used("Likely. Probably."), [4]);
        assert!(terms_used("The likelihood is unclear.").is_empty());
    }

    #[test]
    fn quotations_and_inability_are_left_alone() {
        assert!(off("He said “we could not say, possibly never”. We could not reach them.").is_empty());
        assert_eq!(off("The \"possibly\" in the speech aside, it could rise."), [("could".into(), "realistic possibility")]);
    }

    #[test]
    fn ranges_read_as_the_yardstick_writes_them() {
        assert_eq!(YARDSTICK[0].range(), "≈0–5%");
        assert_eq!(YARDSTICK[4].range(), "55–75%");
    }
}
