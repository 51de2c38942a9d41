//! `briefpack import … --into` killed with SIGKILL at random moments, 200 times:
//! the pack must load after every kill, holding the old or the new content.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;


#[test]
fn kill_nine_during_import_never_breaks_the_pack() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("pack");
    let page = root.join("crates/briefpack/tests/fixtures/import/seed-mi5-annual-threat-update.txt");
    let mut seed: u64 = 0x00c0_ffee;
    let mut completed = 0;
    // Kill moments are spread over 1.5 times what one whole import takes on this
    // machine (measured, not assumed: machines differ twofold and more), so kills
    // land before, during and after the save wherever the test runs.
    briefpack::pack::store::copy_pack(&root.join("briefings/mi5-threat-update-2025"), &pack).unwrap();
    let started = std::time::Instant::now();
    let status = Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(["import", page.to_str().unwrap(), "--into", pack.to_str().unwrap(), "--accept-all"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let window = (started.elapsed().as_micros() as u64 * 3 / 2).max(2_000);
    for round in 0..200 {
        if round % 25 == 0 {
            // Start again from the example now and then, so the pack stays small and each round quick.
            let _ = std::fs::remove_dir_all(&pack);
            briefpack::pack::store::copy_pack(&root.join("briefings/mi5-threat-update-2025"), &pack).unwrap();
        }
        let mut child = Command::new(env!("CARGO_BIN_EXE_briefpack"))
            .args(["import", page.to_str().unwrap(), "--into", pack.to_str().unwrap(), "--accept-all"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        std::thread::sleep(Duration::from_micros(1_000 + seed % window));
        if child.try_wait().unwrap().is_some_and(|status| status.success()) {
            completed += 1;
        }
        let _ = child.kill();
        child.wait().unwrap();
        if let Err(e) = briefpack::pack::load(&pack) {
            panic!("round {round}: the pack no longer loads after kill -9: {e}");
        }
    }
    assert!(completed > 0, "some imports must have finished before their kill");
}
