//! `briefpack distribute` and `briefpack trace` as a user runs them: the
//! example pack issued to a three-name list, each copy named on every page,
//! a log whose hashes match, `trace` naming each recipient; refusals in one
//! sentence; and the distribution stopped at every crash point (as `kill -9`
//! there would stop it), which never leaves a log entry for a file that is not
//! complete with that hash, and which a re-run finishes.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use briefpack::distribute::{sha256_hex, DistributionLog, LOG_FILE};
use briefpack_crash_harness::stop_at_every_crash_point;

const BOARD: [&str; 3] = ["Jane Smith", "Ravi Patel", "Aoife O’Brien"];

fn briefpack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefpack")).args(args).output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A library with a copy of the example pack and the list `board`.
fn library() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("mi5-threat-update-2025");
    let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../briefings/mi5-threat-update-2025");
    briefpack::pack::store::copy_pack(&example, &pack).unwrap();
    fs::create_dir(temp.path().join("lists")).unwrap();
    let people: String = BOARD.iter().map(|name| format!("[[recipients]]\nname = \"{name}\"\n\n")).collect();
    fs::write(temp.path().join("lists/board.toml"), people).unwrap();
    (temp, pack)
}

/// The text of every page of `pdf`, as `pdftotext -layout` gives it.
fn pages(pdf: &Path) -> Vec<String> {
    let out = Command::new("pdftotext").args(["-layout", "-enc", "UTF-8"]).arg(pdf).arg("-").output().expect("pdftotext (poppler-utils) must be installed: run `make deps`");
    assert!(out.status.success());
    let mut pages: Vec<String> = text(&out.stdout).split('\u{c}').map(str::to_string).collect();
    pages.pop();
    pages
}

/// Every entry of the pack's log names a file that is on disk, whole, with that hash.
fn assert_log_matches_files(pack: &Path, context: &str) -> usize {
    let log = DistributionLog::read(pack).unwrap_or_else(|e| panic!("{context}: the log cannot be read: {e}"));
    for entry in &log.entries {
        let bytes = fs::read(pack.join(&entry.file)).unwrap_or_else(|e| panic!("{context}: {} is logged but cannot be read: {e}", entry.file));
        assert_eq!(sha256_hex(&bytes), entry.sha256, "{context}: {} is logged with another hash", entry.file);
    }
    log.entries.len()
}

#[test]
fn the_example_pack_goes_to_three_names_each_named_on_every_page_and_traced_back() {
    let (library, pack) = library();
    let out = briefpack(&["distribute", pack.to_str().unwrap(), "--list", "board"]);
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let folder = pack.join("out/distribution-2025-10-20");
    let mut files: Vec<PathBuf> = fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    files.sort();
    assert_eq!(files.len(), 3, "{files:?}");
    assert_eq!(assert_log_matches_files(&pack, "after the run"), 3);
    for (n, (file, name)) in files.iter().zip(BOARD).enumerate() {
        let line = format!("Copy {} of 3 · Issued to {name} · 20 Oct 2025", n + 1);
        assert!(text(&out.stdout).contains(&format!("Copy {} of 3 to {name}", n + 1)), "{}", text(&out.stdout));
        let pages = pages(file);
        assert_eq!(pages.len(), 6);
        for (page, page_text) in pages.iter().enumerate() {
            assert!(page_text.contains(&line), "page {} of {} lacks {line:?}", page + 1, file.display());
        }
        let traced = briefpack(&["trace", file.to_str().unwrap(), "--library", library.path().to_str().unwrap()]);
        assert!(traced.status.success(), "stderr: {}", text(&traced.stderr));
        let said = text(&traced.stdout);
        assert!(said.contains(&format!("copy {} of 3 of “State threats and terrorism: MI5 annual threat update”, issued to {name}", n + 1)), "{said}");
        assert!(said.contains("the file is unchanged"), "{said}");
        // Rewritten by another tool: the identifier in its metadata still says whose it is.
        let rewritten = library.path().join("found.pdf");
        let status = Command::new("qpdf").arg("--linearize").arg(file).arg(&rewritten).status().expect("qpdf must be installed: run `make deps`");
        assert!(status.success());
        let traced = briefpack(&["trace", rewritten.to_str().unwrap(), "--library", library.path().to_str().unwrap()]);
        let said = text(&traced.stdout);
        assert!(traced.status.success() && said.contains(&format!("issued to {name}")) && said.contains("copy identifier"), "{said}");
    }
}

#[test]
fn trace_says_when_a_file_matches_nothing() {
    let (library, pack) = library();
    assert!(briefpack(&["distribute", pack.to_str().unwrap(), "--list", "board"]).status.success());
    let plain = library.path().join("plain.pdf");
    assert!(briefpack(&["build", pack.to_str().unwrap(), "-o", plain.to_str().unwrap()]).status.success());
    let out = briefpack(&["trace", plain.to_str().unwrap(), "--library", library.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("matches no copy in the distribution logs of"), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("(1 log searched)"), "{}", text(&out.stdout));
}

#[test]
fn a_red_pack_without_recipients_is_refused_in_one_sentence() {
    let (_library, pack) = library();
    let toml = fs::read_to_string(pack.join("pack.toml")).unwrap();
    fs::write(pack.join("pack.toml"), toml.replace("marking = \"TLP:AMBER\"", "marking = \"TLP:RED\"")).unwrap();
    let out = briefpack(&["distribute", pack.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: a TLP:RED pack may be distributed only to people named one by one"), "{err}");
    assert!(!pack.join(LOG_FILE).exists());
    let out = briefpack(&["distribute", pack.to_str().unwrap(), "--list", "directors"]);
    assert!(text(&out.stderr).contains("there is no distribution list “directors”"), "{}", text(&out.stderr));
}

fn distribute_command(pack: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_briefpack"));
    command.args(["distribute", pack.to_str().unwrap(), "--list", "board"]);
    command
}

#[test]
fn a_distribution_stopped_at_any_step_never_logs_a_file_that_is_not_whole() {
    let (_library, pack) = library();
    let mut saw_file_without_entry = false;
    let points = stop_at_every_crash_point(
        || {
            let _ = fs::remove_dir_all(pack.join("out"));
            let _ = fs::remove_file(pack.join(LOG_FILE));
            distribute_command(&pack)
        },
        |point| {
            let logged = if pack.join(LOG_FILE).exists() { assert_log_matches_files(&pack, &format!("stopped at crash point {point}")) } else { 0 };
            let finished = fs::read_dir(pack.join("out/distribution-2025-10-20"))
                .map(|entries| entries.filter_map(Result::ok).filter(|e| !e.file_name().to_string_lossy().starts_with('.')).count())
                .unwrap_or(0);
            assert!(finished == logged || finished == logged + 1, "point {point}: {finished} files, {logged} logged");
            saw_file_without_entry |= finished == logged + 1;
        },
    );
    // Three copies, each a PDF and a log entry written in four steps.
    assert_eq!(points, 24, "the distribution passed {points} crash points");
    assert!(saw_file_without_entry, "no stop fell between a copy and its log entry");
    assert_eq!(assert_log_matches_files(&pack, "after the last run"), 3);
}

#[test]
fn running_again_after_each_stop_finishes_the_distribution_once() {
    let (_library, pack) = library();
    // No reset between runs: each run takes over what the one before left.
    let mut stops = 0;
    stop_at_every_crash_point(|| distribute_command(&pack), |point| {
        stops += 1;
        if pack.join(LOG_FILE).exists() {
            assert_log_matches_files(&pack, &format!("stopped at crash point {point}"));
        }
    });
    // Each run skips what is already done, so fewer than the 24 points of a fresh run are reached.
    assert!((3..24).contains(&stops), "{stops} runs were stopped");
    assert_eq!(assert_log_matches_files(&pack, "after the last run"), 3, "each copy is logged once");
    let leftovers: Vec<String> = fs::read_dir(pack.join("out/distribution-2025-10-20"))
        .unwrap()
        .chain(fs::read_dir(&pack).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}
