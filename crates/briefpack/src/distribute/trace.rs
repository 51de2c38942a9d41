//! Whose copy is this? A PDF found where it should not be is matched against
//! the distribution logs of a library's packs, in three ways, most certain
//! first: the file's SHA-256 (it is byte for byte a copy as issued); the copy
//! identifier in its document information (it was rewritten, by a tool that
//! keeps the metadata); the "Copy 3 of 12 · Issued to …" line on its pages (it
//! was printed to PDF again, and only the text survived).

use std::path::{Path, PathBuf};

use lopdf::{Document, Object};

use super::copy::{sha256_hex, stamp_line};
use super::log::{DistributionLog, LogEntry, LOG_FILE};
use crate::pdf::copy_keys;

/// How a found file was matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum TracedBy {
    /// Its SHA-256 is the one logged: the file is unchanged.
    Hash,
    /// Its document information carries a logged copy identifier.
    CopyIdentifier,
    /// Its text holds a copy's printed line (and, if several packs share it, the pack's title).
    PrintedLine,
}

/// One logged copy a found file matches.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct TracedCopy {
    /// The pack folder whose log records it.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub pack_dir: PathBuf,
    /// The log entry: whom it was issued to, when, which file.
    pub entry: LogEntry,
}

/// What tracing found.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Trace {
    /// How the matches were found; `None` when nothing matched.
    pub by: Option<TracedBy>,
    /// The copies it matches: one, unless a printed line is all that is left and
    /// several copies print the same line.
    pub matches: Vec<TracedCopy>,
    /// How many distribution logs were searched.
    pub logs_searched: usize,
}

/// Why a file could not be traced.
#[derive(Debug, thiserror::Error)]
pub enum TraceError {
    /// A distribution log could not be read.
    #[error(transparent)]
    Log(#[from] super::log::LogError),
    /// The found file could not be read (or is far too large to be a copy).
    #[error("{}", found_file_message(.0))]
    File(#[from] crate::files::ReadError),
    /// The library folder could not be listed.
    #[error("cannot look for distribution logs in {}: {source}", path.display())]
    Library {
        /// The folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// The most text read from a found PDF to look for a printed line: the line is on
/// every page, so the first pages are enough, and a hostile file cannot make
/// tracing read without end.
const MAX_TEXT_PAGES: u32 = 8;
const MAX_DECOMPRESSED_BYTES: usize = 64 * 1024 * 1024;

/// The largest file traced: far past any briefing, and past any copy Briefpack issues.
pub const MAX_TRACED_BYTES: u64 = 512 * 1024 * 1024;

fn found_file_message(e: &crate::files::ReadError) -> String {
    match e {
        crate::files::ReadError::TooLarge { path, bytes, limit } => {
            format!("{} is too large to be a copy Briefpack issued ({})", path.display(), crate::files::size_over_limit(*bytes, *limit))
        }
        other => other.to_string(),
    }
}

/// Says whose copy the file at `file` is (read as a regular file of at most
/// [`MAX_TRACED_BYTES`]), from the distribution logs of `library`: see [`trace`].
pub fn trace_file(file: &Path, library: &Path) -> Result<Trace, TraceError> {
    let bytes = crate::files::read_regular_file(file, MAX_TRACED_BYTES)?;
    trace(&bytes, library)
}

/// Says whose copy `pdf` (the found file's bytes) is, from the distribution logs
/// of the packs in `library` (a library folder, or one pack folder).
pub fn trace(pdf: &[u8], library: &Path) -> Result<Trace, TraceError> {
    let logs = read_logs(library)?;
    let logs_searched = logs.len();
    let all = || logs.iter().flat_map(|(dir, log)| log.entries.iter().map(move |entry| (dir, entry)));
    let found = |by: TracedBy, matches: Vec<(&PathBuf, &LogEntry)>| Trace {
        by: (!matches.is_empty()).then_some(by),
        matches: matches.into_iter().map(|(dir, entry)| TracedCopy { pack_dir: dir.clone(), entry: entry.clone() }).collect(),
        logs_searched,
    };

    let hash = sha256_hex(pdf);
    let by_hash: Vec<_> = all().filter(|(_, e)| e.sha256 == hash).collect();
    if !by_hash.is_empty() {
        return Ok(found(TracedBy::Hash, by_hash));
    }
    let Ok(document) = Document::load_mem(pdf) else { return Ok(found(TracedBy::Hash, Vec::new())) };
    if let Some(id) = copy_identifier(&document) {
        // A copy issued again after the pack changed keeps its identifier: the latest entry is the file found.
        let by_id: Vec<_> = all().filter(|(_, e)| e.copy_id == id).collect();
        if let Some(latest) = by_id.iter().max_by_key(|(_, e)| e.issued_at) {
            return Ok(found(TracedBy::CopyIdentifier, vec![*latest]));
        }
    }
    let text = squeezed(&page_text(&document));
    let mut by_line: Vec<_> = all().filter(|(_, e)| text.contains(&squeezed(&stamp_line(e.copy, e.of, &e.recipient, e.issued_on)))).collect();
    if by_line.len() > 1 {
        // The same list issued from several packs on one day: the title tells them apart.
        let titled: Vec<_> = by_line.iter().copied().filter(|(_, e)| text.contains(&squeezed(&e.title))).collect();
        if !titled.is_empty() {
            by_line = titled;
        }
        // The same copy issued twice (the pack changed in between) is one person.
        by_line.sort_by(|a, b| a.0.cmp(b.0).then_with(|| a.1.copy_id.cmp(&b.1.copy_id)).then_with(|| b.1.issued_at.cmp(&a.1.issued_at)));
        by_line.dedup_by(|a, b| a.0 == b.0 && a.1.copy_id == b.1.copy_id);
    }
    Ok(found(TracedBy::PrintedLine, by_line))
}

/// The distribution logs of `library` itself (a pack folder) and of the packs in
/// it and in its trash (a deleted pack's copies still leak), by pack folder.
fn read_logs(library: &Path) -> Result<Vec<(PathBuf, DistributionLog)>, TraceError> {
    let mut folders = vec![library.to_path_buf()];
    for parent in [library.to_path_buf(), library.join(crate::library::TRASH_DIR)] {
        let entries = match std::fs::read_dir(&parent) {
            Ok(entries) => entries,
            Err(e) if parent != library && e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(source) => return Err(TraceError::Library { path: parent, source }),
        };
        let mut found: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()).collect();
        found.sort();
        folders.extend(found);
    }
    let mut logs = Vec::new();
    for folder in folders {
        if folder.join(LOG_FILE).is_file() {
            logs.push((folder.clone(), DistributionLog::read(&folder)?));
        }
    }
    Ok(logs)
}

/// The copy identifier in the document information, if there is one.
fn copy_identifier(document: &Document) -> Option<String> {
    let info = document.trailer.get(b"Info").ok()?;
    let info = match info {
        Object::Reference(id) => document.get_dictionary(*id).ok()?,
        Object::Dictionary(dict) => dict,
        _ => return None,
    };
    let Object::String(bytes, _) = info.get(copy_keys::ID.as_bytes()).ok()? else { return None };
    Some(pdf_string(bytes))
}

/// A PDF text string: UTF-16 with a byte-order mark, else PDFDocEncoding (read as Latin-1,
/// which agrees with it on every character an identifier uses).
fn pdf_string(bytes: &[u8]) -> String {
    match bytes.strip_prefix(&[0xFE, 0xFF]) {
        Some(utf16) => {
            let units: Vec<u16> = utf16.chunks_exact(2).map(|pair| u16::from_be_bytes([pair[0], pair[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => bytes.iter().map(|&b| char::from(b)).collect(),
    }
}

/// The text of the document's first pages, as far as it can be read.
fn page_text(document: &Document) -> String {
    let pages: Vec<u32> = document.get_pages().keys().copied().take(MAX_TEXT_PAGES as usize).collect();
    pages
        .iter()
        .filter_map(|&page| document.extract_text_with_limit(&[page], MAX_DECOMPRESSED_BYTES).ok())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `text` without white space: a PDF printed again places words and spaces its
/// own way, and the letters are what survive.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}
