//! Finishing the file with lopdf: the nested outline (bookmarks) in document
//! order, `/PageMode /UseOutlines`, clean metadata (and a distributed copy's
//! identifier, number and recipient) mirrored in an XMP packet, the document's
//! language, and for archival output the sRGB output intent; then every stream
//! compressed and the file written (`serialize`), with a document ID derived from
//! the content so identical input gives identical bytes (each copy its own).

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::serialize::Written;
use super::{copy_keys, xmp, PdfError, PdfMetadata};
use crate::layout::OutlineEntry;

pub(super) fn finish(pdf: &mut Document, written: &Written, entries: &[OutlineEntry], page_heights: &[f32], meta: &PdfMetadata) -> Result<Vec<u8>, PdfError> {
    pdf.version = "1.7".to_string();
    let mut keywords = String::new();
    if let Ok(info_id) = pdf.trailer.get(b"Info").and_then(Object::as_reference) {
        if let Ok(info) = pdf.get_dictionary_mut(info_id) {
            if let Some(copy) = &meta.copy {
                info.set(copy_keys::ID, pdf_text(&copy.id));
                info.set(copy_keys::NUMBER, pdf_text(&format!("{} of {}", copy.number, copy.of)));
                info.set(copy_keys::RECIPIENT, pdf_text(&copy.recipient));
            }
            keywords = info.get(b"Keywords").ok().map(text_of).unwrap_or_default();
        }
    }
    let language = if meta.language.trim().is_empty() { xmp::DEFAULT_LANGUAGE } else { meta.language.trim() };
    let mut metadata = lopdf::Stream::new(Dictionary::new(), xmp::packet(meta, language, &keywords));
    metadata.dict.set("Type", Object::Name(b"Metadata".to_vec()));
    metadata.dict.set("Subtype", Object::Name(b"XML".to_vec()));
    // Left uncompressed, so that any tool can find the claims in it.
    metadata.allows_compression = false;
    let metadata = pdf.add_object(metadata);
    let output_intent = meta.archival.then(|| {
        let mut profile = lopdf::Stream::new(Dictionary::new(), SRGB_PROFILE.to_vec());
        profile.dict.set("N", Object::Integer(3));
        let profile = pdf.add_object(profile);
        let mut intent = Dictionary::new();
        intent.set("Type", Object::Name(b"OutputIntent".to_vec()));
        intent.set("S", Object::Name(b"GTS_PDFA1".to_vec()));
        intent.set("OutputConditionIdentifier", Object::string_literal("sRGB IEC61966-2.1"));
        intent.set("Info", Object::string_literal("sRGB IEC61966-2.1"));
        intent.set("DestOutputProfile", Object::Reference(profile));
        intent
    });
    let catalog = pdf.catalog_mut().map_err(|e| PdfError::Write(e.to_string()))?;
    catalog.set("Lang", pdf_text(language));
    catalog.set("Metadata", Object::Reference(metadata));
    if let Some(intent) = output_intent {
        catalog.set("OutputIntents", Object::Array(vec![Object::Dictionary(intent)]));
    }
    write_outline(pdf, entries, page_heights)?;
    compress_streams(pdf).map_err(|e| PdfError::Write(e.to_string()))?;
    super::serialize::serialize(pdf, written).map_err(|e| PdfError::Write(e.to_string()))
}

/// Flate-compresses every stream that has no filter yet, at the default level
/// (lopdf's own `compress` uses the slowest level for a few per cent of size), on
/// every core: the page contents are most of the work and independent.
fn compress_streams(pdf: &mut Document) -> std::io::Result<()> {
    use std::io::Write;
    let mut streams: Vec<&mut lopdf::Stream> = pdf
        .objects
        .values_mut()
        .filter_map(|object| match object {
            Object::Stream(stream) if stream.dict.get(b"Filter").is_err() && stream.allows_compression => Some(stream),
            _ => None,
        })
        .collect();
    let compress = |stream: &mut lopdf::Stream| -> std::io::Result<()> {
        let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(&stream.content)?;
        let compressed = encoder.finish()?;
        if compressed.len() + 19 < stream.content.len() {
            stream.dict.set("Filter", "FlateDecode");
            stream.set_content(compressed);
        }
        Ok(())
    };
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).clamp(1, 8);
    let per_worker = streams.len().div_ceil(workers).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = streams.chunks_mut(per_worker).map(|chunk| scope.spawn(move || chunk.iter_mut().try_for_each(|s| compress(s)))).collect();
        handles.into_iter().try_for_each(|h| h.join().unwrap_or_else(|_| Err(std::io::Error::other("compression failed"))))
    })
}

/// The sRGB profile archival output declares its colours in (CC0; see assets/icc).
const SRGB_PROFILE: &[u8] = include_bytes!("../../../../assets/icc/sRGB.icc");

/// A text string's value, whichever encoding it was written in.
fn text_of(object: &Object) -> String {
    match object {
        Object::String(bytes, _) if bytes.starts_with(&[0xFE, 0xFF]) => {
            let units: Vec<u16> = bytes[2..].chunks_exact(2).map(|pair| u16::from_be_bytes([pair[0], pair[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        Object::String(bytes, _) => bytes.iter().map(|&b| char::from(b)).collect(),
        _ => String::new(),
    }
}

/// UTF-16BE with a byte-order mark: valid for any PDF text string.
pub(super) fn pdf_text(s: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    for unit in s.encode_utf16() {
        bytes.extend_from_slice(&unit.to_be_bytes());
    }
    Object::String(bytes, StringFormat::Hexadecimal)
}

fn write_outline(pdf: &mut Document, entries: &[OutlineEntry], page_heights: &[f32]) -> Result<(), PdfError> {
    if entries.is_empty() {
        return Ok(());
    }
    // An entry's parent is the nearest earlier entry of a lower level.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); entries.len()];
    let mut roots = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        while stack.last().is_some_and(|&top| entries[top].level >= entry.level) {
            stack.pop();
        }
        match stack.last() {
            Some(&parent) => children[parent].push(i),
            None => roots.push(i),
        }
        stack.push(i);
    }
    let pages = pdf.get_pages();
    let root_id = pdf.new_object_id();
    let ids: Vec<ObjectId> = entries.iter().map(|_| pdf.new_object_id()).collect();
    let tree = Tree { entries, children: &children, ids: &ids, pages: &pages, page_heights };
    tree.write_siblings(pdf, &roots, root_id)?;

    let total: i64 = roots.iter().map(|&r| 1 + tree.count(r)).sum();
    let mut root = Dictionary::new();
    root.set("Type", Object::Name(b"Outlines".to_vec()));
    root.set("First", Object::Reference(ids[roots[0]]));
    root.set("Last", Object::Reference(ids[roots[roots.len() - 1]]));
    root.set("Count", Object::Integer(total));
    pdf.set_object(root_id, root);
    let catalog = pdf.catalog_mut().map_err(|e| PdfError::Write(e.to_string()))?;
    catalog.set("Outlines", Object::Reference(root_id));
    catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    Ok(())
}

struct Tree<'a> {
    entries: &'a [OutlineEntry],
    children: &'a [Vec<usize>],
    ids: &'a [ObjectId],
    pages: &'a BTreeMap<u32, ObjectId>,
    /// Each page's height (a landscape page's is the portrait width).
    page_heights: &'a [f32],
}

impl Tree<'_> {
    /// Visible descendants of an open item.
    fn count(&self, i: usize) -> i64 {
        self.children[i].iter().map(|&c| 1 + self.count(c)).sum()
    }

    fn write_siblings(&self, pdf: &mut Document, siblings: &[usize], parent: ObjectId) -> Result<(), PdfError> {
        for (k, &i) in siblings.iter().enumerate() {
            let entry = &self.entries[i];
            let mut d = Dictionary::new();
            d.set("Title", pdf_text(&entry.title));
            d.set("Parent", Object::Reference(parent));
            if k > 0 {
                d.set("Prev", Object::Reference(self.ids[siblings[k - 1]]));
            }
            if k + 1 < siblings.len() {
                d.set("Next", Object::Reference(self.ids[siblings[k + 1]]));
            }
            if let (Some(&first), Some(&last)) = (self.children[i].first(), self.children[i].last()) {
                d.set("First", Object::Reference(self.ids[first]));
                d.set("Last", Object::Reference(self.ids[last]));
                d.set("Count", Object::Integer(self.count(i)));
            }
            let page = self
                .pages
                .get(&(entry.page as u32 + 1))
                .ok_or_else(|| PdfError::Write(format!("outline entry \"{}\" points at a missing page", entry.title)))?;
            let page_height = self.page_heights.get(entry.page).copied().unwrap_or(0.0);
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(*page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Real(0.0),
                    // A position that is not finite would be written as `NaN`: the top instead.
                    Object::Real(Some(page_height - entry.y + 6.0).filter(|top| top.is_finite()).unwrap_or(page_height)),
                    Object::Null,
                ]),
            );
            pdf.set_object(self.ids[i], d);
            self.write_siblings(pdf, &self.children[i], self.ids[i])?;
        }
        Ok(())
    }
}

/// 128-bit FNV-1a over two lanes of the file's bytes: a stable, dependency-free document ID.
pub(super) fn content_id(bytes: &[u8]) -> [u8; 16] {
    let mut a: u64 = 0xcbf2_9ce4_8422_2325;
    let mut b: u64 = 0x8422_2325_cbf2_9ce4;
    for &x in bytes {
        a = (a ^ u64::from(x)).wrapping_mul(0x0100_0000_01b3);
        b = (b ^ u64::from(x).rotate_left(3)).wrapping_mul(0x0100_0000_01b3);
    }
    let mut out = [0u8; 16];
    out[..8].copy_from_slice(&a.to_be_bytes());
    out[8..].copy_from_slice(&b.to_be_bytes());
    out
}
