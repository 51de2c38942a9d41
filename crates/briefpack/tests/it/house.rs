//! A library's house style (`library.toml`) reaching every pack's PDF: the
//! organisation and logo on the cover (the logo a tagged figure with its
//! alternative text), the logo in the running header when asked, the colours,
//! the font family; a pack's own `[house]` winning; located errors; the
//! defaults of new packs. The fixture library is `tests/fixtures/house/northshire`:
//! `quarterly` uses the library's style, `handout` overrides it.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use briefpack::check;
use briefpack::fonts::FontSet;
use briefpack::house::{self, FontFamily, HouseError, LibrarySettings};
use briefpack::library;
use briefpack::pack::{self, Marking};
use briefpack::render::{pack_to_pdf, pack_to_pdf_in, HouseSource, OutputOptions, RenderError};
use lopdf::{Dictionary, Document, Object};

use crate::common::{example_pack, fixtures};
use crate::pdf_check::{number, Pdf};

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::bundled().unwrap())
}

fn northshire() -> PathBuf {
    fixtures().join("house/northshire")
}

/// A copy of the fixture library in a temporary folder, to change.
fn library_copy() -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let to = temp.path().join("northshire");
    copy_dir(&northshire(), &to);
    (temp, to)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &to.join(entry.file_name()));
        } else {
            std::fs::copy(entry.path(), to.join(entry.file_name())).unwrap();
        }
    }
}

fn build(dir: &Path) -> Vec<u8> {
    pack_to_pdf(dir, None, None, fonts()).unwrap_or_else(|e| panic!("{} does not build: {e}", dir.display())).output.pdf
}

/// The pixel sizes of the images page `page` (1-based) draws, in drawing order.
fn images_drawn(bytes: &[u8], page: usize) -> Vec<(i64, i64)> {
    let doc = Document::load_mem(bytes).unwrap();
    let id = doc.get_pages()[&(page as u32)];
    let (resources, _) = doc.get_page_resources(id).unwrap();
    let resources: Dictionary = match resources {
        Some(r) => r.clone(),
        None => doc.get_dictionary(doc.get_page_resources(id).unwrap().1[0]).unwrap().clone(),
    };
    let xobjects = match resources.get(b"XObject") {
        Ok(Object::Reference(r)) => doc.get_dictionary(*r).unwrap().clone(),
        Ok(Object::Dictionary(d)) => d.clone(),
        _ => Dictionary::new(),
    };
    let content = doc.get_and_decode_page_content(id).unwrap();
    content
        .operations
        .iter()
        .filter(|op| op.operator == "Do")
        .filter_map(|op| {
            let name = op.operands[0].as_name().ok()?;
            let stream = doc.get_object(xobjects.get(name).ok()?.as_reference().ok()?).ok()?.as_stream().ok()?;
            let (w, h) = (stream.dict.get(b"Width").ok()?.as_i64().ok()?, stream.dict.get(b"Height").ok()?.as_i64().ok()?);
            Some((w, h))
        })
        .collect()
}

/// The alternative texts of the document's Figure elements.
fn figure_alts(bytes: &[u8]) -> Vec<String> {
    let doc = Document::load_mem(bytes).unwrap();
    let mut alts: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"S").and_then(Object::as_name).ok() == Some(b"Figure"))
        .filter_map(|d| d.get(b"Alt").ok())
        .map(|alt| match alt {
            Object::String(bytes, _) if bytes.starts_with(&[0xFE, 0xFF]) => {
                String::from_utf16_lossy(&bytes[2..].chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect::<Vec<_>>())
            }
            Object::String(bytes, _) => String::from_utf8_lossy(bytes).into_owned(),
            _ => String::new(),
        })
        .collect();
    alts.sort();
    alts
}

/// The font families (`NotoSans`, `NotoSerif`) of every font the document uses.
fn families(bytes: &[u8]) -> Vec<String> {
    let mut families: Vec<String> = Pdf::parse(bytes).fonts().iter().map(|f| f.family().split('-').next().unwrap_or_default().to_string()).collect();
    families.sort();
    families.dedup();
    families
}

/// Whether page `page` (1-based) fills something in `colour` (`0xRRGGBB`).
fn uses_colour(bytes: &[u8], page: usize, colour: u32) -> bool {
    let doc = Document::load_mem(bytes).unwrap();
    let id = doc.get_pages()[&(page as u32)];
    let want = [(colour >> 16) as f32 / 255.0, ((colour >> 8) & 0xFF) as f32 / 255.0, (colour & 0xFF) as f32 / 255.0];
    doc.get_and_decode_page_content(id).unwrap().operations.iter().any(|op| {
        op.operator == "rg" && (0..3).all(|i| (number(&op.operands[i]) - want[i]).abs() < 0.003)
    })
}

#[test]
fn the_library_logo_organisation_colours_and_font_reach_the_pdf() {
    let bytes = build(&northshire().join("quarterly"));
    let pdf = Pdf::parse(&bytes);
    let pages = pdf.page_texts();
    assert!(pages.len() >= 3, "a cover, contents and the briefing: {} pages", pages.len());
    assert!(pages[0].contains("Northshire County Council"), "the organisation heads the cover:\n{}", pages[0]);
    // The 240 × 240 logo on the cover, first of all, and in every running header after it.
    assert_eq!(images_drawn(&bytes, 1), [(240, 240)], "the cover draws the logo once");
    for page in 2..=pages.len() {
        assert_eq!(images_drawn(&bytes, page), [(240, 240)], "page {page} has the logo in its header");
    }
    assert_eq!(figure_alts(&bytes), ["Northshire County Council crest"], "the cover's logo is a figure with its alternative text; the header's is an artifact");
    assert_eq!(families(&bytes), ["NotoSans"], "font = \"sans\" sets every text in the bundled Noto Sans");
    assert!(uses_colour(&bytes, 1, 0x0B5D4B), "the cover's title is in the house heading colour");
    assert!(uses_colour(&bytes, 3, 0xB5472B) || (2..=pages.len()).any(|p| uses_colour(&bytes, p, 0xB5472B)), "the key figures are in the house accent");
    pdf.poppler_verdict().unwrap();
}

#[test]
fn a_packs_own_house_table_wins_key_by_key() {
    let bytes = build(&northshire().join("handout"));
    let pages = Pdf::parse(&bytes).page_texts();
    assert!(pages[0].contains("Northshire Training Unit"), "the pack's organisation:\n{}", pages[0]);
    assert!(!pages.iter().any(|p| p.contains("Northshire County Council")), "the library's organisation is overridden");
    assert_eq!(images_drawn(&bytes, 1), [(600, 150)], "the pack's own logo (a JPEG in the pack folder)");
    assert!((2..=pages.len()).all(|p| !images_drawn(&bytes, p).contains(&(600, 150))), "the pack's logo is not in the header: it did not ask");
    assert!(figure_alts(&bytes).contains(&"Northshire Training Unit".to_string()), "{:?}", figure_alts(&bytes));
    assert!(!figure_alts(&bytes).iter().any(|alt| alt.contains("crest")));
    let families = families(&bytes);
    assert!(families.contains(&"NotoSerif".to_string()) && !families.contains(&"NotoSans".to_string()), "the pack's font = \"serif\" wins over the library's sans: {families:?}");
    // Its accent is its own; the heading colour still comes from the library.
    assert!(uses_colour(&bytes, 1, 0x0B5D4B), "the library's heading colour");
}

#[test]
fn house_style_output_is_deterministic() {
    let dir = northshire().join("quarterly");
    assert!(build(&dir) == build(&dir), "the same input gives the same bytes");
}

#[test]
fn without_library_toml_nothing_changes() {
    let (_temp, library) = library_copy();
    std::fs::remove_file(library.join(house::LIBRARY_FILE)).unwrap();
    let dir = library.join("quarterly");
    let bytes = build(&dir);
    let given_none = pack_to_pdf_in(&dir, None, None, OutputOptions::default(), fonts(), HouseSource::Given(None)).unwrap().output.pdf;
    assert!(bytes == given_none, "no library.toml is no house style");
    assert!(images_drawn(&bytes, 1).is_empty());
    assert_eq!(families(&bytes), ["NotoSerif"]);
    assert!(!Pdf::parse(&bytes).page_texts()[0].contains("Northshire"));
    // The example library has no library.toml either: its pack builds as it always did.
    assert!(!example_pack().parent().unwrap().join(house::LIBRARY_FILE).exists());
}

#[test]
fn settings_being_edited_are_previewed_without_saving() {
    let (_temp, library) = library_copy();
    let mut house = house::load(&library).unwrap().unwrap();
    house.settings.organisation = Some("Southshire Borough".into());
    let edited = house::load_text(&library, &toml::to_string(&house.settings).unwrap()).unwrap();
    let bytes = pack_to_pdf_in(&library.join("quarterly"), None, None, OutputOptions::default(), fonts(), HouseSource::Given(Some(&edited))).unwrap().output.pdf;
    assert!(Pdf::parse(&bytes).page_texts()[0].contains("Southshire Borough"));
    assert!(std::fs::read_to_string(library.join(house::LIBRARY_FILE)).unwrap().contains("Northshire County Council"), "nothing was saved");
}

#[test]
fn templates_see_the_house_style() {
    let (_temp, library) = library_copy();
    let template = library.join("templates/letter");
    std::fs::create_dir_all(&template).unwrap();
    std::fs::write(template.join("template.md"), "# {{ pack.title }}\n\nFrom {{ house.organisation }}, set in {{ house.font }}.\n").unwrap();
    let bytes = pack_to_pdf(&library.join("quarterly"), Some("letter"), None, fonts()).unwrap().output.pdf;
    let text = Pdf::parse(&bytes).page_texts().join("\n");
    assert!(text.contains("From Northshire County Council, set in sans."), "{text}");
}

#[test]
fn problems_in_library_toml_are_located_by_check_and_stop_the_build() {
    let (_temp, library) = library_copy();
    let file = library.join(house::LIBRARY_FILE);
    let text = std::fs::read_to_string(&file).unwrap().replace("file = \"logo.png\"", "file = \"crest.png\"").replace("\"#B5472B\"", "\"rust\"");
    std::fs::write(&file, &text).unwrap();
    let dir = library.join("quarterly");
    let found = check::check(&dir, fonts());
    let errors: Vec<(String, usize, Option<&str>)> = found
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.file.file_name().unwrap().to_string_lossy().into_owned(), d.line, d.field.as_deref()))
        .collect();
    // Types first: the colour stops the file before the logo is looked for.
    assert_eq!(errors, [("library.toml".to_string(), 18, Some("colours.accent"))], "{found:#?}");
    assert!(found[0].to_string().contains("library.toml:18:10: error: `accent` must be a colour like \"#1F3A5F\""), "{}", found[0]);

    std::fs::write(&file, text.replace("\"rust\"", "\"#B5472B\"")).unwrap();
    let found = check::check(&dir, fonts());
    assert_eq!(found.len(), 1, "{found:#?}");
    assert_eq!((found[0].line, found[0].field.as_deref()), (12, Some("logo.file")));
    assert!(found[0].message.contains("there is no logo file `crest.png` in the library folder"), "{}", found[0].message);
    match pack_to_pdf(&dir, None, None, fonts()) {
        Err(RenderError::House(HouseError::Invalid { diagnostics })) => assert_eq!(diagnostics, found),
        other => panic!("the build must stop: {:?}", other.map(|r| r.file_name)),
    }
}

#[test]
fn a_broken_or_oversized_logo_is_an_error_never_a_panic() {
    let (_temp, library) = library_copy();
    let dir = library.join("quarterly");
    for (bytes, says) in [
        (b"\x89PNG\r\n\x1a\nnot really".to_vec(), "is not a PNG or JPEG image"),
        (crate::common::png_header(240, 240), "is damaged and cannot be decoded"),
        (crate::common::png_header(9_000, 100), "a logo may be up to 4000 pixels a side"),
        (vec![0xFF; 3 * 1024 * 1024], "is too large"),
    ] {
        std::fs::write(library.join("logo.png"), &bytes).unwrap();
        let found = check::check(&dir, fonts());
        assert!(found.iter().any(|d| d.field.as_deref() == Some("logo.file") && d.message.contains(says)), "{says}: {found:#?}");
        assert!(pack_to_pdf(&dir, None, None, fonts()).is_err());
    }
    #[cfg(unix)]
    {
        std::fs::remove_file(library.join("logo.png")).unwrap();
        std::os::unix::fs::symlink(northshire().join("logo.png"), library.join("logo.png")).unwrap();
        let found = check::check(&dir, fonts());
        assert!(found.iter().any(|d| d.message.contains("leads outside the library folder")), "{found:#?}");
    }
}

#[test]
fn problems_in_a_packs_house_table_are_located_in_pack_toml() {
    let (_temp, library) = library_copy();
    let dir = library.join("handout");
    let file = dir.join(pack::PACK_FILE);
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("images/unit-logo.jpg", "../logo.png").replace("font = \"serif\"", "font = \"Serif\"")).unwrap();
    let found = check::check(&dir, fonts());
    assert_eq!(found.iter().map(|d| (d.line, d.field.as_deref())).collect::<Vec<_>>(), [(12, Some("house.font"))], "{found:#?}");
    assert_eq!(found[0].hint.as_deref(), Some("did you mean \"serif\"?"));
    std::fs::write(&file, text.replace("images/unit-logo.jpg", "../logo.png")).unwrap();
    let found = check::check(&dir, fonts());
    assert_eq!(found.iter().map(|d| (d.line, d.field.as_deref())).collect::<Vec<_>>(), [(15, Some("house.logo.file"))], "{found:#?}");
    assert!(found[0].message.contains("must stay inside the pack folder"), "{}", found[0].message);
}

#[test]
fn new_packs_start_with_the_librarys_marking_and_template() {
    let (_temp, library) = library_copy();
    let name = library::create_pack(&library, "Winter briefing", chrono::NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(), None).unwrap();
    let pack = pack::load(&library.join(&name)).unwrap().pack;
    assert_eq!((pack.meta.marking, pack.meta.template.as_str()), (Marking::Official, "board-briefing"));

    let mut settings = house::load(&library).unwrap().unwrap().settings;
    settings.default_template = Some("training-handout".into());
    settings.default_marking = Some(Marking::TlpGreen);
    house::save(&library, &settings).unwrap();
    let name = library::create_pack(&library, "Spring handout", chrono::NaiveDate::from_ymd_opt(2026, 3, 1).unwrap(), None).unwrap();
    let pack = pack::load(&library.join(&name)).unwrap().pack;
    assert_eq!((pack.meta.marking, pack.meta.template.as_str()), (Marking::TlpGreen, "training-handout"));
    // A template asked for wins; the library's marking still applies.
    let name = library::create_pack(&library, "Summer", chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap(), Some("board-briefing")).unwrap();
    let pack = pack::load(&library.join(&name)).unwrap().pack;
    assert_eq!((pack.meta.marking, pack.meta.template.as_str()), (Marking::TlpGreen, "board-briefing"));
}

#[test]
fn saving_settings_keeps_the_files_comments() {
    let (_temp, library) = library_copy();
    let file = library.join(house::LIBRARY_FILE);
    let before = std::fs::read_to_string(&file).unwrap();
    let mut settings: LibrarySettings = house::load(&library).unwrap().unwrap().settings;
    settings.font = Some(FontFamily::Serif);
    settings.logo.as_mut().unwrap().in_header = None;
    house::save(&library, &settings).unwrap();
    let after = std::fs::read_to_string(&file).unwrap();
    let expected = before.replace("font = \"sans\"   # the bundled Noto Sans", "font = \"serif\"   # the bundled Noto Sans").replace("in_header = true\n", "");
    assert_eq!(after, expected);
}
