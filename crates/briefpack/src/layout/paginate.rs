//! Chunks → pages: first fit, with keep-with-next groups, explicit page breaks
//! and table headers repeated at the top of a continued table.

use std::collections::HashMap;

use super::blocks::{shift_item, Chunk, ContentsEntry, LinkArea};
use super::style::{mm, Style};
use super::{OutlineEntry, Page};

/// Pages with what the finishing pass still has to resolve.
pub(crate) struct Paginated {
    pub(crate) pages: Vec<Page>,
    /// Anchor id → (page, top).
    pub(crate) anchors: HashMap<String, (usize, f32)>,
    pub(crate) outline: Vec<OutlineEntry>,
    /// Link areas by page.
    pub(crate) links: Vec<(usize, LinkArea)>,
    /// Heading ids → the heading's text, to describe links to them.
    pub(crate) anchor_titles: HashMap<String, String>,
    /// Contents lines by page, with their baseline on the page.
    pub(crate) contents: Vec<(usize, f32, ContentsEntry)>,
}

/// Chunks measured ahead for a keep-with-next group: far more than a page holds.
const MAX_CHAIN: usize = 1_000;

/// Ruled note lines on one page at most.
const MAX_RULED_LINES: usize = 500;

/// Places chunks on pages as the flow makes them, so that a long document's
/// chunks are never all held at once: each batch ends with a chunk that does not
/// keep with the next, so measuring a kept-together group never needs a chunk
/// from a later batch, and the pages come out as if all chunks were placed at once.
pub(crate) struct Paginator {
    out: Paginated,
    /// Where the next chunk goes on the current page.
    y: f32,
    /// Whether nothing is on the current page yet.
    at_top: bool,
    top: f32,
    /// The bottom margin's distance from the page's foot.
    margin_bottom: f32,
    /// The width and height of a portrait page; a landscape one is turned.
    page: (f32, f32),
}

impl Paginator {
    pub(crate) fn new(style: &Style, page: (f32, f32)) -> Paginator {
        let top = mm(style.margins.top);
        Paginator {
            out: Paginated {
                pages: vec![Page::default()],
                anchors: HashMap::new(),
                outline: Vec::new(),
                links: Vec::new(),
                anchor_titles: HashMap::new(),
                contents: Vec::new(),
            },
            y: top,
            at_top: true,
            top,
            margin_bottom: mm(style.margins.bottom),
            page,
        }
    }

    /// The pages, once every chunk is placed.
    pub(crate) fn finish(mut self) -> Paginated {
        if let Some(last) = self.out.pages.last_mut() {
            last.items.shrink_to_fit();
        }
        self.out
    }

    /// Places `chunks`, first fit. The last one may keep with the next only if it
    /// is the document's last.
    pub(crate) fn place_all(&mut self, mut chunks: Vec<Chunk>) {
        let top = self.top;
        let bottom_of = |landscape: bool| if landscape { self.page.0 } else { self.page.1 } - self.margin_bottom;
        let (out, y, at_top) = (&mut self.out, &mut self.y, &mut self.at_top);
        let mut i = 0;
        while i < chunks.len() {
            let chunk = &chunks[i];
            let landscape = out.pages.last().is_some_and(|p| p.landscape);
            if chunk.landscape != landscape {
                // A wide table turns the page; what follows it turns it back.
                if *at_top {
                    if let Some(page) = out.pages.last_mut() {
                        page.landscape = chunk.landscape;
                    }
                } else {
                    new_page(out, y, at_top, top);
                }
                continue;
            }
            let bottom = bottom_of(landscape);
            if chunk.break_before && !*at_top {
                new_page(out, y, at_top, top);
                continue;
            }
            let space = if *at_top { 0.0 } else { chunk.space_before };
            // The chunk and everything chained to it must fit together, if they can fit at all.
            // Measuring stops once the group is taller than a page (then it cannot fit
            // anyway), or after MAX_CHAIN chunks: a chain of 100,000 headings must not
            // be measured again from each of them.
            let mut group = space + chunk.height;
            let mut j = i;
            while chunks[j].keep_with_next && j + 1 < chunks.len() && !chunks[j + 1].break_before && group <= bottom - top && j - i < MAX_CHAIN {
                j += 1;
                group += chunks[j].space_before + chunks[j].height;
            }
            if !*at_top && *y + group > bottom && group <= bottom - top {
                new_page(out, y, at_top, top);
                continue;
            }
            if !*at_top && *y + space + chunk.height > bottom {
                new_page(out, y, at_top, top);
                continue;
            }
            if *at_top && out.pages.len() > 1 {
                if let Some(header) = chunk.repeat_header.clone() {
                    place(out, &mut Chunk::clone(&header), *y);
                    *y += header.height;
                }
            }
            *y += space;
            let height = chunk.height;
            let fill = chunk.fill_rules;
            place(out, &mut chunks[i], *y);
            *y += height;
            if let Some((x, width, spacing, colour)) = fill {
                // Ruled lines for notes, down to the foot of the page.
                let page = out.pages.len() - 1;
                let mut line_y = *y + spacing;
                // Spacing is positive in any usable style; a page never takes more than MAX_RULED_LINES.
                for _ in 0..MAX_RULED_LINES {
                    if line_y > bottom || spacing <= 0.0 {
                        break;
                    }
                    out.pages[page].items.push(super::Item::Line { from: (x, line_y), to: (x + width, line_y), colour, width: 0.5 });
                    line_y += spacing;
                }
                *y = bottom;
            }
            *at_top = false;
            i += 1;
        }
    }
}

fn new_page(out: &mut Paginated, y: &mut f32, at_top: &mut bool, top: f32) {
    // The finished page keeps what it holds and no spare room (a third of its items, on average).
    if let Some(done) = out.pages.last_mut() {
        done.items.shrink_to_fit();
    }
    out.pages.push(Page::default());
    *y = top;
    *at_top = true;
}

/// Puts a chunk on the current page at `y`, moving its items out of it.
fn place(out: &mut Paginated, chunk: &mut Chunk, y: f32) {
    let page = out.pages.len() - 1;
    for anchor in &chunk.anchors {
        out.anchors.entry(anchor.clone()).or_insert((page, y));
    }
    if let Some((level, title)) = &chunk.outline {
        out.outline.push(OutlineEntry { level: *level, title: title.clone(), page, y });
        for anchor in &chunk.anchors {
            out.anchor_titles.entry(anchor.clone()).or_insert_with(|| title.clone());
        }
    }
    for link in std::mem::take(&mut chunk.links) {
        out.links.push((page, LinkArea { y: y + link.y, ..link }));
    }
    if let Some(entry) = &chunk.contents_entry {
        out.contents.push((page, y + entry.baseline, entry.clone()));
    }
    let items = &mut out.pages[page].items;
    for mut item in std::mem::take(&mut chunk.items) {
        shift_item(&mut item, 0.0, y);
        items.push(item);
    }
}
