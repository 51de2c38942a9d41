//! The one error type that crosses to the UI, as `{kind, message, file?, line?, diagnostics}`.

use briefpack::diagnostic::Diagnostic;
use briefpack::pack::{PackError, StoreError};
use briefpack::render::RenderError;
use serde::Serialize;

/// An error the UI can act on by its `kind`.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ApiError {
    /// `not_found`, `invalid_pack`, `conflict`, `outside_library`, `io`, `template`, `render`, `bad_request`.
    pub kind: String,
    /// One sentence for a person.
    pub message: String,
    /// The file concerned, when there is one.
    pub file: Option<String>,
    /// Its line, when known.
    pub line: Option<usize>,
    /// Every problem, for a pack that does not load.
    pub diagnostics: Vec<Diagnostic>,
}

impl ApiError {
    /// An error of `kind` with a message.
    pub fn new(kind: &str, message: impl Into<String>) -> Self {
        ApiError { kind: kind.into(), message: message.into(), file: None, line: None, diagnostics: Vec::new() }
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
                let first = diagnostics.iter().find(|d| d.is_error()).cloned();
                ApiError {
                    kind: "invalid_pack".into(),
                    message: PackError::Invalid { diagnostics: diagnostics.clone() }.to_string(),
                    file: first.as_ref().map(|d| d.file.display().to_string()),
                    line: first.map(|d| d.line),
                    diagnostics,
                }
            }
            PackError::NotAPack { .. } => ApiError::new("not_found", e.to_string()),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict { .. } => ApiError::new("conflict", e.to_string()),
            StoreError::Pack(p) => p.into(),
            StoreError::Io { ref path, .. } => ApiError { file: Some(path.display().to_string()), ..ApiError::new("io", e.to_string()) },
            other => ApiError::new("bad_request", other.to_string()),
        }
    }
}

impl From<RenderError> for ApiError {
    fn from(e: RenderError) -> Self {
        match e {
            RenderError::Pack(p) => p.into(),
            RenderError::Template(t) => ApiError::new("template", t.to_string()),
            other => ApiError::new("render", other.to_string()),
        }
    }
}
