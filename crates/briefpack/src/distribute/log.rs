//! The distribution log: `distribution-log.toml` in the pack folder, one
//! `[[copies]]` entry per copy issued, with when it was issued (the one place
//! the wall clock is recorded), to whom, from which template, the file and its
//! SHA-256.
//!
//! An entry is appended only after its file is completely on disk, and the
//! whole log is rewritten atomically each time, so a crash at any moment
//! leaves a log whose every entry names a finished file with that hash.

use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::atomic::write_atomic;
use crate::pack::date;

/// The log's file name inside a pack folder.
pub const LOG_FILE: &str = "distribution-log.toml";

/// The largest log Briefpack reads (about 100,000 entries).
const MAX_LOG_BYTES: u64 = 64 * 1024 * 1024;

/// What a new log file starts with.
const HEADER: &str = "# Distribution log: one [[copies]] entry per copy issued, appended by `briefpack distribute`.\n\
                      # `briefpack trace` reads it to say whose copy a found PDF is: keep it, and do not edit it.\n";

/// One issued copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct LogEntry {
    /// When it was issued (date, time and UTC offset), from the clock of whoever issued it.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub issued_at: DateTime<FixedOffset>,
    /// The issue date printed on the copy.
    #[serde(with = "date")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub issued_on: NaiveDate,
    /// The pack's title when it was issued.
    pub title: String,
    /// The copy's number, from 1.
    pub copy: usize,
    /// How many copies that distribution had.
    pub of: usize,
    /// The identifier in the copy's document information.
    pub copy_id: String,
    /// Whom it was issued to.
    pub recipient: String,
    /// Their role.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Their organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Their email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The template it was built with.
    pub template: String,
    /// The template's edition, if it has editions.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// The file, relative to the pack folder when it is inside it.
    pub file: String,
    /// The SHA-256 of the file as issued, in lower-case hex.
    pub sha256: String,
}

/// The log as a file holds it.
#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct LogFile {
    #[serde(default)]
    copies: Vec<LogEntry>,
}

/// Why a distribution log could not be read or added to.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// The file is not a log Briefpack can read (edited by hand, say).
    #[error("the distribution log {} cannot be read ({message}); fix it or move it aside: Briefpack never overwrites a log it cannot read", path.display())]
    Unreadable {
        /// The log file.
        path: PathBuf,
        /// Why.
        message: String,
    },
    /// Reading or writing failed.
    #[error("cannot write the distribution log {}: {source}", path.display())]
    Io {
        /// The log file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
}

/// A pack's distribution log, as read, ready to be added to.
#[derive(Debug)]
pub struct DistributionLog {
    path: PathBuf,
    /// The file's text: new entries are appended to it, so what was there keeps its bytes.
    text: String,
    /// Every entry, oldest first.
    pub entries: Vec<LogEntry>,
}

impl DistributionLog {
    /// Reads the log of the pack in `pack_dir` (empty if there is none yet).
    pub fn read(pack_dir: &Path) -> Result<DistributionLog, LogError> {
        let path = pack_dir.join(LOG_FILE);
        let unreadable = |message: String| LogError::Unreadable { path: path.clone(), message };
        let text = match crate::files::read_regular_file(&path, MAX_LOG_BYTES) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| unreadable("it is not UTF-8 text".into()))?,
            Err(crate::files::ReadError::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(unreadable(e.to_string())),
        };
        let file: LogFile = toml::from_str(&text).map_err(|e| unreadable(crate::diagnostic::one_line(e.message()).into_owned()))?;
        Ok(DistributionLog { path, text, entries: file.copies })
    }

    /// Whether the log already records `file` issued with this hash.
    pub fn has(&self, file: &str, sha256: &str) -> bool {
        self.entries.iter().any(|e| e.file == file && e.sha256 == sha256)
    }

    /// Adds `entry` and rewrites the log atomically: a reader (or a crash) sees the
    /// log without it or with it, never half of it.
    pub(super) fn append(&mut self, entry: LogEntry) -> Result<(), LogError> {
        let mut text = if self.text.trim().is_empty() { HEADER.to_string() } else { self.text.clone() };
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push('\n');
        text.push_str(&entry_text(&entry));
        write_atomic(&self.path, text.as_bytes()).map_err(|source| LogError::Io { path: self.path.clone(), source })?;
        self.text = text;
        self.entries.push(entry);
        Ok(())
    }
}

/// One `[[copies]]` table, the issue date as a TOML date.
fn entry_text(entry: &LogEntry) -> String {
    let mut value = toml::Value::try_from(LogFile { copies: vec![entry.clone()] }).unwrap_or_else(|_| toml::Value::Table(Default::default()));
    if let Some(table) = value.get_mut("copies").and_then(|c| c.get_mut(0)).and_then(toml::Value::as_table_mut) {
        table.insert("issued_on".into(), toml::Value::Datetime(date::to_toml(entry.issued_on)));
    }
    toml::to_string(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(copy: usize) -> LogEntry {
        LogEntry {
            issued_at: DateTime::parse_from_rfc3339("2026-11-28T14:03:11+00:00").unwrap(),
            issued_on: NaiveDate::from_ymd_opt(2025, 10, 20).unwrap(),
            title: "Q4".into(),
            copy,
            of: 2,
            copy_id: format!("BP-TEST-{copy}"),
            recipient: "Jane Smith".into(),
            role: Some("Chair".into()),
            organisation: None,
            email: None,
            template: "board-briefing".into(),
            edition: None,
            file: format!("out/copy-{copy}.pdf"),
            sha256: "ab".repeat(32),
        }
    }

    #[test]
    fn entries_are_appended_and_read_back() {
        let pack = tempfile::tempdir().unwrap();
        let mut log = DistributionLog::read(pack.path()).unwrap();
        assert!(log.entries.is_empty());
        log.append(entry(1)).unwrap();
        log.append(entry(2)).unwrap();
        let text = std::fs::read_to_string(pack.path().join(LOG_FILE)).unwrap();
        assert!(text.starts_with("# Distribution log"), "{text}");
        assert!(text.contains("issued_on = 2025-10-20\n"), "{text}");
        let again = DistributionLog::read(pack.path()).unwrap();
        assert_eq!(again.entries, vec![entry(1), entry(2)]);
        assert!(again.has("out/copy-2.pdf", &"ab".repeat(32)));
        assert!(!again.has("out/copy-2.pdf", &"cd".repeat(32)));
    }

    #[test]
    fn a_log_edited_into_nonsense_is_never_overwritten() {
        let pack = tempfile::tempdir().unwrap();
        std::fs::write(pack.path().join(LOG_FILE), "[[copies]]\ncopy = \"three\"\n").unwrap();
        let err = DistributionLog::read(pack.path()).unwrap_err();
        assert!(err.to_string().contains("cannot be read"), "{err}");
    }
}
