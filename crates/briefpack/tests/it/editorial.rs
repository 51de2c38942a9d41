//! The editorial checks, one fixture pack per rule (`tests/fixtures/packs/editorial-*`),
//! each checked for what it should report, where, and what it should not;
//! the settings that raise or silence a rule; and what the templates print
//! for them (the reading time, the probability yardstick, the key to grades).

use std::path::PathBuf;
use std::sync::OnceLock;

use briefpack::diagnostic::{Diagnostic, Severity};
use briefpack::fonts::FontSet;
use briefpack::pack::{self, store, Editorial, RuleLevel};
use briefpack::render::pack_to_pdf;

use crate::common::{copy_pack, example_pack, fixtures};
use crate::pdf_check::Pdf;

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::bundled().unwrap())
}

fn fixture(name: &str) -> PathBuf {
    fixtures().join("packs").join(name)
}

fn check(name: &str) -> Vec<Diagnostic> {
    briefpack::check::check(&fixture(name), fonts())
}

/// The diagnostics whose message contains `needle`.
fn with<'a>(diagnostics: &'a [Diagnostic], needle: &str) -> Vec<&'a Diagnostic> {
    diagnostics.iter().filter(|d| d.message.contains(needle)).collect()
}

/// The one diagnostic whose message contains `needle`.
fn one<'a>(diagnostics: &'a [Diagnostic], needle: &str) -> &'a Diagnostic {
    match with(diagnostics, needle).as_slice() {
        [d] => d,
        other => panic!("{} diagnostics contain {needle:?}: {diagnostics:#?}", other.len()),
    }
}

/// File name, line, column, field and severity of a diagnostic.
fn place(d: &Diagnostic) -> (String, usize, usize, Option<&str>, Severity) {
    (d.file.file_name().unwrap().to_string_lossy().into_owned(), d.line, d.column, d.field.as_deref(), d.severity)
}

#[test]
fn the_example_pack_is_clean_under_the_editorial_rules() {
    let diagnostics = briefpack::check::check(&example_pack(), fonts());
    assert!(diagnostics.is_empty(), "{diagnostics:#?}");
}

#[test]
fn rule_1_a_bottom_line_over_its_budget_says_by_how_much() {
    let diagnostics = check("editorial-bottom-line");
    let d = one(&diagnostics, "The bottom line is 296 words, 46 over its budget of 250");
    assert_eq!(place(d), ("pack.toml".into(), 9, 11, Some("summary"), Severity::Warning));
    assert!(d.hint.as_deref().unwrap().contains("summary_words under [editorial]"), "{d:?}");
    // Only the length is wrong with this pack.
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
}

#[test]
fn rule_2_long_sentences_are_quoted_where_they_are() {
    let diagnostics = check("editorial-long-sentences");
    let summary = one(&diagnostics, "A sentence in the bottom line is 39 words long, over the limit of 30: “Our partnership agreements with overseas universities were written before the …”");
    assert_eq!(place(summary), ("pack.toml".into(), 11, 1, Some("summary"), Severity::Warning));
    let recommendation = one(&diagnostics, "A sentence in recommendation 1 is 35 words long");
    assert_eq!(place(recommendation), ("pack.toml".into(), 29, 9, Some("recommendations[1].text"), Severity::Warning));
    let note = one(&diagnostics, "A sentence in the why-it-matters note of “Universities warned over hostile state recruitment” is 43 words long");
    assert_eq!(place(note), ("trusted-research.md".into(), 5, 1, Some("why_it_matters"), Severity::Warning));
    // The quotation in the bottom line and the article's own text are other people's sentences.
    assert_eq!(with(&diagnostics, "words long").len(), 3, "{diagnostics:#?}");
}

#[test]
fn rule_3_probability_words_off_the_yardstick_get_the_nearest_term() {
    let diagnostics = check("editorial-probability-words");
    let expect = [
        ("“could” in the bottom line", "“realistic possibility” (40–50%)", "pack.toml", 11, "summary"),
        ("“possibly” in the bottom line", "“realistic possibility” (40–50%)", "pack.toml", 11, "summary"),
        ("“very likely” in the bottom line", "“highly likely” (80–90%)", "pack.toml", 12, "summary"),
        ("“a good chance” in recommendation 1", "“likely or probably” (55–75%)", "pack.toml", 29, "recommendations[1].text"),
        ("“doubtful” in the why-it-matters note", "“unlikely” (25–35%)", "edge-devices.md", 4, "why_it_matters"),
        ("“almost definitely” in key point 1", "“almost certain” (95–100%)", "edge-devices.md", 5, "key_points[1]"),
    ];
    for (words, nearest, file, line, field) in expect {
        let d = one(&diagnostics, words);
        assert!(d.message.contains(nearest), "{d:?}");
        assert_eq!((place(d).0.as_str(), d.line, d.field.as_deref()), (file, line, Some(field)), "{d:?}");
    }
    // "may well" is in quotation marks; "highly likely" and "unlikely" are on the yardstick;
    // "perhaps" and "could possibly" in the article's body are the article's.
    assert_eq!(with(&diagnostics, "does not say how likely").len(), expect.len(), "{diagnostics:#?}");
    assert!(with(&diagnostics, "may well").is_empty() && with(&diagnostics, "“perhaps”").is_empty());
}

#[test]
fn rule_4_figures_in_prose_must_be_statistics() {
    let diagnostics = check("editorial-unsourced-figures");
    let money = one(&diagnostics, "£4.2 million appears in the bottom line but is not one of the pack's statistics: add it as a statistic so it gets a source");
    assert_eq!(place(money), ("pack.toml".into(), 11, 77, Some("summary"), Severity::Warning));
    assert!(money.hint.as_deref().unwrap().contains("value = 4200000, display = \"£4.2m\""), "{money:?}");
    let staff = one(&diagnostics, "2,000 appears in the why-it-matters note of “MI5 annual threat update”");
    assert_eq!(place(staff), ("threat-update.md".into(), 4, 29, Some("why_it_matters"), Severity::Warning));
    // 35 per cent and 19 are statistics; 2020 and 12 months are not figures; the body's 4,000 is the article's.
    assert_eq!(with(&diagnostics, "is not one of the pack's statistics").len(), 2, "{diagnostics:#?}");
}

#[test]
fn rule_5_actions_need_an_owner_and_a_date_ahead() {
    let diagnostics = check("editorial-actions");
    let owner = one(&diagnostics, "Recommendation 2 has no owner: say who acts in Owner");
    assert_eq!(place(owner), ("pack.toml".into(), 22, 1, Some("recommendations[2].owner"), Severity::Warning));
    let due = one(&diagnostics, "Recommendation 3 has no due date: say by when in Due");
    assert_eq!(place(due).3, Some("recommendations[3].due"));
    let late = one(&diagnostics, "Recommendation 4 is due on 30 September 2025, before the pack's own date (3 November 2025)");
    assert_eq!(place(late), ("pack.toml".into(), 33, 7, Some("recommendations[4].due"), Severity::Warning));
    assert_eq!(with(&diagnostics, "Recommendation 1").len(), 0, "{diagnostics:#?}");
    assert_eq!(diagnostics.len(), 3, "{diagnostics:#?}");
}

#[test]
fn rule_6_weakly_graded_key_figures_are_flagged_and_the_notes_carry_the_key() {
    let diagnostics = check("editorial-weak-sources");
    let forum = one(&diagnostics, "The key figure “Records claimed stolen on a criminal forum” is graded E3 (an unreliable source; possibly true)");
    assert_eq!(place(forum), ("pack.toml".into(), 20, 9, Some("statistics[1].grade"), Severity::Warning));
    one(&diagnostics, "The key figure “Share of sector firms already breached” is graded B5 (a usually reliable source; improbable)");
    assert_eq!(with(&diagnostics, "is graded").len(), 2, "A1 is fine and F6 is no key figure: {diagnostics:#?}");

    let pdf = Pdf::parse(&pack_to_pdf(&fixture("editorial-weak-sources"), None, None, fonts()).unwrap().output.pdf);
    let text = pdf.page_texts().join("\n").split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("Graded E3") && text.contains("Graded A1"), "{text}");
    assert!(text.contains("Grades (Admiralty system): source A completely reliable"), "{text}");
    let example = Pdf::parse(&pack_to_pdf(&example_pack(), None, None, fonts()).unwrap().output.pdf);
    assert!(!example.page_texts().join(" ").contains("Admiralty"), "no grades, no key");
}

#[test]
fn rule_7_the_reading_time_is_on_the_board_briefings_cover_and_in_the_build() {
    let board = pack_to_pdf(&example_pack(), None, None, fonts()).unwrap();
    let words: usize = {
        let loaded = pack::load(&example_pack()).unwrap().pack;
        let template = briefpack::template::find("board-briefing", &[]).unwrap();
        let markdown = template.render(&loaded, None).unwrap().markdown;
        briefpack::markdown::prose(&markdown).iter().map(|p| briefpack::prose::word_count(&p.text)).sum()
    };
    let minutes = words.div_ceil(200) as u32;
    assert!(minutes >= 2, "{words} words");
    assert_eq!(board.output.reading_minutes, minutes);
    let cover = Pdf::parse(&board.output.pdf).page_texts()[0].split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(cover.contains(&format!("Date 20 October 2025 Reading time About {minutes} minutes Prepared by")), "{cover}");
    // The training handout does not print it, but the app still shows it beside the page count.
    let handout = pack_to_pdf(&example_pack(), Some("training-handout"), Some("participant"), fonts()).unwrap();
    assert!(!Pdf::parse(&handout.output.pdf).page_texts()[0].contains("Reading time"));
    assert!(handout.output.reading_minutes >= 1);
}

#[test]
fn the_board_briefing_draws_the_yardstick_when_the_pack_uses_its_terms() {
    let template = briefpack::template::find("board-briefing", &[]).unwrap();
    let uses = pack::load(&fixture("editorial-probability-words")).unwrap().pack;
    let output = template.render(&uses, None).unwrap();
    assert!(output.markdown.contains("```yardstick\n```"), "{}", output.markdown);
    let yardstick = output.embeds.yardstick.expect("the yardstick's data");
    let used: Vec<&str> = yardstick.terms.iter().filter(|t| t.used).map(|t| t.name.as_str()).collect();
    assert_eq!(used, ["Unlikely", "Highly likely"]);
    assert_eq!(yardstick.terms.len(), 7);
    let text = Pdf::parse(&pack_to_pdf(&fixture("editorial-probability-words"), None, None, fonts()).unwrap().output.pdf).page_texts().join(" ");
    for words in ["How likely: the probability yardstick", "Remote chance", "Realistic possibility", "40–50%", "Almost certain", "95–100%", "Terms in bold are used in this pack"] {
        assert!(text.contains(words), "{words} missing from {text}");
    }
    // A pack that uses no yardstick term gets no yardstick.
    let example = pack::load(&example_pack()).unwrap().pack;
    let output = template.render(&example, None).unwrap();
    assert!(output.embeds.yardstick.is_none() && !output.markdown.contains("```yardstick"));
}

#[test]
fn a_pack_or_its_template_raises_or_silences_each_rule() {
    let diagnostics = check("editorial-settings");
    // The template's budget (20 words), not the default 250.
    one(&diagnostics, "The bottom line is 27 words, 7 over its budget of 20");
    // The pack made probability words an error, so check fails.
    let could = one(&diagnostics, "“could” in the bottom line");
    assert_eq!(could.severity, Severity::Error);
    assert_eq!(one(&diagnostics, "“possibly” in the bottom line").severity, Severity::Error);
    // The pack turned long sentences off (the template's 12-word limit would flag the bottom line).
    assert!(with(&diagnostics, "words long").is_empty(), "{diagnostics:#?}");
    // The template turned the actions rule off.
    assert!(with(&diagnostics, "has no owner").is_empty(), "{diagnostics:#?}");
}

#[test]
fn editorial_settings_survive_a_save_that_changes_something_else() {
    let (_temp, dir) = copy_pack(&fixture("editorial-settings"));
    let before = std::fs::read_to_string(dir.join("pack.toml")).unwrap();
    let mut loaded = pack::load(&dir).map(|l| l.pack).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        loaded.meta.editorial,
        Some(Editorial { long_sentences: Some(RuleLevel::Off), probability_words: Some(RuleLevel::Error), ..Editorial::default() })
    );
    loaded.meta.title = "Settings, renamed".into();
    loaded.meta.editorial.as_mut().unwrap().summary_words = Some(300);
    store::save_pack(&dir, &loaded).unwrap();
    let after = std::fs::read_to_string(dir.join("pack.toml")).unwrap();
    // The new key goes where the format puts it, first in the table.
    assert!(after.contains("[editorial]\nsummary_words = 300\nlong_sentences = \"off\"\nprobability_words = \"error\"\n"), "{after}");
    // Everything else, comments included, is as it was.
    let unchanged = |text: &str| text.lines().filter(|l| !l.starts_with("title") && !l.starts_with("summary_words")).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(unchanged(&before), unchanged(&after));
    assert_eq!(pack::load(&dir).unwrap().pack.meta.editorial.unwrap().summary_words, Some(300));
}

#[test]
fn a_misspelt_setting_is_an_error_at_its_line() {
    let (_temp, dir) = copy_pack(&fixture("editorial-settings"));
    let text = std::fs::read_to_string(dir.join("pack.toml")).unwrap().replace("long_sentences = \"off\"", "long_sentence = \"of\"");
    std::fs::write(dir.join("pack.toml"), text).unwrap();
    let diagnostics = pack::check(&dir);
    let d = diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert_eq!((d.line, d.field.as_deref()), (27, Some("editorial.long_sentence")), "{d:?}");
    assert!(d.to_string().contains("long_sentence") && d.to_string().contains("long_sentences"), "{d}");
}

#[test]
fn images_without_a_description_are_reported_at_the_image_and_can_be_made_errors() {
    let (_temp, pack) = copy_pack(&example_pack());
    std::fs::write(pack.join("chart.png"), crate::common::png(60, 40)).unwrap();
    let article = pack.join("articles/mi5-annual-threat-update.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, format!("{text}\n![](chart.png)\n\n![Investigations by year](chart.png)\n")).unwrap();
    let diagnostics = briefpack::check::check(&pack, fonts());
    let found = one(&diagnostics, "has no description");
    assert_eq!(found.severity, Severity::Warning);
    assert!(found.file.ends_with("articles/mi5-annual-threat-update.md"), "{found:?}");
    let line = found.line;
    assert!(line > 0, "located at its line");
    assert_eq!(std::fs::read_to_string(&article).unwrap().lines().nth(line - 1).map(str::trim), Some("![](chart.png)"));
    assert!(found.hint.as_deref().is_some_and(|h| h.contains("![what the image shows](chart.png)")));

    let toml = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    std::fs::write(pack.join("pack.toml"), format!("{toml}\n[editorial]\nimage_descriptions = \"error\"\n")).unwrap();
    assert_eq!(one(&briefpack::check::check(&pack, fonts()), "has no description").severity, Severity::Error);
}
