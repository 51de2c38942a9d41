//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

/// The folder of test fixtures.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The example library at the repository root.
pub(crate) fn example_pack() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../briefings/mi5-threat-update-2025")
}

/// Copies a pack folder (pack.toml and articles/) into a fresh temporary folder.
pub(crate) fn copy_pack(from: &Path) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let to = temp.path().join(from.file_name().unwrap());
    briefpack::pack::store::copy_pack(from, &to).unwrap();
    (temp, to)
}

