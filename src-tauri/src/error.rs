//! The one error type that crosses to the UI, as `{kind, message, file?, line?, diagnostics}`.

use briefpack::diagnostic::Diagnostic;
use briefpack::distribute::{DistributeError, LogError, TraceError};
use briefpack::files::ReadError;
use briefpack::pack::{ListError, PackError, StoreError};
use briefpack::raster::RasterError;
use briefpack::render::RenderError;
use serde::Serialize;

/// What kind of failure: the UI decides what to offer by this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No such pack, file or folder.
    NotFound,
    /// The pack's files have errors (see `diagnostics`).
    InvalidPack,
    /// The library's house style settings (library.toml) have errors (see `diagnostics`).
    InvalidSettings,
    /// Another program changed the pack since it was opened.
    Conflict,
    /// A name that would reach outside the open library.
    OutsideLibrary,
    /// Reading or writing a file failed.
    Io,
    /// The template failed on this pack.
    Template,
    /// Laying out or writing the PDF failed.
    Render,
    /// The request itself is wrong (an empty title, say).
    BadRequest,
    /// The picked file cannot be imported.
    Import,
    /// A distribution was refused: nobody to issue to, or a list that cannot be used.
    Distribution,
    /// A link that Briefpack will not open (made by the UI).
    Link,
    /// Something unexpected (made by the UI for failures that are not an ApiError).
    Internal,
}

/// An error the UI can act on by its `kind`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ApiError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// One sentence for a person.
    pub message: String,
    /// The file concerned, when there is one.
    pub file: Option<String>,
    /// Its line, when known.
    pub line: Option<usize>,
    /// Every problem found, located: a pack that does not load, a template that fails.
    pub diagnostics: Vec<Diagnostic>,
}

impl ApiError {
    /// An error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        ApiError { kind, message: message.into(), file: None, line: None, diagnostics: Vec::new() }
    }

    /// An error whose problems are `diagnostics`, located at the first error among them.
    pub(crate) fn located(kind: ErrorKind, message: String, diagnostics: Vec<Diagnostic>) -> Self {
        let first = diagnostics.iter().find(|d| d.is_error()).cloned();
        ApiError {
            kind,
            message,
            file: first.as_ref().map(|d| d.file.display().to_string()),
            line: first.map(|d| d.line),
            diagnostics,
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl From<PackError> for ApiError {
    fn from(e: PackError) -> Self {
        match e {
            PackError::Invalid { diagnostics } => {
                ApiError::located(ErrorKind::InvalidPack, PackError::Invalid { diagnostics: diagnostics.clone() }.to_string(), diagnostics)
            }
            PackError::NotAPack { .. } => ApiError::new(ErrorKind::NotFound, e.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Pack(p) => p.into(),
            StoreError::Io { ref path, .. } => ApiError { file: Some(path.display().to_string()), ..ApiError::new(ErrorKind::Io, e.to_string()) },
            other => {
                let kind = match other {
                    StoreError::Conflict { .. } => ErrorKind::Conflict,
                    StoreError::OutsideLibrary { .. } => ErrorKind::OutsideLibrary,
                    StoreError::NoSuchPack { .. } => ErrorKind::NotFound,
                    _ => ErrorKind::BadRequest,
                };
                ApiError::new(kind, other.to_string())
            }
        }
    }
}

impl From<RenderError> for ApiError {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Pack(p) => p.into(),
            RenderError::Template(briefpack::template::TemplateError::Located(d)) => {
                ApiError::located(ErrorKind::Template, d.to_string(), vec![d])
            }
            RenderError::Template(briefpack::template::TemplateError::Style(ds)) => {
                ApiError::located(ErrorKind::Template, ds.first().map(ToString::to_string).unwrap_or_default(), ds)
            }
            RenderError::Template(t) => ApiError::new(ErrorKind::Template, t.to_string()),
            RenderError::House(h) => h.into(),
            other => ApiError::new(ErrorKind::Render, other.to_string()),
        }
    }
}

impl From<RasterError> for ApiError {
    fn from(e: RasterError) -> Self {
        let kind = match e {
            RasterError::NoSuchPage { .. } => ErrorKind::NotFound,
            RasterError::Width(_) => ErrorKind::BadRequest,
        };
        ApiError::new(kind, e.to_string())
    }
}

impl From<LogError> for ApiError {
    fn from(e: LogError) -> Self {
        let file = match &e {
            LogError::Unreadable { path, .. } | LogError::Io { path, .. } => path.display().to_string(),
        };
        ApiError { file: Some(file), ..ApiError::new(ErrorKind::Io, e.to_string()) }
    }
}

impl From<DistributeError> for ApiError {
    fn from(e: DistributeError) -> Self {
        match e {
            DistributeError::Render(r) => r.into(),
            DistributeError::Store(s) => s.into(),
            DistributeError::Log(l) => l.into(),
            // A list with errors, or one person twice: located, like a pack's own problems.
            DistributeError::List(ListError::Invalid { diagnostics }) | DistributeError::Recipients { diagnostics } => {
                let message = diagnostics.iter().find(|d| d.is_error()).map_or_else(|| "the recipients have problems".to_string(), ToString::to_string);
                ApiError::located(ErrorKind::Distribution, message, diagnostics)
            }
            DistributeError::Io { ref path, .. } => ApiError { file: Some(path.display().to_string()), ..ApiError::new(ErrorKind::Io, e.to_string()) },
            other => ApiError::new(ErrorKind::Distribution, other.to_string()),
        }
    }
}

impl From<TraceError> for ApiError {
    fn from(e: TraceError) -> Self {
        match e {
            TraceError::Log(l) => l.into(),
            TraceError::File(ReadError::Io { ref source, .. }) if source.kind() == std::io::ErrorKind::NotFound => ApiError::new(ErrorKind::NotFound, e.to_string()),
            TraceError::File(ReadError::TooLarge { .. } | ReadError::NotAFile { .. }) => ApiError::new(ErrorKind::BadRequest, e.to_string()),
            other => ApiError::new(ErrorKind::Io, other.to_string()),
        }
    }
}
