//! Figures stated as facts, found sentence by sentence, each with its label,
//! period and the exact sentence it came from.
//!
//! The article's prose comes from [`crate::markdown::prose`] (comrak's tree),
//! its sentences from [`crate::prose::sentences`] and the figures in each from
//! [`crate::prose::figures`]; this module adds what a proposal needs besides.
//!
//! What is proposed and what is not is [`crate::prose::figures`]'s rule, read
//! only in prose: nothing in a heading, a table, a code block or a paragraph
//! that is only a link (navigation to another article), no list numbering and
//! no footnote markers.
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
use crate::pack::Direction;
use crate::prose::figures::{figures, periods, tail, Figure, Kind};
use crate::prose::sentences;

/// Finds the figures in a Markdown body and proposes each once, in order.
pub fn propose(markdown: &str) -> Vec<StatisticProposal> {
    let mut out: Vec<StatisticProposal> = Vec::new();
    for paragraph in crate::markdown::prose(markdown) {
        for sentence in sentences(&paragraph.text) {
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

fn in_sentence(sentence: &str) -> Vec<StatisticProposal> {
    let figures = figures(sentence);
    if figures.is_empty() {
        return Vec::new();
    }
    let periods = periods(sentence);
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
        // A figure the sentence says nothing about ("417" on a line of its own) is not a statement of fact.
        if label.is_empty() {
            continue;
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

    fn displays(text: &str) -> Vec<String> {
        propose(text).into_iter().map(|p| p.display).collect()
    }

    fn one(text: &str) -> StatisticProposal {
        let all = propose(text);
        assert_eq!(all.len(), 1, "{all:#?}");
        all.into_iter().next().unwrap()
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
    fn list_numbering_footnotes_and_navigation_are_not_statistics() {
        let md = "1. Keep offline backups.\n2. Turn on MFA.\n\nLosses rose.[1] Costs grew.[^2] Fines fell.¹\n\n\
                  - [5 ways to protect your school](/news/5-ways)\n- [NHS trust breach exposed 1.2 million records](/news/x)\n\n\
                  ## 43% of firms hit\n\n| Year | Cases |\n|---|---|\n| 2024 | 347 |\n";
        assert!(displays(md).is_empty(), "{:?}", displays(md));
    }

    #[test]
    fn a_figure_quoted_twice_is_proposed_once() {
        assert_eq!(displays("Attacks rose 43%.\n\nThe 43% rise alarmed heads."), ["43%"]);
    }

}
