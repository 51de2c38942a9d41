//! The editorial checks: can directors act on the pack?
//!
//! Six rules from intelligence writing and plain English, each reported in
//! plain words at the field (or the sentence) it is about, with the change to
//! make in the file as the hint:
//!
//! 1. **bottom line**: the summary within its word budget (default 250);
//! 2. **long sentences**: sentences of the summary, why-it-matters notes and
//!    recommendations within the word limit (default 30; GOV.UK advises 25);
//! 3. **probability words**: estimative words that are not on the PHIA
//!    yardstick ("possibly", "could", "a good chance"), with the nearest term;
//! 4. **unsourced figures**: numbers in the summary or a why-it-matters note
//!    that are none of the pack's statistics, so they have no source note;
//! 5. **actions**: recommendations without an owner or a due date, or due
//!    before the pack's own date;
//! 6. **weak sources**: key figures from a source graded E or F, or
//!    information graded 5 or 6.
//!
//! The seventh, the reading time, is printed rather than checked
//! ([`crate::template::reading_minutes`]). Each rule is a warning unless the
//! pack's `[editorial]` table or the template's `[template.editorial]` makes it
//! an error or turns it off; limits come from the same tables. The rules read
//! only the pack's own prose ([`Pack::authored`]), never the articles' bodies,
//! which quote other people; quoted passages in the pack's prose are left alone
//! by the probability rule for the same reason.

use std::path::Path;

use crate::diagnostic::{Diagnostic, Severity};
use crate::markdown::Prose;
use crate::pack::{AdmiraltyGrade, Authored, AuthoredKind, Editorial, FieldLocator, Pack, RuleLevel, Statistic};
use crate::prose::figures::{figures, Figure};
use crate::prose::{sentences, word_count, yardstick};
use crate::template::{long_date, TemplateInfo, TemplateOutput};

/// The bottom line's word budget when neither the pack nor the template sets one.
pub const DEFAULT_SUMMARY_WORDS: u32 = 250;
/// The longest sentence, in words, when neither the pack nor the template sets one.
pub const DEFAULT_SENTENCE_WORDS: u32 = 30;

/// One editorial rule, named as its setting is in `[editorial]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    BottomLine,
    LongSentences,
    ProbabilityWords,
    UnsourcedFigures,
    Actions,
    WeakSources,
    ImageDescriptions,
}

impl Rule {
    /// The rule's key in `[editorial]`.
    fn key(self) -> &'static str {
        match self {
            Rule::BottomLine => "bottom_line",
            Rule::LongSentences => "long_sentences",
            Rule::ProbabilityWords => "probability_words",
            Rule::UnsourcedFigures => "unsourced_figures",
            Rule::Actions => "actions",
            Rule::WeakSources => "weak_sources",
            Rule::ImageDescriptions => "image_descriptions",
        }
    }

    fn level_in(self, settings: &Editorial) -> Option<RuleLevel> {
        match self {
            Rule::BottomLine => settings.bottom_line,
            Rule::LongSentences => settings.long_sentences,
            Rule::ProbabilityWords => settings.probability_words,
            Rule::UnsourcedFigures => settings.unsourced_figures,
            Rule::Actions => settings.actions,
            Rule::WeakSources => settings.weak_sources,
            Rule::ImageDescriptions => settings.image_descriptions,
        }
    }
}

/// The settings in force: the pack's, else the template's, else the defaults.
struct Settings<'a> {
    pack: Option<&'a Editorial>,
    template: &'a Editorial,
}

impl Settings<'_> {
    fn severity(&self, rule: Rule) -> Option<Severity> {
        let level = self.pack.and_then(|p| rule.level_in(p)).or_else(|| rule.level_in(self.template)).unwrap_or_default();
        match level {
            RuleLevel::Off => None,
            RuleLevel::Warning => Some(Severity::Warning),
            RuleLevel::Error => Some(Severity::Error),
        }
    }

    fn summary_words(&self) -> u32 {
        self.pack.and_then(|p| p.summary_words).or(self.template.summary_words).unwrap_or(DEFAULT_SUMMARY_WORDS)
    }

    fn sentence_words(&self) -> u32 {
        self.pack.and_then(|p| p.sentence_words).or(self.template.sentence_words).unwrap_or(DEFAULT_SENTENCE_WORDS)
    }
}

/// Collects one rule's problems, located, with the hint saying how to change the rule.
struct Report<'a> {
    locator: FieldLocator,
    settings: Settings<'a>,
    out: Vec<Diagnostic>,
}

impl Report<'_> {
    /// Reports `message` under `rule` at `words` in `field` of `article` (or pack.toml), if the rule is on.
    fn add(&mut self, rule: Rule, article: Option<&str>, field: &str, words: &str, message: String, fix: String) {
        let Some(severity) = self.settings.severity(rule) else { return };
        let hint = format!("{fix}; {} = \"off\" under [editorial] in pack.toml turns this check off", rule.key());
        self.out.push(self.locator.at_words(article, severity, field, words, message).with_hint(hint));
    }
}

/// The editorial problems of `pack` as the template `info` sets the rules
/// and `output` (what the template showed) lets them be judged.
pub(crate) fn check(pack_dir: &Path, pack: &Pack, info: &TemplateInfo, output: &TemplateOutput) -> Vec<Diagnostic> {
    let mut report = Report { locator: FieldLocator::read(pack_dir), settings: Settings { pack: pack.meta.editorial.as_ref(), template: &info.editorial }, out: Vec::new() };
    let authored = pack.authored();
    bottom_line(&authored, &mut report);
    long_sentences(&authored, &mut report);
    probability_words(&authored, &mut report);
    unsourced_figures(&authored, &pack.statistics, &mut report);
    actions(pack, &mut report);
    weak_sources(pack, output, &mut report);
    image_descriptions(pack, &mut report);
    report.out
}

/// Images in articles without alternative text: a screen reader can only say
/// "image", and the PDF leaves them out of what it reads.
fn image_descriptions(pack: &Pack, report: &mut Report<'_>) {
    fn undescribed<'b>(blocks: &'b [crate::markdown::Block], out: &mut Vec<&'b str>) {
        use crate::markdown::Block;
        for block in blocks {
            match block {
                Block::Image { url, alt } if alt.trim().is_empty() => out.push(url),
                Block::Quote(inner) | Block::Alert { blocks: inner, .. } => undescribed(inner, out),
                Block::List { items, .. } => items.iter().for_each(|item| undescribed(&item.blocks, out)),
                _ => {}
            }
        }
    }
    for (id, article) in &pack.articles {
        let document = crate::markdown::parse(&article.body);
        let mut images = Vec::new();
        undescribed(&document.blocks, &mut images);
        for url in images {
            report.add(
                Rule::ImageDescriptions,
                Some(id),
                "body",
                &format!("![]({url})"),
                format!("The image {url} in “{}” has no description, so a screen reader cannot say what it shows", article.meta.title),
                format!("describe it between the brackets: ![what the image shows]({url})"),
            );
        }
    }
}

/// A field's paragraphs as plain text.
fn paragraphs(field: &Authored<'_>) -> Vec<Prose> {
    crate::markdown::prose(field.text)
}

/// "Recommendation 2" from "recommendation 2": a name at the start of a sentence.
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// The first words of a sentence, to quote it: "MI5’s annual threat update reports a …".
fn opening(sentence: &str) -> String {
    let words: Vec<&str> = sentence.split_whitespace().collect();
    if words.len() <= 10 {
        sentence.to_string()
    } else {
        format!("{} …", words[..10].join(" "))
    }
}

/// Rule 1: the bottom line within its word budget.
fn bottom_line(authored: &[Authored<'_>], report: &mut Report<'_>) {
    let budget = report.settings.summary_words();
    for field in authored.iter().filter(|f| f.kind == AuthoredKind::Summary) {
        let words: usize = paragraphs(field).iter().map(|p| word_count(&p.text)).sum();
        if words > budget as usize {
            report.add(
                Rule::BottomLine,
                None,
                &field.field,
                "",
                format!("The bottom line is {words} words, {} over its budget of {budget}: cut it to what the board must know, and leave the detail to the articles", words - budget as usize),
                "shorten summary in pack.toml, or set summary_words under [editorial]".into(),
            );
        }
    }
}

/// Rule 2: no sentence of the summary, a why-it-matters note or a recommendation over the limit.
fn long_sentences(authored: &[Authored<'_>], report: &mut Report<'_>) {
    let limit = report.settings.sentence_words() as usize;
    let checked = [AuthoredKind::Summary, AuthoredKind::WhyItMatters, AuthoredKind::Recommendation];
    for field in authored.iter().filter(|f| checked.contains(&f.kind)) {
        for paragraph in paragraphs(field).iter().filter(|p| !p.quoted) {
            for sentence in sentences(&paragraph.text) {
                let words = word_count(sentence);
                if words > limit {
                    report.add(
                        Rule::LongSentences,
                        field.article,
                        &field.field,
                        sentence,
                        format!("A sentence in {} is {words} words long, over the limit of {limit}: “{}”; split it, so a director reads it once", field.name, opening(sentence)),
                        format!("split it in {} (GOV.UK advises at most 25 words), or raise sentence_words under [editorial]", field.field),
                    );
                }
            }
        }
    }
}

/// Rule 3: probability said with words that have a range.
fn probability_words(authored: &[Authored<'_>], report: &mut Report<'_>) {
    let terms = yardstick::YARDSTICK.iter().map(|t| format!("{} ({})", t.name, t.range())).collect::<Vec<_>>().join(", ");
    for field in authored {
        // Each word once per field, with how often it appears.
        let mut found: Vec<(String, yardstick::OffYardstick, usize)> = Vec::new();
        for paragraph in paragraphs(field).iter().filter(|p| !p.quoted) {
            for off in yardstick::off_yardstick(&paragraph.text) {
                let key = off.words.to_lowercase();
                match found.iter_mut().find(|(k, _, _)| *k == key) {
                    Some((_, _, count)) => *count += 1,
                    None => found.push((key, off, 1)),
                }
            }
        }
        for (_, off, count) in found {
            let times = if count > 1 { format!(" (it appears {count} times)") } else { String::new() };
            report.add(
                Rule::ProbabilityWords,
                field.article,
                &field.field,
                &off.words,
                format!(
                    "“{}” in {} does not say how likely{times}: readers will each take it differently. Use a term from the probability yardstick instead, such as “{}” ({})",
                    off.words,
                    field.name,
                    off.nearest.name,
                    off.nearest.range()
                ),
                format!("reword {} with one of the yardstick's terms: {terms}", field.field),
            );
        }
    }
}

/// Whether `figure` (as written in prose) is `statistic`.
fn is_statistic(figure: &Figure, statistic: &Statistic) -> bool {
    let close = (figure.value - statistic.value).abs() <= (statistic.value.abs() * 0.001).max(1e-9);
    let plain = |text: &str| text.to_lowercase().chars().filter(|c| !"+−-–~<>≥≤ ".contains(*c)).collect::<String>();
    close || plain(&figure.display) == plain(&statistic.display_text())
}

/// Rule 4: every figure the bottom line and the why-it-matters notes state is a statistic with a source.
fn unsourced_figures(authored: &[Authored<'_>], statistics: &[Statistic], report: &mut Report<'_>) {
    let checked = [AuthoredKind::Summary, AuthoredKind::WhyItMatters];
    for field in authored.iter().filter(|f| checked.contains(&f.kind)) {
        let mut reported: Vec<String> = Vec::new();
        for paragraph in paragraphs(field) {
            for sentence in sentences(&paragraph.text) {
                for figure in figures(sentence) {
                    if statistics.iter().any(|s| is_statistic(&figure, s)) || reported.contains(&figure.display) {
                        continue;
                    }
                    reported.push(figure.display.clone());
                    let written = sentence[figure.span.clone()].trim();
                    report.add(
                        Rule::UnsourcedFigures,
                        field.article,
                        &field.field,
                        written,
                        format!("{} appears in {} but is not one of the pack's statistics: add it as a statistic so it gets a source", capitalised(written), field.name),
                        format!("add a [[statistics]] table to pack.toml with value = {}, display = \"{}\", source and as_of, or take the figure out", crate::numbers::format_number(figure.value).replace(',', ""), figure.display),
                    );
                }
            }
        }
    }
}

/// Rule 5: every recommendation has an owner and a date the board can still meet.
fn actions(pack: &Pack, report: &mut Report<'_>) {
    let pack_date = pack.meta.date;
    for (i, r) in pack.recommendations.iter().enumerate() {
        if r.text.trim().is_empty() {
            continue; // already an error: the recommendation is empty
        }
        let n = i + 1;
        if r.owner.as_deref().is_none_or(|o| o.trim().is_empty()) {
            report.add(
                Rule::Actions,
                None,
                &format!("recommendations[{n}].owner"),
                "",
                format!("Recommendation {n} has no owner: say who acts in Owner"),
                "owner = \"…\" in the recommendation's [[recommendations]] table in pack.toml".into(),
            );
        }
        match r.due {
            None => report.add(
                Rule::Actions,
                None,
                &format!("recommendations[{n}].due"),
                "",
                format!("Recommendation {n} has no due date: say by when in Due"),
                "due = YYYY-MM-DD in the recommendation's [[recommendations]] table in pack.toml".into(),
            ),
            Some(due) if due < pack_date => report.add(
                Rule::Actions,
                None,
                &format!("recommendations[{n}].due"),
                "",
                format!("Recommendation {n} is due on {}, before the pack's own date ({}): give a date the board can still meet in Due", long_date(due), long_date(pack_date)),
                format!("due = YYYY-MM-DD after {pack_date} in the recommendation's [[recommendations]] table in pack.toml"),
            ),
            Some(_) => {}
        }
    }
}

/// What an Admiralty grade says, in words: "unreliable source; improbable".
fn grade_meaning(grade: AdmiraltyGrade) -> String {
    let source = match grade.source {
        'A' => "a completely reliable source",
        'B' => "a usually reliable source",
        'C' => "a fairly reliable source",
        'D' => "a source not usually reliable",
        'E' => "an unreliable source",
        _ => "a source whose reliability cannot be judged",
    };
    let information = match grade.information {
        1 => "confirmed",
        2 => "probably true",
        3 => "possibly true",
        4 => "doubtful",
        5 => "improbable",
        _ => "its truth cannot be judged",
    };
    format!("{source}; {information}")
}

/// Rule 6: no key figure from a source graded E or F, or information graded 5 or 6.
fn weak_sources(pack: &Pack, output: &TemplateOutput, report: &mut Report<'_>) {
    for (i, statistic) in pack.statistics.iter().enumerate() {
        let Some(grade) = statistic.grade else { continue };
        let weak = matches!(grade.source, 'E' | 'F') || grade.information >= 5;
        // Key figures are the cards (on the cover or in the key-figures section): read as fact at a glance.
        if weak && output.embeds.cards.contains_key(&statistic.id) {
            report.add(
                Rule::WeakSources,
                None,
                &format!("statistics[{}].grade", i + 1),
                "",
                format!(
                    "The key figure “{}” is graded {grade} ({}), but key figures are read as fact: corroborate it from a better source, or show it in the text with its grade instead",
                    statistic.label,
                    grade_meaning(grade)
                ),
                "change grade once the figure is corroborated, or leave it out of the key-figures section's statistics list".into(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_match_statistics_by_value_or_as_printed() {
        let stat = |value: f64, display: &str| Statistic {
            id: "s".into(),
            label: "x".into(),
            value,
            display: Some(display.into()),
            direction: None,
            period: None,
            as_of: None,
            source: None,
            source_url: None,
            grade: None,
            series: Vec::new(),
            marking: None,
        };
        let first = |text: &str| figures(text).into_iter().next().unwrap();
        assert!(is_statistic(&first("a 35 per cent rise"), &stat(35.0, "+35%")));
        assert!(is_statistic(&first("losses of £4.2 million"), &stat(4.2, "£4.2m")));
        assert!(!is_statistic(&first("a 36 per cent rise"), &stat(35.0, "+35%")));
    }

    #[test]
    fn openings_quote_ten_words() {
        assert_eq!(opening("One two three."), "One two three.");
        assert_eq!(opening("a b c d e f g h i j k l"), "a b c d e f g h i j …");
    }
}
