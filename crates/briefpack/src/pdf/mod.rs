//! Stage 5 of the pipeline: pages of placed boxes → PDF bytes.
//!
//! [`write_pdf`] writes each page's items as content-stream operators and
//! compresses them page by page on every core (`content`), embeds subsets of the
//! faces used (`fonts`, with printpdf's subsetter) and the images (`images`),
//! builds the structure tree (`structure`), then finishes the file with lopdf:
//! a nested outline in document order, clean metadata (with whose copy it is, for
//! a distributed copy) and a content-derived document ID (`finish`). Nothing
//! depends on the clock or on process state, so the same layout always gives the
//! same bytes.

mod content;
mod finish;
mod fonts;
mod images;
mod serialize;
mod structure;
mod xmp;

use lopdf::{Dictionary, Document, Object, ObjectId, Stream, StringFormat};

use crate::fonts::FontSet;
use crate::layout::Layout;
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

/// [`write_pdf`] for a layout the caller no longer needs: each page is freed as
/// soon as it is drawn and compressed, which keeps peak memory down on long documents.
pub fn write_pdf_owned(mut layout: Layout, fonts: &FontSet, meta: &PdfMetadata) -> Result<Vec<u8>, PdfError> {
    let mut pdf = Document::with_version("1.7");
    let pages_id = pdf.new_object_id();
    let (glyphs, font_resources) = self::fonts::embed(&mut pdf, &layout.glyph_text, fonts)?;
    let image_resources = images::embed(&mut pdf, &layout.images)?;
    // One resource dictionary serves every page: each names the same fonts and images.
    let mut resources = Dictionary::new();
    if !font_resources.is_empty() {
        resources.set("Font", Object::Dictionary(font_resources));
    }
    if !image_resources.is_empty() {
        resources.set("XObject", Object::Dictionary(image_resources));
    }
    let resources = pdf.add_object(resources);

    // Each page's size, and its height for turning top-down positions into PDF ones
    // (a link's target is on another page, which may be turned).
    let sizes: Vec<(f32, f32)> = (0..layout.pages.len()).map(|i| layout.page_size(i)).collect();
    let heights: Vec<f32> = sizes.iter().map(|&(_, h)| h).collect();
    let pages = std::mem::take(&mut layout.pages);
    let outline = std::mem::take(&mut layout.outline);
    let context = content::Context { fonts, glyphs: &glyphs, structure: &layout.structure, heights: &heights };
    let written = content::write_pages(pages, &heights, &context).map_err(|e| PdfError::Write(e.to_string()))?;
    drop(glyphs);

    let page_ids: Vec<ObjectId> = written.iter().map(|_| pdf.new_object_id()).collect();
    let mut page_tags = Vec::with_capacity(written.len());
    for ((page, &id), &(w, h)) in written.into_iter().zip(&page_ids).zip(&sizes) {
        let mut stream_dict = Dictionary::new();
        stream_dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        let contents = pdf.add_object(Stream::new(stream_dict, page.content).with_compression(false));
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"Page".to_vec()));
        dict.set("Parent", Object::Reference(pages_id));
        dict.set("MediaBox", Object::Array([0.0, 0.0, w, h].into_iter().map(Object::Real).collect()));
        dict.set("Resources", Object::Reference(resources));
        dict.set("Contents", Object::Reference(contents));
        if !page.links.is_empty() {
            let annotations = page.links.iter().map(|link| Object::Dictionary(link_annotation(link, &page_ids))).collect();
            dict.set("Annots", Object::Array(annotations));
        }
        pdf.objects.insert(id, Object::Dictionary(dict));
        page_tags.push(page.tags);
    }
    let mut tree = Dictionary::new();
    tree.set("Type", Object::Name(b"Pages".to_vec()));
    tree.set("Count", Object::Integer(page_ids.len() as i64));
    tree.set("Kids", Object::Array(page_ids.iter().map(|&id| Object::Reference(id)).collect()));
    pdf.objects.insert(pages_id, Object::Dictionary(tree));
    let mut catalog = Dictionary::new();
    catalog.set("Type", Object::Name(b"Catalog".to_vec()));
    catalog.set("Pages", Object::Reference(pages_id));
    catalog.set("PageLayout", Object::Name(b"OneColumn".to_vec()));
    let catalog = pdf.add_object(catalog);
    pdf.trailer.set("Root", Object::Reference(catalog));
    let info = pdf.add_object(information(meta));
    pdf.trailer.set("Info", Object::Reference(info));

    let mut written = serialize::Written::default();
    structure::write_structure(&mut pdf, &mut written, &layout.structure, &page_tags)?;
    drop(layout);
    finish::finish(&mut pdf, &written, &outline, &heights, meta)
}

/// A link annotation: invisible (no border), inverting its area when clicked.
fn link_annotation(link: &content::PageLink, page_ids: &[ObjectId]) -> Dictionary {
    let mut action = Dictionary::new();
    match &link.target {
        content::LinkAction::Uri(uri) => {
            action.set("S", Object::Name(b"URI".to_vec()));
            action.set("URI", Object::String(uri.as_bytes().to_vec(), StringFormat::Literal));
        }
        content::LinkAction::Page { page, top } => {
            action.set("S", Object::Name(b"GoTo".to_vec()));
            let target = page_ids.get(*page).or(page_ids.first()).map_or(Object::Null, |&id| Object::Reference(id));
            action.set("D", Object::Array(vec![target, Object::Name(b"XYZ".to_vec()), Object::Integer(0), Object::Real(*top), Object::Null]));
        }
    }
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"Annot".to_vec()));
    dict.set("Subtype", Object::Name(b"Link".to_vec()));
    dict.set("Rect", Object::Array(link.rect.iter().map(|&v| Object::Real(v)).collect()));
    dict.set("Border", Object::Array(vec![Object::Integer(0), Object::Integer(0), Object::Integer(0)]));
    dict.set("H", Object::Name(b"I".to_vec()));
    dict.set("A", Object::Dictionary(action));
    dict
}

/// The document information dictionary. Empty entries are left out: they say
/// nothing, and each would need its twin in the XMP metadata.
fn information(meta: &PdfMetadata) -> Dictionary {
    let mut info = Dictionary::new();
    info.set("Title", finish::pdf_text(&meta.title));
    let keywords = meta.keywords.join(",");
    for (key, value) in [("Author", meta.author.as_str()), ("Subject", meta.subject.as_str()), ("Keywords", keywords.as_str())] {
        if !value.is_empty() {
            info.set(key, finish::pdf_text(value));
        }
    }
    info.set("Creator", finish::pdf_text("Briefpack"));
    info.set("Producer", finish::pdf_text("Briefpack"));
    if let Some(date) = meta.date {
        // The document's own date, never the clock.
        let stamp = Object::String(date.format("D:%Y%m%d000000+00'00'").to_string().into_bytes(), StringFormat::Literal);
        info.set("CreationDate", stamp.clone());
        info.set("ModDate", stamp);
    }
    info
}
