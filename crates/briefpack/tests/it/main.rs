//! Integration tests of the core, one binary for all stages.
//! Fixtures are small real packs under `tests/fixtures/`.

mod common;
mod crash_safety;
mod distribution;
mod editorial;
#[cfg(unix)]
mod fifo;
mod hostile_packs;
mod house;
mod hostile_rendering;
mod import;
mod limits;
mod malformed;
mod markdown;
mod optional_fields;
mod packs;
mod packs_pdf;
mod preview;
mod store;
mod tagged;
mod pdf_check;
mod scripts;
mod typeset;
