//! Cross-checks across a loaded pack: references between sections and
//! articles, unique ids, https links, stale or unsourced statistics.
//!
//! Errors make a pack unusable; warnings are shown by `check` and `build` but
//! never stop a build.

use std::collections::{BTreeMap, HashMap};

use chrono::{Months, NaiveDate};

use super::load::Located;
use super::marking::Marking;
use super::model::{Pack, SectionKind};
use crate::diagnostic::{did_you_mean, Diagnostic, Severity};

/// Every cross-file problem in `pack`, located in `pack_file` or the article files.
///
/// `unreadable` names articles whose files exist but failed to parse (already reported).
pub(crate) fn validate(
    pack: &Pack,
    pack_file: &Located,
    articles: &BTreeMap<String, Located>,
    unreadable: &[String],
) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let err = |path: &str, msg: String| pack_file.at(Severity::Error, path, msg);
    let warn = |path: &str, msg: String| pack_file.at(Severity::Warning, path, msg);

    if pack.meta.title.trim().is_empty() {
        out.push(err("title", "`title` is empty".into()).with_hint("give the pack a title for its cover"));
    }

    unique_ids(pack.statistics.iter().map(|s| s.id.as_str()), "statistics", "statistic", pack_file, &mut out);
    unique_ids(pack.links.iter().map(|l| l.id.as_str()), "links", "link", pack_file, &mut out);

    for (i, link) in pack.links.iter().enumerate() {
        let path = format!("links[{}].url", i + 1);
        if let Err(problem) = check_url(&link.url) {
            out.push(err(&path, format!("link `{}` {problem}", link.id)).with_hint("guidance links must be https addresses, like https://www.ncsc.gov.uk"));
        }
    }

    let statistic_ids: Vec<&str> = pack.statistics.iter().map(|s| s.id.as_str()).collect();
    let link_ids: Vec<&str> = pack.links.iter().map(|l| l.id.as_str()).collect();
    let article_ids: Vec<&str> = pack.articles.keys().map(String::as_str).collect();
    for (i, section) in pack.sections.iter().enumerate() {
        let at = format!("sections[{}]", i + 1);
        match section.kind {
            SectionKind::Article => match &section.article {
                None => out.push(
                    err(&format!("{at}.article"), format!("section {} shows an article but has no `article` field", i + 1))
                        .with_hint("add `article = \"<file name in articles/ without .md>\"`"),
                ),
                Some(id) if !pack.articles.contains_key(id) && !unreadable.contains(id) => {
                    let mut d = err(&format!("{at}.article"), format!("section {} names article `{id}`, but there is no articles/{id}.md", i + 1));
                    d.hint = Some(match did_you_mean(id, article_ids.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "import the article or correct the name".into(),
                    });
                    out.push(d);
                }
                Some(_) => {}
            },
            SectionKind::Markdown if section.body.as_deref().is_none_or(|b| b.trim().is_empty()) => out.push(
                err(&at, format!("section {} is a Markdown section with no `body`", i + 1))
                    .with_hint("add `body = \"\"\"…\"\"\"` with the text to show"),
            ),
            SectionKind::Objectives if pack.meta.objectives.is_empty() => out.push(
                warn(&at, format!("section {} shows the learning objectives, but the pack has no `objectives`", i + 1))
                    .with_hint("add `objectives = [\"…\", \"…\"]`"),
            ),
            SectionKind::Questions if pack.questions.is_empty() => out.push(
                warn(&at, format!("section {} shows discussion questions, but the pack has no [[questions]]", i + 1))
                    .with_hint("add [[questions]] tables with `text = \"…\"`"),
            ),
            SectionKind::Summary if pack.meta.summary.is_none() => out.push(
                warn(&at, format!("section {} shows the summary, but the pack has no `summary`", i + 1))
                    .with_hint("add `summary = \"\"\"…\"\"\"` with the bottom line up front"),
            ),
            _ => {}
        }
        references(&section.statistics, &statistic_ids, &format!("{at}.statistics"), "statistic", pack_file, &mut out);
        references(&section.links, &link_ids, &format!("{at}.links"), "link", pack_file, &mut out);
    }

    let used: Vec<&str> = pack.sections.iter().filter_map(|s| s.article.as_deref()).collect();
    for (id, file) in articles {
        if !used.contains(&id.as_str()) && !pack.sections.is_empty() {
            out.push(
                file.at(Severity::Warning, "title", format!("article `{id}` is not shown by any section"))
                    .with_hint("add a [[sections]] entry with kind = \"article\" or remove the file"),
            );
        }
        if let Some(url) = &pack.articles[id].meta.url {
            if let Err(problem) = check_url(url) {
                out.push(file.at(Severity::Warning, "url", format!("the article's `url` {problem}")));
            }
        }
    }

    statistics_warnings(pack, pack_file, &mut out);
    marking_leaks(pack, pack_file, articles, &mut out);
    out
}

/// Content marked above the pack's own marking would leak onto every page under a
/// lower banner: an error, naming where the stricter marking is.
fn marking_leaks(pack: &Pack, file: &Located, articles: &BTreeMap<String, Located>, out: &mut Vec<Diagnostic>) {
    let banner = pack.meta.marking;
    let problem = |what: &str, marking: Marking| -> Option<String> {
        if marking.fits_within(banner) {
            None
        } else if marking.scheme() != banner.scheme() {
            Some(format!("{what} is marked {marking}, which cannot be compared with the pack's {banner}: use one marking scheme"))
        } else {
            Some(format!("{what} is marked {marking}, above the pack's {banner}"))
        }
    };
    let hint = format!("mark the pack at least as high, or remove that content; the pack is {banner}");
    for (i, section) in pack.sections.iter().enumerate() {
        if let Some(msg) = section.marking.and_then(|m| problem(&format!("section {}", i + 1), m)) {
            out.push(file.at(Severity::Error, &format!("sections[{}].marking", i + 1), msg).with_hint(hint.clone()));
        }
        if let Some(id) = &section.article {
            let marking = pack.articles.get(id).and_then(|a| a.meta.marking);
            if let Some(msg) = marking.and_then(|m| problem(&format!("article `{id}` (shown by section {})", i + 1), m)) {
                let d = match articles.get(id) {
                    Some(article_file) => article_file.at(Severity::Error, "marking", msg),
                    None => file.at(Severity::Error, &format!("sections[{}].article", i + 1), msg),
                };
                out.push(d.with_hint(hint.clone()));
            }
        }
    }
    for (i, stat) in pack.statistics.iter().enumerate() {
        if let Some(msg) = stat.marking.and_then(|m| problem(&format!("statistic `{}`", stat.id), m)) {
            out.push(file.at(Severity::Error, &format!("statistics[{}].marking", i + 1), msg).with_hint(hint.clone()));
        }
    }
}

fn unique_ids<'a>(ids: impl Iterator<Item = &'a str>, array: &str, noun: &str, file: &Located, out: &mut Vec<Diagnostic>) {
    let mut first_seen: HashMap<&str, usize> = HashMap::new();
    for (i, id) in ids.enumerate() {
        let path = format!("{array}[{}].id", i + 1);
        if id.trim().is_empty() {
            out.push(file.at(Severity::Error, &path, format!("a {noun} has an empty `id`")).with_hint("give it a short unique name like \"state-threats\""));
        } else if let Some(first) = first_seen.get(id) {
            let (line, _) = file.source.position(file.spans.value(&format!("{array}[{first}].id")).unwrap_or(0..0).start);
            out.push(
                file.at(Severity::Error, &path, format!("{noun} id `{id}` is used twice (first on line {line})"))
                    .with_hint("ids must be unique within a pack; rename one"),
            );
        } else {
            first_seen.insert(id, i + 1);
        }
    }
}

fn references(named: &[String], known: &[&str], path: &str, noun: &str, file: &Located, out: &mut Vec<Diagnostic>) {
    for (j, id) in named.iter().enumerate() {
        if !known.contains(&id.as_str()) {
            let mut d = file.at(Severity::Error, &format!("{path}[{}]", j + 1), format!("there is no {noun} with id `{id}`"));
            d.hint = Some(match did_you_mean(id, known.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None if known.is_empty() => format!("the pack has no {noun}s yet"),
                None => format!("the {noun} ids are {}", known.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")),
            });
            out.push(d);
        }
    }
}

/// `Ok` for a well-formed https address; otherwise what is wrong with it.
pub(crate) fn check_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(u) if u.scheme() == "https" && u.host_str().is_some_and(|h| h.contains('.')) => Ok(()),
        Ok(u) if u.scheme() != "https" => Err(format!("is not https (\"{url}\")")),
        Ok(_) => Err(format!("has no proper host name (\"{url}\")")),
        Err(e) => Err(format!("is not a web address (\"{url}\": {e})")),
    }
}

fn statistics_warnings(pack: &Pack, file: &Located, out: &mut Vec<Diagnostic>) {
    let pack_date = pack.meta.date;
    let months = pack.meta.staleness_months;
    let stale_before = pack_date.checked_sub_months(Months::new(months)).unwrap_or(NaiveDate::MIN);
    for (i, stat) in pack.statistics.iter().enumerate() {
        let at = |field: &str| format!("statistics[{}].{field}", i + 1);
        let id = &stat.id;
        match stat.as_of {
            None => out.push(
                file.at(Severity::Warning, &at("id"), format!("statistic `{id}` has no `as_of` date"))
                    .with_hint("add `as_of = YYYY-MM-DD`: readers need to know when the figure was true"),
            ),
            Some(as_of) if as_of < stale_before => out.push(
                file.at(
                    Severity::Warning,
                    &at("as_of"),
                    format!("statistic `{id}` is stale: as of {as_of}, more than {months} months before the pack date {pack_date}"),
                )
                .with_hint("look for a newer figure, or raise `staleness_months`"),
            ),
            Some(as_of) if as_of > pack_date => out.push(file.at(
                Severity::Warning,
                &at("as_of"),
                format!("statistic `{id}` is dated {as_of}, after the pack date {pack_date}"),
            )),
            Some(_) => {}
        }
        if stat.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            out.push(
                file.at(Severity::Warning, &at("id"), format!("statistic `{id}` has no `source`"))
                    .with_hint("add `source = \"…\"`: every figure gets a source note"),
            );
        }
        if let Some(url) = &stat.source_url {
            if let Err(problem) = check_url(url) {
                out.push(file.at(Severity::Warning, &at("source_url"), format!("statistic `{id}`'s `source_url` {problem}")));
            }
        }
    }
}
