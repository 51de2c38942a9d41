//! `briefpack build FILE.md -o OUT.pdf`: render Markdown to PDF.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use briefpack::fonts::FontSet;
use briefpack::layout::{FolderAssets, Style};
use briefpack::render;

use crate::Failure;

/// Build a PDF from a Markdown file.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The Markdown file to render.
    input: PathBuf,
    /// Where to write the PDF (default: the input with .pdf).
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Start with a contents page.
    #[arg(long)]
    contents: bool,
}

pub(crate) fn run(args: Args) -> Result<ExitCode, Failure> {
    let started = Instant::now();
    let source = std::fs::read(&args.input)
        .map_err(|e| Failure::new(format!("cannot read {}: {e}", args.input.display())))?;
    let source = String::from_utf8(source)
        .map_err(|_| Failure::new(format!("{} is not UTF-8 text; save it as UTF-8 and try again", args.input.display())))?;
    let output = args.output.clone().unwrap_or_else(|| args.input.with_extension("pdf"));
    let folder = args.input.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), PathBuf::from);
    let fonts = FontSet::bundled().map_err(Failure::new)?;
    let style = Style { contents: args.contents, ..Style::default() };
    let name = args.input.display().to_string();
    let rendered = render::markdown_to_pdf(&source, &name, &style, &fonts, &FolderAssets::new(folder))
        .map_err(|e| Failure::new(format!("{name}: {e}")))?;
    for warning in &rendered.warnings {
        eprintln!("{warning}");
    }
    briefpack::atomic::write_atomic(&output, &rendered.pdf)
        .map_err(|e| Failure::new(format!("cannot write {}: {e}", output.display())))?;
    eprintln!(
        "Wrote {} ({} page{}, {} KB) in {} ms",
        output.display(),
        rendered.pages,
        if rendered.pages == 1 { "" } else { "s" },
        rendered.pdf.len().div_ceil(1024),
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}
