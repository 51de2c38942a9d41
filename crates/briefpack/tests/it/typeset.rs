//! The typesetter: layout (box positions, page breaks, keep-with-next, widows
//! and orphans, tables, images, contents, links) and the PDF it writes, read
//! back with lopdf and poppler's `pdftotext`.
//! Review changed snapshots (`tests/it/snapshots/`) like code.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;

use briefpack::fonts::{Face, FontSet};
use briefpack::layout::style::{mm, Margins};
use briefpack::layout::{self, Assets, FolderAssets, Furniture, Item, Layout, LayoutError, LinkTarget, NoAssets, Page, Style, Tag, TextRun};
use briefpack::markdown;
use briefpack::pdf::{write_pdf, PdfMetadata};
use briefpack::render::{self, markdown_to_pdf, uncovered_characters};

use crate::common::{fixtures, png, png_header};
use crate::pdf_check::{Pdf, Target};

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::bundled().unwrap())
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(fixtures().join("markdown").join(name)).unwrap()
}

fn furniture(title: &str) -> Furniture {
    Furniture { title: title.into(), ..Furniture::default() }
}

fn lay_out_with(source: &str, style: &Style, assets: &dyn Assets) -> Result<Layout, LayoutError> {
    let document = markdown::parse(source);
    let title = document.first_heading().unwrap_or_else(|| "Untitled".into());
    let laid_out = layout::layout(&document, style, fonts(), assets, &furniture(&title), &briefpack::layout::Embeds::default());
    if let Ok(l) = &laid_out {
        reading(l);
    }
    laid_out
}

fn lay_out(source: &str, style: &Style) -> Layout {
    lay_out_with(source, style, &NoAssets).unwrap()
}

fn pdf_of(layout: &Layout, title: &str) -> Pdf {
    let bytes = write_pdf(layout, fonts(), &PdfMetadata { title: title.into(), ..PdfMetadata::default() }).unwrap();
    Pdf::parse(&bytes)
}

/// A page whose body is only about 47 mm tall, so small fixtures break across pages.
fn short_page() -> Style {
    Style { margins: Margins { top: 100.0, bottom: 150.0, ..Margins::default() }, ..Style::default() }
}

/// The body area of a page: left, right, top and bottom edges in points.
struct Frame {
    left: f32,
    right: f32,
    top: f32,
    bottom: f32,
    height: f32,
}

fn frame(style: &Style, layout: &Layout) -> Frame {
    Frame {
        left: mm(style.margins.left),
        right: layout.width - mm(style.margins.right),
        top: mm(style.margins.top),
        bottom: layout.height - mm(style.margins.bottom),
        height: layout.height,
    }
}

/// The glyph texts of every layout made in these tests (`Layout::glyph_text`): a glyph's
/// text is a property of the font, so one map serves all layouts and helpers can read runs.
static GLYPH_TEXT: std::sync::Mutex<std::collections::BTreeMap<(briefpack::fonts::Face, u16), std::sync::Arc<str>>> =
    std::sync::Mutex::new(std::collections::BTreeMap::new());

/// Makes `text_of` able to read runs of `layout`.
fn reading(layout: &Layout) {
    GLYPH_TEXT.lock().unwrap().extend(layout.glyph_text.iter().map(|(k, v)| (*k, v.clone())));
}

fn text_of(run: &TextRun) -> String {
    let map = GLYPH_TEXT.lock().unwrap();
    run.glyphs.iter().map(|g| map.get(&(run.face, g.gid)).map(|s| s.to_string()).unwrap_or_default()).collect()
}

fn runs(page: &Page) -> impl Iterator<Item = &TextRun> {
    page.items.iter().filter_map(|i| match i {
        Item::Text(t) => Some(t),
        _ => None,
    })
}

/// A line of text in the body of a page.
#[derive(Debug, Clone)]
struct BodyLine {
    baseline: f32,
    text: String,
    /// The largest size on the line and whether that run is bold.
    size: f32,
    bold: bool,
    x: f32,
}

impl BodyLine {
    /// Headings are bold and 11 pt or larger; nothing else in the generated documents is.
    fn is_heading(&self) -> bool {
        self.bold && self.size >= 10.9
    }
}

/// Text runs between the top and bottom margins, grouped into lines top to bottom.
fn body_lines(page: &Page, frame: &Frame) -> Vec<BodyLine> {
    let mut by_baseline: Vec<(f32, Vec<&TextRun>)> = Vec::new();
    for run in runs(page).filter(|r| r.baseline > frame.top && r.baseline < frame.bottom) {
        match by_baseline.iter_mut().find(|(b, _)| (b - run.baseline).abs() < 0.5) {
            Some((_, group)) => group.push(run),
            None => by_baseline.push((run.baseline, vec![run])),
        }
    }
    by_baseline.sort_by(|a, b| a.0.total_cmp(&b.0));
    by_baseline
        .into_iter()
        .map(|(baseline, mut group)| {
            group.sort_by(|a, b| a.x.total_cmp(&b.x));
            let biggest = group.iter().max_by(|a, b| a.size.total_cmp(&b.size)).unwrap();
            BodyLine {
                baseline,
                text: group.iter().map(|r| text_of(r)).collect(),
                size: biggest.size,
                bold: biggest.face == Face::Bold,
                x: group[0].x,
            }
        })
        .collect()
}

/// Collapses runs of whitespace (justified lines come out of pdftotext with wide gaps).
fn squash(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Rounds to one decimal for snapshots, without a "-0.0".
fn r(v: f32) -> String {
    let v = (v * 10.0).round() / 10.0 + 0.0;
    format!("{v:.1}")
}

/// One line per item: a compact, reviewable picture of where everything went.
fn render_layout(layout: &Layout) -> String {
    let mut out = String::new();
    writeln!(out, "page {} x {}", r(layout.width), r(layout.height)).unwrap();
    for entry in &layout.outline {
        writeln!(out, "O h{} page {} y {} {:?}", entry.level, entry.page + 1, r(entry.y), entry.title).unwrap();
    }
    for (i, page) in layout.pages.iter().enumerate() {
        writeln!(out, "--- page {} ---", i + 1).unwrap();
        for item in &page.items {
            let line = match item {
                Item::Text(t) => format!("T {},{} {:?} {} {:?}", r(t.x), r(t.baseline), t.face, r(t.size), text_of(t)),
                Item::Rect { x, y, w, h, fill, stroke } => format!(
                    "R {},{} {}x{}{}{}",
                    r(*x),
                    r(*y),
                    r(*w),
                    r(*h),
                    if fill.is_some() { " fill" } else { "" },
                    if stroke.is_some() { " stroke" } else { "" }
                ),
                Item::Line { from, to, width, .. } => format!("L {},{} -> {},{} w{}", r(from.0), r(from.1), r(to.0), r(to.1), r(*width)),
                Item::Image { x, y, w, h, image } => format!("I {},{} {}x{} #{image}", r(*x), r(*y), r(*w), r(*h)),
                Item::Link { x, y, w, h, target, description, .. } => {
                    let to = match target {
                        LinkTarget::Uri(uri) => uri.to_string(),
                        LinkTarget::Internal { page, y } => format!("page {} y {}", page + 1, r(*y)),
                    };
                    format!("K link {},{} {}x{} -> {to} ({description})", r(*x), r(*y), r(*w), r(*h))
                }
                Item::Begin(Tag::Node(node)) => {
                    let node = &layout.structure.nodes[*node as usize];
                    format!("< {}{}", node.role.pdf_name(), node.alt.as_ref().map(|a| format!(" alt={a:?}")).unwrap_or_default())
                }
                Item::Begin(Tag::Artifact(kind)) => format!("< artifact {kind:?}"),
                Item::Begin(Tag::Inline(role)) => format!("< inline {}", role.pdf_name()),
                Item::Begin(Tag::SoftHyphen) => "< soft hyphen".to_string(),
                Item::End => ">".to_string(),
            };
            writeln!(out, "{line}").unwrap();
        }
    }
    out
}

/// A small deterministic generator of plausible briefing prose.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const STARTS: &[&str] = &["The", "Our", "Each", "Recent", "Security", "Board", "Every", "This"];
const WORDS: &[&str] = &[
    "state", "threat", "activity", "investigations", "increase", "board", "directors", "counterintelligence", "responsibilities",
    "the", "of", "and", "in", "to", "a", "security", "guidance", "protective", "organisation", "recommendation", "espionage",
    "sabotage", "cyber", "academic", "research", "proxies", "interference", "quarterly", "assessment", "disrupted", "late-stage",
    "attack", "plots", "MI5", "NPSA", "NCSC", "since", "2020", "35%", "€4.2m", "café", "résumé", "“quoted”", "–", "office",
    "efficient", "with", "for", "partners", "suppliers", "characteristically", "internationalisation", "is", "are", "was",
];
/// Inline markup mixed into the generated prose now and then.
const INLINE: &[&str] = &[
    "`briefpack build`", "*urgent*", "**priority**", "[NCSC guidance](https://www.ncsc.gov.uk/collection/board-toolkit)",
    "https://www.npsa.gov.uk", "see [the first section](#section-1-espionage)",
];

fn sentence(rng: &mut Rng) -> String {
    let n = 4 + rng.below(12);
    let mut words = vec![rng.pick(STARTS).to_string()];
    for _ in 0..n {
        let word = if rng.below(15) == 0 { rng.pick(INLINE) } else { rng.pick(WORDS) };
        words.push(word.to_string());
    }
    format!("{}.", words.join(" "))
}

/// Prose without markup or unbreakable addresses.
fn plain_sentence(rng: &mut Rng) -> String {
    let n = 4 + rng.below(12);
    let mut words = vec![rng.pick(STARTS).to_string()];
    for _ in 0..n {
        words.push(rng.pick(WORDS).to_string());
    }
    format!("{}.", words.join(" "))
}

/// A paragraph whose first and last words mark its number, so its lines can be traced across pages.
fn paragraph(rng: &mut Rng, number: usize, sentences: usize) -> String {
    let body: Vec<String> = (0..sentences).map(|_| sentence(rng)).collect();
    format!("P{number}start {} P{number}end.", body.join(" "))
}

/// A long document: a title, then headings every few blocks. With `varied`, the
/// blocks include lists, tables, quotes, code and callouts as well as paragraphs.
fn long_document(seed: u64, blocks: usize, varied: bool) -> String {
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let mut out = format!("# Generated brief {seed}\n\n");
    let mut section = 0;
    for b in 0..blocks {
        if b > 0 && rng.below(3) == 0 {
            section += 1;
            let level = if rng.below(3) == 0 { 3 } else { 2 };
            writeln!(out, "{} Section {section} {}\n", "#".repeat(level), rng.pick(&["espionage", "sabotage", "insiders", "cyber", "guidance"])).unwrap();
            if rng.below(4) == 0 {
                section += 1;
                writeln!(out, "### Section {section} detail\n").unwrap();
            }
        }
        let kind = if varied { rng.below(12) } else { 0 };
        match kind {
            7 => {
                for i in 0..2 + rng.below(4) {
                    writeln!(out, "- Item {i}: {}", sentence(&mut rng)).unwrap();
                    if rng.below(3) == 0 {
                        writeln!(out, "  1. Nested {}", sentence(&mut rng)).unwrap();
                    }
                }
                out.push('\n');
            }
            8 => {
                out.push_str("| Measure | Value | Note |\n|:--|--:|:--|\n");
                for i in 0..2 + rng.below(6) {
                    writeln!(out, "| Row {i} {} | {} | {} |", rng.pick(WORDS), 10 + rng.below(900), rng.pick(WORDS)).unwrap();
                }
                out.push('\n');
            }
            9 => writeln!(out, "> {}\n", sentence(&mut rng)).unwrap(),
            10 => writeln!(out, "```text\n{}\n{}\n```\n", sentence(&mut rng), sentence(&mut rng)).unwrap(),
            11 => writeln!(out, "> [!NOTE]\n> {}\n", sentence(&mut rng)).unwrap(),
            _ => {
                let sentences = 1 + rng.below(9);
                writeln!(out, "{}\n", paragraph(&mut rng, b, sentences)).unwrap();
            }
        }
    }
    writeln!(out, "{}", paragraph(&mut rng, blocks, 3)).unwrap();
    out
}

// ---------------------------------------------------------------------------
// Layout snapshots of small fixtures
// ---------------------------------------------------------------------------

#[test]
fn layout_of_a_paragraph_and_a_nested_list() {
    let layout = lay_out(&fixture("typeset-paragraph-list.md"), &Style::default());
    assert_eq!(layout.pages.len(), 1);
    insta::assert_snapshot!(render_layout(&layout));
}

#[test]
fn layout_of_a_heading_and_a_table_that_breaks() {
    let style = short_page();
    let layout = lay_out(&fixture("typeset-table-break.md"), &style);
    assert!(layout.pages.len() >= 2, "the table should not fit one short page");
    insta::assert_snapshot!(render_layout(&layout));
}

#[test]
fn layout_of_an_explicit_page_break() {
    let style = Style::default();
    let layout = lay_out(&fixture("typeset-page-break.md"), &style);
    assert_eq!(layout.pages.len(), 2);
    let f = frame(&style, &layout);
    let first: Vec<String> = body_lines(&layout.pages[0], &f).into_iter().map(|l| l.text).collect();
    let second: Vec<String> = body_lines(&layout.pages[1], &f).into_iter().map(|l| l.text).collect();
    assert_eq!(first, vec!["Before and after", "First page text."]);
    assert_eq!(second, vec!["After the break", "Second page text."]);
    insta::assert_snapshot!(render_layout(&layout));
}

// ---------------------------------------------------------------------------
// Layout rules
// ---------------------------------------------------------------------------

/// A generated 20-odd page document with every kind of block, laid out once.
fn varied_document() -> &'static (String, Layout) {
    static DOC: OnceLock<(String, Layout)> = OnceLock::new();
    DOC.get_or_init(|| {
        let source = long_document(7, 110, true);
        let layout = lay_out(&source, &Style::default());
        (source, layout)
    })
}

#[test]
fn no_text_run_passes_the_margins() {
    let style = Style::default();
    assert!(style.justify, "the default style justifies paragraphs");
    let (_, layout) = varied_document();
    assert!(layout.pages.len() >= 8, "only {} pages", layout.pages.len());
    let f = frame(&style, layout);
    let mut flush_right = 0;
    for (p, page) in layout.pages.iter().enumerate() {
        for run in runs(page) {
            let end = run.x + run.width();
            assert!(run.x >= f.left - 0.5, "page {}: {:?} starts at {} left of the margin {}", p + 1, text_of(run), run.x, f.left);
            assert!(end <= f.right + 0.5, "page {}: {:?} ends at {end}, past the right margin {}", p + 1, text_of(run), f.right);
            if (end - f.right).abs() < 0.5 {
                flush_right += 1;
            }
        }
    }
    // Justified lines end exactly at the margin: the check above is not vacuous.
    assert!(flush_right > 100, "only {flush_right} runs reach the right margin; is the text justified?");
}

#[test]
fn justified_lines_fill_the_column_and_last_lines_are_ragged() {
    let style = Style::default();
    let mut rng = Rng(99);
    let text: Vec<String> = (0..12).map(|_| plain_sentence(&mut rng)).collect();
    let source = format!("# Justified\n\n{}\n", text.join(" "));
    let layout = lay_out(&source, &style);
    let f = frame(&style, &layout);
    let lines: Vec<Vec<&TextRun>> = {
        let mut lines: Vec<Vec<&TextRun>> = Vec::new();
        for run in runs(&layout.pages[0]).filter(|r| r.baseline > f.top && r.baseline < f.bottom && r.face == Face::Regular) {
            match lines.last_mut() {
                Some(line) if (line[0].baseline - run.baseline).abs() < 0.5 => line.push(run),
                _ => lines.push(vec![run]),
            }
        }
        lines
    };
    assert!(lines.len() > 6, "{} lines", lines.len());
    let end = |line: &Vec<&TextRun>| line.iter().map(|r| r.x + r.width()).fold(0.0, f32::max);
    for line in &lines[..lines.len() - 1] {
        let e = end(line);
        assert!((e - f.right).abs() <= 0.5, "a justified line ends at {e}, not at the margin {}: {:?}", f.right, line.iter().map(|r| text_of(r)).collect::<String>());
    }
    assert!(end(lines.last().unwrap()) < f.right - 20.0, "the last line is set ragged");
}

/// Checks that no page of `layout` ends with a heading; returns (headings seen,
/// headings carried over to the next page although the previous page had room for them).
fn check_no_heading_ends_a_page(layout: &Layout, style: &Style, label: &str) -> (usize, usize) {
    let f = frame(style, layout);
    let (mut headings, mut pushed) = (0, 0);
    for (p, page) in layout.pages.iter().enumerate() {
        let lines = body_lines(page, &f);
        let last = lines.last().unwrap_or_else(|| panic!("{label}: page {} is empty", p + 1));
        assert!(
            !last.is_heading(),
            "{label}: page {} of {} ends with the heading {:?} at {} (bottom margin {})",
            p + 1,
            layout.pages.len(),
            last.text,
            last.baseline,
            f.bottom
        );
        if p > 0 && lines[0].is_heading() {
            let previous = body_lines(&layout.pages[p - 1], &f);
            if previous.last().is_some_and(|l| f.bottom - l.baseline > 25.0) {
                pushed += 1;
            }
        }
        headings += lines.iter().filter(|l| l.is_heading()).count();
    }
    (headings, pushed)
}

#[test]
fn a_heading_never_ends_a_page() {
    let style = Style::default();
    let (mut headings, mut pushed) = (0, 0);
    // Long generated documents, some with lists, tables, quotes, code and callouts.
    for seed in 1..=6 {
        let layout = lay_out(&long_document(seed, 70, seed % 2 == 0), &style);
        let (h, p) = check_no_heading_ends_a_page(&layout, &style, &format!("seed {seed}"));
        headings += h;
        pushed += p;
    }
    assert!(headings > 100, "only {headings} headings");
    assert!(pushed >= 3, "only {pushed} headings were carried to the next page; the test does not exercise keep-with-next");

    // A sweep: the heading moves down one short paragraph at a time past the page foot,
    // alone, stacked with a subheading, and before each kind of block.
    let mut rng = Rng(3);
    let follow = [
        format!("{}\n", paragraph(&mut rng, 1, 4)),
        "- first item of a list\n- second item\n- third item\n".to_string(),
        "| Figure | Value |\n|:--|--:|\n| Plots | 19 |\n| Rise | 35% |\n".to_string(),
        "```text\nline one\nline two\nline three\n```\n".to_string(),
        "> A quoted sentence about the threat, long enough to need two lines in the column of this page layout.\n".to_string(),
        "> [!NOTE]\n> A callout under the heading.\n".to_string(),
    ];
    let mut pushed = 0;
    for filler in 26..=40 {
        for (k, after) in follow.iter().enumerate() {
            for heading in ["## Heading under test", "### Heading under test", "## Heading under test\n\n### And its subheading"] {
                let mut source = String::from("# Sweep\n\n");
                for i in 0..filler {
                    writeln!(source, "Filler line {i}.\n").unwrap();
                }
                write!(source, "{heading}\n\n{after}\nClosing paragraph.\n").unwrap();
                let layout = lay_out(&source, &style);
                let (_, p) = check_no_heading_ends_a_page(&layout, &style, &format!("{filler} fillers, {heading:?} then block {k}"));
                pushed += p;
            }
        }
    }
    assert!(pushed >= 20, "only {pushed} sweeps carried the heading over");
}

#[test]
fn a_split_paragraph_keeps_at_least_two_lines_on_each_page() {
    let style = Style::default();
    let mut split = 0;
    for seed in 11..=14 {
        let source = long_document(seed, 60, false);
        let layout = lay_out(&source, &style);
        let f = frame(&style, &layout);
        // (paragraph, page) → lines
        let mut counts: BTreeMap<usize, BTreeMap<usize, usize>> = BTreeMap::new();
        let mut current: Option<usize> = None;
        for (p, page) in layout.pages.iter().enumerate() {
            for line in body_lines(page, &f) {
                if line.is_heading() {
                    assert!(current.is_none(), "seed {seed}: a heading inside paragraph {current:?}");
                    continue;
                }
                if let Some(start) = line.text.find("start") {
                    let number = line.text[..start].trim_start().trim_start_matches('P');
                    current = Some(number.parse().unwrap_or_else(|_| panic!("bad marker in {:?}", line.text)));
                }
                let n = current.unwrap_or_else(|| panic!("seed {seed}: a line outside any paragraph: {:?}", line.text));
                *counts.entry(n).or_default().entry(p).or_default() += 1;
                if line.text.contains(&format!("P{n}end")) {
                    current = None;
                }
            }
        }
        assert!(counts.len() > 40, "seed {seed}: only {} paragraphs traced", counts.len());
        for (n, pages) in &counts {
            assert!(pages.len() <= 2, "seed {seed}: paragraph {n} spreads over pages {pages:?}");
            if pages.len() == 2 {
                split += 1;
                for (page, lines) in pages {
                    assert!(lines >= &2, "seed {seed}: paragraph {n} has {lines} line(s) on page {} ({pages:?})", page + 1);
                }
            }
        }
    }
    assert!(split >= 8, "only {split} paragraphs were split; the test does not exercise widows and orphans");
}

#[test]
fn nested_lists_indent_and_mark_each_level() {
    let style = Style::default();
    let source = "# Lists\n\n1. First\n2. Second\n   - nested a\n   - nested b\n     1. deeper one\n     2. deeper two\n3. Third\n\n- [x] done\n- [ ] to do\n\nBreak.\n\n- top\n  - middle\n    - bottom\n";
    let layout = lay_out(source, &style);
    let f = frame(&style, &layout);
    let lines = body_lines(&layout.pages[0], &f);
    // The tick is drawn a little above the baseline, in its own line here.
    let texts: Vec<&str> = lines.iter().map(|l| l.text.as_str()).filter(|t| *t != "✓").collect();
    assert_eq!(
        texts,
        vec!["Lists", "1.First", "2.Second", "–nested a", "–nested b", "1.deeper one", "2.deeper two", "3.Third", "done", "to do", "Break.", "•top", "–middle", "◦bottom"]
    );
    let done = lines.iter().find(|l| l.text == "done").unwrap();
    let tick = lines.iter().find(|l| l.text == "✓").expect("a tick for the done item");
    assert!((tick.baseline - done.baseline).abs() < 2.0 && tick.x < done.x, "tick beside its item");
    let item_x = |text: &str| -> f32 {
        // The x of the item's own text (not its marker).
        let word = text.split_whitespace().next().unwrap();
        runs(&layout.pages[0]).find(|r| text_of(r).starts_with(word)).map(|r| r.x).unwrap_or_else(|| panic!("no run for {text}"))
    };
    let marker_x = |marker: &str, after: f32| -> f32 {
        runs(&layout.pages[0]).find(|r| text_of(r) == marker && r.baseline > after).map(|r| r.x).unwrap()
    };
    let (level1, level2, level3) = (item_x("First"), item_x("nested"), item_x("deeper"));
    assert!(level1 > f.left + 5.0, "items are indented from the margin: {level1}");
    assert!(level2 > level1 + 10.0 && level3 > level2 + 10.0, "each level is indented further: {level1} {level2} {level3}");
    assert!((item_x("Second") - level1).abs() < 0.01 && (item_x("Third") - level1).abs() < 0.01);
    // Markers sit to the left of their text, right-aligned in the indent.
    let one = marker_x("1.", 0.0);
    let dash = marker_x("–", 0.0);
    assert!(one < level1 && one >= f.left - 0.5, "1. at {one}");
    assert!(dash > level1 - 0.5 && dash < level2, "– at {dash}");
    // A bullet list's own levels: •, –, ◦, each further in.
    let (top, middle, bottom) = (item_x("top"), item_x("middle"), item_x("bottom"));
    assert!((top - level1).abs() < 0.01 && (middle - level2).abs() < 0.01 && (bottom - level3).abs() < 0.01, "{top} {middle} {bottom}");
    let bullet = marker_x("•", 0.0);
    assert!(bullet >= f.left - 0.5 && bullet < top, "• at {bullet}");
    let deeper_one = runs(&layout.pages[0]).filter(|r| text_of(r) == "1.").map(|r| r.x).fold(0.0, f32::max);
    assert!(deeper_one > level2 - 0.5 && deeper_one < level3, "nested 1. at {deeper_one}");
    // The task box is drawn for both items; the tick only for the done one.
    let boxes = layout.pages[0].items.iter().filter(|i| matches!(i, Item::Rect { stroke: Some(_), fill: None, .. })).count();
    assert_eq!(boxes, 2, "two task boxes");
}

/// A statistics table whose longest words do not fit side by side at the body's
/// size (nine columns headed "CWEs Mapped", "Max Incidence Rate"… over numbers
/// like "318,487"): the table is set smaller, down to 7.5 pt, and no word or
/// number is cut ("Mappe / d", "19,01 / 3" before).
#[test]
fn a_nine_column_table_is_set_smaller_and_keeps_every_word_and_number_whole() {
    let source = fixture("typeset-nine-column-table.md");
    let layout = lay_out(&source, &Style::default());
    let page = &layout.pages[0];
    let words: Vec<String> = runs(page).flat_map(|r| text_of(r).split_whitespace().map(str::to_string).collect::<Vec<_>>()).collect();
    for whole in ["Mapped", "Incidence", "Weighted", "Occurrences", "Misconfiguration", "Cryptographic", "318,487", "233,788", "55.97%", "94.55%"] {
        assert!(words.iter().any(|w| w == whole), "{whole} is not whole in {words:?}");
    }
    let body_size = Style::default().body_size;
    let table_sizes: Vec<f32> = runs(page).filter(|r| text_of(r).contains("318,487")).map(|r| r.size).collect();
    assert!(!table_sizes.is_empty() && table_sizes.iter().all(|&s| (7.5..body_size * 0.9).contains(&s)), "table set at {table_sizes:?}");
    let frame = frame(&Style::default(), &layout);
    assert!(runs(page).all(|r| r.x + r.width() <= frame.right + 0.5), "a cell runs past the margin");
}

/// Eleven columns do not fit even at 7.5 pt. In the body's measure the table turns
/// its page to landscape (see below); inside a quotation it cannot, so the numbers
/// keep their width and every word that must break does so with a hyphen, never
/// cut bare ("Ma" / "pped").
#[test]
fn a_table_too_wide_even_when_smaller_keeps_its_numbers_and_hyphenates_its_words() {
    let plain = fixture("typeset-eleven-column-table.md");
    let (title, table) = plain.split_once('\n').unwrap();
    let source = format!("{title}\n{}", table.lines().map(|l| format!("> {l}\n")).collect::<String>());
    let layout = lay_out(&source, &Style::default());
    assert!(!layout.pages[0].landscape, "a quoted table stays in its measure");
    // A hyphen added at a line break is a run of its own (it reads as a soft hyphen): it ends the word before it.
    let mut tokens: Vec<String> = Vec::new();
    for run in runs(&layout.pages[0]) {
        match (text_of(run).as_str(), tokens.last_mut()) {
            ("-", Some(last)) => last.push('-'),
            (text, _) => tokens.extend(text.split_whitespace().map(str::to_string)),
        }
    }
    let cells: Vec<&str> = source.lines().skip(2).flat_map(|l| l.split('|')).flat_map(str::split_whitespace).filter(|w| !w.starts_with("--")).collect();
    for number in ["19.84%", "208,387", "1,234,567", "89.58%"] {
        assert!(tokens.iter().any(|t| t == number), "{number} is cut: {tokens:?}");
    }
    for token in tokens.iter().filter(|t| t.starts_with(char::is_alphabetic) && !t.ends_with('-') && !cells.contains(&t.as_str())) {
        let cut_bare = cells.iter().any(|word| word.len() > token.len() && word.starts_with(token.as_str()));
        assert!(!cut_bare, "“{token}” is a word cut without a hyphen: {tokens:?}");
    }
    assert!(tokens.iter().any(|t| t.ends_with('-')), "nothing needed breaking? {tokens:?}");
}

/// Too wide for a portrait page at the smallest size, a table in the body's measure
/// turns its page to landscape, with the heading kept with it; the page's header,
/// footer and marking are laid out across the turned page, every word and number
/// stays whole, and the page after it is portrait again.
#[test]
fn a_fourteen_column_table_turns_its_page_to_landscape() {
    let source = fixture("typeset-fourteen-column-table.md");
    let style = Style::default();
    let document = markdown::parse(&source);
    let marking = briefpack::template::marking_banner("OFFICIAL-SENSITIVE".parse::<briefpack::pack::Marking>().unwrap());
    let furniture = Furniture { title: "Quarterly incidents".into(), marking: Some(marking), ..Furniture::default() };
    let layout = layout::layout(&document, &style, fonts(), &NoAssets, &furniture, &Default::default()).unwrap();
    reading(&layout);
    let landscape: Vec<bool> = layout.pages.iter().map(|p| p.landscape).collect();
    assert_eq!(landscape, vec![false, true, false], "intro, table, the rest");
    let (width, height) = layout.page_size(1);
    assert!(width > height && (width - layout.height).abs() < 0.01, "turned: {width} × {height}");

    let table_page = &layout.pages[1];
    let texts: Vec<String> = runs(table_page).map(text_of).collect();
    assert!(texts.iter().any(|t| t.contains("Incidents by sector")), "the heading goes with its table: {texts:?}");
    let words: Vec<&str> = texts.iter().flat_map(|t| t.split_whitespace()).collect();
    for whole in ["1,234,567", "1,566,045", "+26.85%", "Telecommunications", "Manufacturing", "Classification", "Unacceptable"] {
        assert!(words.contains(&whole), "{whole} is not whole on the landscape page: {words:?}");
    }
    let right = width - briefpack::layout::style::mm(style.margins.right);
    assert!(runs(table_page).all(|r| r.x + r.width() <= right + 0.5), "everything within the turned page's margin");
    let table_sizes: Vec<f32> = runs(table_page).filter(|r| text_of(r).contains("1,234,567")).map(|r| r.size).collect();
    assert!(table_sizes.iter().all(|&s| s >= 7.5), "{table_sizes:?}");
    // Header, footer and marking across the turned page: the footer's page number and the
    // marking at the right end near the bottom of the landscape page.
    let footer = runs(table_page).find(|r| text_of(r).contains("Page 2 of 3")).expect("footer on the landscape page");
    assert!(footer.baseline > height - 60.0 && footer.baseline < height, "footer at the foot of the turned page: {}", footer.baseline);
    let markings: Vec<&TextRun> = runs(table_page).filter(|r| text_of(r) == "OFFICIAL-SENSITIVE").collect();
    assert_eq!(markings.len(), 2, "marking at top and bottom");
    // UK markings are centred: on the turned page's centre line, not the portrait one's.
    assert!(markings.iter().all(|m| (m.x + m.width() / 2.0 - width / 2.0).abs() < 2.0), "marking centred on the turned page");

    // The PDF has the turned page, in landscape.
    let pdf = Pdf::parse(&write_pdf(&layout, fonts(), &PdfMetadata::default()).unwrap());
    if let Ok(dir) = std::env::var("BRIEFPACK_KEEP_PDF") {
        std::fs::write(Path::new(&dir).join("fourteen-columns.pdf"), &pdf.bytes).unwrap();
    }
    let sizes: Vec<(f32, f32)> = (1..=3).map(|p| pdf.page_size(p)).collect();
    assert!(sizes[0].0 < sizes[0].1 && sizes[1].0 > sizes[1].1 && sizes[2].0 < sizes[2].1, "{sizes:?}");
    let text = pdf.page_texts()[1].clone();
    assert!(text.contains("1,234,567") && text.contains("Classification"), "{text}");
}

#[test]
fn a_table_longer_than_a_page_repeats_its_header() {
    let style = Style::default();
    let mut source = String::from("# Long table\n\nIntroduction to the figures.\n\n| Region | Cases | Trend |\n|:--|--:|:--|\n");
    for i in 1..=90 {
        writeln!(source, "| Region {i:02} | {} | {} |", i * 37, if i % 3 == 0 { "rising" } else { "flat" }).unwrap();
    }
    source.push_str("\nAfter the table.\n");
    let layout = lay_out(&source, &style);
    assert!(layout.pages.len() >= 3, "90 rows take more than two pages, got {}", layout.pages.len());
    let f = frame(&style, &layout);
    let mut seen_rows = Vec::new();
    for (p, page) in layout.pages.iter().enumerate() {
        let lines = body_lines(page, &f);
        let rows: Vec<&BodyLine> = lines.iter().filter(|l| l.text.starts_with("Region ")).collect();
        if rows.is_empty() {
            continue;
        }
        // The header row is the first thing above this page's rows, in bold.
        let header_at = lines.iter().position(|l| l.text.starts_with("Region") && l.text.contains("Cases") && l.text.contains("Trend"));
        let header_at = header_at.unwrap_or_else(|| panic!("page {} has table rows but no header: {:?}", p + 1, lines.iter().map(|l| &l.text).collect::<Vec<_>>()));
        let header = &lines[header_at];
        assert!(header.bold, "header row is bold on page {}", p + 1);
        assert!(header.baseline < rows[0].baseline, "page {}: the header sits above the rows", p + 1);
        if p > 0 {
            assert_eq!(header_at, 0, "page {}: a continued table starts with its header", p + 1);
            assert!(header.baseline - f.top < 20.0, "page {}: the repeated header is at the top ({})", p + 1, header.baseline);
            // The header's background box is repeated too.
            let has_box = page.items.iter().any(|i| matches!(i, Item::Rect { y, fill: Some(_), .. } if (y - f.top).abs() < 1.0));
            assert!(has_box, "page {}: the header background is repeated", p + 1);
        }
        let headers = lines.iter().filter(|l| l.text.contains("Cases")).count();
        assert_eq!(headers, 1, "page {}: the header appears once", p + 1);
        seen_rows.extend(rows.iter().map(|l| l.text.split_whitespace().take(2).collect::<Vec<_>>().join(" ")));
    }
    let expected: Vec<String> = (1..=90).map(|i| format!("Region {i:02}")).collect();
    let seen: Vec<String> = seen_rows.iter().map(|s| s.chars().take(9).collect()).collect();
    assert_eq!(seen, expected, "every row once, in order");

    // And in the PDF as a reader copies it.
    let pdf = pdf_of(&layout, "Long table");
    let texts = pdf.page_texts();
    let is_row = |l: &str| squash(l).strip_prefix("Region ").is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()));
    let table_pages: Vec<usize> = (0..texts.len()).filter(|&p| texts[p].lines().any(is_row)).collect();
    assert_eq!(table_pages.len(), layout.pages.len(), "every page holds rows");
    for p in table_pages {
        let header = texts[p].lines().find(|l| l.contains("Cases")).map(squash);
        assert_eq!(header.as_deref(), Some("Region Cases Trend"), "page {}:\n{}", p + 1, texts[p]);
    }
}

#[test]
fn numeric_columns_are_right_aligned() {
    let style = Style::default();
    let layout = lay_out(&fixture("features.md"), &style);
    // "35%", "19" and "€4.2m" end at the same x in the Value column.
    // (The table may break across pages; the columns stay the same.)
    let cell = |v: &str| layout.pages.iter().flat_map(runs).find(|r| text_of(r).trim() == v).unwrap_or_else(|| panic!("no cell {v}"));
    let ends: Vec<f32> = ["35%", "19", "€4.2m"].iter().map(|v| cell(v).x + cell(v).width()).collect();
    assert!(ends.iter().all(|e| (e - ends[0]).abs() < 0.5), "right edges {ends:?}");
    let starts: Vec<f32> = ["35%", "19"].iter().map(|v| cell(v).x).collect();
    assert!(starts[1] > starts[0] + 1.0, "the shorter number starts further right: {starts:?}");
}

// ---------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------

fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb([200, (x % 256) as u8, (y % 256) as u8]));
    let mut bytes = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 80).encode_image(&img).unwrap();
    bytes
}

fn images(page: &Page) -> Vec<(f32, f32, f32, f32, usize)> {
    page.items
        .iter()
        .filter_map(|i| match i {
            Item::Image { x, y, w, h, image } => Some((*x, *y, *w, *h, *image)),
            _ => None,
        })
        .collect()
}

#[test]
fn png_and_jpeg_images_are_placed_and_scaled_to_the_column() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("wide.png"), png(1200, 300)).unwrap();
    std::fs::create_dir(dir.path().join("img")).unwrap();
    std::fs::write(dir.path().join("img/small.jpg"), jpeg(240, 160)).unwrap();
    std::fs::write(dir.path().join("tall.png"), png(150, 1500)).unwrap();
    let style = Style::default();
    let source = "# Images\n\n![A wide chart](wide.png)\n\n![A small photo](img/small.jpg)\n\n![](tall.png)\n\nAfter.\n";
    let layout = lay_out_with(source, &style, &FolderAssets::new(dir.path())).unwrap();
    let f = frame(&style, &layout);
    let column = f.right - f.left;
    let placed: Vec<_> = layout.pages.iter().enumerate().flat_map(|(p, page)| images(page).into_iter().map(move |i| (p, i))).collect();
    assert_eq!(placed.len(), 3, "{placed:?}");
    assert_eq!(layout.images.len(), 3);
    assert_eq!((layout.images[0].width_px, layout.images[0].height_px), (1200, 300));
    assert_eq!((layout.images[1].width_px, layout.images[1].height_px, layout.images[1].components), (240, 160, 3));

    // Wider than the column at 150 dpi: scaled down to exactly the column, aspect kept.
    let (_, (x, _, w, h, index)) = placed[0];
    assert_eq!(index, 0);
    assert!((x - f.left).abs() < 0.5 && (w - column).abs() < 0.5, "wide image at x {x}, w {w}; column {} wide at {}", column, f.left);
    assert!((w / h - 4.0).abs() < 0.01, "aspect ratio kept: {w} x {h}");

    // Smaller than the column: its 150 dpi size, centred.
    let (_, (x, _, w, h, _)) = placed[1];
    assert!((w - 240.0 * 72.0 / 150.0).abs() < 0.5 && (h - 160.0 * 72.0 / 150.0).abs() < 0.5, "small image {w} x {h}");
    assert!(((x - f.left) - (f.right - (x + w))).abs() < 0.5, "small image centred: x {x}, w {w}");

    // Tall: limited in height, still inside the column and on the page.
    let (p, (x, y, w, h, _)) = placed[2];
    assert!(h <= mm(120.0) + 0.5 && (h / w - 10.0).abs() < 0.05, "tall image {w} x {h}");
    assert!(x >= f.left - 0.5 && x + w <= f.right + 0.5 && y >= f.top - 0.5 && y + h <= f.bottom + 0.5, "tall image at {x},{y} on page {}", p + 1);

    // Captions come from the alt text, below the image.
    let (_, (_, y0, _, h0, _)) = placed[0];
    let caption = body_lines(&layout.pages[placed[0].0], &f).into_iter().find(|l| l.text == "A wide chart").expect("caption");
    assert!(caption.baseline > y0 + h0, "caption below the image");

    // The PDF holds both images at their pixel size; the JPEG is embedded as it is.
    let pdf = pdf_of(&layout, "Images");
    let mut embedded: Vec<(i64, i64, Option<String>)> = (1..=pdf.page_count()).flat_map(|p| pdf.images(p)).collect();
    embedded.sort();
    embedded.dedup();
    assert!(embedded.iter().any(|(w, h, _)| (*w, *h) == (1200, 300)), "{embedded:?}");
    assert!(embedded.iter().any(|(w, h, _)| (*w, *h) == (150, 1500)), "{embedded:?}");
    assert!(embedded.iter().any(|(w, h, filter)| (*w, *h) == (240, 160) && filter.as_deref() == Some("DCTDecode")), "{embedded:?}");
    let jpeg_bytes = std::fs::read(dir.path().join("img/small.jpg")).unwrap();
    assert!(pdf.bytes.windows(jpeg_bytes.len()).any(|w| w == jpeg_bytes.as_slice()), "the JPEG's bytes are embedded unchanged");
}

fn image_error(source: &str, files: &[(&str, Vec<u8>)]) -> String {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let assets = FolderAssets::new(dir.path());
    match markdown_to_pdf(source, "doc.md", &Style::default(), fonts(), &assets) {
        Ok(_) => panic!("{source:?} should not build"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn an_unreadable_or_non_image_file_is_an_error_naming_its_path() {
    let missing = image_error("# Doc\n\n![Chart](charts/missing.png)\n", &[]);
    assert!(missing.contains("charts/missing.png"), "{missing}");

    let text = image_error("# Doc\n\n![Chart](notes.png)\n", &[("notes.png", b"these are notes, not pixels".to_vec())]);
    assert!(text.contains("notes.png") && text.contains("not a PNG or JPEG"), "{text}");

    let truncated = image_error("# Doc\n\n![Chart](cut.png)\n", &[("cut.png", b"\x89PNG\r\n\x1a\n\0\0".to_vec())]);
    assert!(truncated.contains("cut.png"), "{truncated}");

    // The layout stage reports the same path, as written.
    let err = lay_out_with("# Doc\n\n![x](gone.jpg)\n", &Style::default(), &NoAssets).unwrap_err();
    let LayoutError::Image { path, .. } = &err;
    assert_eq!(path, "gone.jpg");
    assert!(err.to_string().contains("gone.jpg"), "{err}");
}

#[test]
fn a_png_whose_pixels_are_damaged_is_an_error_naming_its_path() {
    // A correct header (so layout accepts it) followed by garbage instead of pixel data.
    let mut broken = png_header(10, 10);
    broken.extend_from_slice(&20u32.to_be_bytes());
    broken.extend_from_slice(b"IDAT");
    broken.extend_from_slice(&[0xAB; 20]);
    broken.extend_from_slice(&0u32.to_be_bytes());
    let message = image_error("# Doc\n\n![Chart](broken.png)\n", &[("broken.png", broken)]);
    assert!(message.contains("broken.png"), "the error should name the file: {message}");
}

#[test]
fn a_huge_png_header_is_refused_without_decoding() {
    let message = image_error("# Doc\n\n![Huge](huge.png)\n", &[("huge.png", png_header(50_000, 50_000))]);
    assert!(message.contains("huge.png") && message.contains("50000"), "{message}");
    // Refused by the layout stage from the header alone, not by a decoder.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("huge.png"), png_header(50_000, 50_000)).unwrap();
    let err = lay_out_with("# Doc\n\n![Huge](huge.png)\n", &Style::default(), &FolderAssets::new(dir.path())).unwrap_err();
    assert!(err.to_string().contains("50000"), "{err}");
}

// ---------------------------------------------------------------------------
// Characters no font has
// ---------------------------------------------------------------------------

#[test]
fn a_character_no_font_has_is_reported_once_with_its_line_and_column() {
    // Private-use characters: no font on any machine draws them.
    let source = "# Fonts\n\nA crab \u{10FFFD} and café \u{10FFFD} here.\n\nLater: \u{10FFFD} again, a \u{F0001} clef, a ✓ tick and €4.2m.\n";
    let warnings = uncovered_characters(source, "brief.md", fonts());
    let found: Vec<(String, usize, usize)> = warnings.iter().map(|w| (w.message.clone(), w.line, w.column)).collect();
    assert_eq!(warnings.len(), 2, "{found:?}");
    assert_eq!((warnings[0].line, warnings[0].column), (3, 8), "{found:?}");
    assert!(warnings[0].message.contains('\u{10FFFD}') && warnings[0].message.contains("U+10FFFD"), "{}", warnings[0].message);
    assert_eq!((warnings[1].line, warnings[1].column), (5, 19), "{found:?}");
    assert!(warnings[1].message.contains("U+F0001"), "{}", warnings[1].message);
    assert!(warnings.iter().all(|w| !w.is_error() && w.file == Path::new("brief.md")));
    assert!(warnings[0].to_string().starts_with("brief.md:3:8: warning:"), "{}", warnings[0]);

    // The build goes on and reports the same warnings.
    let rendered = markdown_to_pdf(source, "brief.md", &Style::default(), fonts(), &NoAssets).unwrap();
    assert_eq!(rendered.warnings, warnings);
    assert!(render::uncovered_characters("Plain – “text” with € and é.", "x.md", fonts()).is_empty());
}

// ---------------------------------------------------------------------------
// Links, contents, running footer
// ---------------------------------------------------------------------------

#[test]
fn internal_links_resolve_to_the_headings_page() {
    let style = Style::default();
    let mut rng = Rng(5);
    let mut source = String::from("# Links inside\n\nJump to [the annex](#annex-b) from here.\n\n");
    for n in 0..40 {
        writeln!(source, "{}\n", paragraph(&mut rng, n, 4)).unwrap();
    }
    source.push_str("## Annex B\n\nThe annex text.\n");
    let layout = lay_out(&source, &style);
    let annex = layout.outline.iter().find(|o| o.title == "Annex B").unwrap();
    assert!(annex.page >= 2, "the annex should be a few pages on, not on page {}", annex.page + 1);
    let links: Vec<(f32, f32, usize, f32)> = layout.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Link { x, y, target: LinkTarget::Internal { page, y: ty }, .. } => Some((*x, *y, *page as usize, *ty)),
            _ => None,
        })
        .collect();
    assert_eq!(links.len(), 1, "{links:?}");
    assert_eq!(links[0].2, annex.page, "the link goes to the annex's page");
    assert!((links[0].3 - annex.y).abs() < 1.0, "and to the heading's position: {} vs {}", links[0].3, annex.y);

    let pdf = pdf_of(&layout, "Links inside");
    let texts = pdf.page_texts();
    let annex_page = texts.iter().position(|t| t.lines().any(|l| l.trim() == "Annex B")).unwrap() + 1;
    let goto: Vec<_> = pdf.links(1).into_iter().filter(|a| matches!(a.target, Target::Page { .. })).collect();
    assert_eq!(goto.len(), 1, "{goto:?}");
    let Target::Page { page, top } = goto[0].target else { unreachable!() };
    assert_eq!(page, annex_page, "the GoTo opens the page where the heading is printed");
    let heading_run = runs(&layout.pages[annex.page]).find(|r| text_of(r) == "Annex B").unwrap();
    let baseline_pdf = layout.height - heading_run.baseline;
    let top = top.expect("the destination has a top");
    assert!(top >= baseline_pdf + heading_run.size * 0.7 && top <= baseline_pdf + 40.0, "destination top {top}, heading baseline {baseline_pdf}");

    // Two headings with the same text: `#background-2` is the second one.
    let mut source = String::from("# Twins\n\nSee [the second](#background-2) and [the first](#background).\n\n## Background\n\n");
    for n in 0..40 {
        writeln!(source, "{}\n", paragraph(&mut rng, n, 4)).unwrap();
    }
    source.push_str("## Background\n\nAgain.\n");
    let layout = lay_out(&source, &style);
    let pages: Vec<usize> = layout.outline.iter().filter(|o| o.title == "Background").map(|o| o.page).collect();
    assert_eq!(pages.len(), 2);
    assert_ne!(pages[0], pages[1]);
    let targets: Vec<usize> = layout.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Link { target: LinkTarget::Internal { page, .. }, .. } => Some(*page as usize),
            _ => None,
        })
        .collect();
    assert_eq!(targets, vec![pages[1], pages[0]], "links in reading order go to the second, then the first heading");
}

/// A long document with a contents page, laid out and written once.
fn contents_document() -> &'static (Layout, Pdf, Vec<String>) {
    static DOC: OnceLock<(Layout, Pdf, Vec<String>)> = OnceLock::new();
    DOC.get_or_init(|| {
        let style = Style { contents: true, ..Style::default() };
        let source = long_document(21, 60, false);
        let layout = lay_out(&source, &style);
        let pdf = pdf_of(&layout, "Generated brief 21");
        let texts = pdf.page_texts();
        (layout, pdf, texts)
    })
}

#[test]
fn contents_page_numbers_are_the_pages_the_headings_are_on() {
    let (layout, _, texts) = contents_document();
    assert!(texts.len() >= 6, "{} pages", texts.len());
    // "Section 3 espionage . . . . . 4"
    let entries: Vec<(String, usize)> = texts[0]
        .lines()
        .filter(|l| l.contains("..") || l.contains(". ."))
        .map(|l| {
            // Leader dots copy out as ". . ." or "....." depending on spacing.
            let title = l[..l.find('.').unwrap()].trim().to_string();
            let number = l.split_whitespace().last().unwrap().parse().unwrap_or_else(|_| panic!("no page number in {l:?}"));
            (title, number)
        })
        .collect();
    let level2: Vec<&str> = layout.outline.iter().filter(|o| o.level == 2 && o.title != "Contents").map(|o| o.title.as_str()).collect();
    assert!(level2.len() >= 8, "{level2:?}");
    assert_eq!(entries.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(), level2, "the contents lists the level-2 headings in order");
    let mut pages_seen = Vec::new();
    for (title, number) in &entries {
        let printed_on: Vec<usize> =
            (1..texts.len()).filter(|&p| texts[p].lines().any(|l| squash(l) == *title)).map(|p| p + 1).collect();
        assert_eq!(printed_on, vec![*number], "contents says {title:?} is on page {number}");
        let outline = layout.outline.iter().find(|o| &o.title == title).unwrap();
        assert_eq!(outline.page + 1, *number, "{title:?}");
        pages_seen.push(*number);
    }
    pages_seen.dedup();
    assert!(pages_seen.len() >= 4, "headings on several pages: {pages_seen:?}");
}

#[test]
fn every_page_says_page_x_of_y() {
    let (layout, pdf, texts) = contents_document();
    let total = pdf.page_count();
    assert_eq!(total, layout.pages.len());
    for (i, text) in texts.iter().enumerate() {
        let marks: Vec<String> = text.lines().map(squash).filter(|l| l.starts_with("Page ")).collect();
        assert_eq!(marks, vec![format!("Page {} of {total}", i + 1)], "page {}", i + 1);
    }
    // In the footer, below the body.
    let style = Style::default();
    let f = frame(&style, layout);
    for page in &layout.pages {
        let footer = runs(page).find(|r| text_of(r).starts_with("Page ")).unwrap();
        assert!(footer.baseline > f.bottom && footer.baseline < f.height, "footer at {}", footer.baseline);
    }
}

// ---------------------------------------------------------------------------
// The PDF file
// ---------------------------------------------------------------------------

fn features() -> &'static (Layout, Pdf) {
    static DOC: OnceLock<(Layout, Pdf)> = OnceLock::new();
    DOC.get_or_init(|| {
        let layout = lay_out(&fixture("features.md"), &Style::default());
        let pdf = pdf_of(&layout, "State threats: a typesetting sample");
        (layout, pdf)
    })
}

#[test]
fn the_pdf_has_one_page_per_layout_page() {
    let (layout, pdf) = features();
    assert_eq!(pdf.page_count(), layout.pages.len());
    let (w, h) = pdf.page_size(1);
    assert!((w - layout.width).abs() < 0.5 && (h - layout.height).abs() < 0.5, "page size {w} x {h}");
    let (_, long) = varied_document();
    let pdf = pdf_of(long, "Long");
    assert_eq!(pdf.page_count(), long.pages.len());
    let rendered = markdown_to_pdf(&fixture("features.md"), "features.md", &Style::default(), fonts(), &NoAssets).unwrap();
    assert_eq!(Pdf::parse(&rendered.pdf).page_count(), rendered.pages);
}

#[test]
fn text_copies_out_with_curly_quotes_dashes_euro_and_accents() {
    let source = "# Copying “text” – é\n\nTyped: “double” ‘single’ it’s – — € é ï.\n\nSmart: \"double\" 'single' it's -- ---.\n\nLigatures: office efficient fluffy affirm.\n\nCosts: €4.2m for the café’s résumé.\n";
    let layout = lay_out(source, &Style::default());
    let pdf = pdf_of(&layout, "Copying");
    let text = pdf.page_texts().remove(0);
    let lines: Vec<String> = text.lines().map(squash).filter(|l| !l.is_empty()).collect();
    for expected in [
        "Copying “text” – é",
        "Typed: “double” ‘single’ it’s – — € é ï.",
        "Smart: “double” ‘single’ it’s – —.",
        "Ligatures: office efficient fluffy affirm.",
        "Costs: €4.2m for the café’s résumé.",
    ] {
        assert!(lines.iter().any(|l| l == expected), "{expected:?} not copied out; got:\n{}", lines.join("\n"));
    }
    // Justified text copies out too, with single spaces between words.
    let (_, pdf) = features();
    let all: String = pdf.page_texts().iter().map(|t| squash(t)).collect::<Vec<_>>().join(" ");
    for expected in ["MI5’s Director General", "“35 per cent increase”", "activity – and", "€4.2 million", "café-style", "résumé"] {
        assert!(all.contains(expected), "{expected:?} not in:\n{all}");
    }
}

#[test]
fn links_become_annotations_with_their_targets() {
    let (layout, pdf) = features();
    let mut uris = Vec::new();
    let mut gotos = Vec::new();
    for (p, page) in layout.pages.iter().enumerate() {
        let annotations = pdf.links(p + 1);
        let expected: Vec<_> = page.items.iter().filter(|i| matches!(i, Item::Link { .. })).collect();
        assert_eq!(annotations.len(), expected.len(), "page {}: one annotation per link area", p + 1);
        for (a, item) in annotations.iter().zip(&expected) {
            let Item::Link { x, y, w, h, .. } = item else { unreachable!() };
            let want = [*x, layout.height - y - h, x + w, layout.height - y];
            assert!(a.rect.iter().zip(want).all(|(g, w)| (g - w).abs() < 0.1), "page {}: rect {:?} vs {want:?}", p + 1, a.rect);
            assert_eq!(a.border.as_deref(), Some([0.0, 0.0, 0.0].as_slice()), "no visible border");
            match &a.target {
                Target::Uri(uri) => uris.push(uri.clone()),
                Target::Page { page, .. } => gotos.push((p + 1, *page)),
                Target::None => panic!("page {}: a link without a target", p + 1),
            }
        }
    }
    assert!(uris.contains(&"https://www.ncsc.gov.uk/collection/board-toolkit".to_string()), "{uris:?}");
    assert!(uris.contains(&"https://www.npsa.gov.uk".to_string()), "{uris:?}");
    // "See [the lists above](#lists)" and the footnote markers jump inside the document.
    let lists = layout.outline.iter().find(|o| o.title == "Lists").unwrap();
    let notes = layout.outline.iter().find(|o| o.title == "Notes").unwrap();
    assert!(gotos.iter().any(|&(_, to)| to == lists.page + 1), "{gotos:?}");
    assert!(gotos.iter().any(|&(_, to)| to == notes.page + 1), "footnote markers link to the notes: {gotos:?}");
    // The address is printed after link text so it can be read on paper.
    let all: String = pdf.page_texts().iter().map(|t| squash(t)).collect::<Vec<_>>().join(" ");
    assert!(all.contains("NCSC Board Toolkit (www.ncsc.gov.uk/collection/board-toolkit)"), "{all}");
}

#[test]
fn the_outline_mirrors_the_headings() {
    let (layout, pdf) = features();
    let bookmarks = pdf.outline();
    let got: Vec<(usize, &str, Option<usize>)> = bookmarks.iter().map(|b| (b.depth, b.title.as_str(), b.page)).collect();
    let page_of = |t: &str| layout.outline.iter().find(|o| o.title == t).map(|o| o.page + 1);
    assert_eq!(
        got,
        vec![
            (0, "State threats: a typesetting sample", Some(1)),
            (1, "Lists", page_of("Lists")),
            (1, "Quotes, code and callouts", page_of("Quotes, code and callouts")),
            (1, "A table", page_of("A table")),
            (1, "Notes", page_of("Notes")),
        ]
    );
    assert_eq!(pdf.doc.catalog().unwrap().get(b"PageMode").unwrap().as_name().unwrap(), b"UseOutlines");

    // Nesting follows heading levels; titles are UTF-16BE with a byte-order mark.
    let source = "# Café – ‘résumé’ €\n\n## Part one\n\n### Detail 1.1\n\n#### Fine print\n\n### Detail 1.2\n\n## Part two — “quoted”\n\ntext\n";
    let layout = lay_out(source, &Style::default());
    let pdf = pdf_of(&layout, "Nesting");
    let got: Vec<(usize, String)> = pdf.outline().into_iter().map(|b| (b.depth, b.title)).collect();
    let want: Vec<(usize, String)> = [
        (0, "Café – ‘résumé’ €"),
        (1, "Part one"),
        (2, "Detail 1.1"),
        (3, "Fine print"),
        (2, "Detail 1.2"),
        (1, "Part two — “quoted”"),
    ]
    .into_iter()
    .map(|(d, t)| (d, t.to_string()))
    .collect();
    assert_eq!(got, want);
    assert!(pdf.outline().iter().all(|b| b.raw_title.starts_with(&[0xFE, 0xFF])), "titles are UTF-16BE with a BOM");
}

#[test]
fn metadata_is_written_to_the_info_dictionary() {
    let layout = lay_out("# Menaces d’État\n\nText.\n", &Style::default());
    let meta = PdfMetadata {
        title: "Menaces d’État – €4.2m".into(),
        author: "Security adviser".into(),
        subject: "Board risk committee".into(),
        keywords: vec!["MI5".into(), "state threats".into()],
        date: chrono::NaiveDate::from_ymd_opt(2025, 10, 20),
        copy: None,
        language: String::new(),
        archival: false,
    };
    let bytes = write_pdf(&layout, fonts(), &meta).unwrap();
    let info = Pdf::parse(&bytes).info();
    assert_eq!(info.get("Title").map(String::as_str), Some("Menaces d’État – €4.2m"), "{info:?}");
    assert_eq!(info.get("Author").map(String::as_str), Some("Security adviser"), "{info:?}");
    assert_eq!(info.get("Subject").map(String::as_str), Some("Board risk committee"), "{info:?}");
    let keywords = info.get("Keywords").cloned().unwrap_or_default();
    assert!(keywords.contains("MI5") && keywords.contains("state threats"), "{info:?}");
    assert_eq!(info.get("Creator").map(String::as_str), Some("Briefpack"));
    assert_eq!(info.get("Producer").map(String::as_str), Some("Briefpack"));
    for key in ["CreationDate", "ModDate"] {
        let date = info.get(key).unwrap_or_else(|| panic!("no {key}: {info:?}"));
        assert!(date.starts_with("D:20251020"), "{key} = {date}");
    }
    assert!(!info.contains_key("GTS_PDFXVersion") && !info.contains_key("Trapped"), "{info:?}");
}

#[test]
fn without_a_date_no_made_up_date_is_written() {
    let layout = lay_out("# Undated\n\nText.\n", &Style::default());
    let bytes = write_pdf(&layout, fonts(), &PdfMetadata { title: "Undated".into(), ..PdfMetadata::default() }).unwrap();
    let info = Pdf::parse(&bytes).info();
    for key in ["CreationDate", "ModDate"] {
        if let Some(date) = info.get(key) {
            assert!(!date.starts_with("D:1970"), "{key} = {date}: a document without a date should not claim 1 January 1970");
        }
    }
}

#[test]
fn fonts_are_embedded_and_subsetted() {
    let (_, pdf) = features();
    let embedded_fonts = pdf.fonts();
    let originals = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts");
    let mut families: Vec<&str> = embedded_fonts.iter().map(|f| f.family()).collect();
    families.sort_unstable();
    assert_eq!(families, vec!["JetBrainsMono-Regular", "NotoSerif-Bold", "NotoSerif-Italic", "NotoSerif-Regular"], "only the faces used are embedded");
    for font in &embedded_fonts {
        assert!(font.subset_tagged(), "{} has no XXXXXX+ subset tag", font.base_font);
        assert!(font.to_unicode, "{} has no ToUnicode map, so its text would not copy out", font.base_font);
        let embedded = font.embedded_len.unwrap_or_else(|| panic!("{} is not embedded", font.base_font));
        let original = std::fs::metadata(originals.join(format!("{}.ttf", font.family()))).unwrap().len() as usize;
        assert!(embedded * 4 < original, "{}: {embedded} bytes embedded of {original}: not subsetted", font.base_font);
    }
    // Tags differ between faces, so viewers never confuse two subsets.
    let mut tags: Vec<&str> = embedded_fonts.iter().map(|f| &f.base_font[..6]).collect();
    tags.sort_unstable();
    tags.dedup();
    assert_eq!(tags.len(), embedded_fonts.len());
    assert!(pdf.bytes.len() < 150_000, "features.md makes {} bytes", pdf.bytes.len());
    // A long document stays small.
    let (_, long) = varied_document();
    let bytes = write_pdf(long, fonts(), &PdfMetadata::default()).unwrap();
    // (About 7 KB a page today; the full fonts alone would be 2.6 MB.)
    assert!(bytes.len() < 15_000 * long.pages.len(), "{} pages make {} bytes", long.pages.len(), bytes.len());
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("chart.png"), png(64, 32)).unwrap();
    std::fs::write(dir.path().join("photo.jpg"), jpeg(48, 48)).unwrap();
    let source = format!("{}\n\n![Chart](chart.png)\n\n![Photo](photo.jpg)\n", fixture("features.md"));
    let style = Style { contents: true, ..Style::default() };
    let build = || {
        // A fresh font set each time: nothing may depend on state left from an earlier build.
        let fonts = FontSet::bundled().unwrap();
        markdown_to_pdf(&source, "features.md", &style, &fonts, &FolderAssets::new(dir.path())).unwrap().pdf
    };
    let (a, b) = (build(), build());
    assert!(a == b, "two builds differ ({} and {} bytes)", a.len(), b.len());
    let pdf = Pdf::parse(&a);
    let id = pdf.doc.trailer.get(b"ID").expect("a document ID").as_array().unwrap();
    assert!(!id[0].as_str().unwrap().starts_with(b"BRIEFPACK-ID"), "the ID placeholder was replaced");
    // A change in the input changes the ID.
    let other = markdown_to_pdf("# Other\n\nText.\n", "o.md", &style, fonts(), &NoAssets).unwrap().pdf;
    let other_id = Pdf::parse(&other).doc.trailer.get(b"ID").unwrap().as_array().unwrap()[0].as_str().unwrap().to_vec();
    assert_ne!(other_id, id[0].as_str().unwrap());
}
