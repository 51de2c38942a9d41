//! `briefpack build PACK_DIR [-o OUT.pdf] [--template NAME] [--edition NAME]`
//! renders a pack through its template; `briefpack build FILE.md -o OUT.pdf`
//! renders a plain Markdown file with the default style.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use briefpack::diagnostic::Diagnostic;
use briefpack::fonts::FontSet;
use briefpack::layout::{FolderAssets, Style};
use briefpack::pack::PackError;
use briefpack::render::{self, RenderError};

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
}

pub(crate) fn run(args: Args) -> Result<ExitCode, Failure> {
    let started = Instant::now();
    let fonts = FontSet::bundled().map_err(Failure::new)?;
    let (pdf, pages, warnings, output) = if args.input.is_dir() {
        build_pack(&args, &fonts)?
    } else {
        build_markdown(&args, &fonts)?
    };
    for warning in &warnings {
        eprintln!("{warning}");
    }
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent).map_err(|e| Failure::new(format!("cannot create {}: {e}", parent.display())))?;
    }
    briefpack::atomic::write_atomic(&output, &pdf).map_err(|e| Failure::new(format!("cannot write {}: {e}", output.display())))?;
    eprintln!(
        "Wrote {} ({pages} page{}, {} KB) in {} ms",
        output.display(),
        if pages == 1 { "" } else { "s" },
        pdf.len().div_ceil(1024),
        started.elapsed().as_millis()
    );
    Ok(ExitCode::SUCCESS)
}

type Built = (Vec<u8>, usize, Vec<Diagnostic>, PathBuf);

fn build_pack(args: &Args, fonts: &FontSet) -> Result<Built, Failure> {
    if args.contents {
        return Err(Failure::new("--contents is for Markdown files; a pack's template decides its contents page"));
    }
    let built = render::pack_to_pdf(&args.input, args.template.as_deref(), args.edition.as_deref(), fonts).map_err(|e| match e {
        // Every error of the pack, as `check` prints them, then the summary.
        RenderError::Pack(PackError::Invalid { diagnostics }) => {
            let errors: Vec<String> = diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
            Failure::new(format!("{} cannot be built:\n{}", args.input.display(), errors.join("\n")))
        }
        other => Failure::new(other),
    })?;
    let output = args.output.clone().unwrap_or_else(|| args.input.join("out").join(&built.file_name));
    Ok((built.output.pdf, built.output.pages, built.output.warnings, output))
}

fn build_markdown(args: &Args, fonts: &FontSet) -> Result<Built, Failure> {
    if args.template.is_some() || args.edition.is_some() {
        return Err(Failure::new("--template and --edition apply to pack folders, not Markdown files"));
    }
    let size = std::fs::metadata(&args.input).map_err(|e| Failure::new(format!("cannot read {}: {e}", args.input.display())))?.len();
    if size > briefpack::pack::MAX_FILE_BYTES {
        return Err(Failure::new(format!(
            "{} is {:.1} MB, larger than the {} MB Briefpack renders; split it into smaller documents",
            args.input.display(),
            size as f64 / 1_048_576.0,
            briefpack::pack::MAX_FILE_BYTES / 1024 / 1024
        )));
    }
    let source = std::fs::read(&args.input).map_err(|e| Failure::new(format!("cannot read {}: {e}", args.input.display())))?;
    let source = String::from_utf8(source)
        .map_err(|_| Failure::new(format!("{} is not UTF-8 text; save it as UTF-8 and try again", args.input.display())))?;
    let output = args.output.clone().unwrap_or_else(|| args.input.with_extension("pdf"));
    let folder = args.input.parent().filter(|p| !p.as_os_str().is_empty()).map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let style = Style { contents: args.contents, ..Style::default() };
    let name = args.input.display().to_string();
    let rendered = render::markdown_to_pdf(&source, &name, &style, fonts, &FolderAssets::new(folder))
        .map_err(|e| Failure::new(format!("{name}: {e}")))?;
    Ok((rendered.pdf, rendered.pages, rendered.warnings, output))
}
