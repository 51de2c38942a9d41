//! `briefpack build FILE.md` as a user runs it: the PDF it writes, and one
//! clear line on stderr (never a panic or a backtrace) when it cannot.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

#[cfg(unix)]
#[path = "../../briefpack/tests/it/fifo.rs"]
mod fifo;
#[cfg(unix)]
use fifo::Fifo;

fn briefpack(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_briefpack"))
        .args(args)
        // A panic would print a backtrace: make sure the tests would see it.
        .env("RUST_BACKTRACE", "1")
        .output()
        .unwrap()
}

fn features() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../briefpack/tests/fixtures/markdown/features.md")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_panic(out: &Output) {
    let all = format!("{}{}", text(&out.stdout), text(&out.stderr));
    for bad in ["panicked", "backtrace", "RUST_BACKTRACE", "stack backtrace", "thread 'main'"] {
        assert!(!all.contains(bad), "{bad:?} in the output:\n{all}");
    }
}

/// The one line of stderr of a failed build.
fn one_error_line(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "stdout: {}\nstderr: {}", text(&out.stdout), text(&out.stderr));
    assert_no_panic(out);
    let err = text(&out.stderr);
    let lines: Vec<&str> = err.lines().filter(|l| !l.trim().is_empty()).collect();
    assert_eq!(lines.len(), 1, "expected one line on stderr, got:\n{err}");
    lines[0].to_string()
}

fn assert_is_pdf(path: &Path) {
    let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("no PDF at {}: {e}", path.display()));
    assert!(bytes.starts_with(b"%PDF-"), "{} does not start with %PDF-", path.display());
    assert!(bytes.trim_ascii_end().ends_with(b"%%EOF"), "{} is not a complete PDF", path.display());
    assert!(bytes.len() > 2_000, "{} is only {} bytes", path.display(), bytes.len());
}

#[test]
fn build_writes_a_pdf_of_the_features_sample() {
    let temp = tempfile::tempdir().unwrap();
    let out_path = temp.path().join("features.pdf");
    let out = briefpack(&["build", features().to_str().unwrap(), "-o", out_path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_no_panic(&out);
    assert_is_pdf(&out_path);
    let err = text(&out.stderr);
    assert!(err.contains("Wrote") && err.contains("features.pdf"), "{err}");

    // With a contents page: still a PDF, one page longer at least.
    let with_contents = temp.path().join("contents.pdf");
    let out = briefpack(&["build", features().to_str().unwrap(), "-o", with_contents.to_str().unwrap(), "--contents"]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_no_panic(&out);
    assert_is_pdf(&with_contents);
}

#[test]
fn build_without_o_writes_beside_the_input() {
    let temp = tempfile::tempdir().unwrap();
    let input = temp.path().join("brief.md");
    std::fs::write(&input, "# Brief\n\nA short “brief” – with €4.2m.\n").unwrap();
    let out = briefpack(&["build", input.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    assert_is_pdf(&temp.path().join("brief.pdf"));
}

#[test]
fn a_missing_input_file_is_one_line_naming_it() {
    let temp = tempfile::tempdir().unwrap();
    let input = temp.path().join("no-such-brief.md");
    let output = temp.path().join("out.pdf");
    let out = briefpack(&["build", input.to_str().unwrap(), "-o", output.to_str().unwrap()]);
    let line = one_error_line(&out);
    assert!(line.contains(input.to_str().unwrap()), "the error should name the file: {line}");
    assert!(!output.exists(), "no PDF is written");
}

#[test]
fn a_missing_image_is_one_line_naming_the_image() {
    let temp = tempfile::tempdir().unwrap();
    let input = temp.path().join("brief.md");
    std::fs::write(&input, "# Brief\n\nText.\n\n![Trend chart](charts/trend.png)\n").unwrap();
    let output = temp.path().join("out.pdf");
    let out = briefpack(&["build", input.to_str().unwrap(), "-o", output.to_str().unwrap()]);
    let line = one_error_line(&out);
    assert!(line.contains("charts/trend.png"), "the error should name the image: {line}");
    assert!(line.contains("brief.md"), "and the document: {line}");
    assert!(!output.exists(), "no PDF is written");
}

#[test]
fn an_image_that_is_not_an_image_or_is_too_large_is_one_line_naming_it() {
    let temp = tempfile::tempdir().unwrap();
    std::fs::write(temp.path().join("notes.png"), "not pixels at all").unwrap();
    // A PNG signature and an IHDR chunk declaring 50000 × 50000 pixels (CRC included).
    let mut huge = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    huge.extend_from_slice(&50_000u32.to_be_bytes());
    huge.extend_from_slice(&50_000u32.to_be_bytes());
    huge.extend_from_slice(&[8, 2, 0, 0, 0]);
    let crc = crc32(&huge[12..]);
    huge.extend_from_slice(&crc.to_be_bytes());
    std::fs::write(temp.path().join("huge.png"), huge).unwrap();
    for (image, words) in [("notes.png", "not a PNG or JPEG"), ("huge.png", "50000")] {
        let input = temp.path().join("brief.md");
        std::fs::write(&input, format!("# Brief\n\n![Picture]({image})\n")).unwrap();
        let output = temp.path().join("out.pdf");
        let out = briefpack(&["build", input.to_str().unwrap(), "-o", output.to_str().unwrap()]);
        let line = one_error_line(&out);
        assert!(line.contains(image) && line.contains(words), "{image}: {line}");
        assert!(!output.exists());
    }
}

#[test]
fn a_character_no_font_has_is_a_warning_with_its_position() {
    let temp = tempfile::tempdir().unwrap();
    let input = temp.path().join("brief.md");
    std::fs::write(&input, "# Brief\n\nA crab 🦀 and another 🦀.\n").unwrap();
    let output = temp.path().join("out.pdf");
    let out = briefpack(&["build", input.to_str().unwrap(), "-o", output.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "a warning does not stop the build: {}", text(&out.stderr));
    assert_no_panic(&out);
    let err = text(&out.stderr);
    let warnings: Vec<&str> = err.lines().filter(|l| l.contains("warning")).collect();
    assert_eq!(warnings.len(), 1, "reported once:\n{err}");
    assert!(warnings[0].contains("brief.md:3:8") && warnings[0].contains("U+1F980"), "{}", warnings[0]);
    assert_is_pdf(&output);
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

// ---------------------------------------------------------------------------
// Where the PDF may go: never over the input, a device, a pipe or another file
// ---------------------------------------------------------------------------

const NOTES: &str = "# Notes\n\nMy own notes, which a build must never overwrite.\n";

#[test]
fn build_notes_md_o_notes_md_refuses_and_keeps_the_notes() {
    let temp = tempfile::tempdir().unwrap();
    let input = temp.path().join("notes.md");
    std::fs::write(&input, NOTES).unwrap();
    std::fs::create_dir(temp.path().join("sub")).unwrap();
    let spellings = [input.clone(), temp.path().join("sub/../notes.md"), temp.path().join("./notes.md")];
    for output in spellings {
        let out = briefpack(&["build", input.to_str().unwrap(), "-o", output.to_str().unwrap()]);
        let line = one_error_line(&out);
        assert!(line.contains("is the input") && line.contains("notes.md"), "{line}");
        assert_eq!(std::fs::read_to_string(&input).unwrap(), NOTES, "the notes are untouched");
    }
}

#[cfg(unix)]
#[test]
fn build_refuses_an_output_that_is_a_device_a_pipe_a_folder_or_not_a_pdf() {
    use std::os::unix::fs::FileTypeExt;
    let temp = tempfile::tempdir().unwrap();
    let input = temp.path().join("notes.md");
    std::fs::write(&input, NOTES).unwrap();
    let pipe = temp.path().join("pipe.pdf");
    let _fifo = Fifo::at(&pipe);
    let folder = temp.path().join("folder.pdf");
    std::fs::create_dir(&folder).unwrap();
    let other = temp.path().join("other.md");
    std::fs::write(&other, NOTES).unwrap();
    let link = temp.path().join("link.pdf");
    std::os::unix::fs::symlink(&input, &link).unwrap();
    let cases: [(&Path, &str); 5] = [
        (Path::new("/dev/null"), "is a device, not a file"),
        (&pipe, "is a named pipe (FIFO), not a file"),
        (&folder, "is a folder, not a file"),
        (&other, "exists and is not a PDF"),
        (&link, "is the input"),
    ];
    for (output, expected) in cases {
        let out = briefpack(&["build", input.to_str().unwrap(), "-o", output.to_str().unwrap()]);
        let line = one_error_line(&out);
        assert!(line.contains(expected) && line.contains(output.to_str().unwrap()), "{line}");
    }
    assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device(), "the device is still a device");
    assert!(std::fs::metadata(&pipe).unwrap().file_type().is_fifo() && folder.is_dir());
    assert_eq!(std::fs::read_to_string(&other).unwrap(), NOTES);
    assert_eq!(std::fs::read_to_string(&input).unwrap(), NOTES);
}

#[test]
fn build_into_a_pack_file_refuses_and_an_earlier_pdf_is_replaced() {
    let temp = tempfile::tempdir().unwrap();
    let pack = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../briefings/mi5-threat-update-2025");
    let pack_toml = pack.join("pack.toml");
    let before = std::fs::read(&pack_toml).unwrap();
    let out = briefpack(&["build", pack.to_str().unwrap(), "-o", pack_toml.to_str().unwrap()]);
    let line = one_error_line(&out);
    assert!(line.contains("pack.toml exists and is not a PDF"), "{line}");
    assert_eq!(std::fs::read(&pack_toml).unwrap(), before);
    let output = temp.path().join("brief.pdf");
    for _ in 0..2 {
        let out = briefpack(&["build", features().to_str().unwrap(), "-o", output.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "stderr: {}", text(&out.stderr));
    }
    assert_is_pdf(&output);
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_the_markdown_input_is_refused_naming_it() {
    let temp = tempfile::tempdir().unwrap();
    let input = temp.path().join("brief.md");
    let _fifo = Fifo::at(&input);
    let out = briefpack(&["build", input.to_str().unwrap(), "-o", temp.path().join("out.pdf").to_str().unwrap()]);
    let line = one_error_line(&out);
    assert!(line.contains(input.to_str().unwrap()) && line.contains("named pipe (FIFO)"), "{line}");
}

/// The benchmark documents (`make bench`: generated reports of about 2, 20 and 200 pages)
/// are tagged so that `pdfua` (in `.venv`, from `make deps`) finds nothing in them.
#[test]
fn the_benchmark_documents_pass_the_pdf_ua_checker() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let pdfua = root.join(".venv/bin/pdfua");
    assert!(pdfua.exists(), "{} is missing: run `make deps`", pdfua.display());
    // `cargo test` builds the examples beside the binaries.
    let generator = Path::new(env!("CARGO_BIN_EXE_briefpack")).with_file_name("examples").join("bench_doc");
    assert!(generator.exists(), "{} was not built (run the tests with `cargo test`, which builds examples)", generator.display());
    let dir = tempfile::tempdir().unwrap();
    for pages in ["2", "20", "200"] {
        let source = dir.path().join(format!("bench-{pages}.md"));
        let markdown = Command::new(&generator).arg(pages).output().unwrap();
        std::fs::write(&source, markdown.stdout).unwrap();
        let pdf = dir.path().join(format!("bench-{pages}.pdf"));
        let out = briefpack(&["build", source.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let report = Command::new(&pdfua).arg("check").arg(&pdf).output().unwrap();
        assert!(text(&report.stdout).contains("PASS (no findings)"), "{pages}-page document:\n{}", text(&report.stdout));
    }
}

#[test]
fn a_markdown_file_builds_archival_and_accessible_too() {
    let dir = tempfile::tempdir().unwrap();
    let pdf = dir.path().join("out.pdf");
    let out = briefpack(&["build", features().to_str().unwrap(), "-o", pdf.to_str().unwrap(), "--archival", "--accessible"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("archival: PDF/A-2a"), "{}", text(&out.stderr));
    let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
    assert!(text(&fonts.stdout).contains("NotoSans-Regular"), "{}", text(&fonts.stdout));
    let plain = dir.path().join("plain.pdf");
    assert!(Command::new("qpdf").args(["--qdf", "--object-streams=disable"]).arg(&pdf).arg(&plain).status().unwrap().success());
    let bytes = String::from_utf8_lossy(&std::fs::read(&plain).unwrap()).into_owned();
    assert!(bytes.contains("/OutputIntents") && bytes.contains("<pdfaid:part>2</pdfaid:part>"));
}
