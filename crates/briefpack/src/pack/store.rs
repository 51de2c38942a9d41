//! One pack on disk: creating it, saving it atomically, its revision and its lock.
//!
//! Saving compares each file's content with what is already on disk (as
//! parsed data, not bytes) and writes only files that changed, and within a
//! changed file only the values that changed, so comments, layout and
//! untouched files keep their exact bytes. A save that would leave a pack
//! that does not load is refused before anything is written. Whole-pack
//! operations on a library (listing, trash, copies) are in [`crate::library`].

use std::fs;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use super::load::{self, parse_article, ARTICLES_DIR, FRONT_MATTER_FENCE, PACK_FILE};
use super::marking::Marking;
use super::model::{Article, Pack, PackMeta, Section, SectionKind, DEFAULT_STALENESS_MONTHS, DEFAULT_TEMPLATE, FORMAT_VERSION};
use super::{preserve, PackError, StoreError};
use crate::atomic::{sync_dir, write_atomic};

/// One entry of a library listing.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PackSummary {
    /// The pack's folder.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub dir: PathBuf,
    /// Title, or the folder name when the pack cannot be read.
    pub title: String,
    /// The pack's date, when readable.
    pub date: Option<NaiveDate>,
    /// The pack's marking, when readable.
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub marking: Option<Marking>,
    /// When any of the pack's files last changed, in milliseconds since 1970.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub modified: Option<u64>,
    /// Why the pack cannot be opened, if it cannot.
    pub problem: Option<String>,
}

/// A pack as the app edits it: everything in `pack.toml` plus its articles, by id.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct PackDocument {
    /// Title, audience, date, marking and the other scalar fields.
    pub meta: PackMeta,
    /// Statistics.
    pub statistics: Vec<super::Statistic>,
    /// Guidance links.
    pub links: Vec<super::Link>,
    /// Sections in order.
    pub sections: Vec<Section>,
    /// Recommendations.
    pub recommendations: Vec<super::Recommendation>,
    /// Discussion questions.
    pub questions: Vec<super::Question>,
    /// Who receives a numbered copy (absent from documents made before recipients existed).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<super::Recipient>,
    /// Articles with their ids.
    pub articles: Vec<NamedArticle>,
}

/// An article and its id (its file name in `articles/` without `.md`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct NamedArticle {
    /// The id.
    pub id: String,
    /// The article.
    pub article: Article,
}

impl From<Pack> for PackDocument {
    fn from(p: Pack) -> Self {
        PackDocument {
            meta: p.meta,
            statistics: p.statistics,
            links: p.links,
            sections: p.sections,
            recommendations: p.recommendations,
            questions: p.questions,
            recipients: p.recipients,
            articles: p.articles.into_iter().map(|(id, article)| NamedArticle { id, article }).collect(),
        }
    }
}

impl From<PackDocument> for Pack {
    fn from(d: PackDocument) -> Self {
        Pack {
            meta: d.meta,
            statistics: d.statistics,
            links: d.links,
            sections: d.sections,
            recommendations: d.recommendations,
            questions: d.questions,
            recipients: d.recipients,
            articles: d.articles.into_iter().map(|a| (a.id, a.article)).collect(),
        }
    }
}

/// A fingerprint of a pack's files as they are on disk: it changes whenever any
/// of them changes, so a writer can tell that someone else saved in between.
pub fn revision(dir: &Path) -> Result<String, StoreError> {
    let read = |path: &Path| fs::read(path).map_err(|source| StoreError::Io { path: path.to_path_buf(), source });
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &b in bytes {
            hash = (hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    };
    let pack_path = dir.join(PACK_FILE);
    feed(&read(&pack_path)?);
    let articles = dir.join(ARTICLES_DIR);
    if let Ok(entries) = fs::read_dir(&articles) {
        let mut files: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "md")).collect();
        files.sort();
        for file in files {
            feed(file.file_name().map(|n| n.as_encoded_bytes()).unwrap_or_default());
            feed(&read(&file)?);
        }
    }
    Ok(format!("{hash:016x}"))
}

/// Holds a pack's advisory lock (on its folder) until dropped. Every writer
/// through this module takes it, so two processes saving one pack take turns
/// instead of interleaving their files.
#[derive(Debug)]
pub struct PackLock {
    _folder: fs::File,
}

/// Waits for and takes the lock on the pack folder `dir`.
pub fn lock_pack(dir: &Path) -> Result<PackLock, StoreError> {
    let io_err = |source| StoreError::Io { path: dir.to_path_buf(), source };
    let folder = fs::File::open(dir).map_err(io_err)?;
    folder.lock().map_err(io_err)?;
    Ok(PackLock { _folder: folder })
}

/// Saves like [`save_pack`], but only if the files on disk are still at
/// `expected` (the revision the caller loaded or last saved): a second writer
/// gets [`StoreError::Conflict`] instead of silently overwriting the first.
/// Returns what was written and the new revision.
///
/// This is how an editor saves the pack it holds: the pack is the whole
/// truth, so article files it no longer holds are deleted (after pack.toml
/// stops naming them). That is safe only because the revision matched: every
/// file on disk is one the editor loaded or saved itself.
pub fn save_pack_if_unchanged(dir: &Path, pack: &Pack, expected: &str) -> Result<(SaveReport, String), StoreError> {
    let _lock = lock_pack(dir)?;
    if revision(dir)? != expected {
        return Err(StoreError::Conflict { dir: dir.to_path_buf() });
    }
    let mut report = write_pack(dir, pack)?;
    report.written.extend(remove_absent_articles(dir, pack)?);
    Ok((report, revision(dir)?))
}

/// Saves `pack` as the whole truth over whatever is on disk now (the editor's
/// "keep mine" after a conflict the user has seen): like
/// [`save_pack_if_unchanged`] without the revision check.
pub fn overwrite_pack(dir: &Path, pack: &Pack) -> Result<(SaveReport, String), StoreError> {
    let _lock = lock_pack(dir)?;
    let mut report = write_pack(dir, pack)?;
    report.written.extend(remove_absent_articles(dir, pack)?);
    Ok((report, revision(dir)?))
}

/// Deletes `articles/*.md` files whose article `pack` does not hold; returns them.
fn remove_absent_articles(dir: &Path, pack: &Pack) -> Result<Vec<PathBuf>, StoreError> {
    let articles = dir.join(ARTICLES_DIR);
    let Ok(entries) = fs::read_dir(&articles) else { return Ok(Vec::new()) };
    let mut removed = Vec::new();
    for path in entries.filter_map(Result::ok).map(|e| e.path()) {
        let id = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
        if path.extension().is_some_and(|x| x == "md") && !id.starts_with('.') && !pack.articles.contains_key(id) {
            fs::remove_file(&path).map_err(|source| StoreError::Io { path: path.clone(), source })?;
            crate::atomic::crash_point("article removed");
            removed.push(path);
        }
    }
    if !removed.is_empty() {
        sync_dir(&articles).map_err(|source| StoreError::Io { path: articles, source })?;
    }
    Ok(removed)
}

/// What differs between the pack on disk (`theirs`) and `mine`, one line per
/// field or article, in plain words: what "keep mine" would replace.
pub fn differences(theirs: &Pack, mine: &Pack) -> Vec<String> {
    let mut out = Vec::new();
    if let (Ok(a), Ok(b)) = (toml::Value::try_from(theirs), toml::Value::try_from(mine)) {
        diff_values(&a, &b, "", &mut out);
    }
    for (id, article) in &theirs.articles {
        match mine.articles.get(id) {
            None => out.push(format!("the article “{}” (only on disk; keeping yours removes it)", article.meta.title)),
            Some(m) if m != article => out.push(format!("the article “{}”", article.meta.title)),
            Some(_) => {}
        }
    }
    for (id, article) in &mine.articles {
        if !theirs.articles.contains_key(id) {
            out.push(format!("the article “{}” (only yours)", article.meta.title));
        }
    }
    out
}

fn diff_values(a: &toml::Value, b: &toml::Value, path: &str, out: &mut Vec<String>) {
    match (a, b) {
        (toml::Value::Table(ta), toml::Value::Table(tb)) => {
            let mut keys: Vec<&String> = ta.keys().chain(tb.keys()).collect();
            keys.dedup();
            let mut seen = std::collections::BTreeSet::new();
            for key in keys.into_iter().filter(|k| seen.insert(k.as_str())) {
                let child = if path.is_empty() { key.clone() } else { format!("{path} {key}") };
                match (ta.get(key), tb.get(key)) {
                    (Some(x), Some(y)) => diff_values(x, y, &child, out),
                    (None, None) => {}
                    _ => out.push(plain_path(&child)),
                }
            }
        }
        (toml::Value::Array(xa), toml::Value::Array(xb)) if xa.iter().chain(xb).all(toml::Value::is_table) && xa.len() == xb.len() => {
            for (i, (x, y)) in xa.iter().zip(xb).enumerate() {
                diff_values(x, y, &format!("{path} {}", i + 1), out);
            }
        }
        (x, y) if x != y => out.push(plain_path(path)),
        _ => {}
    }
}

/// `statistics 2 label` → "statistic 2: label"; `title` → "title".
fn plain_path(path: &str) -> String {
    let mut words = path.split(' ');
    let head = words.next().unwrap_or_default();
    let singular = head.strip_suffix('s').filter(|_| ["statistics", "links", "sections", "recommendations", "questions", "recipients"].contains(&head)).unwrap_or(head);
    let rest: Vec<&str> = words.collect();
    match rest.as_slice() {
        [] => head.replace('_', " "),
        [n] if n.parse::<usize>().is_ok() => format!("{singular} {n}"),
        [n, field, ..] if n.parse::<usize>().is_ok() => format!("{singular} {n}: {}", field.replace('_', " ")),
        _ => format!("{} {}", head.replace('_', " "), rest.join(" ").replace('_', " ")),
    }
}

/// Loads the pack in `dir`, lets `change` edit it, and saves the result, all
/// under the pack's lock, so concurrent writers never lose each other's work.
/// With `expected`, refuses with [`StoreError::Conflict`] if the files are no
/// longer at that revision. Returns `change`'s result, what was written and
/// the new revision; nothing is written if `change` fails.
pub fn update_pack<T>(
    dir: &Path,
    expected: Option<&str>,
    change: impl FnOnce(&mut Pack) -> Result<T, StoreError>,
) -> Result<(T, SaveReport, String), StoreError> {
    let _lock = lock_pack(dir)?;
    if expected.is_some_and(|e| revision(dir).is_ok_and(|now| now != e)) {
        return Err(StoreError::Conflict { dir: dir.to_path_buf() });
    }
    let mut pack = load::load(dir)?.pack;
    let result = change(&mut pack)?;
    let report = write_pack(dir, &pack)?;
    Ok((result, report, revision(dir)?))
}

/// The sentence a new pack's bottom line once started with; a summary that
/// still says only this is flagged, as it was never written.
pub const SUMMARY_PROMPT: &str = "What has changed, what it means for us, and what we ask the board to do.";

/// A new pack's content: a title, a date, a cautious marking, no bottom line
/// yet, and `sections` (the template's starting list) in order.
pub fn new_pack(title: &str, date: NaiveDate, sections: &[SectionKind]) -> Pack {
    Pack {
        meta: PackMeta {
            format: FORMAT_VERSION,
            title: title.to_string(),
            subtitle: None,
            audience: None,
            purpose: None,
            date,
            prepared_by: None,
            organisation: None,
            // Cautious by default: widening a marking is a deliberate act.
            marking: Marking::TlpAmber,
            handling: None,
            distribution: None,
            watermark: None,
            template: DEFAULT_TEMPLATE.to_string(),
            edition: None,
            staleness_months: DEFAULT_STALENESS_MONTHS,
            summary: None,
            objectives: Vec::new(),
            editorial: None,
            language: None,
            accessible: None,
            archival: None,
            house: None,
        },
        statistics: Vec::new(),
        links: Vec::new(),
        sections: sections.iter().filter(|k| **k != SectionKind::Article).map(|&kind| Section::new(kind)).collect(),
        recommendations: Vec::new(),
        questions: Vec::new(),
        recipients: Vec::new(),
        articles: Default::default(),
    }
}

/// Creates the pack folder `dir` (which must not exist or be empty) holding `pack`.
pub fn create_pack(dir: &Path, pack: &Pack) -> Result<(), StoreError> {
    let io_err = |source| StoreError::Io { path: dir.to_path_buf(), source };
    if dir.join(PACK_FILE).exists() {
        return Err(StoreError::AlreadyExists { dir: dir.to_path_buf() });
    }
    if let Ok(mut entries) = fs::read_dir(dir) {
        if entries.next().is_some() {
            return Err(StoreError::NotEmpty { dir: dir.to_path_buf() });
        }
    }
    fs::create_dir_all(dir.join(ARTICLES_DIR)).map_err(io_err)?;
    save_pack(dir, pack)?;
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        sync_dir(parent).map_err(io_err)?;
    }
    Ok(())
}

/// What a save wrote.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SaveReport {
    /// Files written because their content changed.
    pub written: Vec<PathBuf>,
}

/// Saves `pack` into `dir` atomically, file by file, under the pack's lock,
/// writing only files whose content differs from what is on disk, and within
/// a file only the values that changed (comments and layout stay). Articles on disk that the pack no longer holds are
/// left alone (deleting is [`delete_article`]'s job).
pub fn save_pack(dir: &Path, pack: &Pack) -> Result<SaveReport, StoreError> {
    let _lock = lock_pack(dir)?;
    write_pack(dir, pack)
}

fn write_pack(dir: &Path, pack: &Pack) -> Result<SaveReport, StoreError> {
    // Every name is checked before anything is written, so a bad one cannot leave half a save.
    for id in pack.articles.keys() {
        check_article_id(id)?;
    }
    let pack_path = dir.join(PACK_FILE);
    let current_pack = fs::read_to_string(&pack_path).ok();
    let pack_text = if pack_toml_matches(dir, current_pack.as_deref(), pack) {
        None
    } else {
        let value = toml_value(pack, PACK_FILE)?;
        Some(current_pack.as_deref().and_then(|c| preserve::update_toml(c, table_of(&value))).map_or_else(|| pretty(&value, PACK_FILE), Ok)?)
    };
    let mut article_texts = Vec::with_capacity(pack.articles.len());
    let mut changed_articles = Vec::new();
    for (id, article) in &pack.articles {
        let path = dir.join(ARTICLES_DIR).join(format!("{id}.md"));
        let current = fs::read_to_string(&path).ok();
        let text = match current {
            Some(text) if article_matches(&path, &text, article) => text,
            current => {
                changed_articles.push((path, article_texts.len()));
                article_to_text(article, current.as_deref())?
            }
        };
        article_texts.push((id.clone(), text));
    }
    // What is about to be written must load: a save never turns a working pack into a broken one.
    let would_be = pack_text.as_deref().or(current_pack.as_deref()).unwrap_or_default();
    load::load_from_texts(dir, would_be, &article_texts)?;

    let mut report = SaveReport::default();
    // Articles first, pack.toml last: pack.toml is what names the articles, so a crash
    // between the two leaves at most an article nothing refers to yet (a warning),
    // never a pack that names a file that is not there.
    if !changed_articles.is_empty() {
        let articles_dir = dir.join(ARTICLES_DIR);
        fs::create_dir_all(&articles_dir).map_err(|source| StoreError::Io { path: articles_dir.clone(), source })?;
    }
    for (path, index) in changed_articles {
        write_atomic(&path, article_texts[index].1.as_bytes()).map_err(|source| StoreError::Io { path: path.clone(), source })?;
        report.written.push(path);
    }
    if let Some(text) = pack_text {
        write_atomic(&pack_path, text.as_bytes()).map_err(|source| StoreError::Io { path: pack_path.clone(), source })?;
        report.written.push(pack_path);
    }
    Ok(report)
}

/// Copies the pack in `from` to the new folder `to`, byte for byte: `pack.toml`,
/// `articles/` and any other files, but not the built PDFs in `out/` nor the
/// distribution log (the copy has issued nothing, and two logs claiming the same
/// copies would make tracing a found file ambiguous).
pub fn copy_pack(from: &Path, to: &Path) -> Result<(), StoreError> {
    if to.exists() {
        return Err(StoreError::AlreadyExists { dir: to.to_path_buf() });
    }
    copy_tree(from, to, &[crate::distribute::LOG_FILE])
}

/// Copies `from` into `to`, leaving out `out/` folders and the files named in `skip` (at the top).
fn copy_tree(from: &Path, to: &Path, skip: &[&str]) -> Result<(), StoreError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| StoreError::Io { path, source }
    };
    fs::create_dir_all(to).map_err(io(to))?;
    for entry in fs::read_dir(from).map_err(io(from))? {
        let entry = entry.map_err(io(from))?;
        let (source, target) = (entry.path(), to.join(entry.file_name()));
        let kind = entry.file_type().map_err(io(&source))?;
        if kind.is_dir() {
            if entry.file_name() != "out" {
                copy_tree(&source, &target, &[])?;
            }
        } else if kind.is_file() && !skip.iter().any(|name| entry.file_name() == *name) {
            let bytes = fs::read(&source).map_err(io(&source))?;
            write_atomic(&target, &bytes).map_err(io(&target))?;
        }
    }
    Ok(())
}

/// Removes `articles/<id>.md` from the pack in `dir`.
pub fn delete_article(dir: &Path, id: &str) -> Result<(), StoreError> {
    check_article_id(id)?;
    let path = dir.join(ARTICLES_DIR).join(format!("{id}.md"));
    fs::remove_file(&path).map_err(|source| StoreError::Io { path: path.clone(), source })?;
    sync_dir(&dir.join(ARTICLES_DIR)).map_err(|source| StoreError::Io { path, source })
}

/// Article ids become file names: one plain name inside `articles/` (the loader's rule).
fn check_article_id(id: &str) -> Result<(), StoreError> {
    match super::model::article_id_problem(id) {
        None => Ok(()),
        Some(reason) => Err(StoreError::BadArticleId { id: id.to_string(), reason }),
    }
}

/// `pack.toml` text for `pack`, laid out from scratch (for a new file).
pub fn pack_to_toml(pack: &Pack) -> Result<String, StoreError> {
    pretty(&toml_value(pack, PACK_FILE)?, PACK_FILE)
}

/// The TOML value tree of `value`: dates as TOML dates, whole numbers as integers.
fn toml_value<T: serde::Serialize>(value: &T, what: &str) -> Result<toml::Value, StoreError> {
    let mut tree = toml::Value::try_from(value).map_err(|e| StoreError::Serialize { what: what.into(), message: e.to_string() })?;
    super::date::restore_toml_dates(&mut tree);
    preserve::whole_floats_as_integers(&mut tree);
    Ok(tree)
}

fn table_of(value: &toml::Value) -> &toml::Table {
    static EMPTY: std::sync::OnceLock<toml::Table> = std::sync::OnceLock::new();
    value.as_table().unwrap_or_else(|| EMPTY.get_or_init(toml::Table::new))
}

fn pretty(value: &toml::Value, what: &str) -> Result<String, StoreError> {
    toml::to_string_pretty(value).map_err(|e| StoreError::Serialize { what: what.into(), message: e.to_string() })
}

/// An article file's text: front matter between `+++` lines, then the body.
/// Given the file's `current` text, its front matter is edited in place.
pub fn article_to_text(article: &Article, current: Option<&str>) -> Result<String, StoreError> {
    const WHAT: &str = "article front matter";
    let value = toml_value(&article.meta, WHAT)?;
    if let Some((prefix, front, middle)) = current.and_then(load::front_matter_parts) {
        if let Some(front) = preserve::update_toml(front, table_of(&value)) {
            return Ok(format!("{prefix}{front}{middle}{}", article.body));
        }
    }
    let front = pretty(&value, WHAT)?;
    Ok(format!("{FRONT_MATTER_FENCE}\n{front}{FRONT_MATTER_FENCE}\n{}", article.body))
}

fn pack_toml_matches(dir: &Path, current: Option<&str>, pack: &Pack) -> bool {
    // Compare as data: formatting and comments in the user's file are not changes.
    current.and_then(|text| load::parse_pack_text(dir, text)).is_some_and(|on_disk| same_pack_toml(&on_disk, pack))
}

fn same_pack_toml(a: &Pack, b: &Pack) -> bool {
    a.meta == b.meta
        && a.statistics == b.statistics
        && a.links == b.links
        && a.sections == b.sections
        && a.recommendations == b.recommendations
        && a.questions == b.questions
        && a.recipients == b.recipients
}

fn article_matches(path: &Path, text: &str, article: &Article) -> bool {
    parse_article(path, text).is_ok_and(|(on_disk, _)| &on_disk == article)
}

impl From<PackError> for StoreError {
    fn from(e: PackError) -> Self {
        StoreError::Pack(e)
    }
}
