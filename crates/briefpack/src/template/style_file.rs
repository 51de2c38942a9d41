//! `style.toml`: a template's look ([`Style`]) and, under `[template]`, its
//! description, editions, starting sections, whether its cover shows the
//! reading time, and its settings for the editorial checks
//! (`[template.editorial]`). Validated like pack files: unknown keys, wrong
//! types and numbers layout cannot use (`body_size = 0`, `nan`, margins wider
//! than the page) are errors at their line and column, with the allowed range.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::de::DeValue;
use toml::Spanned;

use crate::diagnostic::{Diagnostic, Severity, SourceText};
use crate::layout::style::StyleProblem;
use crate::layout::Style;
use crate::pack::{Editorial, SectionKind};
use crate::toml_source::{self, FieldSpans};

/// What a template says about itself.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TemplateInfo {
    /// One line on what the template is for.
    pub description: String,
    /// Its editions; the first is the default.
    pub editions: Vec<String>,
    /// How editions are named on the cover and in the running header
    /// (`facilitator = "Facilitator edition"`); an edition without a label is
    /// the plain one and is not named.
    pub edition_labels: BTreeMap<String, String>,
    /// The sections a new pack for this template starts with, in order.
    pub sections: Vec<SectionKind>,
    /// Whether the cover shows the estimated reading time.
    pub reading_time: bool,
    /// The template's settings for the editorial checks (`[template.editorial]`);
    /// a pack's own `[editorial]` settings win.
    pub editorial: Editorial,
}

impl TemplateInfo {
    /// The label `edition` is shown with, if it is named at all.
    pub fn edition_label(&self, edition: &str) -> Option<String> {
        self.edition_labels.get(edition).cloned()
    }
}

/// Parses `style.toml`; every problem is reported, located.
pub(super) fn parse(source: &SourceText) -> Result<(TemplateInfo, Style), Vec<Diagnostic>> {
    let table = toml_source::parse(source)?;
    let spans = FieldSpans::collect(table.get_ref(), "");
    let (span, mut table) = (table.span(), table.into_inner());
    let mut errors = Vec::new();
    let info = match table.remove_entry("template") {
        Some((_, value)) => toml_source::deserialize::<TemplateInfo>(value, "template", source, &spans)
            .map_err(|d| errors.extend(d))
            .unwrap_or_default(),
        None => TemplateInfo::default(),
    };
    let style = toml_source::deserialize::<Style>(Spanned::new(span, DeValue::Table(table)), "", source, &spans)
        .map_err(|d| errors.extend(d))
        .unwrap_or_default();
    if errors.is_empty() {
        errors.extend(style.problems().into_iter().map(|problem| locate(problem, source, &spans)));
    }
    if errors.is_empty() {
        Ok((info, style))
    } else {
        Err(errors)
    }
}

/// A value layout cannot use, at the value in the file (or, for a value the
/// file does not set, at the table or the start of the file).
fn locate(problem: StyleProblem, source: &SourceText, spans: &FieldSpans) -> Diagnostic {
    let table = problem.field.split_once('.').map(|(table, _)| table);
    let span = spans
        .value(&problem.field)
        .or_else(|| problem.field.strip_suffix(']').and_then(|f| f.split_once('[')).and_then(|(array, _)| spans.value(array)))
        .or_else(|| table.and_then(|t| spans.key(t)))
        .unwrap_or(0..0);
    source.diagnostic(Severity::Error, span, Some(problem.field), problem.message).with_hint(problem.hint)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::style::PageSize;

    #[test]
    fn an_empty_file_gives_the_defaults() {
        let (info, style) = parse(&SourceText::new("style.toml", "")).unwrap();
        assert_eq!(style, Style::default());
        assert!(info.editions.is_empty());
    }

    #[test]
    fn keys_override_defaults_and_editions_are_read() {
        let text = "page_size = \"Letter\"\nbody_size = 11.0\n[template]\neditions = [\"participant\", \"facilitator\"]\n[margins]\nleft = 30.0\n";
        let (info, style) = parse(&SourceText::new("style.toml", text)).unwrap();
        assert_eq!(style.page_size, PageSize::Letter);
        assert_eq!(style.margins.left, 30.0);
        assert_eq!(style.margins.right, Style::default().margins.right);
        assert_eq!(info.editions, vec!["participant", "facilitator"]);
    }

    #[test]
    fn unknown_keys_and_bad_colours_are_located() {
        let text = "body_size = 11.0\nbody_sise = 3\n[colours]\ntext = \"red\"\n";
        let errors = parse(&SourceText::new("style.toml", text)).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(shown.iter().any(|e| e.starts_with("style.toml:2:1: error: unknown field `body_sise`") && e.contains("did you mean `body_size`")), "{shown:#?}");
        assert!(shown.iter().any(|e| e.starts_with("style.toml:4:8: error:") && e.contains("#1F3A5F")), "{shown:#?}");
    }

    #[test]
    fn unusable_numbers_are_errors_at_their_value() {
        let text = "body_size = 0\nline_height = nan\nheading_sizes = [inf, 15.0, 12.5, 11.0, 10.5, 10.5]\n[margins]\nleft = 120.0\nright = 100.0\n";
        let errors = parse(&SourceText::new("style.toml", text)).unwrap_err();
        let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert!(shown.iter().any(|e| e.starts_with("style.toml:1:13: error: `body_size` must be a number from 4 to 72 pt, not 0 (the default is 10.5)")), "{shown:#?}");
        assert!(shown.iter().any(|e| e.starts_with("style.toml:2:15: error: `line_height` must be a number from 0.8 to 4") && e.contains("not NaN")), "{shown:#?}");
        assert!(shown.iter().any(|e| e.starts_with("style.toml:3:") && e.contains("`heading_sizes[1]`") && e.contains("not inf")), "{shown:#?}");
        let margins = errors.iter().find(|d| d.field.as_deref() == Some("margins.left")).expect("a margins error");
        assert_eq!((margins.line, margins.column), (5, 8));
        assert!(margins.message.contains("text area of -10 × 245 mm"), "{}", margins.message);
        assert_eq!(margins.hint.as_deref(), Some("make the margins smaller"));
    }
}
