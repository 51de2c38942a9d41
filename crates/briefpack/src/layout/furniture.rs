//! What is known only once pages exist: page numbers in the contents, link
//! targets, the running header and footer with "Page X of Y", and the marking
//! printed at the top and bottom of every page.

use super::paginate::Paginated;
use super::style::{mm, Style};
use super::text::{GlyphText, LinkRef, TextStyle, Typesetter};
use super::{Furniture, Item, LinkTarget, OutlineEntry};
use crate::fonts::{Face, FontSet};

/// Resolves links and contents numbers and adds headers and footers; returns the outline.
pub(crate) fn finish(
    doc: &mut Paginated,
    style: &Style,
    fonts: &FontSet,
    furniture: &Furniture,
    width: f32,
    height: f32,
    glyph_text: &mut GlyphText,
) -> Vec<OutlineEntry> {
    let mut typesetter = Typesetter::new(fonts, false);
    typesetter.glyph_text = std::mem::take(glyph_text);
    let left = mm(style.margins.left);
    let right = width - mm(style.margins.right);

    for (page, baseline, entry) in std::mem::take(&mut doc.contents) {
        let Some(&(target_page, _)) = doc.anchors.get(&entry.anchor) else { continue };
        let number = (target_page + 1).to_string();
        let text_style = TextStyle::new(Face::Regular, entry.size, style.colours.text);
        let number_width = typesetter.measure(&number, Face::Regular, entry.size);
        let mut items = typesetter.run(&number, &text_style, right - number_width, baseline);
        // Leader dots sit on a grid measured from the margin, so they line up down the page.
        let step = entry.size * 0.55;
        let dot_style = TextStyle::new(Face::Regular, entry.size, style.colours.muted);
        let mut x = left + ((entry.text_end + entry.size * 0.6 - left) / step).ceil() * step;
        while x + step < right - number_width - entry.size * 0.4 {
            items.extend(typesetter.run(".", &dot_style, x, baseline));
            x += step;
        }
        doc.pages[page].items.extend(items);
    }

    for (page, x, y, w, h, target) in std::mem::take(&mut doc.links) {
        let target = match target {
            LinkRef::Uri(uri) => LinkTarget::Uri(uri),
            LinkRef::Anchor(anchor) => match doc.anchors.get(&anchor) {
                Some(&(page, y)) => LinkTarget::Internal { page, y },
                None => continue,
            },
        };
        doc.pages[page].items.push(Item::Link { x, y, w, h, target });
    }

    let pages = doc.pages.len();
    let header_baseline = mm(style.margins.top) * 0.5 + 2.0;
    let footer_baseline = height - mm(style.margins.bottom) * 0.42;
    let size = 8.5;
    let slot_style = TextStyle::new(Face::Regular, size, style.colours.muted);
    for (index, page) in doc.pages.iter_mut().enumerate() {
        let fill = |template: &str| {
            template
                .replace("{title}", &furniture.title)
                .replace("{edition}", &furniture.edition.as_ref().map(|e| format!(" — {e}")).unwrap_or_default())
                .replace("{date}", &furniture.date)
                .replace("{page}", &(index + 1).to_string())
                .replace("{pages}", &pages.to_string())
        };
        let mut items = Vec::new();
        // A centred marking owns the middle of its line: the slot text moves one line
        // towards the body so the two never cross.
        let shift = if furniture.marking.as_ref().is_some_and(|m| m.centred) { 13.0 } else { 0.0 };
        for (slots, baseline, is_header) in [(&style.header, header_baseline + shift, true), (&style.footer, footer_baseline - shift, false)] {
            // The first page opens with the title itself; repeating it above is noise.
            if is_header && index == 0 {
                continue;
            }
            for (template, position) in [(&slots.left, 0), (&slots.center, 1), (&slots.right, 2)] {
                let text = fill(template);
                if text.trim().is_empty() {
                    continue;
                }
                let w = typesetter.measure(&text, Face::Regular, size);
                let x = match position {
                    0 => left,
                    1 => (left + right - w) / 2.0,
                    _ => right - w,
                };
                items.extend(typesetter.run(&text, &slot_style, x, baseline));
            }
        }
        if let Some(marking) = &furniture.marking {
            let label_style = TextStyle::new(Face::Bold, marking.size, marking.colour);
            let w = typesetter.measure(&marking.text, Face::Bold, marking.size);
            let x = if marking.centred { (left + right - w) / 2.0 } else { right - w };
            for baseline in [header_baseline, footer_baseline] {
                // Keep the label clear of slot text on the same line.
                let baseline = if marking.centred { baseline } else { baseline + if baseline < height / 2.0 { -marking.size * 0.15 } else { 0.0 } };
                if let Some(background) = marking.background {
                    let pad = marking.size * 0.3;
                    let ascent = fonts.ascent(Face::Bold) * marking.size * 0.78;
                    items.push(Item::Rect {
                        x: x - pad,
                        y: baseline - ascent - pad,
                        w: w + 2.0 * pad,
                        h: ascent + 2.0 * pad + marking.size * 0.08,
                        fill: Some(background),
                        stroke: None,
                    });
                }
                items.extend(typesetter.run(&marking.text, &label_style, x, baseline));
            }
        }
        page.items.extend(items);
    }
    *glyph_text = typesetter.glyph_text;
    std::mem::take(&mut doc.outline)
}
