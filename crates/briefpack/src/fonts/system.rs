//! Fonts installed on the machine, for characters no bundled face has.
//!
//! The font folders fontconfig searches on Linux (`/usr/share/fonts`, the
//! user's `~/.local/share/fonts`, …; the list comes from `rust-fontconfig`) are
//! listed once per process, each face ranked by how well it suits the text
//! around it: the weight asked for, the family's style (serif or sans), plain
//! faces before display, UI, mono and condensed ones, then the path. For a
//! character, the first face in that order whose character map has it wins,
//! so the same machine always picks the same face. Only a face's table
//! directory and character map are read while searching; a face's whole file
//! is read once it is chosen, and kept for the life of the process.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

/// Font files larger than this are skipped (the largest CJK collections are about 40 MB).
const MAX_FONT_FILE: u64 = 128 * 1024 * 1024;
/// Folders nested deeper than this under a font folder are not searched.
const MAX_DEPTH: usize = 6;
/// Faces listed at most: a folder of a million files must not stall a build.
const MAX_FACES: usize = 20_000;

/// One face of an installed font file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InstalledFace {
    /// The font file.
    pub path: PathBuf,
    /// The face's index in a collection (`.ttc`), 0 otherwise.
    pub index: u32,
}

impl InstalledFace {
    /// A short name for messages and subset tags: the file name, and the index in a collection.
    pub fn name(&self) -> String {
        let file = self.path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
        if self.index == 0 {
            file
        } else {
            format!("{file}#{}", self.index)
        }
    }
}

/// What a face is wanted for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Wanted {
    pub(crate) bold: bool,
    pub(crate) sans: bool,
}

struct Candidate {
    face: InstalledFace,
    bold: bool,
    sans: bool,
    /// Display, UI, mono, condensed or other special-purpose styles.
    special: bool,
    /// Light, medium, black…: neither regular nor bold.
    other_weight: bool,
    italic: bool,
}

/// The Unicode subtables of one face's character map.
type UnicodeMap = Vec<ttf_parser::cmap::Subtable<'static>>;

#[derive(Default)]
struct Searches {
    /// Character maps read so far, by the face's place in the list (`Some(None)`: the
    /// face could not be read). Kept for the life of the process, like the list.
    cmaps: Vec<Option<Option<UnicodeMap>>>,
    /// Answers given so far.
    found: HashMap<(char, Wanted), Option<InstalledFace>>,
    /// The faces in the order they are tried, for each kind of face wanted.
    orders: HashMap<Wanted, Vec<usize>>,
}

fn candidates() -> &'static [Candidate] {
    static LIST: OnceLock<Vec<Candidate>> = OnceLock::new();
    LIST.get_or_init(|| list_faces(&rust_fontconfig::config::font_directories(rust_fontconfig::OperatingSystem::current())))
}

fn searches() -> &'static Mutex<Searches> {
    static SEARCHES: OnceLock<Mutex<Searches>> = OnceLock::new();
    SEARCHES.get_or_init(Mutex::default)
}

/// The installed face to draw `c` with, if any has it.
pub(crate) fn face_for(c: char, wanted: Wanted) -> Option<InstalledFace> {
    let list = candidates();
    let mut searches = searches().lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(answer) = searches.found.get(&(c, wanted)) {
        return answer.clone();
    }
    let order = searches
        .orders
        .entry(wanted)
        .or_insert_with(|| {
            let mut order: Vec<usize> = (0..list.len()).filter(|&i| !list[i].italic).collect();
            order.sort_by_key(|&i| {
                let f = &list[i];
                (f.bold != wanted.bold, f.other_weight, f.special, f.sans != wanted.sans, &f.face)
            });
            order
        })
        .clone();
    if searches.cmaps.len() < list.len() {
        searches.cmaps.resize_with(list.len(), || None);
    }
    let mut answer = None;
    for i in order {
        let cmap = searches.cmaps[i].get_or_insert_with(|| read_cmap(&list[i].face).map(unicode_map));
        if cmap.as_ref().is_some_and(|cmap| has_char(cmap, c)) {
            answer = Some(list[i].face.clone());
            break;
        }
    }
    searches.found.insert((c, wanted), answer.clone());
    answer
}

/// The bytes of an installed font file, read once and kept for the life of the process
/// (the shaper and the PDF writer refer to them for as long as the process runs).
pub(crate) fn file_bytes(path: &Path) -> Option<&'static [u8]> {
    static FILES: OnceLock<Mutex<HashMap<PathBuf, &'static [u8]>>> = OnceLock::new();
    let mut files = FILES.get_or_init(Mutex::default).lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(bytes) = files.get(path) {
        return Some(bytes);
    }
    let file = File::open(path).ok()?;
    if file.metadata().ok()?.len() > MAX_FONT_FILE {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(MAX_FONT_FILE).read_to_end(&mut bytes).ok()?;
    let bytes: &'static [u8] = Vec::leak(bytes);
    files.insert(path.to_path_buf(), bytes);
    Some(bytes)
}

/// The Unicode subtables of a character map, parsed once; the bytes stay for the
/// life of the process, as the faces searched do.
fn unicode_map(cmap: Vec<u8>) -> UnicodeMap {
    let bytes: &'static [u8] = Vec::leak(cmap);
    ttf_parser::cmap::Table::parse(bytes).map(|table| table.subtables.into_iter().filter(|s| s.is_unicode()).collect()).unwrap_or_default()
}

fn has_char(map: &UnicodeMap, c: char) -> bool {
    map.iter().any(|s| s.glyph_index(c as u32).is_some_and(|g| g.0 != 0))
}

/// Every face under `dirs`, in path order.
fn list_faces(dirs: &[PathBuf]) -> Vec<Candidate> {
    let mut files = Vec::new();
    for dir in dirs {
        collect_font_files(dir, 0, &mut files);
    }
    files.sort();
    files.dedup();
    let mut faces = Vec::new();
    for path in files {
        let count = face_count(&path).unwrap_or(0);
        let stem = path.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
        for index in 0..count {
            faces.push(describe(InstalledFace { path: path.clone(), index }, &stem));
            if faces.len() >= MAX_FACES {
                return faces;
            }
        }
    }
    faces
}

fn collect_font_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() && depth < MAX_DEPTH {
            collect_font_files(&path, depth + 1, out);
        } else if kind.is_file() || kind.is_symlink() {
            let ext = path.extension().map(|e| e.to_string_lossy().to_lowercase());
            if matches!(ext.as_deref(), Some("ttf" | "otf" | "ttc" | "otc")) {
                out.push(path);
            }
        }
        if out.len() >= MAX_FACES {
            return;
        }
    }
}

/// What a face is, read from its file name ("NotoSansCJK-Bold", "NotoNaskhArabic-Regular").
fn describe(face: InstalledFace, stem: &str) -> Candidate {
    let (family, style) = stem.rsplit_once('-').unwrap_or((stem, "regular"));
    let bold = style == "bold";
    let italic = style.contains("italic") || style.contains("oblique");
    let other_weight = !bold && !italic && style != "regular" && style != "book" && style != "roman";
    let special = ["display", "ui", "mono", "condensed", "narrow", "looped", "unjoined", "kufi", "rashi", "emoji", "symbols", "math", "music"]
        .iter()
        .any(|word| family.contains(word));
    let sans = family.contains("sans") || !(family.contains("serif") || family.contains("naskh") || family.contains("mincho") || family.contains("song"));
    Candidate { face, bold, sans, special, other_weight, italic }
}

/// How many faces a font file holds (1 for a plain font, n for a collection).
fn face_count(path: &Path) -> Option<u32> {
    let mut file = File::open(path).ok()?;
    let mut head = [0u8; 12];
    file.read_exact(&mut head).ok()?;
    Some(if &head[..4] == b"ttcf" { u32::from_be_bytes([head[8], head[9], head[10], head[11]]).min(64) } else { 1 })
}

/// The character map of one face, read from its table directory without reading the whole file.
fn read_cmap(face: &InstalledFace) -> Option<Vec<u8>> {
    let mut file = File::open(&face.path).ok()?;
    let read_at = |file: &mut File, offset: u64, len: usize| -> Option<Vec<u8>> {
        file.seek(SeekFrom::Start(offset)).ok()?;
        let mut buf = vec![0; len];
        file.read_exact(&mut buf).ok()?;
        Some(buf)
    };
    let head = read_at(&mut file, 0, 12)?;
    let start = if &head[..4] == b"ttcf" {
        let entry = read_at(&mut file, 12 + 4 * u64::from(face.index), 4)?;
        u64::from(u32::from_be_bytes([entry[0], entry[1], entry[2], entry[3]]))
    } else {
        0
    };
    let directory = read_at(&mut file, start, 12)?;
    let tables = usize::from(u16::from_be_bytes([directory[4], directory[5]]));
    let records = read_at(&mut file, start + 12, tables * 16)?;
    let record = records.chunks_exact(16).find(|r| &r[..4] == b"cmap")?;
    let offset = u32::from_be_bytes([record[8], record[9], record[10], record[11]]);
    let length = u32::from_be_bytes([record[12], record[13], record[14], record[15]]);
    if u64::from(length) > MAX_FONT_FILE {
        return None;
    }
    read_at(&mut file, u64::from(offset), length as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faces_are_described_from_their_file_names() {
        let face = |stem: &str| describe(InstalledFace { path: PathBuf::from(format!("/f/{stem}.ttf")), index: 0 }, &stem.to_lowercase());
        let naskh = face("NotoNaskhArabic-Regular");
        assert!(!naskh.bold && !naskh.sans && !naskh.special && !naskh.other_weight);
        let sans_bold = face("NotoSansCJK-Bold");
        assert!(sans_bold.bold && sans_bold.sans);
        assert!(face("NotoSansArabicUI-Regular").special);
        assert!(face("NotoSans-Light").other_weight);
        assert!(face("NotoSerif-Italic").italic);
    }

    #[test]
    fn the_bundled_fonts_are_read_as_a_font_folder_would_be() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../assets/fonts");
        let faces = list_faces(&[dir]);
        assert!(faces.iter().any(|f| f.face.name() == "NotoSans-Regular.ttf"), "{:?}", faces.iter().map(|f| f.face.name()).collect::<Vec<_>>());
        let serif = faces.iter().find(|f| f.face.name() == "NotoSerif-Regular.ttf").unwrap();
        let cmap = unicode_map(read_cmap(&serif.face).unwrap());
        assert!(has_char(&cmap, 'é'));
        assert!(!has_char(&cmap, '日'));
    }
}
