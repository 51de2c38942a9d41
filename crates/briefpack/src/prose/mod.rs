//! Prose as the editorial checks and the importer read it: sentences, words,
//! the figures a sentence states ([`figures`]) and probability language
//! ([`yardstick`]).
//!
//! The plain text of Markdown comes from [`crate::markdown::prose`] (comrak's
//! tree: one entry per paragraph, syntax removed). Everything here works on
//! that plain text, for any stage that reads what people wrote.

pub mod figures;
pub mod yardstick;

/// Plain text of every paragraph of Markdown `text`, one paragraph a line.
pub fn plain_text(text: &str) -> String {
    crate::markdown::prose(text).into_iter().map(|p| p.text).collect::<Vec<_>>().join("\n")
}

/// The number of words in plain `text` (runs of letters or digits, so "state-threat" is one and "—" none).
pub fn word_count(text: &str) -> usize {
    text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_at_full_stops_but_not_abbreviations() {
        assert_eq!(sentences("Mr. Smith met Dr. Jones. They spoke at 3.5 p.m. about the U.S. and e.g. fraud. “It is bad.” He left."),
            ["Mr. Smith met Dr. Jones.", "They spoke at 3.5 p.m. about the U.S. and e.g. fraud.", "“It is bad.”", "He left."]);
    }

    #[test]
    fn words_are_counted_as_people_count_them() {
        assert_eq!(word_count("A state-threat rise — 35 per cent."), 6);
        assert_eq!(plain_text("# Head\n\nPara one\ncontinues.\n\n> Quote\n\n- item\n\n```\ncode 123\n```\n"), "Para one continues.\nQuote\nitem");
    }
}
