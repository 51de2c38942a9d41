//! What is known only once pages exist: page numbers in the contents, link
//! targets, the running header and footer with "Page X of Y", and the marking
//! printed at the top and bottom of every page. Header and footer text is cut
//! with an ellipsis to the room beside the marking, which it never crosses.
//! [`stamp_line`] says where a distributed copy's own line goes, between the
//! body and this footer.

use super::paginate::Paginated;
use super::style::{mm, Style};
use super::text::{GlyphText, LinkRef, TextStyle, Typesetter};
use super::tags::{wrap, ArtifactKind, Tag, MARKING_NODE};
use super::{link_description, Furniture, ImageAsset, Item, LinkTarget, MarkingBanner, OutlineEntry};
use crate::fonts::{Face, FontSet};

/// Space between slot texts, and between slot text and the marking, in points.
const SLOT_GAP: f32 = 8.0;

/// The index just after the last span of `tag` in `items`, if there is one.
fn end_of_span(items: &[Item], tag: Tag) -> Option<usize> {
    let mut depth = 0usize;
    let mut inside = None;
    let mut end = None;
    for (i, item) in items.iter().enumerate() {
        match item {
            Item::Begin(t) => {
                depth += 1;
                if *t == tag && inside.is_none() {
                    inside = Some(depth);
                }
            }
            Item::End => {
                if inside == Some(depth) {
                    inside = None;
                    end = Some(i + 1);
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
    }
    end
}

/// The most characters of a title, date or edition the header and footer use:
/// more than a line can show at any size they print at.
const MAX_SLOT_CHARS: usize = 1_000;

/// `text` cut after `max` characters.
fn clip_chars(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// Shares `room` between texts of `wanted` widths: each gets what it wants if it
/// can, and the widest share the rest equally (zero-width texts get nothing).
fn fair_shares(wanted: &[f32; 3], room: f32) -> [f32; 3] {
    let mut order: Vec<usize> = (0..3).filter(|&i| wanted[i] > 0.0).collect();
    order.sort_by(|&a, &b| wanted[a].total_cmp(&wanted[b]));
    let mut shares = [0.0; 3];
    let mut left = room;
    for (k, &i) in order.iter().enumerate() {
        shares[i] = wanted[i].min(left / (order.len() - k) as f32);
        left -= shares[i];
    }
    shares
}

/// Type size of the running header and footer text.
const SLOT_SIZE: f32 = 8.5;
/// Height of a logo in the running header, in points: a little taller than its text.
const HEADER_LOGO_HEIGHT: f32 = 14.0;
/// The widest a logo in the running header may be, in points (a wide logo is made smaller).
const HEADER_LOGO_MAX_WIDTH: f32 = 90.0;

/// The baseline of the footer line (and of a marking printed in the footer).
fn footer_baseline(style: &Style, height: f32) -> f32 {
    height - mm(style.margins.bottom) * 0.42
}

/// How far header and footer slot text moves towards the body: a centred marking
/// owns the middle of its line, so the slot text takes the next line and the two
/// never cross.
fn slot_shift(furniture: &Furniture) -> f32 {
    if furniture.marking.as_ref().is_some_and(|m| m.centred) {
        13.0
    } else {
        0.0
    }
}

/// Where the box of a right-aligned marking starts; slot text ends before it.
fn marking_box_left(furniture: &Furniture, typesetter: &mut Typesetter, right: f32) -> Option<f32> {
    furniture.marking.as_ref().filter(|m| !m.centred).map(|m| {
        let w = typesetter.measure(&m.text, Face::Bold, m.size);
        right - w - if m.background.is_some() { m.size * 0.3 } else { 0.0 }
    })
}

/// The height of a marking's box above its baseline, padding excluded.
fn marking_box_ascent(fonts: &FontSet, marking: &MarkingBanner) -> f32 {
    fonts.ascent(Face::Bold) * marking.size * 0.78
}

/// Where a copy's stamp line may go on every page: its own line between the
/// body and the running footer, from the left margin to `right` (short of a
/// right-aligned marking), at most `size` points, on `baseline`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct StampLine {
    pub(super) left: f32,
    pub(super) right: f32,
    pub(super) baseline: f32,
    pub(super) size: f32,
}

/// The smallest stamp line size: below it a copy's name is hard to read on paper.
pub(super) const MIN_STAMP_SIZE: f32 = 5.5;

/// Where the stamp line goes for `style` and `furniture`: centred in the gap
/// between the bottom of the text area and the highest thing in the footer
/// (slot text or the marking and its box), set smaller if the gap is narrow.
pub(super) fn stamp_line(style: &Style, furniture: &Furniture, typesetter: &mut Typesetter, width: f32, height: f32) -> StampLine {
    let fonts = typesetter.fonts;
    let left = mm(style.margins.left);
    let right = width - mm(style.margins.right);
    let body_bottom = height - mm(style.margins.bottom);
    let baseline = footer_baseline(style, height);
    let has_slot_text = [&style.footer.left, &style.footer.center, &style.footer.right].iter().any(|t| !t.trim().is_empty());
    let mut footer_top = if has_slot_text { baseline - slot_shift(furniture) - fonts.ascent(Face::Regular) * SLOT_SIZE } else { baseline };
    if let Some(marking) = &furniture.marking {
        let marking_top = match marking.background {
            Some(_) => baseline - marking_box_ascent(fonts, marking) - marking.size * 0.3,
            None => baseline - fonts.ascent(Face::Bold) * marking.size,
        };
        footer_top = footer_top.min(marking_top);
    }
    let gap = (footer_top - body_bottom).max(0.0);
    // The line's ink, ascent to descent, is about 1.2 times its size.
    let size = (gap / 1.6).clamp(MIN_STAMP_SIZE, SLOT_SIZE);
    let ascent = fonts.ascent(Face::Regular) * size;
    let descent = fonts.descent(Face::Regular) * size;
    let stamp_baseline = body_bottom + (gap - ascent - descent) / 2.0 + ascent;
    let right = marking_box_left(furniture, typesetter, right).map_or(right, |box_left| box_left - SLOT_GAP);
    StampLine { left, right, baseline: stamp_baseline, size }
}

/// About how many items a page's furniture adds (header, footer, page number and
/// marking banners, with their spans).
const FURNITURE_ITEMS: usize = 48;

/// Resolves links and contents numbers and adds headers and footers; returns the outline.
/// `header_logo` (its index in the document's images, and the image) starts the
/// running header of every page but the first; the header's left text moves over for it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn finish(
    doc: &mut Paginated,
    style: &Style,
    fonts: &FontSet,
    furniture: &Furniture,
    header_logo: Option<(usize, &ImageAsset)>,
    width: f32,
    height: f32,
    glyph_text: &mut GlyphText,
) -> Vec<OutlineEntry> {
    let mut typesetter = Typesetter::new(fonts, false);
    typesetter.glyph_text = std::mem::take(glyph_text);
    let left = mm(style.margins.left);
    // A landscape page is turned: its furniture is laid out across its own width.
    let size_of = |landscape: bool| if landscape { (height, width) } else { (width, height) };
    let right_of = |landscape: bool| size_of(landscape).0 - mm(style.margins.right);
    // Room for what is added to each page here (its links, header, footer and
    // marking), made once: pages come without spare room, and growing every page's
    // items by pushing would double them all at once.
    let mut links_on = vec![0usize; doc.pages.len()];
    for &(page, _) in &doc.links {
        if let Some(count) = links_on.get_mut(page) {
            *count += 1;
        }
    }
    for (page, links) in doc.pages.iter_mut().zip(links_on) {
        page.items.reserve_exact(links + FURNITURE_ITEMS);
    }

    for (page, baseline, entry) in std::mem::take(&mut doc.contents) {
        let right = right_of(doc.pages[page].landscape);
        let Some(&(target_page, _)) = doc.anchors.get(&entry.anchor) else { continue };
        let number = (target_page + 1).to_string();
        let text_style = TextStyle::new(Face::Regular, entry.size, style.colours.text);
        let number_width = typesetter.measure(&number, Face::Regular, entry.size);
        let mut number_items = typesetter.run(&number, &text_style, right - number_width, baseline);
        wrap(&mut number_items, Tag::Node(entry.node));
        // The leader dots are decoration; the number is part of the contents entry.
        let mut items = Vec::new();
        // Leader dots sit on a grid measured from the margin, so they line up down the page.
        let step = entry.size * 0.55;
        let dot_style = TextStyle::new(Face::Regular, entry.size, style.colours.muted);
        let mut x = left + ((entry.text_end + entry.size * 0.6 - left) / step).ceil() * step;
        while x + step < right - number_width - entry.size * 0.4 {
            items.extend(typesetter.run(".", &dot_style, x, baseline));
            x += step;
        }
        items.extend(number_items);
        // Drawn right after the entry's own text, so the number is read with it.
        let page_items = &mut doc.pages[page].items;
        let at = end_of_span(page_items, Tag::Node(entry.node)).unwrap_or(page_items.len());
        page_items.splice(at..at, items);
    }

    for (page, link) in std::mem::take(&mut doc.links) {
        let (target, description) = match link.target {
            LinkRef::Uri(uri) => {
                let description = link_description(&uri);
                (LinkTarget::Uri(uri.into()), description)
            }
            LinkRef::Anchor(anchor) => match doc.anchors.get(&anchor) {
                Some(&(page, y)) => {
                    let description = match (doc.anchor_titles.get(&anchor), anchor.strip_prefix("note-")) {
                        (Some(title), _) => format!("Go to “{title}”, page {}", page + 1),
                        (None, Some(number)) => format!("Go to note {number}"),
                        (None, None) => format!("Go to page {}", page + 1),
                    };
                    (LinkTarget::Internal { page: u32::try_from(page).unwrap_or(u32::MAX), y }, description)
                }
                None => continue,
            },
        };
        doc.pages[page].items.push(Item::Link { x: link.x, y: link.y, w: link.w, h: link.h, target, parent: link.parent, description: description.into() });
    }

    let pages = doc.pages.len();
    let header_baseline = mm(style.margins.top) * 0.5 + 2.0;
    let size = SLOT_SIZE;
    let slot_style = TextStyle::new(Face::Regular, size, style.colours.muted);
    // No line holds more than this; a 3.5 MB title is cut once, not once a page.
    let title = clip_chars(&furniture.title, MAX_SLOT_CHARS);
    let edition = furniture.edition.as_ref().map(|e| format!(" — {}", clip_chars(e, MAX_SLOT_CHARS))).unwrap_or_default();
    let date = clip_chars(&furniture.date, MAX_SLOT_CHARS);
    for (index, page) in doc.pages.iter_mut().enumerate() {
        let (_, height) = size_of(page.landscape);
        let right = right_of(page.landscape);
        let footer_baseline = footer_baseline(style, height);
        // A right-aligned marking shares the header and footer lines: slot text must end before its box.
        let marking_box_left = marking_box_left(furniture, &mut typesetter, right);
        let fill = |template: &str| {
            template
                .replace("{title}", &title)
                .replace("{edition}", &edition)
                .replace("{date}", &date)
                .replace("{page}", &(index + 1).to_string())
                .replace("{pages}", &pages.to_string())
        };
        let mut items = Vec::new();
        let shift = slot_shift(furniture);
        for (slots, baseline, is_header) in [(&style.header, header_baseline + shift, true), (&style.footer, footer_baseline - shift, false)] {
            // The first page opens with the title itself; repeating it above is noise.
            if is_header && index == 0 {
                continue;
            }
            let start = items.len();
            let line_right = marking_box_left.map_or(right, |box_left| box_left - SLOT_GAP);
            // The logo sits on the header's line, centred on its text, which starts after it.
            let mut line_left = left;
            if let (true, Some((image, asset))) = (is_header, header_logo) {
                let (pw, ph) = (asset.width_px as f32, asset.height_px as f32);
                let scale = (HEADER_LOGO_HEIGHT / ph).min(HEADER_LOGO_MAX_WIDTH / pw);
                let (w, h) = (pw * scale, ph * scale);
                let middle = baseline - fonts.ascent(Face::Regular) * size * 0.35;
                items.push(Item::Image { x: left, y: middle - h / 2.0, w, h, image });
                line_left += w + SLOT_GAP;
            }
            let texts = [fill(&slots.left), fill(&slots.center), fill(&slots.right)];
            let natural = texts.each_ref().map(|t| if t.trim().is_empty() { 0.0 } else { typesetter.measure(t, Face::Regular, size) });
            let shown = natural.iter().filter(|w| **w > 0.0).count();
            let room = (line_right - line_left - SLOT_GAP * shown.saturating_sub(1) as f32).max(0.0);
            let shares = fair_shares(&natural, room);
            let mut placed: [Option<(f32, f32)>; 3] = [None; 3];
            for position in [0, 2, 1] {
                if natural[position] == 0.0 {
                    continue;
                }
                let text = typesetter.fit_width(&texts[position], Face::Regular, size, shares[position]);
                let w = typesetter.measure(&text, Face::Regular, size);
                let x = match position {
                    0 => line_left,
                    2 => line_right - w,
                    // Centred on the page, unless that would touch the text either side.
                    _ => {
                        let after_left = placed[0].map_or(line_left, |(x, w)| x + w + SLOT_GAP);
                        let before_right = placed[2].map_or(line_right, |(x, _)| x - SLOT_GAP) - w;
                        ((left + right - w) / 2.0).min(before_right).max(after_left)
                    }
                };
                placed[position] = Some((x, w));
                items.extend(typesetter.run(&text, &slot_style, x, baseline));
            }
            let mut slot_items = items.split_off(start);
            wrap(&mut slot_items, Tag::Artifact(if is_header { ArtifactKind::Header } else { ArtifactKind::Footer }));
            items.append(&mut slot_items);
        }
        // The marking: read once, first of all, from the top of the first page; an
        // artifact everywhere else.
        let mut first_marking = Vec::new();
        if let Some(marking) = &furniture.marking {
            let label_style = TextStyle::new(Face::Bold, marking.size, marking.colour);
            let w = typesetter.measure(&marking.text, Face::Bold, marking.size);
            let x = if marking.centred { (left + right - w) / 2.0 } else { right - w };
            for (baseline, kind) in [(header_baseline, ArtifactKind::Header), (footer_baseline, ArtifactKind::Footer)] {
                let start = items.len();
                // Keep the label clear of slot text on the same line.
                let baseline = if marking.centred { baseline } else { baseline + if baseline < height / 2.0 { -marking.size * 0.15 } else { 0.0 } };
                if let Some(background) = marking.background {
                    let pad = marking.size * 0.3;
                    let ascent = marking_box_ascent(fonts, marking);
                    items.push(Item::Rect {
                        x: x - pad,
                        y: baseline - ascent - pad,
                        w: w + 2.0 * pad,
                        h: ascent + 2.0 * pad + marking.size * 0.08,
                        fill: Some(background),
                        stroke: None,
                    });
                }
                let mut label = typesetter.run(&marking.text, &label_style, x, baseline);
                if index == 0 && kind == ArtifactKind::Header {
                    let mut background = items.split_off(start);
                    wrap(&mut background, Tag::Artifact(kind));
                    wrap(&mut label, Tag::Node(MARKING_NODE));
                    first_marking = background.into_iter().chain(label).collect();
                } else {
                    items.append(&mut label);
                    let mut banner = items.split_off(start);
                    wrap(&mut banner, Tag::Artifact(kind));
                    items.append(&mut banner);
                }
            }
        }
        page.items.extend(items);
        if !first_marking.is_empty() {
            // Before the page's first tagged content, so that it is read first.
            let at = page.items.iter().position(|item| matches!(item, Item::Begin(Tag::Node(_)))).unwrap_or(page.items.len());
            page.items.splice(at..at, first_marking);
        }
    }
    *glyph_text = typesetter.glyph_text;
    std::mem::take(&mut doc.outline)
}
