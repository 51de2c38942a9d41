//! Tauri's build step: reads tauri.conf.json and the capability files.
fn main() {
    tauri_build::build()
}
