//! Embedding the faces a layout uses: each subset to the glyphs it draws (by
//! printpdf's subsetter), as a Type 0 font with Identity-H codes, the widths the
//! page writer's offsets are measured against, and a ToUnicode map for copying
//! text out. Also the per-document table the page writer looks glyphs up in.

use std::collections::BTreeMap;
use std::sync::Arc;

use lopdf::{Dictionary, Document, Object, Stream, StringFormat};
use printpdf::{FontId, ParsedFont};

use super::PdfError;
use crate::fonts::{Face, FontSet};

/// What the page writer needs of each glyph the layout placed, looked up once per
/// document rather than once per glyph drawn.
pub(super) struct GlyphTable {
    /// By face index, then glyph id.
    faces: Vec<Vec<Option<GlyphInfo>>>,
    /// By face index: the code and width of the face's space, for the invisible
    /// spaces between runs.
    spaces: Vec<Option<(u16, f32)>>,
}

pub(super) struct GlyphInfo {
    /// The text the glyph copies out as.
    pub(super) text: Arc<str>,
    /// The two-byte code the content stream shows it with.
    pub(super) code: u16,
    /// Its width as the font's /W gives it, in whole thousandths of an em.
    pub(super) natural: f32,
}

impl GlyphTable {
    pub(super) fn get(&self, face: Face, gid: u16) -> Option<&GlyphInfo> {
        self.faces.get(face.index())?.get(usize::from(gid))?.as_ref()
    }

    /// The code and width of `face`'s space, if the font has one.
    pub(super) fn space(&self, face: Face) -> Option<(u16, f32)> {
        self.spaces.get(face.index()).copied().flatten()
    }
}

/// A glyph's advance in whole thousandths of an em, truncated, as /W gives it.
fn natural_advance(font: &ParsedFont, gid: u16) -> f32 {
    let upm = f32::from(font.font_metrics.units_per_em.max(1));
    (f32::from(font.get_horizontal_advance(gid)) * 1000.0 / upm).trunc()
}

/// Embeds every face `glyph_text` names, and returns the glyph table and the
/// font resources (resource name → font dictionary).
pub(super) fn embed(pdf: &mut Document, glyph_text: &BTreeMap<(Face, u16), Arc<str>>, fonts: &FontSet) -> Result<(GlyphTable, Dictionary), PdfError> {
    let mut table = GlyphTable { faces: Vec::new(), spaces: Vec::new() };
    let mut resources = Dictionary::new();
    let mut by_face: BTreeMap<Face, BTreeMap<u16, String>> = BTreeMap::new();
    for (&(face, gid), text) in glyph_text {
        by_face.entry(face).or_default().insert(gid, text.to_string());
    }
    // In the order of their tags, not of their places in the font set: an installed
    // face's place depends on what the set found before, its tag only on its file.
    let mut by_face: Vec<_> = by_face.into_iter().collect();
    by_face.sort_by(|(a, _), (b, _)| fonts.pdf_tag(*a).cmp(fonts.pdf_tag(*b)));
    for (face, mut usage) in by_face {
        let font = fonts.parsed(face);
        let tag = fonts.pdf_tag(face);
        // The invisible space between runs is drawn with the face's own space.
        let space = font.lookup_glyph_index(u32::from(' '));
        if let Some(gid) = space {
            usage.entry(gid).or_insert_with(|| " ".to_string());
        }
        let subset = printpdf::subset_font(font, &usage).map_err(|e| PdfError::Write(format!("the font {tag} could not be subset: {e}")))?;
        // A CID-keyed CFF subset keeps the original font's CIDs, which viewers resolve
        // codes through; everything else is shown by its new glyph id.
        let cids = printpdf::cff_charset_gid_to_cid_map(&subset.bytes, 0);
        // Code, width in /W, and the text it copies out as.
        let mut coded: Vec<(u16, f32, String)> = Vec::with_capacity(subset.glyph_mapping.len());
        let index = face.index();
        if table.faces.len() <= index {
            table.faces.resize_with(index + 1, Vec::new);
            table.spaces.resize(index + 1, None);
        }
        let face_table = &mut table.faces[index];
        for (&original, (new, text)) in &subset.glyph_mapping {
            let code = cids.as_ref().and_then(|m| m.get(new).copied()).unwrap_or(*new);
            let natural = natural_advance(font, original);
            if face_table.len() <= usize::from(original) {
                face_table.resize_with(usize::from(original) + 1, || None);
            }
            let shared = glyph_text.get(&(face, original)).cloned().unwrap_or_else(|| Arc::from(text.as_str()));
            face_table[usize::from(original)] = Some(GlyphInfo { text: shared, code, natural });
            coded.push((code, natural, text.clone()));
            if Some(original) == space {
                table.spaces[index] = Some((code, natural));
            }
        }
        // /W runs and ToUnicode ranges need ascending codes.
        coded.sort_by_key(|&(code, ..)| code);
        let widths = width_array(&coded);
        let to_unicode: Vec<(u16, String)> = coded.into_iter().map(|(code, _, text)| (code, text)).collect();
        let cmap = printpdf::generate_cmap_string(font, &FontId(tag.to_string()), &to_unicode);
        let dictionary = font_dictionary(pdf, font, tag, &subset.bytes, widths, cmap.into_bytes());
        resources.set(tag.as_bytes().to_vec(), Object::Reference(pdf.add_object(dictionary)));
    }
    Ok((table, resources))
}

/// The CID font's /W array: runs of consecutive codes, each with its widths.
fn width_array(coded: &[(u16, f32, String)]) -> Vec<Object> {
    let mut array = Vec::new();
    let mut run: Vec<Object> = Vec::new();
    let mut run_start = 0u16;
    let mut previous = None;
    for &(code, natural, _) in coded {
        if previous.is_none_or(|p: u16| p.checked_add(1) != Some(code)) {
            if !run.is_empty() {
                array.push(Object::Integer(i64::from(run_start)));
                array.push(Object::Array(std::mem::take(&mut run)));
            }
            run_start = code;
        }
        run.push(Object::Integer(natural as i64));
        previous = Some(code);
    }
    if !run.is_empty() {
        array.push(Object::Integer(i64::from(run_start)));
        array.push(Object::Array(run));
    }
    array
}

fn name(n: &str) -> Object {
    Object::Name(n.as_bytes().to_vec())
}

/// The Type 0 font for a subset `program` of `font`, its descendant CID font,
/// descriptor and font file.
fn font_dictionary(pdf: &mut Document, font: &ParsedFont, tag: &str, program: &[u8], widths: Vec<Object>, to_unicode: Vec<u8>) -> Dictionary {
    let base_name = font.font_name.clone().unwrap_or_else(|| tag.to_string());
    // The subset prefix is six capital letters (ISO 32000-1, 9.6.4).
    let face_name = format!("{}+{}", tag.get(..6).unwrap_or(tag), base_name.replace(|c: char| !c.is_ascii_graphic() || "()<>[]{}/%#".contains(c), ""));
    // What the embedded bytes really are decides the subtype: a bare CID-keyed CFF
    // table, a whole OpenType (CFF) font, or TrueType outlines.
    let (subtype, file_key, file) = if let Some(cff) = printpdf::extract_cid_keyed_cff(program, 0) {
        let mut dict = Dictionary::new();
        dict.set("Subtype", name("CIDFontType0C"));
        ("CIDFontType0", "FontFile3", Stream::new(dict, cff))
    } else if program.starts_with(b"OTTO") {
        let mut dict = Dictionary::new();
        dict.set("Subtype", name("OpenType"));
        ("CIDFontType0", "FontFile3", Stream::new(dict, program.to_vec()))
    } else {
        let mut dict = Dictionary::new();
        dict.set("Length1", Object::Integer(program.len() as i64));
        ("CIDFontType2", "FontFile2", Stream::new(dict, program.to_vec()))
    };
    let file = pdf.add_object(file);

    // Descriptor metrics are in thousandths of an em; the tables give font units.
    let metrics = &font.pdf_font_metrics;
    let scale = 1000.0 / f32::from(metrics.units_per_em.max(1));
    let scaled = |v: f32| Object::Integer((v * scale).round() as i64);
    let ascent = font.font_metrics.ascent;
    let italic_angle =
        if metrics.caret_slope_rise == 0 { 0 } else { (-f32::from(metrics.caret_slope_run).atan2(f32::from(metrics.caret_slope_rise)).to_degrees()).round() as i64 };
    // Non-symbolic, and italic when the caret leans.
    let flags = (1 << 5) | if italic_angle != 0 { 1 << 6 } else { 0 };
    // No table gives the stem width: estimated from the weight, as producers do.
    let stem_v = if metrics.us_weight_class == 0 { 80 } else { 50 + (f32::from(metrics.us_weight_class) / 65.0).powi(2).round() as i64 };
    let mut descriptor = Dictionary::new();
    descriptor.set("Type", name("FontDescriptor"));
    descriptor.set("FontName", name(&face_name));
    descriptor.set("Ascent", scaled(ascent));
    descriptor.set("Descent", scaled(font.font_metrics.descent));
    descriptor.set("CapHeight", scaled(font.font_metrics.cap_height.unwrap_or(ascent)));
    descriptor.set("ItalicAngle", Object::Integer(italic_angle));
    descriptor.set("Flags", Object::Integer(flags));
    descriptor.set("StemV", Object::Integer(stem_v));
    descriptor.set(
        "FontBBox",
        Object::Array([metrics.x_min, metrics.y_min, metrics.x_max, metrics.y_max].into_iter().map(|v| scaled(f32::from(v))).collect()),
    );
    descriptor.set(file_key, Object::Reference(file));
    let descriptor = pdf.add_object(descriptor);

    let mut system = Dictionary::new();
    system.set("Registry", Object::String(b"Adobe".to_vec(), StringFormat::Literal));
    system.set("Ordering", Object::String(b"Identity".to_vec(), StringFormat::Literal));
    system.set("Supplement", Object::Integer(0));
    let mut descendant = Dictionary::new();
    descendant.set("Type", name("Font"));
    descendant.set("Subtype", name(subtype));
    descendant.set("BaseFont", name(&face_name));
    descendant.set("CIDSystemInfo", Object::Dictionary(system));
    descendant.set("FontDescriptor", Object::Reference(descriptor));
    descendant.set("DW", Object::Integer(1000));
    descendant.set("W", Object::Array(widths));
    if subtype == "CIDFontType2" {
        descendant.set("CIDToGIDMap", name("Identity"));
    }
    let to_unicode = pdf.add_object(Stream::new(Dictionary::new(), to_unicode));

    let mut dict = Dictionary::new();
    dict.set("Type", name("Font"));
    dict.set("Subtype", name("Type0"));
    dict.set("BaseFont", name(&face_name));
    dict.set("Encoding", name("Identity-H"));
    dict.set("DescendantFonts", Object::Array(vec![Object::Dictionary(descendant)]));
    dict.set("ToUnicode", Object::Reference(to_unicode));
    dict
}
