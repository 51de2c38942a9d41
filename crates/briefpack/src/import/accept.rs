//! Accepted proposals → pack entries: the article, its statistics and guidance links.
//!
//! [`add_to_pack`] changes a [`Pack`] in memory; saving it (atomically) is
//! [`crate::pack::store::save_pack`]'s job. Ids are slugs, unique in the
//! pack: the article's from its title, a statistic's from its label, a
//! link's from the organisation's name. A guidance link whose address the
//! pack already has is not added twice.

use std::path::Path;

use chrono::NaiveDate;

use super::{Imported, OrganisationKind};
use crate::pack::store;
use crate::pack::{Article, ArticleMeta, Link, Pack, Section, SectionKind, Statistic, StoreError};

/// Which proposals to accept, and what import cannot know by itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AcceptOptions {
    /// Indices into [`Imported::statistics`] to add to the pack.
    pub statistics: Vec<usize>,
    /// Indices into [`Imported::organisations`] to add as links (guidance or,
    /// when the user chose one, context).
    pub organisations: Vec<usize>,
    /// When the page was saved (the caller's "today"; the core never reads the clock).
    pub retrieved: Option<NaiveDate>,
    /// The title to use when the page has none (the file name, say).
    pub fallback_title: Option<String>,
}

impl AcceptOptions {
    /// Every statistic and every guidance organisation accepted; organisations
    /// named only for context (the Home Office, GCHQ) are left out, because a
    /// guidance list is useful only while it holds places to get advice.
    pub fn all(imported: &Imported) -> Self {
        AcceptOptions {
            statistics: (0..imported.statistics.len()).collect(),
            organisations: (0..imported.organisations.len()).filter(|&i| imported.organisations[i].kind == OrganisationKind::Guidance).collect(),
            ..AcceptOptions::default()
        }
    }

    /// [`AcceptOptions::all`] with the context organisations too.
    pub fn all_with_context(imported: &Imported) -> Self {
        AcceptOptions { organisations: (0..imported.organisations.len()).collect(), ..AcceptOptions::all(imported) }
    }
}

/// What [`add_to_pack`] added.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Added {
    /// The new article's id (`articles/<id>.md`).
    pub article: String,
    /// Ids of the statistics added.
    pub statistics: Vec<String>,
    /// Ids of the links added.
    pub links: Vec<String>,
    /// Organisations accepted but not added because the pack already links to their address.
    pub links_already_present: Vec<String>,
}

/// Adds the imported article to `pack` with a section showing it, plus the accepted proposals.
pub fn add_to_pack(pack: &mut Pack, imported: &Imported, options: &AcceptOptions) -> Added {
    let title = imported
        .title
        .clone()
        .or_else(|| options.fallback_title.clone())
        .filter(|t| !t.trim().is_empty())
        .unwrap_or_else(|| "Imported article".to_string());
    let meta = article_meta(imported, &title, options.retrieved);
    let article_ids: Vec<String> = pack.articles.keys().cloned().collect();
    let article_id = unique(&slug_or(&title, "article"), &article_ids);
    pack.articles.insert(article_id.clone(), Article { meta, body: imported.body_markdown.clone() });
    place_section(pack, Section { article: Some(article_id.clone()), ..Section::new(SectionKind::Article) });
    let mut added = Added { article: article_id, ..Added::default() };

    // A figure is as of the day its article was published, else the day it was saved;
    // its source is the publication, else the article.
    let source = imported.source.clone().unwrap_or_else(|| title.clone());
    let source_url = imported.url.clone().filter(|u| u.starts_with("https://"));
    let as_of = imported.date.or(options.retrieved);
    for proposal in options.statistics.iter().filter_map(|&i| imported.statistics.get(i)) {
        let ids: Vec<String> = pack.statistics.iter().map(|s| s.id.clone()).collect();
        let base: String = slug_or(&proposal.label, "statistic").split('-').take(6).collect::<Vec<_>>().join("-");
        let id = unique(&base, &ids);
        pack.statistics.push(Statistic {
            id: id.clone(),
            label: proposal.label.clone(),
            value: proposal.value,
            display: Some(proposal.display.clone()),
            direction: proposal.direction,
            period: proposal.period.clone(),
            as_of,
            source: Some(source.clone()),
            source_url: source_url.clone(),
            grade: None,
            series: Vec::new(),
            marking: None,
        });
        added.statistics.push(id);
    }
    for proposal in options.organisations.iter().filter_map(|&i| imported.organisations.get(i)) {
        if pack.links.iter().any(|l| same_address(&l.url, &proposal.url)) {
            added.links_already_present.push(proposal.name.clone());
            continue;
        }
        let ids: Vec<String> = pack.links.iter().map(|l| l.id.clone()).collect();
        let id = unique(&slug_or(&proposal.name, "link"), &ids);
        pack.links.push(Link {
            id: id.clone(),
            title: proposal.full_name.clone(),
            url: proposal.url.clone(),
            organisation: Some(proposal.name.clone()),
            use_for: Some(proposal.offers.clone()),
            audience: None,
        });
        added.links.push(id);
    }
    // What was accepted must show: a pack without a section for figures or
    // guidance gets one, so the statistics and links appear in the briefing.
    if !added.statistics.is_empty() && !pack.sections.iter().any(|s| s.kind == SectionKind::Statistics) {
        place_section(pack, Section::new(SectionKind::Statistics));
    }
    if !added.links.is_empty() && !pack.sections.iter().any(|s| s.kind == SectionKind::Links) {
        place_section(pack, Section::new(SectionKind::Links));
    }
    added
}

/// Adds an imported article to the pack in `dir` and saves it (see [`add_to_pack`]), all under the
/// pack's lock and only if the pack is still at `expected` (when given). An
/// article marked above the pack, or anything else that would leave a pack
/// that does not load, is refused before anything is written.
pub fn import_into(
    dir: &Path,
    imported: &Imported,
    options: &AcceptOptions,
    expected: Option<&str>,
) -> Result<(Added, String), StoreError> {
    let (added, _report, revision) = store::update_pack(dir, expected, |pack| Ok(add_to_pack(pack, imported, options)))?;
    Ok((added, revision))
}

/// Where a section of each kind sits in a briefing: the bottom line first,
/// then objectives, figures, articles and notes, questions, actions, guidance.
fn rank(kind: SectionKind) -> u8 {
    match kind {
        SectionKind::Summary => 0,
        SectionKind::Objectives => 1,
        SectionKind::Statistics => 2,
        SectionKind::Article | SectionKind::Markdown => 3,
        SectionKind::Questions => 4,
        SectionKind::Recommendations => 5,
        SectionKind::Links => 6,
    }
}

/// Inserts `section` after the last section that comes no later than it in a briefing.
fn place_section(pack: &mut Pack, section: Section) {
    let at = pack.sections.iter().rposition(|s| rank(s.kind) <= rank(section.kind)).map_or(0, |i| i + 1);
    pack.sections.insert(at, section);
}

/// The article's front matter: a Markdown file's own TOML front matter when
/// it is Briefpack's, with what the page said filling the gaps.
fn article_meta(imported: &Imported, title: &str, retrieved: Option<NaiveDate>) -> ArticleMeta {
    let own = imported
        .front_matter
        .as_ref()
        .filter(|f| f.syntax == "toml")
        .and_then(|f| toml::from_str::<ArticleMeta>(&f.text).ok());
    let mut meta = own.unwrap_or_else(|| ArticleMeta {
        language: None,
        title: title.to_string(),
        source: None,
        author: None,
        published: None,
        url: None,
        retrieved: None,
        why_it_matters: None,
        key_points: Vec::new(),
        marking: None,
    });
    meta.source = meta.source.or_else(|| imported.source.clone());
    meta.author = meta.author.or_else(|| imported.byline.clone());
    meta.published = meta.published.or(imported.date);
    meta.url = meta.url.or_else(|| imported.url.clone().filter(|u| u.starts_with("https://")));
    meta.retrieved = meta.retrieved.or(retrieved);
    // The marking import read (and refused to guess) wins over a front matter that did not parse.
    meta.marking = meta.marking.or(imported.marking);
    meta
}

fn same_address(a: &str, b: &str) -> bool {
    let norm = |u: &str| u.trim_end_matches('/').to_lowercase();
    norm(a) == norm(b)
}

/// A lower-case, hyphenated id made of the ASCII letters and digits of `text` ("MI5 annual threat update" → "mi5-annual-threat-update").
pub fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let c = fold_accent(c);
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !c.is_alphanumeric() && c != '\'' && c != '’' && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut slug = out.trim_end_matches('-').to_string();
    if slug.len() > 60 {
        let cut = slug[..60].rfind('-').unwrap_or(60);
        slug.truncate(cut);
    }
    slug
}

fn slug_or(text: &str, fallback: &str) -> String {
    Some(slug(text)).filter(|s| !s.is_empty()).unwrap_or_else(|| fallback.to_string())
}

fn fold_accent(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => 'a',
        'ç' | 'Ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
        'ñ' | 'Ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
        'ý' | 'ÿ' | 'Ý' => 'y',
        c => c,
    }
}

/// `base`, or `base-2`, `base-3`, … whichever is not in `taken`.
fn unique(base: &str, taken: &[String]) -> String {
    if !taken.iter().any(|t| t == base) {
        return base.to_string();
    }
    (2..).map(|n| format!("{base}-{n}")).find(|id| !taken.iter().any(|t| t == id)).expect("some suffix is free")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::import;
    use crate::pack::store::new_pack;

    const PAGE: &str = "Phishing reports rise\n\nBy Ann Lee\n\n16 Nov 2022\n\n\
        Reports of phishing to the NCSC rose by 12% in the last year, the agency said on Tuesday.\n\n\
        The NCSC received 1,727 reports of phishing from schools since the start of 2020, it added.\n";

    #[test]
    fn slugs_are_plain_ids() {
        assert_eq!(slug("MI5 annual threat update"), "mi5-annual-threat-update");
        assert_eq!(slug("  Café attacks: what’s next?  "), "cafe-attacks-whats-next");
        assert_eq!(slug("€4.2m"), "4-2m");
        assert_eq!(slug("!!!"), "");
        assert!(slug(&"word ".repeat(30)).len() <= 60);
    }

    #[test]
    fn the_article_and_accepted_proposals_join_the_pack_with_unique_ids() {
        let imported = import(Path::new("page.txt"), PAGE.as_bytes()).unwrap();
        let mut pack = new_pack("Q4", NaiveDate::from_ymd_opt(2022, 12, 1).unwrap(), &[SectionKind::Summary]);
        let options = AcceptOptions { retrieved: NaiveDate::from_ymd_opt(2022, 11, 20), ..AcceptOptions::all(&imported) };
        let first = add_to_pack(&mut pack, &imported, &options);
        assert_eq!(first.article, "phishing-reports-rise");
        assert_eq!(first.statistics.len(), 2, "{:?}", imported.statistics);
        assert_eq!(first.links, ["ncsc"]);
        let article = &pack.articles["phishing-reports-rise"];
        assert_eq!(article.meta.author.as_deref(), Some("Ann Lee"));
        assert_eq!(article.meta.published, NaiveDate::from_ymd_opt(2022, 11, 16));
        assert_eq!(article.meta.retrieved, NaiveDate::from_ymd_opt(2022, 11, 20));
        let stat = &pack.statistics[0];
        assert_eq!((stat.display.as_deref(), stat.value), (Some("12%"), 12.0));
        assert_eq!(stat.as_of, NaiveDate::from_ymd_opt(2022, 11, 16));
        assert_eq!(stat.source.as_deref(), Some("Phishing reports rise"));
        assert_eq!(stat.period.as_deref(), Some("in the last year"));
        assert!(pack.sections.iter().any(|s| s.article.as_deref() == Some("phishing-reports-rise")));

        // The same page again: new ids, no second link to the same address.
        let second = add_to_pack(&mut pack, &imported, &options);
        assert_eq!(second.article, "phishing-reports-rise-2");
        assert!(second.statistics.iter().all(|id| !first.statistics.contains(id)));
        assert!(second.links.is_empty());
        assert_eq!(second.links_already_present, ["NCSC"]);
        let ids: std::collections::HashSet<&str> = pack.statistics.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(ids.len(), pack.statistics.len());
    }

    #[test]
    fn nothing_accepted_adds_only_the_article() {
        let imported = import(Path::new("page.txt"), PAGE.as_bytes()).unwrap();
        let mut pack = new_pack("Q4", NaiveDate::from_ymd_opt(2022, 12, 1).unwrap(), &[SectionKind::Summary]);
        let added = add_to_pack(&mut pack, &imported, &AcceptOptions::default());
        assert!(added.statistics.is_empty() && added.links.is_empty());
        assert!(pack.statistics.is_empty() && pack.links.is_empty());
        assert_eq!(pack.articles.len(), 1);
    }

    #[test]
    fn briefpack_front_matter_is_kept_whole() {
        let md = "+++\ntitle = \"Kept\"\nwhy_it_matters = \"Because.\"\nkey_points = [\"One\"]\n+++\nBody.\n";
        let imported = import(Path::new("a.md"), md.as_bytes()).unwrap();
        let mut pack = new_pack("Q4", NaiveDate::from_ymd_opt(2022, 12, 1).unwrap(), &[SectionKind::Summary]);
        let added = add_to_pack(&mut pack, &imported, &AcceptOptions::default());
        let meta = &pack.articles[&added.article].meta;
        assert_eq!(meta.why_it_matters.as_deref(), Some("Because."));
        assert_eq!(meta.key_points, ["One"]);
    }
}
