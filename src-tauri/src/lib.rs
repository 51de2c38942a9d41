//! Briefpack's desktop shell: Tauri commands over the `briefpack` core.
//!
//! Everything the app does is a core function; this crate resolves pack names
//! inside the open library, opens the native file dialogs (so no path ever
//! comes from the webview), maps errors to `{kind, message}` for the UI and
//! registers the plugins the UI needs (dialogs, opening exported PDFs and links).

pub mod commands;
pub mod dialogs;
pub mod distribution;
pub mod error;
pub mod house;
pub mod library;

use std::path::PathBuf;

use tauri::{Builder, DragDropEvent, Emitter, Manager, Runtime, WindowEvent};

use crate::commands::AppState;
use crate::dialogs::Dialogs;

/// The event the UI hears when a file is dropped on the window; it then asks for
/// `dropped_import`, or `trace_dropped` when the Distribution tab is open.
pub const FILE_DROPPED_EVENT: &str = "file-dropped";

/// Registers the plugins, commands and window events; shared by `run` and the
/// tests so both see the same app.
pub fn app_builder<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .on_window_event(|window, event| {
            // Rust keeps the dropped file; the webview only hears that one arrived.
            if let WindowEvent::DragDrop(DragDropEvent::Drop { paths, .. }) = event {
                if let (Some(path), Some(state)) = (paths.first(), window.try_state::<AppState>()) {
                    state.dropped(path.clone());
                    let _ = window.emit(FILE_DROPPED_EVENT, ());
                }
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::open_library,
            commands::choose_library,
            commands::add_example,
            commands::create_pack,
            commands::duplicate_pack,
            commands::delete_pack,
            commands::restore_pack,
            commands::empty_trash,
            commands::load_pack,
            commands::pack_revision,
            commands::save_pack,
            commands::conflict_details,
            commands::keep_mine,
            commands::save_as_copy,
            commands::check_pack,
            commands::list_templates,
            commands::render_preview,
            commands::preview_page,
            commands::export_pdf,
            commands::open_exported,
            commands::reveal_pack,
            commands::pick_import,
            commands::dropped_import,
            commands::import_article,
            distribution::distribution_lists,
            distribution::distribution_plan,
            distribution::distribute,
            distribution::cancel_distribution,
            distribution::distribution_log,
            distribution::open_distribution,
            distribution::pick_trace,
            distribution::trace_dropped,
            house::house_style,
            house::check_house_style,
            house::save_house_style,
            house::preview_house_style,
            house::pick_logo,
        ])
}

/// The state for a library folder, answering dialogs with `dialogs` (tests give their answers here).
pub fn state_for(library: PathBuf, dialogs: Dialogs) -> Result<AppState, briefpack::fonts::FontError> {
    AppState::new(library, dialogs, None)
}

/// How this build answers file dialogs: natively, unless it is an end-to-end
/// test build (feature `test-dialogs`) given answers in the environment.
fn dialogs() -> Dialogs {
    #[cfg(feature = "test-dialogs")]
    return Dialogs::from_environment();
    #[cfg(not(feature = "test-dialogs"))]
    Dialogs::Native
}

/// Starts the app.
pub fn run() {
    app_builder(tauri::Builder::default())
        .setup(|app| {
            let args: Vec<String> = std::env::args().collect();
            let config = app.path().app_config_dir().ok();
            let state = AppState::new(PathBuf::new(), dialogs(), config)?;
            let current = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("/"));
            let library = library::initial_library(
                &args,
                std::env::var("BRIEFPACK_LIBRARY").ok(),
                state.remembered(commands::LAST_LIBRARY_FILE),
                app.path().document_dir().ok(),
                app.path().home_dir().ok(),
                &current,
            );
            state.remember(commands::LAST_LIBRARY_FILE, &library);
            *state.library.lock().map_err(|_| "the app's state is unavailable")? = library;
            app.manage(state);
            Ok(())
        })
        .run(tauri::generate_context!())
        .unwrap_or_else(|e| {
            eprintln!("error: Briefpack could not start: {e}");
            std::process::exit(1);
        });
}
