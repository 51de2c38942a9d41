//! Crash safety: a process killed with SIGKILL in the middle of saving never
//! leaves a pack that fails to load, nor one holding a mix of two versions.
//!
//! The test re-runs this test binary as a child that saves in a loop
//! (`save_loop_child`, which does nothing unless the environment asks it to),
//! kills it at pseudo-random moments, and loads the pack after every kill.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use briefpack::pack::{self, store};

use crate::common::{copy_pack, example_pack};

const DIR_VAR: &str = "BRIEFPACK_TEST_SAVE_LOOP_DIR";
const KILLS: usize = 200;

/// The two versions the child alternates between; each is large enough that a
/// write takes a while, and each changes both pack.toml and the article.
fn version(dir: &Path, n: usize) -> pack::Pack {
    let mut p = pack::load(dir).unwrap().pack;
    let tag = if n.is_multiple_of(2) { "A" } else { "B" };
    p.meta.title = format!("Version {tag}");
    p.meta.summary = Some(format!("{tag} paragraph. ").repeat(4000));
    let article = p.articles.values_mut().next().unwrap();
    article.meta.title = format!("Article {tag}");
    article.body = format!("{tag} body line.\n").repeat(4000);
    p
}

#[test]
fn save_loop_child() {
    let Some(dir) = std::env::var_os(DIR_VAR) else { return };
    let dir = Path::new(&dir);
    let versions = [version(dir, 0), version(dir, 1)];
    for n in 0.. {
        store::save_pack(dir, &versions[n % 2]).unwrap();
    }
}

#[test]
fn kill_nine_mid_save_never_breaks_a_pack() {
    let (_t, dir) = copy_pack(&example_pack());
    let exe = std::env::current_exe().unwrap();
    let mut seed: u64 = 0x5eed_1234;
    let mut saw = [false; 2];
    for round in 0..KILLS {
        let mut child = Command::new(&exe)
            .args(["--exact", "crash_safety::save_loop_child", "--test-threads=1", "--nocapture"])
            .env(DIR_VAR, &dir)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // xorshift: reproducible pseudo-random kill moments between 5 and 45 ms
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_millis(5 + seed % 40));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();

        let loaded = pack::load(&dir).unwrap_or_else(|e| panic!("round {round}: pack broken after kill -9: {e}"));
        let p = loaded.pack;
        let article = p.articles.values().next().unwrap();
        match p.meta.title.as_str() {
            "Version A" => saw[0] = true,
            "Version B" => saw[1] = true,
            title => assert_eq!(title, pack::load(&example_pack()).unwrap().pack.meta.title, "round {round}"),
        }
        // each file is whole: old or new, never a torn mixture within a file
        let tag = article.meta.title.strip_prefix("Article ").unwrap_or("");
        if !tag.is_empty() {
            assert_eq!(article.body, format!("{tag} body line.\n").repeat(4000), "round {round}: torn article");
        }
        if let Some(summary) = &p.meta.summary {
            let first = &summary[..1];
            if p.meta.title.starts_with("Version") {
                assert_eq!(summary, &format!("{first} paragraph. ").repeat(4000), "round {round}: torn pack.toml");
            }
        }
    }
    assert!(saw[0] && saw[1], "the child never got to save both versions: {saw:?}");
}
