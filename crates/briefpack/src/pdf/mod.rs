//! Stage 5 of the pipeline: pages of placed boxes → PDF bytes.
//!
//! [`write_pdf`] draws each [`Item`] with printpdf's low-level operations,
//! embeds subsets of the bundled fonts, then finishes the file with lopdf:
//! a nested outline in document order, clean metadata (with whose copy it is,
//! for a distributed copy) and a content-derived document ID. Nothing depends on the clock or on process state, so the same
//! layout always gives the same bytes.

mod finish;
mod structure;
mod xmp;

use std::collections::BTreeMap;
use std::sync::Arc;

use printpdf::{
    Actions, BorderArray, Codepoint, Color, ColorArray, Destination, DictItem, ExternalStream, ExternalXObject, FontId,
    HighlightingMode, ImageCompression, ImageOptimizationOptions, Line, LinePoint, LinkAnnotation, Op, PaintMode,
    PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Px, RawImage, Rect, Rgb as PdfRgb,
    TextItem, TextMatrix, XObject, XObjectId, XObjectTransform,
};

use crate::fonts::{Face, FontSet};
use crate::layout::{is_live_uri, ArtifactKind, ImageAsset, ImageFormat, Item, Layout, LinkTarget, Rgb, Tag, TextRun};
use structure::PageTags;
pub use xmp::DEFAULT_LANGUAGE;

/// Document information written into the PDF.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PdfMetadata {
    /// Title.
    pub title: String,
    /// Author (who prepared it).
    pub author: String,
    /// Subject.
    pub subject: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Creation and modification date, from the document (never the clock).
    pub date: Option<chrono::NaiveDate>,
    /// For a distributed copy: whose copy it is, written into the document
    /// information so a found file can be traced even after it was rewritten.
    pub copy: Option<CopyMetadata>,
    /// The document's language (BCP 47, such as `en-GB`); empty means
    /// [`DEFAULT_LANGUAGE`].
    pub language: String,
    /// Archival output: PDF/A-2 level A, with an sRGB output intent.
    pub archival: bool,
}

/// Who a distributed copy was issued to, as its document information says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyMetadata {
    /// The copy's identifier, unique to the pack, issue and recipient.
    pub id: String,
    /// The copy's number, from 1.
    pub number: usize,
    /// How many copies were issued.
    pub of: usize,
    /// The recipient's name.
    pub recipient: String,
}

/// The document-information keys a distributed copy carries (PDF allows keys of
/// one's own there; readers show them as custom properties).
pub mod copy_keys {
    /// The copy identifier.
    pub const ID: &str = "BriefpackCopyID";
    /// "3 of 12".
    pub const NUMBER: &str = "BriefpackCopy";
    /// The recipient's name.
    pub const RECIPIENT: &str = "BriefpackRecipient";
}

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An image's data could not be decoded.
    #[error("image `{path}` is damaged and cannot be decoded ({message})")]
    Image {
        /// The image's path as written in the document.
        path: String,
        /// Why.
        message: String,
    },
    /// The PDF library failed to write the file.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// Writes `layout` as PDF bytes.
pub fn write_pdf(layout: &Layout, fonts: &FontSet, meta: &PdfMetadata) -> Result<Vec<u8>, PdfError> {
    write_pdf_owned(layout.clone(), fonts, meta)
}

/// [`write_pdf`] for a layout the caller no longer needs: pages are freed as they are
/// converted, which keeps peak memory down on long documents.
pub fn write_pdf_owned(mut layout: Layout, fonts: &FontSet, meta: &PdfMetadata) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&meta.title);
    // Our own ids, not printpdf's counters: the same document must give the same bytes.
    // Only faces the layout uses: each is a copy of a parsed font.
    let used: std::collections::BTreeSet<Face> = layout.glyph_text.keys().map(|(face, _)| *face).collect();
    for face in used {
        let mut font = fonts.parsed(face).clone();
        // The text each glyph copies out as: printpdf reads it from the font when a glyph
        // carries none, which saves a string per glyph on every page.
        for ((f, gid), text) in &layout.glyph_text {
            if *f == face && text.chars().nth(1).is_none() {
                font.cache_glyph_mapping(*gid, text);
            }
        }
        doc.resources.fonts.map.insert(FontId(fonts.pdf_tag(face).into()), PdfFont::new(font));
    }
    for (index, image) in layout.images.iter().enumerate() {
        let xobject = match image.format {
            ImageFormat::Jpeg => jpeg_xobject(image),
            ImageFormat::Png => {
                let raw = RawImage::decode_from_bytes(&image.bytes, &mut Vec::new())
                    .map_err(|message| PdfError::Image { path: image.path.clone(), message })?;
                XObject::Image(raw)
            }
        };
        doc.resources.xobjects.map.insert(XObjectId(format!("Im{index}")), xobject);
    }
    // Each page's height, for turning top-down positions into PDF ones (a link's
    // target is on another page, which may be turned).
    let heights: Vec<f32> = (0..layout.pages.len()).map(|i| layout.page_size(i).1).collect();
    let sizes: Vec<(f32, f32)> = (0..layout.pages.len()).map(|i| layout.page_size(i)).collect();
    let glyphs = GlyphTable::new(&layout.glyph_text, fonts);
    let pages = std::mem::take(&mut layout.pages);
    let mut page_tags = Vec::with_capacity(pages.len());
    doc.pages = pages
        .into_iter()
        .zip(&sizes)
        .map(|(page, &(w, h))| {
            let mut writer = PageWriter {
                h,
                heights: &heights,
                fonts,
                glyphs: &glyphs,
                structure: &layout.structure,
                ops: Vec::with_capacity(page.items.len() * 3),
                text: None,
                spans: Vec::new(),
                marked: None,
                tags: PageTags::default(),
                last_run: None,
            };
            for item in &page.items {
                writer.draw(item);
            }
            writer.end_marked();
            page_tags.push(writer.tags);
            PdfPage::new(printpdf::Mm(w * 25.4 / 72.0), printpdf::Mm(h * 25.4 / 72.0), writer.ops)
        })
        .collect();
    set_metadata(&mut doc, meta);

    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        // Keep images exactly as given: the default re-encodes them as lossy JPEG.
        image_optimization: Some(ImageOptimizationOptions {
            quality: None,
            max_image_size: None,
            dither_greyscale: None,
            convert_to_greyscale: None,
            auto_optimize: Some(false),
            format: Some(ImageCompression::Flate),
        }),
    };
    let mut pdf = doc.to_lopdf_document(&options, &mut Vec::new());
    drop(doc);
    structure::write_structure(&mut pdf, &layout.structure, &page_tags)?;
    finish::finish(&mut pdf, &layout.outline, &heights, meta)
}

/// Whether every number `item` would write into the page is finite (and a text
/// size, which glyph advances are divided by, is not zero).
fn all_finite(item: &Item) -> bool {
    let finite = |values: &[f32]| values.iter().all(|v| v.is_finite());
    match item {
        Item::Text(run) => finite(&[run.x, run.baseline, run.size, run.angle]) && run.size != 0.0 && run.glyphs.iter().all(|g| g.advance.is_finite()),
        Item::Rect { x, y, w, h, stroke, .. } => finite(&[*x, *y, *w, *h]) && stroke.is_none_or(|(_, width)| width.is_finite()),
        Item::Line { from, to, width, .. } => finite(&[from.0, from.1, to.0, to.1, *width]),
        Item::Image { x, y, w, h, .. } => finite(&[*x, *y, *w, *h]),
        Item::Link { x, y, w, h, target, .. } => {
            finite(&[*x, *y, *w, *h]) && !matches!(target, LinkTarget::Internal { y, .. } if !y.is_finite())
        }
        Item::Begin(_) | Item::End => true,
    }
}

fn colour(c: Rgb) -> Color {
    let [r, g, b] = c.unit();
    Color::Rgb(PdfRgb { r, g, b, icc_profile: None })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false }
}

/// Turns one page's items into operations. Consecutive text runs share one text
/// object, and colour and font are set only when they change: fewer operations,
/// smaller files and less memory on long documents.
struct PageWriter<'a> {
    /// Page height, to flip y (layout is top-down, PDF bottom-up).
    h: f32,
    /// Every page's height, for the targets of links.
    heights: &'a [f32],
    fonts: &'a FontSet,
    glyphs: &'a GlyphTable,
    structure: &'a crate::layout::Structure,
    ops: Vec<Op>,
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
    /// Ends the text object, and the marked content opened inside it.
    fn end_text(&mut self) {
        if self.text.take().is_some() {
            if let Some((_, true)) = self.marked {
                self.ops.push(Op::EndMarkedContent);
                self.marked = None;
                self.last_run = None;
            }
            self.ops.push(Op::EndTextSection);
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
            self.ops.push(Op::EndMarkedContent);
        }
    }

    /// Marks the text about to be drawn as `tag`, inside a text object.
    fn mark_text(&mut self, tag: Tag) {
        match self.marked {
            Some((open, _)) if open == tag => {}
            Some((_, true)) => {
                self.ops.push(Op::EndMarkedContent);
                self.marked = None;
                self.open_marked(tag, true);
            }
            Some((_, false)) => {
                self.end_text();
                self.ops.push(Op::EndMarkedContent);
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
                self.ops.push(Op::EndMarkedContent);
                self.marked = None;
                self.open_marked(tag, false);
            }
            None => self.open_marked(tag, false),
        }
    }

    fn begin_text(&mut self) {
        if self.text.is_none() {
            self.ops.push(Op::StartTextSection);
            self.text = Some(TextState::default());
        }
    }

    /// Opens marked content for `tag`: a structure node's content (with the next
    /// marked-content id) or an artifact of its kind.
    fn open_marked(&mut self, tag: Tag, inside_text: bool) {
        self.last_run = None;
        let name = |n: &str| DictItem::Name(n.as_bytes().to_vec());
        let (name_of_tag, properties) = match tag {
            Tag::Node(node) => {
                let mcid = self.tags.marks.len();
                self.tags.marks.push(node);
                let role = self.structure.get(node).map_or("Span", |n| n.role.pdf_name());
                (role, BTreeMap::from([("MCID".to_string(), DictItem::Int(mcid as i64))]))
            }
            // `draw` never marks an inline span as such (it takes what encloses it).
            Tag::Artifact(_) | Tag::Inline(_) | Tag::SoftHyphen => {
                let (kind_name, subtype) = match tag {
                    Tag::Artifact(ArtifactKind::Header) => ("Pagination", Some("Header")),
                    Tag::Artifact(ArtifactKind::Footer) => ("Pagination", Some("Footer")),
                    Tag::Artifact(ArtifactKind::Watermark) => ("Pagination", Some("Watermark")),
                    _ => ("Layout", None),
                };
                let mut map = BTreeMap::from([("Type".to_string(), name(kind_name))]);
                if let Some(subtype) = subtype {
                    map.insert("Subtype".to_string(), name(subtype));
                }
                ("Artifact", map)
            }
        };
        self.ops.push(Op::BeginMarkedContentWithProperties { tag: name_of_tag.into(), properties: DictItem::Dict { map: properties } });
        self.marked = Some((tag, inside_text));
    }

    fn draw(&mut self, item: &Item) {
        let h = self.h;
        // A number that is not finite would be written as `NaN` or `inf`, which no
        // PDF reader accepts; whatever produced it, the item is left out.
        if !all_finite(item) {
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
        let ops = &mut self.ops;
        match item {
            Item::Begin(_) | Item::End => {}
            Item::Text(run) if run.angle != 0.0 => {
                self.text(run);
                self.end_text();
            }
            Item::Text(run) => self.text(run),
            Item::Rect { x, y, w, h: rh, fill, stroke } => {
                ops.push(Op::SaveGraphicsState);
                let mode = match (fill, stroke) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (None, Some(_)) => PaintMode::Stroke,
                    _ => PaintMode::Fill,
                };
                if let Some(f) = fill {
                    ops.push(Op::SetFillColor { col: colour(*f) });
                }
                if let Some((c, width)) = stroke {
                    ops.push(Op::SetOutlineColor { col: colour(*c) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                }
                ops.push(Op::DrawRectangle {
                    rectangle: Rect { x: Pt(*x), y: Pt(h - y - rh), width: Pt(*w), height: Pt(*rh), mode: Some(mode), winding_order: None },
                });
                ops.push(Op::RestoreGraphicsState);
            }
            Item::Line { from, to, colour: c, width } => {
                ops.push(Op::SaveGraphicsState);
                ops.push(Op::SetOutlineColor { col: colour(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*width) });
                ops.push(Op::DrawLine { line: Line { points: vec![point(from.0, h - from.1), point(to.0, h - to.1)], is_closed: false } });
                ops.push(Op::RestoreGraphicsState);
            }
            Item::Image { x, y, w, h: ih, image } => ops.push(Op::UseXobject {
                id: XObjectId(format!("Im{image}")),
                transform: XObjectTransform {
                    translate_x: Some(Pt(*x)),
                    translate_y: Some(Pt(h - y - ih)),
                    scale_x: Some(*w),
                    scale_y: Some(*ih),
                    no_auto_scale: true,
                    ..Default::default()
                },
            }),
            Item::Link { x, y, w, h: lh, target, parent, description } => {
                let action = match target {
                    // Whoever built the layout, only https and mailto addresses become live links.
                    LinkTarget::Uri(uri) if !is_live_uri(uri) => return,
                    LinkTarget::Uri(uri) => Actions::uri(uri.clone()),
                    LinkTarget::Internal { page, y } => Actions::go_to(Destination::Xyz {
                        page: page + 1,
                        left: Some(0.0),
                        top: Some(self.heights.get(*page).copied().unwrap_or(h) - y + 6.0),
                        zoom: None,
                    }),
                };
                ops.push(Op::LinkAnnotation {
                    link: LinkAnnotation::new(
                        Rect::from_xywh(Pt(*x), Pt(h - y - lh), Pt(*w), Pt(*lh)),
                        action,
                        Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                        Some(ColorArray::Transparent),
                        Some(HighlightingMode::Invert),
                    ),
                });
                self.tags.links.push((*parent, description.clone()));
            }
        }
    }

    fn text(&mut self, run: &TextRun) {
        if run.glyphs.is_empty() {
            return;
        }
        let mut items = self.text_items(run);
        // A line break or a gap between runs of one element is a word break to the
        // eye but not in the text: an invisible space keeps "MI5 annual" from
        // reading as "MI5annual" (the pen moves back by its width).
        let first = run.glyphs.first().and_then(|g| self.glyphs.get(run.face, g.gid)).map(|g| &*g.text);
        let last = run.glyphs.last().and_then(|g| self.glyphs.get(run.face, g.gid)).map(|g| &*g.text);
        if let Some((baseline, end, joins)) = self.last_run {
            // A jump back counts too: right-to-left words follow each other leftwards.
            let apart = (run.baseline - baseline).abs() > 0.5 || (run.x - end).abs() > run.size * 0.15;
            let starts_with_space = first.is_some_and(|t| t.starts_with(char::is_whitespace));
            if apart && !joins && !starts_with_space {
                if let Some(width) = self.space_width(run.face) {
                    items.splice(0..0, [TextItem::Text(" ".into()), TextItem::Offset(width)]);
                }
            }
        }
        let joins = last.is_none_or(|t| t.ends_with([' ', '-', '\u{2010}', '\u{AD}', '/']));
        self.last_run = Some((run.baseline, run.x + run.width(), joins));
        let state = self.text.get_or_insert_with(|| {
            self.ops.push(Op::StartTextSection);
            TextState::default()
        });
        if state.colour != Some(run.colour) {
            self.ops.push(Op::SetFillColor { col: colour(run.colour) });
            state.colour = Some(run.colour);
        }
        if state.font != Some((run.face, run.size)) {
            self.ops.push(Op::SetFont { font: PdfFontHandle::External(FontId(self.fonts.pdf_tag(run.face).into())), size: Pt(run.size) });
            state.font = Some((run.face, run.size));
        }
        // The PDF's /W widths are the font's advances; TJ offsets carry kerning and justification.
        let matrix = if run.angle == 0.0 {
            TextMatrix::Translate(Pt(run.x), Pt(self.h - run.baseline))
        } else {
            let (sin, cos) = run.angle.to_radians().sin_cos();
            TextMatrix::Raw([cos, sin, -sin, cos, run.x, self.h - run.baseline])
        };
        self.ops.push(Op::SetTextMatrix { matrix });
        if self.spans.last().is_some_and(|&(_, soft_hyphen)| soft_hyphen) {
            // Drawn as a hyphen, read as a soft hyphen: "recommend-" / "ations" is one word.
            let properties = DictItem::Dict { map: BTreeMap::from([("ActualText".to_string(), DictItem::String { data: vec![0xFE, 0xFF, 0x00, 0xAD], literal: false })]) };
            self.ops.push(Op::BeginMarkedContentWithProperties { tag: "Span".into(), properties });
            self.ops.push(Op::ShowText { items });
            self.ops.push(Op::EndMarkedContent);
        } else {
            self.ops.push(Op::ShowText { items });
        }
    }
}

/// The TJ array for a run. Glyphs that are the font's own glyph for their character
/// are written as text (printpdf maps it through the font), only substituted glyphs
/// (ligatures) as glyph ids, and offsets where the laid-out advance differs from the
/// font's width (kerning, justification). Text segments hold one string each where
/// glyph ids would hold a record per glyph, which matters on long documents.
impl PageWriter<'_> {
    /// The width of `face`'s space as the PDF's widths give it, in thousandths of an em.
    fn space_width(&self, face: Face) -> Option<f32> {
        let font = self.fonts.parsed(face);
        let gid = font.lookup_glyph_index(u32::from(' '))?;
        let upm = f32::from(font.font_metrics.units_per_em);
        Some((f32::from(font.get_horizontal_advance(gid)) * 1000.0 / upm).trunc())
    }

    fn text_items(&self, run: &TextRun) -> Vec<TextItem> {
        let mut items = Vec::new();
        let mut text = String::new();
        let mut glyphs: Vec<Codepoint> = Vec::new();
        let flush = |items: &mut Vec<TextItem>, text: &mut String, glyphs: &mut Vec<Codepoint>| {
            if !text.is_empty() {
                items.push(TextItem::Text(std::mem::take(text)));
            }
            if !glyphs.is_empty() {
                items.push(TextItem::GlyphIds(std::mem::take(glyphs)));
            }
        };
        for glyph in &run.glyphs {
            let known = self.glyphs.get(run.face, glyph.gid);
            match known.and_then(|g| g.own_char) {
                Some(c) => {
                    if !glyphs.is_empty() {
                        flush(&mut items, &mut text, &mut glyphs);
                    }
                    text.push(c);
                }
                None => {
                    if !text.is_empty() {
                        flush(&mut items, &mut text, &mut glyphs);
                    }
                    glyphs.push(Codepoint { gid: glyph.gid, offset: 0.0, cid: known.map(|g| g.text.to_string()) });
                }
            }
            // printpdf writes /W as the advance in whole thousandths of an em, truncated.
            let natural = known.map_or_else(|| self.glyphs.natural_advance(self.fonts, run.face, glyph.gid), |g| g.natural);
            let wanted = glyph.advance * 1000.0 / run.size;
            // Whole thousandths of an em: 0.005 pt at 10 pt, and much shorter content streams.
            let offset = (natural - wanted).round();
            if offset != 0.0 {
                flush(&mut items, &mut text, &mut glyphs);
                items.push(TextItem::Offset(offset));
            }
        }
        flush(&mut items, &mut text, &mut glyphs);
        items
    }
}

/// What the PDF writer needs of each glyph the layout placed, looked up once per
/// document rather than once per glyph drawn (a tree search and a character-map
/// lookup for each of a long report's million glyphs).
struct GlyphTable {
    /// By face index, then glyph id.
    faces: Vec<Vec<Option<GlyphInfo>>>,
}

struct GlyphInfo {
    /// The text the glyph copies out as.
    text: Arc<str>,
    /// The character whose own glyph this is (written as text, which printpdf maps
    /// through the font), or `None` for a substituted glyph (a ligature).
    own_char: Option<char>,
    /// The advance printpdf writes in /W, in whole thousandths of an em.
    natural: f32,
}

impl GlyphTable {
    fn new(glyph_text: &BTreeMap<(Face, u16), Arc<str>>, fonts: &FontSet) -> GlyphTable {
        let mut faces: Vec<Vec<Option<GlyphInfo>>> = Vec::new();
        for (&(face, gid), text) in glyph_text {
            let font = fonts.parsed(face);
            let mut chars = text.chars();
            let own_char = match (chars.next(), chars.next()) {
                (Some(c), None) if font.lookup_glyph_index(c as u32) == Some(gid) => Some(c),
                _ => None,
            };
            let natural = Self::natural_advance_in(font, gid);
            let index = face.index();
            if faces.len() <= index {
                faces.resize_with(index + 1, Vec::new);
            }
            let table = &mut faces[index];
            if table.len() <= usize::from(gid) {
                table.resize_with(usize::from(gid) + 1, || None);
            }
            table[usize::from(gid)] = Some(GlyphInfo { text: text.clone(), own_char, natural });
        }
        GlyphTable { faces }
    }

    fn get(&self, face: Face, gid: u16) -> Option<&GlyphInfo> {
        self.faces.get(face.index())?.get(usize::from(gid))?.as_ref()
    }

    fn natural_advance(&self, fonts: &FontSet, face: Face, gid: u16) -> f32 {
        Self::natural_advance_in(fonts.parsed(face), gid)
    }

    fn natural_advance_in(font: &printpdf::ParsedFont, gid: u16) -> f32 {
        let upm = f32::from(font.font_metrics.units_per_em);
        (f32::from(font.get_horizontal_advance(gid)) * 1000.0 / upm).trunc()
    }
}

fn set_metadata(doc: &mut PdfDocument, meta: &PdfMetadata) {
    let info = &mut doc.metadata.info;
    info.document_title = meta.title.clone();
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.keywords = meta.keywords.clone();
    info.creator = "Briefpack".into();
    info.producer = "Briefpack".into();
    if let Some(date) = meta.date {
        use chrono::Datelike;
        let at = printpdf::date::DateTime::new_in_offset(
            printpdf::date::Date { year: date.year(), month: date.month() as u8, day: date.day() as u8 },
            printpdf::date::Time { hour: 0, minute: 0, second: 0, millisecond: 0 },
            printpdf::date::Offset { hours: 0, minutes: 0, seconds: 0, milliseconds: 0 },
        );
        info.creation_date = at;
        info.modification_date = at;
        info.metadata_date = at;
    }
}

/// A JPEG embedded as it is (DCT), not decoded and re-compressed.
fn jpeg_xobject(image: &ImageAsset) -> XObject {
    let colour_space = match image.components {
        1 => "DeviceGray",
        4 => "DeviceCMYK",
        _ => "DeviceRGB",
    };
    let mut dict = BTreeMap::new();
    dict.insert("Type".to_string(), DictItem::Name(b"XObject".to_vec()));
    dict.insert("Subtype".to_string(), DictItem::Name(b"Image".to_vec()));
    dict.insert("Width".to_string(), DictItem::Int(i64::from(image.width_px)));
    dict.insert("Height".to_string(), DictItem::Int(i64::from(image.height_px)));
    dict.insert("ColorSpace".to_string(), DictItem::Name(colour_space.as_bytes().to_vec()));
    dict.insert("BitsPerComponent".to_string(), DictItem::Int(8));
    dict.insert("Filter".to_string(), DictItem::Name(b"DCTDecode".to_vec()));
    XObject::External(ExternalXObject {
        stream: ExternalStream { dict, content: image.bytes.to_vec(), compress: false },
        width: Some(Px(image.width_px as usize)),
        height: Some(Px(image.height_px as usize)),
        dpi: None,
    })
}
