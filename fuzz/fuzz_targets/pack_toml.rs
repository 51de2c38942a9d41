//! Any bytes as pack.toml: loading reports problems, never panics.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = briefpack::pack::load_from_texts(std::path::Path::new("fuzz"), text, &[]);
    }
});
