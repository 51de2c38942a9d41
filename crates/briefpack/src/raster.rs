//! Stage 5 for the preview: a laid-out page → pixels.
//!
//! The PDF stage writes a [`Layout`]'s items as PDF operators; this stage paints
//! the same items (glyph outlines from the same fonts, rectangles, rules,
//! images) straight into an RGBA image with tiny-skia, so the app can show a
//! page a few milliseconds after layout instead of writing a PDF and having the
//! webview parse and draw it (a page of text took 200–250 ms in WebKit's
//! software canvas). What the preview shows is therefore what the PDF holds,
//! item for item; a test compares the two renderings pixel by pixel.
//!
//! [`PagePainter`] owns a finished layout and paints any page at any width;
//! glyph outlines and decoded images are kept between pages.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use tiny_skia::{Color, FillRule, FilterQuality, Paint, PathBuilder, Pixmap, PixmapPaint, Rect, Stroke, Transform};

use crate::fonts::{Face, FontSet};
use crate::layout::{is_live_uri, ImageAsset, ImageFormat, Item, Layout, LinkTarget, Rgb, TextRun};

/// The widest page image painted, in pixels: a page four times the width of a
/// large screen's preview column, and 60 MB of pixels at most.
pub const MAX_WIDTH_PX: u32 = 4000;

/// A painted page: opaque RGBA, row by row from the top.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Four bytes a pixel (red, green, blue, alpha = 255).
    pub rgba: Vec<u8>,
}

impl PageImage {
    /// The page for sending to a webview: width, height and the number of
    /// colours (u32 each, little-endian), then the colours (RGBA) and one byte per
    /// pixel naming its colour; or, when the page has more than 256 colours (a
    /// photograph), a count of 0 and the RGBA pixels. A page of text has a few
    /// dozen colours (its inks and their anti-aliased edges), so it travels in a
    /// quarter of the bytes, which is most of what showing it costs.
    pub fn to_indexed(&self) -> Vec<u8> {
        let mut palette: Vec<u32> = Vec::new();
        let mut index_of: HashMap<u32, u8> = HashMap::new();
        let mut indices = Vec::with_capacity(self.rgba.len() / 4);
        let mut last = None;
        for pixel in self.rgba.chunks_exact(4).map(|p| u32::from_le_bytes([p[0], p[1], p[2], p[3]])) {
            let index = match last {
                Some((colour, index)) if colour == pixel => index,
                _ => {
                    let index = match index_of.get(&pixel) {
                        Some(&index) => index,
                        None if palette.len() < 256 => {
                            let index = palette.len() as u8;
                            palette.push(pixel);
                            index_of.insert(pixel, index);
                            index
                        }
                        None => return self.header_and(0, &self.rgba),
                    };
                    last = Some((pixel, index));
                    index
                }
            };
            indices.push(index);
        }
        let mut out = self.header_and(palette.len() as u32, &[]);
        out.extend(palette.iter().flat_map(|colour| colour.to_le_bytes()));
        out.extend_from_slice(&indices);
        out
    }

    fn header_and(&self, colours: u32, body: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + body.len());
        for n in [self.width, self.height, colours] {
            out.extend_from_slice(&n.to_le_bytes());
        }
        out.extend_from_slice(body);
        out
    }
}

/// A clickable area of a page, as a share of the page's width and height (so
/// it fits the page drawn at any size).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PageLink {
    /// Left edge, 0–1 of the page width.
    pub left: f32,
    /// Top edge, 0–1 of the page height.
    pub top: f32,
    /// Width, 0–1 of the page width.
    pub width: f32,
    /// Height, 0–1 of the page height.
    pub height: f32,
    /// A web or mail address (only `https:` and `mailto:` ones are live, as in the PDF).
    pub url: Option<String>,
    /// The page it leads to, from 0.
    pub page: Option<u32>,
}

/// Why a page could not be painted.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RasterError {
    /// The layout has fewer pages.
    #[error("there is no page {page} (the document has {pages})")]
    NoSuchPage {
        /// The page asked for, from 1.
        page: usize,
        /// Pages in the document.
        pages: usize,
    },
    /// Zero or more than [`MAX_WIDTH_PX`] pixels wide.
    #[error("a page cannot be drawn {0} pixels wide (1 to {MAX_WIDTH_PX})")]
    Width(u32),
}

/// A finished layout, ready to be painted page by page.
pub struct PagePainter {
    layout: Layout,
    /// Glyph outlines in font units, traced once per face and glyph.
    outlines: Mutex<HashMap<(Face, u16), Option<tiny_skia::Path>>>,
    /// Glyph coverage by face, glyph, pixels per font unit and quarter-pixel position.
    masks: Mutex<HashMap<MaskKey, Option<Arc<GlyphMask>>>>,
    /// Each image decoded once, premultiplied; `None` if it cannot be decoded.
    images: Vec<OnceLock<Option<Arc<Pixmap>>>>,
}

impl std::fmt::Debug for PagePainter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PagePainter({} pages)", self.layout.pages.len())
    }
}

impl PagePainter {
    /// A painter for `layout`'s pages.
    pub fn new(layout: Layout) -> PagePainter {
        let images = layout.images.iter().map(|_| OnceLock::new()).collect();
        PagePainter { layout, outlines: Mutex::default(), masks: Mutex::default(), images }
    }

    /// The layout being painted.
    pub fn layout(&self) -> &Layout {
        &self.layout
    }

    /// Page `index` (from 0) painted `width_px` pixels wide with `fonts` (the set
    /// it was laid out with); its height keeps the page's proportions.
    pub fn paint(&self, index: usize, fonts: &FontSet, width_px: u32) -> Result<PageImage, RasterError> {
        let pages = self.layout.pages.len();
        let page = self.layout.pages.get(index).ok_or(RasterError::NoSuchPage { page: index + 1, pages })?;
        if width_px == 0 || width_px > MAX_WIDTH_PX {
            return Err(RasterError::Width(width_px));
        }
        let (page_w, page_h) = self.layout.page_size(index);
        let scale = width_px as f32 / page_w;
        let height_px = ((page_h * scale).round() as u32).clamp(1, 2 * MAX_WIDTH_PX);
        let mut pixmap = Pixmap::new(width_px, height_px).ok_or(RasterError::Width(width_px))?;
        pixmap.fill(Color::WHITE);
        let mut canvas = Canvas { pixmap: &mut pixmap, scale: Transform::from_scale(scale, scale) };
        for item in page.items.iter().filter(|item| item.is_finite()) {
            match item {
                Item::Text(run) => self.text(&mut canvas, run, fonts),
                Item::Rect { x, y, w, h, fill, stroke } => canvas.rect(*x, *y, *w, *h, *fill, *stroke),
                Item::Line { from, to, colour, width } => canvas.line(*from, *to, *colour, *width),
                Item::Image { x, y, w, h, image } => {
                    if let Some(pixels) = self.image(*image) {
                        canvas.image(&pixels, *x, *y, *w, *h);
                    }
                }
                Item::Begin(_) | Item::End | Item::Link { .. } => {}
            }
        }
        // Every pixel is opaque (the page is white underneath), so the premultiplied
        // pixels are the plain ones.
        Ok(PageImage { width: width_px, height: height_px, rgba: pixmap.take() })
    }

    /// The live links of page `index`, as the PDF writes them (other addresses are plain text there too).
    pub fn links(&self, index: usize) -> Vec<PageLink> {
        let (page_w, page_h) = self.layout.page_size(index);
        let Some(page) = self.layout.pages.get(index) else { return Vec::new() };
        page.items
            .iter()
            .filter(|item| item.is_finite())
            .filter_map(|item| match item {
                Item::Link { x, y, w, h, target, .. } => {
                    let (url, page) = match target {
                        LinkTarget::Uri(uri) if is_live_uri(uri) => (Some(uri.to_string()), None),
                        LinkTarget::Uri(_) => return None,
                        LinkTarget::Internal { page, .. } => (None, Some(*page)),
                    };
                    Some(PageLink { left: x / page_w, top: y / page_h, width: w / page_w, height: h / page_h, url, page })
                }
                _ => None,
            })
            .collect()
    }

    fn text(&self, canvas: &mut Canvas<'_>, run: &TextRun, fonts: &FontSet) {
        let em = run.size / fonts.units_per_em(run.face);
        let paint = paint(run.colour);
        let mut outlines = self.outlines.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let mut pen = 0.0;
        if run.angle != 0.0 || run.size * canvas.scale.sx > MAX_MASKED_EM_PX {
            // A copy's watermark, turned, is drawn from its outlines about the run's start, as the
            // PDF's text matrix does; so is text too large to be worth keeping as masks.
            let (sin, cos) = run.angle.to_radians().sin_cos();
            for glyph in &run.glyphs {
                if let Some(path) = outlines.entry((run.face, glyph.gid)).or_insert_with(|| trace(fonts, run.face, glyph.gid)) {
                    let place = Transform::from_row(em * cos, -em * sin, -em * sin, -em * cos, run.x + pen * cos, run.baseline - pen * sin);
                    canvas.pixmap.fill_path(path, &paint, FillRule::Winding, place.post_concat(canvas.scale), None);
                }
                pen += glyph.advance;
            }
            return;
        }
        // Upright text: each glyph's coverage is made once per size and quarter-pixel
        // position and then copied, which is most of what a page of text costs. The
        // masks are looked up under the lock and blended after it, so two pages can
        // be painted at once.
        let placed: Vec<(Arc<GlyphMask>, i32, i32)> = {
            let mut masks = self.masks.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            if masks.len() > MAX_GLYPH_MASKS {
                // Past the budget they are made again as needed (a window resized many times).
                masks.clear();
            }
            let pixels_per_unit = em * canvas.scale.sx;
            let (row, y_quarter) = quarters(run.baseline * canvas.scale.sy);
            run.glyphs
                .iter()
                .filter_map(|glyph| {
                    let (column, x_quarter) = quarters((run.x + pen) * canvas.scale.sx);
                    pen += glyph.advance;
                    let key = (run.face, glyph.gid, pixels_per_unit.to_bits(), x_quarter, y_quarter);
                    let mask = masks.entry(key).or_insert_with(|| {
                        let outline = outlines.entry((run.face, glyph.gid)).or_insert_with(|| trace(fonts, run.face, glyph.gid));
                        outline.as_ref().and_then(|path| GlyphMask::new(path, pixels_per_unit, x_quarter, y_quarter)).map(Arc::new)
                    });
                    mask.clone().map(|mask| (mask, column, row))
                })
                .collect()
        };
        drop(outlines);
        for (mask, column, row) in placed {
            mask.blend(canvas.pixmap, column, row, run.colour);
        }
    }

    fn image(&self, index: usize) -> Option<Arc<Pixmap>> {
        let asset = self.layout.images.get(index)?;
        self.images.get(index)?.get_or_init(|| decode(asset).map(Arc::new)).clone()
    }
}

/// Glyph masks kept at most: text up to [`MAX_MASKED_EM_PX`] makes masks of a few
/// kilobytes, so the cache stays within tens of megabytes.
const MAX_GLYPH_MASKS: usize = 20_000;

/// The largest type, in pixels to the em, whose glyphs are kept as masks; a cover
/// title at a large preview size is about 60.
const MAX_MASKED_EM_PX: f32 = 128.0;

/// Face, glyph, pixels per font unit (as bits) and the quarter pixel a glyph starts at, across and down.
type MaskKey = (Face, u16, u32, u8, u8);

/// The whole pixel `at` falls in and the nearest quarter pixel within it (0–3).
fn quarters(at: f32) -> (i32, u8) {
    let quarter = (at * 4.0).round();
    ((quarter / 4.0).floor() as i32, quarter.rem_euclid(4.0) as u8)
}

/// A glyph's coverage at one size and position within a pixel.
struct GlyphMask {
    /// Where the mask's top-left pixel is, from the pixel the glyph's origin is in.
    left: i32,
    top: i32,
    width: usize,
    coverage: Vec<u8>,
}

impl GlyphMask {
    fn new(outline: &tiny_skia::Path, pixels_per_unit: f32, x_quarter: u8, y_quarter: u8) -> Option<GlyphMask> {
        let (dx, dy) = (f32::from(x_quarter) / 4.0, f32::from(y_quarter) / 4.0);
        let to_pixels = Transform::from_row(pixels_per_unit, 0.0, 0.0, -pixels_per_unit, dx, dy);
        let bounds = outline.clone().transform(to_pixels)?.bounds();
        let (left, top) = (bounds.left().floor() as i32 - 1, bounds.top().floor() as i32 - 1);
        let width = (bounds.right().ceil() as i32 - left + 1).max(1) as u32;
        let height = (bounds.bottom().ceil() as i32 - top + 1).max(1) as u32;
        if width > 2 * MAX_WIDTH_PX || height > 2 * MAX_WIDTH_PX {
            return None;
        }
        let mut mask = tiny_skia::Mask::new(width, height)?;
        mask.fill_path(outline, FillRule::Winding, true, to_pixels.post_translate(-left as f32, -top as f32));
        Some(GlyphMask { left, top, width: width as usize, coverage: mask.data().to_vec() })
    }

    /// Lays `colour` over `pixmap` (opaque) through the mask, the glyph's origin in pixel (`column`, `row`).
    fn blend(&self, pixmap: &mut Pixmap, column: i32, row: i32, colour: Rgb) {
        let (page_w, page_h) = (pixmap.width() as i32, pixmap.height() as i32);
        let colour = [colour.0, colour.1, colour.2].map(u32::from);
        let pixels = pixmap.data_mut();
        for (mask_row, coverage) in self.coverage.chunks_exact(self.width).enumerate() {
            let y = row + self.top + mask_row as i32;
            if !(0..page_h).contains(&y) {
                continue;
            }
            for (mask_column, &alpha) in coverage.iter().enumerate() {
                let x = column + self.left + mask_column as i32;
                if alpha == 0 || !(0..page_w).contains(&x) {
                    continue;
                }
                let at = (y as usize * page_w as usize + x as usize) * 4;
                let alpha = u32::from(alpha);
                for (channel, source) in pixels[at..at + 3].iter_mut().zip(colour) {
                    *channel = ((source * alpha + u32::from(*channel) * (255 - alpha) + 127) / 255) as u8;
                }
            }
        }
    }
}

/// A pixmap and the scale from points to its pixels.
struct Canvas<'p> {
    pixmap: &'p mut Pixmap,
    scale: Transform,
}

impl Canvas<'_> {
    fn rect(&mut self, x: f32, y: f32, w: f32, h: f32, fill: Option<Rgb>, stroke: Option<(Rgb, f32)>) {
        let (left, top, right, bottom) = (x.min(x + w), y.min(y + h), x.max(x + w), y.max(y + h));
        if let Some(colour) = fill {
            self.snapped(left, top, right, bottom, colour);
        }
        if let Some((colour, width)) = stroke {
            // Four edges, each as wide as the stroke and centred on the outline, meeting in square corners (a mitred box).
            let half = width / 2.0;
            self.snapped(left - half, top - half, right + half, top + half, colour);
            self.snapped(left - half, bottom - half, right + half, bottom + half, colour);
            self.snapped(left - half, top - half, left + half, bottom + half, colour);
            self.snapped(right - half, top - half, right + half, bottom + half, colour);
        }
    }

    fn line(&mut self, from: (f32, f32), to: (f32, f32), colour: Rgb, width: f32) {
        let half = width / 2.0;
        if from.1 == to.1 {
            return self.snapped(from.0.min(to.0), from.1 - half, from.0.max(to.0), from.1 + half, colour);
        }
        if from.0 == to.0 {
            return self.snapped(from.0 - half, from.1.min(to.1), from.0 + half, from.1.max(to.1), colour);
        }
        let mut path = PathBuilder::new();
        path.move_to(from.0, from.1);
        path.line_to(to.0, to.1);
        if let Some(path) = path.finish() {
            self.pixmap.stroke_path(&path, &paint(colour), &Stroke { width, ..Stroke::default() }, self.scale, None);
        }
    }

    /// Fills the box from `left`, `top` to `right`, `bottom` (points) with its
    /// edges moved to whole pixels and at least a pixel thick, as PDF viewers
    /// draw rules and boxes: a half-point rule stays one crisp line instead of
    /// two faint ones.
    fn snapped(&mut self, left: f32, top: f32, right: f32, bottom: f32, colour: Rgb) {
        let (sx, sy) = (self.scale.sx, self.scale.sy);
        let (l, t) = ((left * sx).round(), (top * sy).round());
        let r = (right * sx).round().max(l + 1.0);
        let b = (bottom * sy).round().max(t + 1.0);
        if let Some(rect) = Rect::from_ltrb(l, t, r, b) {
            self.pixmap.fill_rect(rect, &paint(colour), Transform::identity(), None);
        }
    }

    /// `pixels` scaled into the box; shrunk beforehand when much smaller, since
    /// bilinear sampling of a large photo at a tenth of its size only picks some of its pixels.
    fn image(&mut self, pixels: &Pixmap, x: f32, y: f32, w: f32, h: f32) {
        let (sx, sy) = (self.scale.sx, self.scale.sy);
        let (target_w, target_h) = ((w * sx).round().max(1.0) as u32, (h * sy).round().max(1.0) as u32);
        let shrunk;
        let source = if target_w * 2 < pixels.width() && target_h * 2 < pixels.height() {
            shrunk = shrink(pixels, target_w, target_h);
            shrunk.as_ref().unwrap_or(pixels)
        } else {
            pixels
        };
        let place = Transform::from_row(w * sx / source.width() as f32, 0.0, 0.0, h * sy / source.height() as f32, x * sx, y * sy);
        let quality = PixmapPaint { quality: FilterQuality::Bilinear, ..PixmapPaint::default() };
        self.pixmap.draw_pixmap(0, 0, source.as_ref(), &quality, place, None);
    }
}

fn paint(colour: Rgb) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(colour.0, colour.1, colour.2, 255);
    paint.anti_alias = true;
    paint
}

/// Glyph `gid`'s outline as a path in font units.
fn trace(fonts: &FontSet, face: Face, gid: u16) -> Option<tiny_skia::Path> {
    let mut outline = Outline(PathBuilder::new());
    fonts.outline(face, gid, &mut outline)?;
    outline.0.finish()
}

struct Outline(PathBuilder);

impl ttf_parser::OutlineBuilder for Outline {
    fn move_to(&mut self, x: f32, y: f32) {
        self.0.move_to(x, y);
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.0.line_to(x, y);
    }
    fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
        self.0.quad_to(x1, y1, x, y);
    }
    fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
        self.0.cubic_to(x1, y1, x2, y2, x, y);
    }
    fn close(&mut self) {
        self.0.close();
    }
}

/// The image's pixels, premultiplied; `None` when they cannot be read (layout
/// has already read its size, so this is a damaged file, which the PDF stage reports).
fn decode(asset: &ImageAsset) -> Option<Pixmap> {
    let format = match asset.format {
        ImageFormat::Png => image::ImageFormat::Png,
        ImageFormat::Jpeg => image::ImageFormat::Jpeg,
    };
    let mut reader = image::ImageReader::with_format(std::io::Cursor::new(&*asset.bytes), format);
    // Layout has already refused images over its size limit; this only keeps a
    // lying header from asking for more.
    let mut limits = image::Limits::default();
    limits.max_alloc = Some(512 * 1024 * 1024);
    reader.limits(limits);
    let rgba = reader.decode().ok()?.into_rgba8();
    let (width, height) = rgba.dimensions();
    let mut data = rgba.into_raw();
    for pixel in data.chunks_exact_mut(4) {
        let alpha = u16::from(pixel[3]);
        for channel in &mut pixel[..3] {
            *channel = ((u16::from(*channel) * alpha + 127) / 255) as u8;
        }
    }
    Pixmap::from_vec(data, tiny_skia::IntSize::from_wh(width, height)?)
}

/// `pixels` resampled to `width` × `height` with a triangle filter.
fn shrink(pixels: &Pixmap, width: u32, height: u32) -> Option<Pixmap> {
    let source = image::RgbaImage::from_raw(pixels.width(), pixels.height(), pixels.data().to_vec())?;
    let small = image::imageops::resize(&source, width, height, image::imageops::FilterType::Triangle);
    Pixmap::from_vec(small.into_raw(), tiny_skia::IntSize::from_wh(width, height)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::{Page, PlacedGlyph};

    fn layout_with(items: Vec<Item>) -> Layout {
        Layout {
            width: 100.0,
            height: 200.0,
            pages: vec![Page { items, landscape: false }],
            outline: Vec::new(),
            images: Vec::new(),
            glyph_text: Default::default(),
            structure: Default::default(),
        }
    }

    /// `text` shaped in `face` at `size`, its baseline starting at `at`.
    fn text_run(fonts: &FontSet, face: Face, text: &str, size: f32, at: (f32, f32), colour: Rgb, angle: f32) -> TextRun {
        let glyphs = fonts.shape(face, text).runs[0].glyphs.iter().map(|g| PlacedGlyph { gid: g.gid, advance: g.advance * size }).collect();
        TextRun { x: at.0, baseline: at.1, face, size, colour, glyphs, angle }
    }

    fn pixel(image: &PageImage, x: u32, y: u32) -> [u8; 4] {
        let at = ((y * image.width + x) * 4) as usize;
        image.rgba[at..at + 4].try_into().unwrap()
    }

    #[test]
    fn a_filled_rectangle_covers_its_pixels_and_nothing_else() {
        let fonts = FontSet::bundled().unwrap();
        let red = Rgb(200, 0, 0);
        let painter = PagePainter::new(layout_with(vec![Item::Rect { x: 10.0, y: 20.0, w: 30.0, h: 40.0, fill: Some(red), stroke: None }]));
        let image = painter.paint(0, &fonts, 200).unwrap();
        assert_eq!((image.width, image.height), (200, 400));
        assert_eq!(pixel(&image, 50, 100), [200, 0, 0, 255]);
        assert_eq!(pixel(&image, 10, 10), [255, 255, 255, 255]);
        assert_eq!(pixel(&image, 90, 100), [255, 255, 255, 255]);
    }

    #[test]
    fn text_is_drawn_with_its_glyphs_at_its_baseline() {
        let fonts = FontSet::bundled().unwrap();
        let run = text_run(&fonts, Face::Bold, "HH", 40.0, (10.0, 100.0), Rgb(0, 0, 0), 0.0);
        let image = PagePainter::new(layout_with(vec![Item::Text(run)])).paint(0, &fonts, 100).unwrap();
        let dark = |y: u32| (0..100).filter(|&x| pixel(&image, x, y)[0] < 128).count();
        // An H's stems stand on the baseline and reach most of the way up a 40 pt em; nothing hangs below.
        assert!(dark(95) >= 8, "stems just above the baseline: {}", dark(95));
        assert!(dark(75) >= 8, "stems at the cap height's middle");
        assert_eq!(dark(104), 0, "nothing below the baseline");
        assert_eq!(dark(40), 0, "nothing above the capitals");
    }

    /// `to_indexed`'s bytes read back into RGBA, as the webview does.
    fn from_indexed(bytes: &[u8]) -> (u32, u32, usize, Vec<u8>) {
        let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap());
        let (width, height, colours) = (word(0), word(4), word(8) as usize);
        if colours == 0 {
            return (width, height, 0, bytes[12..].to_vec());
        }
        let palette = &bytes[12..12 + 4 * colours];
        let rgba = bytes[12 + 4 * colours..].iter().flat_map(|&i| palette[4 * usize::from(i)..4 * usize::from(i) + 4].to_vec()).collect();
        (width, height, colours, rgba)
    }

    #[test]
    fn a_page_of_text_travels_as_colour_indices_and_reads_back_pixel_for_pixel() {
        let fonts = FontSet::bundled().unwrap();
        let run = text_run(&fonts, Face::Regular, "Indexed colours", 12.0, (5.0, 40.0), Rgb(180, 20, 20), 0.0);
        let page = PagePainter::new(layout_with(vec![Item::Text(run)])).paint(0, &fonts, 150).unwrap();
        let sent = page.to_indexed();
        let (width, height, colours, rgba) = from_indexed(&sent);
        assert_eq!((width, height), (page.width, page.height));
        assert!((2..=256).contains(&colours), "{colours} colours");
        assert_eq!(rgba, page.rgba);
        assert!(sent.len() < page.rgba.len() / 3, "{} bytes for {} pixels", sent.len(), page.rgba.len() / 4);
    }

    #[test]
    fn a_page_of_many_colours_travels_as_it_is() {
        let rgba: Vec<u8> = (0..40 * 40).flat_map(|i: u32| [(i % 256) as u8, (i / 256) as u8, 7, 255]).collect();
        let page = PageImage { width: 40, height: 40, rgba: rgba.clone() };
        assert_eq!(from_indexed(&page.to_indexed()), (40, 40, 0, rgba));
    }

    #[test]
    fn large_and_turned_text_is_drawn_from_its_outlines() {
        let fonts = FontSet::bundled().unwrap();
        let run = |size: f32, angle: f32| text_run(&fonts, Face::Bold, "H", size, (10.0, 150.0), Rgb(0, 0, 0), angle);
        let dark = |image: &PageImage| image.rgba.chunks_exact(4).filter(|p| p[0] < 128).count();
        // 150 pt across a 400-pixel page is past what is kept as masks; the H still fills much of its box.
        let large = PagePainter::new(layout_with(vec![Item::Text(run(150.0, 0.0))])).paint(0, &fonts, 400).unwrap();
        assert!(dark(&large) > 5_000, "{}", dark(&large));
        // Turned 90° anticlockwise about its start, the H stands above the baseline's start, not beside it.
        let turned = PagePainter::new(layout_with(vec![Item::Text(run(40.0, 90.0))])).paint(0, &fonts, 100).unwrap();
        let dark_at = |x: u32, y: u32| pixel(&turned, x, y)[0] < 128;
        assert!((0..200).any(|y| dark_at(3, y)) && (0..200).any(|y| dark_at(8, y)), "drawn left of its start once turned");
        assert!(!(0..200).any(|y| dark_at(40, y)), "and not to its right");
    }

    #[test]
    fn a_page_that_is_not_there_or_a_silly_width_is_an_error() {
        let fonts = FontSet::bundled().unwrap();
        let painter = PagePainter::new(layout_with(Vec::new()));
        assert_eq!(painter.paint(1, &fonts, 100), Err(RasterError::NoSuchPage { page: 2, pages: 1 }));
        assert_eq!(painter.paint(0, &fonts, 0), Err(RasterError::Width(0)));
        assert_eq!(painter.paint(0, &fonts, MAX_WIDTH_PX + 1), Err(RasterError::Width(MAX_WIDTH_PX + 1)));
    }

    #[test]
    fn only_live_links_are_offered_and_in_shares_of_the_page() {
        let link = |uri: &str| Item::Link { x: 25.0, y: 50.0, w: 50.0, h: 10.0, target: LinkTarget::Uri(uri.into()), parent: None, description: "".into() };
        let painter = PagePainter::new(layout_with(vec![link("https://www.ncsc.gov.uk/"), link("javascript:alert(1)"), link("http://example.com/")]));
        let links = painter.links(0);
        assert_eq!(links.len(), 1);
        assert_eq!((links[0].left, links[0].top, links[0].width, links[0].height), (0.25, 0.25, 0.5, 0.05));
        assert_eq!(links[0].url.as_deref(), Some("https://www.ncsc.gov.uk/"));
    }
}
