//! Stage 4 of the pipeline: [`Document`] + [`Style`] + fonts → pages of placed boxes.
//!
//! [`layout`] works in three steps:
//! 1. `blocks`: each block becomes a list of *chunks*: unbreakable slices
//!    (a line of a paragraph, a table row, a heading) with their height, the
//!    space above them, and whether they must stay with the next chunk. Line
//!    breaking (`text`) uses Unicode line-break rules and hyphenation.
//! 2. `paginate`: chunks are placed on pages, honouring keep-with-next
//!    (headings, widows and orphans), page breaks and repeated table headers.
//! 3. `furniture`: running header and footer, "Page X of Y", the contents page
//!    numbers (known only after pagination) and internal link targets.
//!
//! A distributed copy adds its own line and watermark to a finished layout
//! with [`stamp`], without laying the document out again.
//!
//! All coordinates are points from the top-left corner of the page; the PDF
//! stage flips them. Nothing here reads files or the clock: images come
//! through [`Assets`].

mod blocks;
pub mod embeds;
mod furniture;
mod paginate;
mod stamp;
pub mod style;
pub mod tags;
mod text;

use std::collections::BTreeMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

pub use embeds::{Chart, ChartKind, Cover, Embeds, StatCard, Yardstick, YardstickTerm};
pub use stamp::{stamp, Stamp};
pub use style::{Rgb, Style};
pub use tags::{ArtifactKind, ListNumbering, NodeId, Role, StructNode, Structure, Tag, MARKING_NODE};
pub use text::{is_live_uri, MAX_LINK_CHARS};
pub(crate) use blocks::image_header;

use crate::fonts::{Face, FontSet};
use crate::markdown::Document;

/// The laid-out document, ready to be written as PDF.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Page width in points (of a portrait page; a landscape one is turned, see [`Layout::page_size`]).
    pub width: f32,
    /// Page height in points.
    pub height: f32,
    /// The pages, in order.
    pub pages: Vec<Page>,
    /// Headings for the PDF outline, in document order.
    pub outline: Vec<OutlineEntry>,
    /// Images used by `Item::Image`, by index.
    pub images: Vec<ImageAsset>,
    /// The text each glyph stands for, by face and glyph id (a PDF glyph copies out as
    /// one text, so one entry per glyph is exact, and keeps glyphs small).
    pub glyph_text: BTreeMap<(Face, u16), Arc<str>>,
    /// The logical structure the pages' [`Item::Begin`] tags refer to.
    pub structure: Structure,
}

impl Layout {
    /// Width and height of page `index` (0-based) in points: turned for a landscape page.
    pub fn page_size(&self, index: usize) -> (f32, f32) {
        match self.pages.get(index) {
            Some(page) if page.landscape => (self.height, self.width),
            _ => (self.width, self.height),
        }
    }

    /// The text of a run, as it copies out of the PDF.
    pub fn run_text(&self, run: &TextRun) -> String {
        run.glyphs.iter().filter_map(|g| self.glyph_text.get(&(run.face, g.gid)).map(|t| &**t)).collect()
    }

    /// A page's text in drawing order, one line per baseline (for tests and search).
    pub fn page_text(&self, index: usize) -> String {
        let mut out = String::new();
        let mut last_baseline = f32::NAN;
        for item in self.pages.get(index).map_or(&[][..], |p| p.items.as_slice()) {
            if let Item::Text(t) = item {
                if !out.is_empty() {
                    out.push(if (t.baseline - last_baseline).abs() > 0.5 { '\n' } else { ' ' });
                }
                last_baseline = t.baseline;
                out.push_str(&self.run_text(t));
            }
        }
        out
    }
}

/// One page: items in painting order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// What is drawn, back to front.
    pub items: Vec<Item>,
    /// The page is turned: as wide as the document's pages are tall (a wide table).
    pub landscape: bool,
}

impl Page {
    /// A hash of everything drawn on the page (every glyph, position, colour, link
    /// and tag): equal fingerprints in two builds mean the page looks the same, so a
    /// preview can keep it. Fed field by field, not through the items' debug form,
    /// which cost a sixth of a long document's build.
    pub fn fingerprint(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = Fingerprint::default();
        let f = |h: &mut Fingerprint, values: &[f32]| values.iter().for_each(|v| h.write_u32(v.to_bits()));
        self.landscape.hash(&mut h);
        for item in &self.items {
            std::mem::discriminant(item).hash(&mut h);
            match item {
                Item::Text(run) => {
                    f(&mut h, &[run.x, run.baseline, run.size, run.angle]);
                    (run.face, run.colour, run.glyphs.len()).hash(&mut h);
                    for glyph in &run.glyphs {
                        h.write_u16(glyph.gid);
                        h.write_u32(glyph.advance.to_bits());
                    }
                }
                Item::Rect { x, y, w, h: height, fill, stroke } => {
                    f(&mut h, &[*x, *y, *w, *height, stroke.map_or(-1.0, |s| s.1)]);
                    (fill, stroke.map(|s| s.0)).hash(&mut h);
                }
                Item::Line { from, to, colour, width } => {
                    f(&mut h, &[from.0, from.1, to.0, to.1, *width]);
                    colour.hash(&mut h);
                }
                Item::Image { x, y, w, h: height, image } => {
                    f(&mut h, &[*x, *y, *w, *height]);
                    image.hash(&mut h);
                }
                Item::Begin(tag) => tag.hash(&mut h),
                Item::End => {}
                Item::Link { x, y, w, h: height, target, parent, description } => {
                    f(&mut h, &[*x, *y, *w, *height]);
                    match target {
                        LinkTarget::Uri(uri) => uri.hash(&mut h),
                        LinkTarget::Internal { page, y } => {
                            (*page as usize).hash(&mut h);
                            f(&mut h, &[*y]);
                        }
                    }
                    (parent, description).hash(&mut h);
                }
            }
        }
        h.finish()
    }
}

/// A fast, fixed hash (FxHash's mixing step): the same everywhere and every run,
/// unlike the standard library's randomly keyed one.
#[derive(Default)]
struct Fingerprint(u64);

impl std::hash::Hasher for Fingerprint {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }
    fn write_u16(&mut self, n: u16) {
        self.write_u64(u64::from(n));
    }
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A run of glyphs in one face, size and colour.
    Text(TextRun),
    /// A filled and/or stroked rectangle.
    Rect {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill colour.
        fill: Option<Rgb>,
        /// Outline colour and width.
        stroke: Option<(Rgb, f32)>,
    },
    /// A straight line.
    Line {
        /// Start.
        from: (f32, f32),
        /// End.
        to: (f32, f32),
        /// Colour.
        colour: Rgb,
        /// Width in points.
        width: f32,
    },
    /// An image scaled into a box.
    Image {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Index into [`Layout::images`].
        image: usize,
    },
    /// The start of a span of items that are one node's content or an artifact;
    /// spans nest and never cross a page. Items outside every span are artifacts.
    Begin(Tag),
    /// The end of the innermost open span.
    End,
    /// A clickable area.
    Link {
        /// Left edge.
        x: f32,
        /// Top edge.
        y: f32,
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Where it goes.
        target: LinkTarget,
        /// The node whose text the link is on (its Link element goes there).
        parent: Option<NodeId>,
        /// What the link does, in words, for assistive technology.
        description: Box<str>,
    },
}

impl Item {
    /// Whether every number of the item is finite (and a text size, which glyph
    /// advances are divided by, is not zero): the PDF and preview stages leave out
    /// an item that is not, whatever produced it.
    pub fn is_finite(&self) -> bool {
        let finite = |values: &[f32]| values.iter().all(|v| v.is_finite());
        match self {
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
}

/// A run of glyphs on one baseline.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Where the run starts.
    pub x: f32,
    /// The baseline, from the top of the page.
    pub baseline: f32,
    /// Face.
    pub face: Face,
    /// Size in points.
    pub size: f32,
    /// Colour.
    pub colour: Rgb,
    /// Glyphs with their final advances (justification included).
    pub glyphs: Vec<PlacedGlyph>,
    /// Counter-clockwise rotation about the start of the baseline, in degrees: 0
    /// for ordinary text, the page's diagonal for a copy's watermark.
    pub angle: f32,
}

impl TextRun {
    /// Total advance in points.
    pub fn width(&self) -> f32 {
        self.glyphs.iter().map(|g| g.advance).sum()
    }
}

/// A glyph with its advance in points; its text is in [`Layout::glyph_text`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// Glyph id in the run's face.
    pub gid: u16,
    /// How far the pen moves after it, in points.
    pub advance: f32,
}

/// Where a link goes. Kept small (16 bytes), like the link item that holds it: a
/// long report's pages hold tens of thousands of items, each as large as the largest.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A web or mail address.
    Uri(Box<str>),
    /// A place in this document: page index (from 0) and the top of the target.
    Internal {
        /// Page index, from 0.
        page: u32,
        /// Distance from the top of the page.
        y: f32,
    },
}

/// One entry of the PDF outline.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// Heading level, 1 = top.
    pub level: u8,
    /// The heading's text.
    pub title: String,
    /// Page index, from 0.
    pub page: usize,
    /// Top of the heading on its page.
    pub y: f32,
}

/// An image's bytes and pixel size.
#[derive(Debug, Clone, PartialEq)]
pub struct ImageAsset {
    /// The path as written in the document, for error messages.
    pub path: String,
    /// PNG or JPEG bytes as read, shared: a layout is cloned for every distributed copy.
    pub bytes: Arc<[u8]>,
    /// Which of the two.
    pub format: ImageFormat,
    /// Width in pixels.
    pub width_px: u32,
    /// Height in pixels.
    pub height_px: u32,
    /// Colour components (1 grey, 3 RGB, 4 CMYK) for JPEGs; 0 for PNGs.
    pub components: u8,
}

/// Image formats Briefpack can place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// PNG.
    Png,
    /// JPEG (embedded as it is).
    Jpeg,
}

/// Values for the running header and footer of one document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Furniture {
    /// The document title, for `{title}`.
    pub title: String,
    /// The document date as printed, for `{date}`.
    pub date: String,
    /// A protective marking printed in the header and footer of every page.
    pub marking: Option<MarkingBanner>,
    /// For `{edition}`: the edition's label ("Facilitator edition"), if it is shown.
    pub edition: Option<String>,
    /// A logo printed at the start of the running header of every page after the first.
    pub header_logo: Option<Logo>,
}

/// An organisation's logo, ready to place: the image and what it shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Logo {
    /// The image (its `path` names the file in messages).
    pub image: ImageAsset,
    /// The alternative text of its figure in the tagged PDF.
    pub alt: String,
}

/// Whom a document is from, printed at the top of its cover: the logo, then the
/// organisation's name beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct Brand {
    /// The organisation's name.
    pub organisation: Option<String>,
    /// Its logo.
    pub logo: Option<Logo>,
}

/// How a marking is printed on every page.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkingBanner {
    /// The label ("TLP:AMBER", "OFFICIAL-SENSITIVE").
    pub text: String,
    /// Text colour.
    pub colour: Rgb,
    /// A box behind the label (TLP labels are printed on black).
    pub background: Option<Rgb>,
    /// Right-aligned (TLP) or centred (UK classifications).
    pub centred: bool,
    /// Type size in points (12 or more for TLP).
    pub size: f32,
}

/// What following a link does, in words (a link annotation's description).
pub(crate) fn link_description(uri: &str) -> String {
    match uri.strip_prefix("mailto:") {
        Some(address) => format!("Email {}", address.split('?').next().unwrap_or(address)),
        None => format!("Link to {}", text::printable_url(uri)),
    }
}

/// Where images come from. The CLI and the app read them from the pack or
/// document folder; tests can supply bytes directly.
pub trait Assets {
    /// The bytes of the file at `path` (as written in the Markdown).
    fn read(&self, path: &str) -> Result<Vec<u8>, String>;
}

/// Image files larger than this (50 MiB) are refused before they are read.
pub const MAX_IMAGE_BYTES: u64 = 50 * 1024 * 1024;

/// Assets from one folder; paths must stay inside it.
#[derive(Debug, Clone)]
pub struct FolderAssets {
    root: PathBuf,
}

impl FolderAssets {
    /// Images are read from `root` and its subfolders only.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        FolderAssets { root: root.into() }
    }
}

impl Assets for FolderAssets {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        let relative = Path::new(path);
        if path.contains("://") {
            return Err("images must be files beside the document; Briefpack never downloads".into());
        }
        if relative.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
            return Err("the path must stay inside the document's folder (no `..` or absolute paths)".into());
        }
        let full = self.root.join(relative);
        let canonical_root = self.root.canonicalize().map_err(|e| e.to_string())?;
        let canonical = full.canonicalize().map_err(|e| format!("cannot open {}: {e}", full.display()))?;
        if !canonical.starts_with(&canonical_root) {
            return Err("the path leads outside the document's folder".into());
        }
        crate::files::read_regular_file(&canonical, MAX_IMAGE_BYTES).map_err(|e| match e {
            // Name the file as the document wrote it, not its resolved path.
            crate::files::ReadError::NotAFile { kind, .. } => format!("{} is {kind}, not an image file", full.display()),
            crate::files::ReadError::TooLarge { bytes, limit, .. } => {
                format!("the file is too large ({}): save it smaller", crate::files::size_over_limit(bytes, limit))
            }
            crate::files::ReadError::Io { source, .. } => format!("cannot read {}: {source}", full.display()),
        })
    }
}

/// No assets: every image is an error.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoAssets;

impl Assets for NoAssets {
    fn read(&self, _path: &str) -> Result<Vec<u8>, String> {
        Err("this document has no folder to read images from".into())
    }
}

/// Why a document could not be laid out.
#[derive(Debug, thiserror::Error)]
pub enum LayoutError {
    /// An image could not be used.
    #[error("image `{path}`: {message}")]
    Image {
        /// The path as written.
        path: String,
        /// Why.
        message: String,
    },
}

/// Lays out `document` in `style` with `fonts`, reading images from `assets`;
/// special blocks take their data from `embeds`.
pub fn layout(
    document: &Document,
    style: &Style,
    fonts: &FontSet,
    assets: &dyn Assets,
    furniture: &Furniture,
    embeds: &Embeds,
) -> Result<Layout, LayoutError> {
    layout_owned(document.clone(), style, fonts, assets, furniture, embeds)
}

/// [`layout`] for a document the caller no longer needs: each block is freed once
/// it is laid out, which keeps peak memory down on long documents.
pub fn layout_owned(
    mut document: Document,
    style: &Style,
    fonts: &FontSet,
    assets: &dyn Assets,
    furniture: &Furniture,
    embeds: &Embeds,
) -> Result<Layout, LayoutError> {
    // style.toml is validated with located errors; a style built in code is made usable here.
    let style = &style.sanitized();
    let (width, height) = style.page_size.points();
    let mut flow = blocks::Flow::new(style, fonts, assets, embeds, (width, height));
    let mut paginator = paginate::Paginator::new(style, (width, height));
    flow.document(&mut document, &mut paginator)?;
    drop(document);
    let header_logo = furniture.header_logo.as_ref().map(|logo| flow.place_asset(&logo.image));
    let (images, mut glyph_text, structure) = flow.finish();
    let mut paginated = paginator.finish();
    let header_logo = header_logo.map(|index| (index, &images[index]));
    let outline = furniture::finish(&mut paginated, style, fonts, furniture, header_logo, width, height, &mut glyph_text);
    Ok(Layout { width, height, pages: paginated.pages, outline, images, glyph_text, structure })
}
