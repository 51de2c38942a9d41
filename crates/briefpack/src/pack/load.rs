//! Reading a pack folder: `pack.toml` and `articles/*.md`, every problem
//! reported with its file, line, column and field.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::model::{Article, ArticleMeta, Pack, PackMeta, FORMAT_VERSION};
use crate::toml_source::{self, FieldSpans};
use super::validate;
use super::PackError;
use crate::diagnostic::{Diagnostic, Severity, SourceText};

/// The pack's metadata file inside a pack folder.
pub const PACK_FILE: &str = "pack.toml";
/// The folder of articles inside a pack folder.
pub const ARTICLES_DIR: &str = "articles";
/// Pack files and articles larger than this are refused: 4 MB of Markdown is a
/// book of over a thousand pages, far past any briefing, and refusing keeps
/// every build bounded in time and memory.
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// A pack that loaded without errors, with the warnings found on the way.
#[derive(Debug, Clone)]
pub struct LoadedPack {
    /// The pack.
    pub pack: Pack,
    /// Problems that do not stop a build (stale or unsourced figures, …).
    pub warnings: Vec<Diagnostic>,
}

/// A parsed file with the positions of its fields, kept for cross-checks.
pub(crate) struct Located {
    pub(crate) source: SourceText,
    pub(crate) spans: FieldSpans,
}

impl Located {
    /// A diagnostic at the value of `path`, or at its key, or at the start of the file.
    pub(crate) fn at(&self, severity: Severity, path: &str, message: impl Into<String>) -> Diagnostic {
        // A field that is absent is reported where its table is.
        let mut probe = path;
        let span = loop {
            if let Some(span) = self.spans.value(probe).or_else(|| self.spans.key(probe)) {
                break span;
            }
            match probe.rfind(['.', '[']) {
                Some(cut) => probe = &probe[..cut],
                None => break 0..0,
            }
        };
        self.source.diagnostic(severity, span, Some(path.to_string()), message)
    }
}

/// Loads and validates the pack in `dir`.
///
/// Returns the pack and its warnings, or every error found (with the
/// warnings too, so a person fixing the file sees everything at once).
pub fn load(dir: &Path) -> Result<LoadedPack, PackError> {
    let mut diagnostics = Vec::new();
    let parsed = read_pack_file(dir, &mut diagnostics)?;
    let articles_before = diagnostics.len();
    let (articles, article_files) = load_articles(dir, &mut diagnostics);
    assemble(parsed, articles, article_files, diagnostics, articles_before)
}

/// [`load`] for text already in memory: `pack_toml` and `(id, text)` article
/// files, reported as if they were in `dir`. Nothing is read from disk.
pub fn load_from_texts(dir: &Path, pack_toml: &str, articles: &[(String, String)]) -> Result<LoadedPack, PackError> {
    let mut diagnostics = Vec::new();
    let source = SourceText::new(dir.join(PACK_FILE), pack_toml);
    let parsed = parse_pack(&source, &mut diagnostics).map(|(pack, spans)| (pack, Located { source, spans }));
    let articles_before = diagnostics.len();
    let mut parsed_articles = BTreeMap::new();
    let mut files = BTreeMap::new();
    for (id, text) in articles {
        match parse_article(&display_path(dir, &format!("{ARTICLES_DIR}/{id}.md")), text) {
            Ok((article, located)) => {
                parsed_articles.insert(id.clone(), article);
                files.insert(id.clone(), located);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    assemble(parsed, parsed_articles, files, diagnostics, articles_before)
}

/// Joins the parsed parts, runs the cross-checks and sorts the diagnostics.
fn assemble(
    parsed: Option<(Pack, Located)>,
    articles: BTreeMap<String, Article>,
    article_files: BTreeMap<String, Located>,
    mut diagnostics: Vec<Diagnostic>,
    articles_before: usize,
) -> Result<LoadedPack, PackError> {
    // Articles that exist but failed to parse are not "missing" in the cross-checks.
    let unreadable: Vec<String> = diagnostics[articles_before..]
        .iter()
        .filter_map(|d| d.file.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect();
    let Some((mut pack, pack_file)) = parsed else {
        crate::diagnostic::sort_by_position(&mut diagnostics);
        return Err(PackError::Invalid { diagnostics });
    };
    pack.articles = articles;
    diagnostics.extend(validate::validate(&pack, &pack_file, &article_files, &unreadable));
    crate::diagnostic::sort_by_position(&mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Err(PackError::Invalid { diagnostics });
    }
    Ok(LoadedPack { pack, warnings: diagnostics })
}

/// Reads and parses `dir/pack.toml` alone (no articles, no cross-checks).
/// Problems go to `diagnostics`; `Ok(None)` means the file has errors.
pub(crate) fn read_pack_file(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> Result<Option<(Pack, Located)>, PackError> {
    let pack_path = dir.join(PACK_FILE);
    if !inside_pack(dir, &pack_path) && pack_path.exists() {
        diagnostics.push(
            Diagnostic::file_error(&pack_path, "pack.toml is a link to a file outside the pack folder, which Briefpack does not follow")
                .with_hint("copy the file into the pack folder instead of linking to it"),
        );
        return Ok(None);
    }
    let text = match read_text(&pack_path) {
        Ok(text) => text,
        Err(ReadError::Missing) => return Err(PackError::NotAPack { dir: dir.to_path_buf() }),
        Err(ReadError::Problem(d)) => {
            diagnostics.push(d);
            return Ok(None);
        }
    };
    let source = SourceText::new(pack_path, text);
    Ok(parse_pack(&source, diagnostics).map(|(pack, spans)| (pack, Located { source, spans })))
}

/// A diagnostic about field `path` of `dir/pack.toml` (`statistics[2].as_of`), at
/// its line and column; at the file when the file or field cannot be found.
/// For problems found after loading (by building the pack, say).
pub fn diagnostic_at(dir: &Path, severity: Severity, path: &str, message: impl Into<String>) -> Diagnostic {
    let message = message.into();
    match read_pack_file(dir, &mut Vec::new()) {
        Ok(Some((_, located))) => located.at(severity, path, message),
        _ => Diagnostic { severity, field: Some(path.to_string()), ..Diagnostic::file_error(dir.join(PACK_FILE), message) },
    }
}

/// Where the fields are in a pack's files (pack.toml and each article's front
/// matter), read once, for problems found after loading (by the editorial
/// checks, say): each is reported at its field, or at the words it is about.
pub struct FieldLocator {
    dir: PathBuf,
    pack: Option<Located>,
    articles: BTreeMap<String, Located>,
    /// Each article's body and the line it starts on.
    bodies: BTreeMap<String, (usize, String)>,
}

impl FieldLocator {
    /// Reads the pack in `dir` for locating; files that cannot be read locate at the file.
    pub fn read(dir: &Path) -> Self {
        let pack = read_pack_file(dir, &mut Vec::new()).ok().flatten().map(|(_, located)| located);
        let (loaded, articles) = load_articles(dir, &mut Vec::new());
        let bodies = loaded
            .into_iter()
            .filter_map(|(id, article)| {
                // Line 1 opens the front matter, its lines follow, then the closing line.
                let front_lines = articles.get(&id)?.source.text().lines().count();
                Some((id, (front_lines + 3, article.body)))
            })
            .collect();
        FieldLocator { dir: dir.to_path_buf(), pack, articles, bodies }
    }

    /// A diagnostic about field `path` of `article` (its front matter) or, for `None`, of pack.toml.
    pub fn at(&self, article: Option<&str>, severity: Severity, path: &str, message: impl Into<String>) -> Diagnostic {
        self.at_words(article, severity, path, "", message)
    }

    /// [`FieldLocator::at`], placed at the first place inside the field's value
    /// where `words` (a sentence's opening, a figure) are written, when they can
    /// be found there: a long bottom line's problem points at its sentence.
    pub fn at_words(&self, article: Option<&str>, severity: Severity, path: &str, words: &str, message: impl Into<String>) -> Diagnostic {
        let located = match article {
            Some(id) => self.articles.get(id),
            None => self.pack.as_ref(),
        };
        let Some(located) = located else {
            let file = match article {
                Some(id) => display_path(&self.dir, &format!("{ARTICLES_DIR}/{id}.md")),
                None => self.dir.join(PACK_FILE),
            };
            return Diagnostic { severity, field: Some(path.to_string()), ..Diagnostic::file_error(file, message) };
        };
        let mut d = located.at(severity, path, message);
        // An article's body is the Markdown after its front matter, which is all `located` holds.
        if let (Some(id), "body") = (article, path) {
            if let Some((first_line, body)) = self.bodies.get(id) {
                if let Some(offset) = find_words(body, 0..body.len(), words) {
                    d.line = first_line + body[..offset].matches('\n').count();
                    d.column = body[..offset].rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
                }
            }
            return d;
        }
        if let Some(offset) = located.spans.value(path).and_then(|span| find_words(located.source.text(), span, words)) {
            (d.line, d.column) = located.source.position(offset);
        }
        d
    }
}

/// Where `words` start within `span` of `text`: tried with fewer words each
/// time (a TOML line continuation or Markdown emphasis may sit between them).
fn find_words(text: &str, span: std::ops::Range<usize>, words: &str) -> Option<usize> {
    let field = text.get(span.clone())?;
    let words: Vec<&str> = words.split_whitespace().take(6).collect();
    // One common word alone could be anywhere: at least two when there are two.
    let least = words.len().min(2);
    (least.max(1)..=words.len()).rev().find_map(|n| field.find(&words[..n].join(" ")).map(|at| span.start + at))
}

/// `pack.toml` text parsed on its own (no articles, no cross-checks); `None` if it has errors.
pub(crate) fn parse_pack_text(dir: &Path, text: &str) -> Option<Pack> {
    parse_pack(&SourceText::new(dir.join(PACK_FILE), text), &mut Vec::new()).map(|(pack, _)| pack)
}

/// Everything `check` reports for a pack folder: errors and warnings, in file order.
pub fn check(dir: &Path) -> Vec<Diagnostic> {
    match load(dir) {
        Ok(loaded) => loaded.warnings,
        Err(PackError::Invalid { diagnostics }) => diagnostics,
        Err(other) => vec![Diagnostic::file_error(dir, other.to_string())],
    }
}

/// Parses pack.toml (without articles); `None` when an error prevents building a pack.
fn parse_pack(source: &SourceText, diagnostics: &mut Vec<Diagnostic>) -> Option<(Pack, FieldSpans)> {
    let table = match toml_source::parse(source) {
        Ok(table) => table,
        Err(errors) => {
            diagnostics.extend(errors);
            return None;
        }
    };
    let spans = FieldSpans::collect(table.get_ref(), "");
    let located = Located { source: source.clone(), spans };
    if let Err(d) = check_format(table.get_ref(), &located) {
        diagnostics.push(d);
        return None;
    }
    let (table_span, mut table) = (table.span(), table.into_inner());
    let mut failed = false;
    let mut take = |name: &str| -> Vec<Spanned<DeValue<'_>>> {
        let Some((key, value)) = table.remove_entry(name) else { return Vec::new() };
        match value.into_inner() {
            DeValue::Array(items) => items.into_iter().collect(),
            _ => {
                diagnostics.push(
                    source
                        .diagnostic(Severity::Error, key.span(), Some(name.to_string()), format!("`{name}` must be a list of [[{name}]] tables"))
                        .with_hint(format!("write each entry under its own [[{name}]] line")),
                );
                failed = true;
                Vec::new()
            }
        }
    };
    let raw_statistics = take("statistics");
    let raw_links = take("links");
    let raw_sections = take("sections");
    let raw_recommendations = take("recommendations");
    let raw_questions = take("questions");
    let raw_recipients = take("recipients");

    let meta = toml_source::deserialize::<PackMeta>(
        Spanned::new(table_span, DeValue::Table(table)),
        "",
        source,
        &located.spans,
    )
    .map_err(|d| diagnostics.extend(d))
    .ok();
    let statistics = elements(raw_statistics, "statistics", &located, diagnostics);
    let links = elements(raw_links, "links", &located, diagnostics);
    let sections = elements(raw_sections, "sections", &located, diagnostics);
    let recommendations = elements(raw_recommendations, "recommendations", &located, diagnostics);
    let questions = elements(raw_questions, "questions", &located, diagnostics);
    let recipients = elements(raw_recipients, "recipients", &located, diagnostics);
    match (meta, statistics, links, sections, recommendations, questions, recipients) {
        (Some(meta), Some(statistics), Some(links), Some(sections), Some(recommendations), Some(questions), Some(recipients)) if !failed => {
            Some((Pack { meta, statistics, links, sections, recommendations, questions, recipients, articles: BTreeMap::new() }, located.spans))
        }
        _ => None,
    }
}

/// Deserializes each element of an array on its own, so one bad entry does not hide the others.
pub(super) fn elements<T: serde::de::DeserializeOwned>(
    items: Vec<Spanned<DeValue<'_>>>,
    name: &str,
    located: &Located,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Vec<T>> {
    let mut out = Vec::with_capacity(items.len());
    let mut ok = true;
    for (i, item) in items.into_iter().enumerate() {
        let path = format!("{name}[{}]", i + 1);
        if !matches!(item.get_ref(), DeValue::Table(_)) {
            diagnostics.push(located.at(
                Severity::Error,
                &path,
                format!("each entry of `{name}` must be a table of fields, under a [[{name}]] line"),
            ));
            ok = false;
            continue;
        }
        match toml_source::deserialize(item, &path, &located.source, &located.spans) {
            Ok(value) => out.push(value),
            Err(d) => {
                diagnostics.extend(d);
                ok = false;
            }
        }
    }
    ok.then_some(out)
}

fn check_format(table: &DeTable<'_>, file: &Located) -> Result<(), Diagnostic> {
    let Some(value) = table.get("format") else {
        return Err(file
            .source
            .diagnostic(Severity::Error, 0..0, Some("format".into()), "missing `format`: Briefpack cannot tell which version of the pack format this is")
            .with_hint(format!("add `format = {FORMAT_VERSION}` as the first line")));
    };
    let version = value.get_ref().as_integer().and_then(|i| i.as_str().parse::<i64>().ok());
    match version {
        Some(v) if v == i64::from(FORMAT_VERSION) => Ok(()),
        Some(v) if v > i64::from(FORMAT_VERSION) => Err(file
            .at(
                Severity::Error,
                "format",
                format!("this pack was made by a newer Briefpack (pack format {v}); this version reads format {FORMAT_VERSION}"),
            )
            .with_hint("update Briefpack to open it")),
        _ => Err(file
            .at(Severity::Error, "format", format!("`format` must be {FORMAT_VERSION}"))
            .with_hint(format!("write `format = {FORMAT_VERSION}`"))),
    }
}

/// Loads every `articles/*.md`, in file-name order.
fn load_articles(dir: &Path, diagnostics: &mut Vec<Diagnostic>) -> (BTreeMap<String, Article>, BTreeMap<String, Located>) {
    let mut articles = BTreeMap::new();
    let mut files = BTreeMap::new();
    let articles_dir = dir.join(ARTICLES_DIR);
    let entries = match fs::read_dir(&articles_dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return (articles, files),
        Err(e) => {
            diagnostics.push(Diagnostic::file_error(display_path(dir, ARTICLES_DIR), format!("cannot list the articles folder: {e}")));
            return (articles, files);
        }
    };
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "md") && p.is_file())
        .collect();
    paths.sort();
    for path in paths {
        let Some(id) = path.file_stem().and_then(|s| s.to_str()).map(str::to_string) else { continue };
        // Hidden files (an editor's backup, say) are not articles.
        if id.starts_with('.') {
            continue;
        }
        let shown = display_path(dir, &format!("{ARTICLES_DIR}/{id}.md"));
        if let Some(reason) = super::model::article_id_problem(&id) {
            diagnostics.push(Diagnostic::file_error(shown, format!("this file cannot be an article: its name {reason}")).with_hint("rename the file to a plain name, like ransomware-review.md"));
            continue;
        }
        if !inside_pack(dir, &path) {
            diagnostics.push(
                Diagnostic::file_error(shown, "this article is a link to a file outside the pack folder, which Briefpack does not follow")
                    .with_hint("copy the article into the pack's articles folder instead"),
            );
            continue;
        }
        let text = match read_text(&path) {
            Ok(text) => text,
            Err(ReadError::Missing) => continue,
            Err(ReadError::Problem(mut d)) => {
                d.file = shown;
                diagnostics.push(d);
                continue;
            }
        };
        match parse_article(&shown, &text) {
            Ok((article, located)) => {
                articles.insert(id.clone(), article);
                files.insert(id, located);
            }
            Err(errors) => diagnostics.extend(errors),
        }
    }
    (articles, files)
}

/// Whether `path` (a link or not) is a file inside the pack folder `dir`: a
/// pack reads only its own files, so a link to a file elsewhere is refused.
fn inside_pack(dir: &Path, path: &Path) -> bool {
    match (path.canonicalize(), dir.canonicalize()) {
        (Ok(real), Ok(root)) => real.starts_with(root),
        _ => false,
    }
}

/// The fence around an article's front matter.
pub(crate) const FRONT_MATTER_FENCE: &str = "+++";

/// An article's text split at its front matter: everything up to and including
/// the opening `+++` line, the front matter, and the closing `+++` line; the body
/// follows. `None` when the text does not open with front matter that closes.
pub(crate) fn front_matter_parts(text: &str) -> Option<(&str, &str, &str)> {
    let opening = text.strip_prefix('\u{feff}').map_or(0, |_| '\u{feff}'.len_utf8());
    let mut lines = text[opening..].split_inclusive('\n');
    let first = lines.next()?;
    if first.trim_end() != FRONT_MATTER_FENCE {
        return None;
    }
    let front_start = opening + first.len();
    let mut offset = front_start;
    for line in lines {
        if line.trim_end() == FRONT_MATTER_FENCE {
            return Some((&text[..front_start], &text[front_start..offset], &text[offset..offset + line.len()]));
        }
        offset += line.len();
    }
    None
}

/// Splits `+++` front matter from the body and parses both.
pub(crate) fn parse_article(path: &Path, text: &str) -> Result<(Article, Located), Vec<Diagnostic>> {
    let error = |line: usize, message: String, hint: &str| {
        let mut d = Diagnostic::file_error(path, message).with_hint(hint);
        d.line = line;
        d.column = 1;
        vec![d]
    };
    let Some((prefix, front, closing)) = front_matter_parts(text) else {
        let opens = text.trim_start_matches('\u{feff}').lines().next().is_some_and(|l| l.trim_end() == FRONT_MATTER_FENCE);
        return Err(if opens {
            error(1, "the front matter opened on line 1 is never closed".into(), "add a line `+++` after the last front-matter field")
        } else {
            error(
                1,
                "an article must start with front matter between `+++` lines".into(),
                "begin the file with `+++`, a line `title = \"…\"`, then `+++`",
            )
        });
    };
    let source = SourceText::with_line_offset(path, front, 1);
    let table = toml_source::parse(&source)?;
    let spans = FieldSpans::collect(table.get_ref(), "");
    let meta: ArticleMeta = toml_source::deserialize(
        Spanned::new(table.span(), DeValue::Table(table.into_inner())),
        "",
        &source,
        &spans,
    )?;
    let body = text[prefix.len() + front.len() + closing.len()..].to_string();
    Ok((Article { meta, body }, Located { source, spans }))
}

pub(crate) enum ReadError {
    Missing,
    Problem(Diagnostic),
}

/// Reads a UTF-8 text file no larger than [`MAX_FILE_BYTES`].
pub(crate) fn read_text(path: &Path) -> Result<String, ReadError> {
    // Regular files only, never blocking (a named pipe as pack.toml must not hang a build).
    let bytes = match crate::files::read_regular_file(path, MAX_FILE_BYTES) {
        Ok(bytes) => bytes,
        Err(crate::files::ReadError::Io { source, .. }) if source.kind() == io::ErrorKind::NotFound => return Err(ReadError::Missing),
        Err(crate::files::ReadError::TooLarge { bytes, limit, .. }) => {
            return Err(ReadError::Problem(
                Diagnostic::file_error(path, format!("the file is too large for Briefpack to read ({})", crate::files::size_over_limit(bytes, limit)))
                    .with_hint("split it into several articles, or keep only the part the briefing needs"),
            ))
        }
        Err(e) => return Err(ReadError::Problem(Diagnostic::file_error(path, e.to_string()))),
    };
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        let line_start = valid.iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
        let column = String::from_utf8_lossy(&valid[line_start..]).chars().count() + 1;
        let mut d = Diagnostic::file_error(path, "the file is not UTF-8 text")
            .with_hint("save it as UTF-8 (most editors offer this under \"Save as\" or \"Encoding\")");
        d.line = line;
        d.column = column;
        ReadError::Problem(d)
    })
}

/// The path to show for a file in a pack: the pack folder as the user gave it, then the file.
fn display_path(dir: &Path, file: &str) -> PathBuf {
    dir.join(file)
}
