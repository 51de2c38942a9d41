//! File and folder dialogs, opened from Rust: the paths the app reads and
//! writes come from a dialog the user answered (or a file they dropped on the
//! window), never from the webview.
//!
//! Tests cannot answer a native dialog, so [`Dialogs::Answered`] gives the
//! answers in advance: the command tests build it directly, and a build with
//! the `test-dialogs` feature (the end-to-end suite's) reads them from the
//! environment. Release builds do not have that feature.

use std::path::{Path, PathBuf};

use tauri::{AppHandle, Runtime};
use tauri_plugin_dialog::{DialogExt, FileDialogBuilder};

/// How the app asks for a file or folder.
#[derive(Debug)]
pub enum Dialogs {
    /// The system's own dialogs.
    Native,
    /// Answers given in advance, for tests.
    Answered(Answers),
}

/// The answer each kind of dialog gives; `None` is the user cancelling.
#[derive(Debug, Default, Clone)]
pub struct Answers {
    /// Where to save an exported PDF.
    pub save: Option<PathBuf>,
    /// Which page to import.
    pub open: Option<PathBuf>,
    /// Which folder to open as the library.
    pub folder: Option<PathBuf>,
    /// Which PDF to trace.
    pub trace: Option<PathBuf>,
    /// Which image to make the library's logo.
    pub logo: Option<PathBuf>,
}

impl Dialogs {
    /// Answers from `BRIEFPACK_TEST_SAVE_PATH`, `BRIEFPACK_TEST_OPEN_PATH`,
    /// `BRIEFPACK_TEST_FOLDER_PATH`, `BRIEFPACK_TEST_TRACE_PATH` and `BRIEFPACK_TEST_LOGO_PATH`, when any is
    /// set (end-to-end tests only). Tracing has its own answer because the suite
    /// sets them once for every test, and the page to import is not a PDF.
    #[cfg(feature = "test-dialogs")]
    pub fn from_environment() -> Dialogs {
        let var = |name: &str| std::env::var_os(name).filter(|v| !v.is_empty()).map(PathBuf::from);
        let answers = Answers {
            save: var("BRIEFPACK_TEST_SAVE_PATH"),
            open: var("BRIEFPACK_TEST_OPEN_PATH"),
            folder: var("BRIEFPACK_TEST_FOLDER_PATH"),
            trace: var("BRIEFPACK_TEST_TRACE_PATH"),
            logo: var("BRIEFPACK_TEST_LOGO_PATH"),
        };
        if answers.save.is_some() || answers.open.is_some() || answers.folder.is_some() || answers.trace.is_some() || answers.logo.is_some() {
            Dialogs::Answered(answers)
        } else {
            Dialogs::Native
        }
    }

    /// Asks where to save a PDF, starting in `directory` with `file_name` filled in.
    pub fn save_pdf<R: Runtime>(&self, app: &AppHandle<R>, directory: Option<&Path>, file_name: &str) -> Option<PathBuf> {
        match self {
            Dialogs::Answered(a) => a.save.clone(),
            Dialogs::Native => native(app, "Export PDF", directory).set_file_name(file_name).add_filter("PDF", &["pdf"]).blocking_save_file().and_then(|p| p.into_path().ok()),
        }
    }

    /// Asks for a saved page to import, starting in `directory`.
    pub fn open_article<R: Runtime>(&self, app: &AppHandle<R>, directory: Option<&Path>) -> Option<PathBuf> {
        match self {
            Dialogs::Answered(a) => a.open.clone(),
            Dialogs::Native => native(app, "Import an article", directory)
                .add_filter("Saved pages", &["html", "htm", "txt", "md"])
                .blocking_pick_file()
                .and_then(|p| p.into_path().ok()),
        }
    }

    /// Asks for a PDF to trace, starting in `directory`.
    pub fn open_pdf<R: Runtime>(&self, app: &AppHandle<R>, directory: Option<&Path>) -> Option<PathBuf> {
        match self {
            Dialogs::Answered(a) => a.trace.clone(),
            Dialogs::Native => native(app, "Trace a PDF: whose copy is it?", directory).add_filter("PDF", &["pdf"]).blocking_pick_file().and_then(|p| p.into_path().ok()),
        }
    }

    /// Asks for the library's logo, a PNG or JPEG image, starting in `directory`.
    pub fn open_image<R: Runtime>(&self, app: &AppHandle<R>, directory: Option<&Path>) -> Option<PathBuf> {
        match self {
            Dialogs::Answered(a) => a.logo.clone(),
            Dialogs::Native => native(app, "Choose the logo", directory)
                .add_filter("Images (PNG, JPEG)", &["png", "jpg", "jpeg"])
                .blocking_pick_file()
                .and_then(|p| p.into_path().ok()),
        }
    }

    /// Asks for a folder to open as the library.
    pub fn pick_folder<R: Runtime>(&self, app: &AppHandle<R>, directory: Option<&Path>) -> Option<PathBuf> {
        match self {
            Dialogs::Answered(a) => a.folder.clone(),
            Dialogs::Native => native(app, "Open a library folder", directory).blocking_pick_folder().and_then(|p| p.into_path().ok()),
        }
    }
}

/// A native file dialog titled `title`, starting in `directory` when there is one.
fn native<R: Runtime>(app: &AppHandle<R>, title: &str, directory: Option<&Path>) -> FileDialogBuilder<R> {
    let dialog = app.dialog().file().set_title(title);
    match directory {
        Some(directory) => dialog.set_directory(directory),
        None => dialog,
    }
}
