//! Distribution lists kept once in a library: `lists/<name>.toml` holds a
//! `[[recipients]]` table per person, exactly as in `pack.toml`, so the same
//! directors are not retyped in every quarter's pack. A pack names one with
//! `distribution = "board"`. Lists are read and validated like pack files:
//! every problem located at its line and field.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::de::DeValue;
use toml::Spanned;

use super::load::{elements, read_text, Located, ReadError};
use super::model::{list_name_problem, Recipient};
use super::validate;
use crate::diagnostic::{Diagnostic, SourceText};
use crate::toml_source::{self, FieldSpans};

/// The folder of distribution lists inside a library.
pub const LISTS_DIR: &str = "lists";

/// A library distribution list that loaded without errors.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionList {
    /// Its name (the file name without `.toml`).
    pub name: String,
    /// The file it came from.
    pub path: PathBuf,
    /// The people on it, in the file's order.
    pub recipients: Vec<Recipient>,
    /// Problems that do not stop a distribution (an odd email address).
    pub warnings: Vec<Diagnostic>,
}

/// What a list file holds besides its recipients: nothing yet, so any other
/// key is an error at its line rather than silently ignored.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListHead {}

/// Why a distribution list could not be used.
#[derive(Debug, thiserror::Error)]
pub enum ListError {
    /// The name cannot name a list file.
    #[error("“{name}” cannot name a distribution list: {reason}")]
    BadName {
        /// The name given.
        name: String,
        /// Why not.
        reason: &'static str,
    },
    /// The library has no such list.
    #[error("there is no distribution list “{name}” in the library (no {}): create it with a [[recipients]] table per person, or correct the name", path.display())]
    Missing {
        /// The name given.
        name: String,
        /// The file looked for.
        path: PathBuf,
    },
    /// The list file has errors.
    #[error("{}", super::summarise(diagnostics))]
    Invalid {
        /// Every problem found, errors and warnings.
        diagnostics: Vec<Diagnostic>,
    },
}

/// The file of the list `name` in `library`.
pub fn list_path(library: &Path, name: &str) -> PathBuf {
    library.join(LISTS_DIR).join(format!("{name}.toml"))
}

/// The names of the distribution lists in `library` (`lists/<name>.toml`), sorted,
/// for a person to choose from. Only files whose name can name a list are listed;
/// a library without a lists folder (or one that cannot be read) has none, and
/// loading a list by name is what reports a problem with it.
pub fn list_names(library: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(library.join(LISTS_DIR)) else { return Vec::new() };
    let mut names: Vec<String> = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().to_str()?.strip_suffix(".toml").map(str::to_string))
        .filter(|name| list_name_problem(name).is_none())
        .collect();
    names.sort_by_key(|name| name.to_lowercase());
    names
}

/// Loads and validates the distribution list `name` of `library`.
pub fn load_list(library: &Path, name: &str) -> Result<DistributionList, ListError> {
    if let Some(reason) = list_name_problem(name) {
        return Err(ListError::BadName { name: name.to_string(), reason });
    }
    let path = list_path(library, name);
    let text = match read_text(&path) {
        Ok(text) => text,
        Err(ReadError::Missing) => return Err(ListError::Missing { name: name.to_string(), path }),
        Err(ReadError::Problem(d)) => return Err(ListError::Invalid { diagnostics: vec![d] }),
    };
    let source = SourceText::new(&path, text);
    let mut diagnostics = Vec::new();
    let recipients = parse_list(&source, &mut diagnostics);
    if let Some((recipients, located)) = &recipients {
        diagnostics.extend(validate::recipient_list(recipients, located));
    }
    crate::diagnostic::sort_by_position(&mut diagnostics);
    match recipients {
        Some((recipients, _)) if !diagnostics.iter().any(Diagnostic::is_error) => {
            Ok(DistributionList { name: name.to_string(), path, recipients, warnings: diagnostics })
        }
        _ => Err(ListError::Invalid { diagnostics }),
    }
}

/// The list's recipients, or `None` when the file has errors (in `diagnostics`).
fn parse_list(source: &SourceText, diagnostics: &mut Vec<Diagnostic>) -> Option<(Vec<Recipient>, Located)> {
    let table = toml_source::parse(source).map_err(|errors| diagnostics.extend(errors)).ok()?;
    let spans = FieldSpans::collect(table.get_ref(), "");
    let located = Located { source: source.clone(), spans };
    let (span, mut table) = (table.span(), table.into_inner());
    let items = match table.remove_entry("recipients").map(|(key, value)| (key, value.into_inner())) {
        Some((_, DeValue::Array(items))) => items.into_iter().collect(),
        Some((key, _)) => {
            diagnostics.push(
                source
                    .diagnostic(crate::diagnostic::Severity::Error, key.span(), Some("recipients".into()), "`recipients` must be a list of [[recipients]] tables")
                    .with_hint("write each person under their own [[recipients]] line"),
            );
            return None;
        }
        None => Vec::new(),
    };
    let head = toml_source::deserialize::<ListHead>(Spanned::new(span, DeValue::Table(table)), "", source, &located.spans)
        .map_err(|d| diagnostics.extend(d))
        .is_ok();
    let recipients = elements::<Recipient>(items, "recipients", &located, diagnostics);
    match recipients {
        Some(recipients) if head => Some((recipients, located)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn library_with(list: &str) -> tempfile::TempDir {
        let library = tempfile::tempdir().unwrap();
        std::fs::create_dir(library.path().join(LISTS_DIR)).unwrap();
        std::fs::write(list_path(library.path(), "board"), list).unwrap();
        library
    }

    #[test]
    fn a_list_loads_in_its_order() {
        let library = library_with("# The board\n[[recipients]]\nname = \"Jane Smith\"\nrole = \"Chair\"\n\n[[recipients]]\nname = \"Ravi Patel\"\n");
        let list = load_list(library.path(), "board").unwrap();
        let names: Vec<&str> = list.recipients.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Jane Smith", "Ravi Patel"]);
        assert_eq!(list.recipients[0].role.as_deref(), Some("Chair"));
    }

    fn problems(list: &str) -> Vec<Diagnostic> {
        let library = library_with(list);
        match load_list(library.path(), "board") {
            Err(ListError::Invalid { diagnostics }) => diagnostics,
            other => panic!("the list should not load: {other:?}"),
        }
    }

    #[test]
    fn unknown_fields_are_located_in_the_list_file() {
        let diagnostics = problems("title = \"Board\"\n\n[[recipients]]\nname = \"Jane Smith\"\n\n[[recipients]]\nname = \"Ravi Patel\"\nrank = 3\n");
        let found: Vec<(usize, Option<&str>)> = diagnostics.iter().map(|d| (d.line, d.field.as_deref())).collect();
        assert_eq!(found, [(1, Some("title")), (8, Some("recipients[2].rank"))], "{diagnostics:#?}");
        assert!(diagnostics.iter().all(|d| d.file.ends_with("lists/board.toml")));
    }

    #[test]
    fn empty_names_and_the_same_person_twice_are_errors() {
        let diagnostics = problems("[[recipients]]\nname = \"Jane Smith\"\n\n[[recipients]]\nname = \" \"\n\n[[recipients]]\nname = \"jane  smith\"\n");
        let found: Vec<(usize, Option<&str>)> = diagnostics.iter().map(|d| (d.line, d.field.as_deref())).collect();
        assert_eq!(found, [(5, Some("recipients[2].name")), (8, Some("recipients[3].name"))], "{diagnostics:#?}");
        assert!(diagnostics[1].message.contains("listed twice (first on line 2)"), "{}", diagnostics[1].message);
    }

    #[test]
    fn two_people_of_one_name_are_told_apart_by_organisation() {
        let library = library_with("[[recipients]]\nname = \"Sam Lee\"\norganisation = \"Audit\"\n\n[[recipients]]\nname = \"Sam Lee\"\nemail = \"sam.lee@example\"\n");
        let list = load_list(library.path(), "board").unwrap();
        assert_eq!(list.recipients.len(), 2);
        assert_eq!(list.warnings.len(), 1, "the odd email address is a warning: {:#?}", list.warnings);
        assert_eq!(list.warnings[0].field.as_deref(), Some("recipients[2].email"));
    }

    #[test]
    fn a_missing_list_or_a_path_is_refused_by_name() {
        let library = tempfile::tempdir().unwrap();
        let err = load_list(library.path(), "board").unwrap_err();
        assert!(err.to_string().contains("no distribution list “board”"), "{err}");
        let err = load_list(library.path(), "../board").unwrap_err();
        assert!(matches!(err, ListError::BadName { .. }), "{err}");
    }
}
