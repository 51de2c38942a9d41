//! Which library folder the app opens, and remembering it.

use std::path::{Path, PathBuf};

/// The library folder to open at start: a command-line argument, else
/// `BRIEFPACK_LIBRARY`, else the last one used (if it still exists), else the
/// default place ([`briefpack::library::default_location`]). Always absolute,
/// so the app opens the same library wherever it is started from.
pub fn initial_library(
    args: &[String],
    env: Option<String>,
    last_used: Option<PathBuf>,
    documents: Option<PathBuf>,
    home: Option<PathBuf>,
    current: &Path,
) -> PathBuf {
    let chosen = args
        .iter()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .or_else(|| env.filter(|e| !e.is_empty()).map(PathBuf::from))
        .or(last_used.filter(|p| p.is_absolute() && p.is_dir()));
    match chosen {
        Some(path) => briefpack::library::absolute(&path, current),
        None => briefpack::library::default_location(documents.as_deref(), home.as_deref(), current),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_library_comes_from_args_then_env_then_last_then_documents_and_is_absolute() {
        let docs = Some(PathBuf::from("/home/u/Documents"));
        let home = Some(PathBuf::from("/home/u"));
        let here = Path::new("/opt/started-here");
        assert_eq!(initial_library(&["app".into(), "/lib".into()], Some("/env".into()), None, docs.clone(), home.clone(), here), PathBuf::from("/lib"));
        assert_eq!(initial_library(&["app".into(), "lib".into()], None, None, docs.clone(), home.clone(), here), PathBuf::from("/opt/started-here/lib"));
        assert_eq!(initial_library(&["app".into()], Some("/env".into()), None, docs.clone(), home.clone(), here), PathBuf::from("/env"));
        assert_eq!(initial_library(&["app".into()], None, None, docs, home.clone(), here), PathBuf::from("/home/u/Documents/Briefings"));
        // No documents folder (a bare install): the home folder, never the folder it was started in.
        assert_eq!(initial_library(&["app".into()], None, Some(PathBuf::from("Briefings")), None, home, here), PathBuf::from("/home/u/Briefings"));
    }
}
