//! `briefpack build PACK_DIR [-o OUT.pdf] [--template NAME] [--edition NAME]
//! [--archival] [--accessible]` renders a pack through its template; `briefpack build FILE.md -o OUT.pdf`
//! renders a plain Markdown file with the default style.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use briefpack::diagnostic::{one_line, Diagnostic};
use briefpack::files::{check_replaceable, read_regular_file, size_over_limit, ReadError};
use briefpack::fonts::FontSet;
use briefpack::layout::{FolderAssets, Style};
use briefpack::pack::PackError;
use briefpack::house::HouseError;
use briefpack::render::{self, RenderError};
use briefpack::template::TemplateError;

use crate::Failure;

/// Build a PDF from a pack folder or a Markdown file.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// A pack folder (holding pack.toml) or a Markdown file.
    input: PathBuf,
    /// Where to write the PDF (default: the pack's out/ folder, or the Markdown file with .pdf).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Template to use instead of the pack's own (see `briefpack templates`).
    #[arg(long)]
    template: Option<String>,
    /// Edition of the template (e.g. participant, facilitator).
    #[arg(long)]
    edition: Option<String>,
    /// For Markdown files: start with a contents page.
    #[arg(long)]
    contents: bool,
    /// Write an archival PDF (PDF/A-2, level A), whatever the pack says.
    #[arg(long)]
    archival: bool,
    /// Use the accessible style (sans-serif, 12 pt or more, ragged right, strong
    /// contrast), whatever the pack says.
    #[arg(long)]
    accessible: bool,
}

pub(crate) fn run(args: Args) -> Result<ExitCode, Failure> {
    let started = Instant::now();
    let fonts = FontSet::bundled().map_err(Failure::new)?;
    let (pdf, pages, warnings, output, archival) = if args.input.is_dir() {
        build_pack(&args, &fonts)?
    } else {
        build_markdown(&args, &fonts)?
    };
    for warning in &warnings {
        eprintln!("{warning}");
    }
    check_output(&args.input, &output)?;
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Failure::new(format!("cannot create {}: {e}", parent.display())))?;
    }
    briefpack::atomic::write_atomic(&output, &pdf).map_err(|e| Failure::new(format!("cannot write {}: {e}", output.display())))?;
    eprintln!(
        "Wrote {} ({pages} page{}, {} KB{}) in {} ms",
        output.display(),
        if pages == 1 { "" } else { "s" },
        pdf.len().div_ceil(1024),
        if archival { ", archival: PDF/A-2a" } else { "" },
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}

/// Refuses an output path that would destroy something: the input itself
/// (`build notes.md -o notes.md`), any other file that is not a PDF (pack.toml,
/// an article), or anything that is not a regular file (a device such as
/// /dev/full, a pipe, a folder), which the atomic rename would replace.
fn check_output(input: &Path, output: &Path) -> Result<(), Failure> {
    check_replaceable(output).map_err(|e| match e {
        ReadError::NotAFile { path, kind } => Failure::new(format!(
            "{} is {kind}, not a file: the PDF would replace it; give a file path for -o",
            path.display()
        )),
        other => Failure::new(other),
    })?;
    if !output.exists() {
        return Ok(());
    }
    let same = |a: &Path, b: &Path| matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b);
    if same(input, output) {
        return Err(Failure::new(format!("{} is the input: writing the PDF there would replace it; give another path for -o", output.display())));
    }
    if !is_pdf_file(output) {
        return Err(Failure::new(format!(
            "{} exists and is not a PDF: writing the PDF there would replace it; give another path for -o, or delete the file first",
            output.display()
        )));
    }
    Ok(())
}

/// Whether `path` holds a PDF (or nothing yet): what a build may replace.
fn is_pdf_file(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 5];
    let read = std::fs::File::open(path).and_then(|mut f| f.read(&mut head));
    matches!(read, Ok(0)) || matches!(read, Ok(5) if &head == b"%PDF-")
}

/// The PDF, its pages, warnings, where it goes and whether it is archival.
type Built = (Vec<u8>, usize, Vec<Diagnostic>, PathBuf, bool);

fn build_pack(args: &Args, fonts: &FontSet) -> Result<Built, Failure> {
    if args.contents {
        return Err(Failure::new("--contents is for Markdown files; a pack's template decides its contents page"));
    }
    let options = render::OutputOptions { archival: args.archival.then_some(true), accessible: args.accessible.then_some(true) };
    let built = render::pack_to_pdf_with(&args.input, args.template.as_deref(), args.edition.as_deref(), options, fonts).map_err(|e| match e {
        // Every error of the pack or its style, as `check` prints them, after the summary.
        RenderError::Pack(PackError::Invalid { diagnostics })
        | RenderError::Template(TemplateError::Style(diagnostics))
        | RenderError::House(HouseError::Invalid { diagnostics }) => {
            let mut lines = vec![format!("{} cannot be built:", one_line(&args.input.display().to_string()))];
            lines.extend(diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string));
            Failure::lines(&lines)
        }
        other => Failure::new(other),
    })?;
    let output = args.output.clone().unwrap_or_else(|| args.input.join("out").join(&built.file_name));
    Ok((built.output.pdf, built.output.pages, built.output.warnings, output, built.archival))
}

fn build_markdown(args: &Args, fonts: &FontSet) -> Result<Built, Failure> {
    if args.template.is_some() || args.edition.is_some() {
        return Err(Failure::new("--template and --edition apply to pack folders, not Markdown files"));
    }
    let source = read_regular_file(&args.input, briefpack::pack::MAX_FILE_BYTES).map_err(|e| match e {
        ReadError::TooLarge { path, bytes, limit } => Failure::new(format!(
            "{} is larger than Briefpack renders ({}); split it into smaller documents",
            path.display(),
            size_over_limit(bytes, limit)
        )),
        other => Failure::new(other),
    })?;
    let source = String::from_utf8(source)
        .map_err(|_| Failure::new(format!("{} is not UTF-8 text; save it as UTF-8 and try again", args.input.display())))?;
    let output = args.output.clone().unwrap_or_else(|| args.input.with_extension("pdf"));
    let folder = args.input.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let style = Style { contents: args.contents, ..Style::default() };
    let name = args.input.display().to_string();
    let options = render::OutputOptions { archival: args.archival.then_some(true), accessible: args.accessible.then_some(true) };
    let rendered = render::markdown_to_pdf_with(&source, &name, &style, options, fonts, &FolderAssets::new(folder))
        .map_err(|e| Failure::new(format!("{name}: {e}")))?;
    Ok((rendered.pdf, rendered.pages, rendered.warnings, output, args.archival))
}
