//! Any bytes as a saved HTML page.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = briefpack::import::import(std::path::Path::new("page.html"), data);
});
