//! The fonts that ship with Briefpack, and text shaping with them.
//!
//! Six faces make a set, embedded in the binary: Noto Serif regular, bold,
//! italic and bold italic for text ([`FontSet::bundled`]; Noto Sans in the
//! accessible style's set, [`FontSet::bundled_sans`]), and JetBrains Mono regular
//! and bold for code and for symbols the text face lacks. [`FontSet::shape`] turns a piece of text into
//! glyphs with kerning and ligatures applied, choosing a fallback face per
//! character; the layout stage measures with it and the PDF stage writes
//! exactly those glyphs, so what is measured is what is drawn.

use std::fmt;
use std::sync::Arc;

use azul_layout::text3::cache::{BidiDirection, StyleProperties};
use azul_layout::text3::default::shape_text_for_parsed_font;
use azul_layout::text3::script::{Language, Script};
use printpdf::ParsedFont;

/// One of the bundled faces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Face {
    /// Body text.
    Regular,
    /// Strong text and headings.
    Bold,
    /// Emphasis.
    Italic,
    /// Strong emphasis.
    BoldItalic,
    /// Code.
    Mono,
    /// Bold code.
    MonoBold,
}

impl Face {
    /// Every face, in the order they are stored.
    pub const ALL: [Face; 6] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic, Face::Mono, Face::MonoBold];

    fn index(self) -> usize {
        self as usize
    }

    /// The face with bold added.
    pub fn bolder(self) -> Face {
        match self {
            Face::Regular => Face::Bold,
            Face::Italic => Face::BoldItalic,
            Face::Mono => Face::MonoBold,
            other => other,
        }
    }

    /// The face with italic added (monospace has no italic and stays upright).
    pub fn italicised(self) -> Face {
        match self {
            Face::Regular => Face::Italic,
            Face::Bold => Face::BoldItalic,
            other => other,
        }
    }

    /// The face to fall back to for characters this face lacks.
    fn fallback(self) -> Face {
        match self {
            Face::Bold | Face::BoldItalic | Face::MonoBold => Face::MonoBold,
            _ => Face::Mono,
        }
    }

    /// A short fixed tag used as the PDF font resource name and subset prefix.
    pub fn pdf_tag(self) -> &'static str {
        match self {
            Face::Regular => "BPSERA",
            Face::Bold => "BPSERB",
            Face::Italic => "BPSERI",
            Face::BoldItalic => "BPSERJ",
            Face::Mono => "BPMONA",
            Face::MonoBold => "BPMONB",
        }
    }
}

const FONT_FILES: [(&str, &[u8]); 6] = [
    ("NotoSerif-Regular.ttf", include_bytes!("../../../assets/fonts/NotoSerif-Regular.ttf")),
    ("NotoSerif-Bold.ttf", include_bytes!("../../../assets/fonts/NotoSerif-Bold.ttf")),
    ("NotoSerif-Italic.ttf", include_bytes!("../../../assets/fonts/NotoSerif-Italic.ttf")),
    ("NotoSerif-BoldItalic.ttf", include_bytes!("../../../assets/fonts/NotoSerif-BoldItalic.ttf")),
    ("JetBrainsMono-Regular.ttf", include_bytes!("../../../assets/fonts/JetBrainsMono-Regular.ttf")),
    ("JetBrainsMono-Bold.ttf", include_bytes!("../../../assets/fonts/JetBrainsMono-Bold.ttf")),
];

/// The sans-serif family of the accessible style: Noto Sans for text, the same mono.
const SANS_FONT_FILES: [(&str, &[u8]); 6] = [
    ("NotoSans-Regular.ttf", include_bytes!("../../../assets/fonts/NotoSans-Regular.ttf")),
    ("NotoSans-Bold.ttf", include_bytes!("../../../assets/fonts/NotoSans-Bold.ttf")),
    ("NotoSans-Italic.ttf", include_bytes!("../../../assets/fonts/NotoSans-Italic.ttf")),
    ("NotoSans-BoldItalic.ttf", include_bytes!("../../../assets/fonts/NotoSans-BoldItalic.ttf")),
    FONT_FILES[4],
    FONT_FILES[5],
];

/// Combining marks in a row past this many are shaped as separate runs. The
/// shaper positions each mark by looking back over the marks before it, so one
/// letter carrying 10,000 accents took 43 s; Unicode's stream-safe text format
/// (UAX #15) allows 30 in a row, and real text uses a handful.
const MARKS_PER_RUN: usize = 30;

/// Whether `c` is a combining mark (general category M: Mn, Mc or Me).
fn is_combining_mark(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory};
    !c.is_ascii()
        && matches!(
            get_general_category(c),
            GeneralCategory::NonspacingMark | GeneralCategory::SpacingMark | GeneralCategory::EnclosingMark
        )
}

/// A bundled font could not be read (a broken build, not a user error).
#[derive(Debug, thiserror::Error)]
#[error("the bundled font {0} could not be read")]
pub struct FontError(pub &'static str);

struct LoadedFace {
    font: ParsedFont,
    units_per_em: f32,
    /// Monospace faces are not shaped: JetBrains Mono's contextual alternates reuse one
    /// glyph for several character pairs, and a PDF glyph can copy out as one text only.
    shaped: bool,
}

/// The bundled faces, parsed once and shared by layout and PDF writing.
pub struct FontSet {
    faces: Vec<LoadedFace>,
}

impl fmt::Debug for FontSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("FontSet(bundled)")
    }
}

/// One glyph of shaped text.
#[derive(Debug, Clone, PartialEq)]
pub struct Glyph {
    /// Glyph id in its face.
    pub gid: u16,
    /// Advance including kerning, in em (multiply by the size in pt).
    pub advance: f32,
    /// The characters the glyph stands for ("fi" for a ligature), for copying text out.
    pub text: Arc<str>,
}

/// A run of glyphs in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct GlyphRun {
    /// The face the glyphs belong to.
    pub face: Face,
    /// The glyphs.
    pub glyphs: Vec<Glyph>,
}

/// Shaped text: one or more runs (more when a fallback face supplies characters).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shaped {
    /// The runs, in order.
    pub runs: Vec<GlyphRun>,
    /// Total advance in em.
    pub width: f32,
    /// Characters no bundled face has (drawn as an empty box).
    pub missing: Vec<char>,
}

impl FontSet {
    /// Parses the bundled fonts.
    pub fn bundled() -> Result<FontSet, FontError> {
        Self::load(&FONT_FILES)
    }

    /// Parses the bundled sans-serif family (Noto Sans with JetBrains Mono), which
    /// the accessible style sets text in.
    pub fn bundled_sans() -> Result<FontSet, FontError> {
        Self::load(&SANS_FONT_FILES)
    }

    fn load(files: &[(&'static str, &'static [u8]); 6]) -> Result<FontSet, FontError> {
        let mut faces = Vec::with_capacity(files.len());
        for (i, (name, bytes)) in files.iter().enumerate() {
            // Shared bytes and lazily loaded outlines: the font data is held once.
            let shared = Arc::new(rust_fontconfig::FontBytes::Owned(Arc::from(*bytes)));
            let font = azul_layout::ParsedFont::from_bytes_shared(shared, 0, &mut Vec::new()).ok_or(FontError(name))?;
            let font = ParsedFont::from(font);
            let units_per_em = f32::from(font.font_metrics.units_per_em);
            faces.push(LoadedFace { font, units_per_em, shaped: i < 4 });
        }
        Ok(FontSet { faces })
    }

    fn face(&self, face: Face) -> &LoadedFace {
        &self.faces[face.index()]
    }

    /// The parsed font, for embedding in a PDF.
    pub fn parsed(&self, face: Face) -> &ParsedFont {
        &self.face(face).font
    }

    /// Ascent above the baseline, in em.
    pub fn ascent(&self, face: Face) -> f32 {
        let f = self.face(face);
        f.font.font_metrics.ascent / f.units_per_em
    }

    /// Depth below the baseline, in em (positive).
    pub fn descent(&self, face: Face) -> f32 {
        let f = self.face(face);
        -f.font.font_metrics.descent / f.units_per_em
    }

    /// Whether `face` or its fallback can draw `c`.
    pub fn covers(&self, face: Face, c: char) -> bool {
        self.has(face, c) || self.has(face.fallback(), c)
    }

    fn has(&self, face: Face, c: char) -> bool {
        self.face(face).font.lookup_glyph_index(c as u32).is_some()
    }

    /// Characters of `text` that no bundled face can draw, each once, with the
    /// 1-based line and column of its first occurrence.
    pub fn uncovered(&self, text: &str) -> Vec<(char, usize, usize)> {
        let mut found: Vec<(char, usize, usize)> = Vec::new();
        for (line_index, line) in text.lines().enumerate() {
            for (column, c) in line.chars().enumerate() {
                if !c.is_control() && !self.covers(Face::Regular, c) && !found.iter().any(|f| f.0 == c) {
                    found.push((c, line_index + 1, column + 1));
                }
            }
        }
        found
    }

    /// Shapes `text` in `face`, with kerning and ligatures, falling back per
    /// character to a face that has it.
    pub fn shape(&self, face: Face, text: &str) -> Shaped {
        let mut shaped = Shaped::default();
        let mut start = 0;
        let mut current: Option<Face> = None;
        let mut marks_in_a_row = 0;
        for (i, c) in text.char_indices() {
            let wanted = if c == ' ' || self.has(face, c) || !self.has(face.fallback(), c) { face } else { face.fallback() };
            if !self.has(face, c) && !self.has(face.fallback(), c) && !c.is_whitespace() {
                shaped.missing.push(c);
            }
            marks_in_a_row = if is_combining_mark(c) { marks_in_a_row + 1 } else { 0 };
            let too_many_marks = marks_in_a_row > MARKS_PER_RUN && marks_in_a_row % MARKS_PER_RUN == 1;
            if current != Some(wanted) || too_many_marks {
                if let Some(prev) = current {
                    self.shape_run(prev, &text[start..i], &mut shaped);
                }
                start = i;
                current = Some(wanted);
            }
        }
        if let Some(prev) = current {
            self.shape_run(prev, &text[start..], &mut shaped);
        }
        shaped
    }

    fn shape_run(&self, face: Face, text: &str, out: &mut Shaped) {
        let loaded = self.face(face);
        let upm = loaded.units_per_em;
        let mut glyphs = Vec::with_capacity(text.len());
        let shaped = if loaded.shaped {
            // Shaping at 1 pt gives advances in em.
            let style = StyleProperties { font_size_px: 1.0, ..StyleProperties::default() };
            shape_text_for_parsed_font(&loaded.font, text, Script::Latin, Language::EnglishUS, BidiDirection::Ltr, &style).ok()
        } else {
            None
        };
        match shaped {
            Some(shaped) => {
                for g in shaped {
                    let start = g.logical_byte_index.min(text.len());
                    let end = (start + g.logical_byte_len).min(text.len());
                    glyphs.push(Glyph { gid: g.glyph_id, advance: g.advance + g.kerning, text: Arc::from(&text[start..end]) });
                }
            }
            None => {
                for c in text.chars() {
                    let gid = loaded.font.lookup_glyph_index(c as u32).unwrap_or(0);
                    let advance = f32::from(loaded.font.get_horizontal_advance(gid)) / upm;
                    glyphs.push(Glyph { gid, advance, text: Arc::from(c.to_string()) });
                }
            }
        }
        out.width += glyphs.iter().map(|g| g.advance).sum::<f32>();
        out.runs.push(GlyphRun { face, glyphs });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kerning_and_ligatures_are_applied_and_text_is_kept() {
        let fonts = FontSet::bundled().unwrap();
        let kerned = fonts.shape(Face::Regular, "AVATAR");
        let unkerned: f32 = "AVATAR".chars().map(|c| fonts.shape(Face::Regular, &c.to_string()).width).sum();
        assert!(kerned.width < unkerned - 0.05, "kerning: {} vs {}", kerned.width, unkerned);
        let office = fonts.shape(Face::Regular, "office");
        let glyphs = &office.runs[0].glyphs;
        assert!(glyphs.len() < 6, "expected a ligature in {glyphs:?}");
        assert_eq!(glyphs.iter().map(|g| &*g.text).collect::<String>(), "office");
    }

    #[test]
    fn symbols_the_serif_lacks_come_from_the_fallback() {
        let fonts = FontSet::bundled().unwrap();
        let s = fonts.shape(Face::Regular, "done ✓ ok");
        assert_eq!(s.runs.iter().map(|r| r.face).collect::<Vec<_>>(), vec![Face::Regular, Face::Mono, Face::Regular]);
        assert!(s.missing.is_empty());
        let s = fonts.shape(Face::Regular, "🦀");
        assert_eq!(s.missing, vec!['🦀']);
    }
}
