//! Reading files other people named: regular files only, up to a size limit,
//! and never blocking.
//!
//! A path in a document or on a command line may name a named pipe (FIFO), a
//! device or a socket, and reading one waits for a writer forever (or never
//! ends). So the path is checked before it is opened, opened without blocking,
//! and the open file checked again (the path may have been swapped in between),
//! before a byte is read.

use std::fs::{self, File, OpenOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The operating system refused.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The path names something other than a regular file.
    #[error("{} is {kind}, not a file: give the path of a regular file", path.display())]
    NotAFile {
        /// The path.
        path: PathBuf,
        /// What it is ("a named pipe (FIFO)", "a folder", …).
        kind: &'static str,
    },
    /// The file is larger than the limit.
    #[error("{} is too large ({})", path.display(), size_over_limit(*bytes, *limit))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size.
        bytes: u64,
        /// The limit it is over.
        limit: u64,
    },
}

/// Reads the regular file at `path`, refusing anything else (a pipe, a device,
/// a socket, a folder) and files over `limit` bytes, without ever blocking.
pub fn read_regular_file(path: &Path, limit: u64) -> Result<Vec<u8>, ReadError> {
    let io = |source| ReadError::Io { path: path.to_path_buf(), source };
    check_regular(path, &fs::metadata(path).map_err(io)?)?;
    let file = open_without_blocking(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    check_regular(path, &metadata)?;
    if metadata.len() > limit {
        return Err(ReadError::TooLarge { path: path.to_path_buf(), bytes: metadata.len(), limit });
    }
    let mut bytes = Vec::with_capacity(metadata.len() as usize);
    // One byte past the limit, in case the file grew after the size check.
    file.take(limit + 1).read_to_end(&mut bytes).map_err(io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { path: path.to_path_buf(), bytes: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

/// Refuses a path that exists and is not a regular file (what writing over it
/// would replace or block on); a missing path is fine.
pub fn check_replaceable(path: &Path) -> Result<(), ReadError> {
    match fs::metadata(path) {
        Ok(metadata) => check_regular(path, &metadata),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(ReadError::Io { path: path.to_path_buf(), source }),
    }
}

fn check_regular(path: &Path, metadata: &fs::Metadata) -> Result<(), ReadError> {
    if metadata.is_file() {
        Ok(())
    } else {
        Err(ReadError::NotAFile { path: path.to_path_buf(), kind: kind_of(&metadata.file_type()) })
    }
}

/// What a non-regular file is, in words.
fn kind_of(file_type: &fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "a named pipe (FIFO)";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "a device";
        }
    }
    "not a regular file"
}

#[cfg(unix)]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    // Opening a FIFO for reading waits for a writer unless O_NONBLOCK is set;
    // on a regular file the flag changes nothing.
    OpenOptions::new().read(true).custom_flags(libc::O_NONBLOCK).open(path)
}

#[cfg(not(unix))]
fn open_without_blocking(path: &Path) -> std::io::Result<File> {
    OpenOptions::new().read(true).open(path)
}

/// "20.3 MB; the limit is 20 MB": a size over a limit, with as many decimals as
/// it takes to show the difference, or exact bytes when it is tiny.
pub fn size_over_limit(bytes: u64, limit: u64) -> String {
    const MB: f64 = 1_048_576.0;
    let (size, limit_mb) = (bytes as f64 / MB, limit as f64 / MB);
    let limit_text = if limit.is_multiple_of(1_048_576) { format!("{} MB", limit / 1_048_576) } else { format!("{limit_mb:.1} MB") };
    for decimals in 1..=3 {
        let shown = format!("{size:.decimals$}");
        if shown != format!("{limit_mb:.decimals$}") {
            return format!("{shown} MB; the limit is {limit_text}");
        }
    }
    format!("{} bytes; the limit is {} bytes", with_separators(bytes), with_separators(limit))
}

/// 20971521 → "20,971,521".
fn with_separators(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_over_a_limit_show_the_difference() {
        const LIMIT: u64 = 20 * 1_048_576;
        assert_eq!(size_over_limit(LIMIT + 300_000, LIMIT), "20.3 MB; the limit is 20 MB");
        assert_eq!(size_over_limit(LIMIT + 20_000, LIMIT), "20.02 MB; the limit is 20 MB");
        assert_eq!(size_over_limit(LIMIT + 1, LIMIT), "20,971,521 bytes; the limit is 20,971,520 bytes");
        assert_eq!(size_over_limit(50 * 1_048_576, LIMIT), "50.0 MB; the limit is 20 MB");
    }

    #[test]
    fn regular_files_are_read_and_folders_refused() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a.txt");
        fs::write(&file, b"hello").unwrap();
        assert_eq!(read_regular_file(&file, 10).unwrap(), b"hello");
        let err = read_regular_file(&file, 4).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { bytes: 5, limit: 4, .. }), "{err}");
        let err = read_regular_file(dir.path(), 10).unwrap_err();
        assert!(err.to_string().contains("is a folder, not a file"), "{err}");
    }
}
