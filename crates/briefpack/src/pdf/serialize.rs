//! Writing the finished objects as the bytes of a PDF 1.7 file: streams as they
//! are, every other object packed into compressed object streams, and a
//! compressed cross-reference stream that carries the trailer.
//!
//! Objects are written from where they are, never copied (lopdf's own writer
//! clones every object it packs, which doubled a long report's peak memory), and
//! the document ID is a hash of everything before the cross-reference stream, so
//! identical input gives identical bytes and each distributed copy its own ID.

use std::io::Write;

use lopdf::{Dictionary, Document, Object, ObjectId, StringFormat};

use super::content::number;

/// How many objects go into one object stream.
const OBJECTS_PER_STREAM: usize = 500;

/// Where the cross-reference stream says an object is.
#[derive(Clone, Copy)]
enum Entry {
    Free,
    /// At this offset in the file.
    Direct(usize),
    /// In this object stream, at this index.
    Packed(u32, u16),
}

/// Objects written as bytes as soon as they are made, to go into object streams
/// with the document's own: a long report's structure tree is tens of thousands of
/// small dictionaries, a fifth of the size as bytes.
#[derive(Default)]
pub(super) struct Written {
    bytes: Vec<u8>,
    /// Object number, start and end in `bytes`.
    objects: Vec<(u32, usize, usize)>,
}

impl Written {
    pub(super) fn add(&mut self, id: ObjectId, object: &Object) {
        let start = self.bytes.len();
        write_object(&mut self.bytes, object);
        self.objects.push((id.0, start, self.bytes.len()));
    }
}

/// An object to pack into an object stream.
enum Packed<'a> {
    Object(&'a Object),
    Bytes(&'a [u8]),
}

/// Serializes `pdf` (whose streams are already compressed as wanted) and the objects in `written`.
pub(super) fn serialize(pdf: &Document, written: &Written) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(64 * 1024);
    out.extend_from_slice(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n");
    let highest = pdf.objects.keys().map(|id| id.0).chain(written.objects.iter().map(|o| o.0)).max().unwrap_or(0).max(pdf.max_id);
    let mut next_id = highest + 1;
    let mut entries = vec![Entry::Free; next_id as usize];
    let mut packed: Vec<(u32, Packed)> = written.objects.iter().map(|&(id, start, end)| (id, Packed::Bytes(&written.bytes[start..end]))).collect();
    for (&id, object) in &pdf.objects {
        match object {
            Object::Stream(stream) => {
                entries[id.0 as usize] = Entry::Direct(out.len());
                write_stream(&mut out, id.0, &stream.dict, &stream.content);
            }
            // Generation 0 is all this writer makes; object streams hold no other.
            _ => packed.push((id.0, Packed::Object(object))),
        }
    }
    packed.sort_by_key(|&(id, _)| id);
    let mut header = Vec::new();
    let mut body = Vec::new();
    for chunk in packed.chunks(OBJECTS_PER_STREAM) {
        let stream_id = next_id;
        next_id += 1;
        header.clear();
        body.clear();
        for (index, (id, object)) in chunk.iter().enumerate() {
            entries[*id as usize] = Entry::Packed(stream_id, index as u16);
            write!(header, "{} {} ", id, body.len())?;
            match object {
                Packed::Object(object) => write_object(&mut body, object),
                Packed::Bytes(bytes) => body.extend_from_slice(bytes),
            }
            body.push(b'\n');
        }
        let first = header.len();
        header.extend_from_slice(&body);
        let content = compress(&header)?;
        let mut dict = Dictionary::new();
        dict.set("Type", Object::Name(b"ObjStm".to_vec()));
        dict.set("N", Object::Integer(chunk.len() as i64));
        dict.set("First", Object::Integer(first as i64));
        dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
        entries.push(Entry::Direct(out.len()));
        write_stream(&mut out, stream_id, &dict, &content);
    }

    // The cross-reference stream: one row per object, type (1 byte), offset or
    // object stream (4 bytes), generation or index (2 bytes).
    let xref_id = next_id;
    let xref_offset = out.len();
    entries.push(Entry::Direct(xref_offset));
    let mut rows = Vec::with_capacity(entries.len() * 7);
    for entry in &entries {
        let (kind, field, small) = match *entry {
            Entry::Free => (0u8, 0u32, 0xFFFFu16),
            Entry::Direct(offset) => (1, u32::try_from(offset).map_err(|_| std::io::Error::other("the PDF is larger than 4 GB"))?, 0),
            Entry::Packed(stream, index) => (2, stream, index),
        };
        rows.push(kind);
        rows.extend_from_slice(&field.to_be_bytes());
        rows.extend_from_slice(&small.to_be_bytes());
    }
    // The first free entry heads the free list with generation 65535.
    let id = super::finish::content_id(&out);
    let mut dict = Dictionary::new();
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("Size", Object::Integer(entries.len() as i64));
    dict.set("W", Object::Array(vec![Object::Integer(1), Object::Integer(4), Object::Integer(2)]));
    for key in [&b"Root"[..], b"Info"] {
        if let Ok(value) = pdf.trailer.get(key) {
            dict.set(key.to_vec(), value.clone());
        }
    }
    let id = Object::String(id.to_vec(), StringFormat::Hexadecimal);
    dict.set("ID", Object::Array(vec![id.clone(), id]));
    dict.set("Filter", Object::Name(b"FlateDecode".to_vec()));
    write_stream(&mut out, xref_id, &dict, &compress(&rows)?);
    write!(out, "startxref\n{xref_offset}\n%%EOF\n")?;
    Ok(out)
}

fn compress(bytes: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::with_capacity(bytes.len() / 3), flate2::Compression::default());
    encoder.write_all(bytes)?;
    encoder.finish()
}

fn write_stream(out: &mut Vec<u8>, id: u32, dict: &Dictionary, content: &[u8]) {
    let _ = write!(out, "{id} 0 obj\n<<");
    for (key, value) in dict {
        if key.as_slice() != b"Length" {
            write_name(out, key);
            write_separated(out, value);
        }
    }
    let _ = writeln!(out, "/Length {}>>stream", content.len());
    out.extend_from_slice(content);
    out.extend_from_slice(b"\nendstream\nendobj\n");
}

/// Writes `value` after a name, with a space only where the two would run together.
fn write_separated(out: &mut Vec<u8>, value: &Object) {
    if matches!(value, Object::Null | Object::Boolean(_) | Object::Integer(_) | Object::Real(_) | Object::Reference(_)) {
        out.push(b' ');
    }
    write_object(out, value);
}

fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => {
            let _ = write!(out, "{i}");
        }
        Object::Real(r) => number(out, *r),
        Object::Name(name) => write_name(out, name),
        Object::String(text, StringFormat::Literal) => {
            out.push(b'(');
            for &byte in text {
                match byte {
                    b'(' | b')' | b'\\' => out.extend_from_slice(&[b'\\', byte]),
                    // An end of line inside a literal string would be read as a line feed.
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(byte),
                }
            }
            out.push(b')');
        }
        Object::String(bytes, StringFormat::Hexadecimal) => {
            out.push(b'<');
            for &byte in bytes {
                out.extend_from_slice(&HEX[usize::from(byte)]);
            }
            out.push(b'>');
        }
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => {
            out.extend_from_slice(b"<<");
            for (key, value) in dict {
                write_name(out, key);
                write_separated(out, value);
            }
            out.extend_from_slice(b">>");
        }
        Object::Reference((id, generation)) => {
            let _ = write!(out, "{id} {generation} R");
        }
        // A stream inside another object is not valid PDF; `serialize` writes streams
        // as objects of their own, and nothing here nests one.
        Object::Stream(stream) => write_object(out, &Object::Dictionary(stream.dict.clone())),
    }
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &byte in name {
        // Delimiters, white space and bytes outside the printable range are written as #XX.
        if b" \t\n\r\x0C()<>[]{}/%#".contains(&byte) || !(33..=126).contains(&byte) {
            out.push(b'#');
            out.extend_from_slice(&HEX[usize::from(byte)]);
        } else {
            out.push(byte);
        }
    }
}

/// Upper-case hexadecimal digits of every byte.
static HEX: [[u8; 2]; 256] = {
    let digits = *b"0123456789ABCDEF";
    let mut table = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        table[i] = [digits[i >> 4], digits[i & 15]];
        i += 1;
    }
    table
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_reads_back_with_every_object() {
        let mut pdf = Document::with_version("1.7");
        let pages = pdf.new_object_id();
        let mut catalog = Dictionary::new();
        catalog.set("Type", Object::Name(b"Catalog".to_vec()));
        catalog.set("Pages", Object::Reference(pages));
        let catalog = pdf.add_object(catalog);
        let mut tree = Dictionary::new();
        tree.set("Type", Object::Name(b"Pages".to_vec()));
        tree.set("Kids", Object::Array(vec![]));
        tree.set("Count", Object::Integer(0));
        pdf.objects.insert(pages, Object::Dictionary(tree));
        let mut odd = Dictionary::new();
        odd.set("Name with space", Object::String(b"a (b) \\ c\r".to_vec(), StringFormat::Literal));
        odd.set("Real", Object::Real(-0.25));
        let odd = pdf.add_object(odd);
        let stream = pdf.add_object(lopdf::Stream::new(Dictionary::new(), b"0 0 m".to_vec()));
        pdf.trailer.set("Root", Object::Reference(catalog));
        let mut written = Written::default();
        let late = pdf.new_object_id();
        written.add(late, &Object::Array(vec![Object::Integer(7), Object::Name(b"X".to_vec())]));
        let bytes = serialize(&pdf, &written).unwrap();
        let read = Document::load_mem(&bytes).unwrap();
        let odd = read.get_dictionary(odd).unwrap();
        assert_eq!(odd.get(b"Name with space").unwrap().as_str().unwrap(), b"a (b) \\ c\r");
        assert_eq!(odd.get(b"Real").unwrap().as_float().unwrap(), -0.25);
        assert_eq!(read.get_object(stream).unwrap().as_stream().unwrap().content, b"0 0 m");
        assert_eq!(read.catalog().unwrap().get(b"Pages").unwrap().as_reference().unwrap(), pages);
        assert_eq!(read.get_object(late).unwrap().as_array().unwrap().len(), 2);
        assert_eq!(bytes, serialize(&pdf, &written).unwrap(), "the same objects give the same bytes");
    }
}
