//! The `briefpack` binary as a user runs it: exit codes, stdout, stderr.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn briefpack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefpack")).args(args).output().unwrap()
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../briefings/mi5-threat-update-2025")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_panic(out: &Output) {
    let err = text(&out.stderr);
    assert!(!err.contains("panicked") && !err.contains("backtrace"), "stderr: {err}");
}

#[test]
fn check_passes_on_the_example_pack() {
    let out = briefpack(&["check", example().to_str().unwrap()]);
    assert!(out.status.success(), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    assert!(!text(&out.stdout).contains("error"), "{}", text(&out.stdout));
}

#[test]
fn check_names_file_line_and_field_for_a_bad_date_and_exits_1() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("bad");
    std::fs::create_dir(&dir).unwrap();
    let source = std::fs::read_to_string(example().join("pack.toml")).unwrap();
    let line = source.lines().position(|l| l.starts_with("as_of")).unwrap() + 1;
    std::fs::write(dir.join("pack.toml"), source.replacen("as_of = 2025-10-16", "as_of = 2025-13-01", 1)).unwrap();
    let out = briefpack(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    let expected = format!("{}:{line}:9: error: `as_of` must be a date like 2025-10-16", dir.join("pack.toml").display());
    assert!(stdout.contains(&expected), "wanted {expected:?} in:\n{stdout}");
    assert_no_panic(&out);
}

#[test]
fn check_reports_warnings_but_exits_0() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("warn");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("pack.toml"),
        "format = 1\ntitle = \"T\"\ndate = 2025-10-20\nmarking = \"TLP:CLEAR\"\n\n[[statistics]]\nid = \"x\"\nlabel = \"X\"\nvalue = 1\n",
    )
    .unwrap();
    let out = briefpack(&["check", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    // An absent field is reported at its table.
    assert!(stdout.contains("pack.toml:6:1: warning: The figure “X” (statistic `x`) has no date it was true on"), "{stdout}");
    assert!(stdout.contains("warning: The figure “X” (statistic `x`) has no source"), "{stdout}");
    assert!(stdout.contains("warning: The figure “X” is not in the board-briefing"), "{stdout}");
}

#[test]
fn new_creates_a_pack_that_check_accepts() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("q1");
    let out = briefpack(&["new", dir.to_str().unwrap(), "--title", "Q1 threat briefing", "--date", "2026-01-15"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pack = std::fs::read_to_string(dir.join("pack.toml")).unwrap();
    assert!(pack.contains("title = \"Q1 threat briefing\"") && pack.contains("date = 2026-01-15"), "{pack}");
    let check = briefpack(&["check", dir.to_str().unwrap()]);
    assert!(check.status.success(), "{}", text(&check.stdout));
    let again = briefpack(&["new", dir.to_str().unwrap(), "--title", "Again"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again.stderr).contains("already holds a pack"), "{}", text(&again.stderr));
}

#[test]
fn errors_are_one_sentence_without_a_backtrace() {
    for args in [
        vec!["check", "/definitely/not/here"],
        vec!["check", env!("CARGO_MANIFEST_DIR")],
        vec!["new", "/proc/cannot-create-here", "--title", "T", "--date", "2025-01-01"],
        vec!["new", "/tmp/x", "--title", "T", "--date", "2025-13-01"],
    ] {
        let out = briefpack(&args);
        assert_ne!(out.status.code(), Some(0), "{args:?} should fail");
        assert_no_panic(&out);
        let err = text(&out.stderr);
        assert!(err.trim().lines().count() <= 3 && !err.trim().is_empty(), "{args:?}: {err}");
    }
}
