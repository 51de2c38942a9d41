//! Markdown built from bytes to reach deep and odd nesting (emphasis, strong,
//! strike-through, links, code, quotes, lists, combining marks) → PDF, on a
//! 2 MB stack like the desktop app's workers: nothing may overflow, panic or
//! fail to give a PDF.
//!
//! The bytes are read in pairs (operation, argument); an opening operation
//! repeats `argument` times, so a few bytes reach hundreds of levels.
#![no_main]
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

static FONTS: OnceLock<briefpack::fonts::FontSet> = OnceLock::new();

/// Openers and their closers.
const MARKERS: [(&str, &str); 6] = [("*", "*"), ("**", "**"), ("~~", "~~"), ("_", "_"), ("[", "](https://example.org/x)"), ("[", "](#top)")];
const MAX_MARKDOWN_BYTES: usize = 16 * 1024;
const WORDS: [&str; 8] = ["word", "state threats", "35%", "NCSC", "café", "a\u{301}", "`code`", "https://example.org"];

fn markdown(data: &[u8]) -> String {
    let mut text = String::from("# Top\n\nLead ");
    let mut open: Vec<usize> = Vec::new();
    for pair in data.chunks(2) {
        // Big enough for thousands of levels; larger inputs only slow the search.
        if text.len() > MAX_MARKDOWN_BYTES {
            break;
        }
        let (op, arg) = (pair[0], *pair.get(1).unwrap_or(&1));
        let n = usize::from(arg);
        match op % 12 {
            0..=5 => {
                let kind = usize::from(op % 12);
                for _ in 0..n {
                    text.push_str(MARKERS[kind].0);
                    open.push(kind);
                }
            }
            6 => {
                for _ in 0..n {
                    let Some(kind) = open.pop() else { break };
                    text.push_str(MARKERS[kind].1);
                }
            }
            7 => {
                text.push_str(WORDS[n % WORDS.len()]);
                text.push(' ');
            }
            8 => {
                text.push('\n');
                text.push_str(&">".repeat(n));
                text.push(' ');
            }
            9 => {
                text.push('\n');
                for depth in 0..n.min(64) {
                    text.push_str(&"  ".repeat(depth));
                    text.push_str("- item\n");
                }
            }
            10 => text.push_str(&"\u{308}".repeat(n)),
            _ => text.push_str(if n % 2 == 0 { "\n\n" } else { "\n" }),
        }
    }
    // Close what is open, unless the input ends on an odd byte: unbalanced markers are input too.
    if data.len() % 2 == 0 {
        while let Some(kind) = open.pop() {
            text.push_str(MARKERS[kind].1);
        }
    }
    text.push('\n');
    text
}

fuzz_target!(|data: &[u8]| {
    let source = markdown(data);
    let fonts = FONTS.get_or_init(|| briefpack::fonts::FontSet::bundled().unwrap());
    let rendered = std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(2 * 1024 * 1024)
            .spawn_scoped(scope, || {
                briefpack::render::markdown_to_pdf(&source, "fuzz.md", &briefpack::layout::Style::default(), fonts, &briefpack::layout::NoAssets)
            })
            .unwrap()
            .join()
            .unwrap()
    });
    let rendered = rendered.expect("Markdown without images always renders");
    assert!(rendered.pdf.starts_with(b"%PDF-"));
});
