//! Problems found in a user's files, located precisely enough to act on.
//!
//! Every stage that reads a file reports through [`Diagnostic`]: the file, the
//! 1-based line and column, the field concerned, what was wrong and, where it
//! helps, how to fix it. The CLI prints them as `path:line:col: error: message`;
//! the desktop app shows them beside the preview and jumps to the field.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// How serious a problem is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The output would be wrong or misleading; the file must be fixed.
    Warning,
    /// The file cannot be used as it stands.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem in one file, with its position and an optional fix.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file the problem is in.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub file: PathBuf,
    /// 1-based line; 0 when the problem concerns the file as a whole.
    pub line: usize,
    /// 1-based column in characters; 0 when the line is unknown.
    pub column: usize,
    /// The field concerned, as a path such as `statistics[2].as_of`.
    pub field: Option<String>,
    /// What is wrong, as one sentence.
    pub message: String,
    /// How to fix it, when there is something useful to say.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error about a whole file (for example one that cannot be read).
    pub fn file_error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            field: None,
            message: message.into(),
            hint: None,
        }
    }

    /// Whether this diagnostic stops a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// The same diagnostic with a fix suggested.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// One diagnostic is one line: control characters and line separators in the
/// file name, message or hint (a file named with a newline) are shown escaped.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", one_line(&self.file.display().to_string()))?;
        if self.line > 0 {
            write!(f, ":{}:{}", self.line, self.column)?;
        }
        write!(f, ": {}: {}", self.severity, one_line(&self.message))?;
        if let Some(hint) = &self.hint {
            write!(f, " ({})", one_line(hint))?;
        }
        Ok(())
    }
}

/// `text` with control characters and Unicode line separators escaped (`\n`, `\u{2028}`).
pub fn one_line(text: &str) -> std::borrow::Cow<'_, str> {
    let breaks = |c: char| c.is_control() || matches!(c, '\u{2028}' | '\u{2029}');
    if !text.contains(breaks) {
        return text.into();
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if breaks(c) => out.push_str(&c.escape_unicode().to_string()),
            c => out.push(c),
        }
    }
    out.into()
}

/// The text of one file with its path, able to turn byte offsets into
/// line/column positions and to build located diagnostics.
#[derive(Debug, Clone)]
pub struct SourceText {
    path: PathBuf,
    text: String,
    line_starts: Vec<usize>,
    /// Lines that precede `text` in the real file (front matter starts after `+++`).
    line_offset: usize,
}

impl SourceText {
    /// Wraps `text`, read from `path`.
    pub fn new(path: impl Into<PathBuf>, text: impl Into<String>) -> Self {
        Self::with_line_offset(path, text, 0)
    }

    /// Wraps `text` that starts `line_offset` lines into the file at `path`.
    pub fn with_line_offset(path: impl Into<PathBuf>, text: impl Into<String>, line_offset: usize) -> Self {
        let text = text.into();
        let line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        SourceText { path: path.into(), text, line_starts, line_offset }
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// 1-based (line, column) of a byte offset; columns count characters.
    pub fn position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&start| start <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        (line + 1 + self.line_offset, column)
    }

    /// A diagnostic located at the start of `span`.
    pub fn diagnostic(
        &self,
        severity: Severity,
        span: Range<usize>,
        field: Option<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let (line, column) = self.position(span.start);
        Diagnostic {
            severity,
            file: self.path.clone(),
            line,
            column,
            field,
            message: message.into(),
            hint: None,
        }
    }
}

/// Orders diagnostics as a reader meets them: by file, then line, then column.
pub fn sort_by_position(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
}

/// The closest of `candidates` to `word`, if one is close enough to be a
/// plausible typo ("did you mean …?").
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_one_based_and_count_characters() {
        let src = SourceText::new("p.toml", "a = 1\ntitle = \"é x\"\n");
        assert_eq!(src.position(0), (1, 1));
        assert_eq!(src.position(6), (2, 1));
        // the byte after "é" (2 bytes) is the 11th character of line 2
        let x = src.text().find('x').unwrap();
        assert_eq!(src.position(x), (2, 12));
    }

    #[test]
    fn front_matter_offset_shifts_lines() {
        let src = SourceText::with_line_offset("a.md", "title = 1\n", 1);
        assert_eq!(src.position(0), (2, 1));
    }

    #[test]
    fn a_file_name_with_a_newline_stays_on_one_line() {
        let d = Diagnostic::file_error("evil\nname.md", "cannot read\rit").with_hint("rename\u{2028}it");
        let shown = d.to_string();
        assert_eq!(shown, "evil\\nname.md: error: cannot read\\rit (rename\\u{2028}it)");
        assert_eq!(shown.lines().count(), 1);
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("lable", ["label", "value", "id"]), Some("label"));
        assert_eq!(did_you_mean("zzz", ["label", "value"]), None);
    }
}
