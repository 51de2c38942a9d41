//! Starts the Briefpack desktop app.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    briefpack_app::run();
}
