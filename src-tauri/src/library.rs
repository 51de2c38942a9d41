//! Which library folder is open, and keeping every file access inside it.

use std::path::{Path, PathBuf};

use crate::error::ApiError;

/// The library folder to open at start: a command-line argument, else
/// `BRIEFPACK_LIBRARY`, else the last one used, else "Briefings" in the
/// user's documents.
pub fn initial_library(args: &[String], env: Option<String>, last_used: Option<PathBuf>, documents: Option<PathBuf>) -> PathBuf {
    args.iter()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .or_else(|| env.filter(|e| !e.is_empty()).map(PathBuf::from))
        .or(last_used.filter(|p| p.is_dir()))
        .unwrap_or_else(|| documents.unwrap_or_else(|| PathBuf::from(".")).join("Briefings"))
}

/// The pack folder `name` inside `library`, refusing anything that would leave it.
pub fn pack_dir(library: &Path, name: &str) -> Result<PathBuf, ApiError> {
    let plain = !name.is_empty() && !name.starts_with('.') && !name.contains(['/', '\\']) && name != "..";
    if !plain {
        return Err(ApiError::new("outside_library", format!("\"{name}\" is not a pack folder in the library")));
    }
    let dir = library.join(name);
    let real_library = library.canonicalize().map_err(|e| ApiError::new("io", format!("cannot open the library {}: {e}", library.display())))?;
    if let Ok(real) = dir.canonicalize() {
        if real.parent() != Some(real_library.as_path()) {
            return Err(ApiError::new("outside_library", format!("{} leads outside the library", dir.display())));
        }
    }
    Ok(dir)
}

/// A folder name for a new pack titled `title`: lower-case words joined by hyphens, unique in `library`.
pub fn folder_for(library: &Path, title: &str) -> String {
    let mut slug = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            slug.push(c);
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-').chars().take(60).collect::<String>();
    let base = if slug.is_empty() { "pack".to_string() } else { slug };
    let mut name = base.clone();
    let mut n = 2;
    while library.join(&name).exists() {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_comes_from_args_then_env_then_last_then_documents() {
        let docs = Some(PathBuf::from("/home/u/Documents"));
        assert_eq!(initial_library(&["app".into(), "/lib".into()], Some("/env".into()), None, docs.clone()), PathBuf::from("/lib"));
        assert_eq!(initial_library(&["app".into()], Some("/env".into()), None, docs.clone()), PathBuf::from("/env"));
        assert_eq!(initial_library(&["app".into()], None, None, docs), PathBuf::from("/home/u/Documents/Briefings"));
    }

    #[test]
    fn pack_names_cannot_escape() {
        let lib = tempfile::tempdir().unwrap();
        for bad in ["..", "../x", "a/b", ".hidden", ""] {
            assert!(pack_dir(lib.path(), bad).is_err(), "{bad}");
        }
        assert!(pack_dir(lib.path(), "q4-brief").is_ok());
    }

    #[test]
    fn folders_are_slugs_and_unique() {
        let lib = tempfile::tempdir().unwrap();
        assert_eq!(folder_for(lib.path(), "Q4: State threats & you"), "q4-state-threats-you");
        std::fs::create_dir(lib.path().join("q4-state-threats-you")).unwrap();
        assert_eq!(folder_for(lib.path(), "Q4: State threats & you"), "q4-state-threats-you-2");
    }
}
