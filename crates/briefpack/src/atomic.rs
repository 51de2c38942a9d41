//! Crash-safe file writes: a reader sees the old file or the new one, never a torn one.
//!
//! The bytes go to a temporary file in the same folder, are flushed to disk,
//! renamed over the target (atomic on POSIX file systems), and the folder is
//! flushed so the rename itself survives a power cut.
//!
//! Crash tests need to stop a process exactly between two of those steps, on any
//! machine, at any speed: every step is a numbered [`crash_point`], and a process
//! started with `BRIEFPACK_CRASH_AT=N` aborts (as a `kill -9` would, with no
//! clean-up) when it reaches the N-th one.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// The environment variable that makes a process abort at its N-th crash point.
pub const CRASH_AT_VAR: &str = "BRIEFPACK_CRASH_AT";

static CRASH_AT: OnceLock<Option<u64>> = OnceLock::new();
static CRASH_POINTS_PASSED: AtomicU64 = AtomicU64::new(0);

/// Marks a step after which a crash must leave the files whole; aborts the
/// process here if this is the step `BRIEFPACK_CRASH_AT` names. Does nothing
/// else (one relaxed counter increment) when the variable is not set.
pub fn crash_point(step: &str) {
    let Some(at) = *CRASH_AT.get_or_init(|| std::env::var(CRASH_AT_VAR).ok().and_then(|v| v.parse().ok())) else { return };
    if CRASH_POINTS_PASSED.fetch_add(1, Ordering::SeqCst) + 1 == at {
        eprintln!("briefpack: stopping at crash point {at} ({step}), as {CRASH_AT_VAR} asks");
        std::process::abort();
    }
}

/// Writes `bytes` to `path` atomically. A path that names something other than
/// a regular file (a device, a pipe, a folder) is refused: the rename would
/// replace the device node itself.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    crate::files::check_replaceable(path).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.to_string()))?;
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, format!("{} is not a file path", path.display())))?;
    let temp = dir.join(format!(
        ".{}.{}-{}.tmp",
        name.to_string_lossy(),
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&temp)?;
        file.write_all(bytes)?;
        crash_point("temporary file written, not yet flushed");
        file.sync_all()?;
        drop(file);
        crash_point("temporary file flushed, not yet renamed");
        fs::rename(&temp, path)?;
        crash_point("renamed, folder not yet flushed");
        sync_dir(&dir)?;
        crash_point("folder flushed");
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Flushes a folder's entries (new names, renames) to disk.
pub fn sync_dir(dir: &Path) -> io::Result<()> {
    // Opening a directory read-only and fsyncing it is how POSIX persists renames.
    File::open(dir)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_content_and_leaves_no_temporary_files() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pack.toml");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("pack.toml")]);
    }

    #[test]
    fn a_folder_or_device_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("sub");
        fs::create_dir(&folder).unwrap();
        let err = write_atomic(&folder, b"x").unwrap_err();
        assert!(err.to_string().contains("is a folder, not a file"), "{err}");
        assert!(folder.is_dir());
        #[cfg(unix)]
        {
            let err = write_atomic(Path::new("/dev/null"), b"x").unwrap_err();
            assert!(err.to_string().contains("is a device"), "{err}");
        }
    }

    #[test]
    fn a_failed_write_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("missing-folder").join("pack.toml");
        assert!(write_atomic(&path, b"x").is_err());
    }
}
