//! The commands the UI calls. Each is a few lines: resolve the pack folder
//! inside the open library, call one core function, map the error.
//!
//! Commands that touch files are `async` so that Tauri runs them off the main
//! thread, which on Linux is the one that draws the window: a build or a save
//! never freezes typing or scrolling.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

use base64::Engine;
use briefpack::diagnostic::Diagnostic;
use briefpack::fonts::FontSet;
use briefpack::pack::store::{self, PackDocument, PackSummary};
use briefpack::{pack, render, template};
use serde::Serialize;
use tauri::State;

use crate::error::ApiError;
use crate::library::{folder_for, pack_dir};

/// What the commands share: the open library and the parsed fonts.
pub struct AppState {
    /// The library folder.
    pub library: Mutex<PathBuf>,
    /// Bundled fonts, parsed once.
    pub fonts: FontSet,
    /// Files this session exported, the only ones the app will open or reveal.
    pub exported: Mutex<Vec<PathBuf>>,
}

impl AppState {
    fn library(&self) -> Result<PathBuf, ApiError> {
        self.library.lock().map(|l| l.clone()).map_err(|_| ApiError::new("io", "the library state is unavailable"))
    }
}

/// The open library and its packs.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LibraryView {
    /// The library folder.
    pub path: String,
    /// Its packs, newest first; broken ones carry their problem.
    pub packs: Vec<PackSummary>,
}

/// A pack opened for editing.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct OpenedPack {
    /// Folder name in the library.
    pub name: String,
    /// The content.
    pub document: PackDocument,
    /// What was on disk when it was read; saves must name it.
    pub revision: String,
    /// Warnings (stale or unsourced figures, …).
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of a save.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Saved {
    /// The new revision on disk.
    pub revision: String,
    /// Files written (unchanged files are not rewritten).
    pub written: Vec<String>,
    /// Every problem `check` now reports.
    pub diagnostics: Vec<Diagnostic>,
}

/// A rendered preview.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Preview {
    /// The PDF, base64.
    pub pdf_base64: String,
    /// Pages.
    pub pages: usize,
    /// One fingerprint per page: the preview redraws only pages whose fingerprint changed.
    pub page_fingerprints: Vec<String>,
    /// Milliseconds the build took.
    #[ts(type = "number")]
    pub millis: u64,
    /// Template and edition used.
    pub template: String,
    /// Edition used.
    pub edition: Option<String>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
}

/// A template the pack can use.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TemplateView {
    /// Name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// Its editions.
    pub editions: Vec<String>,
}

#[tauri::command(async)]
pub fn open_library(state: State<'_, AppState>, path: Option<String>) -> Result<LibraryView, ApiError> {
    if let Some(path) = path {
        let path = PathBuf::from(path);
        if !path.is_dir() {
            return Err(ApiError::new("not_found", format!("{} is not a folder", path.display())));
        }
        *state.library.lock().map_err(|_| ApiError::new("io", "the library state is unavailable"))? = path;
    }
    let library = state.library()?;
    std::fs::create_dir_all(&library).map_err(|e| ApiError::new("io", format!("cannot create the library {}: {e}", library.display())))?;
    Ok(LibraryView { path: library.display().to_string(), packs: store::list_packs(&library)? })
}

#[tauri::command(async)]
pub fn create_pack(state: State<'_, AppState>, title: String) -> Result<String, ApiError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(ApiError::new("bad_request", "give the pack a title"));
    }
    let library = state.library()?;
    let name = folder_for(&library, title);
    let today = chrono::Local::now().date_naive();
    store::create_pack(&library.join(&name), &store::new_pack(title, today))?;
    Ok(name)
}

#[tauri::command(async)]
pub fn duplicate_pack(state: State<'_, AppState>, name: String) -> Result<String, ApiError> {
    let library = state.library()?;
    let source = pack_dir(&library, &name)?;
    let copy = folder_for(&library, &format!("{name} copy"));
    // A byte-for-byte copy keeps comments and layout; only the title changes.
    store::copy_pack(&source, &library.join(&copy))?;
    let mut loaded = pack::load(&library.join(&copy))?.pack;
    loaded.meta.title = format!("{} (copy)", loaded.meta.title);
    store::save_pack(&library.join(&copy), &loaded)?;
    Ok(copy)
}

/// Moves a pack to the library's `.trash` folder (so it can be restored) and returns its trash name.
#[tauri::command(async)]
pub fn delete_pack(state: State<'_, AppState>, name: String) -> Result<String, ApiError> {
    let library = state.library()?;
    let dir = pack_dir(&library, &name)?;
    let trash = library.join(".trash");
    std::fs::create_dir_all(&trash).map_err(|e| ApiError::new("io", format!("cannot create {}: {e}", trash.display())))?;
    let target = folder_for(&trash, &name);
    std::fs::rename(&dir, trash.join(&target)).map_err(|e| ApiError::new("io", format!("cannot move {} to the trash: {e}", dir.display())))?;
    Ok(target)
}

#[tauri::command(async)]
pub fn restore_pack(state: State<'_, AppState>, trashed: String) -> Result<String, ApiError> {
    let library = state.library()?;
    let from = pack_dir(&library.join(".trash"), &trashed)?;
    let name = folder_for(&library, &trashed);
    std::fs::rename(&from, library.join(&name)).map_err(|e| ApiError::new("io", format!("cannot restore {}: {e}", from.display())))?;
    Ok(name)
}

#[tauri::command(async)]
pub fn load_pack(state: State<'_, AppState>, name: String) -> Result<OpenedPack, ApiError> {
    let dir = pack_dir(&state.library()?, &name)?;
    let revision = store::revision(&dir)?;
    let loaded = pack::load(&dir)?;
    Ok(OpenedPack { name, document: loaded.pack.into(), revision, diagnostics: loaded.warnings })
}

#[tauri::command(async)]
pub fn save_pack(state: State<'_, AppState>, name: String, document: PackDocument, revision: String) -> Result<Saved, ApiError> {
    let dir = pack_dir(&state.library()?, &name)?;
    let (report, revision) = store::save_pack_if_unchanged(&dir, &document.into(), &revision)?;
    Ok(Saved { revision, written: report.written.iter().map(|p| p.display().to_string()).collect(), diagnostics: pack::check(&dir) })
}

#[tauri::command(async)]
pub fn check_pack(state: State<'_, AppState>, name: String) -> Result<Vec<Diagnostic>, ApiError> {
    Ok(pack::check(&pack_dir(&state.library()?, &name)?))
}

#[tauri::command(async)]
pub fn list_templates(state: State<'_, AppState>, name: String) -> Result<Vec<TemplateView>, ApiError> {
    let dir = pack_dir(&state.library()?, &name)?;
    Ok(template::list(&render::template_search_path(&dir))
        .into_iter()
        .map(|t| TemplateView { name: t.name, description: t.info.description, editions: t.info.editions })
        .collect())
}

#[tauri::command(async)]
pub fn render_preview(state: State<'_, AppState>, name: String, template: Option<String>, edition: Option<String>) -> Result<Preview, ApiError> {
    let started = Instant::now();
    let dir = pack_dir(&state.library()?, &name)?;
    let built = render::pack_to_pdf(&dir, template.as_deref(), edition.as_deref(), &state.fonts)?;
    Ok(Preview {
        pdf_base64: base64::engine::general_purpose::STANDARD.encode(&built.output.pdf),
        pages: built.output.pages,
        page_fingerprints: built.output.page_fingerprints,
        millis: started.elapsed().as_millis() as u64,
        template: built.template,
        edition: built.edition,
        warnings: built.output.warnings,
    })
}

/// Writes the PDF to `path`, which comes from the save dialog the user answered.
#[tauri::command(async)]
pub fn export_pdf(state: State<'_, AppState>, name: String, template: Option<String>, edition: Option<String>, path: String) -> Result<String, ApiError> {
    let dir = pack_dir(&state.library()?, &name)?;
    let built = render::pack_to_pdf(&dir, template.as_deref(), edition.as_deref(), &state.fonts)?;
    let target = PathBuf::from(&path);
    briefpack::atomic::write_atomic(&target, &built.output.pdf).map_err(|e| ApiError { file: Some(path.clone()), ..ApiError::new("io", format!("cannot write {path}: {e}")) })?;
    state.exported.lock().map_err(|_| ApiError::new("io", "state unavailable"))?.push(target);
    Ok(path)
}

/// The file name the save dialog suggests for an export.
#[tauri::command]
pub fn suggested_export_name(state: State<'_, AppState>, name: String, template: Option<String>, edition: Option<String>) -> Result<String, ApiError> {
    let dir = pack_dir(&state.library()?, &name)?;
    let loaded = pack::load(&dir)?.pack;
    let template = template.unwrap_or(loaded.meta.template);
    Ok(match edition.or(loaded.meta.edition) {
        Some(e) => format!("{name}-{template}-{e}.pdf"),
        None => format!("{name}-{template}.pdf"),
    })
}

/// Opens a file this session exported, in the system's PDF viewer.
#[tauri::command]
pub fn open_exported<R: tauri::Runtime>(app: tauri::AppHandle<R>, state: State<'_, AppState>, path: String, reveal: bool) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    let target = PathBuf::from(&path);
    let known = state.exported.lock().map_err(|_| ApiError::new("io", "state unavailable"))?.contains(&target);
    if !known {
        return Err(ApiError::new("outside_library", "only files exported in this session can be opened from here"));
    }
    let result = if reveal { app.opener().reveal_item_in_dir(&target) } else { app.opener().open_path(path.clone(), None::<&str>) };
    result.map_err(|e| ApiError::new("io", format!("cannot open {path}: {e}")))
}

/// Removes an article file from a pack (the UI has already removed it from its sections).
#[tauri::command]
pub fn delete_article(state: State<'_, AppState>, name: String, id: String) -> Result<(), ApiError> {
    let dir = pack_dir(&state.library()?, &name)?;
    Ok(store::delete_article(&dir, &id)?)
}

/// Shows a pack's folder in the file manager.
#[tauri::command]
pub fn reveal_pack<R: tauri::Runtime>(app: tauri::AppHandle<R>, state: State<'_, AppState>, name: String) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    let dir = pack_dir(&state.library()?, &name)?;
    app.opener().reveal_item_in_dir(dir.join(pack::PACK_FILE)).map_err(|e| ApiError::new("io", format!("cannot show {}: {e}", dir.display())))
}

/// For end-to-end tests only: the answer to a native file dialog (`"save"` or
/// `"open"`), which WebDriver cannot reach. Set by the test harness in
/// `BRIEFPACK_TEST_SAVE_PATH` / `BRIEFPACK_TEST_OPEN_PATH`, never by users.
#[tauri::command]
pub fn test_dialog_path(dialog: String) -> Option<String> {
    let variable = match dialog.as_str() {
        "save" => "BRIEFPACK_TEST_SAVE_PATH",
        "open" => "BRIEFPACK_TEST_OPEN_PATH",
        _ => return None,
    };
    std::env::var(variable).ok().filter(|p| !p.is_empty())
}

/// What an imported file would add, for the user to accept or reject item by item.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportPreview {
    /// The file, as picked.
    pub path: String,
    /// Headline, if found.
    pub title: Option<String>,
    /// By-line, if found.
    pub byline: Option<String>,
    /// Publication date (YYYY-MM-DD), if the page gives one.
    pub date: Option<String>,
    /// The cleaned article.
    pub body_markdown: String,
    /// Proposed statistics, in text order.
    pub statistics: Vec<ProposedStatistic>,
    /// Proposed guidance organisations.
    pub organisations: Vec<ProposedOrganisation>,
}

/// A figure found in the text.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProposedStatistic {
    /// As printed ("35%").
    pub display: String,
    /// What is counted.
    pub label: String,
    /// The period, if the text gives one.
    pub period: Option<String>,
    /// The sentence it came from.
    pub sentence: String,
}

/// An organisation named in the text.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ProposedOrganisation {
    /// Short name ("NPSA").
    pub name: String,
    /// Official address.
    pub url: String,
}

fn import_error(e: briefpack::import::ImportError) -> ApiError {
    ApiError::new("import", e.to_string())
}

/// Reads a file the user picked (open dialog or drop) and proposes what to import.
#[tauri::command(async)]
pub fn import_preview(path: String) -> Result<ImportPreview, ApiError> {
    let file = PathBuf::from(&path);
    let bytes = briefpack::import::read_file(&file).map_err(import_error)?;
    let imported = briefpack::import::import(&file, &bytes).map_err(import_error)?;
    Ok(ImportPreview {
        path,
        title: imported.title,
        byline: imported.byline,
        date: imported.date.map(|d| d.to_string()),
        body_markdown: imported.body_markdown,
        statistics: imported
            .statistics
            .into_iter()
            .map(|s| ProposedStatistic { display: s.display, label: s.label, period: s.period, sentence: s.sentence })
            .collect(),
        organisations: imported.organisations.into_iter().map(|o| ProposedOrganisation { name: o.name, url: o.url }).collect(),
    })
}

/// Adds the article in `path` to the pack, with the proposals the user accepted
/// (by position), and saves atomically if the pack is still at `revision`.
#[tauri::command(async)]
pub fn import_article(
    state: State<'_, AppState>,
    name: String,
    path: String,
    statistics: Vec<usize>,
    organisations: Vec<usize>,
    revision: String,
) -> Result<Saved, ApiError> {
    let dir = pack_dir(&state.library()?, &name)?;
    let file = PathBuf::from(&path);
    let bytes = briefpack::import::read_file(&file).map_err(import_error)?;
    let imported = briefpack::import::import(&file, &bytes).map_err(import_error)?;
    let mut pack = pack::load(&dir)?.pack;
    let options = briefpack::import::AcceptOptions {
        statistics,
        organisations,
        retrieved: Some(chrono::Local::now().date_naive()),
        fallback_title: file.file_stem().map(|s| s.to_string_lossy().into_owned()),
    };
    briefpack::import::add_to_pack(&mut pack, &imported, &options);
    let (report, revision) = store::save_pack_if_unchanged(&dir, &pack, &revision)?;
    Ok(Saved { revision, written: report.written.iter().map(|p| p.display().to_string()).collect(), diagnostics: pack::check(&dir) })
}
