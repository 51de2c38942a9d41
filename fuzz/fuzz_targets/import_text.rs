//! Any bytes as a scraped text page.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = briefpack::import::import(std::path::Path::new("page.txt"), data);
});
