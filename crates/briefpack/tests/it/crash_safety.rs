//! Crash safety: a process stopped at any step of a save (as `kill -9` would
//! stop it) never leaves a pack that fails to load, nor a file holding a mix of
//! two versions, nor a pack.toml newer than the articles it names.
//!
//! The test re-runs this test binary as a child that saves once
//! (`save_once_child`, which does nothing unless the environment asks it to),
//! stopping it at each crash point in turn (see `briefpack-crash-harness`).

use std::path::Path;
use std::process::Command;

use briefpack::pack::{self, store};
use briefpack_crash_harness::stop_at_every_crash_point;

use crate::common::{copy_pack, example_pack};

const DIR_VAR: &str = "BRIEFPACK_TEST_SAVE_ONCE_DIR";

/// Version `tag` of the example pack: changes both pack.toml and the article,
/// each large enough that a torn write would show.
fn version(dir: &Path, tag: &str) -> pack::Pack {
    let mut p = pack::load(dir).unwrap().pack;
    p.meta.title = format!("Version {tag}");
    p.meta.summary = Some(format!("{tag} paragraph. ").repeat(4000));
    let article = p.articles.values_mut().next().unwrap();
    article.meta.title = format!("Article {tag}");
    article.body = format!("{tag} body line.\n").repeat(4000);
    p
}

#[test]
fn save_once_child() {
    let Some(dir) = std::env::var_os(DIR_VAR) else { return };
    let dir = Path::new(&dir);
    store::save_pack(dir, &version(dir, "B")).unwrap();
}

#[test]
fn a_save_stopped_at_any_step_leaves_the_old_or_the_new_pack() {
    let (_t, dir) = copy_pack(&example_pack());
    let exe = std::env::current_exe().unwrap();
    let mut saw_new_article_under_old_pack = false;
    let points = stop_at_every_crash_point(
        || {
            store::save_pack(&dir, &version(&dir, "A")).unwrap();
            let mut child = Command::new(&exe);
            child.args(["--exact", "crash_safety::save_once_child", "--test-threads=1"]).env(DIR_VAR, &dir);
            child
        },
        |point| {
            let p = pack::load(&dir).unwrap_or_else(|e| panic!("stopped at crash point {point}: the pack no longer loads: {e}")).pack;
            let article = p.articles.values().next().unwrap();
            let tag = p.meta.title.strip_prefix("Version ").unwrap().to_string();
            let article_tag = article.meta.title.strip_prefix("Article ").unwrap().to_string();
            // Each file is whole: old or new, never a torn mixture within a file.
            assert_eq!(p.meta.summary.as_deref(), Some(format!("{tag} paragraph. ").repeat(4000).as_str()), "point {point}: torn pack.toml");
            assert_eq!(article.body, format!("{article_tag} body line.\n").repeat(4000), "point {point}: torn article");
            // Articles are written before the pack.toml that names them.
            assert!(!(tag == "B" && article_tag == "A"), "point {point}: pack.toml was saved before its article");
            saw_new_article_under_old_pack |= tag == "A" && article_tag == "B";
        },
    );
    // Two files, each written in four steps (written, flushed, renamed, folder flushed).
    assert_eq!(points, 8, "the save passed {points} crash points");
    assert!(saw_new_article_under_old_pack, "no stop fell between the article and pack.toml");
    assert_eq!(pack::load(&dir).unwrap().pack.meta.title, "Version B");
}
