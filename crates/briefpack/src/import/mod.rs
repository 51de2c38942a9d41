//! Import: a saved web page (`.html`, `.txt`, `.md`) → a clean article plus proposals.
//!
//! [`import`] is the one entry point. It decodes the bytes (UTF-8, UTF-16
//! with a byte-order mark, or the charset an HTML page declares), picks a
//! reader by the file's extension, and returns an [`Imported`]: title,
//! byline, publication date and the body as Markdown, with the site's
//! boilerplate (menus, testimonials, share counts, "Related …" blocks,
//! captions) removed. It then proposes, for a person to accept or reject:
//!
//! - **statistics** ([`StatisticProposal`]): every figure the text states as
//!   a fact, with a label in the article's words, the period when the
//!   sentence gives one, and the exact sentence it came from;
//! - **guidance organisations** ([`OrganisationProposal`]): each official
//!   body named in the text, mapped to its address in the bundled, dated
//!   directory (`data/guidance-directory.toml`).
//!
//! Nothing is guessed: a missing byline or date stays `None`, and every
//! proposal quotes its sentence. Nothing touches the network. Adding the
//! result to a pack is [`add_to_pack`]'s job.
//!
//! ```
//! use std::path::Path;
//! let page = b"Phishing reports rise\n\nBy Ann Lee\n\n\
//!     Reports of phishing to the NCSC rose by 12% in the last year, the agency said on Tuesday.\n";
//! let imported = briefpack::import::import(Path::new("page.txt"), page).unwrap();
//! assert_eq!(imported.title.as_deref(), Some("Phishing reports rise"));
//! assert_eq!(imported.byline.as_deref(), Some("Ann Lee"));
//! assert_eq!(imported.statistics[0].display, "12%");
//! assert_eq!(imported.statistics[0].period.as_deref(), Some("in the last year"));
//! assert_eq!(imported.organisations[0].name, "NCSC");
//! ```

mod accept;
mod dom;
mod html;
mod json_ld;
mod markdown;
pub mod metadata;
pub mod organisations;
pub mod statistics;
mod text;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

pub use accept::{add_to_pack, import_into, slug, AcceptOptions, Added};
pub use organisations::{directory, Organisation, OrganisationKind};

use crate::files::{size_over_limit, ReadError};
use crate::pack::{Direction, Marking};

/// Files larger than this (20 MiB) are refused rather than read.
pub const MAX_IMPORT_BYTES: u64 = 20 * 1024 * 1024;

/// The kinds of file [`import`] reads, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// A saved web page (`.html`, `.htm`, `.xhtml`).
    Html,
    /// Text copied or saved from a page (`.txt`, `.text`).
    Text,
    /// Markdown, with optional TOML (`+++`) or YAML (`---`) front matter (`.md`, `.markdown`).
    Markdown,
}

impl Format {
    /// The format for a file name, from its extension (case-insensitive).
    pub fn from_path(path: &Path) -> Option<Format> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "html" | "htm" | "xhtml" | "shtml" => Some(Format::Html),
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" | "mdown" | "mkd" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// Where in the page the article's text was found, so a person can judge it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Extraction {
    /// A text or Markdown file: the whole file, boilerplate lines removed.
    #[default]
    WholeText,
    /// A reader view (Readability, as Firefox's) found the article.
    ReaderView,
    /// The page's JSON-LD `articleBody`: the visible page held less of the article (a page saved before its scripts ran).
    JsonLd,
    /// The element the page marks as the article body (`itemprop=articleBody`).
    ArticleBodyMarkup,
    /// The page's `<article>` element.
    ArticleElement,
    /// The page's `<main>` element.
    MainElement,
    /// The largest block of paragraphs on the page.
    LargestTextBlock,
}

impl Extraction {
    /// How the article was found, in words ("the page's <article> element").
    pub fn describe(self) -> &'static str {
        match self {
            Extraction::WholeText => "the whole file, boilerplate lines removed",
            Extraction::ReaderView => "reader view (Readability)",
            Extraction::JsonLd => "the article text the page stores in its JSON-LD (the visible page held less of it)",
            Extraction::ArticleBodyMarkup => "the element the page marks as its article body (reader view found none)",
            Extraction::ArticleElement => "the page's <article> element (reader view found no article)",
            Extraction::MainElement => "the page's <main> element (reader view found no article)",
            Extraction::LargestTextBlock => "the largest block of text on the page (reader view found no article)",
        }
    }
}

/// An imported article with the proposals found in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Imported {
    /// Which reader read it.
    pub format: Format,
    /// Where in the page the article's text was found.
    pub extraction: Extraction,
    /// The headline, if the page has one.
    pub title: Option<String>,
    /// Who wrote it, as the page names them ("Mark Rowe").
    pub byline: Option<String>,
    /// When it was published, if the page says.
    pub date: Option<NaiveDate>,
    /// The publication (an HTML page's site name, or front matter `source`).
    pub source: Option<String>,
    /// The page's own address (canonical link, or front matter `url`).
    pub url: Option<String>,
    /// The article's text as Markdown, boilerplate removed, title and byline lines taken out.
    pub body_markdown: String,
    /// Front matter of a Markdown file, as written (without its fences).
    pub front_matter: Option<FrontMatter>,
    /// The protective marking the file's front matter gives the article, if any.
    pub marking: Option<Marking>,
    /// Figures the text states, for the user to accept or reject.
    pub statistics: Vec<StatisticProposal>,
    /// Guidance organisations the text names, in order of first mention.
    pub organisations: Vec<OrganisationProposal>,
}

/// Front matter kept from a Markdown file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrontMatter {
    /// `toml` (between `+++` lines) or `yaml` (between `---` lines).
    pub syntax: &'static str,
    /// The text between the fences, unchanged.
    pub text: String,
}

/// A figure found in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StatisticProposal {
    /// How to print it: "35%", "19", "1 in 5", "€4.2m", "<1%", "$100–$1m".
    pub display: String,
    /// The number: a percentage for percentages and ratios ("1 in 5" is 20),
    /// the full amount for money ("€4.2m" is 4 200 000), the lower bound of a range.
    pub value: f64,
    /// What is counted, in the article's words.
    pub label: String,
    /// The period the sentence gives ("since the start of 2020"), if any.
    pub period: Option<String>,
    /// The sentence it came from, exactly as the article has it (without Markdown).
    pub sentence: String,
    /// Rising or falling, when the sentence says so ("increase", "fell").
    pub direction: Option<Direction>,
}

/// A guidance organisation named in the text.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrganisationProposal {
    /// Short name as the directory has it ("NPSA").
    pub name: String,
    /// Full name ("National Protective Security Authority").
    pub full_name: String,
    /// Official address (https).
    pub url: String,
    /// What it offers, one line.
    pub offers: String,
    /// The words in the text that named it ("NPSA", "National Cyber Security Centre").
    pub matched: String,
    /// A guidance source, or named for context only (added only when asked for).
    pub kind: OrganisationKind,
}

/// Why a file could not be imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The path names a pipe, a device, a socket or a folder.
    #[error("{} is {kind}, not a saved page: give the path of an .html, .txt or .md file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is ("a named pipe (FIFO)", …).
        kind: &'static str,
    },
    /// The file is larger than [`MAX_IMPORT_BYTES`].
    #[error("{} is too large to import ({}): save just the article page", path.display(), size_over_limit(*bytes, MAX_IMPORT_BYTES))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
    },
    /// The extension is not one import reads.
    #[error("{} is not a page import can read: save the article as .html, .txt or .md", path.display())]
    UnknownType {
        /// The file.
        path: PathBuf,
    },
    /// The file holds binary data, not text.
    #[error("{} is not a text file ({kind}): save the article as .html, .txt or .md", path.display())]
    NotText {
        /// The file.
        path: PathBuf,
        /// What it looks like ("it looks like a PDF", "it contains binary data").
        kind: String,
    },
    /// The text is neither UTF-8 nor in an encoding the file declares.
    #[error("{} is not UTF-8 text and declares no encoding Briefpack knows{}: save it again as UTF-8", path.display(), declared.as_ref().map(|d| format!(" (it says \"{d}\")")).unwrap_or_default())]
    UnknownEncoding {
        /// The file.
        path: PathBuf,
        /// The charset the file declares, if it declares one.
        declared: Option<String>,
    },
    /// The file holds no text to import.
    #[error("{} is empty: there is no article to import", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file's front matter cannot be read, or names a marking that cannot be:
    /// importing without it could print marked text under a lower banner.
    #[error("{}: {message}", path.display())]
    FrontMatter {
        /// The file.
        path: PathBuf,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// The HTML page has no readable article in it.
    #[error("no article found in {}: {message}", path.display())]
    NoArticle {
        /// The file.
        path: PathBuf,
        /// Why.
        message: String,
    },
}

/// Reads `path` for [`import`]: a regular file only (a named pipe or a device
/// would block or never end), refused over [`MAX_IMPORT_BYTES`] before it is read.
pub fn read_file(path: &Path) -> Result<Vec<u8>, ImportError> {
    crate::files::read_regular_file(path, MAX_IMPORT_BYTES).map_err(|e| match e {
        ReadError::Io { path, source } => ImportError::Io { path, source },
        ReadError::NotAFile { path, kind } => ImportError::NotAFile { path, kind },
        ReadError::TooLarge { path, bytes, .. } => ImportError::TooLarge { path, bytes },
    })
}

/// Imports the file `path` whose content is `bytes`: cleans the article and
/// proposes its statistics and guidance organisations.
///
/// `path` names the file (its extension picks the reader, and errors name
/// it); it is not read. Use [`read_file`] to read a file from disk first.
pub fn import(path: &Path, bytes: &[u8]) -> Result<Imported, ImportError> {
    if bytes.len() as u64 > MAX_IMPORT_BYTES {
        return Err(ImportError::TooLarge { path: path.to_path_buf(), bytes: bytes.len() as u64 });
    }
    let format = Format::from_path(path).ok_or_else(|| ImportError::UnknownType { path: path.to_path_buf() })?;
    let text = decode(path, bytes, format)?;
    if text.trim().is_empty() {
        return Err(ImportError::Empty { path: path.to_path_buf() });
    }
    let extracted = match format {
        Format::Html => html::read(&text).map_err(|message| ImportError::NoArticle { path: path.to_path_buf(), message })?,
        Format::Text => text::read(&text),
        Format::Markdown => markdown::read(&text),
    };
    let marking = match &extracted.front_matter {
        Some(front) => markdown::marking(front).map_err(|message| ImportError::FrontMatter { path: path.to_path_buf(), message })?,
        None => None,
    };
    let statistics = statistics::propose(&extracted.body_markdown);
    let named_in = format!("{}\n\n{}", extracted.title.as_deref().unwrap_or(""), extracted.body_markdown);
    let organisations = organisations::propose(&named_in);
    Ok(Imported {
        format,
        extraction: extracted.extraction,
        title: extracted.title,
        byline: extracted.byline,
        date: extracted.date,
        source: extracted.source,
        url: extracted.url,
        body_markdown: extracted.body_markdown,
        front_matter: extracted.front_matter,
        marking,
        statistics,
        organisations,
    })
}

/// What a reader takes out of a page, before proposals.
#[derive(Debug, Default)]
struct Extracted {
    extraction: Extraction,
    title: Option<String>,
    byline: Option<String>,
    date: Option<NaiveDate>,
    source: Option<String>,
    url: Option<String>,
    body_markdown: String,
    front_matter: Option<FrontMatter>,
}

/// Bytes → text: UTF-8 (with or without a BOM), UTF-16 with a BOM, or the
/// charset an HTML page declares. Binary files and unknown encodings are errors.
fn decode(path: &Path, bytes: &[u8], format: Format) -> Result<String, ImportError> {
    let not_text = |kind: &str| ImportError::NotText { path: path.to_path_buf(), kind: kind.to_string() };
    if let Some(kind) = binary_signature(bytes) {
        return Err(not_text(kind));
    }
    if let Some((encoding, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if had_errors {
            return Err(ImportError::UnknownEncoding { path: path.to_path_buf(), declared: Some(encoding.name().to_string()) });
        }
        return check_text(path, text.into_owned());
    }
    if bytes.contains(&0) {
        return Err(not_text("it contains binary data"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return check_text(path, text.to_string());
    }
    if format == Format::Html {
        if let Some(label) = html::declared_charset(bytes) {
            return match encoding_rs::Encoding::for_label(label.as_bytes()) {
                Some(encoding) => {
                    let (text, _, had_errors) = encoding.decode(bytes);
                    if had_errors {
                        Err(ImportError::UnknownEncoding { path: path.to_path_buf(), declared: Some(label) })
                    } else {
                        check_text(path, text.into_owned())
                    }
                }
                None => Err(ImportError::UnknownEncoding { path: path.to_path_buf(), declared: Some(label) }),
            };
        }
    }
    Err(ImportError::UnknownEncoding { path: path.to_path_buf(), declared: None })
}

/// Decoded text that is mostly control characters is binary data after all.
fn check_text(path: &Path, text: String) -> Result<String, ImportError> {
    let sample: Vec<char> = text.chars().take(8192).collect();
    let control = sample.iter().filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}')).count();
    if !sample.is_empty() && (control * 100 / sample.len() > 2 || sample.contains(&'\0')) {
        return Err(ImportError::NotText { path: path.to_path_buf(), kind: "it contains binary data".into() });
    }
    Ok(text)
}

/// Well-known file signatures, so the error can say what the file is.
fn binary_signature(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: &[(&[u8], &str)] = &[
        (b"%PDF", "it looks like a PDF"),
        (b"\x89PNG", "it looks like a PNG image"),
        (b"\xFF\xD8\xFF", "it looks like a JPEG image"),
        (b"GIF8", "it looks like a GIF image"),
        (b"PK\x03\x04", "it looks like a ZIP archive or an Office document"),
        (b"\xD0\xCF\x11\xE0", "it looks like an old Office document"),
        (b"\x1F\x8B", "it looks like a gzip archive"),
        (b"\x7FELF", "it looks like a program"),
        (b"MZ", "it looks like a program"),
        (b"RIFF", "it looks like a media file"),
        (b"{\\rtf", "it looks like an RTF document"),
    ];
    SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_come_from_extensions() {
        assert_eq!(Format::from_path(Path::new("a/Page.HTML")), Some(Format::Html));
        assert_eq!(Format::from_path(Path::new("a.txt")), Some(Format::Text));
        assert_eq!(Format::from_path(Path::new("a.markdown")), Some(Format::Markdown));
        assert_eq!(Format::from_path(Path::new("a.docx")), None);
        assert_eq!(Format::from_path(Path::new("README")), None);
    }

    #[test]
    fn binary_files_are_refused_with_what_they_look_like() {
        let err = import(Path::new("report.txt"), b"%PDF-1.7\n\x00\x01binary").unwrap_err();
        assert!(err.to_string().contains("report.txt is not a text file (it looks like a PDF)"), "{err}");
        let err = import(Path::new("x.html"), b"abc\x00\x00def").unwrap_err();
        assert!(matches!(err, ImportError::NotText { .. }), "{err}");
    }

    #[test]
    fn utf16_with_a_bom_is_read() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Title\n\nSome text about how 12% of the firms asked had no plan at all.\n".encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let imported = import(Path::new("a.txt"), &bytes).unwrap();
        assert_eq!(imported.title.as_deref(), Some("Title"));
    }

    #[test]
    fn latin1_text_without_a_declaration_is_an_unknown_encoding() {
        let err = import(Path::new("a.txt"), b"Caf\xe9 society\n\nIt was 35 per cent full.").unwrap_err();
        assert!(matches!(err, ImportError::UnknownEncoding { declared: None, .. }), "{err}");
        assert!(err.to_string().starts_with("a.txt is not UTF-8 text"), "{err}");
    }

    #[test]
    fn html_declaring_windows_1252_is_decoded() {
        let page = b"<html><head><meta charset=\"windows-1252\"><title>Caf\xe9 attacks</title></head>\
            <body><article><h1>Caf\xe9 attacks</h1><p>Card skimming in caf\xe9s rose by 20% in 2024, police said, \
            and more text follows so that the page is long enough to be an article worth reading in full.</p></article></body></html>";
        let imported = import(Path::new("a.html"), page).unwrap();
        assert_eq!(imported.title.as_deref(), Some("Café attacks"));
        let err = import(Path::new("b.html"), b"<meta charset=\"klingon\"><p>Caf\xe9</p>").unwrap_err();
        assert!(err.to_string().contains("(it says \"klingon\")"), "{err}");
    }

    #[test]
    fn unknown_extensions_and_empty_files_are_refused() {
        assert!(matches!(import(Path::new("a.docx"), b"text").unwrap_err(), ImportError::UnknownType { .. }));
        assert!(matches!(import(Path::new("a.txt"), b"  \n\n ").unwrap_err(), ImportError::Empty { .. }));
    }

    #[test]
    fn arbitrary_text_never_panics() {
        // A small deterministic generator over the characters the readers treat specially.
        let alphabet: Vec<char> = "aZ 0123456789.,;:%£$€-–—/()[]#*_>|\n\n\t\"“”’'İßé½¹ in per cent million one five of between and to by Mark MI5 NCSC 16 Nov 2022 <p></p><sup>"
            .chars()
            .collect();
        let mut seed: u64 = 0x2545_F491_4F6C_DD1D;
        for round in 0..150 {
            let mut text = String::new();
            for _ in 0..(round % 97 + 1) * 3 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push(alphabet[(seed % alphabet.len() as u64) as usize]);
            }
            for name in ["a.txt", "a.md", "a.html"] {
                let _ = import(Path::new(name), text.as_bytes());
            }
        }
    }

    #[test]
    fn oversized_input_is_refused() {
        let big = vec![b'a'; MAX_IMPORT_BYTES as usize + 1];
        let err = import(Path::new("big.txt"), &big).unwrap_err();
        assert!(err.to_string().starts_with("big.txt is too large to import"), "{err}");
    }
}
