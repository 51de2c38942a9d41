//! Briefpack's core: pack folders in, formatted PDF briefing packs out.
//!
//! The pipeline runs in stages, each one public function over plain data:
//!
//! 1. [`pack`]: pack folder → [`pack::Pack`] ([`pack::load`]; saving in [`pack::store`])
//! 2. [`template`]: `Pack` + template → Markdown and the data of its special
//!    blocks ([`template::Template::render`]; pack text is escaped on the way in)
//! 3. [`markdown`]: Markdown → [`markdown::Document`] ([`markdown::parse`], comrak inside)
//! 4. [`layout`]: `Document` → pages of placed boxes ([`layout::layout`])
//! 5. [`pdf`]: pages → PDF bytes ([`pdf::write_pdf`], printpdf and lopdf inside);
//!    for the app's preview, [`raster`]: a page → pixels ([`raster::PagePainter::paint`])
//!
//! [`render`] chains the stages for the two things people build (a pack, a
//! Markdown file). Beside the pipeline: [`check`] (every problem of a pack,
//! including what its template would hit), [`import`] (a saved web page → an
//! article and proposed figures and links), [`distribute`] (numbered, named
//! copies for a pack's recipients, their log, and tracing a found copy),
//! [`library`] (a folder of packs: creating, copies, trash), [`house`] (a
//! library's house style: organisation, logo, colours, font), [`prose`]
//! (sentences, figures and probability words in what people wrote, for the
//! importer and the editorial checks) and [`atomic`] (crash-safe writes).
//!
//! Problems in users' files are reported as [`diagnostic::Diagnostic`]s that
//! name the file, line, column and field in plain words. This crate knows
//! nothing of Tauri or clap: the CLI and the desktop app are thin adapters
//! over it. The clock never enters: dates come from the pack (the one time a
//! caller passes in is when distributed copies were issued, for their log).

#![warn(missing_docs)]

pub mod atomic;
pub mod check;
pub mod diagnostic;
pub mod distribute;
pub mod files;
pub mod fonts;
pub mod house;
pub mod import;
pub mod layout;
pub mod library;
pub mod markdown;
pub mod numbers;
pub mod pack;
pub mod pdf;
pub mod prose;
pub mod raster;
pub mod render;
pub mod template;
mod toml_source;
