//! A named pipe (FIFO) for tests that something never reads one. Shared by the
//! core's and the CLI's tests (the CLI's include this file by path).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A named pipe, and a guard that keeps opening it for writing until dropped: a
/// reader that blocks on the pipe (the bug these tests pin) is let go, and its
/// test fails on the result instead of hanging the suite.
pub(crate) struct Fifo {
    done: Arc<AtomicBool>,
    rescuer: Option<std::thread::JoinHandle<()>>,
}

impl Fifo {
    /// Makes a named pipe at `path` with `mkfifo`.
    pub(crate) fn at(path: &Path) -> Fifo {
        let status = std::process::Command::new("mkfifo").arg(path).status().expect("mkfifo (coreutils) must be installed");
        assert!(status.success(), "mkfifo {} failed", path.display());
        let done = Arc::new(AtomicBool::new(false));
        let (flag, path) = (done.clone(), path.to_path_buf());
        let rescuer = std::thread::spawn(move || {
            while !flag.load(Ordering::SeqCst) {
                // Read-write never blocks on Linux; it lets a blocked reader's open return.
                drop(std::fs::OpenOptions::new().read(true).write(true).open(&path));
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
        });
        Fifo { done, rescuer: Some(rescuer) }
    }
}

impl Drop for Fifo {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        if let Some(rescuer) = self.rescuer.take() {
            let _ = rescuer.join();
        }
    }
}
