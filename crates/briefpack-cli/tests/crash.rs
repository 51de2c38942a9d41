//! `briefpack import … --into` stopped at every step of its save (as `kill -9`
//! there would stop it), and twenty of them run at once on one pack.

use std::path::{Path, PathBuf};
use std::process::Command;

use briefpack_crash_harness::stop_at_every_crash_point;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn fixture_pages() -> Vec<PathBuf> {
    let mut pages: Vec<PathBuf> = std::fs::read_dir(root().join("crates/briefpack/tests/fixtures/import"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "html" || x == "md"))
        .collect();
    pages.sort();
    pages
}

#[test]
fn an_import_stopped_at_any_step_leaves_the_old_pack_or_the_new_one() {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("pack");
    let page = root().join("crates/briefpack/tests/fixtures/import/seed-mi5-annual-threat-update.txt");
    let example = root().join("briefings/mi5-threat-update-2025");
    let sections_before = briefpack::pack::load(&example).unwrap().pack.sections.len();
    let mut saw_old = false;
    let points = stop_at_every_crash_point(
        || {
            let _ = std::fs::remove_dir_all(&pack);
            briefpack::pack::store::copy_pack(&example, &pack).unwrap();
            let mut command = Command::new(env!("CARGO_BIN_EXE_briefpack"));
            command.args(["import", page.to_str().unwrap(), "--into", pack.to_str().unwrap(), "--accept-all", "--retrieved", "2025-10-20"]);
            command
        },
        |point| {
            let loaded = briefpack::pack::load(&pack).unwrap_or_else(|e| panic!("stopped at crash point {point}: the pack no longer loads: {e}")).pack;
            match loaded.sections.len() - sections_before {
                // Not yet saved: at most the new article file, which nothing names yet.
                0 => saw_old = true,
                // Saved: the new article is named and there.
                1 => assert!(loaded.articles.contains_key("mi5-annual-threat-update-2"), "point {point}: a section names a missing article"),
                n => panic!("point {point}: {n} sections were added"),
            }
        },
    );
    // The article and pack.toml, each written in four steps.
    assert_eq!(points, 8, "the import passed {points} crash points");
    assert!(saw_old);
    assert_eq!(briefpack::pack::load(&pack).unwrap().pack.sections.len(), sections_before + 1);
}

#[test]
fn twenty_imports_into_one_pack_at_once_all_land() {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("pack");
    let status = Command::new(env!("CARGO_BIN_EXE_briefpack")).args(["new", pack.to_str().unwrap(), "--title", "Many writers", "--date", "2026-01-15"]).status().unwrap();
    assert!(status.success());
    // Twenty different pages: the fixtures, and copies under other names where there are fewer.
    let mut pages = Vec::new();
    for (n, page) in fixture_pages().iter().cycle().take(20).enumerate() {
        let copy = temp.path().join(format!("page-{n:02}.{}", page.extension().unwrap().to_string_lossy()));
        std::fs::copy(page, &copy).unwrap();
        pages.push(copy);
    }
    let mut running: Vec<_> = pages
        .iter()
        .map(|page| {
            Command::new(env!("CARGO_BIN_EXE_briefpack"))
                .args(["import", page.to_str().unwrap(), "--into", pack.to_str().unwrap(), "--accept-all", "--retrieved", "2026-01-14"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    // All twenty start before any is waited for, so they contend for the pack.
    for child in running.drain(..) {
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "an import failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let loaded = briefpack::pack::load(&pack).unwrap_or_else(|e| panic!("{e}")).pack;
    assert_eq!(loaded.articles.len(), 20, "articles: {:?}", loaded.articles.keys().collect::<Vec<_>>());
    let shown = loaded.sections.iter().filter(|s| s.article.is_some()).count();
    assert_eq!(shown, 20, "every imported article has its section");
    let errors: Vec<_> = briefpack::pack::check(&pack).into_iter().filter(|d| d.is_error()).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
