//! Any bytes as a found PDF handed to `briefpack trace` (a file from anywhere:
//! lopdf parses it, then its document information and page text are read),
//! against a library whose one pack logged copies the seed resembles, so the
//! identifier and printed-line paths are reached as well as the hash.
#![no_main]
use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

const LOG: &str = r#"[[copies]]
issued_at = "2026-11-27T17:12:28Z"
issued_on = 2025-10-20
title = "Q4 board"
copy = 1
of = 3
copy_id = "BP-TEST-0001"
recipient = "Jane Smith"
template = "board-briefing"
file = "out/distribution-2025-10-20/q4-board-briefing-copy-01-jane-smith.pdf"
sha256 = "0000000000000000000000000000000000000000000000000000000000000000"
"#;

fn library() -> &'static PathBuf {
    static LIBRARY: OnceLock<PathBuf> = OnceLock::new();
    LIBRARY.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("briefpack-fuzz-trace-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("q4")).unwrap();
        std::fs::write(dir.join("q4").join(briefpack::distribute::LOG_FILE), LOG).unwrap();
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = briefpack::distribute::trace(data, library());
});
