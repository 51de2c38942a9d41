//! The driver: chains the stages for the two things users build.
//!
//! [`markdown_to_pdf`] renders a plain Markdown file (the `briefpack build
//! FILE.md` path). Each stage stays callable on its own; this module only
//! wires them together and collects warnings.

use crate::diagnostic::{Diagnostic, Severity};
use crate::fonts::FontSet;
use crate::layout::{self, Assets, Furniture, LayoutError, Style};
use crate::markdown;
use crate::pdf::{self, PdfError, PdfMetadata};

/// A finished PDF and what was noticed while making it.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The PDF file's bytes.
    pub pdf: Vec<u8>,
    /// Number of pages.
    pub pages: usize,
    /// Problems that did not stop the build (characters no font has, …).
    pub warnings: Vec<Diagnostic>,
}

/// Why a document could not be rendered.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// Layout failed (an image could not be used).
    #[error(transparent)]
    Layout(#[from] LayoutError),
    /// Writing the PDF failed.
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

/// Renders Markdown `source` (read from `source_name`, used in warnings) with
/// `style`. The title is the first heading; images are read through `assets`.
pub fn markdown_to_pdf(
    source: &str,
    source_name: &str,
    style: &Style,
    fonts: &FontSet,
    assets: &dyn Assets,
) -> Result<Rendered, RenderError> {
    let document = markdown::parse(source);
    let title = document.first_heading().unwrap_or_else(|| source_name.to_string());
    let warnings = uncovered_characters(source, source_name, fonts);
    let furniture = Furniture { title: title.clone(), ..Furniture::default() };
    let layout = layout::layout(&document, style, fonts, assets, &furniture)?;
    drop(document);
    let metadata = PdfMetadata { title, ..PdfMetadata::default() };
    let pages = layout.pages.len();
    let pdf = pdf::write_pdf_owned(layout, fonts, &metadata)?;
    Ok(Rendered { pdf, pages, warnings })
}

/// One warning per character that no bundled font can draw, at its first position.
pub fn uncovered_characters(source: &str, source_name: &str, fonts: &FontSet) -> Vec<Diagnostic> {
    fonts
        .uncovered(source)
        .into_iter()
        .map(|(c, line, column)| Diagnostic {
            severity: Severity::Warning,
            file: source_name.into(),
            line,
            column,
            field: None,
            message: format!("the character '{c}' (U+{:04X}) is in none of Briefpack's fonts and prints as an empty box", u32::from(c)),
            hint: Some("replace it, or describe it in words".into()),
        })
        .collect()
}
