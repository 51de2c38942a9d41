//! Hostile sizes and shapes: each finishes (in bounded time and memory) or fails
//! with a clear error; nothing hangs, overflows the stack or panics.

use std::fmt::Write;

use briefpack::fonts::FontSet;
use briefpack::layout::{NoAssets, Style};
use briefpack::pack;
use briefpack::render::markdown_to_pdf;

use crate::common::{copy_pack, example_pack};

fn render(source: &str) -> briefpack::render::Rendered {
    let fonts = FontSet::bundled().unwrap();
    markdown_to_pdf(source, "hostile.md", &Style::default(), &fonts, &NoAssets).unwrap()
}

#[test]
fn an_article_over_the_size_limit_is_refused_with_its_size() {
    let (_t, dir) = copy_pack(&example_pack());
    let path = dir.join("articles/mi5-annual-threat-update.md");
    let mut text = std::fs::read_to_string(&path).unwrap();
    let filler = "A paragraph of an enormous scraped article. ".repeat(200) + "\n\n";
    while (text.len() as u64) < 20 * 1024 * 1024 {
        text.push_str(&filler);
    }
    std::fs::write(&path, text).unwrap();
    let diagnostics = pack::check(&dir);
    let error = diagnostics.iter().find(|d| d.is_error()).expect("an error");
    assert!(error.file.ends_with("articles/mi5-annual-threat-update.md"), "{error}");
    assert!(error.message.contains("20.0 MB; the limit is 4 MB"), "{error}");
}

#[test]
fn a_ten_thousand_row_table_is_laid_out_with_its_header_on_every_page() {
    let mut source = String::from("| Region | Incidents | Period |\n|:--|--:|:--|\n");
    for i in 0..10_000 {
        writeln!(source, "| Region {i} | {} | 2025 |", i * 7 % 9000).unwrap();
    }
    let rendered = render(&source);
    assert!(rendered.pages > 200, "{} pages", rendered.pages);
    let text = String::from_utf8_lossy(&rendered.pdf);
    assert!(text.starts_with("%PDF-"));
}

#[test]
fn a_thousand_levels_of_nesting_neither_overflow_nor_vanish() {
    let quotes = "> ".repeat(1000) + "the deepest quote";
    let list: String = (0..1000).map(|i| format!("{}- level {i}\n", "  ".repeat(i))).collect();
    // Run on a thread with a small stack: deep input must not need a deep stack.
    let handle = std::thread::Builder::new()
        .stack_size(2 * 1024 * 1024)
        .spawn(move || {
            let document = briefpack::markdown::parse(&format!("{quotes}\n\n{list}"));
            let fonts = FontSet::bundled().unwrap();
            let layout = briefpack::layout::layout(
                &document,
                &Style::default(),
                &fonts,
                &NoAssets,
                &Default::default(),
                &Default::default(),
            )
            .unwrap();
            (0..layout.pages.len()).map(|i| layout.page_text(i)).collect::<String>()
        })
        .unwrap();
    let text = handle.join().expect("no stack overflow");
    assert!(text.contains("the deepest quote"));
    assert!(text.contains("level 999"), "deep list items keep their text");
}

#[test]
fn a_hundred_thousand_character_word_is_split_across_lines_and_kept_whole() {
    let word = "x".repeat(100_000);
    let document = briefpack::markdown::parse(&word);
    let fonts = FontSet::bundled().unwrap();
    let layout = briefpack::layout::layout(&document, &Style::default(), &fonts, &NoAssets, &Default::default(), &Default::default()).unwrap();
    let text: String = (0..layout.pages.len()).map(|i| layout.page_text(i)).collect();
    assert_eq!(text.chars().filter(|c| *c == 'x').count(), 100_000, "every character is printed once");
}
