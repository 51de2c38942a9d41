//! Reading a PDF back the way a viewer would, for the typesetter's tests:
//! pages, link annotations, the outline, the Info dictionary and fonts with
//! lopdf; the text of each page with poppler's `pdftotext`.

use std::collections::BTreeMap;
use std::process::Command;

use lopdf::{Dictionary, Document, Object, ObjectId};

/// A parsed PDF and its bytes.
pub(crate) struct Pdf {
    pub(crate) doc: Document,
    pub(crate) bytes: Vec<u8>,
}

impl Pdf {
    pub(crate) fn parse(bytes: &[u8]) -> Pdf {
        assert!(bytes.starts_with(b"%PDF-"), "not a PDF: starts with {:?}", &bytes[..bytes.len().min(8)]);
        let doc = Document::load_mem(bytes).expect("lopdf cannot parse the PDF");
        Pdf { doc, bytes: bytes.to_vec() }
    }

    pub(crate) fn page_count(&self) -> usize {
        self.doc.get_pages().len()
    }

    /// Page object ids in order (index 0 = page 1).
    pub(crate) fn page_ids(&self) -> Vec<ObjectId> {
        self.doc.get_pages().into_values().collect()
    }

    /// 1-based page number of a page object.
    pub(crate) fn page_number_of(&self, id: ObjectId) -> Option<usize> {
        self.page_ids().iter().position(|&p| p == id).map(|i| i + 1)
    }

    fn resolve<'a>(&'a self, object: &'a Object) -> &'a Object {
        match object {
            Object::Reference(id) => self.doc.get_object(*id).unwrap_or(object),
            other => other,
        }
    }

    fn dict<'a>(&'a self, object: &'a Object) -> Option<&'a Dictionary> {
        self.resolve(object).as_dict().ok()
    }

    /// The page's size from its /MediaBox: width and height in points.
    pub(crate) fn page_size(&self, page: usize) -> (f32, f32) {
        let id = self.page_ids()[page - 1];
        let dict = self.doc.get_dictionary(id).unwrap();
        let media = self.resolve(dict.get(b"MediaBox").expect("page has no MediaBox")).as_array().unwrap();
        let n: Vec<f32> = media.iter().map(|o| number(self.resolve(o))).collect();
        (n[2] - n[0], n[3] - n[1])
    }

    /// The link annotations of page `page` (1-based).
    pub(crate) fn links(&self, page: usize) -> Vec<Annotation> {
        let id = self.page_ids()[page - 1];
        let dict = self.doc.get_dictionary(id).unwrap();
        let Ok(annots) = dict.get(b"Annots") else { return Vec::new() };
        let annots = self.resolve(annots).as_array().expect("/Annots is not an array");
        let mut out = Vec::new();
        for a in annots {
            let a = self.dict(a).expect("an annotation is not a dictionary");
            if a.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Link".as_slice()) {
                continue;
            }
            let rect: Vec<f32> = self.resolve(a.get(b"Rect").unwrap()).as_array().unwrap().iter().map(|o| number(self.resolve(o))).collect();
            let border = a.get(b"Border").ok().map(|b| self.resolve(b).as_array().unwrap().iter().map(|o| number(self.resolve(o))).collect());
            let mut target = Target::None;
            if let Some(action) = a.get(b"A").ok().and_then(|o| self.dict(o)) {
                match action.get(b"S").and_then(Object::as_name).ok() {
                    Some(b"URI") => {
                        let uri = self.resolve(action.get(b"URI").unwrap()).as_str().unwrap();
                        target = Target::Uri(String::from_utf8(uri.to_vec()).unwrap());
                    }
                    Some(b"GoTo") => target = self.destination(action.get(b"D").unwrap()),
                    other => panic!("unexpected action {:?}", other.map(String::from_utf8_lossy)),
                }
            } else if let Ok(dest) = a.get(b"Dest") {
                target = self.destination(dest);
            }
            out.push(Annotation { rect: [rect[0], rect[1], rect[2], rect[3]], border, target });
        }
        out
    }

    /// An explicit destination `[page /XYZ left top zoom]`.
    fn destination(&self, dest: &Object) -> Target {
        let array = self.resolve(dest).as_array().expect("destination is not an explicit array");
        let page_id = array[0].as_reference().expect("destination does not name a page object");
        let page = self.page_number_of(page_id).expect("destination names an object that is not a page");
        assert_eq!(array[1].as_name().unwrap(), b"XYZ", "destination kind");
        let top = match self.resolve(&array[3]) {
            Object::Null => None,
            o => Some(number(o)),
        };
        Target::Page { page, top }
    }

    /// The outline (bookmarks), depth first in document order.
    pub(crate) fn outline(&self) -> Vec<Bookmark> {
        let catalog = self.doc.catalog().unwrap();
        let Ok(root) = catalog.get(b"Outlines") else { return Vec::new() };
        let root_id = root.as_reference().ok();
        let root = self.dict(root).expect("/Outlines is not a dictionary");
        let mut out = Vec::new();
        if let Ok(first) = root.get(b"First") {
            self.walk(first.as_reference().unwrap(), 0, &mut out, root_id);
        }
        out
    }

    fn walk(&self, mut id: ObjectId, depth: usize, out: &mut Vec<Bookmark>, parent: Option<ObjectId>) {
        let mut seen = 0;
        loop {
            seen += 1;
            assert!(seen < 10_000, "outline loops");
            let item = self.doc.get_dictionary(id).unwrap();
            if let Some(parent) = parent {
                assert_eq!(item.get(b"Parent").unwrap().as_reference().unwrap(), parent, "outline item's /Parent");
            }
            let raw = self.resolve(item.get(b"Title").unwrap()).as_str().unwrap();
            let target = match item.get(b"Dest") {
                Ok(d) => self.destination(d),
                Err(_) => match item.get(b"A").ok().and_then(|a| self.dict(a)) {
                    Some(a) => self.destination(a.get(b"D").unwrap()),
                    None => Target::None,
                },
            };
            let page = match target {
                Target::Page { page, .. } => Some(page),
                _ => None,
            };
            out.push(Bookmark { title: pdf_string(raw), raw_title: raw.to_vec(), depth, page });
            if let Ok(first) = item.get(b"First") {
                self.walk(first.as_reference().unwrap(), depth + 1, out, Some(id));
            }
            match item.get(b"Next") {
                Ok(next) => id = next.as_reference().unwrap(),
                Err(_) => break,
            }
        }
    }

    /// The document Info dictionary, strings decoded.
    pub(crate) fn info(&self) -> BTreeMap<String, String> {
        let mut out = BTreeMap::new();
        let Ok(info) = self.doc.trailer.get(b"Info") else { return out };
        let info = self.dict(info).expect("/Info is not a dictionary");
        for (key, value) in info.iter() {
            let value = match self.resolve(value) {
                Object::String(bytes, _) => pdf_string(bytes),
                Object::Name(n) => String::from_utf8_lossy(n).into_owned(),
                other => format!("{other:?}"),
            };
            out.insert(String::from_utf8_lossy(key).into_owned(), value);
        }
        out
    }

    /// Every font used by any page, with what is embedded.
    pub(crate) fn fonts(&self) -> Vec<FontInfo> {
        let mut seen: BTreeMap<String, FontInfo> = BTreeMap::new();
        for id in self.page_ids() {
            for (_, font) in self.doc.get_page_fonts(id).unwrap() {
                let base_font = String::from_utf8_lossy(font.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned();
                let subtype = String::from_utf8_lossy(font.get(b"Subtype").unwrap().as_name().unwrap()).into_owned();
                let to_unicode = font.has(b"ToUnicode");
                // Type0 fonts keep the descriptor in their descendant font.
                let descriptor_owner = match font.get(b"DescendantFonts") {
                    Ok(d) => self.dict(&self.resolve(d).as_array().unwrap()[0]).unwrap(),
                    Err(_) => font,
                };
                let descriptor = descriptor_owner.get(b"FontDescriptor").ok().and_then(|d| self.dict(d));
                let mut embedded_len = None;
                if let Some(descriptor) = descriptor {
                    for key in [b"FontFile2".as_slice(), b"FontFile3", b"FontFile"] {
                        if let Ok(file) = descriptor.get(key) {
                            let stream = self.resolve(file).as_stream().unwrap();
                            let content = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
                            embedded_len = Some(content.len());
                        }
                    }
                }
                seen.entry(base_font.clone()).or_insert(FontInfo { base_font, subtype, to_unicode, embedded_len });
            }
        }
        seen.into_values().collect()
    }

    /// Image XObjects used by page `page` (1-based): width, height and filter.
    pub(crate) fn images(&self, page: usize) -> Vec<(i64, i64, Option<String>)> {
        let id = self.page_ids()[page - 1];
        self.doc
            .get_page_images(id)
            .unwrap()
            .iter()
            .map(|img| {
                let filter = img.filters.as_ref().and_then(|f| f.first().cloned());
                (img.width, img.height, filter)
            })
            .collect()
    }

    /// Each page's content stream, decompressed: the drawing operators.
    pub(crate) fn content_streams(&self) -> Vec<Vec<u8>> {
        self.page_ids().into_iter().map(|id| self.doc.get_page_content(id)).collect()
    }

    /// What poppler's `pdftotext` says about the file: `Ok` when it reads it
    /// without complaint, else its exit status and messages.
    pub(crate) fn poppler_verdict(&self) -> Result<(), String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        std::fs::write(&path, &self.bytes).unwrap();
        let out = Command::new("pdftotext")
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) must be installed: run `make deps`");
        let complaints = String::from_utf8_lossy(&out.stderr).into_owned();
        if out.status.success() && complaints.trim().is_empty() {
            Ok(())
        } else {
            Err(format!("{}: {complaints}", out.status))
        }
    }

    /// The text of each page, as `pdftotext -layout` copies it out.
    pub(crate) fn page_texts(&self) -> Vec<String> {
        self.pdftotext_pages("-layout")
    }

    /// The text of each page in the order it is drawn (`pdftotext -raw`): what
    /// is painted first, such as a watermark, comes first.
    pub(crate) fn drawn_page_texts(&self) -> Vec<String> {
        self.pdftotext_pages("-raw")
    }

    fn pdftotext_pages(&self, mode: &str) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.pdf");
        std::fs::write(&path, &self.bytes).unwrap();
        let out = Command::new("pdftotext")
            .args([mode, "-enc", "UTF-8"])
            .arg(&path)
            .arg("-")
            .output()
            .expect("pdftotext (poppler-utils) must be installed: run `make deps`");
        assert!(out.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&out.stderr));
        let text = String::from_utf8(out.stdout).expect("pdftotext gave invalid UTF-8");
        // pdftotext ends every page with a form feed.
        let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
        if pages.last().is_some_and(|p| p.trim().is_empty()) {
            pages.pop();
        }
        assert_eq!(pages.len(), self.page_count(), "pdftotext pages vs page tree");
        pages
    }
}

/// A number object as f32.
pub(crate) fn number(o: &Object) -> f32 {
    match o {
        Object::Integer(i) => *i as f32,
        Object::Real(r) => *r,
        other => panic!("not a number: {other:?}"),
    }
}

/// A PDF text string: UTF-16BE with a byte-order mark, else PDFDocEncoding (ASCII here).
pub(crate) fn pdf_string(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        let units: Vec<u16> = rest.chunks(2).map(|c| u16::from_be_bytes([c[0], *c.get(1).unwrap_or(&0)])).collect();
        String::from_utf16(&units).expect("invalid UTF-16 in a text string")
    } else {
        bytes.iter().map(|&b| char::from(b)).collect()
    }
}

/// A link annotation: its rectangle in PDF space (x1, y1, x2, y2), border and target.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Annotation {
    pub(crate) rect: [f32; 4],
    pub(crate) border: Option<Vec<f32>>,
    pub(crate) target: Target,
}

/// Where a link or bookmark goes.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Target {
    Uri(String),
    /// 1-based page and the /XYZ top.
    Page { page: usize, top: Option<f32> },
    None,
}

/// One outline item.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Bookmark {
    pub(crate) title: String,
    pub(crate) raw_title: Vec<u8>,
    /// 0 for top-level items.
    pub(crate) depth: usize,
    /// 1-based page it opens.
    pub(crate) page: Option<usize>,
}

/// One font resource.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FontInfo {
    pub(crate) base_font: String,
    pub(crate) subtype: String,
    pub(crate) to_unicode: bool,
    /// Decompressed size of the embedded font program, if embedded.
    pub(crate) embedded_len: Option<usize>,
}

impl FontInfo {
    /// Whether the name carries a subset tag: six capital letters and `+`.
    pub(crate) fn subset_tagged(&self) -> bool {
        let b = self.base_font.as_bytes();
        b.len() > 7 && b[..6].iter().all(u8::is_ascii_uppercase) && b[6] == b'+'
    }

    /// The name without its subset tag.
    pub(crate) fn family(&self) -> &str {
        if self.subset_tagged() {
            &self.base_font[7..]
        } else {
            &self.base_font
        }
    }
}
