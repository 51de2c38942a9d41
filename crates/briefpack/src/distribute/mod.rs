//! Controlled distribution, beside the pipeline: numbered, named copies of a
//! pack, a log of who received which file, and tracing a found copy back.
//!
//! [`distribute`] loads the pack and lays it out once (stages 1–4), then for
//! each recipient adds that copy's own line, and a watermark when asked
//! ([`crate::layout::stamp`]), and writes the PDF (stage 5) with the copy's
//! identifier, number and recipient in its document information. Copies are
//! made on every core; one thread writes them in copy order, each file
//! atomically and then its [`log`] entry atomically, so a crash at any moment
//! leaves no entry for a file that is not complete with that hash. Running the
//! same distribution again finishes it: a copy already on disk with the same
//! bytes is not written again, and one already logged is not logged twice.
//!
//! [`trace`] says which pack, copy and recipient a found PDF is. The wall clock
//! enters only as data: the caller passes the time the copies are issued at,
//! which the log records; the copies themselves depend only on the pack, the
//! template, the recipient and the issue date.

mod copy;
pub mod log;
mod trace;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;

use chrono::{DateTime, FixedOffset, NaiveDate};

pub use copy::sha256_hex;
pub use log::{DistributionLog, LogEntry, LogError, LOG_FILE};
pub use trace::{trace, trace_file, Trace, TraceError, TracedBy, TracedCopy, MAX_TRACED_BYTES};

use crate::diagnostic::{Diagnostic, Severity};
use crate::fonts::FontSet;
use crate::layout::{self, Stamp};
use crate::pack::{self, store, ListError, Marking, Pack, Recipient, StoreError};
use crate::pdf::{self, CopyMetadata, PdfError};
use crate::render::{self, PackLaidOut, RenderError};
use copy::{CopyPlan, Issue};

/// What to distribute, and where.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DistributionRequest {
    /// The pack folder.
    pub pack_dir: PathBuf,
    /// The template to use instead of the pack's own.
    pub template: Option<String>,
    /// The template's edition (else the pack's, else the template's first).
    pub edition: Option<String>,
    /// A library distribution list to issue to instead of the pack's recipients.
    pub list: Option<String>,
    /// The date printed on the copies (else the pack's date).
    pub issue_date: Option<NaiveDate>,
    /// The folder for the copies (else `out/distribution-<issue date>/` in the pack).
    pub output_dir: Option<PathBuf>,
}

/// What a distribution would do, worked out without writing anything: what a
/// person checks before issuing copies.
#[derive(Debug, Clone, PartialEq)]
pub struct DistributionPlan {
    /// Who would receive a copy, in copy order.
    pub recipients: Vec<Recipient>,
    /// The template the copies would use.
    pub template: String,
    /// Its edition, if it has editions.
    pub edition: Option<String>,
    /// Whether the copies would carry the recipient's name as a watermark.
    pub watermarked: bool,
    /// The date printed on the copies.
    pub issue_date: NaiveDate,
    /// The folder the copies would go to.
    pub folder: PathBuf,
    /// Problems with the recipients that would not stop it (an odd email address on the list).
    pub warnings: Vec<Diagnostic>,
}

/// A distribution that finished.
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// The folder holding the copies.
    pub folder: PathBuf,
    /// The template used.
    pub template: String,
    /// Its edition, if it has editions.
    pub edition: Option<String>,
    /// Whether the copies carry the recipient's name as a watermark.
    pub watermarked: bool,
    /// Every copy, in order.
    pub copies: Vec<IssuedCopy>,
    /// Problems that did not stop it (stale figures, an odd email address, …).
    pub warnings: Vec<Diagnostic>,
}

/// One copy of a distribution.
#[derive(Debug, Clone, PartialEq)]
pub struct IssuedCopy {
    /// Its number, from 1.
    pub number: usize,
    /// How many copies the distribution has.
    pub of: usize,
    /// Who it is issued to.
    pub recipient: Recipient,
    /// Its identifier (in its document information and the log).
    pub copy_id: String,
    /// Its file.
    pub file: PathBuf,
    /// The SHA-256 of the file, as logged.
    pub sha256: String,
    /// What this run did for it.
    pub outcome: CopyOutcome,
}

/// What a run did for one copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "snake_case")]
pub enum CopyOutcome {
    /// Written and logged.
    Issued,
    /// Already on disk with these bytes from an interrupted run; logged now.
    Logged,
    /// Already on disk and logged by an earlier run of the same distribution.
    AlreadyIssued,
}

/// How far a distribution has got, after each copy is written and logged.
#[derive(Debug, Clone, Copy)]
pub struct Progress<'a> {
    /// Copies done so far.
    pub done: usize,
    /// Copies in all.
    pub total: usize,
    /// The copy just done.
    pub copy: &'a IssuedCopy,
}

/// Why a distribution stopped.
#[derive(Debug, thiserror::Error)]
pub enum DistributeError {
    /// The pack, its template or its layout failed, or a PDF could not be written.
    #[error(transparent)]
    Render(#[from] RenderError),
    /// The distribution list could not be used.
    #[error(transparent)]
    List(#[from] ListError),
    /// Nobody to issue copies to.
    #[error("{}", no_recipients_message(*marking))]
    NoRecipients {
        /// The pack's marking.
        marking: Marking,
    },
    /// The recipients, taken together, have problems (one person on the list and in the pack).
    #[error("{}", diagnostics.first().map_or_else(|| "the recipients have problems".to_string(), ToString::to_string))]
    Recipients {
        /// Every problem, located.
        diagnostics: Vec<Diagnostic>,
    },
    /// The pack's distribution log could not be read or written.
    #[error(transparent)]
    Log(#[from] LogError),
    /// The pack could not be locked.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A copy could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The caller asked it to stop.
    #[error("the distribution was stopped after {issued} of {total} copies; every copy written so far is logged, and running it again finishes it")]
    Cancelled {
        /// Copies written and logged.
        issued: usize,
        /// Copies in all.
        total: usize,
    },
}

fn no_recipients_message(marking: Marking) -> String {
    let how = "list them under [[recipients]] in pack.toml, or name a library distribution list (distribution = \"board\" for lists/board.toml)";
    if marking.needs_named_recipients() {
        format!("a {marking} pack may be distributed only to people named one by one, and this pack names nobody: {how}")
    } else {
        format!("the pack names nobody to issue copies to: {how}")
    }
}

/// The library a pack folder belongs to: the folder that holds it.
fn library_of(pack_dir: &Path) -> PathBuf {
    let absolute = std::path::absolute(pack_dir).unwrap_or_else(|_| pack_dir.to_path_buf());
    absolute.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Who receives a copy of `pack` (in `pack_dir`), in copy order: the library
/// list `list` if given; else the pack's distribution list, then its own
/// `[[recipients]]`. Also the list's warnings.
pub fn recipients(pack_dir: &Path, pack: &Pack, list: Option<&str>) -> Result<(Vec<Recipient>, Vec<Diagnostic>), DistributeError> {
    if let Some(name) = list {
        let list = pack::load_list(&library_of(pack_dir), name)?;
        return Ok((list.recipients, list.warnings));
    }
    let (mut people, warnings) = match &pack.meta.distribution {
        Some(name) => {
            let list = pack::load_list(&library_of(pack_dir), name)?;
            (list.recipients, list.warnings)
        }
        None => (Vec::new(), Vec::new()),
    };
    let mut problems = Vec::new();
    for (i, recipient) in pack.recipients.iter().enumerate() {
        if people.iter().any(|p| p.identity() == recipient.identity()) {
            let list = pack.meta.distribution.as_deref().unwrap_or_default();
            problems.push(
                pack::diagnostic_at(pack_dir, Severity::Error, &format!("recipients[{}].name", i + 1), format!("“{}” is already on the distribution list “{list}”: each person receives one copy", recipient.name.trim()))
                    .with_hint("remove them from the pack's [[recipients]]"),
            );
        }
    }
    if !problems.is_empty() {
        return Err(DistributeError::Recipients { diagnostics: problems });
    }
    people.extend(pack.recipients.iter().cloned());
    Ok((people, warnings))
}

/// What `check` reports about a pack's recipients: its distribution list's own
/// problems (or that it is missing), someone both on the list and in the pack,
/// and a TLP:RED or AMBER+STRICT pack that names nobody.
pub fn recipient_problems(pack_dir: &Path, pack: &Pack) -> Vec<Diagnostic> {
    if pack.meta.distribution.as_deref().is_some_and(|name| pack::list_name_problem(name).is_some()) {
        return Vec::new(); // already an error of the pack itself
    }
    match recipients(pack_dir, pack, None) {
        Ok((people, warnings)) if people.is_empty() && pack.meta.marking.needs_named_recipients() => {
            let mut out = warnings;
            out.push(
                pack::diagnostic_at(pack_dir, Severity::Warning, "marking", format!("This {} pack names nobody to receive it: it builds for review, but cannot be distributed", pack.meta.marking))
                    .with_hint("list the people it goes to under [[recipients]], or name a library distribution list with distribution = \"…\""),
            );
            out
        }
        Ok((_, warnings)) => warnings,
        Err(DistributeError::List(ListError::Invalid { diagnostics }) | DistributeError::Recipients { diagnostics }) => diagnostics,
        Err(other) => vec![pack::diagnostic_at(pack_dir, Severity::Error, "distribution", other.to_string())],
    }
}

/// What [`distribute`] would do with `request`, refusing what it would refuse
/// (nobody to issue to, a list that does not load, a template that is not
/// there) with the same errors; nothing is laid out or written.
pub fn plan(request: &DistributionRequest) -> Result<DistributionPlan, DistributeError> {
    let pack_dir = &request.pack_dir;
    let loaded = pack::load(pack_dir).map_err(RenderError::from)?;
    let (recipients, warnings) = recipients(pack_dir, &loaded.pack, request.list.as_deref())?;
    if recipients.is_empty() {
        return Err(DistributeError::NoRecipients { marking: loaded.pack.meta.marking });
    }
    let (template, edition) = render::choose_template(pack_dir, &loaded.pack, request.template.as_deref(), request.edition.as_deref()).map_err(RenderError::from)?;
    let issue_date = request.issue_date.unwrap_or(loaded.pack.meta.date);
    Ok(DistributionPlan {
        recipients,
        watermarked: watermarked(&loaded.pack, &template.style),
        template: template.name,
        edition,
        issue_date,
        folder: output_folder(request, issue_date),
        warnings,
    })
}

/// Whether copies carry the recipient's name as a watermark: the pack says, else
/// the template's style, else the marking's default.
fn watermarked(pack: &Pack, style: &layout::Style) -> bool {
    pack.meta.watermark.or(style.watermark).unwrap_or_else(|| pack.meta.marking.watermarks_by_default())
}

/// The folder for the copies: the one asked for, else `out/distribution-<issue date>/` in the pack.
fn output_folder(request: &DistributionRequest, issue_date: NaiveDate) -> PathBuf {
    request.output_dir.clone().unwrap_or_else(|| request.pack_dir.join("out").join(format!("distribution-{issue_date}")))
}

/// Issues one copy of the pack per recipient into the distribution folder, and
/// logs each in the pack's distribution log with `issued_at` (the caller's clock).
/// `progress` is called on the calling thread after each copy is written and
/// logged; setting `cancel` stops the run between two copies.
pub fn distribute(
    request: &DistributionRequest,
    issued_at: DateTime<FixedOffset>,
    fonts: &FontSet,
    progress: &mut dyn FnMut(Progress<'_>),
    cancel: &AtomicBool,
) -> Result<Distribution, DistributeError> {
    let pack_dir = &request.pack_dir;
    // Saves wait while copies are made, so every copy is of one version of the pack,
    // and two distributions of one pack never interleave their log entries.
    let _lock = store::lock_pack(pack_dir)?;
    let loaded = pack::load(pack_dir).map_err(RenderError::from)?;
    let (people, list_warnings) = recipients(pack_dir, &loaded.pack, request.list.as_deref())?;
    if people.is_empty() {
        return Err(DistributeError::NoRecipients { marking: loaded.pack.meta.marking });
    }
    let (template, edition) = render::choose_template(pack_dir, &loaded.pack, request.template.as_deref(), request.edition.as_deref()).map_err(RenderError::from)?;
    let laid_out = render::lay_out_pack(pack_dir, loaded, template, edition, render::OutputOptions::default(), fonts)?;
    let PackLaidOut { fonts, archival, pack, template, edition, layout, furniture, mut warnings, .. } = laid_out;
    warnings.extend(list_warnings);
    let issue_date = request.issue_date.unwrap_or(pack.meta.date);
    let watermarked = watermarked(&pack, &template.style);
    let pack_folder = render::pack_folder_name(pack_dir);
    let issue = Issue { pack_folder: &pack_folder, title: &pack.meta.title, template: &template.name, edition: edition.as_deref(), date: issue_date };
    let plans = issue.copies(&people);

    let folder = output_folder(request, issue_date);
    std::fs::create_dir_all(&folder).map_err(|source| DistributeError::Io { path: folder.clone(), source })?;
    remove_leftovers(&folder, plans.iter().map(|p| p.file_name.as_str()));
    remove_leftovers(pack_dir, [LOG_FILE]);
    let logged_folder = logged_path(pack_dir, &folder);
    let mut log = DistributionLog::read(pack_dir)?;

    let base_metadata = pdf::PdfMetadata { archival, ..render::pack_metadata(&pack, &template.name, edition.as_deref()) };
    let make = |plan: &CopyPlan| -> Result<Vec<u8>, PdfError> {
        let stamp = Stamp { line: plan.line.clone(), watermark: watermarked.then(|| plan.recipient.name.trim().to_string()) };
        let stamped = layout::stamp(layout.clone(), &stamp, &template.style, &furniture, fonts);
        let copy = CopyMetadata { id: plan.id.clone(), number: plan.number, of: plan.of, recipient: plan.recipient.name.trim().to_string() };
        pdf::write_pdf_owned(stamped, fonts, &pdf::PdfMetadata { copy: Some(copy), ..base_metadata.clone() })
    };
    let write = |plan: &CopyPlan, bytes: Vec<u8>, log: &mut DistributionLog| -> Result<IssuedCopy, DistributeError> {
        let path = folder.join(&plan.file_name);
        let logged_file = format!("{logged_folder}{}", plan.file_name);
        let sha256 = sha256_hex(&bytes);
        let on_disk = std::fs::read(&path).ok().is_some_and(|existing| sha256_hex(&existing) == sha256);
        if !on_disk {
            crate::atomic::write_atomic(&path, &bytes).map_err(|source| DistributeError::Io { path: path.clone(), source })?;
        }
        let outcome = match (on_disk, log.has(&logged_file, &sha256)) {
            (true, true) => CopyOutcome::AlreadyIssued,
            (on_disk, false) => {
                log.append(LogEntry {
                    issued_at,
                    issued_on: issue_date,
                    title: pack.meta.title.clone(),
                    copy: plan.number,
                    of: plan.of,
                    copy_id: plan.id.clone(),
                    recipient: plan.recipient.name.trim().to_string(),
                    role: plan.recipient.role.clone(),
                    organisation: plan.recipient.organisation.clone(),
                    email: plan.recipient.email.clone(),
                    template: template.name.clone(),
                    edition: edition.clone(),
                    file: logged_file,
                    sha256: sha256.clone(),
                })?;
                if on_disk { CopyOutcome::Logged } else { CopyOutcome::Issued }
            }
            // Rewritten just now over other bytes, yet logged: the same bytes were issued before and replaced since.
            (false, true) => CopyOutcome::Issued,
        };
        Ok(IssuedCopy { number: plan.number, of: plan.of, recipient: plan.recipient.clone(), copy_id: plan.id.clone(), file: path, sha256, outcome })
    };
    let copies = issue_all(&plans, &make, &mut |plan, bytes| write(plan, bytes, &mut log), progress, cancel)?;
    Ok(Distribution { folder, template: template.name, edition, watermarked, copies, warnings })
}

/// Writes one made copy (its bytes) to disk and logs it.
type WriteCopy<'a> = dyn FnMut(&CopyPlan, Vec<u8>) -> Result<IssuedCopy, DistributeError> + 'a;

/// Makes every copy with `make` on all cores and hands each to `write` on this
/// thread, in copy order, reporting progress; stops early on an error or `cancel`.
fn issue_all(
    plans: &[CopyPlan],
    make: &(dyn Fn(&CopyPlan) -> Result<Vec<u8>, PdfError> + Sync),
    write: &mut WriteCopy<'_>,
    progress: &mut dyn FnMut(Progress<'_>),
    cancel: &AtomicBool,
) -> Result<Vec<IssuedCopy>, DistributeError> {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(plans.len()).max(1);
    let next = AtomicUsize::new(0);
    // Set when this thread stops early, so the makers stop too.
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (sender, receiver) = mpsc::channel::<(usize, Result<Vec<u8>, PdfError>)>();
        for _ in 0..workers {
            let sender = sender.clone();
            let (next, stop) = (&next, &stop);
            scope.spawn(move || loop {
                if stop.load(Ordering::Relaxed) || cancel.load(Ordering::Relaxed) {
                    break;
                }
                let index = next.fetch_add(1, Ordering::Relaxed);
                let Some(plan) = plans.get(index) else { break };
                if sender.send((index, make(plan))).is_err() {
                    break;
                }
            });
        }
        drop(sender);
        let result = write_in_order(plans, receiver, write, progress, cancel);
        stop.store(true, Ordering::Relaxed);
        result
    })
}

/// Receives made copies in any order and writes them in copy order.
fn write_in_order(
    plans: &[CopyPlan],
    made: mpsc::Receiver<(usize, Result<Vec<u8>, PdfError>)>,
    write: &mut WriteCopy<'_>,
    progress: &mut dyn FnMut(Progress<'_>),
    cancel: &AtomicBool,
) -> Result<Vec<IssuedCopy>, DistributeError> {
    let mut waiting: BTreeMap<usize, Vec<u8>> = BTreeMap::new();
    let mut copies = Vec::with_capacity(plans.len());
    let cancelled = |issued: usize| DistributeError::Cancelled { issued, total: plans.len() };
    for (index, bytes) in made {
        waiting.insert(index, bytes.map_err(RenderError::from)?);
        while let Some(bytes) = waiting.remove(&copies.len()) {
            if cancel.load(Ordering::Relaxed) {
                return Err(cancelled(copies.len()));
            }
            let copy = write(&plans[copies.len()], bytes)?;
            copies.push(copy);
            progress(Progress { done: copies.len(), total: plans.len(), copy: &copies[copies.len() - 1] });
        }
    }
    if copies.len() < plans.len() {
        // The makers stopped before the last copy: only a cancel does that.
        return Err(cancelled(copies.len()));
    }
    Ok(copies)
}

/// How the log names files in `folder`: relative to the pack folder when inside
/// it (so the log stays true when the library moves), else absolute; ends in `/`.
fn logged_path(pack_dir: &Path, folder: &Path) -> String {
    let (Ok(pack), Ok(real)) = (pack_dir.canonicalize(), folder.canonicalize()) else { return format!("{}/", folder.display()) };
    match real.strip_prefix(&pack) {
        Ok(inside) if inside.as_os_str().is_empty() => String::new(),
        Ok(inside) => format!("{}/", inside.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")),
        Err(_) => format!("{}/", real.display()),
    }
}

/// Removes the temporary files an interrupted run left for `names` in `folder`
/// (the atomic writer's `.<name>.<process>-<n>.tmp`). Safe under the pack lock:
/// no other distribution of this pack is writing them.
fn remove_leftovers<'a>(folder: &Path, names: impl IntoIterator<Item = &'a str>) {
    let prefixes: Vec<String> = names.into_iter().map(|name| format!(".{name}.")).collect();
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.filter_map(Result::ok) {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".tmp") && prefixes.iter().any(|p| name.starts_with(p.as_str())) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
