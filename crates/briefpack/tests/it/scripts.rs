//! Every script: text in characters no bundled font has (Japanese, Arabic) is
//! drawn with a font installed on the machine, shaped, and ordered by the bidi
//! algorithm; the PDF copies it back out in reading order. These tests need the
//! Noto fonts `make deps` installs (fonts-noto-cjk, fonts-noto-core).

use std::sync::OnceLock;

use briefpack::fonts::{Face, FontSet};
use briefpack::layout::{Item, NoAssets, Style};
use briefpack::render::markdown_to_pdf;

use crate::pdf_check::Pdf;

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::bundled().unwrap())
}

const JAPANESE: &str = "英国の情報機関は、国家による脅威の捜査件数が前年比で増加したと発表した。攻撃計画が最終段階で阻止されている。";
const ARABIC: &str = "أعلن جهاز الاستخبارات البريطاني أن التحقيقات في التهديدات التي تقف وراءها دول قد زادت خلال عام واحد";
const ARABIC_PHRASE: &str = "تقرير المركز الوطني للأمن السيبراني";

/// The text as a reader takes it in: directional marks poppler adds dropped,
/// runs of white space (line breaks included) as one space.
fn reading(text: &str) -> String {
    let kept: String = text.chars().filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{200E}' | '\u{200F}' | '\u{c}')).collect();
    kept.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn build(source: &str) -> (Pdf, Vec<briefpack::diagnostic::Diagnostic>) {
    let rendered = markdown_to_pdf(source, "scripts.md", &Style::default(), fonts(), &NoAssets).unwrap();
    (Pdf::parse(&rendered.pdf), rendered.warnings)
}

/// A one-paragraph document built without warnings, with a subset font whose name has
/// `family` embedded (with ToUnicode), and its text as it copies out.
fn build_in_installed_font(paragraph: &str, family: &str) -> String {
    needs_installed_fonts();
    let (pdf, warnings) = build(&format!("# Report\n\n{paragraph}\n"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let families: Vec<String> = pdf.fonts().iter().filter(|f| f.embedded_len.is_some()).map(|f| f.family().to_string()).collect();
    assert!(families.iter().any(|f| f.contains(family)), "a {family} font is embedded: {families:?}");
    assert!(pdf.fonts().iter().all(|f| f.to_unicode && f.subset_tagged()), "{:?}", pdf.fonts());
    reading(&pdf.drawn_page_texts().concat())
}

fn needs_installed_fonts() {
    for c in ['日', 'ع'] {
        assert!(
            fonts().covers(Face::Regular, c),
            "no installed font has '{c}': install the Noto fonts (`make deps`: fonts-noto-cjk, fonts-noto-core)"
        );
    }
}

#[test]
fn japanese_is_drawn_with_an_installed_font_and_copies_out_the_same() {
    let text = build_in_installed_font(JAPANESE, "CJK").replace(' ', "");
    assert!(text.contains(JAPANESE), "{text}");
}

#[test]
fn arabic_is_joined_ordered_right_to_left_and_copies_out_in_logical_order() {
    let text = build_in_installed_font(ARABIC, "Arabic");
    assert!(text.contains(ARABIC), "{text}");

    // Joined: the letters of a word are drawn with their contextual forms, not
    // the isolated glyphs the character map gives.
    let shaped = fonts().shape(Face::Regular, "البريطاني");
    let run = shaped.runs.iter().find(|r| matches!(r.face, Face::Found(_))).expect("drawn with an installed face");
    let font = fonts().parsed(run.face);
    let isolated: Vec<u16> = "البريطاني".chars().filter_map(|c| font.lookup_glyph_index(c as u32)).collect();
    let drawn: Vec<u16> = run.glyphs.iter().map(|g| g.gid).collect();
    assert!(drawn.iter().filter(|g| !isolated.contains(g)).count() >= 4, "contextual forms: {drawn:?} vs {isolated:?}");
    // Right to left: the first glyph drawn (leftmost) is the word's last letter.
    assert_eq!(&*run.glyphs.last().unwrap().text, "ا", "the first letter is drawn rightmost");
}

#[test]
fn a_right_to_left_paragraph_starts_at_the_right_margin() {
    needs_installed_fonts();
    let source = format!("# Arabic\n\n{ARABIC} {ARABIC}\n");
    let document = briefpack::markdown::parse(&source);
    let style = Style::default();
    let layout = briefpack::layout::layout(&document, &style, fonts(), &NoAssets, &Default::default(), &Default::default()).unwrap();
    let right = layout.width - style.margins.right;
    let left = style.margins.left;
    let runs: Vec<_> = layout.pages[0].items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None }).collect();
    let body: Vec<_> = runs.iter().filter(|r| matches!(r.face, Face::Found(_))).collect();
    let mut lines: Vec<f32> = body.iter().map(|r| r.baseline).collect();
    lines.dedup();
    assert!(lines.len() >= 2, "the paragraph takes two lines or more");
    let extent = |baseline: f32| {
        let on_line: Vec<_> = body.iter().filter(|r| r.baseline == baseline).collect();
        (on_line.iter().map(|r| r.x).fold(f32::MAX, f32::min), on_line.iter().map(|r| r.x + r.width()).fold(0.0, f32::max))
    };
    let (first_start, first_end) = extent(lines[0]);
    let (last_start, last_end) = extent(*lines.last().unwrap());
    assert!(first_start >= left - 0.5 && first_end <= right + 0.5, "the first line fills the measure: {first_start}..{first_end}");
    assert!((last_end - first_end).abs() < 1.0, "the last line ends at the right, where the first does: {last_end} vs {first_end}");
    assert!(last_start > first_start + 20.0, "and is ragged on the left: {last_start}");
}

#[test]
fn a_mixed_english_and_arabic_sentence_reads_in_order() {
    needs_installed_fonts();
    let sentence = format!("The NCSC report {ARABIC_PHRASE} was published in 2025 and widely read.");
    let (pdf, warnings) = build(&format!("# Mixed\n\n{sentence}\n"));
    assert!(warnings.is_empty(), "{warnings:?}");
    let text = reading(&pdf.drawn_page_texts().concat());
    assert!(text.contains(&sentence), "{text}");

    // Drawn left to right as English, the Arabic phrase in the middle right to left:
    // its first word is to the right of its last.
    let layout = briefpack::layout::layout(
        &briefpack::markdown::parse(&format!("# Mixed\n\n{sentence}\n")),
        &Style::default(),
        fonts(),
        &NoAssets,
        &Default::default(),
        &Default::default(),
    )
    .unwrap();
    let x_of = |word: &str| {
        let runs: Vec<_> = layout.pages[0].items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None }).collect();
        // A right-to-left run's glyphs are in the order they are drawn: its text backwards.
        let drawn = |r: &&&briefpack::layout::TextRun| {
            let text = layout.run_text(r);
            text.contains(word) || text.chars().rev().collect::<String>().contains(word)
        };
        runs.iter().find(drawn).map(|r| r.x).unwrap_or_else(|| panic!("{word} not drawn"))
    };
    let (first, last) = (x_of("تقرير"), x_of("السيبراني"));
    assert!(x_of("report") < last && last < first && first < x_of("published"), "report {} < last {last} < first {first} < published", x_of("report"));
}

#[test]
fn output_does_not_depend_on_what_a_font_set_found_before() {
    needs_installed_fonts();
    let source = format!("# Report\n\n{JAPANESE}\n\n{ARABIC}\n");
    let first = markdown_to_pdf(&source, "a.md", &Style::default(), fonts(), &NoAssets).unwrap().pdf;
    // A fresh set that found the fonts in the other order.
    let other = FontSet::bundled().unwrap();
    other.shape(Face::Regular, ARABIC_PHRASE);
    other.shape(Face::Bold, "日本");
    let second = markdown_to_pdf(&source, "a.md", &Style::default(), &other, &NoAssets).unwrap().pdf;
    assert!(first == second, "the same document gives the same bytes");
}


#[test]
fn a_running_header_with_a_right_to_left_title_reads_in_visual_order() {
    needs_installed_fonts();
    // The title starts with Arabic, so it reads right to left: its Japanese and English
    // words, a left-to-right run inside it, stand to the left of the Arabic word.
    let furniture = briefpack::layout::Furniture { title: "تقرير 日本 report".into(), ..Default::default() };
    let body: String = (0..80).map(|i| format!("Paragraph {i} of the report, long enough to fill more than one page.\n\n")).collect();
    let layout = briefpack::layout::layout(
        &briefpack::markdown::parse(&format!("# Report\n\n{body}")),
        &Style::default(),
        fonts(),
        &NoAssets,
        &furniture,
        &Default::default(),
    )
    .unwrap();
    assert!(layout.pages.len() > 1, "the body runs over a page");
    let page = &layout.pages[1];
    let runs: Vec<_> = page.items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None }).collect();
    let header = runs.iter().map(|r| r.baseline).fold(f32::INFINITY, f32::min);
    let x_of = |word: &str| {
        runs.iter()
            .filter(|r| (r.baseline - header).abs() < 0.5)
            .find(|r| {
                let text = layout.run_text(r);
                text.contains(word) || text.chars().rev().collect::<String>().contains(word)
            })
            .map(|r| r.x)
            .unwrap_or_else(|| panic!("{word} is not in the header"))
    };
    let (japanese, english, arabic) = (x_of("日本"), x_of("report"), x_of("تقرير"));
    assert!(japanese < english && english < arabic, "日本 {japanese} < report {english} < تقرير {arabic}");
    let left = runs.iter().filter(|r| (r.baseline - header).abs() < 0.5).map(|r| r.x).fold(f32::INFINITY, f32::min);
    let body_left = runs.iter().filter(|r| r.baseline > header + 20.0).map(|r| r.x).fold(f32::INFINITY, f32::min);
    assert!((left - body_left).abs() < 0.5, "the header starts at the left margin, as the body does ({left}, {body_left})");
}

#[test]
fn punctuation_in_right_to_left_text_is_mirrored_placed_after_its_word_and_digits_keep_their_order() {
    needs_installed_fonts();
    let sentence = "قال: «تقرير» (٢٠٢٥)";
    let source = format!("# Quoted\n\n{sentence}\n");
    let layout = briefpack::layout::layout(&briefpack::markdown::parse(&source), &Style::default(), fonts(), &NoAssets, &Default::default(), &Default::default()).unwrap();
    let runs: Vec<_> = layout.pages[0].items.iter().filter_map(|i| if let Item::Text(r) = i { Some(r) } else { None }).collect();
    let line = runs.iter().find(|r| matches!(r.face, Face::Found(_))).expect("the Arabic line").baseline;
    let line = runs.iter().filter(|r| (r.baseline - line).abs() < 0.5).collect::<Vec<_>>();
    // Every glyph of the line with the text it copies out as, from left to right.
    let mut drawn: Vec<(f32, u16, String)> = Vec::new();
    for run in &line {
        let mut x = run.x;
        for glyph in &run.glyphs {
            let text = layout.glyph_text.get(&(run.face, glyph.gid)).map(|t| t.to_string()).unwrap_or_default();
            drawn.push((x, glyph.gid, text));
            x += glyph.advance;
        }
    }
    drawn.sort_by(|a, b| a.0.total_cmp(&b.0));
    let x_of = |text: &str| drawn.iter().find(|d| d.2 == text).map(|d| d.0).unwrap_or_else(|| panic!("{text} not drawn: {drawn:?}"));
    let gid_of = |c: &str| fonts().shape(Face::Regular, c).runs[0].glyphs[0].gid;
    // Read from the right: قال, its colon, the quotation opening at its right end, and the year in brackets last, at the left.
    assert!(x_of(":") < x_of("ل"), "the colon follows قال, on its left: {drawn:?}");
    assert!(x_of("«") > x_of("ت") && x_of("»") < x_of("ر"), "the quotation marks enclose the word, « on the right");
    assert!(x_of("(") > x_of("٢") && x_of(")") < x_of("٥"), "the brackets enclose the year");
    // Mirrored: the opening marks, on the right, point and open to the left, as they do at the start of English text.
    let glyph = |text: &str| drawn.iter().find(|d| d.2 == text).unwrap().1;
    assert_eq!((glyph("«"), glyph("»"), glyph("("), glyph(")")), (gid_of("»"), gid_of("«"), gid_of(")"), gid_of("(")));
    // The year reads ٢٠٢٥ from left to right, as digits do in Arabic text.
    let digits: String = drawn.iter().filter(|d| d.2.chars().all(|c| ('٠'..='٩').contains(&c)) && !d.2.is_empty()).map(|d| d.2.clone()).collect();
    assert_eq!(digits, "٢٠٢٥");
    // Every character copies out, the mirrored marks as the characters written
    // (poppler's own ordering of such a line is its heuristics', not tested here).
    let (pdf, warnings) = build(&source);
    assert!(warnings.is_empty(), "{warnings:?}");
    let sorted = |text: &str| {
        let mut chars: Vec<char> = reading(text).chars().filter(|c| !c.is_whitespace()).collect();
        chars.sort_unstable();
        chars
    };
    let copied = pdf.page_texts().concat();
    let line = copied.lines().find(|l| l.contains('ق')).expect("the Arabic line copies out");
    assert_eq!(sorted(line), sorted(sentence), "{line}");
}
