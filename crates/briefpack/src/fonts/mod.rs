//! The fonts that ship with Briefpack, the machine's fonts for other scripts,
//! and text shaping with them.
//!
//! Six faces make a set, embedded in the binary: Noto Serif regular, bold,
//! italic and bold italic for text ([`FontSet::bundled`]; Noto Sans in the
//! accessible style's set, [`FontSet::bundled_sans`]), and JetBrains Mono regular
//! and bold for code and for symbols the text face lacks. A character none of
//! them has (Japanese, Arabic, …) is drawn with an installed font found by
//! [`system`] ([`Face::Found`]). [`FontSet::shape`] turns a piece of text into
//! glyphs with HarfBuzz's shaping (rustybuzz): kerning, ligatures, Arabic
//! joining forms, right-to-left runs in visual order; the layout stage measures
//! with it and the PDF stage writes exactly those glyphs, so what is measured
//! is what is drawn.

pub mod system;

use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, OnceLock};

use printpdf::ParsedFont;

use system::{InstalledFace, Wanted};

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
    /// An installed font found for characters the bundled faces lack, by its
    /// place among those a [`FontSet`] has found.
    Found(u8),
}

/// Installed faces one [`FontSet`] may add: enough for every script in one document.
pub const MAX_FOUND_FACES: usize = 32;

impl Face {
    /// Every face, in the order they are stored.
    pub const ALL: [Face; 6] = [Face::Regular, Face::Bold, Face::Italic, Face::BoldItalic, Face::Mono, Face::MonoBold];

    /// The face's place in a set: bundled faces first, then found ones.
    pub fn index(self) -> usize {
        match self {
            Face::Regular => 0,
            Face::Bold => 1,
            Face::Italic => 2,
            Face::BoldItalic => 3,
            Face::Mono => 4,
            Face::MonoBold => 5,
            Face::Found(n) => 6 + usize::from(n),
        }
    }

    /// Whether the face is a bold one (a found face is asked for by weight).
    fn is_bold(self) -> bool {
        matches!(self, Face::Bold | Face::BoldItalic | Face::MonoBold)
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

    /// A short fixed tag used as the PDF font resource name and subset prefix
    /// of a bundled face (a found face's is [`FontSet::pdf_tag`]).
    fn bundled_tag(self) -> &'static str {
        match self {
            Face::Regular => "BPSERA",
            Face::Bold => "BPSERB",
            Face::Italic => "BPSERI",
            Face::BoldItalic => "BPSERJ",
            Face::Mono => "BPMONA",
            Face::MonoBold | Face::Found(_) => "BPMONB",
        }
    }
}

const FONT_FILES: [(&str, &[u8]); 6] = [
    ("NotoSerif-Regular.ttf", include_bytes!("../../../../assets/fonts/NotoSerif-Regular.ttf")),
    ("NotoSerif-Bold.ttf", include_bytes!("../../../../assets/fonts/NotoSerif-Bold.ttf")),
    ("NotoSerif-Italic.ttf", include_bytes!("../../../../assets/fonts/NotoSerif-Italic.ttf")),
    ("NotoSerif-BoldItalic.ttf", include_bytes!("../../../../assets/fonts/NotoSerif-BoldItalic.ttf")),
    ("JetBrainsMono-Regular.ttf", include_bytes!("../../../../assets/fonts/JetBrainsMono-Regular.ttf")),
    ("JetBrainsMono-Bold.ttf", include_bytes!("../../../../assets/fonts/JetBrainsMono-Bold.ttf")),
];

/// The sans-serif family of the accessible style: Noto Sans for text, the same mono.
const SANS_FONT_FILES: [(&str, &[u8]); 6] = [
    ("NotoSans-Regular.ttf", include_bytes!("../../../../assets/fonts/NotoSans-Regular.ttf")),
    ("NotoSans-Bold.ttf", include_bytes!("../../../../assets/fonts/NotoSans-Bold.ttf")),
    ("NotoSans-Italic.ttf", include_bytes!("../../../../assets/fonts/NotoSans-Italic.ttf")),
    ("NotoSans-BoldItalic.ttf", include_bytes!("../../../../assets/fonts/NotoSans-BoldItalic.ttf")),
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

#[derive(Clone)]
struct LoadedFace {
    font: ParsedFont,
    units_per_em: f32,
    /// The shaper's view of the same bytes. Monospace faces are not shaped:
    /// JetBrains Mono's contextual alternates reuse one glyph for several
    /// character pairs, and a PDF glyph can copy out as one text only.
    shaper: Option<rustybuzz::Face<'static>>,
    /// The glyph outlines of a face that is not shaped (a shaped face's come from its
    /// shaper); boxed, as a set holds 38 faces' places inline.
    outlines: Option<Box<ttf_parser::Face<'static>>>,
    /// The PDF font resource name and subset prefix.
    tag: String,
}

impl LoadedFace {
    fn load(bytes: &'static [u8], index: u32, shaped: bool, tag: String) -> Option<LoadedFace> {
        // Shared bytes and lazily loaded outlines: the font data is held once.
        let shared = Arc::new(rust_fontconfig::FontBytes::Owned(Arc::from(bytes)));
        let font = azul_layout::ParsedFont::from_bytes_shared(shared, index as usize, &mut Vec::new())?;
        let font = ParsedFont::from(font);
        let units_per_em = f32::from(font.font_metrics.units_per_em);
        let (shaper, outlines) = if shaped {
            (Some(rustybuzz::Face::from_slice(bytes, index)?), None)
        } else {
            (None, Some(Box::new(ttf_parser::Face::parse(bytes, index).ok()?)))
        };
        Some(LoadedFace { font, units_per_em, shaper, outlines, tag })
    }
}

/// The installed faces a set has found, in the order it found them.
#[derive(Default)]
struct Found {
    faces: HashMap<(InstalledFace, bool), Option<u8>>,
    tags: Vec<String>,
}

/// The bundled faces, parsed once and shared by layout and PDF writing, and the
/// installed faces found for other scripts.
pub struct FontSet {
    /// The bundled faces' files, parsed the first time each is used: a report set
    /// in the regular and bold faces never holds the other four.
    files: &'static [(&'static str, &'static [u8]); 6],
    faces: [OnceLock<LoadedFace>; 6],
    /// Whether the text faces are sans-serif (found faces are chosen to match).
    sans: bool,
    /// On the heap: a parsed face is kilobytes, and a set on the stack would be
    /// hundreds of them (a debug build's test threads overflowed).
    found: Box<[OnceLock<LoadedFace>]>,
    found_index: Mutex<Found>,
    /// Shaping plans by face, direction and script: making one is most of the cost
    /// of shaping a short word, and a document needs a handful.
    plans: Mutex<Vec<ShapingPlan>>,
}

/// A shaping plan and what it was made for.
struct ShapingPlan {
    face: Face,
    direction: rustybuzz::Direction,
    script: Option<rustybuzz::Script>,
    plan: Arc<rustybuzz::ShapePlan>,
}

impl fmt::Debug for FontSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.sans { "FontSet(bundled sans)" } else { "FontSet(bundled)" })
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
    /// The glyphs, in the order they are drawn (right-to-left text reversed).
    pub glyphs: Vec<Glyph>,
}

/// Shaped text: one or more runs (more when a fallback face supplies characters).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Shaped {
    /// The runs, in order.
    pub runs: Vec<GlyphRun>,
    /// Total advance in em.
    pub width: f32,
    /// Characters no face, bundled or installed, has (drawn as an empty box).
    pub missing: Vec<char>,
}

impl FontSet {
    /// Parses the bundled fonts.
    pub fn bundled() -> Result<FontSet, FontError> {
        Self::load(&FONT_FILES, false)
    }

    /// Parses the bundled sans-serif family (Noto Sans with JetBrains Mono), which
    /// the accessible style sets text in.
    pub fn bundled_sans() -> Result<FontSet, FontError> {
        Self::load(&SANS_FONT_FILES, true)
    }

    fn load(files: &'static [(&'static str, &'static [u8]); 6], sans: bool) -> Result<FontSet, FontError> {
        let found = (0..MAX_FOUND_FACES).map(|_| OnceLock::new()).collect();
        let set = FontSet { files, faces: Default::default(), sans, found, found_index: Mutex::default(), plans: Mutex::default() };
        // The regular face is read now, so that a broken build says so at once, and
        // stands in for any other bundled face that could not be read.
        let (name, bytes) = files[0];
        let regular = LoadedFace::load(bytes, 0, true, Face::Regular.bundled_tag().to_string()).ok_or(FontError(name))?;
        let _ = set.faces[0].set(regular);
        Ok(set)
    }

    /// The bundled `face`, parsed the first time it is asked for.
    fn bundled_face(&self, face: Face) -> &LoadedFace {
        let index = face.index().min(self.faces.len() - 1);
        self.faces[index].get_or_init(|| {
            let shaped = !matches!(face, Face::Mono | Face::MonoBold);
            let tag = face.bundled_tag().to_string();
            LoadedFace::load(self.files[index].1, 0, shaped, tag.clone()).unwrap_or_else(|| {
                // Bundled fonts are tested to parse; should one not, text still comes out.
                let regular = self.bundled_face(Face::Regular).clone();
                LoadedFace { tag, ..regular }
            })
        })
    }

    fn face(&self, face: Face) -> &LoadedFace {
        match face {
            Face::Found(n) => match self.found.get(usize::from(n)).and_then(OnceLock::get) {
                Some(found) => found,
                // Only faces this set handed out are asked for; the regular face keeps a stray one harmless.
                None => self.bundled_face(Face::Regular),
            },
            bundled => self.bundled_face(bundled),
        }
    }

    /// The parsed font, for embedding in a PDF.
    pub fn parsed(&self, face: Face) -> &ParsedFont {
        &self.face(face).font
    }

    /// Traces glyph `gid` of `face` into `builder`, in font units with y upwards
    /// (divide by [`FontSet::units_per_em`]); `None` for a glyph with no outline (a space).
    pub fn outline(&self, face: Face, gid: u16, builder: &mut dyn ttf_parser::OutlineBuilder) -> Option<ttf_parser::Rect> {
        let loaded = self.face(face);
        let outlines: &ttf_parser::Face<'static> = match (&loaded.shaper, &loaded.outlines) {
            (Some(shaper), _) => shaper,
            (None, Some(outlines)) => outlines,
            (None, None) => return None,
        };
        outlines.outline_glyph(ttf_parser::GlyphId(gid), builder)
    }

    /// Font units per em of `face`.
    pub fn units_per_em(&self, face: Face) -> f32 {
        self.face(face).units_per_em
    }

    /// The PDF font resource name and subset prefix of `face`: fixed for the bundled
    /// faces, made from the file's name for a found one, so the same document
    /// gives the same bytes whatever the set found before.
    pub fn pdf_tag(&self, face: Face) -> &str {
        &self.face(face).tag
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

    /// Whether `face`, its fallback or an installed font can draw `c`.
    pub fn covers(&self, face: Face, c: char) -> bool {
        self.has(face, c) || self.has(face.fallback(), c) || self.installed_face_for(face, c).is_some()
    }

    fn has(&self, face: Face, c: char) -> bool {
        self.face(face).font.lookup_glyph_index(c as u32).is_some()
    }

    /// The found face that draws `c` in text set in `face`, loading it the first time.
    fn installed_face_for(&self, face: Face, c: char) -> Option<Face> {
        let installed = system::face_for(c, Wanted { bold: face.is_bold(), sans: self.sans })?;
        let mut found = self.found_index.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = (installed.clone(), face.is_bold());
        if let Some(slot) = found.faces.get(&key) {
            return slot.map(Face::Found);
        }
        let slot = found.faces.len();
        let tag = found_tag(&installed, face.is_bold(), &found.tags);
        let loaded = (slot < MAX_FOUND_FACES)
            .then(|| system::file_bytes(&installed.path))
            .flatten()
            .and_then(|bytes| LoadedFace::load(bytes, installed.index, true, tag.clone()));
        let slot = loaded.and_then(|loaded| {
            let slot = u8::try_from(slot).ok()?;
            self.found[usize::from(slot)].set(loaded).ok()?;
            Some(slot)
        });
        found.faces.insert(key, slot);
        found.tags.push(tag);
        slot.map(Face::Found)
    }

    /// Characters of `text` that no face, bundled or installed, can draw, each
    /// once, with the 1-based line and column of its first occurrence.
    pub fn uncovered(&self, text: &str) -> Vec<(char, usize, usize)> {
        let mut found: Vec<(char, usize, usize)> = Vec::new();
        // Each distinct character is looked up once: a long report has a million
        // characters and a few hundred distinct ones.
        let mut known: HashMap<char, bool> = HashMap::new();
        for (line_index, line) in text.lines().enumerate() {
            for (column, c) in line.chars().enumerate() {
                if c.is_ascii_alphanumeric() || c == ' ' {
                    continue;
                }
                let covered = *known.entry(c).or_insert_with(|| c.is_control() || self.covers(Face::Regular, c));
                if !covered && !found.iter().any(|f| f.0 == c) {
                    found.push((c, line_index + 1, column + 1));
                }
            }
        }
        found
    }

    /// Shapes `text` in `face`, with kerning and ligatures, falling back per
    /// character to a face that has it: the bundled mono face for symbols, an
    /// installed font for other scripts. Each run's direction is guessed from its
    /// own script.
    pub fn shape(&self, face: Face, text: &str) -> Shaped {
        self.shape_directed(face, text, None)
    }

    /// [`FontSet::shape`] for one level run of the bidi algorithm: every run is
    /// shaped right to left when `rtl` (so brackets and other paired punctuation
    /// are mirrored, and a colon from the text face stays after the Arabic word
    /// it ends), left to right otherwise (so Arabic-Indic digits keep their
    /// order), and the runs come in the order they are drawn, left to right.
    pub fn shape_in_direction(&self, face: Face, text: &str, rtl: bool) -> Shaped {
        let mut shaped = self.shape_directed(face, text, Some(rtl));
        if rtl {
            shaped.runs.reverse();
        }
        shaped
    }

    fn shape_directed(&self, face: Face, text: &str, rtl: Option<bool>) -> Shaped {
        let mut shaped = Shaped::default();
        let mut start = 0;
        let mut current: Option<Face> = None;
        let mut marks_in_a_row = 0;
        for (i, c) in text.char_indices() {
            let mark = is_combining_mark(c);
            let wanted = if c == ' ' || self.has(face, c) {
                face
            } else if self.has(face.fallback(), c) {
                face.fallback()
            } else if mark && current.is_some() {
                // A mark stays with the letter it sits on.
                current.unwrap_or(face)
            } else if let Some(found) = self.installed_face_for(face, c) {
                found
            } else {
                if !c.is_whitespace() {
                    shaped.missing.push(c);
                }
                face
            };
            marks_in_a_row = if mark { marks_in_a_row + 1 } else { 0 };
            let too_many_marks = marks_in_a_row > MARKS_PER_RUN && marks_in_a_row % MARKS_PER_RUN == 1;
            if current != Some(wanted) || too_many_marks {
                if let Some(prev) = current {
                    self.shape_run(prev, &text[start..i], rtl, &mut shaped);
                }
                start = i;
                current = Some(wanted);
            }
        }
        if let Some(prev) = current {
            self.shape_run(prev, &text[start..], rtl, &mut shaped);
        }
        shaped
    }

    /// The plan for shaping `buffer` (its properties already guessed) in `face`: the one
    /// `rustybuzz::shape` would make, made once.
    fn plan(&self, face: Face, shaper: &rustybuzz::Face<'static>, buffer: &rustybuzz::UnicodeBuffer) -> Arc<rustybuzz::ShapePlan> {
        let direction = buffer.direction();
        // Guessing never sets the unknown script: it reads as "none", which plans differently.
        let script = Some(buffer.script()).filter(|&s| s != rustybuzz::script::UNKNOWN);
        let mut plans = self.plans.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(known) = plans.iter().find(|p| p.face == face && p.direction == direction && p.script == script) {
            return known.plan.clone();
        }
        let plan = Arc::new(rustybuzz::ShapePlan::new(shaper, direction, script, buffer.language().as_ref(), &[]));
        plans.push(ShapingPlan { face, direction, script, plan: plan.clone() });
        plan
    }

    fn shape_run(&self, face: Face, text: &str, rtl: Option<bool>, out: &mut Shaped) {
        let loaded = self.face(face);
        let upm = loaded.units_per_em;
        let mut glyphs = Vec::with_capacity(text.len());
        match &loaded.shaper {
            Some(shaper) => {
                let mut buffer = rustybuzz::UnicodeBuffer::new();
                buffer.push_str(text);
                buffer.guess_segment_properties();
                if let Some(rtl) = rtl {
                    buffer.set_direction(if rtl { rustybuzz::Direction::RightToLeft } else { rustybuzz::Direction::LeftToRight });
                }
                let rtl = buffer.direction() == rustybuzz::Direction::RightToLeft;
                let plan = self.plan(face, shaper, &buffer);
                let output = rustybuzz::shape_with_plan(shaper, &plan, buffer);
                let infos = output.glyph_infos();
                let positions = output.glyph_positions();
                let mut copies = cluster_texts(&loaded.font, text, infos);
                if rtl {
                    // A letter drawn with no width of its own inside its neighbour (the alef of
                    // Naskh's lam-alef) copies out with that neighbour: on its own, text
                    // extraction takes it for a word apart. Its neighbour is the next glyph
                    // drawn and the letter before it in the text.
                    for i in 0..copies.len().saturating_sub(1) {
                        let spacing_letter = copies[i].chars().next().is_some_and(|c| !is_combining_mark(c));
                        if positions[i].x_advance == 0 && spacing_letter {
                            let letter = std::mem::take(&mut copies[i]);
                            copies[i + 1] = format!("{}{letter}", copies[i + 1]).into();
                        }
                    }
                }
                for ((info, position), copy) in infos.iter().zip(positions).zip(copies) {
                    let gid = u16::try_from(info.glyph_id).unwrap_or(0);
                    // Text extraction reads a right-to-left line by reversing what it sees,
                    // a ligature's characters included: "لا" copies out right when stored "ال".
                    let copy: Arc<str> = if rtl && copy.chars().nth(1).is_some() { copy.chars().rev().collect::<String>().into() } else { Arc::from(copy) };
                    glyphs.push(Glyph { gid, advance: position.x_advance as f32 / upm, text: copy });
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

/// The text each shaped glyph copies out as. A cluster drawn as one glyph (a
/// ligature) copies out as all its characters; in a cluster of several glyphs
/// (a letter and its accents) each glyph that is a character's own glyph copies
/// out as that character and the first other glyph as the rest, so a glyph id
/// always stands for the same text wherever it is used.
fn cluster_texts<'t>(font: &ParsedFont, text: &'t str, infos: &[rustybuzz::GlyphInfo]) -> Vec<std::borrow::Cow<'t, str>> {
    use std::borrow::Cow;
    let mut starts: Vec<usize> = infos.iter().map(|g| (g.cluster as usize).min(text.len())).collect();
    starts.sort_unstable();
    starts.dedup();
    let cluster_of = |info: &rustybuzz::GlyphInfo| {
        let start = (info.cluster as usize).min(text.len());
        let end = starts.iter().copied().find(|&s| s > start).unwrap_or(text.len());
        text.get(start..end).unwrap_or("")
    };
    let mut copies: Vec<Cow<'t, str>> = vec![Cow::Borrowed(""); infos.len()];
    let mut i = 0;
    while i < infos.len() {
        let cluster = infos[i].cluster;
        let end = infos[i..].iter().position(|g| g.cluster != cluster).map_or(infos.len(), |n| i + n);
        let whole = cluster_of(&infos[i]);
        if end - i == 1 {
            copies[i] = Cow::Borrowed(whole);
        } else {
            let mut unclaimed: Vec<Option<char>> = whole.chars().map(Some).collect();
            let mut unmatched = Vec::new();
            for (j, info) in infos.iter().enumerate().take(end).skip(i) {
                let own = unclaimed.iter_mut().find(|c| c.is_some_and(|c| font.lookup_glyph_index(c as u32).map(u32::from) == Some(info.glyph_id)));
                match own.and_then(Option::take) {
                    Some(c) => copies[j] = Cow::Owned(c.to_string()),
                    None => unmatched.push(j),
                }
            }
            if let Some(&first) = unmatched.first() {
                copies[first] = Cow::Owned(unclaimed.into_iter().flatten().collect());
            }
        }
        i = end;
    }
    copies
}

/// A subset tag for an installed face: "BP" and four letters from its file name,
/// weight and index, unlike any tag in `taken`.
fn found_tag(face: &InstalledFace, bold: bool, taken: &[String]) -> String {
    // FNV-1a: stable across runs and machines, unlike the standard library's hasher.
    let mut hash: u32 = 0x811c_9dc5;
    for byte in face.name().bytes().chain([u8::from(bold)]) {
        hash = (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193);
    }
    loop {
        let mut tag = String::from("BP");
        let mut h = hash;
        for _ in 0..4 {
            tag.push(char::from(b'A' + (h % 26) as u8));
            h /= 26;
        }
        if !taken.contains(&tag) && !tag.starts_with("BPSER") && !tag.starts_with("BPMON") {
            return tag;
        }
        hash = hash.wrapping_add(1);
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
