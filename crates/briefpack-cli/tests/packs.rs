//! `briefpack build PACK_DIR` and `briefpack templates` as a user runs them:
//! where the PDF goes, choosing a template and edition, one-line errors naming
//! the choices, a library's own template folder, and a marking leak.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn briefpack(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(args)
        .current_dir(cwd)
        // A panic would print a backtrace: make sure the tests would see it.
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap()
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example_pack() -> PathBuf {
    repo().join("briefings/mi5-threat-update-2025")
}

fn fixture_pack(name: &str) -> PathBuf {
    repo().join("crates/briefpack/tests/fixtures/packs").join(name)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}


/// A fresh library folder holding a copy of `pack` (without its out/ folder).
fn library_with(pack: &Path) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("library").join(pack.file_name().unwrap());
    briefpack::pack::store::copy_pack(pack, &dir).unwrap();
    (temp, dir)
}

fn assert_success(out: &Output) {
    assert_eq!(out.status.code(), Some(0), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
}

/// The one line of stderr of a failed command.
fn one_error_line(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    let err = text(&out.stderr);
    for bad in ["panicked", "backtrace", "thread 'main'"] {
        assert!(!err.contains(bad), "{bad:?} on stderr:\n{err}");
    }
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr, got:\n{err}");
    lines[0].to_string()
}

fn pdf_text(path: &Path) -> String {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("no PDF at {}: {e}", path.display()));
    assert!(bytes.starts_with(b"%PDF-") && bytes.trim_ascii_end().ends_with(b"%%EOF"), "{} is not a complete PDF", path.display());
    let out = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: run `make deps`");
    assert!(out.status.success(), "pdftotext failed: {}", text(&out.stderr));
    text(&out.stdout)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    };
    names.sort();
    names
}

#[test]
fn templates_lists_both_built_in_templates_with_their_editions() {
    let temp = tempfile::tempdir().unwrap();
    let out = briefpack(&["templates"], temp.path());
    assert_success(&out);
    let listing = text(&out.stdout);
    let line = |name: &str| {
        listing
            .lines()
            .find(|l| l.split_whitespace().next() == Some(name))
            .unwrap_or_else(|| panic!("`briefpack templates` does not list {name}:\n{listing}"))
            .to_string()
    };
    let board = line("board-briefing");
    assert!(board.contains("no editions") && board.contains("built in"), "{board}");
    let handout = line("training-handout");
    assert!(handout.contains("editions: participant, facilitator") && handout.contains("built in"), "{handout}");
}

#[test]
fn build_writes_into_the_packs_out_folder_by_default() {
    let (temp, pack) = library_with(&example_pack());
    let out = briefpack(&["build", pack.to_str().unwrap()], temp.path());
    assert_success(&out);
    assert_eq!(files_in(&pack.join("out")), vec!["mi5-threat-update-2025-board-briefing.pdf"]);
    let pdf = pack.join("out/mi5-threat-update-2025-board-briefing.pdf");
    assert!(text(&out.stderr).contains(&pdf.display().to_string()), "stderr does not say where the PDF went: {}", text(&out.stderr));
    let body = pdf_text(&pdf);
    assert!(body.contains("Bottom line up front") && body.contains("TLP:AMBER"), "{body}");

    // A relative PACK_DIR, run from the library folder.
    std::fs::remove_dir_all(pack.join("out")).unwrap();
    let out = briefpack(&["build", "mi5-threat-update-2025"], pack.parent().unwrap());
    assert_success(&out);
    assert_eq!(files_in(&pack.join("out")), vec!["mi5-threat-update-2025-board-briefing.pdf"]);
}

#[test]
fn build_takes_a_template_and_an_edition() {
    let (temp, pack) = library_with(&example_pack());
    let dir = pack.to_str().unwrap();
    assert_success(&briefpack(&["build", dir, "--template", "training-handout", "--edition", "facilitator"], temp.path()));
    assert_success(&briefpack(&["build", dir, "--template", "training-handout"], temp.path()));
    assert_eq!(
        files_in(&pack.join("out")),
        vec!["mi5-threat-update-2025-training-handout-facilitator.pdf", "mi5-threat-update-2025-training-handout-participant.pdf"]
    );
    let facilitator = pdf_text(&pack.join("out/mi5-threat-update-2025-training-handout-facilitator.pdf"));
    assert!(facilitator.contains("Facilitator edition") && facilitator.contains("Session plan"), "{facilitator}");
    let participant = pdf_text(&pack.join("out/mi5-threat-update-2025-training-handout-participant.pdf"));
    assert!(participant.contains("Discussion questions"), "{participant}");
    assert!(!participant.contains("Facilitator edition") && !participant.contains("Session plan"), "{participant}");

    // -o wins over the default place.
    let chosen = temp.path().join("handout.pdf");
    assert_success(&briefpack(&["build", dir, "--template", "training-handout", "--edition", "participant", "-o", chosen.to_str().unwrap()], temp.path()));
    assert!(pdf_text(&chosen).contains("Discussion questions"));
}

#[test]
fn an_unknown_template_or_edition_is_one_line_naming_the_choices() {
    let (temp, pack) = library_with(&example_pack());
    let dir = pack.to_str().unwrap();

    let line = one_error_line(&briefpack(&["build", dir, "--template", "handout"], temp.path()));
    for needle in ["handout", "board-briefing", "training-handout"] {
        assert!(line.contains(needle), "the error does not name {needle:?}: {line}");
    }

    let line = one_error_line(&briefpack(&["build", dir, "--template", "training-handout", "--edition", "trainer"], temp.path()));
    for needle in ["trainer", "participant", "facilitator"] {
        assert!(line.contains(needle), "the error does not name {needle:?}: {line}");
    }

    let line = one_error_line(&briefpack(&["build", dir, "--edition", "facilitator"], temp.path()));
    assert!(line.contains("board-briefing") && line.contains("facilitator"), "{line}");

    assert!(files_in(&pack.join("out")).is_empty(), "a failed build wrote {:?}", files_in(&pack.join("out")));
}

#[test]
fn a_librarys_template_folder_overrides_the_built_in_one() {
    let (temp, pack) = library_with(&example_pack());
    let library = pack.parent().unwrap();
    let folder = library.join("templates/board-briefing");
    std::fs::create_dir_all(&folder).unwrap();
    let builtin = std::fs::read_to_string(repo().join("templates/board-briefing/template.md")).unwrap();
    let marker = "Printed from the local copy of the board template.";
    std::fs::write(folder.join("template.md"), format!("{builtin}\n# Local note\n\n{marker}\n")).unwrap();
    std::fs::copy(repo().join("templates/board-briefing/style.toml"), folder.join("style.toml")).unwrap();

    let listing = briefpack(&["templates", pack.to_str().unwrap()], temp.path());
    assert_success(&listing);
    let listing = text(&listing.stdout);
    let board = listing.lines().find(|l| l.starts_with("board-briefing")).unwrap_or_else(|| panic!("{listing}"));
    assert!(board.contains(&folder.display().to_string()), "the library's folder is not listed as board-briefing's origin: {board}");
    assert!(listing.lines().any(|l| l.starts_with("training-handout") && l.contains("built in")), "{listing}");

    assert_success(&briefpack(&["build", pack.to_str().unwrap()], temp.path()));
    let body = pdf_text(&pack.join("out/mi5-threat-update-2025-board-briefing.pdf"));
    assert!(body.contains(marker), "the library's template was not used:\n{body}");

    // Without the folder, the built-in template again.
    std::fs::remove_dir_all(library.join("templates")).unwrap();
    assert_success(&briefpack(&["build", pack.to_str().unwrap()], temp.path()));
    let body = pdf_text(&pack.join("out/mi5-threat-update-2025-board-briefing.pdf"));
    assert!(!body.contains(marker) && body.contains("Bottom line up front"), "{body}");
}

#[test]
fn a_marking_leak_fails_the_build_naming_the_section() {
    let (temp, pack) = library_with(&fixture_pack("leak-section-red-in-green"));
    let out = briefpack(&["build", pack.to_str().unwrap()], temp.path());
    assert_eq!(out.status.code(), Some(1), "a leaking pack was built: {}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    let leak = err.lines().find(|l| l.contains("TLP:RED")).unwrap_or_else(|| panic!("no error names the TLP:RED content:\n{err}"));
    assert!(leak.contains("pack.toml:15:") && leak.contains("section 2") && leak.contains("TLP:GREEN"), "{leak}");
    assert!(!pack.join("out").exists(), "a failed build wrote {:?}", files_in(&pack.join("out")));
}

#[test]
fn delete_moves_a_pack_to_its_librarys_trash_and_trash_restores_or_empties_it() {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("q1");
    let run = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_briefpack")).args(args).output().unwrap();
    assert!(run(&["new", pack.to_str().unwrap(), "--title", "Q1", "--date", "2026-01-15"]).status.success());
    let out = run(&["delete", pack.to_str().unwrap()]);
    assert!(out.status.success() && !pack.exists(), "{}", String::from_utf8_lossy(&out.stderr));
    let listed = String::from_utf8(run(&["trash", temp.path().to_str().unwrap()]).stdout).unwrap();
    assert!(listed.contains("q1") && listed.contains("Q1"), "{listed}");
    assert!(run(&["trash", temp.path().to_str().unwrap(), "--restore", "q1"]).status.success());
    assert!(pack.join("pack.toml").is_file());
    assert!(run(&["delete", pack.to_str().unwrap()]).status.success());
    let emptied = String::from_utf8(run(&["trash", temp.path().to_str().unwrap(), "--empty"]).stdout).unwrap();
    assert!(emptied.contains("Deleted 1 pack"), "{emptied}");
    assert!(!temp.path().join(".trash/q1").exists());
}

#[test]
fn a_library_template_whose_style_has_an_error_is_listed_with_its_error() {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("q1");
    let run = |args: &[&str]| std::process::Command::new(env!("CARGO_BIN_EXE_briefpack")).args(args).output().unwrap();
    assert!(run(&["new", pack.to_str().unwrap(), "--title", "Q1", "--date", "2026-01-15"]).status.success());
    let template = temp.path().join("templates/house-style");
    std::fs::create_dir_all(&template).unwrap();
    std::fs::write(template.join("template.md"), "# {{ pack.title }}\n").unwrap();
    std::fs::write(template.join("style.toml"), "body_sise = 11.0\n").unwrap();
    let listing = String::from_utf8(run(&["templates", pack.to_str().unwrap()]).stdout).unwrap();
    let line = listing.lines().find(|l| l.starts_with("house-style")).unwrap_or_else(|| panic!("the broken template is not listed:\n{listing}"));
    assert!(line.contains("cannot be used") && line.contains("style.toml:1:1") && line.contains("body_sise"), "{line}");
}

#[test]
fn check_prints_editorial_problems_at_their_place_and_fails_only_on_errors() {
    let warnings = briefpack(&["check", "crates/briefpack/tests/fixtures/packs/editorial-actions"], &repo());
    assert_eq!(warnings.status.code(), Some(0), "{}{}", text(&warnings.stdout), text(&warnings.stderr));
    let shown = text(&warnings.stdout);
    assert!(
        shown.contains("crates/briefpack/tests/fixtures/packs/editorial-actions/pack.toml:22:1: warning: Recommendation 2 has no owner: say who acts in Owner (owner = \"…\""),
        "{shown}"
    );
    assert_eq!(shown.lines().count(), 3, "{shown}");

    // The settings fixture makes probability words an error.
    let errors = briefpack(&["check", "crates/briefpack/tests/fixtures/packs/editorial-settings"], &repo());
    assert_eq!(errors.status.code(), Some(1), "{}{}", text(&errors.stdout), text(&errors.stderr));
    let shown = text(&errors.stdout);
    assert!(shown.contains("editorial-settings/pack.toml:14:7: error: “possibly” in the bottom line does not say how likely"), "{shown}");
    assert!(shown.contains("probability_words = \"off\" under [editorial] in pack.toml turns this check off)"), "{shown}");
}

/// The fixture library with a house style (library.toml, a logo, two packs), copied to change.
fn house_library() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let to = temp.path().join("northshire");
    copy_tree(&repo().join("crates/briefpack/tests/fixtures/house/northshire"), &to);
    (temp, to)
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

#[test]
fn build_applies_the_librarys_house_style_and_new_takes_its_defaults() {
    let (temp, library) = house_library();
    let out = briefpack(&["build", "northshire/quarterly", "-o", "q.pdf"], temp.path());
    assert_success(&out);
    let printed = pdf_text(&temp.path().join("q.pdf"));
    assert!(printed.contains("Northshire County Council"), "{printed}");
    let fonts = Command::new("pdffonts").arg(temp.path().join("q.pdf")).output().unwrap();
    assert!(text_of_fonts(&fonts.stdout).iter().all(|f| f.contains("NotoSans")), "{}", String::from_utf8_lossy(&fonts.stdout));

    let out = briefpack(&["new", "northshire/winter", "--title", "Winter briefing", "--date", "2025-12-01"], temp.path());
    assert_success(&out);
    assert!(text(&out.stdout).contains("marked OFFICIAL"), "{}", text(&out.stdout));
    let toml = std::fs::read_to_string(library.join("winter/pack.toml")).unwrap();
    assert!(toml.contains("marking = \"OFFICIAL\"") && toml.contains("template = \"board-briefing\""), "{toml}");
}

fn text_of_fonts(stdout: &[u8]) -> Vec<String> {
    text(stdout).lines().skip(2).map(|l| l.split_whitespace().next().unwrap_or_default().to_string()).collect()
}

#[test]
fn check_and_build_report_library_toml_problems_at_their_line() {
    let (temp, library) = house_library();
    let file = library.join("library.toml");
    let toml = std::fs::read_to_string(&file).unwrap().replace("file = \"logo.png\"", "file = \"crest.png\"");
    std::fs::write(&file, toml).unwrap();
    let out = briefpack(&["check", "northshire/quarterly"], temp.path());
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("northshire/library.toml:12:8: error: there is no logo file `crest.png` in the library folder (check the spelling, or choose the logo again)"),
        "{stdout}"
    );
    let out = briefpack(&["build", "northshire/quarterly", "-o", "q.pdf"], temp.path());
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("library.toml:12:8: error: there is no logo file `crest.png`"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!temp.path().join("q.pdf").exists());
}
