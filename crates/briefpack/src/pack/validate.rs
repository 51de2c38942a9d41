//! Cross-checks across a loaded pack: references between sections and
//! articles, unique ids, https links, stale or unsourced statistics.
//!
//! Errors make a pack unusable; warnings are shown by `check` and `build` but
//! never stop a build.

use std::collections::{BTreeMap, HashMap};

use chrono::{Months, NaiveDate};

use super::load::Located;
use super::marking::Marking;
use super::model::{Pack, Recipient, SectionKind};
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
        out.push(err("title", "The pack has no title: give it one in Title".into()).with_hint("title = \"…\" in pack.toml; the cover and every page header show it"));
    }
    required_text(pack, pack_file, &mut out);
    if let Some(reason) = super::model::template_name_problem(&pack.meta.template) {
        out.push(err("template", format!("“{}” cannot name a template: {reason}", pack.meta.template)).with_hint("write the name of a template, like board-briefing"));
    }
    if let Some(reason) = pack.meta.distribution.as_deref().and_then(super::model::list_name_problem) {
        out.push(err("distribution", format!("“{}” cannot name a distribution list: {reason}", pack.meta.distribution.as_deref().unwrap_or_default())).with_hint("write the list's file name without .toml, like board for lists/board.toml"));
    }
    if let Some(reason) = pack.meta.language.as_deref().and_then(super::model::language_tag_problem) {
        out.push(
            err("language", format!("“{}” is not a language tag: {reason}", pack.meta.language.as_deref().unwrap_or_default()))
                .with_hint("write a tag like en-GB, cy or fr-FR"),
        );
    }
    out.extend(recipients(&pack.recipients, pack_file));
    text_fields(pack, pack_file, articles, &mut out);
    if pack.meta.summary.as_deref().is_some_and(|s| s.trim() == super::store::SUMMARY_PROMPT.trim()) {
        out.push(
            warn("summary", "The bottom line is still the example sentence a new pack starts with: write your own in Summary".into())
                .with_hint("replace the text of `summary` in pack.toml"),
        );
    }

    unique_ids(pack.statistics.iter().map(|s| s.id.as_str()), "statistics", "statistic", pack_file, &mut out);
    unique_ids(pack.links.iter().map(|l| l.id.as_str()), "links", "link", pack_file, &mut out);

    for (i, link) in pack.links.iter().enumerate() {
        let path = format!("links[{}].url", i + 1);
        if link.url.trim().is_empty() {
            continue; // reported as an empty required field
        }
        if let Err(problem) = check_url(&link.url) {
            out.push(err(&path, format!("The guidance link “{}” (link `{}`) {problem}: give its https address in Address", link.title, link.id)).with_hint("guidance links must be https addresses, like https://www.ncsc.gov.uk"));
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
                    err(&format!("{at}.article"), format!("Section {} shows an article but does not say which: choose one in Sections", i + 1))
                        .with_hint("article = \"<file name in articles/ without .md>\" in the [[sections]] table"),
                ),
                Some(id) if !pack.articles.contains_key(id) && !unreadable.contains(id) => {
                    let mut d = err(&format!("{at}.article"), format!("Section {} shows the article `{id}`, but the pack has no such article (no articles/{id}.md)", i + 1));
                    d.hint = Some(match did_you_mean(id, article_ids.iter().copied()) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "import the article or correct the name".into(),
                    });
                    out.push(d);
                }
                Some(_) => {}
            },
            SectionKind::Markdown if section.body.as_deref().is_none_or(|b| b.trim().is_empty()) => out.push(
                err(&format!("{at}.body"), format!("Section {} is a text section with no text: write it, or remove the section", i + 1))
                    .with_hint("body = \"\"\"…\"\"\" in the [[sections]] table"),
            ),
            SectionKind::Objectives if pack.meta.objectives.is_empty() => out.push(
                warn(&at, format!("Section {} shows the learning objectives, but the pack has none yet: add them in Objectives", i + 1))
                    .with_hint("objectives = [\"…\", \"…\"] in pack.toml"),
            ),
            SectionKind::Questions if pack.questions.is_empty() => out.push(
                warn(&at, format!("Section {} shows discussion questions, but the pack has none yet: add them in Questions", i + 1))
                    .with_hint("[[questions]] tables with text = \"…\" in pack.toml"),
            ),
            SectionKind::Summary if pack.meta.summary.as_deref().is_none_or(|s| s.trim().is_empty()) => out.push(
                warn("summary", "The pack has no bottom line yet: write it in Summary".into())
                    .with_hint("summary = \"\"\"…\"\"\" in pack.toml: what has changed, what it means, what you ask the readers to do"),
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
                file.at(Severity::Warning, "title", format!("The article “{}” is in the pack but no section shows it: add an article section for it in Sections", pack.articles[id].meta.title))
                    .with_hint(format!("add a [[sections]] entry with kind = \"article\" and article = \"{id}\", or remove the file")),
            );
        }
        if let Some(url) = &pack.articles[id].meta.url {
            source_address(url, "The article's address (url) {problem}", |severity, message| file.at(severity, "url", message), &mut out);
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
    }
    // Every article, shown by a section or not: a template can print any of them.
    for (id, article) in &pack.articles {
        if let Some(reason) = article.meta.language.as_deref().and_then(super::model::language_tag_problem) {
            let msg = format!("“{}” is not a language tag: {reason}", article.meta.language.as_deref().unwrap_or_default());
            let d = match articles.get(id) {
                Some(article_file) => article_file.at(Severity::Error, "language", msg),
                None => file.at(Severity::Error, "language", msg),
            };
            out.push(d.with_hint("write a tag like en-GB, cy or fr-FR in the article's front matter"));
        }
        if let Some(msg) = article.meta.marking.and_then(|m| problem(&format!("article `{id}`"), m)) {
            let d = match articles.get(id) {
                Some(article_file) => article_file.at(Severity::Error, "marking", msg),
                None => file.at(Severity::Error, "marking", msg),
            };
            out.push(d.with_hint(hint.clone()));
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

/// The problems of a `[[recipients]]` list (in pack.toml or a library
/// distribution list): a person without a name, the same person twice, an
/// email address that is not one.
pub(crate) fn recipients(recipients: &[Recipient], file: &Located) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut first_seen: HashMap<(String, String), usize> = HashMap::new();
    for (i, recipient) in recipients.iter().enumerate() {
        let at = format!("recipients[{}]", i + 1);
        if recipient.name.trim().is_empty() {
            out.push(
                file.at(Severity::Error, &format!("{at}.name"), format!("Recipient {} has no name: every copy is issued to a named person", i + 1))
                    .with_hint("name = \"…\" in the [[recipients]] table"),
            );
            continue;
        }
        if let Some(first) = first_seen.get(&recipient.identity()) {
            let (line, _) = file.source.position(file.spans.value(&format!("recipients[{first}].name")).unwrap_or(0..0).start);
            out.push(
                file.at(Severity::Error, &format!("{at}.name"), format!("“{}” is listed twice (first on line {line}): each person receives one copy", recipient.name.trim()))
                    .with_hint("remove one; two different people of the same name are told apart by their organisation"),
            );
        } else {
            first_seen.insert(recipient.identity(), i + 1);
        }
        if let Some(email) = &recipient.email {
            if !looks_like_email(email) {
                out.push(
                    file.at(Severity::Warning, &format!("{at}.email"), format!("The email address of {} (“{email}”) does not look like one", recipient.name.trim()))
                        .with_hint("write it as name@example.org, or leave `email` out"),
                );
            }
        }
    }
    out
}

/// Every problem of a library distribution list's recipients: those of
/// [`recipients`] and the text checks every pack field gets.
pub(crate) fn recipient_list(list: &[Recipient], file: &Located) -> Vec<Diagnostic> {
    let mut out = recipients(list, file);
    #[derive(serde::Serialize)]
    struct ListFile<'a> {
        recipients: &'a [Recipient],
    }
    if let Ok(tree) = toml::Value::try_from(ListFile { recipients: list }) {
        walk_text(&tree, String::new(), &mut |path, key, text| check_text(path, key, text, file, &mut out));
    }
    out
}

/// One `@` with something on both sides and a dot in the domain, no spaces.
fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.trim().split_once('@') else { return false };
    let plain = |part: &str| !part.is_empty() && !part.contains(|c: char| c == '@' || c.is_whitespace());
    plain(local) && plain(domain) && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
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

/// The largest value a statistic may have: beyond it a figure is an error in the file, not a briefing.
pub(crate) const MAX_NUMBER: f64 = 1e15;
/// The longest one-line text field (a title, a label, a name): a paragraph, far past any heading.
pub(crate) const MAX_LINE_CHARS: usize = 1_000;

/// A source address (a statistic's `source_url`, an article's `url`): https is
/// right, http is a warning, anything else (javascript:, file:, data:, a
/// relative path) is an error, as it would be a live link in the PDF.
fn source_address(url: &str, message: &str, at: impl Fn(Severity, String) -> Diagnostic, out: &mut Vec<Diagnostic>) {
    let Err(problem) = check_url(url) else { return };
    let scheme = url::Url::parse(url).map(|u| u.scheme().to_string()).unwrap_or_default();
    let severity = if scheme == "http" { Severity::Warning } else { Severity::Error };
    out.push(at(severity, message.replace("{problem}", &problem)).with_hint("use the https address of the page, like https://www.mi5.gov.uk/…"));
}

/// Fields a person must fill in: empty ones are errors at the field.
fn required_text(pack: &Pack, file: &Located, out: &mut Vec<Diagnostic>) {
    let mut empty = |path: String, message: String, hint: &str| {
        out.push(file.at(Severity::Error, &path, message).with_hint(hint.to_string()));
    };
    for (i, s) in pack.statistics.iter().enumerate() {
        if s.label.trim().is_empty() {
            empty(format!("statistics[{}].label", i + 1), format!("Statistic {} has no label: say what the figure counts in Label", i + 1), "label = \"…\" in pack.toml");
        }
    }
    for (i, l) in pack.links.iter().enumerate() {
        if l.title.trim().is_empty() {
            empty(format!("links[{}].title", i + 1), format!("Guidance link {} has no title: say what the reader will find in Title", i + 1), "title = \"…\" in pack.toml");
        }
        if l.url.trim().is_empty() {
            empty(format!("links[{}].url", i + 1), format!("Guidance link {} has no address: give its https address in Address", i + 1), "url = \"https://…\" in pack.toml");
        }
    }
    for (i, r) in pack.recommendations.iter().enumerate() {
        if r.text.trim().is_empty() {
            empty(format!("recommendations[{}].text", i + 1), format!("Recommendation {} is empty: write it, or remove it", i + 1), "text = \"…\" in pack.toml");
        }
    }
    for (i, q) in pack.questions.iter().enumerate() {
        if q.text.trim().is_empty() {
            empty(format!("questions[{}].text", i + 1), format!("Question {} is empty: write it, or remove it", i + 1), "text = \"…\" in pack.toml");
        }
    }
}

/// Every text field: no control characters or direction overrides (they print
/// as nothing, or reorder what a reader sees), one-line fields of sensible
/// length, and no special blocks in Markdown fields (only templates write those).
fn text_fields(pack: &Pack, file: &Located, articles: &BTreeMap<String, Located>, out: &mut Vec<Diagnostic>) {
    let Ok(tree) = toml::Value::try_from(pack) else { return };
    walk_text(&tree, String::new(), &mut |path, key, text| check_text(path, key, text, file, out));
    for (id, article) in &pack.articles {
        let Some(article_file) = articles.get(id) else { continue };
        if let Ok(tree) = toml::Value::try_from(&article.meta) {
            walk_text(&tree, String::new(), &mut |path, key, text| check_text(path, key, text, article_file, out));
        }
        if let Some((line, info)) = crate::markdown::special_block(&article.body) {
            let mut d = article_file.at(Severity::Error, "title", format!("The article's text has a ```{info} block on line {line} of its body; only templates may write those"));
            d.line = article_file.source.text().lines().count() + 2 + line;
            d.field = None;
            out.push(d.with_hint("remove the block, or make it an ordinary code block (```text)"));
        }
    }
}

/// Markdown fields: everything else is plain text on one line.
const MARKDOWN_FIELDS: [&str; 5] = ["summary", "body", "text", "answer", "why_it_matters"];

fn check_text(path: &str, key: &str, text: &str, file: &Located, out: &mut Vec<Diagnostic>) {
    let markdown = MARKDOWN_FIELDS.contains(&key) || path.starts_with("objectives") || path.contains("key_points");
    if let Some(c) = text.chars().find(|&c| (c.is_control() && !(markdown && (c == '\n' || c == '\t' || c == '\r'))) || ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)) {
        out.push(
            file.at(Severity::Error, path, format!("The text of {path} contains the invisible character U+{:04X}, which would print as nothing or reorder the text: delete it", u32::from(c)))
                .with_hint("retype the text, or paste it as plain text"),
        );
    }
    if !MARKDOWN_FIELDS.contains(&key) && text.chars().count() > MAX_LINE_CHARS {
        out.push(
            file.at(Severity::Error, path, format!("The text of {path} is {} characters long; a one-line field holds at most {MAX_LINE_CHARS}: shorten it", text.chars().count()))
                .with_hint("put longer text in the summary, an article or a Markdown section"),
        );
    }
    if MARKDOWN_FIELDS.contains(&key) {
        if let Some((line, info)) = crate::markdown::special_block(text) {
            out.push(
                file.at(Severity::Error, path, format!("The text of {path} has a ```{info} block (its line {line}); only templates may write those: remove it"))
                    .with_hint("make it an ordinary code block (```text) if you meant to show code"),
            );
        }
    }
}

/// Calls `visit(path, key, text)` for every string in `value`, with paths as
/// diagnostics write them (`statistics[2].label`).
fn walk_text(value: &toml::Value, path: String, visit: &mut impl FnMut(&str, &str, &str)) {
    match value {
        toml::Value::String(text) => {
            let key = path.rsplit('.').next().unwrap_or(&path).split('[').next().unwrap_or("");
            visit(&path, key, text);
        }
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                walk_text(item, format!("{path}[{}]", i + 1), visit);
            }
        }
        toml::Value::Table(table) => {
            for (key, item) in table {
                walk_text(item, if path.is_empty() { key.clone() } else { format!("{path}.{key}") }, visit);
            }
        }
        _ => {}
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
        let (id, label) = (&stat.id, &stat.label);
        match stat.as_of {
            None => out.push(
                file.at(Severity::Warning, &at("as_of"), format!("The figure “{label}” (statistic `{id}`) has no date it was true on: add one in As of"))
                    .with_hint("as_of = YYYY-MM-DD in pack.toml: readers need to know when the figure was true"),
            ),
            Some(as_of) if as_of < stale_before => out.push(
                file.at(
                    Severity::Warning,
                    &at("as_of"),
                    format!("The figure “{label}” (statistic `{id}`) is stale: it was true on {as_of}, more than {months} months before the pack's date, {pack_date}"),
                )
                .with_hint("look for a newer figure, or raise `staleness_months`"),
            ),
            Some(as_of) if as_of > pack_date => out.push(file.at(
                Severity::Warning,
                &at("as_of"),
                format!("The figure “{label}” (statistic `{id}`) is dated {as_of}, after the pack's own date, {pack_date}: check As of"),
            )),
            Some(_) => {}
        }
        if stat.source.as_deref().is_none_or(|s| s.trim().is_empty()) {
            out.push(
                file.at(Severity::Warning, &at("source"), format!("The figure “{label}” (statistic `{id}`) has no source: say who published it in Source"))
                    .with_hint("source = \"…\" in pack.toml: every figure gets a numbered source note"),
            );
        }
        if !stat.value.is_finite() || stat.value.abs() > MAX_NUMBER {
            out.push(
                file.at(Severity::Error, &at("value"), format!("The figure “{label}” (statistic `{id}`) has the value {}, which is not a number Briefpack can print: give the number in Value", stat.value))
                    .with_hint(format!("value must be a plain number between -{MAX_NUMBER:e} and {MAX_NUMBER:e}")),
            );
        }
        for (j, point) in stat.series.iter().enumerate() {
            if !point.value.is_finite() || point.value.abs() > MAX_NUMBER {
                out.push(
                    file.at(Severity::Error, &format!("statistics[{}].series[{}].value", i + 1, j + 1), format!("Point {} of the chart of “{label}” has the value {}, which cannot be drawn: give a plain number", j + 1, point.value))
                        .with_hint(format!("series values must be plain numbers between -{MAX_NUMBER:e} and {MAX_NUMBER:e}")),
                );
            }
        }
        if let Some(url) = &stat.source_url {
            source_address(url, &format!("The source address of “{}” (statistic `{id}`) {{problem}}", stat.label), |severity, message| file.at(severity, &at("source_url"), message), out);
        }
    }
}
