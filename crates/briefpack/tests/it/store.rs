//! The store: round trips, untouched files kept byte for byte, listing, creating.

use std::fs;

use briefpack::pack::{self, store, Marking};
use chrono::NaiveDate;

use crate::common::{copy_pack, example_pack, fixtures};

fn snapshot(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files = Vec::new();
    for rel in ["pack.toml"].into_iter().map(String::from).chain(
        fs::read_dir(dir.join("articles")).into_iter().flatten().map(|e| format!("articles/{}", e.unwrap().file_name().to_string_lossy())),
    ) {
        files.push((rel.clone(), fs::read(dir.join(&rel)).unwrap()));
    }
    files.sort();
    files
}

#[test]
fn saving_an_unchanged_pack_writes_nothing_and_keeps_every_byte() {
    let (_t, dir) = copy_pack(&example_pack());
    let before = snapshot(&dir);
    let p = pack::load(&dir).unwrap().pack;
    let report = store::save_pack(&dir, &p).unwrap();
    assert!(report.written.is_empty(), "wrote {:?}", report.written);
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn round_trip_through_a_fresh_folder_is_lossless() {
    for name in ["full", "minimal"] {
        let original = pack::load(&fixtures().join("packs").join(name)).unwrap().pack;
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("copy");
        store::create_pack(&dir, &original).unwrap();
        let reloaded = pack::load(&dir).unwrap().pack;
        assert_eq!(reloaded, original, "{name} changed in the round trip");
    }
    let original = pack::load(&example_pack()).unwrap().pack;
    let temp = tempfile::tempdir().unwrap();
    store::create_pack(&temp.path().join("copy"), &original).unwrap();
    assert_eq!(pack::load(&temp.path().join("copy")).unwrap().pack, original);
}

#[test]
fn editing_metadata_rewrites_only_pack_toml() {
    let (_t, dir) = copy_pack(&example_pack());
    let article_before = fs::read(dir.join("articles/mi5-annual-threat-update.md")).unwrap();
    let mut p = pack::load(&dir).unwrap().pack;
    p.meta.title = "A new title".into();
    let report = store::save_pack(&dir, &p).unwrap();
    assert_eq!(report.written, vec![dir.join("pack.toml")]);
    assert_eq!(fs::read(dir.join("articles/mi5-annual-threat-update.md")).unwrap(), article_before);
    assert_eq!(pack::load(&dir).unwrap().pack, p);
}

#[test]
fn editing_one_article_rewrites_only_that_article() {
    let (_t, dir) = copy_pack(&fixtures().join("packs/full"));
    let pack_before = fs::read(dir.join("pack.toml")).unwrap();
    let mut p = pack::load(&dir).unwrap().pack;
    let article = p.articles.get_mut("quoted-date").unwrap();
    article.body.push_str("\nA new paragraph.\n");
    article.meta.author = Some("B. Editor".into());
    let report = store::save_pack(&dir, &p).unwrap();
    assert_eq!(report.written, vec![dir.join("articles/quoted-date.md")]);
    assert_eq!(fs::read(dir.join("pack.toml")).unwrap(), pack_before, "pack.toml must keep its comments and layout");
    assert_eq!(pack::load(&dir).unwrap().pack, p);
}

#[test]
fn new_packs_pass_check_and_refuse_to_overwrite() {
    let temp = tempfile::tempdir().unwrap();
    let dir = temp.path().join("q4-briefing");
    let p = store::new_pack("Q4 briefing", NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(), &[]);
    store::create_pack(&dir, &p).unwrap();
    assert!(pack::check(&dir).is_empty(), "{:#?}", pack::check(&dir));
    assert_eq!(pack::load(&dir).unwrap().pack.meta.marking, Marking::TlpAmber);
    let again = store::create_pack(&dir, &p).unwrap_err();
    assert!(again.to_string().contains("already holds a pack"), "{again}");
    let occupied = temp.path().join("occupied");
    fs::create_dir(&occupied).unwrap();
    fs::write(occupied.join("notes.txt"), "mine").unwrap();
    let err = store::create_pack(&occupied, &p).unwrap_err();
    assert!(err.to_string().contains("not empty"), "{err}");
    assert_eq!(fs::read_to_string(occupied.join("notes.txt")).unwrap(), "mine");
}

#[test]
fn the_library_lists_packs_newest_first_and_flags_broken_ones() {
    let temp = tempfile::tempdir().unwrap();
    let lib = temp.path();
    store::create_pack(&lib.join("older"), &store::new_pack("Older", NaiveDate::from_ymd_opt(2024, 1, 1).unwrap(), &[])).unwrap();
    store::create_pack(&lib.join("newer"), &store::new_pack("Newer", NaiveDate::from_ymd_opt(2025, 1, 1).unwrap(), &[])).unwrap();
    fs::create_dir(lib.join("broken")).unwrap();
    fs::write(lib.join("broken/pack.toml"), "format = 1\ntitle = \n").unwrap();
    fs::create_dir(lib.join("not-a-pack")).unwrap();
    let packs = briefpack::library::list_packs(lib).unwrap();
    let titles: Vec<&str> = packs.iter().map(|p| p.title.as_str()).collect();
    assert_eq!(titles, vec!["Newer", "Older", "broken"]);
    assert!(packs[2].problem.as_deref().unwrap().contains("pack.toml:2:"), "{:?}", packs[2].problem);
    assert!(packs[0].modified.is_some());
}

#[test]
fn article_ids_cannot_escape_the_articles_folder() {
    let (_t, dir) = copy_pack(&fixtures().join("packs/full"));
    let p = pack::load(&dir).unwrap().pack;
    let article = p.articles["quoted-date"].clone();
    for bad in ["../escape", "sub/escape", "", "with\u{0}nul"] {
        let mut p = p.clone();
        p.articles.insert(bad.into(), article.clone());
        let err = store::save_pack(&dir, &p).unwrap_err();
        assert!(err.to_string().contains("cannot name an article"), "{bad:?}: {err}");
    }
    assert!(!dir.join("escape.md").exists() && !dir.join("articles/sub").exists());
}

#[test]
fn an_article_linking_outside_the_pack_is_refused() {
    let (_t, dir) = copy_pack(&example_pack());
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.md");
    fs::write(&secret, "+++\ntitle = \"Secret\"\n+++\nNot for this pack.\n").unwrap();
    std::os::unix::fs::symlink(&secret, dir.join("articles/linked.md")).unwrap();
    let diagnostics = pack::check(&dir);
    let d = diagnostics.iter().find(|d| d.file.ends_with("articles/linked.md")).expect("the link is reported");
    assert!(d.is_error() && d.message.contains("outside the pack"), "{d}");
}

#[test]
fn packs_load_from_memory_exactly_as_from_disk() {
    let dir = example_pack();
    let pack_toml = fs::read_to_string(dir.join("pack.toml")).unwrap();
    let article = fs::read_to_string(dir.join("articles/mi5-annual-threat-update.md")).unwrap();
    let from_memory = pack::load_from_texts(&dir, &pack_toml, &[("mi5-annual-threat-update".into(), article)]).unwrap();
    assert_eq!(from_memory.pack, pack::load(&dir).unwrap().pack);
}

/// Lines of `before` that are not in `after` (in order): what a change removed or rewrote.
fn lines_lost(before: &str, after: &str) -> Vec<String> {
    let (a, b): (Vec<&str>, Vec<&str>) = (before.lines().collect(), after.lines().collect());
    // Longest common subsequence of lines; whatever of `a` is not in it was lost.
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] { table[i + 1][j + 1] + 1 } else { table[i + 1][j].max(table[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut lost) = (0, 0, Vec::new());
    while i < a.len() {
        if j < b.len() && a[i] == b[j] {
            i += 1;
            j += 1;
        } else if j < b.len() && table[i][j + 1] >= table[i + 1][j] {
            j += 1;
        } else {
            lost.push(a[i].to_string());
            i += 1;
        }
    }
    lost
}

#[test]
fn an_app_edit_and_an_import_change_only_the_lines_they_must_in_a_hand_written_pack() {
    let (_t, dir) = copy_pack(&fixtures().join("packs/hand-written"));
    let original = fs::read_to_string(dir.join("pack.toml")).unwrap();
    let article_path = dir.join("articles/ransomware-review.md");
    let article_before = fs::read_to_string(&article_path).unwrap();

    // The app sends the whole pack as JSON (absent fields as null) with one field changed.
    let revision = store::revision(&dir).unwrap();
    let document: store::PackDocument = pack::load(&dir).unwrap().pack.into();
    let mut document: store::PackDocument = serde_json::from_value(serde_json::to_value(&document).unwrap()).unwrap();
    document.meta.title = "Q1 threat briefing".into();
    document.articles[0].article.meta.author = Some("NCSC press office".into());
    store::save_pack_if_unchanged(&dir, &document.into(), &revision).unwrap();
    let edited = fs::read_to_string(dir.join("pack.toml")).unwrap();
    assert_eq!(edited, original.replace("title    = 'Quarterly threat briefing'", "title    = \"Q1 threat briefing\""));
    let article_after = fs::read_to_string(&article_path).unwrap();
    assert_eq!(
        article_after,
        article_before.replace("published = 2026-01-02   # the day it went up\n", "author = \"NCSC press office\"\npublished = 2026-01-02   # the day it went up\n")
    );

    // An import adds its article, figures, links and sections, and rewrites nothing.
    let page = fixtures().join("import/blog-ic3-report.html");
    let imported = briefpack::import::import(&page, &briefpack::import::read_file(&page).unwrap()).unwrap();
    let options = briefpack::import::AcceptOptions { retrieved: NaiveDate::from_ymd_opt(2026, 1, 14), ..briefpack::import::AcceptOptions::all(&imported) };
    let (added, _) = briefpack::import::import_into(&dir, &imported, &options, None).unwrap();
    assert!(!added.statistics.is_empty() && !added.links.is_empty(), "{added:?}");
    let imported_text = fs::read_to_string(dir.join("pack.toml")).unwrap();
    assert_eq!(lines_lost(&edited, &imported_text), Vec::<String>::new(), "the import rewrote lines:\n{imported_text}");
    assert!(imported_text.lines().count() > edited.lines().count() + 10);
    assert!(pack::check(&dir).iter().all(|d| !d.is_error()), "{:#?}", pack::check(&dir));
}
