//! The Markdown stage: one snapshot of the `Document` per Markdown feature.
//! Review changed snapshots (`tests/it/snapshots/`) like code.

use briefpack::markdown::{self, Block, Inline};

fn doc(src: &str) -> markdown::Document {
    markdown::parse(src)
}

#[test]
fn headings_get_unique_anchor_ids() {
    insta::assert_debug_snapshot!(doc("# Threat update\n\n## Background\n\ntext\n\n## Background\n\n### ‘Hard target’ – advice\n"));
}

#[test]
fn smart_punctuation_and_inline_styles() {
    insta::assert_debug_snapshot!(doc(
        "He said \"it's *vital*\" -- and **bold**, ~~gone~~, `code`, [NCSC](https://www.ncsc.gov.uk) and https://www.npsa.gov.uk.\nSoft break.  \nHard break."
    ));
}

#[test]
fn nested_bullet_and_numbered_lists_and_tasks() {
    insta::assert_debug_snapshot!(doc("1. First\n2. Second\n   - nested a\n   - nested b\n     1. deeper\n3. Third\n\n- [x] done\n- [ ] to do\n"));
}

#[test]
fn quotes_code_and_alerts() {
    insta::assert_debug_snapshot!(doc(
        "> A quote\n> over lines\n\n```rust\nfn main() {}\n```\n\n> [!WARNING]\n> Check the marking.\n\n> [!NOTE] Facilitator\n> Ten minutes.\n"
    ));
}

#[test]
fn tables_keep_alignment_and_cells() {
    insta::assert_debug_snapshot!(doc("| Figure | Value | Note |\n|:--|--:|:-:|\n| Plots | 19 | *since 2020* |\n| Rise | 35% | |\n"));
}

#[test]
fn footnotes_are_numbered_in_order_of_reference() {
    let d = doc("Second[^b] then first[^a] and again[^b].\n\n[^a]: Note A.\n[^b]: Note B.\n");
    insta::assert_debug_snapshot!(d);
    assert_eq!(d.footnotes.iter().map(|f| f.number).collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn images_rules_and_page_breaks() {
    insta::assert_debug_snapshot!(doc("![A chart](chart.png)\n\n---\n\n```page-break\n```\n\nText with ![inline](x.png) image.\n\n<!-- a comment -->\n"));
}

#[test]
fn the_title_of_a_plain_file_is_its_first_heading() {
    let d = doc("Intro paragraph.\n\n# The *real* title\n\n## Later\n");
    assert_eq!(d.first_heading().as_deref(), Some("The real title"));
    assert!(matches!(&d.blocks[0], Block::Paragraph(p) if p == &vec![Inline::Text("Intro paragraph.".into())]));
}
