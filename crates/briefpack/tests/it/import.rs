//! Import: saved pages (`tests/fixtures/import/*`) against hand-made expectations.
//!
//! Each fixture `NAME.html|txt|md` has `NAME.expected.json`: title, byline,
//! date, the statistics a careful reader would propose (matched by value and
//! display), the organisations named, and text the body must and must not
//! hold. Fixtures marked `"held_out": true` were written after the extractor
//! was tuned and count only towards the evaluation totals.
//!
//! `cargo test -p briefpack --test it import::evaluation -- --nocapture`
//! prints precision and recall per file and in total.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use briefpack::import::{self, add_to_pack, AcceptOptions, ImportError, Imported};
use briefpack::pack::{self, store};
use serde_json::Value;

use crate::common::{copy_pack, example_pack, fixtures};

struct Case {
    page: PathBuf,
    expected: Value,
    imported: Imported,
}

impl Case {
    fn name(&self) -> String {
        self.page.file_name().unwrap().to_string_lossy().into_owned()
    }

    fn held_out(&self) -> bool {
        self.expected["held_out"].as_bool().unwrap_or(false)
    }

    fn expected_statistics(&self) -> Vec<(String, f64)> {
        self.expected["statistics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| (s["display"].as_str().unwrap().to_string(), s["value"].as_f64().unwrap()))
            .collect()
    }

    fn found_statistics(&self) -> Vec<(String, f64)> {
        self.imported.statistics.iter().map(|s| (s.display.clone(), s.value)).collect()
    }

    fn expected_organisations(&self) -> Vec<String> {
        self.expected["organisations"].as_array().unwrap().iter().map(|o| o.as_str().unwrap().to_string()).collect()
    }

    fn found_organisations(&self) -> Vec<String> {
        self.imported.organisations.iter().map(|o| o.name.clone()).collect()
    }
}

fn cases() -> Vec<Case> {
    cases_in(&fixtures().join("import"))
}

fn cases_in(dir: &Path) -> Vec<Case> {
    pages_in(dir)
        .into_iter()
        .map(|page| {
            let stem = page.file_stem().unwrap().to_string_lossy().into_owned();
            let expected_path = dir.join(format!("{stem}.expected.json"));
            let expected: Value = serde_json::from_str(&std::fs::read_to_string(&expected_path).unwrap_or_else(|_| panic!("{} has no {}", page.display(), expected_path.display()))).unwrap();
            let bytes = import::read_file(&page).unwrap();
            let imported = import::import(&page, &bytes).unwrap_or_else(|e| panic!("{e}"));
            Case { page, expected, imported }
        })
        .collect()
}

fn same(a: &(String, f64), b: &(String, f64)) -> bool {
    a.0 == b.0 && (a.1 - b.1).abs() < 0.005
}

/// (true positives, proposed, expected) for one list matched by `eq`.
fn score<T>(found: &[T], expected: &[T], eq: impl Fn(&T, &T) -> bool) -> (usize, usize, usize) {
    let hits = found.iter().filter(|f| expected.iter().any(|e| eq(f, e))).count();
    (hits, found.len(), expected.len())
}

fn ratio(hits: usize, of: usize) -> f64 {
    if of == 0 {
        1.0
    } else {
        hits as f64 / of as f64
    }
}

#[test]
fn there_are_enough_fixtures() {
    let cases = cases();
    let html = cases.iter().filter(|c| c.name().ends_with(".html")).count();
    let text = cases.iter().filter(|c| c.name().ends_with(".txt")).count();
    let without = cases.iter().filter(|c| c.expected_statistics().is_empty()).count();
    assert!(cases.len() >= 13 && html >= 4 && text >= 4 && without >= 3, "{} fixtures ({html} html, {text} txt, {without} without statistics)", cases.len());
}

#[test]
fn every_fixture_meets_its_expectations() {
    let mut failures = Vec::new();
    for case in cases().iter() {
        let name = case.name();
        let got = &case.imported;
        let mut fail = |what: String| failures.push(format!("{name}: {what}"));
        for (field, value) in [("title", got.title.clone()), ("byline", got.byline.clone()), ("date", got.date.map(|d| d.to_string()))] {
            let want = case.expected[field].as_str().map(str::to_string);
            if want != value {
                fail(format!("{field} is {value:?}, expected {want:?}"));
            }
        }
        let (found, expected) = (case.found_statistics(), case.expected_statistics());
        for f in found.iter().filter(|f| !expected.iter().any(|e| same(f, e))) {
            let p = got.statistics.iter().find(|s| s.display == f.0).unwrap();
            fail(format!("proposed {} ({}) that is not expected: “{}”", f.0, f.1, p.sentence));
        }
        for e in expected.iter().filter(|e| !found.iter().any(|f| same(f, e))) {
            fail(format!("missed {} ({})", e.0, e.1));
        }
        for want in case.expected["statistics"].as_array().unwrap() {
            let Some(p) = got.statistics.iter().find(|s| Some(s.display.as_str()) == want["display"].as_str()) else { continue };
            if let Some(period) = want.get("period") {
                if period.as_str() != p.period.as_deref() {
                    fail(format!("{} has period {:?}, expected {period}", p.display, p.period));
                }
            }
            if let Some(words) = want["label_contains"].as_str() {
                if !p.label.to_lowercase().contains(&words.to_lowercase()) {
                    fail(format!("{} has label {:?}, expected it to contain {words:?}", p.display, p.label));
                }
            }
        }
        if case.found_organisations() != case.expected_organisations() {
            fail(format!("organisations {:?}, expected {:?}", case.found_organisations(), case.expected_organisations()));
        }
        for text in case.expected["body_contains"].as_array().unwrap() {
            if !got.body_markdown.contains(text.as_str().unwrap()) {
                fail(format!("body lacks {text}"));
            }
        }
        for text in case.expected["body_excludes"].as_array().unwrap() {
            if got.body_markdown.contains(text.as_str().unwrap()) {
                fail(format!("body still holds {text}"));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn every_proposal_quotes_a_sentence_of_the_body() {
    for case in cases() {
        let body = briefpack::prose::plain_text(&case.imported.body_markdown);
        for p in &case.imported.statistics {
            assert!(body.contains(&p.sentence), "{}: “{}” is not in the body", case.name(), p.sentence);
            assert!(!p.label.is_empty(), "{}: {} has no label", case.name(), p.display);
        }
        for o in &case.imported.organisations {
            assert!(o.url.starts_with("https://"), "{}", o.url);
        }
    }
}

/// Precision and recall of statistics and organisations, and metadata accuracy, per file and in total.
#[test]
fn evaluation() {
    let cases = cases();
    let (mut stats, mut orgs) = ((0, 0, 0), (0, 0, 0));
    let (mut meta_right, mut meta_total) = (0, 0);
    let mut held = (0, 0, 0);
    println!("\n{:<44} {:>9} {:>9} {:>9} {:>9}  meta", "fixture", "stat P", "stat R", "org P", "org R");
    for case in &cases {
        let s = score(&case.found_statistics(), &case.expected_statistics(), same);
        let o = score(&case.found_organisations(), &case.expected_organisations(), |a, b| a == b);
        let got = &case.imported;
        let meta = [
            case.expected["title"].as_str().map(str::to_string) == got.title,
            case.expected["byline"].as_str().map(str::to_string) == got.byline,
            case.expected["date"].as_str().map(str::to_string) == got.date.map(|d| d.to_string()),
        ];
        let right = meta.iter().filter(|m| **m).count();
        println!(
            "{:<44} {:>4}/{:<4} {:>4}/{:<4} {:>4}/{:<4} {:>4}/{:<4}  {right}/3{}",
            case.name(),
            s.0, s.1, s.0, s.2, o.0, o.1, o.0, o.2,
            if case.held_out() { "  (held out)" } else { "" }
        );
        stats = (stats.0 + s.0, stats.1 + s.1, stats.2 + s.2);
        orgs = (orgs.0 + o.0, orgs.1 + o.1, orgs.2 + o.2);
        if case.held_out() {
            held = (held.0 + s.0, held.1 + s.1, held.2 + s.2);
        }
        meta_right += right;
        meta_total += 3;
    }
    let (sp, sr) = (ratio(stats.0, stats.1), ratio(stats.0, stats.2));
    let (op, or) = (ratio(orgs.0, orgs.1), ratio(orgs.0, orgs.2));
    println!(
        "TOTAL ({} files): statistics precision {:.1}% recall {:.1}%; organisations precision {:.1}% recall {:.1}%; title/byline/date {:.1}%",
        cases.len(), sp * 100.0, sr * 100.0, op * 100.0, or * 100.0, ratio(meta_right, meta_total) * 100.0
    );
    if held.1 + held.2 > 0 {
        println!("held-out files only: statistics precision {:.1}% recall {:.1}%", ratio(held.0, held.1) * 100.0, ratio(held.0, held.2) * 100.0);
    }
    assert!(sp >= 0.9 && sr >= 0.9, "statistics precision {sp:.3}, recall {sr:.3}: the target is 90% each");
    assert!(op == 1.0 && or == 1.0, "organisations precision {op:.3}, recall {or:.3}: the target is 100%");
}

/// The held-out sets (`tests/fixtures/import-heldout/`), written by someone who had
/// not seen the extractor and scored before any change was made for them. Printed,
/// not asserted (except organisations, which the directory must name): it measures
/// how the importer does on pages unlike its fixtures. Each batch (`heldout2-…`,
/// `heldout3-…`) is reported on its own, then all together; a page the importer
/// refuses counts as finding nothing.
#[test]
fn held_out_evaluation() {
    let dir = fixtures().join("import-heldout");
    let pages = pages_in(&dir);
    assert!(pages.len() >= 22, "{} held-out pages", pages.len());
    let mut batches: Vec<String> = pages.iter().map(|p| batch_of(p)).collect();
    batches.dedup();
    let mut all = HeldOut::default();
    for batch in &batches {
        let mut score = HeldOut::default();
        for page in pages.iter().filter(|p| batch_of(p) == *batch) {
            let expected = expected_for(&dir, page);
            let result = import::import(page, &import::read_file(page).unwrap());
            let line = score.add(page, &expected, result.as_ref().map_err(ToString::to_string));
            println!("{line}");
        }
        println!("{}", score.summary(batch));
        all.merge(&score);
    }
    println!("{}", all.summary("HELD OUT, all"));
    // The directory must name every organisation a held-out page names.
    assert_eq!(all.orgs, (all.orgs.2, all.orgs.2, all.orgs.2), "organisations on held-out pages must be 100%: {}", all.summary("all"));
}

/// The batch a held-out page belongs to: its name up to the first `-` (`heldout3`).
fn batch_of(page: &Path) -> String {
    page.file_name().unwrap().to_string_lossy().split('-').next().unwrap_or("").to_string()
}

fn pages_in(dir: &Path) -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("html" | "txt" | "md")))
        .collect();
    pages.sort();
    pages
}

fn expected_for(dir: &Path, page: &Path) -> Value {
    let stem = page.file_stem().unwrap().to_string_lossy().into_owned();
    let path = dir.join(format!("{stem}.expected.json"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} has no {}", page.display(), path.display()))).unwrap()
}

/// Running totals for held-out pages.
#[derive(Default)]
struct HeldOut {
    pages: usize,
    refused: usize,
    /// (found and expected, found, expected)
    stats: (usize, usize, usize),
    orgs: (usize, usize, usize),
    meta: usize,
    titles: usize,
    bylines: usize,
    sources: usize,
    body_kept: (usize, usize),
    boilerplate_gone: (usize, usize),
}

impl HeldOut {
    /// Scores one page; returns its line for the report.
    fn add(&mut self, page: &Path, expected: &Value, result: Result<&Imported, String>) -> String {
        self.pages += 1;
        let name = page.file_name().unwrap().to_string_lossy().into_owned();
        let expected_stats: Vec<(String, f64)> =
            expected["statistics"].as_array().unwrap().iter().map(|s| (s["display"].as_str().unwrap().to_string(), s["value"].as_f64().unwrap())).collect();
        let expected_orgs: Vec<String> = expected["organisations"].as_array().unwrap().iter().map(|o| o.as_str().unwrap().to_string()).collect();
        let texts = |key: &str| expected[key].as_array().map(|a| a.iter().filter_map(|t| t.as_str().map(str::to_string)).collect::<Vec<_>>()).unwrap_or_default();
        let (must, must_not) = (texts("body_contains"), texts("body_excludes"));
        let imported = match result {
            Ok(imported) => imported,
            Err(message) => {
                self.refused += 1;
                self.stats.2 += expected_stats.len();
                self.orgs.2 += expected_orgs.len();
                self.body_kept.1 += must.len();
                self.boilerplate_gone.1 += must_not.len();
                return format!("  {name:<48} REFUSED: {message}");
            }
        };
        let found_stats: Vec<(String, f64)> = imported.statistics.iter().map(|s| (s.display.clone(), s.value)).collect();
        let found_orgs: Vec<String> = imported.organisations.iter().map(|o| o.name.clone()).collect();
        let s = score(&found_stats, &expected_stats, same);
        let o = score(&found_orgs, &expected_orgs, |a, b| a == b);
        self.stats = (self.stats.0 + s.0, self.stats.1 + s.1, self.stats.2 + s.2);
        self.orgs = (self.orgs.0 + o.0, self.orgs.1 + o.1, self.orgs.2 + o.2);
        let title = expected["title"].as_str().map(str::to_string) == imported.title;
        let byline = expected["byline"].as_str().map(str::to_string) == imported.byline;
        let date = expected["date"].as_str().map(str::to_string) == imported.date.map(|d| d.to_string());
        self.meta += [title, byline, date].iter().filter(|m| **m).count();
        self.titles += usize::from(title);
        self.bylines += usize::from(byline);
        self.sources += usize::from(expected["source"].as_str().map(str::to_string) == imported.source);
        let kept = must.iter().filter(|t| imported.body_markdown.contains(t.as_str())).count();
        let gone = must_not.iter().filter(|t| !imported.body_markdown.contains(t.as_str())).count();
        self.body_kept = (self.body_kept.0 + kept, self.body_kept.1 + must.len());
        self.boilerplate_gone = (self.boilerplate_gone.0 + gone, self.boilerplate_gone.1 + must_not.len());
        let mut notes = Vec::new();
        if !title {
            notes.push(format!("title {:?}", imported.title));
        }
        if !byline {
            notes.push(format!("by-line {:?}", imported.byline));
        }
        if !date {
            notes.push(format!("date {:?}", imported.date));
        }
        let missing: Vec<&String> = expected_orgs.iter().filter(|e| !found_orgs.contains(e)).collect();
        let extra: Vec<&String> = found_orgs.iter().filter(|f| !expected_orgs.contains(f)).collect();
        if !missing.is_empty() || !extra.is_empty() {
            notes.push(format!("organisations missing {missing:?} extra {extra:?}"));
        }
        format!(
            "  {name:<48} stat {}/{} of {}  org {}/{} of {}  body {kept}/{} boilerplate gone {gone}/{}  {}",
            s.0, s.1, s.2, o.0, o.1, o.2, must.len(), must_not.len(),
            notes.join("; ")
        )
    }

    fn merge(&mut self, other: &HeldOut) {
        self.pages += other.pages;
        self.refused += other.refused;
        self.stats = (self.stats.0 + other.stats.0, self.stats.1 + other.stats.1, self.stats.2 + other.stats.2);
        self.orgs = (self.orgs.0 + other.orgs.0, self.orgs.1 + other.orgs.1, self.orgs.2 + other.orgs.2);
        self.meta += other.meta;
        self.titles += other.titles;
        self.bylines += other.bylines;
        self.sources += other.sources;
        self.body_kept = (self.body_kept.0 + other.body_kept.0, self.body_kept.1 + other.body_kept.1);
        self.boilerplate_gone = (self.boilerplate_gone.0 + other.boilerplate_gone.0, self.boilerplate_gone.1 + other.boilerplate_gone.1);
    }

    fn summary(&self, what: &str) -> String {
        let pct = |a: usize, b: usize| ratio(a, b) * 100.0;
        format!(
            "{what} ({} pages, {} refused): statistics precision {:.1}% recall {:.1}%; organisations precision {:.1}% recall {:.1}%; title/byline/date {:.1}% (titles {}/{}, by-lines {}/{}); publication {:.1}%; body text kept {:.1}%, boilerplate removed {:.1}%",
            self.pages,
            self.refused,
            pct(self.stats.0, self.stats.1),
            pct(self.stats.0, self.stats.2),
            pct(self.orgs.0, self.orgs.1),
            pct(self.orgs.0, self.orgs.2),
            pct(self.meta, self.pages * 3),
            self.titles,
            self.pages,
            self.bylines,
            self.pages,
            pct(self.sources, self.pages),
            pct(self.body_kept.0, self.body_kept.1),
            pct(self.boilerplate_gone.0, self.boilerplate_gone.1),
        )
    }
}

#[test]
fn the_seed_page() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/seed/mi5-annual-threat-update.txt");
    let seed = if seed.exists() { seed } else { fixtures().join("import/seed-mi5-annual-threat-update.txt") };
    let imported = import::import(&seed, &import::read_file(&seed).unwrap()).unwrap();
    assert_eq!(imported.title.as_deref(), Some("MI5 annual threat update"));
    assert_eq!(imported.byline.as_deref(), Some("Mark Rowe"));
    assert_eq!(imported.date, None, "the seed page gives no date, so none is guessed");
    let stat = |display: &str| imported.statistics.iter().find(|s| s.display == display).unwrap_or_else(|| panic!("no {display} in {:#?}", imported.statistics));
    let plots = stat("19");
    assert_eq!(plots.value, 19.0);
    assert_eq!(plots.period.as_deref(), Some("since the start of 2020"));
    assert!(plots.label.to_lowercase().contains("late-stage attack plots"), "{}", plots.label);
    assert!(plots.sentence.contains("MI5 and the police have disrupted 19 late-stage attack plots"));
    let rise = stat("35%");
    assert_eq!(rise.value, 35.0);
    assert_eq!(rise.period.as_deref(), Some("in the last year"));
    assert!(rise.sentence.contains("35 per cent increase in the number of individuals"));
    assert_eq!(imported.statistics.len(), 2, "{:#?}", imported.statistics);
    let orgs: Vec<(&str, &str)> = imported.organisations.iter().map(|o| (o.name.as_str(), o.url.as_str())).collect();
    assert_eq!(orgs, [("MI5", "https://www.mi5.gov.uk"), ("NPSA", "https://www.npsa.gov.uk"), ("NCSC", "https://www.ncsc.gov.uk"), ("GCHQ", "https://www.gchq.gov.uk")]);
    assert_eq!(imported.organisations[3].kind, import::OrganisationKind::Context, "GCHQ is named for context, not as a place for guidance");
    for boilerplate in ["TESTIMONIALS", "FIND A BUSINESS", "Related News", "Graham Penn", "ADD LISTING", "by Mark Rowe"] {
        assert!(!imported.body_markdown.contains(boilerplate), "{boilerplate} left in the body");
    }
    assert!(imported.body_markdown.starts_with("MI5’s fight against terrorism remains intense"));
}

#[test]
fn importing_into_a_copy_of_the_example_pack_keeps_it_valid() {
    let (_temp, dir) = copy_pack(&example_pack());
    let seed = fixtures().join("import/seed-mi5-annual-threat-update.txt");
    let imported = import::import(&seed, &import::read_file(&seed).unwrap()).unwrap();
    let mut loaded = pack::load(&dir).unwrap().pack;
    let before = (loaded.statistics.len(), loaded.links.len(), loaded.sections.len());
    let options = AcceptOptions { retrieved: chrono::NaiveDate::from_ymd_opt(2025, 10, 20), ..AcceptOptions::all(&imported) };
    let added = add_to_pack(&mut loaded, &imported, &options);
    // The example already has the article and links to NPSA, NCSC and MI5; GCHQ
    // is named for context only, so accepting everything leaves it out.
    assert_eq!(added.article, "mi5-annual-threat-update-2");
    assert_eq!(added.statistics.len(), 2);
    assert!(added.links.is_empty(), "{:?}", added.links);
    assert_eq!(added.links_already_present.len(), 3);
    store::save_pack(&dir, &loaded).unwrap();

    let reloaded = pack::load(&dir).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reloaded.pack.statistics.len(), before.0 + 2);
    assert_eq!(reloaded.pack.links.len(), before.1);
    assert_eq!(reloaded.pack.sections.len(), before.2 + 1);
    assert!(dir.join("articles/mi5-annual-threat-update-2.md").is_file());
    let ids: BTreeSet<&str> = reloaded.pack.statistics.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids.len(), reloaded.pack.statistics.len(), "statistic ids are unique");
    let new = reloaded.pack.statistics.iter().find(|s| s.display.as_deref() == Some("35%")).unwrap();
    assert_eq!(new.period.as_deref(), Some("in the last year"));
    // The page names its publication (in its boilerplate); the figures credit it.
    assert_eq!(new.source.as_deref(), Some("Professional Security Magazine"));
    assert!(pack::check(&dir).iter().all(|d| !d.is_error()), "{:?}", pack::check(&dir));
}

#[test]
fn importing_into_a_new_pack_adds_links() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("q4");
    store::create_pack(&dir, &store::new_pack("Q4", chrono::NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(), &[])).unwrap();
    let page = fixtures().join("import/blog-ic3-report.html");
    let imported = import::import(&page, &import::read_file(&page).unwrap()).unwrap();
    let mut loaded = pack::load(&dir).unwrap().pack;
    let added = add_to_pack(&mut loaded, &imported, &AcceptOptions::all(&imported));
    store::save_pack(&dir, &loaded).unwrap();
    assert_eq!(added.links, ["fbi", "ic3", "cisa"]);
    let diagnostics = pack::check(&dir);
    assert!(diagnostics.iter().all(|d| !d.is_error()), "{diagnostics:?}");
    let reloaded = pack::load(&dir).unwrap().pack;
    assert_eq!(reloaded.articles[&added.article].meta.author.as_deref(), Some("Dana Whitfield"));
}

#[test]
fn binary_large_and_unknown_files_are_refused_by_name() {
    let temp = tempfile::tempdir().unwrap();
    let png = temp.path().join("photo.html");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let err = import::import(&png, &import::read_file(&png).unwrap()).unwrap_err();
    assert!(matches!(err, ImportError::NotText { .. }) && err.to_string().contains("photo.html"), "{err}");

    let big = temp.path().join("huge.txt");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(import::MAX_IMPORT_BYTES + 1).unwrap();
    let err = import::read_file(&big).unwrap_err();
    assert!(matches!(err, ImportError::TooLarge { .. }) && err.to_string().contains("huge.txt"), "{err}");

    let missing = temp.path().join("missing.md");
    let err = import::read_file(&missing).unwrap_err();
    assert!(err.to_string().contains("missing.md"), "{err}");
}

#[test]
fn import_is_deterministic() {
    let page = fixtures().join("import/survey-summary.html");
    let bytes = import::read_file(&page).unwrap();
    assert_eq!(import::import(&page, &bytes).unwrap(), import::import(&page, &bytes).unwrap());
}
