//! Controlled distribution: numbered, named copies of the example pack, read
//! back page by page; the log's hashes against the files; tracing each copy,
//! unchanged, rewritten by qpdf and printed to PDF again; the marking rules;
//! re-running an interrupted distribution; the same bytes for the same copy.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use briefpack::distribute::{self, CopyOutcome, DistributeError, Distribution, DistributionLog, DistributionRequest, TracedBy};
use briefpack::fonts::FontSet;
use briefpack::pack::{self, PackError};
use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::common::example_pack;
use crate::pdf_check::Pdf;

const BOARD: [&str; 3] = ["Jane Smith", "Ravi Patel", "Aoife O’Brien"];

fn fonts() -> &'static FontSet {
    static FONTS: std::sync::OnceLock<FontSet> = std::sync::OnceLock::new();
    FONTS.get_or_init(|| FontSet::bundled().unwrap())
}

fn issued_at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-28T09:30:00+00:00").unwrap()
}

/// A library holding a copy of the example pack (marked `marking`, its article too)
/// and the distribution list `board` of [`BOARD`].
fn library(marking: &str) -> (tempfile::TempDir, PathBuf) {
    let temp = tempfile::tempdir().unwrap();
    let pack_dir = temp.path().join("q4-board");
    pack::store::copy_pack(&example_pack(), &pack_dir).unwrap();
    set_in_pack(&pack_dir, "marking", &format!("\"{marking}\""));
    for entry in fs::read_dir(pack_dir.join("articles")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        fs::write(&path, text.replace("marking = \"TLP:AMBER\"", &format!("marking = \"{marking}\""))).unwrap();
    }
    fs::create_dir(temp.path().join("lists")).unwrap();
    let people: String = BOARD.iter().map(|name| format!("[[recipients]]\nname = \"{name}\"\n\n")).collect();
    fs::write(temp.path().join("lists/board.toml"), format!("# The board\n{people}")).unwrap();
    (temp, pack_dir)
}

/// Sets a top-level key of the pack's pack.toml (after `marking`, where it belongs).
fn set_in_pack(pack_dir: &Path, key: &str, value: &str) {
    let path = pack_dir.join("pack.toml");
    let mut doc: toml_edit::DocumentMut = fs::read_to_string(&path).unwrap().parse().unwrap();
    doc[key] = toml_edit::value(value.parse::<toml_edit::Value>().unwrap());
    fs::write(&path, doc.to_string()).unwrap();
}

fn request(pack_dir: &Path) -> DistributionRequest {
    DistributionRequest { pack_dir: pack_dir.to_path_buf(), list: Some("board".into()), ..DistributionRequest::default() }
}

fn run(request: &DistributionRequest) -> Result<Distribution, DistributeError> {
    distribute::distribute(request, issued_at(), fonts(), &mut |_| {}, &AtomicBool::new(false))
}

/// The squeezed (white space removed) start of what each page draws first.
fn drawn_first(pdf: &Pdf, chars: usize) -> Vec<String> {
    pdf.drawn_page_texts().iter().map(|t| t.chars().filter(|c| !c.is_whitespace()).take(chars).collect()).collect()
}

fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

#[test]
fn three_named_copies_carry_their_line_on_every_page_and_a_log_whose_hashes_match() {
    let (library, pack_dir) = library("TLP:AMBER");
    let mut seen = Vec::new();
    let distribution = distribute::distribute(&request(&pack_dir), issued_at(), fonts(), &mut |p| seen.push((p.done, p.total)), &AtomicBool::new(false)).unwrap();
    assert_eq!(seen, [(1, 3), (2, 3), (3, 3)], "progress after each copy");
    assert_eq!(distribution.folder, pack_dir.join("out/distribution-2025-10-20"));
    assert!(!distribution.watermarked, "TLP:AMBER is not watermarked unless asked");
    let mut names: Vec<String> = fs::read_dir(&distribution.folder).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    assert_eq!(
        names,
        [
            "q4-board-board-briefing-copy-01-jane-smith.pdf",
            "q4-board-board-briefing-copy-02-ravi-patel.pdf",
            "q4-board-board-briefing-copy-03-aoife-o-brien.pdf"
        ]
    );
    let log = DistributionLog::read(&pack_dir).unwrap();
    assert_eq!(log.entries.len(), 3);
    let mut ids = std::collections::BTreeSet::new();
    for (copy, name) in distribution.copies.iter().zip(BOARD) {
        assert_eq!(copy.outcome, CopyOutcome::Issued);
        let bytes = fs::read(&copy.file).unwrap();
        let pdf = Pdf::parse(&bytes);
        pdf.poppler_verdict().unwrap();
        let line = format!("Copy {} of 3 · Issued to {name} · 20 Oct 2025", copy.number);
        for (page, text) in pdf.page_texts().iter().enumerate() {
            assert!(text.contains(&line), "page {} of {name}'s copy lacks {line:?}:\n{text}", page + 1);
        }
        let info = pdf.info();
        assert_eq!(info.get("BriefpackRecipient").map(String::as_str), Some(name));
        assert_eq!(info.get("BriefpackCopy"), Some(&format!("{} of 3", copy.number)));
        assert_eq!(info.get("BriefpackCopyID"), Some(&copy.copy_id));
        assert!(ids.insert(document_id(&pdf)), "each copy has its own document ID");
        let entry = &log.entries[copy.number - 1];
        assert_eq!((entry.copy, entry.of, entry.recipient.as_str()), (copy.number, 3, name));
        assert_eq!(entry.sha256, distribute::sha256_hex(&bytes), "the log's hash is the file's");
        assert_eq!(pack_dir.join(&entry.file), copy.file);
        assert_eq!(entry.issued_at, issued_at());
        let trace = distribute::trace(&bytes, library.path()).unwrap();
        assert_eq!(trace.by, Some(TracedBy::Hash));
        assert_eq!(trace.matches.len(), 1);
        assert_eq!(trace.matches[0].entry.recipient, name);
        assert_eq!(trace.matches[0].pack_dir, pack_dir);
    }
}

fn document_id(pdf: &Pdf) -> Vec<u8> {
    let id = pdf.doc.trailer.get(b"ID").unwrap().as_array().unwrap();
    id[0].as_str().unwrap().to_vec()
}

#[test]
fn a_copy_rewritten_by_qpdf_is_traced_by_its_identifier_and_one_printed_again_by_its_line() {
    let (library, pack_dir) = library("TLP:AMBER");
    let distribution = run(&request(&pack_dir)).unwrap();
    let work = tempfile::tempdir().unwrap();
    for (copy, name) in distribution.copies.iter().zip(BOARD) {
        let rewritten = work.path().join(format!("qpdf-{}.pdf", copy.number));
        let status = Command::new("qpdf")
            .args(["--object-streams=generate", "--compress-streams=y", "--recompress-flate"])
            .arg(&copy.file)
            .arg(&rewritten)
            .status()
            .expect("qpdf must be installed: run `make deps`");
        assert!(status.success());
        let bytes = fs::read(&rewritten).unwrap();
        assert_ne!(distribute::sha256_hex(&bytes), copy.sha256, "qpdf changed the bytes");
        let trace = distribute::trace(&bytes, library.path()).unwrap();
        assert_eq!(trace.by, Some(TracedBy::CopyIdentifier), "{name}");
        assert_eq!(trace.matches.iter().map(|m| m.entry.recipient.as_str()).collect::<Vec<_>>(), [name]);

        // Printed to PDF again: new fonts, no metadata, only the text survives.
        let reprinted = work.path().join(format!("reprinted-{}.pdf", copy.number));
        let status = Command::new("pdftocairo").arg("-pdf").arg(&copy.file).arg(&reprinted).status().expect("pdftocairo (poppler-utils) must be installed");
        assert!(status.success());
        let bytes = fs::read(&reprinted).unwrap();
        assert!(!Pdf::parse(&bytes).info().contains_key("BriefpackCopyID"), "the reprint should have lost the metadata");
        let trace = distribute::trace(&bytes, library.path()).unwrap();
        assert_eq!(trace.by, Some(TracedBy::PrintedLine), "{name}");
        assert_eq!(trace.matches.iter().map(|m| (m.entry.copy, m.entry.recipient.as_str())).collect::<Vec<_>>(), [(copy.number, name)]);
    }
}

#[test]
fn a_file_that_matches_nothing_says_so() {
    let (library, pack_dir) = library("TLP:AMBER");
    run(&request(&pack_dir)).unwrap();
    let plain = briefpack::render::pack_to_pdf(&pack_dir, None, None, fonts()).unwrap();
    let trace = distribute::trace(&plain.output.pdf, library.path()).unwrap();
    assert_eq!((trace.by, trace.matches.len(), trace.logs_searched), (None, 0, 1));
    let trace = distribute::trace(b"not a PDF at all", library.path()).unwrap();
    assert_eq!(trace.by, None);
}

#[test]
fn red_and_amber_strict_packs_need_named_recipients_and_say_so() {
    for marking in ["TLP:RED", "TLP:AMBER+STRICT"] {
        let (_library, pack_dir) = library(marking);
        let err = run(&DistributionRequest { list: None, ..request(&pack_dir) }).unwrap_err();
        assert!(matches!(err, DistributeError::NoRecipients { .. }), "{err}");
        assert!(err.to_string().contains(&format!("a {marking} pack may be distributed only to people named one by one")), "{err}");
        assert!(!pack_dir.join("out").exists() && !pack_dir.join(distribute::LOG_FILE).exists(), "nothing is written");
        let warnings = briefpack::check::check(&pack_dir, fonts());
        assert!(warnings.iter().any(|d| !d.is_error() && d.message.contains("names nobody to receive it")), "{warnings:#?}");
        // Named, it goes out.
        assert_eq!(run(&request(&pack_dir)).unwrap().copies.len(), 3);
    }
    let (_library, pack_dir) = library("TLP:AMBER");
    let err = run(&DistributionRequest { list: None, ..request(&pack_dir) }).unwrap_err();
    assert!(err.to_string().contains("the pack names nobody to issue copies to"), "{err}");
}

#[test]
fn the_watermark_follows_the_marking_unless_the_pack_says_otherwise() {
    for (marking, watermark, expected) in [
        ("TLP:RED", None, true),
        ("TLP:AMBER+STRICT", None, true),
        ("SECRET", None, true),
        ("TLP:AMBER", None, false),
        ("OFFICIAL", None, false),
        ("TLP:AMBER", Some("true"), true),
        ("TLP:RED", Some("false"), false),
    ] {
        let (_library, pack_dir) = library(marking);
        if let Some(value) = watermark {
            set_in_pack(&pack_dir, "watermark", value);
        }
        let distribution = run(&request(&pack_dir)).unwrap();
        assert_eq!(distribution.watermarked, expected, "{marking} with watermark = {watermark:?}");
        for (copy, name) in distribution.copies.iter().zip(BOARD) {
            let pdf = Pdf::parse(&fs::read(&copy.file).unwrap());
            for (page, first) in drawn_first(&pdf, squeezed(name).chars().count()).iter().enumerate() {
                assert_eq!(first == &squeezed(name), expected, "{marking}: page {} of {name}'s copy starts with {first:?}", page + 1);
            }
        }
    }
}

#[test]
fn the_cover_states_the_sharing_rule_and_a_uk_pack_its_handling_line() {
    let (_library, pack_dir) = library("TLP:AMBER");
    let cover = |pack_dir: &Path| Pdf::parse(&briefpack::render::pack_to_pdf(pack_dir, None, None, fonts()).unwrap().output.pdf).page_texts()[0].clone();
    let text = squeezed(&cover(&pack_dir));
    assert!(text.contains(&squeezed("recipients may share this only with people in their own organisation, and its clients, who need to know it")), "{text}");
    let (_library, pack_dir) = library("OFFICIAL-SENSITIVE");
    set_in_pack(&pack_dir, "handling", "\"UK EYES ONLY: not for onward sharing outside the board\"");
    let text = squeezed(&cover(&pack_dir));
    assert!(text.contains(&squeezed("UK EYES ONLY: not for onward sharing outside the board")), "{text}");
    assert!(!text.contains("recipientsmayshare"), "UK classifications have no TLP sharing rule: {text}");
}

#[test]
fn the_same_copy_is_the_same_bytes_and_a_rerun_leaves_issued_copies_alone() {
    let (_library, pack_dir) = library("TLP:RED");
    let first = run(&request(&pack_dir)).unwrap();
    let first_bytes: Vec<Vec<u8>> = first.copies.iter().map(|c| fs::read(&c.file).unwrap()).collect();
    let elsewhere = tempfile::tempdir().unwrap();
    let again = run(&DistributionRequest { output_dir: Some(elsewhere.path().to_path_buf()), ..request(&pack_dir) }).unwrap();
    for (copy, bytes) in again.copies.iter().zip(&first_bytes) {
        assert_eq!(&fs::read(&copy.file).unwrap(), bytes, "copy {} differs between two runs", copy.number);
        assert_eq!(copy.outcome, CopyOutcome::Issued, "a new folder is a new file");
    }
    let rerun = run(&request(&pack_dir)).unwrap();
    assert!(rerun.copies.iter().all(|c| c.outcome == CopyOutcome::AlreadyIssued), "{:?}", rerun.copies);
    assert_eq!(DistributionLog::read(&pack_dir).unwrap().entries.len(), 6, "three copies in each of two folders");
    let later = run(&DistributionRequest { issue_date: NaiveDate::from_ymd_opt(2025, 11, 3), ..request(&pack_dir) }).unwrap();
    assert_eq!(later.folder, pack_dir.join("out/distribution-2025-11-03"));
    let text = Pdf::parse(&fs::read(&later.copies[0].file).unwrap()).page_texts().concat();
    assert!(text.contains("Copy 1 of 3 · Issued to Jane Smith · 3 Nov 2025"), "{text}");
}

#[test]
fn an_interrupted_distribution_is_finished_by_running_it_again() {
    let (_library, pack_dir) = library("TLP:AMBER");
    // Stopped by the caller after the first copy.
    let cancel = AtomicBool::new(false);
    let err = distribute::distribute(&request(&pack_dir), issued_at(), fonts(), &mut |_| cancel.store(true, Ordering::Relaxed), &cancel).unwrap_err();
    assert!(matches!(err, DistributeError::Cancelled { issued: 1, total: 3 }), "{err}");
    assert_eq!(DistributionLog::read(&pack_dir).unwrap().entries.len(), 1);
    // A file written but not logged (a crash between the two), as a kill would leave it.
    let whole = run(&DistributionRequest { output_dir: Some(pack_dir.join("elsewhere")), ..request(&pack_dir) }).unwrap();
    let folder = pack_dir.join("out/distribution-2025-10-20");
    fs::copy(&whole.copies[1].file, folder.join(whole.copies[1].file.file_name().unwrap())).unwrap();
    let finished = run(&request(&pack_dir)).unwrap();
    let outcomes: Vec<CopyOutcome> = finished.copies.iter().map(|c| c.outcome).collect();
    assert_eq!(outcomes, [CopyOutcome::AlreadyIssued, CopyOutcome::Logged, CopyOutcome::Issued]);
    let log = DistributionLog::read(&pack_dir).unwrap();
    let here: Vec<_> = log.entries.iter().filter(|e| e.file.starts_with("out/")).collect();
    assert_eq!(here.iter().map(|e| e.copy).collect::<Vec<_>>(), [1, 2, 3], "each copy logged once");
    for entry in here {
        assert_eq!(distribute::sha256_hex(&fs::read(pack_dir.join(&entry.file)).unwrap()), entry.sha256);
    }
}

#[test]
fn recipients_in_pack_toml_are_validated_with_their_place() {
    let (_library, pack_dir) = library("TLP:AMBER");
    let path = pack_dir.join("pack.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(
        &path,
        format!("{text}\n[[recipients]]\nname = \"Sam Lee\"\n\n[[recipients]]\nname = \"\"\n\n[[recipients]]\nname = \"sam  lee\"\nemail = \"sam\"\n"),
    )
    .unwrap();
    let lines = text.lines().count();
    let Err(PackError::Invalid { diagnostics }) = pack::load(&pack_dir) else { panic!("the pack should not load") };
    let found: Vec<(usize, &str, bool)> = diagnostics.iter().map(|d| (d.line, d.field.as_deref().unwrap_or(""), d.is_error())).collect();
    assert_eq!(
        found,
        [(lines + 6, "recipients[2].name", true), (lines + 9, "recipients[3].name", true), (lines + 10, "recipients[3].email", false)],
        "{diagnostics:#?}"
    );
    assert!(diagnostics[1].message.contains("“sam  lee” is listed twice"), "{}", diagnostics[1].message);
}

#[test]
fn a_pack_names_a_library_list_and_adds_its_own_people() {
    let (_library, pack_dir) = library("TLP:RED");
    set_in_pack(&pack_dir, "distribution", "\"board\"");
    let path = pack_dir.join("pack.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\n[[recipients]]\nname = \"Company Secretary\"\n")).unwrap();
    let distribution = run(&DistributionRequest { list: None, ..request(&pack_dir) }).unwrap();
    let names: Vec<&str> = distribution.copies.iter().map(|c| c.recipient.name.as_str()).collect();
    assert_eq!(names, ["Jane Smith", "Ravi Patel", "Aoife O’Brien", "Company Secretary"]);
    // The same person on the list and in the pack is one copy too many.
    fs::write(&path, format!("{text}\n[[recipients]]\nname = \"Jane Smith\"\n")).unwrap();
    let err = run(&DistributionRequest { list: None, ..request(&pack_dir) }).unwrap_err();
    assert!(err.to_string().contains("“Jane Smith” is already on the distribution list “board”"), "{err}");
    // A list that is not there is named, in check too.
    set_in_pack(&pack_dir, "distribution", "\"directors\"");
    let problems = briefpack::check::check(&pack_dir, fonts());
    let missing = problems.iter().find(|d| d.is_error() && d.field.as_deref() == Some("distribution")).unwrap_or_else(|| panic!("{problems:#?}"));
    assert!(missing.message.contains("no distribution list “directors”"), "{}", missing.message);
}

#[test]
fn a_duplicated_pack_has_issued_nothing() {
    let (library, pack_dir) = library("TLP:AMBER");
    run(&request(&pack_dir)).unwrap();
    let copy = library.path().join("copy");
    pack::store::copy_pack(&pack_dir, &copy).unwrap();
    assert!(copy.join("pack.toml").is_file());
    assert!(!copy.join(distribute::LOG_FILE).exists() && !copy.join("out").exists(), "the duplicate would claim the original's copies");
}

#[test]
fn a_library_lists_its_distribution_lists_by_name() {
    let (library, _pack_dir) = library("TLP:AMBER");
    let lists = library.path().join("lists");
    fs::write(lists.join("Audit committee.toml"), "[[recipients]]\nname = \"Sam Lee\"\n").unwrap();
    // Not lists: another kind of file, a name no list can have, a folder, a temporary file.
    fs::write(lists.join("notes.txt"), "").unwrap();
    fs::write(lists.join("bad.name.toml"), "").unwrap();
    fs::create_dir(lists.join("old.toml")).unwrap();
    fs::write(lists.join(".board.toml.123-1.tmp"), "").unwrap();
    assert_eq!(pack::list_names(library.path()), ["Audit committee", "board"]);
    let empty = tempfile::tempdir().unwrap();
    assert!(pack::list_names(empty.path()).is_empty(), "a library without lists/ has none");
}

#[test]
fn a_plan_names_who_would_receive_a_copy_without_writing_anything() {
    let (_library, pack_dir) = library("TLP:RED");
    let plan = distribute::plan(&request(&pack_dir)).unwrap();
    let names: Vec<&str> = plan.recipients.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, BOARD);
    assert_eq!((plan.template.as_str(), plan.edition.as_deref()), ("board-briefing", None));
    assert!(plan.watermarked, "TLP:RED copies carry a watermark");
    assert_eq!(plan.issue_date, NaiveDate::from_ymd_opt(2025, 10, 20).unwrap());
    assert_eq!(plan.folder, pack_dir.join("out/distribution-2025-10-20"));
    // Another template and edition, as distribute would use them.
    let handout = distribute::plan(&DistributionRequest { template: Some("training-handout".into()), edition: Some("facilitator".into()), ..request(&pack_dir) }).unwrap();
    assert_eq!((handout.template.as_str(), handout.edition.as_deref()), ("training-handout", Some("facilitator")));
    // The plan refuses what distribute refuses, with the same words.
    let err = distribute::plan(&DistributionRequest { list: None, ..request(&pack_dir) }).unwrap_err();
    assert!(matches!(err, DistributeError::NoRecipients { .. }), "{err}");
    assert!(err.to_string().contains("a TLP:RED pack may be distributed only to people named one by one"), "{err}");
    let err = distribute::plan(&DistributionRequest { list: Some("directors".into()), ..request(&pack_dir) }).unwrap_err();
    assert!(err.to_string().contains("no distribution list “directors”"), "{err}");
    assert!(!pack_dir.join("out").exists() && !pack_dir.join(distribute::LOG_FILE).exists(), "a plan writes nothing");
    // The pack's own recipients, when no list is chosen.
    let path = pack_dir.join("pack.toml");
    let text = fs::read_to_string(&path).unwrap();
    fs::write(&path, format!("{text}\n[[recipients]]\nname = \"Company Secretary\"\n")).unwrap();
    let own = distribute::plan(&DistributionRequest { list: None, ..request(&pack_dir) }).unwrap();
    assert_eq!(own.recipients.len(), 1);
    assert_eq!(own.recipients[0].name, "Company Secretary");
}

#[test]
fn a_found_file_is_read_as_a_regular_file_before_it_is_traced() {
    let (library, pack_dir) = library("TLP:AMBER");
    let distribution = run(&request(&pack_dir)).unwrap();
    let trace = distribute::trace_file(&distribution.copies[1].file, library.path()).unwrap();
    assert_eq!(trace.matches[0].entry.recipient, "Ravi Patel");
    let err = distribute::trace_file(&pack_dir, library.path()).unwrap_err();
    assert!(err.to_string().contains("not a file"), "{err}");
    let err = distribute::trace_file(&library.path().join("missing.pdf"), library.path()).unwrap_err();
    assert!(err.to_string().contains("missing.pdf"), "{err}");
}

#[test]
fn a_save_that_only_changes_the_recipients_writes_them() {
    // Found by the app's end-to-end test: the editor's save compared pack.toml without its recipients.
    let (_library, pack_dir) = library("TLP:AMBER");
    let mut document: pack::store::PackDocument = pack::load(&pack_dir).unwrap().pack.into();
    document.recipients.push(pack::Recipient { name: "Jane Smith".into(), role: Some("Chair".into()), organisation: None, email: None });
    let revision = pack::store::revision(&pack_dir).unwrap();
    pack::store::save_pack_if_unchanged(&pack_dir, &document.into(), &revision).unwrap();
    let text = fs::read_to_string(pack_dir.join("pack.toml")).unwrap();
    assert!(text.contains("[[recipients]]\nname = \"Jane Smith\"\nrole = \"Chair\"\n"), "{text}");
    assert_eq!(pack::load(&pack_dir).unwrap().pack.recipients.len(), 1);
}
