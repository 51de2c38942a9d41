//! Page content streams, written straight from the layout's items as PDF
//! operators and compressed page by page on every core.
//!
//! Each page becomes a compressed byte string as soon as it is drawn, and its
//! items are freed then: a long document never holds its pages twice (items and
//! operations) nor its operations uncompressed. Text is shown with TJ arrays of
//! two-byte glyph codes, with offsets only where the laid-out advance differs from
//! the font's width (kerning, justification). Numbers are written with at most
//! three decimals (a thousandth of a point), which keeps streams short.

use std::io::Write;

use super::fonts::GlyphTable;
use super::structure::PageTags;
use crate::fonts::{Face, FontSet};
use crate::layout::{is_live_uri, ArtifactKind, Item, LinkTarget, Page, Rgb, Structure, Tag, TextRun};

/// What the page writer needs that is the same for every page.
pub(super) struct Context<'a> {
    pub(super) fonts: &'a FontSet,
    pub(super) glyphs: &'a GlyphTable,
    pub(super) structure: &'a Structure,
    /// Every page's height, for the targets of links (a target may be on a turned page).
    pub(super) heights: &'a [f32],
}

/// A link annotation to make once the page objects exist.
pub(super) struct PageLink {
    /// Left, bottom, right, top in PDF coordinates.
    pub(super) rect: [f32; 4],
    pub(super) target: LinkAction,
}

/// Where a link annotation goes.
pub(super) enum LinkAction {
    Uri(String),
    /// Page index and the top of the view, in PDF coordinates.
    Page { page: usize, top: f32 },
}

/// One page, drawn.
pub(super) struct WrittenPage {
    /// The content stream, Flate-compressed.
    pub(super) content: Vec<u8>,
    pub(super) links: Vec<PageLink>,
    pub(super) tags: PageTags,
}

/// Draws and compresses every page, spread over the machine's cores, in page order.
pub(super) fn write_pages(mut pages: Vec<Page>, heights: &[f32], context: &Context) -> std::io::Result<Vec<WrittenPage>> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    if workers == 1 || pages.len() < 2 {
        return pages.into_iter().zip(heights).map(|(page, &h)| write_page(page, h, context)).collect();
    }
    // Contiguous shares, each drained by its own thread: a page is freed as soon as it is written.
    let per_worker = pages.len().div_ceil(workers);
    let mut shares = Vec::with_capacity(workers);
    while !pages.is_empty() {
        let rest = pages.split_off(pages.len().saturating_sub(per_worker));
        shares.push(rest);
    }
    shares.reverse();
    let write_share = |share: Vec<Page>, share_heights: &[f32]| -> std::io::Result<Vec<WrittenPage>> {
        share.into_iter().zip(share_heights).map(|(page, &h)| write_page(page, h, context)).collect()
    };
    std::thread::scope(|scope| {
        let mut shares = shares.into_iter();
        let own = shares.next().unwrap_or_default();
        let mut first = own.len();
        // The first share is written on this thread: one thread fewer, and one
        // allocator arena fewer holding memory.
        let handles: Vec<_> = shares
            .map(|share| {
                let share_heights = &heights[first..first + share.len()];
                first += share.len();
                scope.spawn(move || write_share(share, share_heights))
            })
            .collect();
        let own_heights = &heights[..own.len()];
        let mut written = write_share(own, own_heights)?;
        for handle in handles {
            written.extend(handle.join().unwrap_or_else(|_| Err(std::io::Error::other("a page could not be written")))?);
        }
        Ok(written)
    })
}

fn write_page(page: Page, h: f32, context: &Context) -> std::io::Result<WrittenPage> {
    let mut writer = PageWriter {
        h,
        context,
        out: Vec::with_capacity(page.items.len() * 48),
        text: None,
        spans: Vec::new(),
        marked: None,
        tags: PageTags::default(),
        links: Vec::new(),
        last_run: None,
    };
    for item in &page.items {
        writer.draw(item);
    }
    drop(page);
    writer.end_marked();
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::with_capacity(writer.out.len() / 3), flate2::Compression::default());
    encoder.write_all(&writer.out)?;
    Ok(WrittenPage { content: encoder.finish()?, links: writer.links, tags: writer.tags })
}

/// Appends `value` with at most three decimals and no trailing zeros.
pub(super) fn number(out: &mut Vec<u8>, value: f32) {
    let thousandths = (f64::from(value) * 1000.0).round() as i64;
    if thousandths < 0 {
        out.push(b'-');
    }
    let magnitude = thousandths.unsigned_abs();
    integer(out, magnitude / 1000);
    let fraction = magnitude % 1000;
    if fraction != 0 {
        let digits = [b'.', b'0' + (fraction / 100) as u8, b'0' + (fraction / 10 % 10) as u8, b'0' + (fraction % 10) as u8];
        let used = digits.iter().rposition(|&d| d != b'0').unwrap_or(0) + 1;
        out.extend_from_slice(&digits[..used]);
    }
}

fn integer(out: &mut Vec<u8>, value: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = value;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Appends numbers separated by spaces, then the operator.
fn operation(out: &mut Vec<u8>, numbers: &[f32], operator: &str) {
    for &n in numbers {
        number(out, n);
        out.push(b' ');
    }
    out.extend_from_slice(operator.as_bytes());
    out.push(b'\n');
}

fn colour(out: &mut Vec<u8>, c: Rgb, operator: &str) {
    let [r, g, b] = c.unit();
    operation(out, &[r, g, b], operator);
}

/// Turns one page's items into operators. Consecutive text runs share one text
/// object, and colour and font are set only when they change.
struct PageWriter<'a> {
    /// Page height, to flip y (layout is top-down, PDF bottom-up).
    h: f32,
    context: &'a Context<'a>,
    out: Vec<u8>,
    /// Inside a text object: the colour and font currently set.
    text: Option<TextState>,
    /// The layout's open spans ([`Item::Begin`]), innermost last: what they mark
    /// their items as, and whether the span is an inserted hyphen.
    spans: Vec<(Tag, bool)>,
    /// The marked-content sequence open in the content stream, if any, and whether
    /// it was opened inside the open text object (then it closes before the object).
    marked: Option<(Tag, bool)>,
    /// What the page's marked content and links belong to, for the structure tree.
    tags: PageTags,
    links: Vec<PageLink>,
    /// The last run drawn in the open marked-content sequence: its baseline, where
    /// it ends, and whether its text lets the next run follow without a space.
    last_run: Option<(f32, f32, bool)>,
}

/// What the open text object has set so far.
#[derive(Default)]
struct TextState {
    colour: Option<Rgb>,
    font: Option<(Face, f32)>,
}

/// Marked content and text objects must nest. Text is marked inside its text
/// object, so consecutive runs of different elements share one text object (and
/// its font and colour); anything else is marked outside text objects.
impl PageWriter<'_> {
    fn op(&mut self, operator: &str) {
        self.out.extend_from_slice(operator.as_bytes());
        self.out.push(b'\n');
    }

    /// Ends the text object, and the marked content opened inside it.
    fn end_text(&mut self) {
        if self.text.take().is_some() {
            if let Some((_, true)) = self.marked {
                self.op("EMC");
                self.marked = None;
                self.last_run = None;
            }
            self.op("ET");
        }
    }

    /// What the innermost span marks its items as; decoration outside every span.
    fn enclosing(&self) -> Tag {
        self.spans.last().map_or(Tag::Artifact(ArtifactKind::Layout), |&(tag, _)| tag)
    }

    /// Ends whatever is open at the end of a page.
    fn end_marked(&mut self) {
        self.end_text();
        if self.marked.take().is_some() {
            self.op("EMC");
        }
    }

    /// Marks the text about to be drawn as `tag`, inside a text object.
    fn mark_text(&mut self, tag: Tag) {
        match self.marked {
            Some((open, _)) if open == tag => {}
            Some((_, true)) => {
                self.op("EMC");
                self.marked = None;
                self.open_marked(tag, true);
            }
            Some((_, false)) => {
                self.end_text();
                self.op("EMC");
                self.marked = None;
                self.begin_text();
                self.open_marked(tag, true);
            }
            None => {
                self.begin_text();
                self.open_marked(tag, true);
            }
        }
        self.begin_text();
    }

    /// Marks a shape or image about to be drawn as `tag`, outside text objects.
    fn mark_other(&mut self, tag: Tag) {
        self.end_text();
        match self.marked {
            Some((open, false)) if open == tag => {}
            Some(_) => {
                self.op("EMC");
                self.marked = None;
                self.open_marked(tag, false);
            }
            None => self.open_marked(tag, false),
        }
    }

    fn begin_text(&mut self) {
        if self.text.is_none() {
            self.op("BT");
            self.text = Some(TextState::default());
        }
    }

    /// Opens marked content for `tag`: a structure node's content (with the next
    /// marked-content id) or an artifact of its kind.
    fn open_marked(&mut self, tag: Tag, inside_text: bool) {
        self.last_run = None;
        match tag {
            Tag::Node(node) => {
                let mcid = self.tags.marks.len();
                self.tags.marks.push(node);
                let role = self.context.structure.get(node).map_or("Span", |n| n.role.pdf_name());
                self.out.push(b'/');
                self.out.extend_from_slice(role.as_bytes());
                self.out.extend_from_slice(b" <</MCID ");
                integer(&mut self.out, mcid as u64);
                self.op(">> BDC");
            }
            // `draw` never marks an inline span as such (it takes what encloses it).
            Tag::Artifact(_) | Tag::Inline(_) | Tag::SoftHyphen => self.op(match tag {
                Tag::Artifact(ArtifactKind::Header) => "/Artifact <</Type /Pagination /Subtype /Header>> BDC",
                Tag::Artifact(ArtifactKind::Footer) => "/Artifact <</Type /Pagination /Subtype /Footer>> BDC",
                Tag::Artifact(ArtifactKind::Watermark) => "/Artifact <</Type /Pagination /Subtype /Watermark>> BDC",
                _ => "/Artifact <</Type /Layout>> BDC",
            }),
        }
        self.marked = Some((tag, inside_text));
    }

    fn draw(&mut self, item: &Item) {
        let h = self.h;
        // A number that is not finite would be written as `NaN` or `inf`, which no
        // PDF reader accepts; whatever produced it, the item is left out.
        if !item.is_finite() {
            return;
        }
        match item {
            // An inline span never tagged as a node, or an inserted hyphen, reads as part of what encloses it.
            Item::Begin(tag @ (Tag::Inline(_) | Tag::SoftHyphen)) => return self.spans.push((self.enclosing(), *tag == Tag::SoftHyphen)),
            Item::Begin(tag) => return self.spans.push((*tag, false)),
            Item::End => {
                self.spans.pop();
                return;
            }
            Item::Link { .. } => {}
            // Turned text is a copy's watermark, which assistive technology leaves out.
            Item::Text(run) if run.angle != 0.0 => self.mark_text(Tag::Artifact(ArtifactKind::Watermark)),
            // Whatever is outside every span is decoration.
            Item::Text(_) => self.mark_text(self.enclosing()),
            _ => self.mark_other(self.enclosing()),
        }
        match item {
            Item::Begin(_) | Item::End => {}
            Item::Text(run) if run.angle != 0.0 => {
                self.text(run);
                self.end_text();
            }
            Item::Text(run) => self.text(run),
            Item::Rect { x, y, w, h: rh, fill, stroke } => {
                self.op("q");
                if let Some(f) = fill {
                    colour(&mut self.out, *f, "rg");
                }
                if let Some((c, width)) = stroke {
                    colour(&mut self.out, *c, "RG");
                    operation(&mut self.out, &[*width], "w");
                }
                operation(&mut self.out, &[*x, h - y - rh, *w, *rh], "re");
                self.op(match (fill, stroke) {
                    (Some(_), Some(_)) => "B",
                    (None, Some(_)) => "S",
                    _ => "f",
                });
                self.op("Q");
            }
            Item::Line { from, to, colour: c, width } => {
                self.op("q");
                colour(&mut self.out, *c, "RG");
                operation(&mut self.out, &[*width], "w");
                operation(&mut self.out, &[from.0, h - from.1], "m");
                operation(&mut self.out, &[to.0, h - to.1], "l");
                self.op("S");
                self.op("Q");
            }
            Item::Image { x, y, w, h: ih, image } => {
                self.op("q");
                operation(&mut self.out, &[*w, 0.0, 0.0, *ih, *x, h - y - ih], "cm");
                self.out.extend_from_slice(b"/Im");
                integer(&mut self.out, *image as u64);
                self.op(" Do");
                self.op("Q");
            }
            Item::Link { x, y, w, h: lh, target, parent, description } => {
                let target = match target {
                    // Whoever built the layout, only https and mailto addresses become live links.
                    LinkTarget::Uri(uri) if !is_live_uri(uri) => return,
                    LinkTarget::Uri(uri) => LinkAction::Uri(uri.to_string()),
                    LinkTarget::Internal { page, y } => {
                        let page = *page as usize;
                        LinkAction::Page { page, top: self.context.heights.get(page).copied().unwrap_or(h) - y + 6.0 }
                    }
                };
                self.links.push(PageLink { rect: [*x, h - y - lh, x + w, h - y], target });
                self.tags.links.push((*parent, description.to_string()));
            }
        }
    }

    fn text(&mut self, run: &TextRun) {
        if run.glyphs.is_empty() {
            return;
        }
        let glyphs = self.context.glyphs;
        // A line break or a gap between runs of one element is a word break to the
        // eye but not in the text: an invisible space keeps "MI5 annual" from
        // reading as "MI5annual" (the pen moves back by its width).
        let first = run.glyphs.first().and_then(|g| glyphs.get(run.face, g.gid)).map(|g| &*g.text);
        let last = run.glyphs.last().and_then(|g| glyphs.get(run.face, g.gid)).map(|g| &*g.text);
        let mut invisible_space = None;
        if let Some((baseline, end, joins)) = self.last_run {
            // A jump back counts too: right-to-left words follow each other leftwards.
            let apart = (run.baseline - baseline).abs() > 0.5 || (run.x - end).abs() > run.size * 0.15;
            let starts_with_space = first.is_some_and(|t| t.starts_with(char::is_whitespace));
            if apart && !joins && !starts_with_space {
                invisible_space = glyphs.space(run.face);
            }
        }
        let joins = last.is_none_or(|t| t.ends_with([' ', '-', '\u{2010}', '\u{AD}', '/']));
        self.last_run = Some((run.baseline, run.x + run.width(), joins));
        let state = self.text.get_or_insert_with(TextState::default);
        let set_colour = state.colour != Some(run.colour);
        let set_font = state.font != Some((run.face, run.size));
        state.colour = Some(run.colour);
        state.font = Some((run.face, run.size));
        if set_colour {
            colour(&mut self.out, run.colour, "rg");
        }
        if set_font {
            self.out.push(b'/');
            self.out.extend_from_slice(self.context.fonts.pdf_tag(run.face).as_bytes());
            self.out.push(b' ');
            operation(&mut self.out, &[run.size], "Tf");
        }
        if run.angle == 0.0 {
            operation(&mut self.out, &[1.0, 0.0, 0.0, 1.0, run.x, self.h - run.baseline], "Tm");
        } else {
            let (sin, cos) = run.angle.to_radians().sin_cos();
            operation(&mut self.out, &[cos, sin, -sin, cos, run.x, self.h - run.baseline], "Tm");
        }
        let soft_hyphen = self.spans.last().is_some_and(|&(_, soft_hyphen)| soft_hyphen);
        if soft_hyphen {
            // Drawn as a hyphen, read as a soft hyphen: "recommend-" / "ations" is one word.
            self.op("/Span <</ActualText <FEFF00AD>>> BDC");
        }
        self.show(run, invisible_space);
        if soft_hyphen {
            self.op("EMC");
        }
    }

    /// The TJ array for a run: glyph codes in literal strings, and an offset (in
    /// thousandths of an em) after each glyph whose laid-out advance differs from
    /// the width the PDF gives it.
    fn show(&mut self, run: &TextRun, invisible_space: Option<(u16, f32)>) {
        let glyphs = self.context.glyphs;
        let out = &mut self.out;
        let start = out.len();
        out.push(b'[');
        let mut in_string = false;
        let mut offsets = 0;
        let mut put = |out: &mut Vec<u8>, code: u16, offset: f32| {
            if !in_string {
                out.push(b'(');
                in_string = true;
            }
            for byte in code.to_be_bytes() {
                match byte {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
                    // An end of line inside a literal string is read as a line feed.
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(byte),
                }
            }
            if offset != 0.0 {
                out.extend_from_slice(b") ");
                in_string = false;
                number(out, offset);
                offsets += 1;
            }
        };
        if let Some((code, width)) = invisible_space {
            put(out, code, width);
        }
        for glyph in &run.glyphs {
            let (code, natural) = glyphs.get(run.face, glyph.gid).map_or((0, 0.0), |g| (g.code, g.natural));
            let wanted = glyph.advance * 1000.0 / run.size;
            // Whole thousandths of an em: 0.005 pt at 10 pt, and much shorter content streams.
            put(out, code, (natural - wanted).round());
        }
        if in_string {
            out.push(b')');
        }
        if offsets == 0 {
            // One string and nothing else: `(…) Tj` says the same in fewer bytes.
            out.remove(start);
            out.extend_from_slice(b" Tj\n");
        } else {
            out.extend_from_slice(b"] TJ\n");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::number;

    fn written(value: f32) -> String {
        let mut out = Vec::new();
        number(&mut out, value);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn numbers_are_written_short_with_at_most_three_decimals() {
        assert_eq!(written(0.0), "0");
        assert_eq!(written(-0.0), "0");
        assert_eq!(written(12.0), "12");
        assert_eq!(written(595.27563), "595.276");
        assert_eq!(written(0.1176), "0.118");
        assert_eq!(written(-14.0), "-14");
        assert_eq!(written(-0.05), "-0.05");
        assert_eq!(written(0.007), "0.007");
        assert_eq!(written(1.5), "1.5");
        assert_eq!(written(-0.0004), "0");
    }
}
