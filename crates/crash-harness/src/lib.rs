//! Crash tests that do not depend on timing.
//!
//! The core marks every step of a save as a crash point
//! ([`briefpack::atomic::crash_point`]). [`stop_at_every_crash_point`] runs a
//! command with `BRIEFPACK_CRASH_AT=1`, then `2`, `3`, … — each run aborts at
//! exactly that step, as a `kill -9` there would — until a run gets past every
//! point and finishes. After each stopped run the caller checks what is on
//! disk. Every boundary between two steps is therefore tested on every
//! machine, however fast or loaded it is. The core, the CLI and the desktop
//! app's tests share this one harness.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

pub use briefpack::atomic::CRASH_AT_VAR;

/// More crash points than any save passes; reaching it means the command never finishes.
const MAX_POINTS: u64 = 10_000;
/// The signal `std::process::abort` raises.
const SIGABRT: i32 = 6;

/// Runs `command()` once per crash point, stopping it at point 1, 2, 3, …, and
/// calls `after_stop(n)` after the run stopped at point `n` (check the files
/// there). Ends when a run finishes without reaching its crash point, and
/// returns how many points the command passes. Panics if a run fails in any
/// other way (an error exit, another signal), printing what it said.
pub fn stop_at_every_crash_point(mut command: impl FnMut() -> Command, mut after_stop: impl FnMut(u64)) -> u64 {
    for n in 1..=MAX_POINTS {
        let output = command()
            .env(CRASH_AT_VAR, n.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .output()
            .unwrap_or_else(|e| panic!("cannot start the command under test: {e}"));
        if output.status.success() {
            return n - 1;
        }
        let said = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.signal(),
            Some(SIGABRT),
            "the run asked to stop at crash point {n} ended otherwise ({}); it said:\n{said}",
            output.status
        );
        after_stop(n);
    }
    panic!("the command under test passed {MAX_POINTS} crash points without finishing");
}
