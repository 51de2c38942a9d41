//! House style: what a library's `library.toml` says about every pack in it.
//!
//! The organisation's name and logo (printed at the top of every cover and, when
//! asked, in the running header), the marking and template new packs start with,
//! heading and accent colours, and the font family (the bundled serif or the
//! bundled sans-serif). A pack's own `[house]` table in pack.toml takes the same
//! keys (all but the two defaults for new packs) and wins key by key. A library
//! without `library.toml` and a pack without `[house]` have no house style: their
//! output is exactly what it was before house styles existed.
//!
//! `library.toml` is read like every file people write: parsed with spans, each
//! problem a [`Diagnostic`] at its line and field with a fix. A logo is read from
//! inside the folder of the file that names it only (the library, or the pack),
//! as a regular file of at most [`MAX_LOGO_BYTES`], PNG or JPEG of at most
//! [`MAX_LOGO_SIDE`] pixels a side, and a PNG is decoded once to prove it whole,
//! so a broken logo is a located error from `check` and `build`, never a failure
//! halfway through writing a PDF. [`save`] writes the file atomically, changing
//! only the values that changed (comments and layout survive).

use std::path::{Component, Path, PathBuf};

use serde::{Deserialize, Serialize};
use toml::de::DeValue;
use toml::Spanned;

use crate::diagnostic::{did_you_mean, Diagnostic, Severity, SourceText};
use crate::layout::{Brand, ImageAsset, ImageFormat, Logo, Rgb, Style};
use crate::pack::{self, Located, Marking, Pack, ReadError};
use crate::toml_source::{self, FieldSpans};

/// The house style file at the root of a library.
pub const LIBRARY_FILE: &str = "library.toml";
/// Logo files larger than this (2 MiB) are refused: a logo prints a few
/// centimetres wide, and every copy of every pack carries it.
pub const MAX_LOGO_BYTES: u64 = 2 * 1024 * 1024;
/// Logos wider or taller than this many pixels are refused (600 dpi at 17 cm).
pub const MAX_LOGO_SIDE: u32 = 4_000;
/// The longest organisation name, in characters: it prints on one or two lines of a cover.
pub const MAX_ORGANISATION_CHARS: usize = 120;
/// The longest alternative text of a logo, in characters.
pub const MAX_ALT_CHARS: usize = 250;

/// The family every text of a pack is set in: both are bundled, so a PDF looks
/// the same on every machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum FontFamily {
    /// Noto Serif (the templates' own family).
    #[default]
    Serif,
    /// Noto Sans.
    Sans,
}

impl FontFamily {
    /// The word library.toml uses for it.
    pub fn as_str(self) -> &'static str {
        match self {
            FontFamily::Serif => "serif",
            FontFamily::Sans => "sans",
        }
    }
}

/// A logo as `library.toml` (`[logo]`) or a pack's `[house.logo]` names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct LogoSettings {
    /// The PNG or JPEG file, relative to the folder of the file that names it
    /// (the library folder for library.toml, the pack folder for pack.toml).
    pub file: String,
    /// What the logo shows, for people who cannot see it (the PDF's alternative text).
    pub alt: String,
    /// Also print the logo in the running header of every page after the first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_header: Option<bool>,
}

/// Colours of a house style, over the template's own.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct HouseColours {
    /// Headings, the cover's title and rules, edition labels (`"#1B365D"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub heading: Option<Rgb>,
    /// Key figures, card edges, links and chart bars (`"#1F5A96"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub accent: Option<Rgb>,
}

impl HouseColours {
    fn is_empty(&self) -> bool {
        self.heading.is_none() && self.accent.is_none()
    }
}

/// What `library.toml` holds: the house style of every pack in the library.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct LibrarySettings {
    /// The organisation's name, printed at the top of every cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The marking a new pack starts with (else TLP:AMBER).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub default_marking: Option<Marking>,
    /// The template a new pack starts with (else board-briefing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_template: Option<String>,
    /// The font family of every pack (else the template's serif).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font: Option<FontFamily>,
    /// The organisation's logo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<LogoSettings>,
    /// Heading and accent colours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colours: Option<HouseColours>,
}

/// A pack's `[house]` table: the same keys as `library.toml` but the defaults for
/// new packs, each one winning over the library's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct PackHouse {
    /// The organisation named at the top of the cover.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The font family.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub font: Option<FontFamily>,
    /// A logo of the pack's own (its file inside the pack folder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<LogoSettings>,
    /// Heading and accent colours (each one over the library's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub colours: Option<HouseColours>,
}

/// A library's `library.toml`, read and checked, with its logo loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryHouse {
    /// The file.
    pub path: PathBuf,
    /// What it says.
    pub settings: LibrarySettings,
    /// The logo it names, read and checked.
    pub logo: Option<Logo>,
}

/// The house style one pack is built in: the library's with the pack's own keys over it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HouseStyle {
    /// Printed at the top of the cover.
    pub organisation: Option<String>,
    /// On the cover, and in the running header when `logo_in_header`.
    pub logo: Option<Logo>,
    /// Whether the running header carries the logo.
    pub logo_in_header: bool,
    /// Over the template's colours.
    pub colours: HouseColours,
    /// The family text is set in.
    pub font: FontFamily,
}

impl HouseStyle {
    /// `style` with the house colours over the template's.
    pub fn apply(&self, style: &mut Style) {
        if let Some(heading) = self.colours.heading {
            style.colours.heading = heading;
        }
        if let Some(accent) = self.colours.accent {
            style.colours.accent = accent;
        }
    }

    /// What the top of the cover shows, if anything.
    pub fn brand(&self) -> Option<Brand> {
        (self.organisation.is_some() || self.logo.is_some()).then(|| Brand { organisation: self.organisation.clone(), logo: self.logo.clone() })
    }

    /// The logo the running header carries, if it carries one.
    pub fn header_logo(&self) -> Option<Logo> {
        self.logo.clone().filter(|_| self.logo_in_header)
    }
}

/// Why a house style could not be used.
#[derive(Debug, thiserror::Error)]
pub enum HouseError {
    /// `library.toml` (or a pack's `[house]` table) has errors.
    #[error("{}", pack::summarise(diagnostics))]
    Invalid {
        /// Every problem found, located.
        diagnostics: Vec<Diagnostic>,
    },
    /// `library.toml` could not be written.
    #[error("cannot save {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

impl HouseError {
    /// Every problem found (none for a failed write).
    pub fn diagnostics(&self) -> &[Diagnostic] {
        match self {
            HouseError::Invalid { diagnostics } => diagnostics,
            HouseError::Io { .. } => &[],
        }
    }
}

/// The library a pack folder belongs to: the folder it is in (a pack in the
/// trash belongs to the library whose trash it is in).
pub fn library_of(pack_dir: &Path) -> PathBuf {
    // `.` or `..` names the pack folder without its name: the library is the folder above it.
    let named = matches!(pack_dir.components().next_back(), Some(Component::Normal(_)));
    let parent = match pack_dir.parent() {
        _ if !named => pack_dir.join(".."),
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    match (parent.file_name(), parent.parent()) {
        (Some(name), Some(library)) if name == crate::library::TRASH_DIR && !library.as_os_str().is_empty() => library.to_path_buf(),
        _ => parent,
    }
}

/// Reads and checks `library.toml` in `library`; `Ok(None)` when there is none.
pub fn load(library: &Path) -> Result<Option<LibraryHouse>, HouseError> {
    let path = library.join(LIBRARY_FILE);
    match pack::read_text(&path) {
        Ok(text) => load_text(library, &text).map(Some),
        Err(ReadError::Missing) => Ok(None),
        Err(ReadError::Problem(d)) => Err(HouseError::Invalid { diagnostics: vec![d] }),
    }
}

/// What `library.toml` says, checked only as far as its shape (TOML, known keys,
/// values of the right kind): the settings screen edits them and shows the
/// remaining problems (a missing logo, say) at their fields. `Ok(None)` when
/// there is no file; `Err` when it cannot be read as settings at all.
pub fn read_settings(library: &Path) -> Result<Option<LibrarySettings>, HouseError> {
    let path = library.join(LIBRARY_FILE);
    let text = match pack::read_text(&path) {
        Ok(text) => text,
        Err(ReadError::Missing) => return Ok(None),
        Err(ReadError::Problem(d)) => return Err(HouseError::Invalid { diagnostics: vec![d] }),
    };
    let mut diagnostics = Vec::new();
    match parse(&SourceText::new(&path, text), &mut diagnostics) {
        Some((settings, _)) => Ok(Some(settings)),
        None => Err(HouseError::Invalid { diagnostics }),
    }
}

/// [`load`] for text in memory, reported as `library/library.toml` (the app
/// checks settings before it saves them); the logo is read from the library.
pub fn load_text(library: &Path, text: &str) -> Result<LibraryHouse, HouseError> {
    let path = library.join(LIBRARY_FILE);
    let source = SourceText::new(&path, text);
    let mut diagnostics = Vec::new();
    let parsed = parse(&source, &mut diagnostics);
    let mut logo = None;
    if let Some((settings, located)) = &parsed {
        let at = |field: &str, message: String| located.at(Severity::Error, field, message);
        check_text_fields(settings.organisation.as_deref(), settings.logo.as_ref(), "", &at, &mut diagnostics);
        if let Some(settings) = &settings.logo {
            match read_logo(library, settings, "the library folder") {
                Ok(loaded) => logo = Some(loaded),
                Err((message, hint)) => diagnostics.push(at("logo.file", message).with_hint(hint)),
            }
        }
        if let Some(name) = &settings.default_template {
            if let Some(d) = template_problem(library, name, &at) {
                diagnostics.push(d);
            }
        }
    }
    crate::diagnostic::sort_by_position(&mut diagnostics);
    match parsed {
        Some((settings, _)) if !diagnostics.iter().any(Diagnostic::is_error) => Ok(LibraryHouse { path, settings, logo }),
        _ => Err(HouseError::Invalid { diagnostics }),
    }
}

/// Every problem `settings` would have as `library`'s library.toml, located in
/// the file as saving them would write it (the app shows each at its field).
/// `settings` is a [`LibrarySettings`] or anything serialized like one (the
/// app's form, whose values are checked here, as in the file, not before).
pub fn check_settings<S: Serialize>(library: &Path, settings: &S) -> Vec<Diagnostic> {
    match file_text(library, settings).map(|text| load_text(library, &text)) {
        Ok(Ok(_)) => Vec::new(),
        Ok(Err(e)) => e.diagnostics().to_vec(),
        Err(e) => vec![Diagnostic::file_error(library.join(LIBRARY_FILE), e.to_string())],
    }
}

/// The keys of library.toml in the order a fresh file lists them.
const KEY_ORDER: [&str; 6] = ["organisation", "default_marking", "default_template", "font", "logo", "colours"];

/// The text library.toml would have holding `settings` (see [`check_settings`]):
/// the file on disk with only the changed values rewritten (comments, order and
/// spelling of the rest kept), or a fresh file when there is none.
pub fn file_text<S: Serialize>(library: &Path, settings: &S) -> Result<String, HouseError> {
    let path = library.join(LIBRARY_FILE);
    let invalid = |message: String| HouseError::Invalid { diagnostics: vec![Diagnostic::file_error(&path, message)] };
    let value = toml::Value::try_from(settings).map_err(|e| invalid(format!("cannot write the settings: {e}")))?;
    let mut given = match value {
        toml::Value::Table(table) => table,
        _ => return Err(invalid("the settings must be a table of keys".into())),
    };
    let mut ordered = toml::Table::new();
    for key in KEY_ORDER {
        if let Some((key, value)) = given.remove_entry(key) {
            ordered.insert(key, value);
        }
    }
    // Unknown keys stay, to be reported at their line.
    ordered.extend(given);
    let table = &ordered;
    let current = match pack::read_text(&path) {
        Ok(text) => Some(text),
        Err(ReadError::Missing) => None,
        Err(ReadError::Problem(d)) => return Err(HouseError::Invalid { diagnostics: vec![d] }),
    };
    if let Some(text) = current.as_deref().and_then(|c| pack::update_toml(c, table)) {
        return Ok(text);
    }
    let body = toml::to_string_pretty(table).map_err(|e| invalid(format!("cannot write the settings: {e}")))?;
    Ok(format!("# Briefpack house style: applies to every pack in this library unless the pack's [house] table says otherwise.\n{body}"))
}

/// Saves `settings` as `library`'s library.toml, atomically, refusing settings
/// with errors (nothing is written then); returns the saved file, read back.
/// Settings equal to those on disk write nothing.
pub fn save<S: Serialize>(library: &Path, settings: &S) -> Result<LibraryHouse, HouseError> {
    let path = library.join(LIBRARY_FILE);
    let text = file_text(library, settings)?;
    let saved = load_text(library, &text)?;
    let current = std::fs::read_to_string(&path).ok();
    if current.as_deref() != Some(text.as_str()) {
        crate::atomic::write_atomic(&path, text.as_bytes()).map_err(|source| HouseError::Io { path: path.clone(), source })?;
    }
    Ok(saved)
}

/// The house style of the pack in `pack_dir`: its library's library.toml with
/// the pack's `[house]` over it; `Ok(None)` when neither exists.
pub fn for_pack(pack_dir: &Path, pack: &Pack) -> Result<Option<HouseStyle>, HouseError> {
    let library = load(&library_of(pack_dir))?;
    resolve(pack_dir, pack, library.as_ref())
}

/// [`for_pack`] with the library's house style given (read already, or being
/// edited and not yet saved).
pub fn resolve(pack_dir: &Path, pack: &Pack, library: Option<&LibraryHouse>) -> Result<Option<HouseStyle>, HouseError> {
    let own = pack.meta.house.as_ref();
    if library.is_none() && own.is_none() {
        return Ok(None);
    }
    let mut style = HouseStyle::default();
    if let Some(library) = library {
        let s = &library.settings;
        style.organisation = s.organisation.clone();
        style.logo = library.logo.clone();
        style.logo_in_header = s.logo.as_ref().and_then(|l| l.in_header).unwrap_or(false);
        style.colours = s.colours.clone().unwrap_or_default();
        style.font = s.font.unwrap_or_default();
    }
    let Some(own) = own else { return Ok(Some(style)) };
    let mut diagnostics = Vec::new();
    let at = |field: &str, message: String| pack::diagnostic_at(pack_dir, Severity::Error, field, message);
    check_text_fields(own.organisation.as_deref(), own.logo.as_ref(), "house.", &at, &mut diagnostics);
    if let Some(organisation) = &own.organisation {
        style.organisation = Some(organisation.clone());
    }
    if let Some(font) = own.font {
        style.font = font;
    }
    if let Some(colours) = own.colours.as_ref().filter(|c| !c.is_empty()) {
        style.colours.heading = colours.heading.or(style.colours.heading);
        style.colours.accent = colours.accent.or(style.colours.accent);
    }
    if let Some(settings) = &own.logo {
        match read_logo(pack_dir, settings, "the pack folder") {
            Ok(logo) => {
                style.logo = Some(logo);
                style.logo_in_header = settings.in_header.unwrap_or(false);
            }
            Err((message, hint)) => diagnostics.push(at("house.logo.file", message).with_hint(hint)),
        }
    }
    if diagnostics.iter().any(Diagnostic::is_error) {
        crate::diagnostic::sort_by_position(&mut diagnostics);
        return Err(HouseError::Invalid { diagnostics });
    }
    Ok(Some(style))
}

/// The marking and template a new pack in `library` starts with, when its
/// library.toml says (a library whose file has errors says nothing: creating a
/// pack still works, and `check` reports the file).
pub fn new_pack_defaults(library: &Path) -> (Option<Marking>, Option<String>) {
    match load(library) {
        Ok(Some(house)) => (house.settings.default_marking, house.settings.default_template),
        _ => (None, None),
    }
}

/// Makes the image file a person picked the library's logo: a file inside the
/// library is named where it is; one outside is copied into the library folder
/// first (beside an existing file of that name, under a new name, unless it is
/// the same image). Returns its path relative to the library, for `[logo] file`.
/// Nothing is copied unless it is a whole PNG or JPEG within the logo limits.
pub fn adopt_logo(library: &Path, picked: &Path) -> Result<String, HouseError> {
    let refuse = |message: String| HouseError::Invalid { diagnostics: vec![Diagnostic::file_error(picked, message)] };
    let real_library = library.canonicalize().map_err(|source| HouseError::Io { path: library.to_path_buf(), source })?;
    let real = picked.canonicalize().map_err(|e| refuse(format!("cannot open the picked file: {e}")))?;
    let (folder, name) = match (real.parent(), real.file_name()) {
        (Some(folder), Some(name)) => (folder.to_path_buf(), name.to_string_lossy().into_owned()),
        _ => return Err(refuse("pick an image file, not a folder".into())),
    };
    // Checked as the logo it would be, wherever it is now.
    let check = LogoSettings { file: name.clone(), alt: "logo".into(), in_header: None };
    let logo = read_logo(&folder, &check, "its folder").map_err(|(message, hint)| HouseError::Invalid {
        diagnostics: vec![Diagnostic::file_error(picked, message).with_hint(hint)],
    })?;
    if let Ok(inside) = real.strip_prefix(&real_library) {
        let parts: Vec<String> = inside.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        return Ok(parts.join("/"));
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) => (stem.to_string(), format!(".{extension}")),
        None => (name.clone(), String::new()),
    };
    let mut target = name.clone();
    let mut n = 2;
    loop {
        let path = library.join(&target);
        match std::fs::read(&path) {
            Ok(existing) if existing == *logo.image.bytes => return Ok(target),
            Ok(_) => {}
            Err(_) if !path.exists() => break,
            Err(_) => {}
        }
        target = format!("{stem}-{n}{extension}");
        n += 1;
    }
    let path = library.join(&target);
    crate::atomic::write_atomic(&path, &logo.image.bytes).map_err(|source| HouseError::Io { path, source })?;
    Ok(target)
}

/// The settings, or `None` with the file's problems in `diagnostics`.
fn parse(source: &SourceText, diagnostics: &mut Vec<Diagnostic>) -> Option<(LibrarySettings, Located)> {
    let table = toml_source::parse(source).map_err(|errors| diagnostics.extend(errors)).ok()?;
    let spans = FieldSpans::collect(table.get_ref(), "");
    let located = Located { source: source.clone(), spans };
    let (span, table) = (table.span(), table.into_inner());
    let settings = toml_source::deserialize::<LibrarySettings>(Spanned::new(span, DeValue::Table(table)), "", source, &located.spans)
        .map_err(|d| diagnostics.extend(d))
        .ok()?;
    Some((settings, located))
}

/// The organisation and the logo's alternative text: present means written, on
/// one line without invisible characters, and short enough for a cover.
fn check_text_fields(
    organisation: Option<&str>,
    logo: Option<&LogoSettings>,
    prefix: &str,
    at: &dyn Fn(&str, String) -> Diagnostic,
    out: &mut Vec<Diagnostic>,
) {
    let mut field = |name: &str, text: &str, max: usize, what: &str, empty_hint: &str| {
        let path = format!("{prefix}{name}");
        if text.trim().is_empty() {
            out.push(at(&path, format!("`{name}` is empty: {what}")).with_hint(empty_hint.to_string()));
        } else if let Some(c) = text.chars().find(|&c| c.is_control() || ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)) {
            out.push(
                at(&path, format!("`{name}` contains the invisible character U+{:04X}, which would print as nothing or reorder the text: delete it", u32::from(c)))
                    .with_hint("retype the text, or paste it as plain text"),
            );
        } else if text.chars().count() > max {
            out.push(at(&path, format!("`{name}` is {} characters long; it may be at most {max}", text.chars().count())).with_hint("shorten it"));
        }
    };
    if let Some(organisation) = organisation {
        field("organisation", organisation, MAX_ORGANISATION_CHARS, "write the organisation's name", "or remove the line");
    }
    if let Some(logo) = logo {
        field(
            "logo.alt",
            &logo.alt,
            MAX_ALT_CHARS,
            "a logo needs alternative text for people who cannot see it",
            "write what the logo shows, like alt = \"Northshire County Council\"",
        );
    }
}

/// The problem with `name` as the library's default template, if there is one.
fn template_problem(library: &Path, name: &str, at: &dyn Fn(&str, String) -> Diagnostic) -> Option<Diagnostic> {
    let search = library_template_search_path(library);
    match crate::template::find(name, &search) {
        Ok(_) => None,
        Err(crate::template::TemplateError::NotFound { available, .. }) => {
            let d = at("default_template", format!("there is no template `{name}`"));
            Some(match did_you_mean(name, available.iter().map(String::as_str)) {
                Some(close) => d.with_hint(format!("did you mean `{close}`?")),
                None => d.with_hint(format!("the templates are {}", available.join(", "))),
            })
        }
        Err(e) => Some(at("default_template", format!("the template `{name}` cannot be used: {e}"))),
    }
}

/// Where a library's templates are: its own `templates/` folder and the one beside it
/// (as for a pack in it), then the built-in ones.
pub fn library_template_search_path(library: &Path) -> Vec<PathBuf> {
    crate::render::template_search_path(&library.join("pack"))[1..].to_vec()
}

/// Reads the logo `settings` name, inside `root` (`where_` names it in messages);
/// on failure a message and a hint.
fn read_logo(root: &Path, settings: &LogoSettings, where_: &str) -> Result<Logo, (String, String)> {
    let file = settings.file.trim();
    let fail = |message: String, hint: &str| Err((message, hint.to_string()));
    if file.is_empty() {
        return fail("the logo's `file` is empty".into(), "name a PNG or JPEG file in the folder, like file = \"logo.png\"");
    }
    if file.contains("://") {
        return fail(format!("the logo must be a file in {where_}; Briefpack never downloads"), "save the logo into the folder and name it here");
    }
    let relative = Path::new(file);
    if relative.components().any(|c| !matches!(c, Component::Normal(_) | Component::CurDir)) {
        return fail(format!("the logo `{file}` must stay inside {where_} (no `..` or absolute paths)"), "copy the logo into the folder and name it relative to it");
    }
    let full = root.join(relative);
    let real_root = root.canonicalize().map_err(|e| (format!("cannot open {}: {e}", root.display()), String::new()))?;
    let real = match full.canonicalize() {
        Ok(real) => real,
        Err(_) => return fail(format!("there is no logo file `{file}` in {where_}"), "check the spelling, or choose the logo again"),
    };
    if !real.starts_with(&real_root) {
        return fail(format!("the logo `{file}` leads outside {where_}"), "copy the logo into the folder instead of linking to it");
    }
    let bytes = match crate::files::read_regular_file(&real, MAX_LOGO_BYTES) {
        Ok(bytes) => bytes,
        Err(crate::files::ReadError::TooLarge { bytes, limit, .. }) => {
            return fail(format!("the logo `{file}` is too large ({})", crate::files::size_over_limit(bytes, limit)), "save it smaller: a logo prints a few centimetres wide");
        }
        Err(crate::files::ReadError::NotAFile { kind, .. }) => return fail(format!("the logo `{file}` is {kind}, not an image file"), "name a PNG or JPEG file"),
        Err(crate::files::ReadError::Io { source, .. }) => return fail(format!("cannot read the logo `{file}`: {source}"), "check the file's permissions"),
    };
    let Some((format, width_px, height_px, components)) = crate::layout::image_header(&bytes) else {
        return fail(format!("the logo `{file}` is not a PNG or JPEG image (or its header is damaged)"), "save the logo as PNG or JPEG");
    };
    if width_px == 0 || height_px == 0 || width_px > MAX_LOGO_SIDE || height_px > MAX_LOGO_SIDE {
        return fail(
            format!("the logo `{file}` is {width_px} × {height_px} pixels; a logo may be up to {MAX_LOGO_SIDE} pixels a side"),
            "save it smaller: 1,000 pixels wide prints sharply",
        );
    }
    if format == ImageFormat::Png {
        if let Err(message) = printpdf::RawImage::decode_from_bytes(&bytes, &mut Vec::new()) {
            return fail(format!("the logo `{file}` is damaged and cannot be decoded ({message})"), "open it in an image editor and save it again");
        }
    }
    let image = ImageAsset { path: full.display().to_string(), bytes: bytes.into(), format, width_px, height_px, components };
    Ok(Logo { image, alt: settings.alt.trim().to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pack_in_the_trash_belongs_to_the_library() {
        assert_eq!(library_of(Path::new("/lib/pack")), Path::new("/lib"));
        assert_eq!(library_of(Path::new("/lib/.trash/pack")), Path::new("/lib"));
        assert_eq!(library_of(Path::new("pack")), Path::new("."));
        assert_eq!(library_of(Path::new(".")), Path::new("./.."), "a pack built from inside its folder");
    }

    #[test]
    fn house_colours_go_over_the_templates() {
        let house = HouseStyle { colours: HouseColours { heading: Some(Rgb(1, 2, 3)), accent: None }, ..HouseStyle::default() };
        let mut style = Style::default();
        house.apply(&mut style);
        assert_eq!(style.colours.heading, Rgb(1, 2, 3));
        assert_eq!(style.colours.accent, Style::default().colours.accent);
    }

    fn problems(text: &str) -> Vec<Diagnostic> {
        let library = tempfile::tempdir().unwrap();
        match load_text(library.path(), text) {
            Err(HouseError::Invalid { diagnostics }) => diagnostics,
            other => panic!("the file should not load: {other:?}"),
        }
    }

    #[test]
    fn every_problem_is_located_with_a_fix() {
        let found = problems("organisation = \"Northshire\"\nfont = \"sanss\"\ndefault_marking = \"tlp:amber\"\n\n[colours]\nheading = \"navy\"\n\n[logo]\nfile = \"../logo.png\"\nalt = \"\"\n");
        let at: Vec<(usize, Option<&str>)> = found.iter().map(|d| (d.line, d.field.as_deref())).collect();
        assert_eq!(at, [(2, Some("font")), (3, Some("default_marking")), (6, Some("colours.heading"))], "{found:#?}");
        assert!(found[0].hint.as_deref().is_some_and(|h| h.contains("\"sans\"")), "{found:#?}");
        assert!(found[1].hint.as_deref().is_some_and(|h| h.contains("TLP:AMBER")), "{found:#?}");
        // Once the types are right, the logo's own problems are found.
        let found = problems("[logo]\nfile = \"../logo.png\"\nalt = \"\"\n");
        let at: Vec<(usize, Option<&str>)> = found.iter().map(|d| (d.line, d.field.as_deref())).collect();
        assert_eq!(at, [(2, Some("logo.file")), (3, Some("logo.alt"))], "{found:#?}");
        assert!(found[0].message.contains("must stay inside the library folder"), "{}", found[0].message);
    }

    #[test]
    fn an_unknown_default_template_suggests_the_nearest() {
        let found = problems("default_template = \"board-brefing\"\n");
        assert_eq!(found[0].field.as_deref(), Some("default_template"));
        assert_eq!(found[0].hint.as_deref(), Some("did you mean `board-briefing`?"));
    }

    #[test]
    fn settings_round_trip_through_the_file() {
        let library = tempfile::tempdir().unwrap();
        let settings = LibrarySettings {
            organisation: Some("Northshire".into()),
            default_marking: Some(Marking::TlpGreen),
            default_template: Some("training-handout".into()),
            font: Some(FontFamily::Sans),
            logo: None,
            colours: Some(HouseColours { heading: Some(Rgb(0x12, 0x34, 0x56)), accent: None }),
        };
        let saved = save(library.path(), &settings).unwrap();
        assert_eq!(saved.settings, settings);
        let text = std::fs::read_to_string(library.path().join(LIBRARY_FILE)).unwrap();
        assert!(text.contains("heading = \"#123456\""), "{text}");
        assert_eq!(load(library.path()).unwrap().unwrap().settings, settings);
    }

    #[test]
    fn a_save_keeps_comments_and_changes_only_what_changed() {
        let library = tempfile::tempdir().unwrap();
        let path = library.path().join(LIBRARY_FILE);
        let original = "# Our house style\norganisation = 'Northshire'  # as on the letterhead\n\n# Sans for the board\nfont = \"sans\"\n";
        std::fs::write(&path, original).unwrap();
        let mut settings = load(library.path()).unwrap().unwrap().settings;
        settings.font = Some(FontFamily::Serif);
        save(library.path(), &settings).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, original.replace("\"sans\"", "\"serif\""));
    }

    #[test]
    fn a_picked_logo_outside_the_library_is_copied_in_once() {
        let library = tempfile::tempdir().unwrap();
        let elsewhere = tempfile::tempdir().unwrap();
        let logo = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/house/northshire/logo.png");
        let picked = elsewhere.path().join("crest.png");
        std::fs::copy(&logo, &picked).unwrap();
        assert_eq!(adopt_logo(library.path(), &picked).unwrap(), "crest.png");
        assert_eq!(adopt_logo(library.path(), &picked).unwrap(), "crest.png", "the same image is not copied twice");
        std::fs::write(library.path().join("crest.png"), b"another file").unwrap();
        assert_eq!(adopt_logo(library.path(), &picked).unwrap(), "crest-2.png");
        std::fs::create_dir(library.path().join("art")).unwrap();
        std::fs::copy(&logo, library.path().join("art/logo.png")).unwrap();
        assert_eq!(adopt_logo(library.path(), &library.path().join("art/logo.png")).unwrap(), "art/logo.png");
        std::fs::write(elsewhere.path().join("notes.png"), b"not an image").unwrap();
        let err = adopt_logo(library.path(), &elsewhere.path().join("notes.png")).unwrap_err();
        assert!(err.to_string().contains("is not a PNG or JPEG image"), "{err}");
        assert!(!library.path().join("notes.png").exists());
    }

    #[test]
    fn a_form_with_values_of_the_wrong_kind_is_checked_as_the_file_would_be() {
        let library = tempfile::tempdir().unwrap();
        let form = serde_json::json!({ "font": "serif", "organisation": "Northshire", "colours": { "accent": "teal" } });
        let found = check_settings(library.path(), &form);
        assert_eq!(found.len(), 1, "{found:#?}");
        assert_eq!((found[0].line, found[0].field.as_deref()), (6, Some("colours.accent")));
        let text = file_text(library.path(), &form).unwrap();
        assert!(text.find("organisation").unwrap() < text.find("font").unwrap(), "a fresh file lists keys in the format's order:\n{text}");
    }

    #[test]
    fn settings_with_errors_are_not_saved() {
        let library = tempfile::tempdir().unwrap();
        let settings = LibrarySettings { organisation: Some(" ".into()), ..LibrarySettings::default() };
        let err = save(library.path(), &settings).unwrap_err();
        assert_eq!(err.diagnostics()[0].field.as_deref(), Some("organisation"));
        assert!(!library.path().join(LIBRARY_FILE).exists());
        assert_eq!(check_settings(library.path(), &settings).len(), 1);
    }
}
