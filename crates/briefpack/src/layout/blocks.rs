//! Blocks → chunks: the unbreakable slices that pagination places on pages.
//!
//! A paragraph becomes one chunk per line, chained with keep-with-next so that
//! no page starts or ends with a single line of it; a heading stays with what
//! follows; a table becomes a header chunk and one chunk per row, each row
//! carrying the header to repeat after a page break. Containers (quotes,
//! callouts, code) paint their background or bar into every chunk they hold,
//! so they continue seamlessly across pages.

use std::collections::HashMap;
use std::rc::Rc;

use super::paginate::Paginator;
use super::style::{mm, Rgb, Style};
use super::text::{Align, GlyphText, Line, LinkRef, StyledText, TextStyle, Typesetter, SOURCES_ANCHOR};
use super::embeds::{EmbedCtx, Embeds, StatCard};
use super::tags::{strip, wrap, HeadingLevels, ListNumbering, NodeId, Role, Structure, Tag};
use super::{Assets, ImageAsset, ImageFormat, Item, LayoutError};
use crate::fonts::{Face, FontSet};
use crate::markdown::{plain_text, AlertKind, Alignment, Block, Document, Inline, ListItem, Table};

/// An unbreakable slice of the flow. Items have page x coordinates and y
/// relative to the chunk's top.
#[derive(Debug, Clone, Default)]
pub(crate) struct Chunk {
    pub(crate) height: f32,
    /// Space above, dropped at the top of a page.
    pub(crate) space_before: f32,
    pub(crate) items: Vec<Item>,
    pub(crate) links: Vec<LinkArea>,
    pub(crate) keep_with_next: bool,
    pub(crate) break_before: bool,
    /// Heading or note ids that point at this chunk's top.
    pub(crate) anchors: Vec<String>,
    /// A heading's outline level and text.
    pub(crate) outline: Option<(u8, String)>,
    /// The baseline of the first line, for list markers.
    pub(crate) first_baseline: Option<f32>,
    /// The table header to repeat when this row starts a page.
    pub(crate) repeat_header: Option<Rc<Chunk>>,
    /// A contents line still waiting for its page number.
    pub(crate) contents_entry: Option<ContentsEntry>,
    /// Ruled lines from here to the foot of the page: x, width, spacing, colour.
    pub(crate) fill_rules: Option<(f32, f32, f32, Rgb)>,
    /// Set on a landscape page (a table too wide for a portrait one).
    pub(crate) landscape: bool,
}

impl Chunk {
    /// Moves the space above into the chunk (inside containers, so backgrounds cover it).
    fn absorb_space(&mut self, extra_top: f32) {
        let shift = self.space_before + extra_top;
        if shift == 0.0 {
            return;
        }
        for item in &mut self.items {
            shift_item(item, 0.0, shift);
        }
        for link in &mut self.links {
            link.y += shift;
        }
        self.first_baseline = self.first_baseline.map(|b| b + shift);
        if let Some(entry) = &mut self.contents_entry {
            entry.baseline += shift;
        }
        self.height += shift;
        self.space_before = 0.0;
    }
}

/// A clickable area of a chunk, before its target's page is known.
#[derive(Debug, Clone)]
pub(crate) struct LinkArea {
    pub(crate) x: f32,
    /// From the top of the chunk (of the page, once placed).
    pub(crate) y: f32,
    pub(crate) w: f32,
    pub(crate) h: f32,
    pub(crate) target: LinkRef,
    /// The structure node whose text the link is on.
    pub(crate) parent: Option<NodeId>,
}

/// Tags a chunk's items as the content of `node`, and its links as that node's;
/// inline spans in it (footnote references) become children of `node`.
pub(crate) fn tag_chunk(chunk: &mut Chunk, node: NodeId, structure: &mut Structure) {
    let mut references = Vec::new();
    for item in &mut chunk.items {
        if let Item::Begin(Tag::Inline(role)) = *item {
            let inline = structure.add(role, Some(node));
            references.push(inline);
            *item = Item::Begin(Tag::Node(inline));
        }
    }
    wrap(&mut chunk.items, Tag::Node(node));
    // A note's link belongs to its reference, in the order both appear on the line.
    let mut references = references.into_iter();
    for link in &mut chunk.links {
        let own = if link.target.is_note() { references.next() } else { None };
        link.parent.get_or_insert(own.unwrap_or(node));
    }
}

/// A contents line: where its leader and page number go once the page is known.
#[derive(Debug, Clone)]
pub(crate) struct ContentsEntry {
    /// The contents item it belongs to, which its page number is tagged as.
    pub(crate) node: NodeId,
    pub(crate) anchor: String,
    pub(crate) text_end: f32,
    pub(crate) baseline: f32,
    pub(crate) size: f32,
}

pub(crate) fn shift_item(item: &mut Item, dx: f32, dy: f32) {
    match item {
        Item::Text(t) => {
            t.x += dx;
            t.baseline += dy;
        }
        Item::Rect { x, y, .. } | Item::Image { x, y, .. } | Item::Link { x, y, .. } => {
            *x += dx;
            *y += dy;
        }
        Item::Line { from, to, .. } => {
            from.0 += dx;
            to.0 += dx;
            from.1 += dy;
            to.1 += dy;
        }
        Item::Begin(_) | Item::End => {}
    }
}

/// The column a block is set in, and its text defaults.
#[derive(Debug, Clone)]
struct Ctx {
    x: f32,
    width: f32,
    size: f32,
    face: Face,
    colour: Rgb,
    /// Space above paragraphs.
    spacing: f32,
}

/// Turns a document into chunks.
pub(crate) struct Flow<'a> {
    style: &'a Style,
    embeds: &'a Embeds,
    content_height: f32,
    typesetter: Typesetter<'a>,
    assets: &'a dyn Assets,
    images: Vec<ImageAsset>,
    /// Each image's index in `images` by its path as written: a file is read,
    /// and its pixels decoded, once per document however often it is placed.
    image_indexes: HashMap<String, usize>,
    /// Pixels of the PNGs placed so far (the PDF stage decodes each once).
    decoded_pixels: u64,
    left: f32,
    width: f32,
    /// How much wider the text is on a landscape page.
    landscape_gain: f32,
    numbers: [u32; 6],
    number_from: u8,
    pending_break: bool,
    /// The logical structure built so far.
    structure: Structure,
    /// The node new nodes go under (`None`: the document root).
    parent: Option<NodeId>,
    headings: HeadingLevels,
    /// Open groups in another language, with the parent each replaced.
    languages: Vec<(NodeId, Option<NodeId>)>,
    /// The last block was the Sources heading.
    after_sources_heading: bool,
}

/// Images larger than this on a side are refused (they would exhaust memory when decoded).
const MAX_IMAGE_SIDE: u32 = 12_000;

/// PNG pixels decoded per document at most, all images together: one image at the
/// side limit fits, a hundred different 4,000 × 4,000 photographs do not (they
/// took minutes and gigabytes). JPEGs are embedded as they are, never decoded.
pub(crate) const MAX_DECODED_PIXELS: u64 = 150_000_000;

impl<'a> Flow<'a> {
    pub(crate) fn new(style: &'a Style, fonts: &'a FontSet, assets: &'a dyn Assets, embeds: &'a Embeds, page: (f32, f32)) -> Self {
        let left = mm(style.margins.left);
        let width = page.0 - left - mm(style.margins.right);
        Flow {
            style,
            embeds,
            content_height: page.1 - mm(style.margins.top) - mm(style.margins.bottom),
            typesetter: Typesetter::new(fonts, style.hyphenate),
            assets,
            images: Vec::new(),
            image_indexes: HashMap::new(),
            decoded_pixels: 0,
            left,
            width,
            landscape_gain: (page.1 - page.0).max(0.0),
            numbers: [0; 6],
            number_from: 1,
            pending_break: false,
            structure: Structure::default(),
            parent: None,
            headings: HeadingLevels::default(),
            languages: Vec::new(),
            after_sources_heading: false,
        }
    }

    /// The images placed, the text of every glyph used and the document's structure.
    pub(crate) fn finish(self) -> (Vec<ImageAsset>, GlyphText, Structure) {
        (self.images, self.typesetter.glyph_text, self.structure)
    }

    /// A new structure node under the current parent.
    fn node(&mut self, role: Role) -> NodeId {
        self.structure.add(role, self.parent)
    }

    /// Runs `f` with `node` as the parent of the nodes it creates.
    fn inside<T>(&mut self, node: NodeId, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = self.parent.replace(node);
        let result = f(self);
        self.parent = saved;
        result
    }

    fn body(&self) -> Ctx {
        Ctx {
            x: self.left,
            width: self.width,
            size: self.style.body_size,
            face: Face::Regular,
            colour: self.style.colours.text,
            spacing: self.style.paragraph_spacing,
        }
    }

    /// Lays out `doc` and hands its chunks to `pages` block by block. Each block is
    /// dropped once laid out (left as a rule): a long document's tree and its pages
    /// are not held in full at once.
    pub(crate) fn document(&mut self, doc: &mut Document, pages: &mut Paginator) -> Result<(), LayoutError> {
        let mut out = Vec::new();
        let ctx = self.body();
        let titled = matches!(doc.blocks.first(), Some(Block::Heading { level: 1, .. }));
        if titled {
            self.number_from = 2;
        }
        // The contents go where a ```contents block stands, else after the title.
        let marker = doc.blocks.iter().position(|b| matches!(b, Block::Code { info, .. } if info == "contents"));
        let contents_at = marker.unwrap_or(usize::from(titled));
        for i in 0..doc.blocks.len() {
            if i == contents_at && self.style.contents {
                let headings: Vec<&Block> = doc.blocks[i..]
                    .iter()
                    .filter(|b| matches!(b, Block::Heading { level, .. } if *level <= self.style.contents_depth))
                    .collect();
                // Nothing to list (a pack made from nothing, a note without headings): no
                // page with only the word "Contents" on it.
                if !headings.is_empty() {
                    self.contents(&headings, &ctx, &mut out);
                    self.pending_break = true;
                }
            }
            if Some(i) != marker {
                let block = std::mem::replace(&mut doc.blocks[i], Block::Rule);
                self.block(&block, &ctx, &mut out)?;
            }
            hand_over(&mut out, pages);
        }
        if !doc.footnotes.is_empty() {
            let heading = Block::Heading { level: 2, content: vec![Inline::Text(self.style.notes_title.clone())], id: "notes".into() };
            let saved = self.style.number_headings;
            self.heading(&heading, &ctx, &mut out, !saved);
            let notes = Ctx { size: ctx.size * 0.88, spacing: 3.0, ..ctx.clone() };
            for note in &doc.footnotes {
                let item = ListItem { task: None, blocks: note.blocks.clone() };
                let start = out.len();
                self.list_item(&item, &format!("{}.", note.number), Role::Note, &notes, &mut out)?;
                if let Some(first) = out.get_mut(start) {
                    first.anchors.push(format!("note-{}", note.number));
                }
                hand_over(&mut out, pages);
            }
        }
        pages.place_all(out);
        Ok(())
    }

    fn push(&mut self, out: &mut Vec<Chunk>, mut chunk: Chunk) {
        if self.pending_break {
            chunk.break_before = true;
            self.pending_break = false;
        }
        out.push(chunk);
    }

    fn block(&mut self, block: &Block, ctx: &Ctx, out: &mut Vec<Chunk>) -> Result<(), LayoutError> {
        // The numbered list right under the Sources heading is the source notes.
        let source_notes = std::mem::take(&mut self.after_sources_heading) && matches!(block, Block::List { ordered: true, .. });
        match block {
            Block::Heading { id, .. } => {
                self.heading(block, ctx, out, false);
                self.after_sources_heading = id == SOURCES_ANCHOR;
            }
            Block::Paragraph(inlines) => {
                let base = TextStyle::new(ctx.face, ctx.size, ctx.colour);
                let text = StyledText::from_inlines(inlines, &base, self.style);
                let align = if self.style.justify { Align::Justify } else { Align::Left };
                let lines = self.typesetter.lines(&text, ctx.width, align, self.style.line_height);
                let node = self.node(Role::Paragraph);
                self.lines(lines, ctx.x, ctx.spacing, node, out);
            }
            Block::List { ordered, start, tight, items } => {
                let depth = ((ctx.x - self.left) / (ctx.size * 1.7)).round() as usize;
                let inner = Ctx { spacing: if *tight { ctx.size * 0.25 } else { ctx.spacing }, ..ctx.clone() };
                let numbering = match (ordered, items.iter().any(|item| item.task.is_some())) {
                    (_, true) => ListNumbering::None,
                    (true, false) => ListNumbering::Decimal,
                    (false, false) => ListNumbering::Disc,
                };
                // Source notes are notes, as footnotes are; any other list is a list.
                let (item_role, saved) = if source_notes {
                    (Role::Note, self.parent)
                } else {
                    let list = self.node(Role::List(numbering));
                    (Role::ListItem, self.parent.replace(list))
                };
                for (i, item) in items.iter().enumerate() {
                    let marker = match (ordered, item.task) {
                        // Task boxes are drawn; a tick is added for done items.
                        (_, Some(true)) => "✓".to_string(),
                        (_, Some(false)) => String::new(),
                        (true, None) => format!("{}.", start + i as u64),
                        (false, None) => ["•", "–", "◦"][depth % 3].to_string(),
                    };
                    let first = out.len();
                    let laid = self.list_item(item, &marker, item_role, if i == 0 { ctx } else { &inner }, out);
                    if laid.is_err() {
                        self.parent = saved;
                    }
                    laid?;
                    if i == 0 {
                        if let Some(c) = out.get_mut(first) {
                            c.space_before = c.space_before.max(ctx.spacing);
                        }
                    }
                }
                self.parent = saved;
            }
            Block::Quote(blocks) => {
                let indent = self.indent(ctx, ctx.size * 1.4);
                let inner = Ctx {
                    x: ctx.x + indent,
                    width: ctx.width - indent,
                    face: ctx.face.italicised(),
                    colour: self.style.colours.muted,
                    ..ctx.clone()
                };
                let mut chunks = Vec::new();
                let quote = self.node(Role::BlockQuote);
                self.inside(quote, |flow| blocks.iter().try_for_each(|b| flow.block(b, &inner, &mut chunks)))?;
                let bar = self.style.colours.rule;
                self.contain(chunks, ctx.spacing, 0.0, out, |h| {
                    vec![Item::Rect { x: ctx.x + 1.0, y: 0.0, w: 2.2, h, fill: Some(bar), stroke: None }]
                });
            }
            Block::Code { info, text } => {
                if !self.embed(info, text, ctx, out) {
                    self.code(text, ctx, out);
                }
            }
            Block::Alert { kind, title, blocks } => {
                let (accent, _) = alert_colours(*kind);
                let pad = 9.0;
                let inner = Ctx { x: ctx.x + pad + 3.0, width: ctx.width - 2.0 * pad - 3.0, spacing: ctx.spacing * 0.7, ..ctx.clone() };
                let mut chunks = Vec::new();
                let title_text = title.clone().unwrap_or_else(|| kind.title().to_string());
                let title_style = TextStyle::new(Face::Bold, ctx.size * 0.95, accent);
                let lines = self.typesetter.lines(&StyledText::plain(&title_text, title_style), inner.width, Align::Left, 1.3);
                let callout = self.node(Role::Division);
                self.inside(callout, |flow| {
                    let title = flow.node(Role::Paragraph);
                    flow.lines(lines, inner.x, 0.0, title, &mut chunks);
                    if let Some(last) = chunks.last_mut() {
                        last.keep_with_next = true;
                    }
                    blocks.iter().try_for_each(|b| flow.block(b, &inner, &mut chunks))
                })?;
                if let Some(first) = chunks.first_mut() {
                    first.space_before = 0.0;
                }
                let background = self.style.colours.callout_background;
                let (x, w) = (ctx.x, ctx.width);
                self.contain(chunks, ctx.spacing + 2.0, pad, out, |h| {
                    vec![
                        Item::Rect { x, y: 0.0, w, h, fill: Some(background), stroke: None },
                        Item::Rect { x, y: 0.0, w: 3.0, h, fill: Some(accent), stroke: None },
                    ]
                });
            }
            Block::Table(table) => self.table(table, ctx, out),
            Block::Image { url, alt } => self.image(url, alt, ctx, out)?,
            Block::Rule => {
                let y = 9.0;
                let chunk = Chunk {
                    height: 18.0,
                    space_before: ctx.spacing * 0.5,
                    items: vec![Item::Line {
                        from: (ctx.x + ctx.width * 0.3, y),
                        to: (ctx.x + ctx.width * 0.7, y),
                        colour: self.style.colours.rule,
                        width: 0.6,
                    }],
                    ..Chunk::default()
                };
                self.push(out, chunk);
            }
            Block::PageBreak => self.pending_break = true,
            Block::Language(Some(tag)) => {
                // What follows is grouped under an element in that language.
                let group = self.node(Role::Division);
                if let Some(node) = self.structure.nodes.get_mut(group as usize) {
                    node.lang = Some(tag.clone());
                }
                self.languages.push((group, self.parent));
                self.parent = Some(group);
            }
            Block::Language(None) => {
                // Only the group this level opened: a stray end inside a list item ends nothing.
                if let Some(&(group, outer)) = self.languages.last() {
                    if self.parent == Some(group) {
                        self.languages.pop();
                        self.parent = outer;
                    }
                }
            }
        }
        Ok(())
    }

    /// Lays out a special block (cover, cards, chart, QR codes, yardstick, ruled lines) if
    /// `info` names one and its data exists; `false` to show it as code instead.
    fn embed(&mut self, info: &str, body: &str, ctx: &Ctx, out: &mut Vec<Chunk>) -> bool {
        let embeds = self.embeds;
        if info == "cover" && embeds.cover.is_some() {
            // The cover's title is the document's first heading.
            self.headings.next(1);
        }
        let names: Vec<&str> = body.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        let cover_logo = match (info, &embeds.cover) {
            ("cover", Some(cover)) => cover.brand.as_ref().and_then(|b| b.logo.as_ref()).map(|logo| self.place_asset(&logo.image)),
            _ => None,
        };
        let mut embed_ctx = EmbedCtx {
            style: self.style,
            typesetter: &mut self.typesetter,
            structure: &mut self.structure,
            parent: self.parent,
            x: ctx.x,
            width: ctx.width,
            size: ctx.size,
        };
        let chunks = match info {
            "cover" => match &embeds.cover {
                Some(cover) => {
                    let chunks = embed_ctx.cover(cover, cover_logo, self.content_height);
                    for chunk in chunks {
                        self.push(out, chunk);
                    }
                    self.pending_break = true;
                    return true;
                }
                None => return false,
            },
            "stat-cards" => {
                let cards: Vec<&StatCard> = names.iter().filter_map(|id| embeds.cards.get(*id)).collect();
                if cards.is_empty() {
                    return false;
                }
                embed_ctx.cards(&cards)
            }
            "chart" => match names.first().and_then(|id| embeds.charts.get(*id)) {
                Some(chart) => embed_ctx.chart(chart),
                None => return false,
            },
            "qr" => {
                if names.is_empty() {
                    return false;
                }
                embed_ctx.qr_codes(&names, &embeds.qr_titles)
            }
            "yardstick" => match &embeds.yardstick {
                Some(yardstick) => embed_ctx.yardstick(yardstick),
                None => return false,
            },
            "ruled-lines" => vec![Chunk {
                height: 0.0,
                space_before: ctx.spacing,
                fill_rules: Some((ctx.x, ctx.width, ctx.size * 2.3, self.style.colours.rule)),
                ..Chunk::default()
            }],
            _ => return false,
        };
        for chunk in chunks {
            self.push(out, chunk);
        }
        true
    }

    /// Lines of a paragraph as chunks tagged as `node`'s content, chained so no page
    /// keeps a lone first or last line.
    fn lines(&mut self, lines: Vec<Line>, x: f32, space_before: f32, node: NodeId, out: &mut Vec<Chunk>) {
        let n = lines.len();
        for (i, line) in lines.into_iter().enumerate() {
            let mut chunk = line_chunk(line, x);
            tag_chunk(&mut chunk, node, &mut self.structure);
            chunk.space_before = if i == 0 { space_before } else { 0.0 };
            chunk.keep_with_next = n > 1 && (i == 0 || i + 2 == n);
            self.push(out, chunk);
        }
    }

    fn heading(&mut self, block: &Block, ctx: &Ctx, out: &mut Vec<Chunk>, unnumbered: bool) {
        let Block::Heading { level, content, id } = block else { return };
        let level = (*level).clamp(1, 6);
        let size = self.style.heading_sizes[usize::from(level - 1)];
        let number = (self.style.number_headings && !unnumbered && level >= self.number_from).then(|| self.next_number(level));
        let label = match &number {
            Some(n) => format!("{n} {}", plain_text(content)),
            None => plain_text(content),
        };
        let base = TextStyle::new(Face::Bold, size, self.style.colours.heading);
        let mut text = StyledText::default();
        if let Some(n) = number {
            text.push(format!("{n} "), base.clone());
        }
        text.pieces.extend(StyledText::from_inlines(content, &base, self.style).pieces);
        let is_title = level == 1 && out.is_empty();
        let lines = self.typesetter.lines(&text, ctx.width, Align::Left, 1.22);
        let first = out.len();
        let space = if out.is_empty() { 0.0 } else { size * if level <= 2 { 1.05 } else { 0.9 } };
        let tagged_level = self.headings.next(level);
        let node = self.node(Role::Heading(tagged_level));
        self.lines(lines, ctx.x, space, node, out);
        let after = if is_title { size * 0.55 } else { size * 0.3 };
        if let Some(last) = out.last_mut() {
            last.height += after;
            if is_title {
                let y = last.height - after * 0.45;
                last.items.push(Item::Line { from: (ctx.x, y), to: (ctx.x + ctx.width, y), colour: self.style.colours.heading, width: 1.1 });
            }
        }
        for chunk in &mut out[first..] {
            chunk.keep_with_next = true;
        }
        if let Some(c) = out.get_mut(first) {
            c.anchors.push(id.clone());
            c.outline = Some((level, label));
        }
    }

    /// How far a nested block moves in: `wanted`, until the column would fall below
    /// 40% of the page's; deeper nesting then stays where it is.
    fn indent(&self, ctx: &Ctx, wanted: f32) -> f32 {
        if ctx.width - wanted < self.width * 0.4 {
            0.0
        } else {
            wanted
        }
    }

    /// The next heading number at `level` ("2.3"), counting from the first numbered level.
    fn next_number(&mut self, level: u8) -> String {
        let depth = usize::from(level - self.number_from);
        self.numbers[depth] += 1;
        self.numbers[depth + 1..].fill(0);
        self.numbers[..=depth].iter().map(u32::to_string).collect::<Vec<_>>().join(".")
    }

    /// A list item (or a note, as `role` says): its label, then its blocks.
    fn list_item(&mut self, item: &ListItem, marker: &str, role: Role, ctx: &Ctx, out: &mut Vec<Chunk>) -> Result<(), LayoutError> {
        let indent = self.indent(ctx, ctx.size * 1.7);
        let inner = Ctx { x: ctx.x + indent, width: ctx.width - indent, ..ctx.clone() };
        let first = out.len();
        let list_item = self.node(role);
        // Created before the body, so the label comes first in reading order.
        let (label, body) = self.inside(list_item, |flow| (flow.node(Role::Label), flow.node(Role::ListBody)));
        self.inside(body, |flow| {
            item.blocks.iter().enumerate().try_for_each(|(i, block)| {
                let block_ctx = if i == 0 { Ctx { spacing: ctx.spacing, ..inner.clone() } } else { inner.clone() };
                flow.block(block, &block_ctx, out)
            })
        })?;
        if out.len() == first {
            out.push(Chunk { height: ctx.size * self.style.line_height, ..Chunk::default() });
        }
        let chunk = &mut out[first];
        let baseline = chunk.first_baseline.unwrap_or(ctx.size);
        let style = TextStyle::new(ctx.face, ctx.size, if item.task.is_some() { self.style.colours.accent } else { ctx.colour });
        let gap = ctx.size * 0.45;
        if let Some(done) = item.task {
            let side = ctx.size * 0.72;
            let (x, y) = (ctx.x + indent - side - gap, baseline - side);
            let tick_width = self.typesetter.measure(marker, style.face, style.size);
            // The box and its tick are the label, read as what they mean.
            let mut marker_items = vec![Item::Rect { x, y, w: side, h: side, fill: None, stroke: Some((self.style.colours.muted, 0.6)) }];
            marker_items.extend(self.typesetter.run(marker, &style, x + (side - tick_width) / 2.0, baseline - side * 0.08));
            wrap(&mut marker_items, Tag::Node(label));
            self.structure.set_alt(label, if done { "Done" } else { "Not done" });
            chunk.items.splice(0..0, marker_items);
        } else {
            let width = self.typesetter.measure(marker, style.face, style.size);
            let mut marker_items = self.typesetter.run(marker, &style, ctx.x + indent - width - gap, baseline);
            // First in the chunk: the label is read before the item's text.
            wrap(&mut marker_items, Tag::Node(label));
            chunk.items.splice(0..0, marker_items);
        }
        Ok(())
    }

    /// Adds container decoration to every chunk: the space between them moves inside,
    /// `pad` is added above the first and below the last.
    fn contain(&mut self, mut chunks: Vec<Chunk>, space_before: f32, pad: f32, out: &mut Vec<Chunk>, decor: impl Fn(f32) -> Vec<Item>) {
        let n = chunks.len();
        for (i, chunk) in chunks.iter_mut().enumerate() {
            if i == 0 {
                chunk.space_before = 0.0;
                chunk.absorb_space(pad);
            } else {
                chunk.absorb_space(0.0);
            }
            if i + 1 == n {
                chunk.height += pad;
            }
            let mut items = decor(chunk.height);
            items.append(&mut chunk.items);
            chunk.items = items;
        }
        if let Some(first) = chunks.first_mut() {
            first.space_before = space_before;
        }
        for chunk in chunks {
            self.push(out, chunk);
        }
    }

    fn code(&mut self, text: &str, ctx: &Ctx, out: &mut Vec<Chunk>) {
        let size = ctx.size * 0.84;
        let pad = 7.0;
        let style = TextStyle::new(Face::Mono, size, self.style.colours.text);
        let char_width = self.typesetter.measure("0", Face::Mono, size).max(0.1);
        let per_line = (((ctx.width - 2.0 * pad) / char_width).floor() as usize).max(8);
        let line_height = size * 1.4;
        let baseline = size * 1.05;
        let mut chunks = Vec::new();
        let node = self.node(Role::Code);
        for source_line in text.split('\n') {
            let chars: Vec<char> = source_line.chars().collect();
            let pieces: Vec<String> = if chars.is_empty() { vec![String::new()] } else { chars.chunks(per_line).map(|c| c.iter().collect()).collect() };
            for piece in pieces {
                let mut items = self.typesetter.run(&piece, &style, ctx.x + pad, baseline);
                wrap(&mut items, Tag::Node(node));
                chunks.push(Chunk { height: line_height, items, first_baseline: Some(baseline), ..Chunk::default() });
            }
        }
        let n = chunks.len();
        for (i, c) in chunks.iter_mut().enumerate() {
            c.keep_with_next = n > 1 && (i == 0 || i + 2 == n);
        }
        let background = self.style.colours.code_background;
        let (x, w) = (ctx.x, ctx.width);
        self.contain(chunks, ctx.spacing + 1.0, pad * 0.6, out, |h| vec![Item::Rect { x, y: 0.0, w, h, fill: Some(background), stroke: None }]);
    }

    fn table(&mut self, table: &Table, ctx: &Ctx, out: &mut Vec<Chunk>) {
        let columns = table.alignments.len().max(table.header.len()).max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
        if columns == 0 {
            return;
        }
        let pad_x = 5.0;
        let pad_y = 3.2;
        let cell_text = |cells: &Vec<Vec<Inline>>, c: usize, style: &TextStyle, s: &Style| {
            StyledText::from_inlines(cells.get(c).map_or(&[][..], |v| v.as_slice()), style, s)
        };
        let style = self.style;
        let styles_at = |size: f32| (TextStyle::new(Face::Regular, size, ctx.colour), TextStyle::new(Face::Bold, size, style.colours.heading));
        // Column widths from content: every column gets its longest word (`min`; `body_min`
        // for the rows alone, which a squeezed table keeps for numbers), the rest of the
        // room goes where text would otherwise wrap most (`max`).
        let extents = |typesetter: &mut Typesetter, size: f32| {
            let (body, head) = styles_at(size);
            let mut min = vec![0.0f32; columns];
            let mut body_min = vec![0.0f32; columns];
            let mut max = vec![0.0f32; columns];
            let rows = std::iter::once((&table.header, &head, false)).chain(table.rows.iter().map(|r| (r, &body, true)));
            for (cells, st, is_body) in rows {
                for c in 0..columns {
                    let (lo, hi) = typesetter.extent(&cell_text(cells, c, st, style));
                    min[c] = min[c].max(lo + 2.0 * pad_x);
                    max[c] = max[c].max(hi + 2.0 * pad_x);
                    if is_body {
                        body_min[c] = body_min[c].max(lo + 2.0 * pad_x);
                    }
                }
            }
            (min, body_min, max)
        };
        let padding = 2.0 * pad_x * columns as f32;
        let fit = |typesetter: &mut Typesetter, width: f32| {
            let mut size = ctx.size * 0.9;
            let (mut min, mut body_min, mut max) = extents(typesetter, size);
            let words: f32 = min.iter().sum::<f32>() - padding;
            if words + padding > width && size > MIN_TABLE_SIZE {
                // The longest words do not fit side by side: set the whole table smaller
                // (words scale with the size, padding does not), down to a floor, rather
                // than cut a word or a number. Quarter points keep the steps reproducible.
                let fitting = size * (width - padding).max(0.0) / words.max(1.0);
                size = ((fitting * 4.0).floor() / 4.0).clamp(MIN_TABLE_SIZE, size);
                (min, body_min, max) = extents(typesetter, size);
            }
            (size, min, body_min, max)
        };
        let (mut size, mut min, mut body_min, mut max) = fit(&mut self.typesetter, ctx.width);
        // Still too wide at the smallest size: a table in the body's full measure turns
        // its page to landscape (headings kept with it go along), where it is set
        // again from the usual size. Only past that are words broken.
        let full_measure = (ctx.x - self.left).abs() < 0.01 && (ctx.width - self.width).abs() < 0.01;
        let landscape = full_measure && self.landscape_gain > 0.0 && min.iter().sum::<f32>() > ctx.width + 0.01;
        let width = if landscape { ctx.width + self.landscape_gain } else { ctx.width };
        if landscape {
            (size, min, body_min, max) = fit(&mut self.typesetter, width);
            for kept in out.iter_mut().rev().take_while(|c| c.keep_with_next) {
                kept.landscape = true;
            }
        }
        let (body, head) = styles_at(size);
        let numeric: Vec<bool> = (0..columns)
            .map(|c| {
                let mut cells = table.rows.iter().filter_map(|r| r.get(c)).map(|cell| plain_text(cell)).filter(|t| !t.trim().is_empty()).peekable();
                cells.peek().is_some() && cells.all(|t| looks_numeric(&t))
            })
            .collect();
        let aligns: Vec<Align> = (0..columns)
            .map(|c| match table.alignments.get(c).copied().unwrap_or(Alignment::Auto) {
                Alignment::Left => Align::Left,
                Alignment::Right => Align::Right,
                Alignment::Center => Align::Center,
                Alignment::Auto if numeric[c] => Align::Right,
                Alignment::Auto => Align::Left,
            })
            .collect();

        // If the table must be squeezed, numbers (never hyphenated) keep their width and
        // text columns keep four ems, enough for a syllable and a hyphen; when even that
        // does not fit, every column gives way alike.
        let keep: Vec<f32> = (0..columns).map(|c| if numeric[c] { body_min[c] } else { 4.0 * size + 2.0 * pad_x }).collect();
        let widths = column_widths(&min, &max, &keep, width);

        let rule = self.style.colours.rule;
        let heading_colour = self.style.colours.heading;
        let header_bg = self.style.colours.table_header_background;
        let x0 = ctx.x;
        let total: f32 = widths.iter().sum();
        // `nodes`: the row's cells, whose content each cell's lines are tagged as.
        let row_chunk = |typesetter: &mut Typesetter, structure: &mut Structure, cells: &Vec<Vec<Inline>>, st: &TextStyle, header: bool, nodes: &[NodeId]| {
            let mut cell_lines = Vec::with_capacity(columns);
            let mut height: f32 = 0.0;
            for c in 0..columns {
                let lines = typesetter.lines(&cell_text(cells, c, st, style), widths[c] - 2.0 * pad_x, aligns[c], 1.3);
                height = height.max(lines.iter().map(|l| l.height).sum());
                cell_lines.push(lines);
            }
            let height = height + 2.0 * pad_y;
            let mut chunk = Chunk { height, ..Chunk::default() };
            if header {
                chunk.items.push(Item::Rect { x: x0, y: 0.0, w: total, h: height, fill: Some(header_bg), stroke: None });
            }
            let mut x = x0;
            for (c, lines) in cell_lines.into_iter().enumerate() {
                let mut y = pad_y;
                for line in lines {
                    let mut moved = line_chunk(line.clone(), x + pad_x);
                    for item in &mut moved.items {
                        shift_item(item, 0.0, y);
                    }
                    tag_chunk(&mut moved, nodes[c], structure);
                    chunk.first_baseline.get_or_insert(y + line.baseline);
                    for link in moved.links {
                        chunk.links.push(LinkArea { y: link.y + y, ..link });
                    }
                    chunk.items.extend(moved.items);
                    y += line.height;
                }
                x += widths[c];
            }
            let (colour, width) = if header { (heading_colour, 0.9) } else { (rule, 0.4) };
            chunk.items.push(Item::Line { from: (x0, height), to: (x0 + total, height), colour, width });
            if header {
                chunk.items.push(Item::Line { from: (x0, 0.0), to: (x0 + total, 0.0), colour: heading_colour, width: 0.9 });
            }
            chunk
        };
        let table_node = self.node(Role::Table);
        // A row of cells under a new row node in `group`.
        let row_nodes = |structure: &mut Structure, group: NodeId, cell: Role| {
            let row = structure.add(Role::TableRow, Some(group));
            (0..columns).map(|_| structure.add(cell, Some(row))).collect::<Vec<_>>()
        };
        let head_group = self.structure.add(Role::TableHead, Some(table_node));
        let nodes = row_nodes(&mut self.structure, head_group, Role::TableHeader);
        let mut header_chunk = row_chunk(&mut self.typesetter, &mut self.structure, &table.header, &head, true, &nodes);
        header_chunk.space_before = ctx.spacing + 3.0;
        header_chunk.keep_with_next = true;
        header_chunk.landscape = landscape;
        // Drawn again after a page break, read once: the repeat is an artifact.
        let mut repeat = Chunk { space_before: 0.0, keep_with_next: false, ..header_chunk.clone() };
        strip(&mut repeat.items);
        repeat.links.clear();
        let repeat = Rc::new(repeat);
        self.push(out, header_chunk);
        let body_group = self.structure.add(Role::TableBody, Some(table_node));
        for row in &table.rows {
            let nodes = row_nodes(&mut self.structure, body_group, Role::TableData);
            let mut chunk = row_chunk(&mut self.typesetter, &mut self.structure, row, &body, false, &nodes);
            chunk.repeat_header = Some(repeat.clone());
            chunk.landscape = landscape;
            self.push(out, chunk);
        }
    }

    fn image(&mut self, url: &str, alt: &str, ctx: &Ctx, out: &mut Vec<Chunk>) -> Result<(), LayoutError> {
        let index = match self.image_indexes.get(url) {
            Some(&index) => index,
            None => self.load_image(url)?,
        };
        let (w, h) = (self.images[index].width_px, self.images[index].height_px);
        // 150 dpi natural size, never wider than the column nor taller than half a page.
        let natural_w = w as f32 * 72.0 / 150.0;
        let scale = (ctx.width.min(natural_w) / w as f32).min(mm(120.0) / h as f32);
        let (iw, ih) = (w as f32 * scale, h as f32 * scale);
        let x = ctx.x + (ctx.width - iw) / 2.0;
        let mut chunk = Chunk {
            height: ih + 4.0,
            space_before: ctx.spacing + 4.0,
            items: vec![Item::Image { x, y: 0.0, w: iw, h: ih, image: index }],
            keep_with_next: !alt.is_empty(),
            ..Chunk::default()
        };
        // An image without alternative text is left to assistive technology as
        // decoration (an artifact); `check` asks for the text.
        if alt.is_empty() {
            self.push(out, chunk);
            return Ok(());
        }
        let figure = self.node(Role::Figure);
        self.structure.set_alt(figure, alt);
        tag_chunk(&mut chunk, figure, &mut self.structure);
        self.push(out, chunk);
        let caption = TextStyle::new(Face::Italic, ctx.size * 0.85, self.style.colours.muted);
        let lines = self.typesetter.lines(&StyledText::plain(alt, caption), ctx.width, Align::Center, 1.3);
        let caption = self.inside(figure, |flow| flow.node(Role::Caption));
        self.lines(lines, ctx.x, 0.0, caption, out);
        Ok(())
    }

    /// Places an image that is not the document's own (the house logo), read and
    /// checked by whoever supplied it; its index in `images`, the same each time.
    pub(crate) fn place_asset(&mut self, asset: &ImageAsset) -> usize {
        // Keyed apart from the document's paths, which name files in another folder.
        let key = format!("\0{}", asset.path);
        if let Some(&index) = self.image_indexes.get(&key) {
            return index;
        }
        let index = self.images.len();
        self.images.push(asset.clone());
        self.image_indexes.insert(key, index);
        index
    }

    /// Reads a new image and checks its size and the document's pixel budget;
    /// its index in `images`.
    fn load_image(&mut self, url: &str) -> Result<usize, LayoutError> {
        let error = |message: String| LayoutError::Image { path: url.to_string(), message };
        let bytes = self.assets.read(url).map_err(error)?;
        let (format, w, h, components) = image_header(&bytes).ok_or_else(|| error("is not a PNG or JPEG image (or its header is damaged)".into()))?;
        if w == 0 || h == 0 || w > MAX_IMAGE_SIDE || h > MAX_IMAGE_SIDE {
            return Err(error(format!("is {w} × {h} pixels; Briefpack places images up to {MAX_IMAGE_SIDE} pixels a side")));
        }
        if format == ImageFormat::Png {
            let pixels = self.decoded_pixels + u64::from(w) * u64::from(h);
            if pixels > MAX_DECODED_PIXELS {
                return Err(error(format!(
                    "is {w} × {h} pixels, which brings this document's images to {} million pixels; Briefpack decodes up to {} million \
                     per document (save the images smaller, or as JPEG)",
                    pixels / 1_000_000,
                    MAX_DECODED_PIXELS / 1_000_000
                )));
            }
            self.decoded_pixels = pixels;
        }
        let index = self.images.len();
        self.images.push(ImageAsset { path: url.to_string(), bytes: bytes.into(), format, width_px: w, height_px: h, components });
        self.image_indexes.insert(url.to_string(), index);
        Ok(index)
    }

    fn contents(&mut self, headings: &[&Block], ctx: &Ctx, out: &mut Vec<Chunk>) {
        let title = Block::Heading { level: 2, content: vec![Inline::Text(self.style.contents_title.clone())], id: "contents".into() };
        // The contents heading does not hold the headings after the contents.
        let levels = self.headings.clone();
        self.heading(&title, ctx, out, true);
        self.headings = levels;
        let toc = self.node(Role::Contents);
        let saved_numbers = self.numbers;
        let number_width = ctx.size * 2.6;
        for block in headings {
            let Block::Heading { level, content, id } = block else { continue };
            let label = if self.style.number_headings && *level >= self.number_from {
                format!("{} {}", self.next_number(*level), plain_text(content))
            } else {
                plain_text(content)
            };
            let top_level = *level <= self.number_from;
            let indent = if top_level { 0.0 } else { ctx.size * 1.6 * f32::from(level - self.number_from) };
            let face = if top_level { Face::Bold } else { Face::Regular };
            let style = TextStyle { link: Some(LinkRef::Anchor(id.clone())), ..TextStyle::new(face, ctx.size, ctx.colour) };
            let lines = self.typesetter.lines(&StyledText::plain(&label, style), ctx.width - indent - number_width, Align::Left, 1.5);
            let n = lines.len();
            let entry = self.structure.add(Role::ContentsItem, Some(toc));
            for (i, line) in lines.into_iter().enumerate() {
                let (baseline, end) = (line.baseline, line.width);
                let mut chunk = line_chunk(line, ctx.x + indent);
                chunk.space_before = if i == 0 && top_level { ctx.size * 0.5 } else { 0.0 };
                if i + 1 == n {
                    chunk.contents_entry = Some(ContentsEntry { node: entry, anchor: id.clone(), text_end: ctx.x + indent + end, baseline, size: ctx.size });
                    // the whole row is a link, number included
                    let (w, h) = (ctx.width - indent, chunk.height);
                    chunk.links = vec![LinkArea { x: ctx.x + indent, y: 0.0, w, h, target: LinkRef::Anchor(id.clone()), parent: Some(entry) }];
                } else {
                    chunk.keep_with_next = true;
                }
                tag_chunk(&mut chunk, entry, &mut self.structure);
                self.push(out, chunk);
            }
        }
        self.numbers = saved_numbers;
    }
}

/// Hands the chunks made so far to `pages`, up to the last one that does not keep
/// with the next: the chunks a later block may still change (a heading's group, which
/// a wide table turns with it) stay, and so does at least one chunk, so that blocks
/// can still tell whether anything came before them.
fn hand_over(out: &mut Vec<Chunk>, pages: &mut Paginator) {
    let Some(split) = out[..out.len().saturating_sub(1)].iter().rposition(|c| !c.keep_with_next).map(|last| last + 1) else { return };
    let rest = out.split_off(split);
    pages.place_all(std::mem::replace(out, rest));
}

fn line_chunk(line: Line, x: f32) -> Chunk {
    let mut items = line.items;
    for item in &mut items {
        shift_item(item, x, 0.0);
    }
    let links = line.links.into_iter().map(|(lx, w, target)| LinkArea { x: x + lx, y: 0.0, w, h: line.height, target, parent: None }).collect();
    Chunk { height: line.height, items, links, first_baseline: Some(line.baseline), ..Chunk::default() }
}

/// Accent and background for each alert kind.
fn alert_colours(kind: AlertKind) -> (Rgb, Rgb) {
    match kind {
        AlertKind::Note => (Rgb(0x1F, 0x5A, 0x96), Rgb(0xF0, 0xF5, 0xFB)),
        AlertKind::Tip => (Rgb(0x1A, 0x7F, 0x37), Rgb(0xEF, 0xF8, 0xF1)),
        AlertKind::Important => (Rgb(0x6E, 0x40, 0xC9), Rgb(0xF5, 0xF1, 0xFC)),
        AlertKind::Warning => (Rgb(0x9A, 0x67, 0x00), Rgb(0xFD, 0xF7, 0xE8)),
        AlertKind::Caution => (Rgb(0xB4, 0x23, 0x18), Rgb(0xFC, 0xEF, 0xEE)),
    }
}

/// Figures like 19, 1,727, 35%, +35%, €4.2m, $16.6 billion, 2.5x count as numbers.
pub(crate) fn looks_numeric(text: &str) -> bool {
    let t = text.trim();
    let t = t.trim_start_matches(['+', '-', '−', '–', '€', '£', '$', '~']);
    let t = t.trim_end_matches(['%', 'k', 'm', 'x', 'K', 'M', 'B', '×']);
    let t = t.strip_suffix(" million").or_else(|| t.strip_suffix(" billion")).or_else(|| t.strip_suffix("bn")).unwrap_or(t);
    !t.is_empty() && t.chars().next().is_some_and(|c| c.is_ascii_digit()) && t.chars().all(|c| c.is_ascii_digit() || c == ',' || c == '.')
}

/// The smallest size a table is set at to keep its longest words whole (points);
/// below it, words that still do not fit are hyphenated.
const MIN_TABLE_SIZE: f32 = 7.5;

/// Distributes `available` width between columns with the given minimum and natural widths.
/// When even the minimums do not fit, each column keeps at least its `keep` width (the
/// numbers in it, which are never hyphenated) and the rest of the room is shared in
/// proportion to what each column needs beyond that, its words to be hyphenated.
pub(crate) fn column_widths(min: &[f32], max: &[f32], keep: &[f32], available: f32) -> Vec<f32> {
    let sum_min: f32 = min.iter().sum();
    let sum_max: f32 = max.iter().sum();
    if sum_max <= available {
        // Everything fits: share the spare room in proportion to natural width.
        let spare = available - sum_max;
        return max.iter().map(|m| m + spare * m / sum_max.max(1.0)).collect();
    }
    if sum_min >= available {
        let kept: Vec<f32> = (0..min.len()).map(|c| keep.get(c).copied().unwrap_or(0.0).min(min[c])).collect();
        let sum_kept: f32 = kept.iter().sum();
        let beyond = sum_min - sum_kept;
        if sum_kept < available && beyond > 0.0 {
            let share = (available - sum_kept) / beyond;
            return min.iter().zip(&kept).map(|(m, k)| k + (m - k) * share).collect();
        }
        return min.iter().map(|m| m * available / sum_min.max(1.0)).collect();
    }
    let room = available - sum_min;
    let want: f32 = min.iter().zip(max).map(|(a, b)| b - a).sum();
    min.iter().zip(max).map(|(a, b)| a + (b - a) * room / want.max(1.0)).collect()
}

/// The format, pixel size and (for JPEG) colour components from an image's header, without decoding.
pub(crate) fn image_header(bytes: &[u8]) -> Option<(ImageFormat, u32, u32, u8)> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() >= 24 && &bytes[12..16] == b"IHDR" {
        let w = u32::from_be_bytes(bytes[16..20].try_into().ok()?);
        let h = u32::from_be_bytes(bytes[20..24].try_into().ok()?);
        return Some((ImageFormat::Png, w, h, 0));
    }
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    while i + 9 < bytes.len() {
        if bytes[i] != 0xFF {
            i += 1;
            continue;
        }
        let marker = bytes[i + 1];
        if marker == 0xFF || marker == 0x01 || (0xD0..=0xD7).contains(&marker) {
            i += if marker == 0xFF { 1 } else { 2 };
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let h = u32::from(u16::from_be_bytes([bytes[i + 5], bytes[i + 6]]));
            let w = u32::from(u16::from_be_bytes([bytes[i + 7], bytes[i + 8]]));
            return Some((ImageFormat::Jpeg, w, h, bytes[i + 9]));
        }
        i += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_recognised_as_people_write_them() {
        for yes in ["19", "1,727", "35%", "+35%", "€4.2m", "$16.6 billion", "2.5", "−3"] {
            assert!(looks_numeric(yes), "{yes}");
        }
        for no in ["NCSC", "since 2020", "Q3 2025", "", "one in five"] {
            assert!(!looks_numeric(no), "{no}");
        }
    }

    #[test]
    fn column_widths_fill_the_measure_and_respect_minimums() {
        let w = column_widths(&[20.0, 30.0], &[40.0, 60.0], &[], 200.0);
        assert!((w.iter().sum::<f32>() - 200.0).abs() < 0.01);
        let w = column_widths(&[20.0, 30.0], &[400.0, 60.0], &[], 200.0);
        assert!(w[0] >= 20.0 && w[1] >= 30.0 && (w.iter().sum::<f32>() - 200.0).abs() < 0.01);
        assert!(w[0] > w[1], "the wordier column gets the room: {w:?}");
    }

    #[test]
    fn numbers_keep_their_width_when_the_minimums_do_not_fit() {
        // The middle column's numbers need 30; its header word 40.
        let w = column_widths(&[80.0, 40.0, 80.0], &[120.0, 40.0, 160.0], &[0.0, 30.0, 0.0], 140.0);
        assert!(w[1] >= 30.0, "the numbers are never squeezed: {w:?}");
        assert!((w.iter().sum::<f32>() - 140.0).abs() < 0.01 && w[0] < 80.0, "{w:?}");
        // Numbers alone wider than the page: everything shrinks alike.
        let w = column_widths(&[80.0, 200.0], &[80.0, 200.0], &[0.0, 200.0], 140.0);
        assert!((w.iter().sum::<f32>() - 140.0).abs() < 0.01 && w[1] < 200.0, "{w:?}");
    }
}
