//! The commands behind the House style screen: the library's `library.toml`
//! read, checked, previewed on a pack and saved, and the logo picked in a dialog.
//!
//! All the work is `briefpack::house`'s. The settings arrive as the form holds
//! them and are checked by the core exactly as the file would be (a colour
//! typed as "teal" is reported at `colours.accent`, as `check` would report it),
//! so the screen and `briefpack check` never disagree. The logo comes from a
//! dialog opened here, never as a path from the webview; a file outside the
//! library is copied into it first.

use std::time::Instant;

use briefpack::diagnostic::Diagnostic;
use briefpack::house::{self, HouseError, LibrarySettings};
use briefpack::render::{self, HouseSource};
use serde::Serialize;
use tauri::{AppHandle, Runtime, State};

use crate::commands::{AppState, Preview};
use crate::error::ApiError;

/// What the House style screen shows.
#[derive(Debug, Serialize, ts_rs::TS)]
#[ts(export)]
pub struct HouseView {
    /// What library.toml says (all empty without one); `null` when the file
    /// cannot be read as settings at all (its problems are in `diagnostics`).
    pub settings: Option<LibrarySettings>,
    /// Whether the library has a library.toml.
    pub exists: bool,
    /// The file (to show).
    pub path: String,
    /// Every problem of the settings, each at its field in library.toml.
    pub diagnostics: Vec<Diagnostic>,
    /// The templates a new pack may start with.
    pub templates: Vec<String>,
}

fn house_view(state: &AppState) -> Result<HouseView, ApiError> {
    let library = state.library()?;
    let path = library.join(house::LIBRARY_FILE);
    let templates = briefpack::template::list(&house::library_template_search_path(&library))
        .into_iter()
        .filter(|(_, found)| found.is_ok())
        .map(|(name, _)| name)
        .collect();
    let (settings, diagnostics) = match house::read_settings(&library) {
        Ok(Some(settings)) => {
            let diagnostics = house::check_settings(&library, &settings);
            (Some(settings), diagnostics)
        }
        Ok(None) => (Some(LibrarySettings::default()), Vec::new()),
        Err(e) => (None, e.diagnostics().to_vec()),
    };
    Ok(HouseView { settings, exists: path.is_file(), path: path.display().to_string(), diagnostics, templates })
}

/// The form's settings without its empty values (`null`: not set), ready to be checked.
fn form(settings: serde_json::Value) -> serde_json::Value {
    match settings {
        serde_json::Value::Object(map) => serde_json::Value::Object(map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k, form(v))).collect()),
        other => other,
    }
}

/// The library's house style, for the screen.
#[tauri::command(async)]
pub fn house_style(state: State<'_, AppState>) -> Result<HouseView, ApiError> {
    house_view(&state)
}

/// Every problem the form's settings would have in library.toml, each at its field.
#[tauri::command(async)]
pub fn check_house_style(state: State<'_, AppState>, settings: serde_json::Value) -> Result<Vec<Diagnostic>, ApiError> {
    Ok(house::check_settings(&state.library()?, &form(settings)))
}

/// Saves the form's settings as library.toml (atomically, changing only what
/// changed); refused with every problem located when they have errors.
#[tauri::command(async)]
pub fn save_house_style(state: State<'_, AppState>, settings: serde_json::Value) -> Result<HouseView, ApiError> {
    house::save(&state.library()?, &form(settings))?;
    house_view(&state)
}

/// Pack `name` built in the form's settings, not yet saved: the screen's live preview.
#[tauri::command(async)]
pub fn preview_house_style(state: State<'_, AppState>, settings: serde_json::Value, name: String) -> Result<Preview, ApiError> {
    let started = Instant::now();
    let library = state.library()?;
    let dir = state.pack_dir(&name)?;
    let text = house::file_text(&library, &form(settings))?;
    let edited = house::load_text(&library, &text)?;
    let built = render::pack_to_preview(&dir, None, None, &state.fonts, HouseSource::Given(Some(&edited)))?;
    state.preview_of(built, started.elapsed().as_millis() as u64)
}

/// Asks for the logo (a PNG or JPEG) and returns its path in the library for
/// `[logo] file`, copying it in when it is elsewhere; `None` if the user cancelled.
#[tauri::command(async)]
pub fn pick_logo<R: Runtime>(app: AppHandle<R>, state: State<'_, AppState>) -> Result<Option<String>, ApiError> {
    let library = state.library()?;
    let Some(picked) = state.dialogs.open_image(&app, Some(&library)) else { return Ok(None) };
    house::adopt_logo(&library, &picked).map(Some).map_err(ApiError::from)
}

impl From<HouseError> for ApiError {
    fn from(e: HouseError) -> Self {
        match e {
            HouseError::Invalid { diagnostics } => {
                ApiError::located(crate::error::ErrorKind::InvalidSettings, HouseError::Invalid { diagnostics: diagnostics.clone() }.to_string(), diagnostics)
            }
            HouseError::Io { ref path, .. } => {
                ApiError { file: Some(path.display().to_string()), ..ApiError::new(crate::error::ErrorKind::Io, e.to_string()) }
            }
        }
    }
}
