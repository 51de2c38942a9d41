//! Briefpack's desktop shell: Tauri commands over the `briefpack` core.
//!
//! Everything the app does is a core function; this crate resolves paths
//! inside the open library, maps errors to `{kind, message}` for the UI and
//! registers the plugins the UI needs (native dialogs, opening exported PDFs).

pub mod commands;
pub mod error;
pub mod library;

use std::path::PathBuf;
use std::sync::Mutex;

use tauri::{Builder, Manager, Runtime};

use crate::commands::AppState;

/// Registers the plugins and commands; shared by `run` and the tests so both see the same app.
pub fn app_builder<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder.plugin(tauri_plugin_dialog::init()).plugin(tauri_plugin_opener::init()).invoke_handler(tauri::generate_handler![
        commands::open_library,
        commands::create_pack,
        commands::duplicate_pack,
        commands::delete_pack,
        commands::restore_pack,
        commands::load_pack,
        commands::save_pack,
        commands::check_pack,
        commands::list_templates,
        commands::render_preview,
        commands::export_pdf,
        commands::suggested_export_name,
        commands::open_exported,
        commands::reveal_pack,
        commands::delete_article,
        commands::test_dialog_path,
        commands::import_preview,
        commands::import_article,
    ])
}

/// The state for a library folder.
pub fn state_for(library: PathBuf) -> Result<AppState, briefpack::fonts::FontError> {
    Ok(AppState { library: Mutex::new(library), fonts: briefpack::fonts::FontSet::bundled()?, exported: Mutex::new(Vec::new()) })
}

const LAST_LIBRARY_FILE: &str = "last-library.txt";

/// Starts the app.
pub fn run() {
    app_builder(tauri::Builder::default())
        .setup(|app| {
            let args: Vec<String> = std::env::args().collect();
            let config = app.path().app_config_dir().ok();
            let last = config.as_ref().and_then(|c| std::fs::read_to_string(c.join(LAST_LIBRARY_FILE)).ok()).map(|s| PathBuf::from(s.trim()));
            let library = library::initial_library(&args, std::env::var("BRIEFPACK_LIBRARY").ok(), last, app.path().document_dir().ok());
            if let Some(config) = config {
                // Remembered for next time; failing to remember is not worth stopping for.
                let _ = std::fs::create_dir_all(&config).and_then(|_| briefpack::atomic::write_atomic(&config.join(LAST_LIBRARY_FILE), library.display().to_string().as_bytes()));
            }
            app.manage(state_for(library)?);
            Ok(())
        })
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("error: Briefpack could not start: {e}");
            std::process::exit(1);
        });
}
