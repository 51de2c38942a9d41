//! Stage 3 of the pipeline: Markdown text → [`Document`].
//!
//! [`parse`] reads GitHub-flavoured Markdown (tables, footnotes,
//! strikethrough, autolinks, task lists, alerts) with comrak and converts it
//! into our own block/inline tree, so comrak's types never leave this module
//! and the layout stage works on plain data. Straight quotes and dashes are
//! made typographic ("smart punctuation") here, once.

mod convert;
mod document;

pub use document::*;

/// Parses Markdown into a [`Document`]. Never fails: Markdown has no syntax errors.
pub fn parse(markdown: &str) -> Document {
    convert::convert(markdown)
}
