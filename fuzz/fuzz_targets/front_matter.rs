//! Any bytes as an article file (front matter and body) in a valid pack.
#![no_main]
use libfuzzer_sys::fuzz_target;

const PACK: &str = "format = 1\ntitle = \"Fuzz\"\ndate = 2025-10-20\nmarking = \"TLP:CLEAR\"\n\n[[sections]]\nkind = \"article\"\narticle = \"a\"\n";

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = briefpack::pack::load_from_texts(std::path::Path::new("fuzz"), PACK, &[("a".to_string(), text.to_string())]);
    }
});
