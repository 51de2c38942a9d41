//! The library: a folder of packs, and what people do to packs as a whole.
//!
//! Listing, creating (with the chosen template's starting sections),
//! duplicating, saving a copy, and a trash that can be seen and emptied: a
//! deleted pack moves to the library's `.trash` folder and can be restored
//! until the trash is emptied. Pack names are folder names inside the
//! library, never paths, so nothing here can reach outside it. The CLI and
//! the desktop app both call these functions.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::NaiveDate;

use crate::atomic::sync_dir;
use crate::pack::store::{self, PackSummary};
use crate::pack::{self, Pack, StoreError, ARTICLES_DIR, PACK_FILE};
use crate::template;

/// The folder inside a library that holds deleted packs.
pub const TRASH_DIR: &str = ".trash";
/// The name of a library folder people did not choose themselves.
pub const DEFAULT_LIBRARY_NAME: &str = "Briefings";

/// Where a library lives when nobody said: `Briefings` in the documents
/// folder, else in the home folder, else beside the program — always an
/// absolute path, so the same library opens wherever the app is started from.
pub fn default_location(documents: Option<&Path>, home: Option<&Path>, current: &Path) -> PathBuf {
    let base = documents.filter(|d| d.is_absolute()).or(home.filter(|h| h.is_absolute())).unwrap_or(current);
    absolute(&base.join(DEFAULT_LIBRARY_NAME), current)
}

/// `path` made absolute against `current` (without touching the disk).
pub fn absolute(path: &Path, current: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        current.join(path)
    }
}

/// The pack folder `name` inside `library`, refusing names that would leave it.
pub fn pack_dir(library: &Path, name: &str) -> Result<PathBuf, StoreError> {
    let plain = !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\', '\0']) && name != "..";
    let outside = || StoreError::OutsideLibrary { name: name.to_string() };
    if !plain {
        return Err(outside());
    }
    let dir = library.join(name);
    let real_library = library.canonicalize().map_err(|source| StoreError::Io { path: library.to_path_buf(), source })?;
    if let Ok(real) = dir.canonicalize() {
        if real.parent() != Some(real_library.as_path()) {
            return Err(outside());
        }
    }
    Ok(dir)
}

/// A folder name for a new pack titled `title`: lower-case words joined by
/// hyphens, unique in `library` ("Q4: State threats" → `q4-state-threats`).
pub fn folder_name_for(library: &Path, title: &str) -> String {
    let slug = slug(title, 60);
    let base = if slug.is_empty() { "pack".to_string() } else { slug };
    let mut name = base.clone();
    let mut n = 2;
    while library.join(&name).exists() {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// `text` as a file-name part: lower-case letters and digits, every other run of
/// characters one hyphen, at most `max_chars` ("Q4: State threats" → `q4-state-threats`).
pub(crate) fn slug(text: &str, max_chars: usize) -> String {
    let mut slug = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(max_chars).collect::<String>().trim_end_matches('-').to_string()
}

/// Lists the packs (folders holding a `pack.toml`) directly inside `library`,
/// newest pack date first. Packs with errors are listed with their problem.
pub fn list_packs(library: &Path) -> Result<Vec<PackSummary>, StoreError> {
    let entries = fs::read_dir(library).map_err(|source| StoreError::Io { path: library.to_path_buf(), source })?;
    let mut packs = Vec::new();
    for entry in entries.filter_map(Result::ok) {
        let dir = entry.path();
        if dir.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')) || !dir.join(PACK_FILE).is_file() {
            continue;
        }
        let folder_name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let modified = newest_modification(&dir);
        packs.push(match pack::load(&dir) {
            Ok(loaded) => PackSummary {
                title: loaded.pack.meta.title,
                date: Some(loaded.pack.meta.date),
                marking: Some(loaded.pack.meta.marking),
                modified,
                problem: None,
                dir,
            },
            Err(e) => PackSummary { title: folder_name, date: None, marking: None, modified, problem: Some(e.to_string()), dir },
        });
    }
    packs.sort_by(|a, b| b.date.cmp(&a.date).then_with(|| a.title.cmp(&b.title)));
    Ok(packs)
}

fn newest_modification(dir: &Path) -> Option<u64> {
    let mut files = vec![dir.join(PACK_FILE)];
    if let Ok(entries) = fs::read_dir(dir.join(ARTICLES_DIR)) {
        files.extend(entries.filter_map(Result::ok).map(|e| e.path()));
    }
    files
        .iter()
        .filter_map(|f| fs::metadata(f).and_then(|m| m.modified()).ok())
        .max()
        .and_then(|t: SystemTime| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_millis() as u64)
}

/// A new pack for `template_name` (else the library's default template, else
/// [`pack::DEFAULT_TEMPLATE`]), starting with the sections that template lists,
/// marked with the library's default marking (else TLP:AMBER). The library's
/// defaults are in its `library.toml` ([`crate::house`]).
pub fn new_pack(title: &str, date: NaiveDate, template_name: Option<&str>, pack_dir: &Path) -> Result<Pack, template::TemplateError> {
    let (default_marking, default_template) = crate::house::new_pack_defaults(&crate::house::library_of(pack_dir));
    let name = template_name.or(default_template.as_deref()).unwrap_or(pack::DEFAULT_TEMPLATE);
    let template = template::find(name, &crate::render::template_search_path(pack_dir))?;
    let mut pack = store::new_pack(title, date, &template.info.sections);
    pack.meta.template = template.name;
    if let Some(marking) = default_marking {
        pack.meta.marking = marking;
    }
    Ok(pack)
}

/// Creates a pack titled `title` in a new folder of `library` (see [`new_pack`]
/// for its template and marking); returns the folder's name.
pub fn create_pack(library: &Path, title: &str, date: NaiveDate, template_name: Option<&str>) -> Result<String, StoreError> {
    let title = title.trim();
    if title.is_empty() {
        return Err(StoreError::Refused { message: "give the pack a title".into() });
    }
    fs::create_dir_all(library).map_err(|source| StoreError::Io { path: library.to_path_buf(), source })?;
    let name = folder_name_for(library, title);
    let dir = library.join(&name);
    let pack = new_pack(title, date, template_name, &dir).map_err(|e| StoreError::Refused { message: e.to_string() })?;
    store::create_pack(&dir, &pack)?;
    Ok(name)
}

/// Copies pack `name` byte for byte to a new folder, titled "… (copy)"; returns the copy's name.
pub fn duplicate_pack(library: &Path, name: &str) -> Result<String, StoreError> {
    let source = pack_dir(library, name)?;
    let copy = folder_name_for(library, &format!("{name} copy"));
    store::copy_pack(&source, &library.join(&copy))?;
    let mut loaded = pack::load(&library.join(&copy))?.pack;
    loaded.meta.title = format!("{} (copy)", loaded.meta.title);
    store::save_pack(&library.join(&copy), &loaded)?;
    Ok(copy)
}

/// Saves `pack` (the version being edited of pack `name`) as a new pack beside
/// it, leaving `name` as it is on disk; returns the new folder's name.
pub fn save_as_copy(library: &Path, name: &str, pack: &Pack) -> Result<String, StoreError> {
    let source = pack_dir(library, name)?;
    let copy = folder_name_for(library, &format!("{name} my copy"));
    let dir = library.join(&copy);
    // Start from the files on disk, so anything the editor does not know (images, notes) comes along.
    store::copy_pack(&source, &dir)?;
    let mut mine = pack.clone();
    mine.meta.title = format!("{} (my copy)", pack.meta.title);
    if let Err(e) = store::save_pack(&dir, &mine) {
        let _ = fs::remove_dir_all(&dir);
        return Err(e);
    }
    Ok(copy)
}

/// Moves pack `name` into the library's trash; returns its name there.
pub fn trash_pack(library: &Path, name: &str) -> Result<String, StoreError> {
    let dir = pack_dir(library, name)?;
    if !dir.join(PACK_FILE).is_file() {
        return Err(StoreError::NoSuchPack { name: name.to_string() });
    }
    let trash = library.join(TRASH_DIR);
    fs::create_dir_all(&trash).map_err(|source| StoreError::Io { path: trash.clone(), source })?;
    let target = folder_name_for(&trash, name);
    let _lock = store::lock_pack(&dir)?;
    rename(&dir, &trash.join(&target))?;
    Ok(target)
}

/// The packs in the library's trash, most recently changed first.
pub fn list_trash(library: &Path) -> Result<Vec<PackSummary>, StoreError> {
    let trash = library.join(TRASH_DIR);
    if !trash.is_dir() {
        return Ok(Vec::new());
    }
    let mut packs = list_packs(&trash)?;
    packs.sort_by(|a, b| b.modified.cmp(&a.modified).then_with(|| a.title.cmp(&b.title)));
    Ok(packs)
}

/// Moves pack `trashed` out of the trash back into the library; returns its name there.
pub fn restore_pack(library: &Path, trashed: &str) -> Result<String, StoreError> {
    let trash = library.join(TRASH_DIR);
    let from = pack_dir(&trash, trashed)?;
    if !from.join(PACK_FILE).is_file() {
        return Err(StoreError::NoSuchPack { name: trashed.to_string() });
    }
    let name = folder_name_for(library, trashed);
    rename(&from, &library.join(&name))?;
    Ok(name)
}

/// Deletes everything in the library's trash for good; returns how many packs went.
pub fn empty_trash(library: &Path) -> Result<usize, StoreError> {
    let trash = library.join(TRASH_DIR);
    let Ok(entries) = fs::read_dir(&trash) else { return Ok(0) };
    let mut removed = 0;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let kind = entry.file_type().map_err(|source| StoreError::Io { path: path.clone(), source })?;
        if kind.is_dir() {
            fs::remove_dir_all(&path).map_err(|source| StoreError::Io { path: path.clone(), source })?;
            removed += 1;
        } else {
            fs::remove_file(&path).map_err(|source| StoreError::Io { path: path.clone(), source })?;
        }
    }
    sync_dir(&trash).map_err(|source| StoreError::Io { path: trash, source })?;
    Ok(removed)
}

fn rename(from: &Path, to: &Path) -> Result<(), StoreError> {
    fs::rename(from, to).map_err(|source| StoreError::Io { path: from.to_path_buf(), source })?;
    for folder in [from.parent(), to.parent()].into_iter().flatten() {
        sync_dir(folder).map_err(|source| StoreError::Io { path: folder.to_path_buf(), source })?;
    }
    Ok(())
}

/// The example pack that ships with Briefpack (the MI5 annual threat update), as files.
const EXAMPLE: [(&str, &str); 2] = [
    ("pack.toml", include_str!("../../../briefings/mi5-threat-update-2025/pack.toml")),
    ("articles/mi5-annual-threat-update.md", include_str!("../../../briefings/mi5-threat-update-2025/articles/mi5-annual-threat-update.md")),
];

/// Adds the example pack to `library` (for a first run); returns its folder name.
pub fn add_example(library: &Path) -> Result<String, StoreError> {
    fs::create_dir_all(library).map_err(|source| StoreError::Io { path: library.to_path_buf(), source })?;
    let name = folder_name_for(library, "mi5-threat-update-2025");
    let dir = library.join(&name);
    for (file, text) in EXAMPLE {
        let path = dir.join(file);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|source| StoreError::Io { path: parent.to_path_buf(), source })?;
        }
        crate::atomic::write_atomic(&path, text.as_bytes()).map_err(|source| StoreError::Io { path, source })?;
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_library_is_always_absolute() {
        let here = Path::new("/work/somewhere");
        assert_eq!(default_location(Some(Path::new("/home/u/Documents")), Some(Path::new("/home/u")), here), PathBuf::from("/home/u/Documents/Briefings"));
        assert_eq!(default_location(None, Some(Path::new("/home/u")), here), PathBuf::from("/home/u/Briefings"));
        assert_eq!(default_location(Some(Path::new("Documents")), None, here), PathBuf::from("/work/somewhere/Briefings"));
    }

    #[test]
    fn pack_names_cannot_escape() {
        let lib = tempfile::tempdir().unwrap();
        for bad in ["..", "../x", "a/b", ".hidden", "", ".trash"] {
            assert!(pack_dir(lib.path(), bad).is_err(), "{bad}");
        }
        assert!(pack_dir(lib.path(), "q4-brief").is_ok());
    }

    #[test]
    fn folders_are_slugs_and_unique() {
        let lib = tempfile::tempdir().unwrap();
        assert_eq!(folder_name_for(lib.path(), "Q4: State threats & you"), "q4-state-threats-you");
        fs::create_dir(lib.path().join("q4-state-threats-you")).unwrap();
        assert_eq!(folder_name_for(lib.path(), "Q4: State threats & you"), "q4-state-threats-you-2");
    }
}
