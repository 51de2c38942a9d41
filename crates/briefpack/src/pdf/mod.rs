//! Stage 5 of the pipeline: pages of placed boxes → PDF bytes.
//!
//! [`write_pdf`] draws each [`Item`] with printpdf's low-level operations,
//! embeds subsets of the bundled fonts, then finishes the file with lopdf:
//! a nested outline in document order, clean metadata and a content-derived
//! document ID. Nothing depends on the clock or on process state, so the same
//! layout always gives the same bytes.

mod outline;

use std::collections::BTreeMap;

use printpdf::{
    Actions, BorderArray, Codepoint, Color, ColorArray, Destination, DictItem, ExternalStream, ExternalXObject, FontId,
    HighlightingMode, ImageCompression, ImageOptimizationOptions, Line, LinePoint, LinkAnnotation, Op, PaintMode,
    PdfDocument, PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Px, RawImage, Rect, Rgb as PdfRgb,
    TextItem, TextMatrix, XObject, XObjectId, XObjectTransform,
};

use crate::fonts::{Face, FontSet};
use crate::layout::{ImageAsset, ImageFormat, Item, Layout, LinkTarget, Rgb, TextRun};

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
}

/// Why a PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// An image's data could not be decoded.
    #[error("image {index} could not be decoded: {message}")]
    Image {
        /// Which image (in layout order).
        index: usize,
        /// Why.
        message: String,
    },
    /// The PDF library failed to write the file.
    #[error("the PDF could not be written: {0}")]
    Write(String),
}

/// Writes `layout` as PDF bytes.
pub fn write_pdf(layout: &Layout, fonts: &FontSet, meta: &PdfMetadata) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(&meta.title);
    // Our own ids, not printpdf's counters: the same document must give the same bytes.
    for face in Face::ALL {
        doc.resources.fonts.map.insert(FontId(face.pdf_tag().into()), PdfFont::new(fonts.parsed(face).clone()));
    }
    for (index, image) in layout.images.iter().enumerate() {
        let xobject = match image.format {
            ImageFormat::Jpeg => jpeg_xobject(image),
            ImageFormat::Png => {
                let raw = RawImage::decode_from_bytes(&image.bytes, &mut Vec::new())
                    .map_err(|message| PdfError::Image { index, message })?;
                XObject::Image(raw)
            }
        };
        doc.resources.xobjects.map.insert(XObjectId(format!("Im{index}")), xobject);
    }
    let (w, h) = (layout.width, layout.height);
    doc.pages = layout
        .pages
        .iter()
        .map(|page| {
            let mut ops = Vec::with_capacity(page.items.len() * 4);
            for item in &page.items {
                draw(item, h, fonts, &mut ops);
            }
            PdfPage::new(printpdf::Mm(w * 25.4 / 72.0), printpdf::Mm(h * 25.4 / 72.0), ops)
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
    outline::finish(&mut pdf, &layout.outline, h)
}

fn colour(c: Rgb) -> Color {
    let [r, g, b] = c.unit();
    Color::Rgb(PdfRgb { r, g, b, icc_profile: None })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint { p: Point { x: Pt(x), y: Pt(y) }, bezier: false }
}

/// Appends the operations drawing `item`; `h` flips y (layout is top-down, PDF bottom-up).
fn draw(item: &Item, h: f32, fonts: &FontSet, ops: &mut Vec<Op>) {
    match item {
        Item::Text(run) => text(run, h, fonts, ops),
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
        Item::Link { x, y, w, h: lh, target } => {
            let action = match target {
                LinkTarget::Uri(uri) => Actions::uri(uri.clone()),
                LinkTarget::Internal { page, y } => Actions::go_to(Destination::Xyz {
                    page: page + 1,
                    left: Some(0.0),
                    top: Some(h - y + 6.0),
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
        }
    }
}

fn text(run: &TextRun, h: f32, fonts: &FontSet, ops: &mut Vec<Op>) {
    if run.glyphs.is_empty() {
        return;
    }
    // The PDF's /W widths are the font's advances; TJ offsets carry kerning and justification.
    let size = run.size;
    let codepoints = run
        .glyphs
        .iter()
        .map(|g| Codepoint { gid: g.gid, offset: 0.0, cid: Some(g.text.clone()) })
        .collect::<Vec<_>>();
    let codepoints = with_offsets(codepoints, run, fonts);
    ops.push(Op::StartTextSection);
    ops.push(Op::SetFillColor { col: colour(run.colour) });
    ops.push(Op::SetFont { font: PdfFontHandle::External(FontId(run.face.pdf_tag().into())), size: Pt(size) });
    ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(run.x), Pt(h - run.baseline)) });
    ops.push(Op::ShowText { items: vec![TextItem::GlyphIds(codepoints)] });
    ops.push(Op::EndTextSection);
}

/// Sets each glyph's TJ offset: the difference between the advance a PDF viewer
/// uses (the font's width, truncated to 1/1000 em as printpdf writes /W) and the
/// advance we laid out (kerning and justification).
fn with_offsets(mut codepoints: Vec<Codepoint>, run: &TextRun, fonts: &FontSet) -> Vec<Codepoint> {
    let font = fonts.parsed(run.face);
    let upm = f32::from(font.font_metrics.units_per_em);
    for (cp, glyph) in codepoints.iter_mut().zip(&run.glyphs) {
        let natural = (f32::from(font.get_horizontal_advance(glyph.gid)) * 1000.0 / upm).trunc();
        let wanted = glyph.advance * 1000.0 / run.size;
        let offset = ((natural - wanted) * 100.0).round() / 100.0;
        cp.offset = if offset.abs() < 0.01 { 0.0 } else { offset };
    }
    codepoints
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
        stream: ExternalStream { dict, content: image.bytes.clone(), compress: false },
        width: Some(Px(image.width_px as usize)),
        height: Some(Px(image.height_px as usize)),
        dpi: None,
    })
}
