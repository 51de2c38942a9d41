//! Malformed input: every case under `tests/fixtures/malformed/<case>/` is a
//! small pack with one thing wrong, and an `expect.toml` saying where the
//! error must be reported and what it must say:
//!
//! ```toml
//! file = "pack.toml"          # the file the error is in, relative to the pack
//! line = 12                   # 1-based line of the offending key or value
//! field = "as_of"             # named in the diagnostic's field path or, in backticks, in its message
//! contains = ["must be a date like 2025-10-16"]   # substrings of the message
//! hint_contains = "…"         # optional: substring of the hint
//! not_contains = ["…"]        # optional: no error message may contain these
//! flaw = "…"                  # optional: a known library flaw this case exposes
//! ```
//!
//! Adding a case is adding a folder. `_base/` is the valid pack the cases were
//! derived from; it must load cleanly, so each case's error comes from its one change.
//!
//! Cases with a `flaw` note expect the *correct* behaviour and fail until the
//! library is fixed; the note says what is wrong today.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use briefpack::diagnostic::Diagnostic;

use crate::common::fixtures;

/// The issue asks for at least this many malformed-input cases.
const MIN_CASES: usize = 30;

#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    file: String,
    line: usize,
    #[serde(default)]
    field: Option<String>,
    #[serde(default)]
    contains: Vec<String>,
    #[serde(default)]
    hint_contains: Option<String>,
    #[serde(default)]
    not_contains: Vec<String>,
    #[serde(default)]
    flaw: Option<String>,
}

fn malformed_dir() -> PathBuf {
    fixtures().join("malformed")
}

/// Every case folder, in name order (folders starting with `_` are not cases).
fn case_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(malformed_dir())
        .expect("tests/fixtures/malformed exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir() && !p.file_name().unwrap().to_string_lossy().starts_with('_'))
        .collect();
    dirs.sort();
    dirs
}

fn read_expect(dir: &Path) -> Result<Expect, String> {
    let path = dir.join("expect.toml");
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    toml::from_str(&text).map_err(|e| format!("bad {}: {e}", path.display()))
}

/// Whether `d` names `field`: its field path ends in that field (array
/// positions ignored: `sections[2].statistics[1]` names `statistics`), or the
/// message mentions it in backticks.
fn names_field(d: &Diagnostic, field: &str) -> bool {
    let in_path = d.field.as_deref().is_some_and(|path| {
        let last = path.rsplit('.').next().unwrap_or(path);
        let last = last.split('[').next().unwrap_or(last);
        last == field
    });
    in_path || d.message.contains(&format!("`{field}`"))
}

/// Why `d` does not match `expect`, or `None` if it does.
fn mismatch(d: &Diagnostic, expect: &Expect) -> Option<String> {
    let mut why = Vec::new();
    if !d.is_error() {
        why.push("not an error".to_string());
    }
    if !d.file.ends_with(&expect.file) {
        why.push(format!("file is {}", d.file.display()));
    }
    if d.line != expect.line {
        why.push(format!("line {} instead of {}", d.line, expect.line));
    }
    if d.column == 0 {
        why.push("column 0".to_string());
    }
    if let Some(field) = &expect.field {
        if !names_field(d, field) {
            why.push(format!("does not name `{field}` (field {:?})", d.field));
        }
    }
    for needle in &expect.contains {
        if !d.message.contains(needle.as_str()) {
            why.push(format!("message lacks {needle:?}"));
        }
    }
    if let Some(needle) = &expect.hint_contains {
        if !d
            .hint
            .as_deref()
            .is_some_and(|h| h.contains(needle.as_str()))
        {
            why.push(format!("hint {:?} lacks {needle:?}", d.hint));
        }
    }
    (!why.is_empty()).then(|| why.join(", "))
}

/// Every problem with one case; empty when it passes.
fn check_case(dir: &Path) -> Vec<String> {
    let expect = match read_expect(dir) {
        Ok(e) => e,
        Err(e) => return vec![e],
    };
    let mut problems = Vec::new();
    let diagnostics = briefpack::pack::check(dir);

    if !diagnostics.iter().any(|d| mismatch(d, &expect).is_none()) {
        let mut why = String::from("no error diagnostic matches; closest misses:");
        for d in diagnostics.iter().filter(|d| d.is_error()) {
            let _ = write!(
                why,
                "\n        {d}\n          -> {}",
                mismatch(d, &expect).unwrap_or_default()
            );
        }
        if !diagnostics.iter().any(Diagnostic::is_error) {
            why.push_str(" none: no error at all");
        }
        problems.push(why);
    }

    for d in diagnostics.iter().filter(|d| d.is_error()) {
        for needle in &expect.not_contains {
            if d.message.contains(needle.as_str()) {
                problems.push(format!("an error says {needle:?}: {d}"));
            }
        }
        // An error must not claim an article file is missing when it exists (and merely failed to parse).
        if let Some(rest) = d.message.split("there is no articles/").nth(1) {
            if let Some(name) = rest.split(".md").next() {
                let file = dir.join("articles").join(format!("{name}.md"));
                if file.exists() {
                    problems.push(format!(
                        "says articles/{name}.md does not exist, but it does: {d}"
                    ));
                }
            }
        }
    }

    if briefpack::pack::load(dir).is_ok() {
        problems.push("load() accepted the pack".to_string());
    }

    if !problems.is_empty() {
        if let Some(flaw) = &expect.flaw {
            problems.push(format!("(known library flaw: {flaw})"));
        }
    }
    problems
}

#[test]
fn the_base_of_the_malformed_cases_is_valid() {
    let base = malformed_dir().join("_base");
    let loaded =
        briefpack::pack::load(&base).unwrap_or_else(|e| panic!("the base pack must load: {e}"));
    assert!(
        loaded.warnings.is_empty(),
        "the base pack has warnings: {:#?}",
        loaded.warnings
    );
    assert_eq!(loaded.pack.articles.len(), 1);
}

#[test]
fn every_malformed_case_has_a_pack_and_an_expectation() {
    let dirs = case_dirs();
    assert!(
        dirs.len() >= MIN_CASES,
        "only {} malformed cases; the issue asks for at least {MIN_CASES}",
        dirs.len()
    );
    for dir in &dirs {
        assert!(
            dir.join("pack.toml").is_file(),
            "{} has no pack.toml",
            dir.display()
        );
        if let Err(e) = read_expect(dir) {
            panic!("{e}");
        }
    }
}

#[test]
fn malformed_inputs_are_reported_with_file_line_and_field() {
    let dirs = case_dirs();
    assert!(
        dirs.len() >= MIN_CASES,
        "only {} malformed cases; the issue asks for at least {MIN_CASES}",
        dirs.len()
    );
    let mut failures = String::new();
    let mut failed = 0;
    for dir in &dirs {
        let problems = check_case(dir);
        if !problems.is_empty() {
            failed += 1;
            let _ = writeln!(
                failures,
                "\n  {}:",
                dir.file_name().unwrap().to_string_lossy()
            );
            for p in problems {
                let _ = writeln!(failures, "    - {p}");
            }
        }
    }
    assert!(
        failed == 0,
        "{failed} of {} malformed cases fail:{failures}",
        dirs.len()
    );
}

/// The issue's "done when" case, spelled out: the message names pack.toml, its line and `as_of`.
#[test]
fn a_month_13_as_of_names_pack_toml_its_line_and_the_field() {
    let dir = malformed_dir().join("as-of-month-13");
    let errors: Vec<Diagnostic> = briefpack::pack::check(&dir)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let shown = errors[0].to_string();
    let expected_start = format!("{}:12:", dir.join("pack.toml").display());
    assert!(shown.starts_with(&expected_start), "{shown}");
    assert!(shown.contains("`as_of`"), "{shown}");
    assert!(shown.contains("must be a date like 2025-10-16"), "{shown}");
}

/// A pack.toml saved in a legacy encoding, written at test time as well as
/// committed, so the case survives tools that re-encode the fixture.
#[test]
fn a_pack_toml_that_is_not_utf8_is_an_error_naming_the_file() {
    let (_temp, dir) = crate::common::copy_pack(&malformed_dir().join("_base"));
    let mut bytes = std::fs::read(dir.join("pack.toml")).unwrap();
    let at = bytes.iter().position(|&b| b == b'\n').unwrap() + 1;
    bytes.splice(
        at..at,
        b"audience = \"caf\xE9 committee\"\n".iter().copied(),
    );
    std::fs::write(dir.join("pack.toml"), &bytes).unwrap();
    let errors: Vec<Diagnostic> = briefpack::pack::check(&dir)
        .into_iter()
        .filter(Diagnostic::is_error)
        .collect();
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(errors[0].file.ends_with("pack.toml"), "{}", errors[0]);
    assert!(errors[0].message.contains("not UTF-8"), "{}", errors[0]);
    assert!(briefpack::pack::load(&dir).is_err());
}
