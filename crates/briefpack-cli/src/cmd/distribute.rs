//! `briefpack distribute PACK_DIR [--template T] [--edition E] [--list NAME] [--date D] [-o DIR]`:
//! one numbered, named copy of the pack per recipient, logged in the pack's
//! distribution log.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use briefpack::diagnostic::one_line;
use briefpack::distribute::{self, CopyOutcome, DistributeError, DistributionRequest};
use briefpack::fonts::FontSet;
use briefpack::pack::{ListError, PackError};
use briefpack::render::RenderError;
use briefpack::template::TemplateError;
use chrono::{NaiveDate, Timelike};

use crate::Failure;

/// Issue one numbered copy of a pack to each of its recipients, and log them.
#[derive(clap::Args)]
pub(crate) struct Args {
    /// The pack folder (holding pack.toml).
    pack_dir: PathBuf,
    /// Template to use instead of the pack's own (see `briefpack templates`).
    #[arg(long)]
    template: Option<String>,
    /// Edition of the template (e.g. participant, facilitator).
    #[arg(long)]
    edition: Option<String>,
    /// Issue to this distribution list of the library (lists/NAME.toml) instead of the pack's recipients.
    #[arg(long, value_name = "NAME")]
    list: Option<String>,
    /// The issue date printed on every copy (YYYY-MM-DD); the pack's date if not given.
    #[arg(long)]
    date: Option<NaiveDate>,
    /// The folder for the copies (default: the pack's out/distribution-YYYY-MM-DD/).
    #[arg(short, long, value_name = "DIR")]
    output: Option<PathBuf>,
}

pub(crate) fn run(args: Args) -> Result<ExitCode, Failure> {
    let started = Instant::now();
    if !args.pack_dir.is_dir() {
        return Err(Failure::new(format!("{} is not a folder; give the folder that holds pack.toml", args.pack_dir.display())));
    }
    let fonts = FontSet::bundled().map_err(Failure::new)?;
    let request = DistributionRequest {
        pack_dir: args.pack_dir.clone(),
        template: args.template,
        edition: args.edition,
        list: args.list,
        issue_date: args.date,
        output_dir: args.output,
    };
    // The clock is read here, at the edge: the log records when the copies were issued.
    let now = chrono::Local::now().fixed_offset();
    let issued_at = now.with_nanosecond(0).unwrap_or(now);
    let mut report = |p: distribute::Progress<'_>| {
        let what = match p.copy.outcome {
            CopyOutcome::Issued => "issued",
            CopyOutcome::Logged => "logged (written by an interrupted run)",
            CopyOutcome::AlreadyIssued => "already issued",
        };
        println!("Copy {} of {} to {}: {} ({what})", p.copy.number, p.copy.of, one_line(&p.copy.recipient.name), p.copy.file.display());
    };
    let distribution = distribute::distribute(&request, issued_at, &fonts, &mut report, &AtomicBool::new(false))
        .map_err(|e| failure(&args.pack_dir, e))?;
    for warning in &distribution.warnings {
        eprintln!("{warning}");
    }
    let issued = distribution.copies.iter().filter(|c| c.outcome != CopyOutcome::AlreadyIssued).count();
    eprintln!(
        "{} cop{} in {}{}; logged in {} ({} ms)",
        distribution.copies.len(),
        if distribution.copies.len() == 1 { "y" } else { "ies" },
        distribution.folder.display(),
        if distribution.watermarked { ", each with its recipient's watermark" } else { "" },
        args.pack_dir.join(distribute::LOG_FILE).display(),
        started.elapsed().as_millis()
    );
    if issued < distribution.copies.len() {
        eprintln!("{} of them had been issued already and were left as they were", distribution.copies.len() - issued);
    }
    Ok(ExitCode::SUCCESS)
}

/// Every error of the pack, its style or its list, as `check` prints them, after the summary.
fn failure(pack_dir: &std::path::Path, e: DistributeError) -> Failure {
    match e {
        DistributeError::Render(RenderError::Pack(PackError::Invalid { diagnostics }))
        | DistributeError::Render(RenderError::Template(TemplateError::Style(diagnostics)))
        | DistributeError::List(ListError::Invalid { diagnostics })
        | DistributeError::Recipients { diagnostics } => {
            let mut lines = vec![format!("{} cannot be distributed:", one_line(&pack_dir.display().to_string()))];
            lines.extend(diagnostics.iter().filter(|d| d.is_error()).map(ToString::to_string));
            Failure::lines(&lines)
        }
        other => Failure::new(other),
    }
}
