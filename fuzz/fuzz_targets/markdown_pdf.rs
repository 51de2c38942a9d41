//! The whole pipeline on any Markdown: parse, lay out, write the PDF.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static FONTS: OnceLock<briefpack::fonts::FontSet> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    // Long inputs only slow the search down; the limits tests cover size.
    if data.len() > 4096 {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fonts = FONTS.get_or_init(|| briefpack::fonts::FontSet::bundled().unwrap());
    let style = briefpack::layout::Style::default();
    if let Ok(rendered) = briefpack::render::markdown_to_pdf(text, "fuzz.md", &style, fonts, &briefpack::layout::NoAssets) {
        assert!(rendered.pdf.starts_with(b"%PDF-"));
    }
});
