//! Briefpack's core: pack folders in, formatted PDF briefing packs out.
//!
//! The pipeline runs in stages, each one public function over plain data:
//!
//! 1. [`pack`]: pack folder → [`pack::Pack`] (load, validate, save)
//! 2. template: `Pack` → Markdown text (minijinja) — *planned*
//! 3. [`markdown`]: Markdown → [`markdown::Document`] (comrak)
//! 4. layout: `Document` → pages of placed boxes — *planned*
//! 5. pdf: pages → PDF bytes (printpdf) — *planned*
//!
//! Problems in users' files are reported as [`diagnostic::Diagnostic`]s that
//! name the file, line, column and field. This crate knows nothing of Tauri or
//! clap: the CLI and the desktop app are thin adapters over it.

#![warn(missing_docs)]

pub mod atomic;
pub mod diagnostic;
pub mod files;
pub mod fonts;
pub mod import;
pub mod layout;
pub mod markdown;
pub mod pack;
pub mod pdf;
pub mod render;
pub mod template;
mod toml_source;
