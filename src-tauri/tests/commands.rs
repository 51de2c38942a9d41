//! The commands as the UI calls them, through Tauri's mock runtime and real IPC
//! (serialization, argument names, error shape), on temporary libraries.

use std::path::{Path, PathBuf};

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, mock_context, noop_assets, MockRuntime, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::WebviewWindow;

use briefpack_app::dialogs::{Answers, Dialogs};

struct App {
    _app: tauri::App<MockRuntime>,
    window: WebviewWindow<MockRuntime>,
    library: PathBuf,
    _temp: Option<tempfile::TempDir>,
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../briefings/mi5-threat-update-2025")
}


/// An app on a fresh library holding a copy of the example pack.
fn app() -> App {
    app_answering(Answers::default())
}

/// The same, with file dialogs that give `answers`.
fn app_answering(answers: Answers) -> App {
    let temp = tempfile::tempdir().unwrap();
    briefpack::pack::store::copy_pack(&example(), &temp.path().join("mi5")).unwrap();
    let mut app = app_on(temp.path().to_path_buf(), answers);
    app._temp = Some(temp);
    app
}

/// An app on an existing library folder.
fn app_on(library: PathBuf, answers: Answers) -> App {
    let app = briefpack_app::app_builder(mock_builder())
        .manage(briefpack_app::state_for(library.clone(), Dialogs::Answered(answers)).unwrap())
        .build(mock_context(noop_assets()))
        .unwrap();
    let window = tauri::WebviewWindowBuilder::new(&app, "main", Default::default()).build().unwrap();
    App { _app: app, window, library, _temp: None }
}

/// `cmd` with `args`, as the webview sends it.
fn request(cmd: &str, args: Value) -> InvokeRequest {
    InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().unwrap(),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: INVOKE_KEY.to_string(),
    }
}

/// Calls `cmd` as the webview would.
fn call_in(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    get_ipc_response(window, request(cmd, args)).map(|body| body.deserialize::<Value>().unwrap())
}

impl App {
    fn call(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        call_in(&self.window, cmd, args)
    }

    fn ok(&self, cmd: &str, args: Value) -> Value {
        self.call(cmd, args.clone()).unwrap_or_else(|e| panic!("{cmd}({args}) failed: {e}"))
    }
}

#[test]
fn the_library_lists_packs_and_flags_a_broken_one() {
    let app = app();
    std::fs::create_dir(app.library.join("broken")).unwrap();
    std::fs::write(app.library.join("broken/pack.toml"), "format = 1\ntitle = 3\n").unwrap();
    let view = app.ok("open_library", json!({}));
    let packs = view["packs"].as_array().unwrap();
    assert_eq!(packs.len(), 2);
    let good = packs.iter().find(|p| p["title"].as_str().unwrap().starts_with("State threats")).unwrap();
    assert_eq!(good["marking"], "TLP:AMBER");
    assert_eq!(good["date"], "2025-10-20");
    let broken = packs.iter().find(|p| p["title"] == "broken").unwrap();
    let problem = broken["problem"].as_str().unwrap();
    assert!(problem.contains("pack.toml:2:"), "{problem}");
}

#[test]
fn a_new_pack_is_created_loaded_edited_and_saved() {
    let app = app();
    let name = app.ok("create_pack", json!({ "title": "Q1 threat briefing", "template": null }));
    assert_eq!(name, "q1-threat-briefing");
    let opened = app.ok("load_pack", json!({ "name": "q1-threat-briefing" }));
    let mut document = opened["document"].clone();
    document["meta"]["audience"] = json!("Audit committee");
    document["statistics"] = json!([{ "id": "plots", "label": "Late-stage plots disrupted", "value": 19.0, "display": "19", "period": "since 2020", "as_of": "2025-10-16", "source": "MI5" }]);
    let saved = app.ok("save_pack", json!({ "name": "q1-threat-briefing", "document": document, "revision": opened["revision"] }));
    assert_ne!(saved["revision"], opened["revision"]);
    let on_disk = std::fs::read_to_string(app.library.join("q1-threat-briefing/pack.toml")).unwrap();
    assert!(on_disk.contains("audience = \"Audit committee\"") && on_disk.contains("as_of = 2025-10-16"), "{on_disk}");
    let reopened = app.ok("load_pack", json!({ "name": "q1-threat-briefing" }));
    assert_eq!(reopened["document"]["statistics"][0]["display"], "19");
}

#[test]
fn a_save_over_someone_elses_change_is_refused() {
    let app = app();
    let opened = app.ok("load_pack", json!({ "name": "mi5" }));
    let path = app.library.join("mi5/pack.toml");
    let changed = std::fs::read_to_string(&path).unwrap().replace("Board risk committee", "Another writer");
    std::fs::write(&path, changed).unwrap();
    let error = app.call("save_pack", json!({ "name": "mi5", "document": opened["document"], "revision": opened["revision"] })).unwrap_err();
    assert_eq!(error["kind"], "conflict", "{error}");
    assert!(std::fs::read_to_string(&path).unwrap().contains("Another writer"), "the other writer's change must survive");
}

#[test]
fn a_conflict_can_be_resolved_by_keeping_mine_or_saving_mine_as_a_copy() {
    let app = app();
    let opened = app.ok("load_pack", json!({ "name": "mi5" }));
    let path = app.library.join("mi5/pack.toml");
    let theirs = std::fs::read_to_string(&path).unwrap().replace("Board risk committee", "Another writer");
    std::fs::write(&path, &theirs).unwrap();
    assert_ne!(app.ok("pack_revision", json!({ "name": "mi5" })), opened["revision"], "the change on disk shows in the revision");
    let mut mine = opened["document"].clone();
    mine["meta"]["title"] = json!("My title");

    // What "keep mine" would replace, in words.
    let details = app.ok("conflict_details", json!({ "name": "mi5", "document": mine }));
    let details: Vec<&str> = details.as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    assert_eq!(details, ["title", "audience"], "{details:?}");

    // "Save mine as a copy" leaves theirs alone.
    let copy = app.ok("save_as_copy", json!({ "name": "mi5", "document": mine }));
    let copied = app.ok("load_pack", json!({ "name": copy }));
    assert_eq!(copied["document"]["meta"]["title"], "My title (my copy)");
    assert_eq!(copied["document"]["meta"]["audience"], "Board risk committee");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), theirs);

    // "Keep mine" writes mine over theirs.
    let saved = app.ok("keep_mine", json!({ "name": "mi5", "document": mine }));
    assert_eq!(saved["revision"], app.ok("pack_revision", json!({ "name": "mi5" })));
    let now = std::fs::read_to_string(&path).unwrap();
    assert!(now.contains("title = \"My title\"") && now.contains("Board risk committee") && !now.contains("Another writer"), "{now}");
}

#[test]
fn an_empty_library_can_take_the_example_and_the_trash_can_be_emptied() {
    let temp = tempfile::tempdir().unwrap();
    let app = app_on(temp.path().join("Briefings"), Answers::default());
    let view = app.ok("open_library", json!({}));
    assert!(view["packs"].as_array().unwrap().is_empty() && temp.path().join("Briefings").is_dir(), "the library is created on first use");
    let name = app.ok("add_example", json!({}));
    let opened = app.ok("load_pack", json!({ "name": name }));
    assert!(opened["diagnostics"].as_array().unwrap().is_empty(), "{opened}");
    app.ok("delete_pack", json!({ "name": name }));
    assert_eq!(app.ok("open_library", json!({}))["trash"].as_array().unwrap().len(), 1);
    assert_eq!(app.ok("empty_trash", json!({})), 1);
    assert!(app.ok("open_library", json!({}))["trash"].as_array().unwrap().is_empty());
}

#[test]
fn a_pack_that_does_not_load_reports_its_file_and_line() {
    let app = app();
    let path = app.library.join("mi5/pack.toml");
    let text = std::fs::read_to_string(&path).unwrap().replacen("as_of = 2025-10-16", "as_of = 2025-13-01", 1);
    std::fs::write(&path, text).unwrap();
    let error = app.call("load_pack", json!({ "name": "mi5" })).unwrap_err();
    assert_eq!(error["kind"], "invalid_pack");
    assert!(error["file"].as_str().unwrap().ends_with("pack.toml"));
    assert!(error["line"].as_u64().unwrap() > 0);
    assert!(error["message"].as_str().unwrap().contains("as_of"), "{error}");
}

/// Calls `cmd`, which answers with raw bytes, as the webview would.
fn call_raw(window: &WebviewWindow<MockRuntime>, cmd: &str, args: Value) -> Result<Vec<u8>, Value> {
    match get_ipc_response(window, request(cmd, args)) {
        Ok(tauri::ipc::InvokeResponseBody::Raw(bytes)) => Ok(bytes),
        Ok(other) => panic!("{cmd} answered with JSON: {other:?}"),
        Err(e) => Err(e),
    }
}

#[test]
fn previews_are_painted_page_by_page_and_exports_are_real_pdfs() {
    let app = app();
    let preview = app.ok("render_preview", json!({ "name": "mi5", "template": null, "edition": null }));
    let pages = preview["pages"].as_array().unwrap();
    assert!(pages.len() >= 4);
    assert_eq!(preview["template"], "board-briefing");
    assert_eq!((pages[0]["width"].as_f64().unwrap().round(), pages[0]["height"].as_f64().unwrap().round()), (595.0, 842.0), "A4");
    assert!(pages.iter().any(|p| p["links"].as_array().unwrap().iter().any(|l| l["url"].as_str().is_some_and(|u| u.starts_with("https://")))), "{preview}");
    // A page comes as its size, its colours and a colour for each pixel: white paper with dark text on it.
    let build = preview["build"].clone();
    let bytes = call_raw(&app.window, "preview_page", json!({ "build": build, "page": 0, "width": 300 })).unwrap();
    let word = |at: usize| u32::from_le_bytes(bytes[at..at + 4].try_into().unwrap()) as usize;
    let (width, height, colours) = (word(0), word(4), word(8));
    assert_eq!((width, height), (300, 424));
    assert!((2..=256).contains(&colours), "a page of text has a few colours: {colours}");
    assert_eq!(bytes.len(), 12 + 4 * colours + 300 * 424);
    let colour = |pixel: usize| word(12 + 4 * usize::from(bytes[12 + 4 * colours + pixel]));
    assert_eq!(colour(0), 0xFFFF_FFFF, "the page's corner is paper");
    assert!((0..300 * 424).filter(|&p| colour(p) & 0xFF < 100).count() > 500, "text is drawn on it");
    // A page that is not there, or a build long replaced, is a clear error.
    let missing = call_raw(&app.window, "preview_page", json!({ "build": build, "page": 99, "width": 300 })).unwrap_err();
    assert_eq!(missing["kind"], "not_found");
    for _ in 0..2 {
        app.ok("render_preview", json!({ "name": "mi5", "template": null, "edition": null }));
    }
    let replaced = call_raw(&app.window, "preview_page", json!({ "build": build, "page": 0, "width": 300 })).unwrap_err();
    assert!(replaced["message"].as_str().unwrap().contains("replaced"), "{replaced}");
}

#[test]
fn a_preview_after_a_save_shows_the_saved_pack_and_not_an_older_one() {
    let app = app();
    let fingerprints = |preview: &Value| preview["pages"].as_array().unwrap().iter().map(|p| p["fingerprint"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    let opened = app.ok("load_pack", json!({ "name": "mi5" }));
    let mut document = opened["document"].clone();
    document["meta"]["title"] = json!("Saved in the app");
    app.ok("save_pack", json!({ "name": "mi5", "document": document, "revision": opened["revision"] }));
    // The save's check laid the pack out; the preview that follows shows that layout,
    // the same as laying the saved pack out again.
    let after_save = app.ok("render_preview", json!({ "name": "mi5", "template": null, "edition": null }));
    let fresh = app.ok("render_preview", json!({ "name": "mi5", "template": "board-briefing", "edition": null }));
    assert_eq!(fingerprints(&after_save), fingerprints(&fresh));
    // Another program changes the pack between a save and its preview: the preview shows what is on disk.
    app.ok("save_pack", json!({ "name": "mi5", "document": document, "revision": app.ok("pack_revision", json!({ "name": "mi5" })) }));
    let file = app.library.join("mi5/pack.toml");
    std::fs::write(&file, std::fs::read_to_string(&file).unwrap().replace("Saved in the app", "Changed elsewhere")).unwrap();
    let changed = app.ok("render_preview", json!({ "name": "mi5", "template": null, "edition": null }));
    let elsewhere = app.ok("render_preview", json!({ "name": "mi5", "template": "board-briefing", "edition": null }));
    assert_eq!(fingerprints(&changed), fingerprints(&elsewhere));
    assert_ne!(fingerprints(&changed)[0], fingerprints(&after_save)[0], "the cover shows the other program's title");
    let handout = app.ok("render_preview", json!({ "name": "mi5", "template": "training-handout", "edition": "facilitator" }));
    assert_eq!(handout["edition"], "facilitator");
    let templates = app.ok("list_templates", json!({ "name": "mi5" }));
    let names: Vec<&str> = templates.as_array().unwrap().iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert!(names.contains(&"board-briefing") && names.contains(&"training-handout"), "{names:?}");
}

#[test]
fn export_writes_only_where_the_dialog_said_and_opens_only_what_it_wrote() {
    let out_dir = tempfile::tempdir().unwrap();
    let out = out_dir.path().join("exported.pdf");
    let app = app_answering(Answers { save: Some(out.clone()), ..Answers::default() });
    let exported = app.ok("export_pdf", json!({ "name": "mi5", "template": "training-handout", "edition": "facilitator" }));
    assert_eq!(exported["path"], out.display().to_string());
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
    // A cancelled dialog writes nothing.
    let cancelled = app_on(app.library.clone(), Answers::default());
    assert_eq!(cancelled.ok("export_pdf", json!({ "name": "mi5", "template": null, "edition": null })), Value::Null);
    // Exports are opened by number, and only this session's.
    let error = app.call("open_exported", json!({ "id": 7, "reveal": false })).unwrap_err();
    assert_eq!(error["kind"], "not_found");
}

#[test]
fn the_app_survives_deeply_nested_text_in_a_pack_and_in_a_page() {
    // Test threads have 2 MB stacks, as small as the app's worker threads.
    let pages = tempfile::tempdir().unwrap();
    let page = pages.path().join("nested.html");
    std::fs::write(&page, format!("<html><body><article><p>{}Deep text about 35% of cases, repeated for the reader.{}</p></article></body></html>", "<b>".repeat(10_000), "</b>".repeat(10_000))).unwrap();
    let app = app_answering(Answers { open: Some(page), ..Answers::default() });
    let opened = app.ok("load_pack", json!({ "name": "mi5" }));
    let mut document = opened["document"].clone();
    document["meta"]["summary"] = json!(format!("{}x{}", "*".repeat(10_000), "*".repeat(10_000)));
    app.ok("save_pack", json!({ "name": "mi5", "document": document, "revision": opened["revision"] }));
    let preview = app.ok("render_preview", json!({ "name": "mi5", "template": null, "edition": null }));
    assert!(preview["pages"].as_array().unwrap().len() >= 4, "{}", preview["pages"]);
    let imported = app.ok("pick_import", json!({}));
    assert!(imported["body_markdown"].as_str().unwrap().contains("Deep text"), "{imported}");
}

#[test]
fn nothing_outside_the_library_can_be_reached() {
    let app = app();
    for name in ["../etc", "/etc", "..", ".trash"] {
        let error = app.call("load_pack", json!({ "name": name })).unwrap_err();
        assert_eq!(error["kind"], "outside_library", "{name}: {error}");
    }
    // No command takes a path: a path where a name belongs is refused.
    let error = app.call("open_exported", json!({ "path": "/etc/passwd", "reveal": false })).unwrap_err();
    assert!(error.to_string().contains("id"), "{error}");
}

#[test]
fn delete_moves_to_the_trash_and_restore_brings_it_back() {
    let app = app();
    let trashed = app.ok("delete_pack", json!({ "name": "mi5" }));
    assert!(!app.library.join("mi5").exists());
    let listed = app.ok("open_library", json!({}));
    assert!(listed["packs"].as_array().unwrap().is_empty(), "the trash is not listed with the packs");
    assert_eq!(listed["trash"][0]["title"], "State threats and terrorism: MI5 annual threat update", "{listed}");
    let restored = app.ok("restore_pack", json!({ "trashed": trashed }));
    assert!(app.library.join(restored.as_str().unwrap()).join("pack.toml").is_file());
    let copy = app.ok("duplicate_pack", json!({ "name": restored }));
    let copied = app.ok("load_pack", json!({ "name": copy }));
    assert!(copied["document"]["meta"]["title"].as_str().unwrap().ends_with("(copy)"));
}

#[test]
fn an_article_is_imported_with_only_the_accepted_proposals() {
    let pages = tempfile::tempdir().unwrap();
    let page = pages.path().join("page.txt");
    std::fs::copy(Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/briefpack/tests/fixtures/import/seed-mi5-annual-threat-update.txt"), &page).unwrap();
    let app = app_answering(Answers { open: Some(page.clone()), ..Answers::default() });
    let name = app.ok("create_pack", json!({ "title": "Import target", "template": null }));
    let preview = app.ok("pick_import", json!({}));
    assert_eq!(preview["title"], "MI5 annual threat update");
    let statistics = preview["statistics"].as_array().unwrap();
    assert!(statistics.iter().any(|s| s["display"].as_str().unwrap().contains("35")), "{preview}");
    let opened = app.ok("load_pack", json!({ "name": name }));
    app.ok("import_article", json!({ "name": name, "statistics": [0], "organisations": [], "revision": opened["revision"] }));
    let after = app.ok("load_pack", json!({ "name": name }));
    assert_eq!(after["document"]["articles"].as_array().unwrap().len(), 1);
    assert_eq!(after["document"]["statistics"].as_array().unwrap().len(), 1, "only the accepted statistic");
    assert!(after["document"]["links"].as_array().unwrap().is_empty(), "no organisation was accepted");
    let missing = app_answering(Answers { open: Some(pages.path().join("missing.html")), ..Answers::default() });
    let error = missing.call("pick_import", json!({})).unwrap_err();
    assert_eq!(error["kind"], "import");
}

// ---- distribution --------------------------------------------------------------

const BOARD: [&str; 3] = ["Jane Smith", "Ravi Patel", "Aoife O’Brien"];

/// An app on a copy of the example pack whose library has the list `board` of [`BOARD`].
fn app_with_board(answers: Answers) -> App {
    let app = app_answering(answers);
    std::fs::create_dir(app.library.join("lists")).unwrap();
    let people: String = BOARD.iter().map(|name| format!("[[recipients]]\nname = \"{name}\"\n\n")).collect();
    std::fs::write(app.library.join("lists/board.toml"), people).unwrap();
    app
}

/// The progress events the app emits, as the UI would receive them.
fn progress_events(app: &App) -> std::sync::Arc<std::sync::Mutex<Vec<Value>>> {
    use tauri::Listener;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let sink = seen.clone();
    tauri::Manager::app_handle(&app.window).listen(briefpack_app::distribution::DISTRIBUTION_PROGRESS_EVENT, move |event| {
        sink.lock().unwrap().push(serde_json::from_str::<Value>(event.payload()).unwrap());
    });
    seen
}

fn distribute_args(list: Option<&str>) -> Value {
    json!({ "name": "mi5", "list": list, "template": null, "edition": null })
}

#[test]
fn three_recipients_get_three_copies_with_a_progress_event_each_and_a_log() {
    let app = app_with_board(Answers::default());
    assert_eq!(app.ok("distribution_lists", json!({})), json!(["board"]));
    let plan = app.ok("distribution_plan", distribute_args(Some("board")));
    let names: Vec<&str> = plan["recipients"].as_array().unwrap().iter().map(|r| r["name"].as_str().unwrap()).collect();
    assert_eq!(names, BOARD);
    assert_eq!((plan["template"].as_str(), plan["watermarked"].as_bool(), plan["issue_date"].as_str()), (Some("board-briefing"), Some(false), Some("2025-10-20")));

    let events = progress_events(&app);
    let result = app.ok("distribute", distribute_args(Some("board")));
    assert_eq!(result["stopped"], Value::Null);
    assert_eq!(result["folder_id"], 0);
    let folder = app.library.join("mi5/out/distribution-2025-10-20");
    assert_eq!(result["folder"], folder.display().to_string());
    let copies = result["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 3);
    for (copy, name) in copies.iter().zip(BOARD) {
        assert_eq!((copy["recipient"].as_str(), copy["outcome"].as_str(), copy["of"].as_u64()), (Some(name), Some("issued"), Some(3)));
        assert!(std::fs::read(folder.join(copy["file_name"].as_str().unwrap())).unwrap().starts_with(b"%PDF-"));
    }
    let events = events.lock().unwrap().clone();
    let seen: Vec<(u64, u64, &str, &str)> = events
        .iter()
        .map(|e| (e["done"].as_u64().unwrap(), e["total"].as_u64().unwrap(), e["copy"]["recipient"].as_str().unwrap(), e["pack"].as_str().unwrap()))
        .collect();
    assert_eq!(seen, [(1, 3, BOARD[0], "mi5"), (2, 3, BOARD[1], "mi5"), (3, 3, BOARD[2], "mi5")], "one event per copy, in order");

    let log = app.ok("distribution_log", json!({ "name": "mi5" }));
    let logged: Vec<(u64, &str)> = log.as_array().unwrap().iter().map(|e| (e["copy"].as_u64().unwrap(), e["recipient"].as_str().unwrap())).collect();
    assert_eq!(logged, [(1, BOARD[0]), (2, BOARD[1]), (3, BOARD[2])]);
    assert_eq!(log[0]["file"], format!("out/distribution-2025-10-20/{}", copies[0]["file_name"].as_str().unwrap()));

    // Folders are opened by number, and only this session's.
    let error = app.call("open_distribution", json!({ "id": 3 })).unwrap_err();
    assert_eq!(error["kind"], "not_found");
    // Distributing again leaves issued copies alone and says so.
    let again = app.ok("distribute", distribute_args(Some("board")));
    assert_eq!(again["folder_id"], 0, "the same folder keeps its number");
    assert!(again["copies"].as_array().unwrap().iter().all(|c| c["outcome"] == "already_issued"), "{again}");
    assert_eq!(app.ok("distribution_log", json!({ "name": "mi5" })).as_array().unwrap().len(), 3);
}

#[test]
fn cancel_stops_after_the_copy_being_written_and_the_log_stays_true() {
    let app = app_with_board(Answers::default());
    // Cancel as the UI would, when the first copy's event arrives: a deterministic point.
    use tauri::Listener;
    let window = app.window.clone();
    tauri::Manager::app_handle(&app.window).listen(briefpack_app::distribution::DISTRIBUTION_PROGRESS_EVENT, move |event| {
        let payload: Value = serde_json::from_str(event.payload()).unwrap();
        if payload["done"] == 1 {
            call_in(&window, "cancel_distribution", json!({})).unwrap();
        }
    });
    let result = app.ok("distribute", distribute_args(Some("board")));
    assert!(result["stopped"].as_str().unwrap().contains("stopped after 1 of 3 copies"), "{result}");
    assert_eq!(result["copies"].as_array().unwrap().len(), 1);
    assert_eq!(result["folder_id"], 0, "the folder of the copy made can be opened");
    let folder = app.library.join("mi5/out/distribution-2025-10-20");
    let files: Vec<PathBuf> = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 1, "one copy, and no temporary file left: {files:?}");
    let log = app.ok("distribution_log", json!({ "name": "mi5" }));
    assert_eq!(log.as_array().unwrap().len(), 1);
    assert_eq!(log[0]["sha256"].as_str().unwrap(), briefpack::distribute::sha256_hex(&std::fs::read(&files[0]).unwrap()), "the logged copy is complete");
}

#[test]
fn a_cancel_before_a_distribution_does_not_stop_the_next_one() {
    let app = app_with_board(Answers::default());
    app.ok("cancel_distribution", json!({}));
    let result = app.ok("distribute", distribute_args(Some("board")));
    assert_eq!((result["stopped"].clone(), result["copies"].as_array().unwrap().len()), (Value::Null, 3));
    // Finishing a cancelled one: copies already issued are left alone.
    assert!(app.ok("distribute", distribute_args(Some("board")))["copies"].as_array().unwrap().iter().all(|c| c["outcome"] == "already_issued"));
}

#[test]
fn a_red_pack_without_named_recipients_is_refused_in_the_cores_words() {
    let app = app();
    let path = app.library.join("mi5/pack.toml");
    std::fs::write(&path, std::fs::read_to_string(&path).unwrap().replace("marking = \"TLP:AMBER\"", "marking = \"TLP:RED\"")).unwrap();
    for article in std::fs::read_dir(app.library.join("mi5/articles")).unwrap() {
        let article = article.unwrap().path();
        std::fs::write(&article, std::fs::read_to_string(&article).unwrap().replace("TLP:AMBER", "TLP:RED")).unwrap();
    }
    for command in ["distribution_plan", "distribute"] {
        let error = app.call(command, distribute_args(None)).unwrap_err();
        assert_eq!(error["kind"], "distribution", "{command}: {error}");
        assert!(error["message"].as_str().unwrap().contains("a TLP:RED pack may be distributed only to people named one by one"), "{error}");
    }
    assert!(!app.library.join("mi5/out").exists(), "nothing is written");
    // A list that is not there is named.
    let error = app.call("distribution_plan", distribute_args(Some("directors"))).unwrap_err();
    assert!(error["message"].as_str().unwrap().contains("no distribution list “directors”"), "{error}");
    assert!(app.ok("distribution_lists", json!({})).as_array().unwrap().is_empty());
}

#[test]
fn a_pdf_is_traced_from_the_dialog_or_dropped_on_the_window() {
    let found = tempfile::tempdir().unwrap();
    let copy = found.path().join("found.pdf");
    let app = app_with_board(Answers { trace: Some(copy.clone()), ..Answers::default() });
    let error = app.call("trace_dropped", json!({})).unwrap_err();
    assert_eq!(error["kind"], "not_found", "nothing dropped yet");
    let result = app.ok("distribute", distribute_args(Some("board")));
    let second = app.library.join("mi5/out/distribution-2025-10-20").join(result["copies"][1]["file_name"].as_str().unwrap());
    std::fs::copy(&second, &copy).unwrap();

    let traced = app.ok("pick_trace", json!({}));
    assert_eq!(traced["file_name"], "found.pdf");
    assert_eq!(traced["trace"]["by"], "hash");
    assert_eq!(traced["trace"]["matches"][0]["entry"]["recipient"], BOARD[1]);
    assert_eq!(traced["trace"]["matches"][0]["pack_dir"], app.library.join("mi5").display().to_string());

    // A file dropped on the window is traced when the UI asks (it is also the next import, if asked that instead).
    let stranger = found.path().join("stranger.pdf");
    std::fs::write(&stranger, b"%PDF-1.7 not a copy").unwrap();
    use tauri::Manager;
    app.window.state::<briefpack_app::commands::AppState>().dropped(stranger);
    let traced = app.ok("trace_dropped", json!({}));
    assert_eq!((traced["file_name"].as_str(), traced["trace"]["by"].clone(), traced["trace"]["logs_searched"].as_u64()), (Some("stranger.pdf"), Value::Null, Some(1)));
    assert!(traced["trace"]["matches"].as_array().unwrap().is_empty());

    // A cancelled dialog traces nothing; a path where an id belongs is refused.
    let cancelled = app_on(app.library.clone(), Answers::default());
    assert_eq!(cancelled.ok("pick_trace", json!({})), Value::Null);
    let error = app.call("open_distribution", json!({ "path": "/tmp" })).unwrap_err();
    assert!(error.to_string().contains("id"), "{error}");
}

// ---- crash safety of the app's autosave --------------------------------------
//
// The child is this test binary re-run as an app (mock runtime) that saves once
// through the real `save_pack` command; `autosave_once_child` does nothing
// unless the environment asks for it. The shared harness stops it at each of
// its crash points in turn.

const AUTOSAVE_LIBRARY_VAR: &str = "BRIEFPACK_TEST_AUTOSAVE_LIBRARY";

/// Version `tag` of the example: both pack.toml and the article change, each large
/// enough that a torn write would show.
fn autosave_version(document: &Value, tag: &str) -> Value {
    let mut document = document.clone();
    document["meta"]["title"] = json!(format!("Version {tag}"));
    document["meta"]["summary"] = json!(format!("{tag} paragraph. ").repeat(4000));
    let article = &mut document["articles"][0]["article"];
    article["meta"]["title"] = json!(format!("Article {tag}"));
    article["body"] = json!(format!("{tag} body line.\n").repeat(4000));
    document
}

#[test]
fn autosave_once_child() {
    let Some(library) = std::env::var_os(AUTOSAVE_LIBRARY_VAR) else { return };
    let app = app_on(PathBuf::from(library), Answers::default());
    let opened = app.ok("load_pack", json!({ "name": "mi5" }));
    app.ok("save_pack", json!({ "name": "mi5", "document": autosave_version(&opened["document"], "B"), "revision": opened["revision"] }));
}

#[test]
fn an_autosave_stopped_at_any_step_leaves_the_old_or_the_new_pack() {
    let temp = tempfile::tempdir().unwrap();
    let pack = temp.path().join("mi5");
    let exe = std::env::current_exe().unwrap();
    let points = briefpack_crash_harness::stop_at_every_crash_point(
        || {
            let _ = std::fs::remove_dir_all(&pack);
            briefpack::pack::store::copy_pack(&example(), &pack).unwrap();
            let mut child = std::process::Command::new(&exe);
            child.args(["--exact", "autosave_once_child", "--test-threads=1"]).env(AUTOSAVE_LIBRARY_VAR, temp.path());
            child
        },
        |point| {
            let p = briefpack::pack::load(&pack).unwrap_or_else(|e| panic!("stopped at crash point {point}: the pack no longer loads: {e}")).pack;
            if let Some(tag) = p.meta.title.strip_prefix("Version ") {
                assert_eq!(p.meta.summary.as_deref(), Some(format!("{tag} paragraph. ").repeat(4000).as_str()), "point {point}: torn pack.toml");
            }
            let article = p.articles.values().next().unwrap();
            if let Some(tag) = article.meta.title.strip_prefix("Article ") {
                assert_eq!(article.body, format!("{tag} body line.\n").repeat(4000), "point {point}: torn article");
            }
            assert!(!(p.meta.title == "Version B" && article.meta.title != "Article B"), "point {point}: pack.toml saved before its article");
        },
    );
    assert_eq!(points, 8, "the save passed {points} crash points");
    assert_eq!(briefpack::pack::load(&pack).unwrap().pack.meta.title, "Version B");
}

/// The fixture library with a house style: library.toml, its logo, two packs.
fn northshire() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../crates/briefpack/tests/fixtures/house/northshire")
}

/// An app on a copy of the Northshire library, with dialogs answering `answers`.
fn app_on_northshire(answers: Answers) -> App {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().map(Result::unwrap) {
            if entry.file_type().unwrap().is_dir() {
                copy(&entry.path(), &to.join(entry.file_name()));
            } else {
                std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
            }
        }
    }
    let temp = tempfile::tempdir().unwrap();
    copy(&northshire(), temp.path());
    let mut app = app_on(temp.path().to_path_buf(), answers);
    app._temp = Some(temp);
    app
}

#[test]
fn the_house_style_screen_reads_checks_previews_and_saves_library_toml() {
    let app = app_on_northshire(Answers::default());
    let view = app.ok("house_style", json!({}));
    assert_eq!(view["exists"], true);
    assert_eq!(view["settings"]["organisation"], "Northshire County Council");
    assert_eq!(view["settings"]["colours"]["accent"], "#B5472B");
    assert_eq!(view["diagnostics"], json!([]));
    assert!(view["templates"].as_array().unwrap().contains(&json!("training-handout")));

    // The form's values are checked as the file would be: a word for a colour is an error at its field.
    let mut settings = view["settings"].clone();
    settings["colours"]["accent"] = json!("teal");
    settings["organisation"] = json!("Southshire Borough");
    let problems = app.ok("check_house_style", json!({ "settings": settings }));
    assert_eq!(problems.as_array().unwrap().len(), 1, "{problems}");
    assert_eq!(problems[0]["field"], "colours.accent");
    let refused = app.call("save_house_style", json!({ "settings": settings })).unwrap_err();
    assert_eq!(refused["kind"], "invalid_settings");
    assert_eq!(refused["diagnostics"][0]["field"], "colours.accent");

    // The preview shows the edit before anything is saved.
    settings["colours"]["accent"] = json!("#7A1F2B");
    let preview = app.ok("preview_house_style", json!({ "settings": settings, "name": "quarterly" }));
    assert!(preview["pages"].as_array().unwrap().len() >= 3);
    assert!(std::fs::read_to_string(app.library.join("library.toml")).unwrap().contains("Northshire County Council"));

    // Saving changes only what changed; comments stay.
    let saved = app.ok("save_house_style", json!({ "settings": settings }));
    assert_eq!(saved["settings"]["organisation"], "Southshire Borough");
    let text = std::fs::read_to_string(app.library.join("library.toml")).unwrap();
    let before = std::fs::read_to_string(northshire().join("library.toml")).unwrap();
    assert_eq!(text, before.replace("Northshire County Council\"", "Southshire Borough\"").replace("#B5472B", "#7A1F2B"));

    // New packs take the library's marking.
    let name = app.ok("create_pack", json!({ "title": "Winter", "template": null }));
    let opened = app.ok("load_pack", json!({ "name": name }));
    assert_eq!(opened["document"]["meta"]["marking"], "OFFICIAL");
}

#[test]
fn a_logo_picked_outside_the_library_is_copied_in() {
    let elsewhere = tempfile::tempdir().unwrap();
    let picked = elsewhere.path().join("new-crest.png");
    std::fs::copy(northshire().join("logo.png"), &picked).unwrap();
    let app = app_on_northshire(Answers { logo: Some(picked), ..Answers::default() });
    assert_eq!(app.ok("pick_logo", json!({})), "new-crest.png");
    assert!(app.library.join("new-crest.png").is_file());
    let cancelled = app_on_northshire(Answers::default());
    assert_eq!(cancelled.ok("pick_logo", json!({})), Value::Null);
}
