//! Stage 1 of the pipeline: pack folder → [`Pack`].
//!
//! A pack is a folder holding `pack.toml` (metadata, statistics, links,
//! ordered sections, recommendations) and `articles/*.md` (TOML front matter
//! between `+++` lines, then Markdown). [`load`] reads and validates one,
//! [`check`] lists every problem, and [`store`] lists, creates and saves packs
//! atomically. A library's distribution lists (`lists/<name>.toml`, the people a
//! pack is issued to) are read by [`load_list`].

mod authored;
pub(crate) mod date;
mod lists;
mod load;
pub mod marking;
mod model;
mod preserve;
pub mod store;
mod validate;

use std::path::PathBuf;

pub(crate) use load::{read_text, Located, ReadError};
pub(crate) use preserve::update_toml;
pub use load::{check, diagnostic_at, load, load_from_texts, FieldLocator, LoadedPack, ARTICLES_DIR, MAX_FILE_BYTES, PACK_FILE};
pub use authored::{Authored, AuthoredKind};
pub use lists::{list_names, list_path, load_list, DistributionList, ListError, LISTS_DIR};
pub use marking::{Marking, MarkingScheme};
pub use model::*;

use crate::diagnostic::Diagnostic;

/// Why a pack could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// The folder has no `pack.toml`.
    #[error("{} is not a Briefpack pack: it has no pack.toml (create one with `briefpack new`)", dir.display())]
    NotAPack {
        /// The folder given.
        dir: PathBuf,
    },
    /// The pack's files have errors.
    #[error("{}", summarise(diagnostics))]
    Invalid {
        /// Every problem found, errors and warnings.
        diagnostics: Vec<Diagnostic>,
    },
}

pub(crate) fn summarise(diagnostics: &[Diagnostic]) -> String {
    let errors: Vec<&Diagnostic> = diagnostics.iter().filter(|d| d.is_error()).collect();
    match errors.as_slice() {
        [] => "the pack has problems".into(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more error{})", rest.len(), if rest.len() == 1 { "" } else { "s" }),
    }
}

/// Why listing, creating or saving packs failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A file or folder could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file or folder concerned.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// `create` found a pack already there.
    #[error("{} already holds a pack; choose another folder", dir.display())]
    AlreadyExists {
        /// The folder.
        dir: PathBuf,
    },
    /// `create` found other files there.
    #[error("{} is not empty; choose a new or empty folder for the pack", dir.display())]
    NotEmpty {
        /// The folder.
        dir: PathBuf,
    },
    /// An article id that cannot be a file name inside `articles/`.
    #[error("{id:?} cannot name an article: {reason}")]
    BadArticleId {
        /// The id given.
        id: String,
        /// Why not.
        reason: &'static str,
    },
    /// The pack could not be turned into TOML.
    #[error("cannot write {what}: {message}")]
    Serialize {
        /// Which file.
        what: String,
        /// Why.
        message: String,
    },
    /// The pack on disk could not be loaded.
    #[error(transparent)]
    Pack(PackError),
    /// A pack name that is not a plain folder inside the library.
    #[error("\"{name}\" is not a pack folder in the library")]
    OutsideLibrary {
        /// The name given.
        name: String,
    },
    /// No pack of that name.
    #[error("there is no pack \"{name}\" in the library (it may have been moved or deleted)")]
    NoSuchPack {
        /// The name given.
        name: String,
    },
    /// The request cannot be carried out as asked.
    #[error("{message}")]
    Refused {
        /// Why, as one sentence.
        message: String,
    },
    /// Someone else saved the pack since it was loaded.
    #[error("{} was changed by another program since you opened it; reopen it to see those changes (your edits are kept in the app)", dir.display())]
    Conflict {
        /// The pack folder.
        dir: PathBuf,
    },
}
