//! A distributed copy's own marks on a document laid out once: the line that
//! says whose copy it is ("Copy 3 of 12 · Issued to Jane Smith · 20 Oct 2025")
//! above the footer of every page and, when asked, the recipient's name as a
//! light diagonal watermark behind each page's content.
//!
//! Only these few words are shaped per copy (with the same fonts, so their
//! glyphs join the PDF's font subsets like any other text); pagination,
//! contents numbers and links are the document's and do not change, which is
//! what makes thirty copies cost little more than one.

use super::furniture::{stamp_line, StampLine, MIN_STAMP_SIZE};
use super::style::Rgb;
use super::text::{TextStyle, Typesetter};
use super::{Furniture, Item, Layout, Style};
use crate::fonts::{Face, FontSet};

/// What one copy adds to every page.
#[derive(Debug, Clone, PartialEq)]
pub struct Stamp {
    /// The line printed between the body and the running footer.
    pub line: String,
    /// Text drawn large, light and diagonally behind each page's content (the
    /// recipient's name), if the copy carries a watermark.
    pub watermark: Option<String>,
}

/// The watermark's colour: light enough that text printed over it stays as
/// readable as on plain paper, dark enough to survive a photocopier.
const WATERMARK_COLOUR: Rgb = Rgb(0xDF, 0xE3, 0xE8);
/// The watermark's size bounds in points: a short name is not blown up past
/// the largest, a long one is not shrunk below the smallest.
const WATERMARK_SIZES: std::ops::RangeInclusive<f32> = 20.0..=60.0;
/// The share of the page's diagonal a watermark spans, when its size allows.
const WATERMARK_SPAN: f32 = 0.6;

/// `layout` with `stamp` added to every page, for a document laid out in
/// `style` with `furniture` (the stamp line is placed against its footer).
pub fn stamp(mut layout: Layout, stamp: &Stamp, style: &Style, furniture: &Furniture, fonts: &FontSet) -> Layout {
    let style = style.sanitized();
    let mut typesetter = Typesetter::new(fonts, false);
    typesetter.glyph_text = std::mem::take(&mut layout.glyph_text);
    // Portrait pages, then landscape ones (turned: as wide as the others are tall).
    let mut stamps = Vec::new();
    let turned = layout.pages.iter().any(|p| p.landscape);
    for (width, height) in [(layout.width, layout.height), (layout.height, layout.width)].into_iter().take(1 + usize::from(turned)) {
        let slot = stamp_line(&style, furniture, &mut typesetter, width, height);
        let line = line_items(&mut typesetter, &stamp.line, slot, style.colours.muted);
        let watermark = stamp.watermark.as_deref().map_or_else(Vec::new, |text| watermark_items(&mut typesetter, text, width, height));
        stamps.push((line, watermark));
    }
    for page in &mut layout.pages {
        let (line, watermark) = &stamps[usize::from(page.landscape)];
        // First, so everything on the page is painted over it.
        page.items.splice(0..0, watermark.iter().cloned());
        page.items.extend(line.iter().cloned());
    }
    layout.glyph_text = typesetter.glyph_text;
    layout
}

/// The stamp line, left-aligned in its slot: set smaller if it is too long for
/// the slot at its size, and cut with an ellipsis only past the smallest size.
fn line_items(typesetter: &mut Typesetter, text: &str, slot: StampLine, colour: Rgb) -> Vec<Item> {
    let room = (slot.right - slot.left).max(0.0);
    let natural = typesetter.measure(text, Face::Regular, slot.size);
    let size = if natural > room && natural > 0.0 { (slot.size * room / natural).max(MIN_STAMP_SIZE) } else { slot.size };
    let text = typesetter.fit_width(text, Face::Regular, size, room);
    typesetter.run(&text, &TextStyle::new(Face::Regular, size, colour), slot.left, slot.baseline)
}

/// `text` centred on the page along its rising diagonal, sized to span part of it.
fn watermark_items(typesetter: &mut Typesetter, text: &str, width: f32, height: f32) -> Vec<Item> {
    let angle = height.atan2(width);
    let diagonal = width.hypot(height);
    let em_width = typesetter.measure(text, Face::Bold, 1.0).max(0.01);
    let size = (diagonal * WATERMARK_SPAN / em_width).clamp(*WATERMARK_SIZES.start(), *WATERMARK_SIZES.end());
    let text = typesetter.fit_width(text, Face::Bold, size, diagonal * 0.9);
    let run_width = typesetter.measure(&text, Face::Bold, size);
    // A run turns about the start of its baseline; start the text so that the middle
    // of its width, and of its capitals' height, lands on the centre of the page.
    let half_cap = size * 0.35;
    let (sin, cos) = angle.sin_cos();
    // Layout's y grows downwards: the rising diagonal goes up the page as y falls, and
    // the baseline's middle sits half a capital below the centre, square to the text.
    let x = width / 2.0 - run_width / 2.0 * cos + half_cap * sin;
    let baseline = height / 2.0 + run_width / 2.0 * sin + half_cap * cos;
    let style = TextStyle::new(Face::Bold, size, WATERMARK_COLOUR);
    // Set on a level line from 0, then each run (a fallback face makes several)
    // moved along the diagonal by its distance from the start.
    let mut items = typesetter.run(&text, &style, 0.0, 0.0);
    for item in &mut items {
        if let Item::Text(run) = item {
            let along = run.x;
            run.x = x + along * cos;
            run.baseline = baseline - along * sin;
            run.angle = angle.to_degrees();
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{layout, Embeds, MarkingBanner, NoAssets};

    fn document(furniture: &Furniture) -> Layout {
        let fonts = FontSet::bundled().unwrap();
        let text = "# Title\n\nSome text.\n\n```page-break\n```\n\nMore text.\n";
        layout(&crate::markdown::parse(text), &Style::default(), &fonts, &NoAssets, furniture, &Embeds::default()).unwrap()
    }

    fn tlp_red() -> Furniture {
        let banner = MarkingBanner { text: "TLP:RED".into(), colour: Rgb(0xFF, 0x2B, 0x2B), background: Some(Rgb::BLACK), centred: false, size: 12.0 };
        Furniture { title: "Title".into(), marking: Some(banner), ..Furniture::default() }
    }

    #[test]
    fn every_page_gets_the_line_and_the_watermark_goes_underneath() {
        let fonts = FontSet::bundled().unwrap();
        let furniture = tlp_red();
        let base = document(&furniture);
        let copy = Stamp { line: "Copy 2 of 3 · Issued to Jane Smith · 20 Oct 2025".into(), watermark: Some("Jane Smith".into()) };
        let stamped = stamp(base.clone(), &copy, &Style::default(), &furniture, &fonts);
        assert_eq!(stamped.pages.len(), 2);
        for (index, page) in stamped.pages.iter().enumerate() {
            assert_eq!(page.items.len(), base.pages[index].items.len() + 2);
            let Item::Text(watermark) = &page.items[0] else { panic!("the watermark is painted first") };
            assert_eq!(stamped.run_text(watermark), "Jane Smith");
            assert!(watermark.angle > 45.0 && watermark.angle < 60.0, "{}", watermark.angle);
            assert!(stamped.page_text(index).contains("Copy 2 of 3 · Issued to Jane Smith · 20 Oct 2025"), "{}", stamped.page_text(index));
        }
    }

    #[test]
    fn the_line_sits_between_the_body_and_the_footer_clear_of_the_marking() {
        let fonts = FontSet::bundled().unwrap();
        for furniture in [tlp_red(), Furniture { marking: Some(MarkingBanner { text: "SECRET".into(), colour: Rgb::BLACK, background: None, centred: true, size: 12.0 }), ..tlp_red() }] {
            let base = document(&furniture);
            let copy = Stamp { line: "Copy 12 of 12 · Issued to Someone With A Rather Long Name · 20 Oct 2025".into(), watermark: None };
            let stamped = stamp(base, &copy, &Style::default(), &furniture, &fonts);
            let Some(Item::Text(line)) = stamped.pages[0].items.last() else { panic!("the line is the last item") };
            let style = Style::default();
            let body_bottom = stamped.height - crate::layout::style::mm(style.margins.bottom);
            let footer_runs: Vec<_> = stamped.pages[0].items.iter().filter_map(|i| match i {
                Item::Text(run) if run.baseline > line.baseline => Some(run),
                _ => None,
            }).collect();
            assert!(!footer_runs.is_empty());
            let ascent = fonts.ascent(Face::Regular) * line.size;
            assert!(line.baseline - ascent > body_bottom, "the line starts below the text area");
            for run in footer_runs {
                let top = run.baseline - fonts.ascent(run.face) * run.size;
                assert!(top > line.baseline + fonts.descent(Face::Regular) * line.size, "{} is clear of the footer", stamped.run_text(run));
            }
            assert!(line.x + line.width() <= stamped.width - crate::layout::style::mm(style.margins.right), "within the margin");
        }
    }
}
