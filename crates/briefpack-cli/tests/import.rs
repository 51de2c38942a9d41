//! `briefpack import` as a user runs it: the JSON contract, adding to a pack, errors.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

#[cfg(unix)]
#[path = "../../briefpack/tests/it/fifo.rs"]
mod fifo;

fn briefpack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefpack")).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn seed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../briefpack/tests/fixtures/import/seed-mi5-annual-threat-update.txt")
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../briefpack/tests/fixtures/import").join(name)
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../briefings/mi5-threat-update-2025")
}


fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    keys
}

/// A one-line error on stderr naming the file, exit 1, no panic.
fn assert_clean_failure(out: &Output, file: &str) {
    assert_eq!(out.status.code(), Some(1), "stdout: {}", text(&out.stdout));
    let err = text(&out.stderr);
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");
    assert!(err.starts_with("error: ") && err.contains(file), "{err}");
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "{err}");
}

#[test]
fn json_has_exactly_the_contracted_shape_for_the_seed_and_writes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let page = temp.path().join("mi5.txt");
    std::fs::copy(seed(), &page).unwrap();
    let out = briefpack(&["import", page.to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();

    assert_eq!(keys(&json), ["body_markdown", "byline", "date", "extraction", "organisations", "statistics", "title"]);
    assert_eq!(json["extraction"], "whole-text", "a scraped text page is read whole");
    assert_eq!(json["title"], "MI5 annual threat update");
    assert_eq!(json["byline"], "Mark Rowe");
    assert!(json["date"].is_null());
    assert!(json["body_markdown"].as_str().unwrap().starts_with("MI5’s fight against terrorism"));
    for boilerplate in ["TESTIMONIALS", "FIND A BUSINESS", "Related News", "Graham Penn"] {
        assert!(!json["body_markdown"].as_str().unwrap().contains(boilerplate), "{boilerplate}");
    }

    let stats = json["statistics"].as_array().unwrap();
    for s in stats {
        assert_eq!(keys(s), ["display", "label", "period", "sentence", "value"]);
        assert!(s["value"].is_f64(), "value is a float: {}", s["value"]);
    }
    let find = |display: &str| stats.iter().find(|s| s["display"] == display).unwrap_or_else(|| panic!("no {display}: {stats:?}"));
    assert_eq!(find("35%")["value"].as_f64(), Some(35.0));
    assert_eq!(find("35%")["period"], "in the last year");
    assert_eq!(find("19")["value"].as_f64(), Some(19.0));
    assert_eq!(find("19")["period"], "since the start of 2020");
    assert!(find("19")["sentence"].as_str().unwrap().contains("disrupted 19 late-stage attack plots"));
    assert!(text(&out.stdout).contains("\"value\": 35.0"), "35.0 printed as a float");

    let orgs = json["organisations"].as_array().unwrap();
    for o in orgs {
        assert_eq!(keys(o), ["kind", "name", "url"]);
    }
    let pairs: Vec<(&str, &str, &str)> = orgs.iter().map(|o| (o["name"].as_str().unwrap(), o["url"].as_str().unwrap(), o["kind"].as_str().unwrap())).collect();
    assert_eq!(
        pairs,
        [
            ("MI5", "https://www.mi5.gov.uk", "guidance"),
            ("NPSA", "https://www.npsa.gov.uk", "guidance"),
            ("NCSC", "https://www.ncsc.gov.uk", "guidance"),
            ("GCHQ", "https://www.gchq.gov.uk", "context")
        ]
    );

    let files: Vec<_> = std::fs::read_dir(temp.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(files, ["mi5.txt"], "--json writes nothing");
}

#[test]
fn json_dates_are_iso_and_absent_values_are_null() {
    let out = briefpack(&["import", fixture("ransomware-news.html").to_str().unwrap(), "--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["date"], "2025-10-16");
    let no_stats = briefpack(&["import", fixture("guidance-no-stats.html").to_str().unwrap(), "--json"]);
    let json: Value = serde_json::from_slice(&no_stats.stdout).unwrap();
    assert_eq!(json["statistics"], Value::Array(vec![]));
    assert!(json["byline"].is_null() && json["date"].is_null());
}

#[test]
fn into_a_copy_of_the_example_pack_with_accept_all_then_check_passes() {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("pack");
    briefpack::pack::store::copy_pack(&example(), &pack).unwrap();
    let out = briefpack(&["import", seed().to_str().unwrap(), "--into", pack.to_str().unwrap(), "--accept-all", "--retrieved", "2025-10-20"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Added articles/mi5-annual-threat-update-2.md"), "{stdout}");
    assert!(stdout.contains("with 2 statistics"), "{stdout}");
    assert!(pack.join("articles/mi5-annual-threat-update-2.md").is_file());
    let article = std::fs::read_to_string(pack.join("articles/mi5-annual-threat-update-2.md")).unwrap();
    assert!(article.contains("author = \"Mark Rowe\"") && article.contains("retrieved = 2025-10-20"), "{article}");

    let check = briefpack(&["check", pack.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}{}", text(&check.stdout), text(&check.stderr));
}

#[test]
fn context_organisations_are_linked_only_with_with_context() {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("pack");
    briefpack::pack::store::copy_pack(&example(), &pack).unwrap();
    let preview = briefpack(&["import", seed().to_str().unwrap()]);
    let shown = text(&preview.stdout);
    assert!(shown.contains("for context only (1; linked only with --with-context):") && shown.contains("GCHQ"), "{shown}");
    let out = briefpack(&["import", seed().to_str().unwrap(), "--into", pack.to_str().unwrap(), "--accept-all", "--with-context", "--retrieved", "2025-10-20"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    assert!(text(&out.stdout).contains("and 1 guidance link"), "{}", text(&out.stdout));
    let toml = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    assert!(toml.contains("url = \"https://www.gchq.gov.uk\""), "{toml}");
    let misuse = briefpack(&["import", seed().to_str().unwrap(), "--into", pack.to_str().unwrap(), "--with-context"]);
    assert_eq!(misuse.status.code(), Some(2), "--with-context needs --accept-all");
}

#[test]
fn into_a_new_pack_without_accept_all_adds_only_the_article() {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("q4");
    let new = briefpack(&["new", pack.to_str().unwrap(), "--title", "Q4", "--date", "2025-11-01"]);
    assert!(new.status.success(), "{}", text(&new.stderr));
    let out = briefpack(&["import", fixture("fraud-news.txt").to_str().unwrap(), "--into", pack.to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("5 statistics and 3 guidance links proposed but not added"), "{stdout}");
    let toml = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    assert!(!toml.contains("[[statistics]]") && !toml.contains("[[links]]"), "{toml}");
    assert!(toml.contains("article = \"investment-scam-losses-top-2bn-as-criminals-turn-to\""), "{toml}");
    let check = briefpack(&["check", pack.to_str().unwrap()]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stdout));
}

#[test]
fn a_binary_file_fails_with_one_line_naming_it() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("scan.html");
    std::fs::write(&file, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n\0\0").unwrap();
    let out = briefpack(&["import", file.to_str().unwrap(), "--json"]);
    assert_clean_failure(&out, "scan.html");
    assert!(text(&out.stderr).contains("is not a text file (it looks like a PDF)"), "{}", text(&out.stderr));
    assert!(out.stdout.is_empty());
}

#[test]
fn a_25_mb_file_fails_with_one_line_naming_it() {
    let temp = tempfile::tempdir().unwrap();
    let file = temp.path().join("dump.txt");
    std::fs::write(&file, "word ".repeat(5 * 1024 * 1024)).unwrap();
    assert!(std::fs::metadata(&file).unwrap().len() >= 25 * 1024 * 1024);
    let out = briefpack(&["import", file.to_str().unwrap(), "--json"]);
    assert_clean_failure(&out, "dump.txt");
    assert!(text(&out.stderr).contains("too large to import"), "{}", text(&out.stderr));
}

#[test]
fn other_failures_are_one_line_too() {
    let temp = tempfile::tempdir().unwrap();
    let docx = temp.path().join("report.docx");
    std::fs::write(&docx, "text").unwrap();
    assert_clean_failure(&briefpack(&["import", docx.to_str().unwrap(), "--json"]), "report.docx");
    let latin1 = temp.path().join("old.txt");
    std::fs::write(&latin1, b"Caf\xe9 fraud rose by 12% last year, police said on Monday.").unwrap();
    assert_clean_failure(&briefpack(&["import", latin1.to_str().unwrap()]), "old.txt");
    let missing = temp.path().join("missing.md");
    assert_clean_failure(&briefpack(&["import", missing.to_str().unwrap()]), "missing.md");
    let not_a_pack = temp.path().join("nowhere");
    std::fs::create_dir(&not_a_pack).unwrap();
    assert_clean_failure(&briefpack(&["import", seed().to_str().unwrap(), "--into", not_a_pack.to_str().unwrap()]), "nowhere");
}

#[test]
fn without_flags_it_previews_and_writes_nothing() {
    let out = briefpack(&["import", seed().to_str().unwrap()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("Title:   MI5 annual threat update") && stdout.contains("since the start of 2020"), "{stdout}");
    let misuse = briefpack(&["import", seed().to_str().unwrap(), "--accept-all"]);
    assert_eq!(misuse.status.code(), Some(2), "--accept-all needs --into");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_the_page_is_refused_naming_it() {
    let temp = tempfile::tempdir().unwrap();
    let page = temp.path().join("page.html");
    let fifo = fifo::Fifo::at(&page);
    let out = briefpack(&["import", page.to_str().unwrap(), "--json"]);
    drop(fifo);
    assert_clean_failure(&out, page.to_str().unwrap());
    assert!(text(&out.stderr).contains("is a named pipe (FIFO), not a saved page"), "{}", text(&out.stderr));
}
