//! The commands behind "Distribute…" and the Distribution tab: the library's
//! lists, what a distribution would do, issuing the copies with a progress
//! event per copy and Cancel, the pack's distribution log, opening the folder
//! the copies went to, and tracing a found PDF.
//!
//! All the work is `briefpack::distribute`'s; these adapt it. As everywhere in
//! the app, no command takes a path from the webview: the pack is named by its
//! folder, the folder to open by the number this session gave it, and the file
//! to trace comes from a dialog opened here or a file dropped on the window.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use briefpack::diagnostic::Diagnostic;
use briefpack::distribute::{self, CopyOutcome, DistributeError, DistributionRequest, IssuedCopy, LogEntry, Trace};
use briefpack::pack::{self, Recipient};
use chrono::Timelike;
use serde::Serialize;
use tauri::{AppHandle, Emitter, Runtime, State};

use crate::commands::{folder_name, lock, AppState};
use crate::error::{ApiError, ErrorKind};

/// The event the UI hears after each copy of a distribution is written and logged.
pub const DISTRIBUTION_PROGRESS_EVENT: &str = "distribution-progress";

/// What a distribution would do, for the user to check before issuing copies.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DistributionPlanView {
    /// Who would receive a copy, in copy order.
    pub recipients: Vec<Recipient>,
    /// The template the copies would use.
    pub template: String,
    /// Its edition, if it has editions.
    pub edition: Option<String>,
    /// Whether each copy would carry its recipient's name as a watermark.
    pub watermarked: bool,
    /// The date printed on the copies (YYYY-MM-DD).
    pub issue_date: String,
    /// Where the copies would go, to show.
    pub folder: String,
    /// Problems that would not stop it.
    pub warnings: Vec<Diagnostic>,
}

/// One copy, as the progress rows and the result show it.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct CopyView {
    /// Its number, from 1.
    pub number: usize,
    /// How many copies the distribution has.
    pub of: usize,
    /// Whom it is issued to.
    pub recipient: String,
    /// Its file's name in the distribution folder.
    pub file_name: String,
    /// What this run did for it.
    pub outcome: CopyOutcome,
}

impl From<&IssuedCopy> for CopyView {
    fn from(copy: &IssuedCopy) -> Self {
        CopyView {
            number: copy.number,
            of: copy.of,
            recipient: copy.recipient.name.trim().to_string(),
            file_name: folder_name(&copy.file),
            outcome: copy.outcome,
        }
    }
}

/// The payload of [`DISTRIBUTION_PROGRESS_EVENT`]: a copy is done.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DistributionProgress {
    /// The pack being distributed (its folder name).
    pub pack: String,
    /// Copies done so far.
    pub done: usize,
    /// Copies in all.
    pub total: usize,
    /// The copy just done.
    pub copy: CopyView,
}

/// How a distribution ended: finished, or stopped by Cancel.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct DistributionView {
    /// How the UI refers to the folder holding the copies (to open it); none when no copy was made.
    pub folder_id: Option<usize>,
    /// That folder, to show.
    pub folder: Option<String>,
    /// The copies done, in order.
    pub copies: Vec<CopyView>,
    /// Why it stopped early (the user cancelled), in words; none when every copy was made.
    pub stopped: Option<String>,
    /// Problems that did not stop it.
    pub warnings: Vec<Diagnostic>,
}

/// Whose copy a file is.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct TraceView {
    /// The traced file's name, to show.
    pub file_name: String,
    /// What the distribution logs say.
    pub trace: Trace,
}

fn request(state: &AppState, name: &str, list: Option<String>, template: Option<String>, edition: Option<String>) -> Result<DistributionRequest, ApiError> {
    Ok(DistributionRequest { pack_dir: state.pack_dir(name)?, template, edition, list, ..DistributionRequest::default() })
}

/// The names of the library's distribution lists (`lists/<name>.toml`).
#[tauri::command(async)]
pub fn distribution_lists(state: State<'_, AppState>) -> Result<Vec<String>, ApiError> {
    Ok(pack::list_names(&state.library()?))
}

/// Who would receive a copy of the pack (from `list`, else the pack's own
/// recipients and list), with which template, edition and watermark.
#[tauri::command(async)]
pub fn distribution_plan(
    state: State<'_, AppState>,
    name: String,
    list: Option<String>,
    template: Option<String>,
    edition: Option<String>,
) -> Result<DistributionPlanView, ApiError> {
    let plan = distribute::plan(&request(&state, &name, list, template, edition)?)?;
    Ok(DistributionPlanView {
        recipients: plan.recipients,
        template: plan.template,
        edition: plan.edition,
        watermarked: plan.watermarked,
        issue_date: plan.issue_date.to_string(),
        folder: plan.folder.display().to_string(),
        warnings: plan.warnings,
    })
}

/// Issues a copy of the pack to each recipient, emitting
/// [`DISTRIBUTION_PROGRESS_EVENT`] after each; [`cancel_distribution`] stops it
/// between two copies, and what was done by then is returned, not an error.
#[tauri::command(async)]
pub fn distribute<R: Runtime>(
    app: AppHandle<R>,
    state: State<'_, AppState>,
    name: String,
    list: Option<String>,
    template: Option<String>,
    edition: Option<String>,
) -> Result<DistributionView, ApiError> {
    let request = request(&state, &name, list, template, edition)?;
    state.cancel_distribution.store(false, Ordering::SeqCst);
    // The clock is read here, at the edge, as the CLI does: the log records when the copies were issued.
    let now = chrono::Local::now().fixed_offset();
    let issued_at = now.with_nanosecond(0).unwrap_or(now);
    let mut done: Vec<(CopyView, PathBuf)> = Vec::new();
    let mut report = |p: distribute::Progress<'_>| {
        let copy = CopyView::from(p.copy);
        // A lost event only leaves a progress row behind; the result still lists every copy.
        let _ = app.emit(DISTRIBUTION_PROGRESS_EVENT, DistributionProgress { pack: name.clone(), done: p.done, total: p.total, copy: copy.clone() });
        done.push((copy, p.copy.file.clone()));
    };
    let result = distribute::distribute(&request, issued_at, &state.fonts, &mut report, &state.cancel_distribution);
    let (folder, stopped, warnings) = match result {
        Ok(distribution) => (Some(distribution.folder), None, distribution.warnings),
        Err(stop @ DistributeError::Cancelled { .. }) => (done.first().and_then(|(_, file)| file.parent().map(PathBuf::from)), Some(stop.to_string()), Vec::new()),
        Err(e) => return Err(e.into()),
    };
    let folder_id = match &folder {
        Some(folder) => {
            let mut known = lock(&state.distributed)?;
            Some(known.iter().position(|f| f == folder).unwrap_or_else(|| {
                known.push(folder.clone());
                known.len() - 1
            }))
        }
        None => None,
    };
    Ok(DistributionView { folder_id, folder: folder.map(|f| f.display().to_string()), copies: done.into_iter().map(|(copy, _)| copy).collect(), stopped, warnings })
}

/// Stops the distribution under way after the copy being written.
#[tauri::command]
pub fn cancel_distribution(state: State<'_, AppState>) {
    state.cancel_distribution.store(true, Ordering::SeqCst);
}

/// The pack's distribution log: every copy issued, oldest first.
#[tauri::command(async)]
pub fn distribution_log(state: State<'_, AppState>, name: String) -> Result<Vec<LogEntry>, ApiError> {
    Ok(distribute::DistributionLog::read(&state.pack_dir(&name)?)?.entries)
}

/// Opens, in the file manager, a folder this session distributed copies to.
#[tauri::command]
pub fn open_distribution<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>, id: usize) -> Result<(), ApiError> {
    use tauri_plugin_opener::OpenerExt;
    let folder = lock(&state.distributed)?.get(id).cloned().ok_or_else(|| ApiError::new(ErrorKind::NotFound, "that folder is not one this session distributed to"))?;
    app.opener().open_path(folder.display().to_string(), None::<&str>).map_err(|e| ApiError::new(ErrorKind::Io, format!("cannot open {}: {e}", folder.display())))
}

fn trace_view(state: &AppState, file: &std::path::Path) -> Result<TraceView, ApiError> {
    Ok(TraceView { file_name: folder_name(file), trace: distribute::trace_file(file, &state.library()?)? })
}

/// Asks for a PDF and says whose copy it is, from the library's distribution logs; `None` if the user cancelled.
#[tauri::command(async)]
pub fn pick_trace<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<TraceView>, ApiError> {
    let library = state.library()?;
    let Some(file) = state.dialogs.open_pdf(&app, Some(&library)) else { return Ok(None) };
    trace_view(&state, &file).map(Some)
}

/// Says whose copy the file last dropped on the window is.
#[tauri::command(async)]
pub fn trace_dropped(state: State<'_, AppState>) -> Result<TraceView, ApiError> {
    trace_view(&state, &state.dropped_file()?)
}
