//! The minijinja environment a template runs in: the pack as plain data,
//! filters for dates, numbers and plurals, and functions that register special
//! blocks and numbered source notes.
//!
//! The environment has no loader (templates cannot include files), a fuel
//! limit (no endless loops) and a recursion limit. Undefined values are errors,
//! so a misspelt field is reported at its line rather than printed as nothing.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use minijinja::value::Value;
use minijinja::{Environment, Error, ErrorKind, UndefinedBehavior};
use serde::Serialize;

use super::{Template, TemplateOutput};
use crate::layout::{Chart, ChartKind, Cover, Embeds, StatCard};
use crate::pack::{format_number, Marking, Pack, Purpose, Statistic};

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
    /// Statistic ids in the order their source notes were first needed.
    notes: Vec<String>,
    embeds: Embeds,
}

impl Registry {
    fn note(&mut self, id: &str) -> u32 {
        let index = self.notes.iter().position(|n| n == id).unwrap_or_else(|| {
            self.notes.push(id.to_string());
            self.notes.len() - 1
        });
        index as u32 + 1
    }
}

pub(super) fn render(template: &Template, pack: &Pack, edition: Option<&str>) -> Result<TemplateOutput, Error> {
    let registry = Arc::new(Mutex::new(Registry::default()));
    let statistics: Arc<BTreeMap<String, Statistic>> = Arc::new(pack.statistics.iter().map(|s| (s.id.clone(), s.clone())).collect());
    let mut env = Environment::new();
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION_LIMIT);
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.set_keep_trailing_newline(true);
    env.add_filter("date", date_filter);
    env.add_filter("number", |v: f64| format_number(v));
    env.add_function("plural", |n: i64, one: String, many: String| if n == 1 { one } else { many });
    env.add_filter("demote", demote);
    env.add_filter("sentence", |text: String| {
        let t = text.trim_end();
        if t.ends_with(['.', '!', '?', ':']) { t.to_string() } else { format!("{t}.") }
    });
    env.add_filter("blockquote", |text: String| text.lines().map(|l| if l.is_empty() { ">".to_string() } else { format!("> {l}") }).collect::<Vec<_>>().join("\n"));

    {
        let (registry, statistics) = (registry.clone(), statistics.clone());
        env.add_function("cite", move |stat: Value| -> Result<String, Error> {
            let id = stat_id(&stat)?;
            statistic(&statistics, &id)?;
            let n = lock(&registry)?.note(&id);
            Ok(format!("[\\[{n}\\]](#sources)"))
        });
    }
    {
        let (registry, statistics) = (registry.clone(), statistics.clone());
        env.add_function("stat_cards", move |stats: Value| -> Result<String, Error> {
            let mut ids = Vec::new();
            for stat in stats.try_iter()? {
                let id = stat_id(&stat)?;
                let s = statistic(&statistics, &id)?;
                let mut reg = lock(&registry)?;
                let note = reg.note(&id);
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
        env.add_function("chart", move |stat: Value, kind: Option<String>| -> Result<String, Error> {
            let id = stat_id(&stat)?;
            let s = statistic(&statistics, &id)?;
            if s.series.is_empty() {
                return Ok(String::new());
            }
            let kind = match kind.as_deref() {
                None | Some("bar") => ChartKind::Bar,
                Some("line") => ChartKind::Line,
                Some(other) => return Err(Error::new(ErrorKind::InvalidOperation, format!("chart kind must be \"bar\" or \"line\", not \"{other}\""))),
            };
            let mut reg = lock(&registry)?;
            let note = reg.note(&id);
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
        env.add_function("qr_codes", move |links: Value| -> Result<String, Error> {
            let mut urls = Vec::new();
            for link in links.try_iter()? {
                let url = attr_string(&link, "url")?;
                if url.chars().any(|c| c.is_whitespace() || c == '`') || !url.starts_with("https://") {
                    return Err(Error::new(ErrorKind::InvalidOperation, format!("a QR code needs an https address, not \"{url}\"")));
                }
                let title = attr_string(&link, "title").unwrap_or_default();
                lock(&registry)?.embeds.qr_titles.insert(url.clone(), title);
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
                .filter_map(|(i, id)| statistics.get(id).map(|s| SourceNote { number: i as u32 + 1, id: id.clone(), text: source_text(s) }))
                .collect();
            Ok(Value::from_serialize(list))
        });
    }
    {
        let registry = registry.clone();
        let cover = cover(pack, edition);
        env.add_function("cover", move || -> Result<String, Error> {
            lock(&registry)?.embeds.cover = Some(cover.clone());
            Ok(fence("cover", &[]))
        });
    }

    env.add_template_owned("template.md", template.source.clone())?;
    let markdown = env.get_template("template.md")?.render(context(pack, edition))?;
    let embeds = std::mem::take(&mut lock(&registry)?.embeds);
    Ok(TemplateOutput { markdown, embeds })
}

fn lock(registry: &Mutex<Registry>) -> Result<std::sync::MutexGuard<'_, Registry>, Error> {
    registry.lock().map_err(|_| Error::new(ErrorKind::InvalidOperation, "template state was poisoned"))
}

fn fence(info: &str, lines: &[String]) -> String {
    let mut out = format!("\n```{info}\n");
    for line in lines {
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("```\n");
    out
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

/// "MI5 Director General, annual threat update. www.mi5.gov.uk. As of 16 October 2025."
fn source_text(s: &Statistic) -> String {
    let mut parts = vec![s.source.clone().unwrap_or_else(|| "Source not given".into())];
    if let Some(url) = &s.source_url {
        parts.push(format!("<{url}>"));
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
    id: String,
    text: String,
}

fn purpose_text(purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Decision => "For decision",
        Purpose::Discussion => "For discussion",
        Purpose::Noting => "For noting",
    }
}

/// The label an edition is shown with ("Facilitator edition").
pub fn edition_label(edition: &str) -> String {
    let mut chars = edition.chars();
    let first: String = chars.next().map(|c| c.to_uppercase().collect()).unwrap_or_default();
    format!("{first}{} edition", chars.as_str())
}

fn cover(pack: &Pack, edition: Option<&str>) -> Cover {
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
        edition: edition.filter(|e| *e != "participant").map(edition_label),
        marking: Some(crate::render::marking_banner(m.marking)),
    }
}

// ---- the context: plain data, dates as ISO strings for the `date` filter ----

#[derive(Serialize)]
struct Context<'a> {
    pack: PackCtx<'a>,
    summary: Option<&'a str>,
    sections: Vec<SectionCtx<'a>>,
    statistics: Vec<StatCtx<'a>>,
    links: &'a [crate::pack::Link],
    recommendations: Vec<RecommendationCtx<'a>>,
    objectives: &'a [String],
    questions: Vec<QuestionCtx<'a>>,
    articles: BTreeMap<&'a str, ArticleCtx<'a>>,
    edition: Option<&'a str>,
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
    source_url: Option<&'a str>,
    grade: Option<String>,
    has_series: bool,
}

#[derive(Serialize, Clone)]
struct ArticleCtx<'a> {
    id: &'a str,
    title: &'a str,
    source: Option<&'a str>,
    author: Option<&'a str>,
    published: Option<String>,
    url: Option<&'a str>,
    retrieved: Option<String>,
    why_it_matters: Option<&'a str>,
    key_points: &'a [String],
    body: &'a str,
    /// The opening paragraphs, for extracts.
    extract: String,
}

#[derive(Serialize)]
struct SectionCtx<'a> {
    kind: crate::pack::SectionKind,
    title: Option<&'a str>,
    body: Option<&'a str>,
    marking: Option<String>,
    edition: Option<&'a str>,
    article: Option<ArticleCtx<'a>>,
    statistics: Vec<StatCtx<'a>>,
    links: Vec<&'a crate::pack::Link>,
}

#[derive(Serialize)]
struct RecommendationCtx<'a> {
    number: usize,
    text: &'a str,
    owner: Option<&'a str>,
    due: Option<String>,
}

#[derive(Serialize)]
struct QuestionCtx<'a> {
    number: usize,
    text: &'a str,
    answer: Option<&'a str>,
    minutes: Option<u32>,
}

fn context<'a>(pack: &'a Pack, edition: Option<&'a str>) -> Context<'a> {
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
        source_url: s.source_url.as_deref(),
        grade: s.grade.map(|g| g.to_string()),
        has_series: !s.series.is_empty(),
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
                url: a.meta.url.as_deref(),
                retrieved: a.meta.retrieved.map(|d| d.to_string()),
                why_it_matters: a.meta.why_it_matters.as_deref(),
                key_points: &a.meta.key_points,
                body: &a.body,
                extract,
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
            body: s.body.as_deref(),
            marking: s.marking.map(|m: Marking| m.to_string()),
            edition: s.edition.as_deref(),
            article: s.article.as_deref().and_then(|id| articles.get(id).cloned()),
            statistics: if s.statistics.is_empty() {
                pack.statistics.iter().map(stat).collect()
            } else {
                s.statistics.iter().filter_map(|id| pack.statistics.iter().find(|x| &x.id == id)).map(stat).collect()
            },
            links: if s.links.is_empty() { pack.links.iter().collect() } else { s.links.iter().filter_map(|id| pack.links.iter().find(|l| &l.id == id)).collect() },
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
        summary: m.summary.as_deref(),
        sections,
        statistics: pack.statistics.iter().map(stat).collect(),
        links: &pack.links,
        recommendations: pack
            .recommendations
            .iter()
            .enumerate()
            .map(|(i, r)| RecommendationCtx { number: i + 1, text: &r.text, owner: r.owner.as_deref(), due: r.due.map(|d| d.to_string()) })
            .collect(),
        objectives: &m.objectives,
        questions: pack
            .questions
            .iter()
            .enumerate()
            .map(|(i, q)| QuestionCtx { number: i + 1, text: &q.text, answer: q.answer.as_deref(), minutes: q.minutes })
            .collect(),
        articles,
        edition,
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
        assert_eq!(edition_label("facilitator"), "Facilitator edition");
    }
}
