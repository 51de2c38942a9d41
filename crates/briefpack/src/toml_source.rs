//! TOML with positions: parses a file keeping the span of every key and value,
//! deserializes parts of it, and turns TOML and serde errors into
//! [`Diagnostic`]s that name the field and say how to fix it.

use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::de::{DeTable, DeValue, ValueDeserializer};
use toml::Spanned;

use crate::diagnostic::{did_you_mean, Diagnostic, Severity, SourceText};

/// The span of every key and value in a TOML file, by field path
/// (`title`, `statistics[2].as_of`; array positions count from 1, as people count).
#[derive(Debug, Default, Clone)]
pub(crate) struct FieldSpans {
    entries: Vec<FieldSpan>,
}

#[derive(Debug, Clone)]
struct FieldSpan {
    path: String,
    key: Range<usize>,
    value: Range<usize>,
}

impl FieldSpans {
    /// Records every key under `table`, whose own path is `prefix`.
    pub(crate) fn collect(table: &DeTable<'_>, prefix: &str) -> Self {
        let mut spans = FieldSpans::default();
        spans.walk_table(table, prefix);
        spans
    }

    fn walk_table(&mut self, table: &DeTable<'_>, prefix: &str) {
        for (key, value) in table {
            let path = join(prefix, key.get_ref());
            self.entries.push(FieldSpan { path: path.clone(), key: key.span(), value: value.span() });
            self.walk_value(value.get_ref(), &path);
        }
    }

    fn walk_value(&mut self, value: &DeValue<'_>, path: &str) {
        match value {
            DeValue::Table(table) => self.walk_table(table, path),
            DeValue::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    let item_path = format!("{path}[{}]", i + 1);
                    self.entries.push(FieldSpan { path: item_path.clone(), key: item.span(), value: item.span() });
                    self.walk_value(item.get_ref(), &item_path);
                }
            }
            _ => {}
        }
    }

    /// Where the value of `path` is, if the file has it.
    pub(crate) fn value(&self, path: &str) -> Option<Range<usize>> {
        self.entries.iter().find(|e| e.path == path).map(|e| e.value.clone())
    }

    /// Where the key of `path` is (for an array element: the element).
    pub(crate) fn key(&self, path: &str) -> Option<Range<usize>> {
        self.entries.iter().find(|e| e.path == path).map(|e| e.key.clone())
    }

    /// The deepest field whose key or value contains `offset`.
    pub(crate) fn field_at(&self, offset: usize) -> Option<&str> {
        let contains = |r: &Range<usize>| r.start <= offset && (offset < r.end || r.is_empty() && offset == r.start);
        self.entries
            .iter()
            .filter(|e| contains(&e.key) || contains(&e.value))
            .max_by_key(|e| e.path.len())
            .map(|e| e.path.as_str())
    }
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// The last segment of a field path, which is what a person calls the field.
pub(crate) fn field_name(path: &str) -> &str {
    path.rsplit('.').next().unwrap_or(path)
}

/// Parses `src` as TOML, reporting every syntax error it can find.
pub(crate) fn parse<'a>(src: &'a SourceText) -> Result<Spanned<DeTable<'a>>, Vec<Diagnostic>> {
    let (table, errors) = DeTable::parse_recoverable(src.text());
    if errors.is_empty() {
        return Ok(table);
    }
    Err(errors.iter().map(|e| syntax_diagnostic(src, e)).collect())
}

fn syntax_diagnostic(src: &SourceText, error: &toml::de::Error) -> Diagnostic {
    let span = error.span().unwrap_or(0..0);
    let key = key_on_line(src.text(), span.start);
    let raw = error.message().trim();
    let mut message = match &key {
        Some(key) if raw.contains("date") || raw.contains("time") || raw.contains("offset") => {
            format!("`{key}` must be {}: {raw}", crate::pack::date::EXPECTED)
        }
        Some(key) => format!("`{key}` is not valid TOML: {raw}"),
        None => format!("not valid TOML: {raw}"),
    };
    if let Some(cut) = message.find('\n') {
        message.truncate(cut);
    }
    let mut diagnostic = src.diagnostic(Severity::Error, span, key, message);
    if raw.contains("string values must be quoted") {
        diagnostic = diagnostic.with_hint("put text in double quotes, like title = \"Quarterly threat update\"");
    } else if raw.contains("date") {
        diagnostic = diagnostic.with_hint("write dates as YYYY-MM-DD");
    }
    diagnostic
}

/// The key a syntax error at `offset` belongs to: the nearest `key =` before it
/// on its line (`date` in `{ date = 2025-02-30 }`), else the line's first word
/// (`prepared_by` in `prepared_by "x"`, `statistics` in `[[statistics`).
fn key_on_line(text: &str, offset: usize) -> Option<String> {
    let offset = offset.min(text.len());
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let before = &text[start..offset.max(start)];
    let is_key_char = |c: char| c.is_alphanumeric() || "_-".contains(c);
    let key = match before.rfind('=') {
        Some(eq) => before[..eq].trim_end().trim_end_matches(['"', '\'']).rsplit(|c: char| !is_key_char(c) && c != '.').next(),
        None => text[start..end].trim_start().trim_start_matches('[').split(|c: char| !is_key_char(c) && c != '.').next(),
    }?;
    let key = key.trim_matches('.');
    (!key.is_empty()).then(|| key.to_string())
}

/// Deserializes one part of a parsed file (the top table or one array element)
/// whose field path is `path`, translating errors for people.
///
/// serde stops at the first error, so after each one the offending field is
/// removed and the part tried again: a person fixing the file sees every
/// problem at once rather than one per run.
pub(crate) fn deserialize<T: DeserializeOwned>(
    value: Spanned<DeValue<'_>>,
    path: &str,
    src: &SourceText,
    spans: &FieldSpans,
) -> Result<T, Vec<Diagnostic>> {
    const MAX_ERRORS_PER_TABLE: usize = 20;
    let whole = value.span();
    let mut value = value;
    let mut removed: Vec<String> = Vec::new();
    let mut diagnostics: Vec<Diagnostic> = Vec::new();
    loop {
        let error = match T::deserialize(ValueDeserializer::from(value.clone())) {
            Ok(parsed) if diagnostics.is_empty() => return Ok(parsed),
            Ok(_) => return Err(diagnostics),
            Err(e) => e,
        };
        let span = error.span().filter(|s| !(s.start == 0 && s.end == 0 && whole.start > 0)).unwrap_or(whole.clone());
        let missing_removed = error
            .message()
            .strip_prefix("missing field `")
            .is_some_and(|rest| removed.iter().any(|r| r == rest.trim_end_matches('`')));
        let missing_suggested = error.message().strip_prefix("missing field `").is_some_and(|rest| {
            let wanted = format!("did you mean `{}", rest.trim_end_matches('`'));
            diagnostics.iter().any(|d| d.hint.as_deref().is_some_and(|h| h.starts_with(&wanted)))
        });
        if missing_removed || missing_suggested {
            return Err(diagnostics);
        }
        let diagnostic = explain(error.message(), span, path, src, spans);
        let offending = diagnostic
            .field
            .as_deref()
            .and_then(|f| f.strip_prefix(path))
            .map(|f| f.trim_start_matches('.'))
            .and_then(|f| f.split(['.', '[']).next())
            .filter(|f| !f.is_empty())
            .map(str::to_string);
        diagnostics.push(diagnostic);
        let Some(key) = offending else { return Err(diagnostics) };
        let DeValue::Table(table) = value.get_mut() else { return Err(diagnostics) };
        if table.remove(key.as_str()).is_none() || diagnostics.len() >= MAX_ERRORS_PER_TABLE {
            return Err(diagnostics);
        }
        removed.push(key);
    }
}

/// Turns a serde message into a sentence naming the field, with a fix where one is known.
fn explain(raw: &str, span: Range<usize>, part: &str, src: &SourceText, spans: &FieldSpans) -> Diagnostic {
    let located = spans.field_at(span.start).filter(|f| f.starts_with(part)).map(str::to_string);
    let field = located.clone().unwrap_or_else(|| part.to_string());
    let name = field_name(&field).to_string();
    let part_label = if part.is_empty() { String::new() } else { format!(" in {}", describe_part(part)) };

    if let Some(rest) = raw.strip_prefix("unknown field `") {
        let (unknown, expected) = split_backticked(rest);
        let mut d = src.diagnostic(Severity::Error, span, Some(field), format!("unknown field `{unknown}`{part_label}"));
        d.hint = Some(match did_you_mean(unknown, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean `{s}`?"),
            None if expected.is_empty() => "remove it".to_string(),
            None => format!("the fields allowed here are {}", expected.join(", ")),
        });
        return d;
    }
    if let Some(rest) = raw.strip_prefix("unknown variant `") {
        let (unknown, expected) = split_backticked(rest);
        let mut d = src.diagnostic(
            Severity::Error,
            span,
            Some(field),
            format!("`{name}` cannot be \"{unknown}\"{part_label}"),
        );
        d.hint = Some(match did_you_mean(unknown, expected.iter().map(String::as_str)) {
            Some(s) => format!("did you mean \"{s}\"?"),
            None => format!("use one of {}", quote_list(&expected)),
        });
        return d;
    }
    if let Some(rest) = raw.strip_prefix("missing field `") {
        let missing = rest.trim_end_matches('`');
        let field = join(part, missing);
        return src
            .diagnostic(Severity::Error, span, Some(field), format!("missing required field `{missing}`{part_label}"))
            .with_hint(format!("add a line `{missing} = …`"));
    }
    if let Some(rest) = raw.strip_prefix("invalid type: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "another type"));
        return src.diagnostic(
            Severity::Error,
            span,
            Some(field),
            format!("`{name}` must be {}, not {}{part_label}", plain_type(expected), plain_found(found)),
        );
    }
    if let Some(rest) = raw.strip_prefix("invalid value: ") {
        let (found, expected) = rest.split_once(", expected ").unwrap_or((rest, "another value"));
        // A whole number out of its type's range: say what the range is. (A negative
        // number where only 0 or more will do reads better as such, below.)
        let number = found.strip_prefix("integer ").map(|n| n.trim_matches('`'));
        let out_of_range = number.zip(integer_range(expected)).filter(|(n, (smallest, _))| !(*smallest == 0 && n.starts_with('-')));
        if let Some((number, (smallest, largest))) = out_of_range {
            return src
                .diagnostic(Severity::Error, span, Some(field), format!("`{name}` must be a whole number from {smallest} to {largest}, not {number}{part_label}"))
                .with_hint(format!("the largest value allowed is {largest}"));
        }
        return src.diagnostic(
            Severity::Error,
            span,
            Some(field),
            format!("`{name}` must be {}, not {}{part_label}", plain_type(expected), plain_found(found)),
        );
    }
    // Our own types word their errors as "what is wrong; how to fix it".
    let (what, hint) = match raw.split_once("; ") {
        Some((what, hint)) => (what, Some(hint)),
        None => (raw, None),
    };
    let message = if what.starts_with("must be") {
        format!("`{name}` {what}{part_label}")
    } else {
        format!("`{name}`: {what}{part_label}")
    };
    let diagnostic = src.diagnostic(Severity::Error, span, Some(field), message);
    match hint {
        Some(hint) => diagnostic.with_hint(hint),
        None => diagnostic,
    }
}

/// "statistics[2]" → "the 2nd [[statistics]] table"; top-level parts are named as they are.
pub(crate) fn describe_part(part: &str) -> String {
    match part.split_once('[') {
        Some((array, rest)) => {
            let n: usize = rest.trim_end_matches(']').parse().unwrap_or(0);
            format!("the {} [[{array}]] table", ordinal(n))
        }
        None => format!("`{part}`"),
    }
}

/// 1 → "1st", 2 → "2nd", 11 → "11th".
pub(crate) fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// Splits "x`, expected one of `a`, `b`" into ("x", ["a", "b"]).
fn split_backticked(rest: &str) -> (&str, Vec<String>) {
    let (head, tail) = rest.split_once('`').unwrap_or((rest, ""));
    let expected = tail.split('`').skip(1).step_by(2).map(str::to_string).collect();
    (head, expected)
}

fn quote_list(items: &[String]) -> String {
    items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", ")
}

fn plain_type(expected: &str) -> String {
    match expected {
        "f64" | "f32" | "a number" => "a number".into(),
        "u8" | "u16" | "u32" | "u64" | "usize" => "a whole number of 0 or more".into(),
        "i8" | "i16" | "i32" | "i64" | "isize" => "a whole number".into(),
        "a string" | "a borrowed string" => "text in double quotes".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list in square brackets".into(),
        e if e.starts_with("struct ") || e == "a map" => "a table".into(),
        e if e.starts_with("a date like") => e.into(),
        e if e.starts_with("enum ") || e.starts_with("variant ") => "one of the allowed words in double quotes".into(),
        other => other.into(),
    }
}

/// The smallest and largest value of a Rust integer type named as serde names it.
fn integer_range(expected: &str) -> Option<(i128, u128)> {
    Some(match expected {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" | "usize" => (0, u64::MAX.into()),
        "i8" => (i8::MIN.into(), i8::MAX as u128),
        "i16" => (i16::MIN.into(), i16::MAX as u128),
        "i32" => (i32::MIN.into(), i32::MAX as u128),
        "i64" | "isize" => (i64::MIN.into(), i64::MAX as u128),
        _ => return None,
    })
}

fn plain_found(found: &str) -> String {
    if let Some(s) = found.strip_prefix("string ") {
        return format!("the text {s}");
    }
    for (prefix, word) in [("integer ", "the number "), ("floating point ", "the number "), ("boolean ", "")] {
        if let Some(v) = found.strip_prefix(prefix) {
            return format!("{word}{}", v.trim_matches('`'));
        }
    }
    match found {
        "sequence" => "a list".into(),
        "map" => "a table".into(),
        other => other.into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_innermost_field_at_an_offset() {
        let src = SourceText::new("p.toml", "title = \"x\"\n[[statistics]]\nid = \"a\"\nas_of = \"bad\"\n");
        let table = parse(&src).unwrap();
        let spans = FieldSpans::collect(table.get_ref(), "");
        let at = src.text().find("\"bad\"").unwrap();
        assert_eq!(spans.field_at(at), Some("statistics[1].as_of"));
        assert_eq!(spans.value("title"), Some(8..11));
    }

    #[test]
    fn syntax_errors_find_their_key() {
        let text = "a = 1\nseries = [{ date = 2025-02-30, value = 1 }]\nprepared_by \"x\"\n[[statistics\n";
        let at = |needle: &str| key_on_line(text, text.find(needle).unwrap());
        assert_eq!(at("2025-02-30").as_deref(), Some("date"));
        assert_eq!(at("\"x\"").as_deref(), Some("prepared_by"));
        assert_eq!(at("tistics").as_deref(), Some("statistics"));
    }

    #[test]
    fn an_integer_too_large_for_its_field_names_the_largest_allowed() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Settings {
            staleness_months: u32,
        }
        let src = SourceText::new("pack.toml", "staleness_months = 99999999999\n");
        let table = parse(&src).unwrap();
        let spans = FieldSpans::collect(table.get_ref(), "");
        let (span, table) = (table.span(), table.into_inner());
        let errors = deserialize::<Settings>(Spanned::new(span, DeValue::Table(table)), "", &src, &spans).unwrap_err();
        let shown = errors[0].to_string();
        assert_eq!(
            shown,
            "pack.toml:1:20: error: `staleness_months` must be a whole number from 0 to 4294967295, not 99999999999 (the largest value allowed is 4294967295)"
        );
    }

    #[test]
    fn ordinals_read_naturally() {
        assert_eq!(ordinal(1), "1st");
        assert_eq!(ordinal(2), "2nd");
        assert_eq!(ordinal(13), "13th");
        assert_eq!(ordinal(23), "23rd");
    }
}
