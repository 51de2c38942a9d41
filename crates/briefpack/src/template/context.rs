//! The minijinja environment a template runs in: the pack as plain data,
//! filters for dates, numbers and plurals, and functions that register special
//! blocks (cover, cards, charts, QR codes, the probability yardstick) and
//! numbered source notes (with the key to Admiralty grades when a note has one).
//!
//! The environment has no loader (templates cannot include files), a fuel
//! limit (no endless loops) and a recursion limit. Undefined values are errors,
//! so a misspelt field is reported at its line rather than printed as nothing.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use super::{escape, Template, TemplateInfo, TemplateOutput};
use crate::house::HouseStyle;
use crate::layout::{Chart, ChartKind, Cover, Embeds, StatCard, Yardstick, YardstickTerm};
use crate::numbers::format_number;
use crate::pack::{Marking, Pack, Purpose, Statistic};
use crate::prose::yardstick::{terms_used, YARDSTICK};

/// Instructions a template may run: generous for any real pack, finite for a loop that never ends.
const FUEL: u64 = 5_000_000;
/// Nesting depth of macros and calls.
const RECURSION_LIMIT: usize = 64;

/// Formats a date as people write it in a briefing: "16 October 2025".
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The state template functions share while a template renders.
#[derive(Default)]
struct Registry {
    /// Source notes (as Markdown) in the order they were first needed; statistics
    /// with the same source, address, date and grade share one note.
    notes: Vec<String>,
    /// Special blocks written so far.
    blocks: usize,
    /// Citations written so far.
    citations: usize,
    embeds: Embeds,
    /// Statistics shown so far, by id.
    shown: BTreeSet<String>,
    /// Whether a source note carries an Admiralty grade (so the notes need the key).
    graded: bool,
}

impl Registry {
    /// The number of the source note for `statistic`.
    fn note(&mut self, statistic: &Statistic) -> u32 {
        self.shown.insert(statistic.id.clone());
        self.graded |= statistic.grade.is_some();
        let text = source_text(statistic);
        let index = self.notes.iter().position(|n| *n == text).unwrap_or_else(|| {
            self.notes.push(text);
            self.notes.len() - 1
        });
        index as u32 + 1
    }

    fn count_block(&mut self) -> Result<(), Error> {
        self.blocks += 1;
        if self.blocks > MAX_BLOCKS {
            return Err(Error::new(
                ErrorKind::InvalidOperation,
                format!("the template wrote more than {MAX_BLOCKS} special blocks (key figures, charts, QR codes, covers); look for a loop that repeats them"),
            ));
        }
        Ok(())
    }
}

/// The most Markdown a template may write for one pack: a thousand pages, far
/// past any briefing, and small enough that laying it out takes seconds.
pub(super) const MAX_OUTPUT_BYTES: usize = 4 * 1024 * 1024;
/// The most special blocks (cards, charts, QR codes, covers) one document may hold.
pub(super) const MAX_BLOCKS: usize = 1_000;
/// The most citations (`cite()`, each a link to the source notes) one document may hold.
pub(super) const MAX_CITATIONS: usize = 2_000;

/// Why a render failed: minijinja's error (with its line), and our own wording when we have one.
pub(super) struct Failure {
    pub(super) error: Error,
    pub(super) message: Option<String>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Failure { error, message: None }
    }
}

pub(super) fn render(template: &Template, pack: &Pack, edition: Option<&str>, house: Option<&HouseStyle>) -> Result<TemplateOutput, Failure> {
    let registry = Arc::new(Mutex::new(Registry::default()));
    let terms_used_by_pack = yardstick_terms_used(pack);
    let statistics: Arc<BTreeMap<String, Statistic>> = Arc::new(pack.statistics.iter().map(|s| (s.id.clone(), s.clone())).collect());
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION_LIMIT);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    // Pack text is printed as text: plain values are escaped on output, and only
    // Markdown fields (made safe in the context) reach the Markdown as written.
    // Output past the size limit stops at the next printed value, so the error
    // names the template line that was printing.
    let written = Arc::new(AtomicUsize::new(0));
    let seen = written.clone();
    env.set_formatter(move |out, state, value| {
        let too_much = |len: usize| seen.load(Ordering::Relaxed) + len > MAX_OUTPUT_BYTES;
        match (value.is_safe(), value.as_str()) {
            (false, Some(text)) => {
                let escaped = escape::markdown_text(text);
                if too_much(escaped.len()) {
                    return Err(Error::new(ErrorKind::InvalidOperation, too_much_output()));
                }
                out.write_str(&escaped).map_err(|_| Error::new(ErrorKind::WriteFailure, "cannot write the output"))
            }
            (true, Some(text)) if too_much(text.len()) => Err(Error::new(ErrorKind::InvalidOperation, too_much_output())),
            _ if too_much(0) => Err(Error::new(ErrorKind::InvalidOperation, too_much_output())),
            _ => minijinja::escape_formatter(out, state, value),
        }
    });
    env.remove_filter("safe");
    env.add_filter("date", date_filter);
    env.add_filter("number", |v: f64| format_number(v));
    env.add_function("plural", |n: i64, one: String, many: String| if n == 1 { one } else { many });
    env.add_filter("demote", |text: Value, level: Option<usize>| Value::from_safe_string(demote(as_markdown(&text), level)));
    env.add_filter("sentence", |text: String| {
        let t = text.trim_end();
        if t.ends_with(['.', '!', '?', ':']) { t.to_string() } else { format!("{t}.") }
    });
    env.add_filter("blockquote", |text: Value| {
        let quoted = as_markdown(&text).lines().map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") }).collect::<Vec<_>>().join("\n");
        Value::from_safe_string(quoted)
    });

    {
        let (registry, statistics) = (registry.clone(), statistics.clone());
        env.add_function("cite", move |stat: Value| -> Result<Value, Error> {
            let id = stat_id(&stat)?;
            let s = statistic(&statistics, &id)?;
            let mut reg = lock(&registry)?;
            reg.citations += 1;
            if reg.citations > MAX_CITATIONS {
                return Err(Error::new(ErrorKind::InvalidOperation, format!("the template cited sources more than {MAX_CITATIONS} times; look for a loop that repeats cite()")));
            }
            let n = reg.note(s);
            Ok(Value::from_safe_string(format!("[\\[{n}\\]](#sources)")))
        });
    }
    {
        let (registry, statistics) = (registry.clone(), statistics.clone());
        env.add_function("stat_cards", move |stats: Value| -> Result<Value, Error> {
            let mut ids = Vec::new();
            let mut reg = lock(&registry)?;
            reg.count_block()?;
            for stat in stats.try_iter()? {
                let id = stat_id(&stat)?;
                let s = statistic(&statistics, &id)?;
                let note = reg.note(s);
                reg.embeds.cards.insert(
                    id.clone(),
                    StatCard {
                        figure: s.display_text(),
                        label: s.label.clone(),
                        period: s.period.clone(),
                        as_of: s.as_of.map(long_date),
                        note: Some(note),
                    },
                );
                ids.push(id);
            }
            Ok(fence("stat-cards", &ids))
        });
    }
    {
        let (registry, statistics) = (registry.clone(), statistics.clone());
        env.add_function("chart", move |stat: Value, kind: Option<String>| -> Result<Value, Error> {
            let id = stat_id(&stat)?;
            let s = statistic(&statistics, &id)?;
            if s.series.is_empty() {
                return Ok(Value::from(""));
            }
            let kind = match kind.as_deref() {
                None | Some("bar") => ChartKind::Bar,
                Some("line") => ChartKind::Line,
                Some(other) => return Err(Error::new(ErrorKind::InvalidOperation, format!("chart kind must be \"bar\" or \"line\", not \"{other}\""))),
            };
            let mut reg = lock(&registry)?;
            reg.count_block()?;
            let note = reg.note(s);
            let same_year = s.series.windows(2).any(|w| w[0].date.format("%Y").to_string() == w[1].date.format("%Y").to_string());
            let points = s
                .series
                .iter()
                .map(|p| (if same_year { p.date.format("%b %Y").to_string() } else { p.date.format("%Y").to_string() }, p.value))
                .collect();
            let source = format!("Source: {} [{note}]", s.source.clone().unwrap_or_else(|| "not given".into()));
            reg.embeds.charts.insert(id.clone(), Chart { title: s.label.clone(), kind, points, source });
            Ok(fence("chart", &[id]))
        });
    }
    {
        let registry = registry.clone();
        env.add_function("qr_codes", move |links: Value| -> Result<Value, Error> {
            let mut urls = Vec::new();
            let mut reg = lock(&registry)?;
            reg.count_block()?;
            for link in links.try_iter()? {
                let url = attr_string(&link, "url")?;
                if url.chars().any(|c| c.is_whitespace() || c == '`') || !url.starts_with("https://") {
                    return Err(Error::new(ErrorKind::InvalidOperation, format!("a QR code needs an https address, not \"{url}\"")));
                }
                let title = attr_string(&link, "title").unwrap_or_default();
                reg.embeds.qr_titles.insert(url.clone(), title);
                urls.push(url);
            }
            Ok(fence("qr", &urls))
        });
    }
    {
        let registry = registry.clone();
        env.add_function("sources", move || -> Result<Value, Error> {
            let reg = lock(&registry)?;
            let list: Vec<SourceNote> = reg
                .notes
                .iter()
                .enumerate()
                .map(|(i, text)| SourceNote { number: i as u32 + 1, text: Value::from_safe_string(text.clone()) })
                .collect();
            Ok(Value::from_serialize(list))
        });
    }
    {
        let registry = registry.clone();
        env.add_function("grade_key", move || -> Result<Value, Error> {
            let graded = lock(&registry)?.graded;
            Ok(Value::from_safe_string(if graded { ADMIRALTY_KEY.to_string() } else { String::new() }))
        });
    }
    {
        let registry = registry.clone();
        let yardstick = yardstick(&terms_used_by_pack);
        env.add_function("yardstick", move || -> Result<Value, Error> {
            let mut reg = lock(&registry)?;
            reg.count_block()?;
            reg.embeds.yardstick = Some(yardstick.clone());
            Ok(fence("yardstick", &[]))
        });
    }
    {
        let registry = registry.clone();
        let mut cover = cover(pack, edition, &template.info);
        cover.brand = house.and_then(HouseStyle::brand);
        env.add_function("cover", move || -> Result<Value, Error> {
            let mut reg = lock(&registry)?;
            reg.count_block()?;
            reg.embeds.cover = Some(cover.clone());
            Ok(fence("cover", &[]))
        });
    }

    env.add_template_owned("template.md", template.source.clone())?;
    let mut output = LimitedOutput { bytes: Vec::new(), written };
    let compiled = env.get_template("template.md")?;
    compiled.render_captured_to(context(pack, edition, &terms_used_by_pack, house), &mut output)?;
    if output.bytes.len() < output.written.load(Ordering::Relaxed) {
        return Err(Failure { error: Error::new(ErrorKind::InvalidOperation, too_much_output()), message: None });
    }
    let markdown = String::from_utf8(output.bytes).map_err(|_| Error::new(ErrorKind::InvalidOperation, "the template wrote text that is not UTF-8"))?;
    let mut reg = lock(&registry)?;
    let reading_minutes = super::reading_minutes(&markdown);
    let mut embeds = std::mem::take(&mut reg.embeds);
    if let Some(cover) = embeds.cover.as_mut().filter(|_| template.info.reading_time) {
        // After the date: when it is, then how long it takes.
        let at = cover.rows.iter().position(|(label, _)| label == "Date").map_or(cover.rows.len(), |i| i + 1);
        let minutes = if reading_minutes == 1 { "About 1 minute".to_string() } else { format!("About {reading_minutes} minutes") };
        cover.rows.insert(at, ("Reading time".to_string(), minutes));
    }
    Ok(TemplateOutput { markdown, embeds, statistics_shown: std::mem::take(&mut reg.shown), reading_minutes })
}

/// The one-line key printed with source notes when a figure carries an Admiralty grade.
const ADMIRALTY_KEY: &str = "*Grades (Admiralty system): source A completely reliable, B usually reliable, C fairly reliable, D not usually reliable, E unreliable, F cannot be judged; information 1 confirmed, 2 probably true, 3 possibly true, 4 doubtful, 5 improbable, 6 cannot be judged.*";

/// The yardstick as the pack uses it: every term, those the pack's own prose uses (`used`) marked.
fn yardstick(used: &[usize]) -> Yardstick {
    let terms = YARDSTICK
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut name = t.name.to_string();
            name[..1].make_ascii_uppercase();
            YardstickTerm { name, range: t.range(), low: f32::from(t.low), high: f32::from(t.high), used: used.contains(&i) }
        })
        .collect();
    let caption = if used.is_empty() {
        "The UK Professional Head of Intelligence Analysis (PHIA) yardstick: each term stands for the range of probability under it.".to_string()
    } else {
        "The UK Professional Head of Intelligence Analysis (PHIA) yardstick: each term stands for the range of probability under it. Terms in bold are used in this pack.".to_string()
    };
    Yardstick { terms, caption }
}

/// The yardstick terms the pack's own prose uses (indices into [`YARDSTICK`]).
fn yardstick_terms_used(pack: &Pack) -> Vec<usize> {
    let mut used: Vec<usize> = pack
        .authored()
        .iter()
        .flat_map(|field| crate::markdown::prose(field.text).into_iter().filter(|p| !p.quoted).flat_map(|p| terms_used(&p.text)).collect::<Vec<_>>())
        .collect();
    used.sort_unstable();
    used.dedup();
    used
}

fn too_much_output() -> String {
    format!("the template wrote more than {} MB of Markdown for this pack; look for a loop that repeats text", MAX_OUTPUT_BYTES / 1024 / 1024)
}

/// The rendered Markdown: counts every byte written, keeps at most [`MAX_OUTPUT_BYTES`].
struct LimitedOutput {
    bytes: Vec<u8>,
    written: Arc<AtomicUsize>,
}

impl std::io::Write for LimitedOutput {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let total = self.written.fetch_add(buf.len(), Ordering::Relaxed) + buf.len();
        if total <= MAX_OUTPUT_BYTES {
            self.bytes.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// A value as Markdown: safe values (Markdown fields, our blocks) as they are,
/// anything else escaped as plain text.
fn as_markdown(value: &Value) -> String {
    match value.as_str() {
        Some(text) if value.is_safe() => text.to_string(),
        Some(text) => escape::markdown_text(text),
        None => escape::markdown_text(&value.to_string()),
    }
}

fn lock(registry: &Mutex<Registry>) -> Result<std::sync::MutexGuard<'_, Registry>, Error> {
    registry.lock().map_err(|_| Error::new(ErrorKind::InvalidOperation, "template state was poisoned"))
}

fn fence(info: &str, lines: &[String]) -> Value {
    let mut out = format!("\n```{info}\n");
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("```\n");
    Value::from_safe_string(out)
}

/// Shifts Markdown headings so the text's top heading level sits just under
/// `level` (an article's `##` or `#` becomes `##` under the pack's `#` section
/// heading); fenced code is left alone.
fn demote(text: String, level: Option<usize>) -> String {
    let heading_level = |line: &str| {
        let hashes = line.len() - line.trim_start_matches('#').len();
        ((1..=6).contains(&hashes) && line[hashes..].starts_with(' ')).then_some(hashes)
    };
    let mut fence: Option<&str> = None;
    let mut top = 6;
    for line in text.lines() {
        let trimmed = line.trim_start();
        match fence {
            Some(open) if trimmed.starts_with(open) => fence = None,
            Some(_) => {}
            None if trimmed.starts_with("```") || trimmed.starts_with("~~~") => fence = Some(&trimmed[..3]),
            None => top = heading_level(line).map_or(top, |l: usize| top.min(l)),
        }
    }
    let wanted = level.unwrap_or(1) + 1;
    let extra = "#".repeat(wanted.saturating_sub(top));
    let mut fence: Option<&str> = None;
    let mut out = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            out.push(line.to_string());
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            out.push(line.to_string());
        } else if heading_level(line).is_some_and(|l| l + extra.len() <= 6) {
            out.push(format!("{extra}{line}"));
        } else {
            out.push(line.to_string());
        }
    }
    out.join("\n")
}

fn date_filter(value: String) -> Result<String, Error> {
    NaiveDate::parse_from_str(&value, "%Y-%m-%d")
        .map(long_date)
        .map_err(|_| Error::new(ErrorKind::InvalidOperation, format!("`date` needs a date like 2025-10-16, not \"{value}\"")))
}

fn attr_string(value: &Value, name: &str) -> Result<String, Error> {
    let attr = value.get_attr(name)?;
    attr.as_str().map(str::to_string).ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("expected a `{name}`")))
}

/// A statistic given as its id or as the statistic itself; ids are written into
/// block bodies, so they must be one plain line.
fn stat_id(value: &Value) -> Result<String, Error> {
    let id = match value.as_str() {
        Some(id) => id.to_string(),
        None => attr_string(value, "id")?,
    };
    if id.is_empty() || id.contains(['\n', '\r', '`']) {
        return Err(Error::new(ErrorKind::InvalidOperation, format!("\"{id}\" cannot name a statistic")));
    }
    Ok(id)
}

fn statistic<'s>(statistics: &'s BTreeMap<String, Statistic>, id: &str) -> Result<&'s Statistic, Error> {
    statistics.get(id).ok_or_else(|| Error::new(ErrorKind::InvalidOperation, format!("the pack has no statistic `{id}`")))
}

/// "MI5 Director General, annual threat update. www.mi5.gov.uk. As of 16 October 2025.", as Markdown.
fn source_text(s: &Statistic) -> String {
    let mut parts = vec![escape::markdown_text(s.source.as_deref().unwrap_or("Source not given"))];
    if let Some(url) = &s.source_url {
        parts.push(format!("<{}>", escape::url(url)));
    }
    parts.push(match s.as_of {
        Some(d) => format!("As of {}", long_date(d)),
        None => "Date not given".into(),
    });
    if let Some(grade) = s.grade {
        parts.push(format!("Graded {grade}"));
    }
    parts.join(". ") + "."
}

#[derive(Serialize)]
struct SourceNote {
    number: u32,
    /// Markdown.
    text: Value,
}

fn purpose_text(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Decision => "For decision",
        Purpose::Discussion => "For discussion",
        Purpose::Noting => "For noting",
    }
}

fn cover(pack: &Pack, edition: Option<&str>, info: &TemplateInfo) -> Cover {
    let m = &pack.meta;
    let mut rows = Vec::new();
    if let Some(a) = &m.audience {
        rows.push(("Audience".to_string(), a.clone()));
    }
    if let Some(p) = m.purpose {
        rows.push(("Purpose".to_string(), purpose_text(p).to_string()));
    }
    rows.push(("Date".to_string(), long_date(m.date)));
    if let Some(p) = &m.prepared_by {
        rows.push(("Prepared by".to_string(), p.clone()));
    }
    if let Some(o) = &m.organisation {
        rows.push(("Organisation".to_string(), o.clone()));
    }
    rows.push(("Marking".to_string(), m.marking.to_string()));
    Cover {
        title: m.title.clone(),
        subtitle: m.subtitle.clone(),
        rows,
        edition: edition.and_then(|e| info.edition_label(e)),
        marking: Some(super::marking_banner(m.marking)),
        handling: m.marking.sharing_rule().map(str::to_string).into_iter().chain(m.handling.clone()).collect(),
        brand: None,
    }
}

// ---- the context: plain data, dates as ISO strings for the `date` filter ----
//
// Plain-text fields are `&str` (escaped when printed); Markdown fields and
// addresses are safe `Value`s (Markdown as written; addresses percent-encoded).

/// A Markdown field, printed as Markdown.
/// `body` marked as written in `language` when that is not the pack's, so that the
/// PDF tags it with its own language (see [`crate::markdown::LANGUAGE_MARK`]).
fn in_language(body: &str, language: Option<&str>, pack_language: Option<&str>) -> String {
    let pack_language = pack_language.unwrap_or(crate::pdf::DEFAULT_LANGUAGE);
    match language {
        Some(tag) if !tag.eq_ignore_ascii_case(pack_language) && crate::pack::language_tag_problem(tag).is_none() => {
            format!("{open}{tag} -->\n\n{body}\n\n{close}\n", open = crate::markdown::LANGUAGE_MARK, close = crate::markdown::LANGUAGE_END)
        }
        _ => body.to_string(),
    }
}

fn markdown(text: &str) -> Value {
    Value::from_safe_string(text.to_string())
}

/// An address, printed so it stays one address inside `(…)` or `<…>`.
fn address(url: &str) -> Value {
    Value::from_safe_string(escape::url(url))
}

#[derive(Serialize)]
struct Context<'a> {
    pack: PackCtx<'a>,
    summary: Option<Value>,
    sections: Vec<SectionCtx<'a>>,
    statistics: Vec<StatCtx<'a>>,
    links: Vec<LinkCtx<'a>>,
    recommendations: Vec<RecommendationCtx<'a>>,
    objectives: &'a [String],
    questions: Vec<QuestionCtx>,
    articles: BTreeMap<&'a str, ArticleCtx<'a>>,
    edition: Option<&'a str>,
    /// The probability yardstick terms the pack's own prose uses ("highly likely"), least likely first.
    yardstick_terms: Vec<&'static str>,
    /// The house style the pack is built in (always there; empty without one).
    house: HouseCtx<'a>,
}

/// The house style as templates see it: `house.organisation`, `house.logo` (its
/// alternative text), `house.font` ("serif" or "sans"); none without a house style.
#[derive(Serialize)]
struct HouseCtx<'a> {
    organisation: Option<&'a str>,
    logo: Option<&'a str>,
    font: &'static str,
}

#[derive(Serialize)]
struct PackCtx<'a> {
    title: &'a str,
    subtitle: Option<&'a str>,
    audience: Option<&'a str>,
    purpose: Option<Purpose>,
    purpose_text: Option<&'static str>,
    date: String,
    prepared_by: Option<&'a str>,
    organisation: Option<&'a str>,
    marking: String,
    template: &'a str,
}

#[derive(Serialize, Clone)]
struct StatCtx<'a> {
    id: &'a str,
    label: &'a str,
    value: f64,
    display: String,
    direction: Option<crate::pack::Direction>,
    period: Option<&'a str>,
    as_of: Option<String>,
    source: Option<&'a str>,
    source_url: Option<Value>,
    grade: Option<String>,
    has_series: bool,
}

/// A guidance link; every field is present (`none` when the pack leaves it out),
/// so a template can test any of them.
#[derive(Serialize, Clone)]
struct LinkCtx<'a> {
    id: &'a str,
    title: &'a str,
    url: Value,
    organisation: Option<&'a str>,
    use_for: Option<&'a str>,
    audience: Option<&'a str>,
}

#[derive(Serialize, Clone)]
struct ArticleCtx<'a> {
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    author: Option<&'a str>,
    published: Option<String>,
    url: Option<Value>,
    retrieved: Option<String>,
    why_it_matters: Option<Value>,
    key_points: &'a [String],
    body: Value,
    /// The opening paragraphs, for extracts.
    extract: Value,
    marking: Option<String>,
}

#[derive(Serialize)]
struct SectionCtx<'a> {
    kind: crate::pack::SectionKind,
    title: Option<&'a str>,
    body: Option<Value>,
    marking: Option<String>,
    edition: Option<&'a str>,
    article: Option<ArticleCtx<'a>>,
    statistics: Vec<StatCtx<'a>>,
    links: Vec<LinkCtx<'a>>,
}

#[derive(Serialize)]
struct RecommendationCtx<'a> {
    number: usize,
    text: Value,
    owner: Option<&'a str>,
    due: Option<String>,
}

#[derive(Serialize)]
struct QuestionCtx {
    number: usize,
    text: Value,
    answer: Option<Value>,
    minutes: Option<u32>,
}

fn context<'a>(pack: &'a Pack, edition: Option<&'a str>, yardstick_terms: &[usize], house: Option<&'a HouseStyle>) -> Context<'a> {
    let m = &pack.meta;
    let stat = |s: &'a Statistic| StatCtx {
        id: &s.id,
        label: &s.label,
        value: s.value,
        display: s.display_text(),
        direction: s.direction,
        period: s.period.as_deref(),
        as_of: s.as_of.map(|d| d.to_string()),
        source: s.source.as_deref(),
        source_url: s.source_url.as_deref().map(address),
        grade: s.grade.map(|g| g.to_string()),
        has_series: !s.series.is_empty(),
    };
    let link = |l: &'a crate::pack::Link| LinkCtx {
        id: &l.id,
        title: &l.title,
        url: address(&l.url),
        organisation: l.organisation.as_deref(),
        use_for: l.use_for.as_deref(),
        audience: l.audience.as_deref(),
    };
    let articles: BTreeMap<&str, ArticleCtx> = pack
        .articles
        .iter()
        .map(|(id, a)| {
            let extract = a.body.split("\n\n").map(str::trim).filter(|p| !p.is_empty() && !p.starts_with('#')).take(2).collect::<Vec<_>>().join("\n\n");
            let ctx = ArticleCtx {
                id,
                title: &a.meta.title,
                source: a.meta.source.as_deref(),
                author: a.meta.author.as_deref(),
                published: a.meta.published.map(|d| d.to_string()),
                url: a.meta.url.as_deref().map(address),
                retrieved: a.meta.retrieved.map(|d| d.to_string()),
                why_it_matters: a.meta.why_it_matters.as_deref().map(markdown),
                key_points: &a.meta.key_points,
                body: markdown(&in_language(&a.body, a.meta.language.as_deref(), pack.meta.language.as_deref())),
                extract: markdown(&extract),
                marking: a.meta.marking.map(|m| m.to_string()),
            };
            (id.as_str(), ctx)
        })
        .collect();
    let sections = pack
        .sections
        .iter()
        .filter(|s| s.edition.is_none() || s.edition.as_deref() == edition)
        .map(|s| SectionCtx {
            kind: s.kind,
            title: s.title.as_deref(),
            body: s.body.as_deref().map(markdown),
            marking: s.marking.map(|m: Marking| m.to_string()),
            edition: s.edition.as_deref(),
            article: s.article.as_deref().and_then(|id| articles.get(id).cloned()),
            statistics: if s.statistics.is_empty() {
                pack.statistics.iter().map(stat).collect()
            } else {
                s.statistics.iter().filter_map(|id| pack.statistics.iter().find(|x| &x.id == id)).map(stat).collect()
            },
            links: if s.links.is_empty() {
                pack.links.iter().map(link).collect()
            } else {
                s.links.iter().filter_map(|id| pack.links.iter().find(|l| &l.id == id)).map(link).collect()
            },
        })
        .collect();
    Context {
        pack: PackCtx {
            title: &m.title,
            subtitle: m.subtitle.as_deref(),
            audience: m.audience.as_deref(),
            purpose: m.purpose,
            purpose_text: m.purpose.map(purpose_text),
            date: m.date.to_string(),
            prepared_by: m.prepared_by.as_deref(),
            organisation: m.organisation.as_deref(),
            marking: m.marking.to_string(),
            template: &m.template,
        },
        summary: m.summary.as_deref().map(markdown),
        sections,
        statistics: pack.statistics.iter().map(stat).collect(),
        links: pack.links.iter().map(link).collect(),
        recommendations: pack
            .recommendations
            .iter()
            .enumerate()
            .map(|(i, r)| RecommendationCtx { number: i + 1, text: markdown(&r.text), owner: r.owner.as_deref(), due: r.due.map(|d| d.to_string()) })
            .collect(),
        objectives: &m.objectives,
        questions: pack
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| QuestionCtx { number: i + 1, text: markdown(&q.text), answer: q.answer.as_deref().map(markdown), minutes: q.minutes })
            .collect(),
        articles,
        edition,
        yardstick_terms: yardstick_terms.iter().map(|&i| YARDSTICK[i].name).collect(),
        house: HouseCtx {
            organisation: house.and_then(|h| h.organisation.as_deref()),
            logo: house.and_then(|h| h.logo.as_ref()).map(|l| l.alt.as_str()),
            font: house.map_or(crate::house::FontFamily::Serif, |h| h.font).as_str(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demote_moves_headings_but_not_code() {
        let text = "# Title\n\ntext\n\n```\n# not a heading\n```\n## Sub\n###### deepest".to_string();
        assert_eq!(demote(text, Some(1)), "## Title\n\ntext\n\n```\n# not a heading\n```\n### Sub\n###### deepest");
        // an article whose top level is ## stays at ## under a # section
        assert_eq!(demote("## Background\n### Detail".to_string(), Some(1)), "## Background\n### Detail");
    }

    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(long_date(NaiveDate::from_ymd_opt(2025, 10, 16).unwrap()), "16 October 2025");
    }
}
