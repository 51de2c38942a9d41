//! The commands the UI calls. Each is a few lines: resolve the pack folder
//! inside the open library, call one core function, map the error.
//!
//! No command takes a file-system path from the webview: packs are named by
//! their folder in the library, files to import and places to export come from
//! a dialog opened here (or a file dropped on the window), and exported files
//! are referred to by the number this session gave them.
//!
//! Commands that touch files are `async` so that Tauri runs them off the main
//! thread, which on Linux is the one that draws the window: a build or a save
//! never freezes typing or scrolling.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use briefpack::diagnostic::Diagnostic;
use briefpack::fonts::FontSet;
use briefpack::raster::PageLink;
use briefpack::pack::store::{self, PackDocument, PackSummary};
use briefpack::{check, import, library, pack, render, template};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::dialogs::Dialogs;
use crate::error::{ApiError, ErrorKind};

/// What the commands share.
pub struct AppState {
    /// The library folder (absolute).
    pub library: Mutex<PathBuf>,
    /// Bundled fonts, parsed once.
    pub fonts: FontSet,
    /// How file and folder dialogs are answered.
    pub dialogs: Dialogs,
    /// Where the app remembers the last library and export folder (none in tests).
    pub config_dir: Option<PathBuf>,
    /// Files this session exported, the only ones the app will open or reveal; the UI names them by index.
    pub exported: Mutex<Vec<PathBuf>>,
    /// The page picked or dropped for import, until it is imported or another replaces it.
    pub importing: Mutex<Option<PathBuf>>,
    /// The file last dropped on the window: the UI says whether to import or trace it.
    pub dropped: Mutex<Option<PathBuf>>,
    /// Set by Cancel to stop the distribution under way between two copies.
    pub cancel_distribution: AtomicBool,
    /// Folders this session's distributions wrote copies to, the only ones it opens; the UI names them by index.
    pub distributed: Mutex<Vec<PathBuf>>,
    /// The latest preview builds, painted page by page as the UI asks.
    pub previews: Mutex<Previews>,
}

/// The settings file that remembers the last library.
pub const LAST_LIBRARY_FILE: &str = "last-library.txt";
const LAST_EXPORT_FOLDER_FILE: &str = "last-export-folder.txt";

impl AppState {
    /// The state for a library folder, with the given dialogs and settings folder.
    pub fn new(library: PathBuf, dialogs: Dialogs, config_dir: Option<PathBuf>) -> Result<AppState, briefpack::fonts::FontError> {
        Ok(AppState {
            library: Mutex::new(library),
            fonts: FontSet::bundled()?,
            dialogs,
            config_dir,
            exported: Mutex::new(Vec::new()),
            importing: Mutex::new(None),
            dropped: Mutex::new(None),
            cancel_distribution: AtomicBool::new(false),
            distributed: Mutex::new(Vec::new()),
            previews: Mutex::default(),
        })
    }

    pub(crate) fn library(&self) -> Result<PathBuf, ApiError> {
        Ok(lock(&self.library)?.clone())
    }

    pub(crate) fn pack_dir(&self, name: &str) -> Result<PathBuf, ApiError> {
        Ok(library::pack_dir(&self.library()?, name)?)
    }

    /// A setting remembered between runs (a folder), if it is still there.
    pub fn remembered(&self, file: &str) -> Option<PathBuf> {
        let text = std::fs::read_to_string(self.config_dir.as_ref()?.join(file)).ok()?;
        Some(PathBuf::from(text.trim())).filter(|p| p.is_absolute() && p.is_dir())
    }

    /// Remembers a folder for next time; failing to remember is not worth stopping for.
    pub fn remember(&self, file: &str, folder: &Path) {
        if let Some(config) = &self.config_dir {
            let _ = std::fs::create_dir_all(config).and_then(|_| briefpack::atomic::write_atomic(&config.join(file), folder.display().to_string().as_bytes()));
        }
    }

    /// Records a file dropped on the window, to import or trace as the UI then asks.
    pub fn dropped(&self, path: PathBuf) {
        if let Ok(mut dropped) = self.dropped.lock() {
            *dropped = Some(path);
        }
    }

    pub(crate) fn dropped_file(&self) -> Result<PathBuf, ApiError> {
        lock(&self.dropped)?.clone().ok_or_else(|| ApiError::new(ErrorKind::NotFound, "no file was dropped on the window"))
    }
}

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> Result<MutexGuard<'_, T>, ApiError> {
    mutex.lock().map_err(|_| ApiError::new(ErrorKind::Internal, "the app's state is unavailable; restart Briefpack"))
}

pub(crate) fn folder_name(dir: &Path) -> String {
    dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
}

/// The open library, its packs and its trash.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct LibraryView {
    /// The library folder.
    pub path: String,
    /// Its packs, newest first; broken ones carry their problem.
    pub packs: Vec<PackSummary>,
    /// Deleted packs that can still be restored, most recent first.
    pub trash: Vec<PackSummary>,
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
    /// Every problem `check` reports.
    pub diagnostics: Vec<Diagnostic>,
}

/// The result of a save.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Saved {
    /// The new revision on disk.
    pub revision: String,
    /// Files written or removed (unchanged files are not rewritten).
    pub written: Vec<String>,
    /// Every problem `check` now reports.
    pub diagnostics: Vec<Diagnostic>,
}

/// A preview build: its pages' sizes, fingerprints and links. The pages
/// themselves are painted when they come into view ([`preview_page`]).
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Preview {
    /// Names this build for [`preview_page`] (until two later builds replace it).
    #[ts(type = "number")]
    pub build: u64,
    /// The pages, in order.
    pub pages: Vec<PreviewPage>,
    /// Estimated minutes to read the document (about 200 words a minute), shown beside the page count.
    pub reading_minutes: u32,
    /// Milliseconds the build took.
    #[ts(type = "number")]
    pub millis: u64,
    /// Template used.
    pub template: String,
    /// Edition used.
    pub edition: Option<String>,
    /// Warnings.
    pub warnings: Vec<Diagnostic>,
}

/// One page of a preview.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct PreviewPage {
    /// Width in points (a landscape page is wider than it is tall).
    pub width: f32,
    /// Height in points.
    pub height: f32,
    /// What is drawn on it: the preview repaints only pages whose fingerprint changed.
    pub fingerprint: String,
    /// Its live links, over the page.
    pub links: Vec<PageLink>,
}

/// The last two preview builds, by number: a page still being asked for from the
/// build before the latest is painted instead of failing, and a long pack's
/// layouts are not held many times over.
#[derive(Default)]
pub struct Previews {
    last: u64,
    kept: VecDeque<(u64, Arc<render::PackPreview>)>,
    /// The layout the last save's check made: the next preview of that pack in its
    /// own template shows it, if the pack is still at that revision, instead of
    /// laying the pack out a second time.
    from_save: Option<SavedLayout>,
}

/// A layout made by a save's check.
struct SavedLayout {
    dir: PathBuf,
    revision: String,
    millis: u64,
    preview: render::PackPreview,
}

/// Builds kept for painting.
const KEPT_PREVIEWS: usize = 2;

impl Previews {
    fn get(&self, build: u64) -> Option<Arc<render::PackPreview>> {
        self.kept.iter().find(|(n, _)| *n == build).map(|(_, preview)| preview.clone())
    }
}

impl AppState {
    /// The layout the last save's check made of the pack in `dir`, if nothing has changed it since.
    fn layout_from_save(&self, dir: &Path) -> Result<Option<(render::PackPreview, u64)>, ApiError> {
        let Some(saved) = lock(&self.previews)?.from_save.take() else { return Ok(None) };
        let current = saved.dir == dir && store::revision(dir).is_ok_and(|revision| revision == saved.revision);
        Ok(current.then_some((saved.preview, saved.millis)))
    }

    /// Keeps `built` (made in `millis`) for painting and describes it to the UI.
    pub(crate) fn preview_of(&self, built: render::PackPreview, millis: u64) -> Result<Preview, ApiError> {
        let layout = built.painter.layout();
        let pages = (0..layout.pages.len())
            .map(|index| {
                let (width, height) = layout.page_size(index);
                PreviewPage { width, height, fingerprint: built.page_fingerprints[index].clone(), links: built.painter.links(index) }
            })
            .collect();
        let (reading_minutes, template, edition, warnings) = (built.reading_minutes, built.template.clone(), built.edition.clone(), built.warnings.clone());
        let mut previews = lock(&self.previews)?;
        previews.last += 1;
        let build = previews.last;
        previews.kept.push_back((build, Arc::new(built)));
        while previews.kept.len() > KEPT_PREVIEWS {
            previews.kept.pop_front();
        }
        Ok(Preview { build, pages, reading_minutes, millis, template, edition, warnings })
    }
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
    /// The kinds of section a new pack for it starts with (what it is built to show).
    pub sections: Vec<pack::SectionKind>,
    /// Why it cannot be used (its style.toml has an error, say), if it cannot.
    pub problem: Option<String>,
}

/// A PDF this session exported.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct Exported {
    /// How the UI refers to it (to open or reveal it).
    pub id: usize,
    /// Where it was written, to show.
    pub path: String,
}

fn library_view(library: &Path) -> Result<LibraryView, ApiError> {
    std::fs::create_dir_all(library).map_err(|e| ApiError::new(ErrorKind::Io, format!("cannot create the library {}: {e}", library.display())))?;
    Ok(LibraryView { path: library.display().to_string(), packs: library::list_packs(library)?, trash: library::list_trash(library)? })
}

#[tauri::command(async)]
pub fn open_library(state: State<'_, AppState>) -> Result<LibraryView, ApiError> {
    library_view(&state.library()?)
}

/// Asks for a folder and opens it as the library; `None` if the user cancelled.
#[tauri::command(async)]
pub fn choose_library<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<LibraryView>, ApiError> {
    let current = state.library()?;
    let Some(folder) = state.dialogs.pick_folder(&app, current.parent()) else { return Ok(None) };
    let view = library_view(&folder)?;
    *lock(&state.library)? = folder.clone();
    state.remember(LAST_LIBRARY_FILE, &folder);
    Ok(Some(view))
}

/// Adds the example pack to the library (offered when the library is empty).
#[tauri::command(async)]
pub fn add_example(state: State<'_, AppState>) -> Result<String, ApiError> {
    Ok(library::add_example(&state.library()?)?)
}

#[tauri::command(async)]
pub fn create_pack(state: State<'_, AppState>, title: String, template: Option<String>) -> Result<String, ApiError> {
    let today = chrono::Local::now().date_naive();
    Ok(library::create_pack(&state.library()?, &title, today, template.as_deref())?)
}

#[tauri::command(async)]
pub fn duplicate_pack(state: State<'_, AppState>, name: String) -> Result<String, ApiError> {
    Ok(library::duplicate_pack(&state.library()?, &name)?)
}

/// Moves a pack to the library's trash; returns its name there.
#[tauri::command(async)]
pub fn delete_pack(state: State<'_, AppState>, name: String) -> Result<String, ApiError> {
    Ok(library::trash_pack(&state.library()?, &name)?)
}

/// Brings a pack back from the trash; returns its name in the library.
#[tauri::command(async)]
pub fn restore_pack(state: State<'_, AppState>, trashed: String) -> Result<String, ApiError> {
    Ok(library::restore_pack(&state.library()?, &trashed)?)
}

/// Deletes the packs in the trash for good; returns how many.
#[tauri::command(async)]
pub fn empty_trash(state: State<'_, AppState>) -> Result<usize, ApiError> {
    Ok(library::empty_trash(&state.library()?)?)
}

#[tauri::command(async)]
pub fn load_pack(state: State<'_, AppState>, name: String) -> Result<OpenedPack, ApiError> {
    let dir = state.pack_dir(&name)?;
    let revision = store::revision(&dir)?;
    let loaded = pack::load(&dir)?;
    Ok(OpenedPack { name, document: loaded.pack.into(), revision, diagnostics: check::check(&dir, &state.fonts) })
}

/// The pack's revision on disk now: differs from the one the editor holds when another program saved.
#[tauri::command(async)]
pub fn pack_revision(state: State<'_, AppState>, name: String) -> Result<String, ApiError> {
    Ok(store::revision(&state.pack_dir(&name)?)?)
}

fn saved(state: &AppState, dir: &Path, (report, revision): (store::SaveReport, String)) -> Saved {
    let started = Instant::now();
    let (diagnostics, layout) = check::check_and_lay_out(dir, &state.fonts);
    if let (Some(preview), Ok(mut previews)) = (layout, lock(&state.previews)) {
        let millis = started.elapsed().as_millis() as u64;
        previews.from_save = Some(SavedLayout { dir: dir.to_path_buf(), revision: revision.clone(), millis, preview });
    }
    Saved { revision, written: report.written.iter().map(|p| p.display().to_string()).collect(), diagnostics }
}

/// Saves the editor's pack if the files are still at `revision` (else `conflict`).
#[tauri::command(async)]
pub fn save_pack(state: State<'_, AppState>, name: String, document: PackDocument, revision: String) -> Result<Saved, ApiError> {
    let dir = state.pack_dir(&name)?;
    let result = store::save_pack_if_unchanged(&dir, &document.into(), &revision)?;
    Ok(saved(&state, &dir, result))
}

/// What "keep mine" would replace: how the pack on disk differs from the editor's.
#[tauri::command(async)]
pub fn conflict_details(state: State<'_, AppState>, name: String, document: PackDocument) -> Result<Vec<String>, ApiError> {
    let dir = state.pack_dir(&name)?;
    let theirs = pack::load(&dir)?.pack;
    Ok(store::differences(&theirs, &document.into()))
}

/// "Keep mine": saves the editor's pack over the other program's changes (the user has seen what goes).
#[tauri::command(async)]
pub fn keep_mine(state: State<'_, AppState>, name: String, document: PackDocument) -> Result<Saved, ApiError> {
    let dir = state.pack_dir(&name)?;
    let result = store::overwrite_pack(&dir, &document.into())?;
    Ok(saved(&state, &dir, result))
}

/// "Save mine as a copy": the editor's pack as a new pack beside the original; returns its name.
#[tauri::command(async)]
pub fn save_as_copy(state: State<'_, AppState>, name: String, document: PackDocument) -> Result<String, ApiError> {
    Ok(library::save_as_copy(&state.library()?, &name, &document.into())?)
}

#[tauri::command(async)]
pub fn check_pack(state: State<'_, AppState>, name: String) -> Result<Vec<Diagnostic>, ApiError> {
    Ok(check::check(&state.pack_dir(&name)?, &state.fonts))
}

#[tauri::command(async)]
pub fn list_templates(state: State<'_, AppState>, name: String) -> Result<Vec<TemplateView>, ApiError> {
    let dir = state.pack_dir(&name)?;
    Ok(template::list(&render::template_search_path(&dir))
        .into_iter()
        .map(|(name, found)| match found {
            Ok(t) => TemplateView { name, description: t.info.description, editions: t.info.editions, sections: t.info.sections, problem: None },
            Err(e) => TemplateView { name, description: String::new(), editions: Vec::new(), sections: Vec::new(), problem: Some(e.to_string()) },
        })
        .collect())
}

/// The preview of the pack in `template` and `edition` (its own when `None`):
/// the layout the last save's check made when it is still current, else a new one.
#[tauri::command(async)]
pub fn render_preview(state: State<'_, AppState>, name: String, template: Option<String>, edition: Option<String>) -> Result<Preview, ApiError> {
    let started = Instant::now();
    let dir = state.pack_dir(&name)?;
    if template.is_none() && edition.is_none() {
        if let Some((built, millis)) = state.layout_from_save(&dir)? {
            return state.preview_of(built, millis);
        }
    }
    let built = render::pack_to_preview(&dir, template.as_deref(), edition.as_deref(), &state.fonts, render::HouseSource::Library)?;
    state.preview_of(built, started.elapsed().as_millis() as u64)
}

/// Page `page` (from 0) of preview `build`, painted `width` pixels wide, as
/// [`briefpack::raster::PageImage::to_indexed`] lays it out, sent as it is (an
/// ArrayBuffer in the webview, no JSON between). Sending costs about 10 ms a
/// megabyte here, so a page of text goes as one byte a pixel. A PNG was tried:
/// smaller still, but WebKit took 18–29 ms to decode each page.
#[tauri::command(async)]
pub fn preview_page(state: State<'_, AppState>, build: u64, page: usize, width: u32) -> Result<tauri::ipc::Response, ApiError> {
    let preview = lock(&state.previews)?
        .get(build)
        .ok_or_else(|| ApiError::new(ErrorKind::NotFound, "that preview has been replaced by a newer one"))?;
    let image = preview.painter.paint(page, preview.fonts(&state.fonts), width)?;
    Ok(tauri::ipc::Response::new(image.to_indexed()))
}

/// Builds the PDF, asks where to save it (starting in the last export folder,
/// with a name that says the template and edition) and writes it there;
/// `None` if the user cancelled.
#[tauri::command(async)]
pub fn export_pdf<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    template: Option<String>,
    edition: Option<String>,
) -> Result<Option<Exported>, ApiError> {
    let dir = state.pack_dir(&name)?;
    let built = render::pack_to_pdf(&dir, template.as_deref(), edition.as_deref(), &state.fonts)?;
    let start_in = state.remembered(LAST_EXPORT_FOLDER_FILE).or_else(|| state.library().ok());
    let Some(target) = state.dialogs.save_pdf(&app, start_in.as_deref(), &built.file_name) else { return Ok(None) };
    let shown = target.display().to_string();
    briefpack::atomic::write_atomic(&target, &built.output.pdf)
        .map_err(|e| ApiError { file: Some(shown.clone()), ..ApiError::new(ErrorKind::Io, format!("cannot write {shown}: {e}")) })?;
    if let Some(folder) = target.parent() {
        state.remember(LAST_EXPORT_FOLDER_FILE, folder);
    }
    let mut exported = lock(&state.exported)?;
    exported.push(target);
    Ok(Some(Exported { id: exported.len() - 1, path: shown }))
}

/// Opens (or shows in its folder) a file this session exported.
#[tauri::command]
pub fn open_exported<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, id: usize, reveal: bool) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    let target = lock(&state.exported)?.get(id).cloned().ok_or_else(|| ApiError::new(ErrorKind::NotFound, "that export is not one of this session's"))?;
    let result = if reveal { app.opener().reveal_item_in_dir(&target) } else { app.opener().open_path(target.display().to_string(), None::<&str>) };
    result.map_err(|e| ApiError::new(ErrorKind::Io, format!("cannot open {}: {e}", target.display())))
}

/// Shows a pack's folder in the file manager.
#[tauri::command]
pub fn reveal_pack<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, name: String) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    let dir = state.pack_dir(&name)?;
    app.opener().reveal_item_in_dir(dir.join(pack::PACK_FILE)).map_err(|e| ApiError::new(ErrorKind::Io, format!("cannot show {}: {e}", dir.display())))
}

/// What an imported file would add, for the user to accept or reject item by item.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct ImportPreview {
    /// The file's name, to show.
    pub file_name: String,
    /// Headline, if found.
    pub title: Option<String>,
    /// By-line, if found.
    pub byline: Option<String>,
    /// Publication date (YYYY-MM-DD), if the page gives one.
    pub date: Option<String>,
    /// The publication, if the page names it.
    pub source: Option<String>,
    /// The marking the file gives the article, if any.
    pub marking: Option<String>,
    /// The cleaned article.
    pub body_markdown: String,
    /// Where in the page the article was found ("reader view (Readability)", "the page's <main> element …").
    pub read_with: String,
    /// Proposed statistics, in text order.
    pub statistics: Vec<ProposedStatistic>,
    /// Proposed organisations: guidance sources, and those named only for context.
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
    /// Named only for context (a department, an intelligence agency), not a place for guidance: not accepted unless the user ticks it.
    pub context: bool,
}

fn import_error(e: import::ImportError) -> ApiError {
    ApiError::new(ErrorKind::Import, e.to_string())
}

fn read_import(file: &Path) -> Result<import::Imported, ApiError> {
    let bytes = import::read_file(file).map_err(import_error)?;
    import::import(file, &bytes).map_err(import_error)
}

fn preview_of(file: &Path) -> Result<ImportPreview, ApiError> {
    let imported = read_import(file)?;
    Ok(ImportPreview {
        file_name: folder_name(file),
        title: imported.title,
        byline: imported.byline,
        date: imported.date.map(|d| d.to_string()),
        source: imported.source,
        marking: imported.marking.map(|m| m.to_string()),
        body_markdown: imported.body_markdown,
        read_with: imported.extraction.describe().to_string(),
        statistics: imported
            .statistics
            .into_iter()
            .map(|s| ProposedStatistic { display: s.display, label: s.label, period: s.period, sentence: s.sentence })
            .collect(),
        organisations: imported
            .organisations
            .into_iter()
            .map(|o| ProposedOrganisation { name: o.name, url: o.url, context: o.kind == import::OrganisationKind::Context })
            .collect(),
    })
}

/// Asks for a saved page and shows what importing it would add; `None` if the user cancelled.
#[tauri::command(async)]
pub fn pick_import<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<ImportPreview>, ApiError> {
    let start_in = lock(&state.importing)?.as_ref().and_then(|p| p.parent().map(Path::to_path_buf));
    let Some(file) = state.dialogs.open_article(&app, start_in.as_deref()) else { return Ok(None) };
    *lock(&state.importing)? = Some(file.clone());
    preview_of(&file).map(Some)
}

/// What importing the file last dropped on the window would add.
#[tauri::command(async)]
pub fn dropped_import(state: State<'_, AppState>) -> Result<ImportPreview, ApiError> {
    let file = state.dropped_file()?;
    *lock(&state.importing)? = Some(file.clone());
    preview_of(&file)
}

/// Adds the page being imported to the pack, with the proposals the user
/// accepted (by position), saved atomically if the pack is still at `revision`.
#[tauri::command(async)]
pub fn import_article(
    state: State<'_, AppState>,
    name: String,
    statistics: Vec<usize>,
    organisations: Vec<usize>,
    revision: String,
) -> Result<Saved, ApiError> {
    let dir = state.pack_dir(&name)?;
    let file = lock(&state.importing)?.clone().ok_or_else(|| ApiError::new(ErrorKind::BadRequest, "choose a page to import first"))?;
    let imported = read_import(&file)?;
    let options = import::AcceptOptions {
        statistics,
        organisations,
        retrieved: Some(chrono::Local::now().date_naive()),
        fallback_title: file.file_stem().map(|s| s.to_string_lossy().replace(['-', '_'], " ")),
    };
    let (_added, revision) = import::import_into(&dir, &imported, &options, Some(&revision))?;
    Ok(Saved { revision, written: Vec::new(), diagnostics: check::check(&dir, &state.fonts) })
}
