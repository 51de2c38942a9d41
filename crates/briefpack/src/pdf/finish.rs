//! Finishing the file with lopdf: the nested outline (bookmarks) in document
//! order, `/PageMode /UseOutlines`, clean metadata (and a distributed copy's
//! identifier, number and recipient) mirrored in an XMP packet, the document's
//! language, for archival output the sRGB output intent, PDF 1.7, and a document
//! ID derived from the content so identical input gives identical bytes (each
//! copy its own).

use std::collections::BTreeMap;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::{copy_keys, xmp, PdfError, PdfMetadata};
use crate::layout::OutlineEntry;

/// Placeholder for the /ID, replaced in place once the file's hash is known.
const ID_PLACEHOLDER: [u8; 16] = *b"BRIEFPACK-ID-\x00\x00\x00";

pub(super) fn finish(pdf: &mut Document, entries: &[OutlineEntry], page_heights: &[f32], meta: &PdfMetadata) -> Result<Vec<u8>, PdfError> {
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
    pdf.trailer.remove(b"ID");
    compress_streams(pdf).map_err(|e| PdfError::Write(e.to_string()))?;
    let placeholder = Object::String(ID_PLACEHOLDER.to_vec(), StringFormat::Hexadecimal);
    pdf.trailer.set("ID", Object::Array(vec![placeholder.clone(), placeholder]));
    let mut bytes = Vec::new();
    // Objects other than streams (the structure tree is thousands of small ones) go
    // into compressed object streams, with a cross-reference stream (PDF 1.5), at the
    // default level: with zlib-rs it costs little, and level 1 left them 10% larger.
    let options = lopdf::SaveOptions::builder().use_object_streams(true).use_xref_streams(true).compression_level(6).max_objects_per_stream(500).build();
    pdf.save_with_options(&mut bytes, options).map_err(|e| PdfError::Write(e.to_string()))?;
    compress_xref_stream(&mut bytes);
    // Same length, so no offsets move: swap the placeholder for a hash of the file.
    let placeholder_hex: Vec<u8> = ID_PLACEHOLDER.iter().flat_map(|b| format!("{b:02X}").into_bytes()).collect();
    let id_hex: Vec<u8> = fnv128(&bytes).iter().flat_map(|b| format!("{b:02X}").into_bytes()).collect();
    // The ID is in the trailer, which is the cross-reference stream's dictionary:
    // the object `startxref` points at.
    let mut search_from = last_xref_offset(&bytes).unwrap_or(0).min(bytes.len());
    while let Some(at) = bytes[search_from..].windows(placeholder_hex.len()).position(|w| w == placeholder_hex.as_slice()) {
        let at = search_from + at;
        bytes[at..at + id_hex.len()].copy_from_slice(&id_hex);
        search_from = at + id_hex.len();
    }
    Ok(bytes)
}

/// Flate-compresses the cross-reference stream, which lopdf writes plain (seven
/// bytes an object: 6.7 KB of a 20-page report). It is the file's last object, so
/// no other offset moves. Leaves the file as it is if its end is not as expected.
fn compress_xref_stream(bytes: &mut Vec<u8>) {
    let Some(start) = last_xref_offset(bytes).filter(|&s| s < bytes.len()) else { return };
    let Some(dict_start) = bytes[start..].windows(2).position(|w| w == b"<<").map(|at| start + at) else { return };
    let Some((dict_len, length_value)) = scan_dictionary(&bytes[dict_start..]) else { return };
    let dict_end = dict_start + dict_len;
    let content_start = match &bytes[dict_end..] {
        rest if rest.starts_with(b"stream\r\n") => dict_end + 8,
        rest if rest.starts_with(b"stream\n") => dict_end + 7,
        _ => return,
    };
    let Some(mut content_end) = bytes.windows(9).rposition(|w| w == b"endstream") else { return };
    if content_end <= content_start || bytes[content_start..].starts_with(b"endstream") {
        return;
    }
    if bytes[..content_end].ends_with(b"\r\n") {
        content_end -= 2;
    } else if bytes[..content_end].ends_with(b"\n") {
        content_end -= 1;
    }
    let Some(content) = bytes.get(content_start..content_end) else { return };
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    if std::io::Write::write_all(&mut encoder, content).is_err() {
        return;
    }
    let Ok(compressed) = encoder.finish() else { return };
    let dict = &bytes[dict_start..dict_end];
    let (value_start, value_end) = length_value;
    let mut tail = bytes[start..dict_start].to_vec();
    tail.extend_from_slice(&dict[..value_start]);
    tail.extend_from_slice(compressed.len().to_string().as_bytes());
    tail.extend_from_slice(&dict[value_end..dict.len() - 2]);
    tail.extend_from_slice(b"/Filter/FlateDecode>>stream\n");
    tail.extend_from_slice(&compressed);
    tail.extend_from_slice(format!("\nendstream\nendobj\nstartxref\n{start}\n%%EOF").as_bytes());
    bytes.truncate(start);
    bytes.extend_from_slice(&tail);
}

/// The length of the dictionary `bytes` starts with (through its closing `>>`) and
/// where the value of its own `/Length` key is, reading strings and nested
/// dictionaries as PDF does so that nothing inside them is taken for either.
fn scan_dictionary(bytes: &[u8]) -> Option<(usize, (usize, usize))> {
    let mut depth = 0usize;
    let mut length = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' => {
                // A literal string: balanced parentheses, backslash escapes.
                let mut nesting = 0usize;
                while i < bytes.len() {
                    match bytes[i] {
                        b'\\' => i += 1,
                        b'(' => nesting += 1,
                        b')' => {
                            nesting -= 1;
                            if nesting == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                    i += 1;
                }
            }
            b'<' if bytes.get(i + 1) == Some(&b'<') => {
                depth += 1;
                i += 1;
            }
            b'<' => i += bytes[i..].iter().position(|&b| b == b'>')?,
            b'>' if bytes.get(i + 1) == Some(&b'>') => {
                depth = depth.checked_sub(1)?;
                i += 1;
                if depth == 0 {
                    return Some((i + 1, length?));
                }
            }
            b'/' if depth == 1 && bytes[i..].starts_with(b"/Length") && !bytes.get(i + 7).is_some_and(u8::is_ascii_alphanumeric) => {
                let value_start = i + 7 + bytes[i + 7..].iter().position(|b| !b.is_ascii_whitespace())?;
                let value_end = value_start + bytes[value_start..].iter().position(|b| !b.is_ascii_digit())?;
                length = Some((value_start, value_end));
                i = value_end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The offset `startxref` gives at the end of the file.
fn last_xref_offset(bytes: &[u8]) -> Option<usize> {
    let tail = &bytes[bytes.len().saturating_sub(64)..];
    let at = tail.windows(9).rposition(|w| w == b"startxref")?;
    let digits: String = tail[at + 9..].iter().map(|&b| char::from(b)).skip_while(|c| c.is_whitespace()).take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
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

/// 128-bit FNV-1a over two lanes: a stable, dependency-free document ID.
fn fnv128(bytes: &[u8]) -> [u8; 16] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dictionary_scan_is_not_fooled_by_strings_or_nested_dictionaries() {
        let dict = b"<< /Info << /Title (Mainstream >> /Length 99 \\) stream) /Length 7 >> /Root 1 0 R /Length 42 /LengthX 5 >>stream\n";
        let (len, (start, end)) = scan_dictionary(dict).unwrap();
        assert_eq!(&dict[len..len + 6], b"stream");
        assert_eq!(&dict[start..end], b"42");
    }
}
