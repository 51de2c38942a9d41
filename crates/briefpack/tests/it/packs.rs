//! Loading real packs: the example library and the valid fixtures.

use briefpack::pack::{self, Marking, SectionKind};

use crate::common::{example_pack, fixtures};

#[test]
fn the_example_pack_loads_with_no_errors_or_warnings() {
    let loaded = pack::load(&example_pack()).unwrap_or_else(|e| panic!("example pack failed: {e}"));
    assert!(loaded.warnings.is_empty(), "unexpected warnings: {:#?}", loaded.warnings);
    let p = loaded.pack;
    assert_eq!(p.meta.marking, Marking::TlpAmber);
    assert_eq!(p.meta.date.to_string(), "2025-10-20");
    let kinds: Vec<SectionKind> = p.sections.iter().map(|s| s.kind).collect();
    assert_eq!(kinds.first(), Some(&SectionKind::Summary));
    assert!(kinds.contains(&SectionKind::Article));
}

#[test]
fn the_example_pack_states_the_seed_articles_figures() {
    let p = pack::load(&example_pack()).unwrap().pack;
    let rise = p.statistics.iter().find(|s| s.value == 35.0).expect("the 35 per cent rise");
    assert!(rise.label.contains("state-threat"), "{}", rise.label);
    assert_eq!(rise.period.as_deref(), Some("the last year"));
    let plots = p.statistics.iter().find(|s| s.value == 19.0).expect("the 19 disrupted plots");
    assert_eq!(plots.period.as_deref(), Some("since the start of 2020"));
    for s in &p.statistics {
        assert!(s.source.is_some() && s.as_of.is_some(), "{} lacks provenance", s.id);
    }
    let urls: Vec<&str> = p.links.iter().map(|l| l.url.as_str()).collect();
    for official in ["https://www.npsa.gov.uk", "https://www.ncsc.gov.uk", "https://www.mi5.gov.uk"] {
        assert!(urls.contains(&official), "missing {official}");
    }
    let article = &p.articles["mi5-annual-threat-update"];
    assert_eq!(article.meta.author.as_deref(), Some("Mark Rowe"));
    assert_eq!(article.meta.source.as_deref(), Some("Professional Security Magazine"));
    for boilerplate in ["TESTIMONIALS", "FIND A BUSINESS", "ADD LISTING", "Related News", "Graham Penn"] {
        assert!(!article.body.contains(boilerplate), "site boilerplate left in: {boilerplate}");
    }
}

#[test]
fn a_minimal_pack_gets_defaults() {
    let p = pack::load(&fixtures().join("packs/minimal")).unwrap().pack;
    assert_eq!(p.meta.template, "board-briefing");
    assert_eq!(p.meta.staleness_months, 12);
    assert!(p.statistics.is_empty() && p.articles.is_empty());
}

#[test]
fn every_field_of_the_format_loads() {
    let loaded = pack::load(&fixtures().join("packs/full")).unwrap();
    let p = loaded.pack;
    let s = &p.statistics[0];
    assert_eq!(s.grade.unwrap().to_string(), "B2");
    assert_eq!(s.series.len(), 3);
    assert_eq!(s.series[1].date.to_string(), "2024-01-01");
    assert_eq!(p.sections.iter().map(|s| s.kind).collect::<Vec<_>>(), SectionKind::ALL.to_vec());
    assert_eq!(p.sections[1].statistics, vec!["incidents".to_string()]);
    assert_eq!(p.sections[5].marking, Some(Marking::TlpGreen));
    assert_eq!(p.meta.handling.as_deref(), Some("Not for onward sharing outside the test readers."));
    assert_eq!((p.meta.distribution.as_deref(), p.meta.watermark), (Some("board"), Some(true)));
    assert_eq!(p.recipients.len(), 1);
    assert_eq!(p.recipients[0].email.as_deref(), Some("pat.reader@example.org"));
    assert_eq!(p.recommendations[0].due.unwrap().to_string(), "2026-01-31");
    assert_eq!(p.meta.objectives, vec!["Explain the format", "Use every field"]);
    assert_eq!(p.questions[0].minutes, Some(10));
    assert_eq!(p.sections[7].edition.as_deref(), Some("facilitator"));
    assert_eq!(p.articles["quoted-date"].meta.published.unwrap().to_string(), "2025-10-16");
    assert_eq!(p.articles["quoted-date"].meta.key_points.len(), 2);
}

#[test]
fn stale_and_unsourced_statistics_are_warnings_not_errors() {
    let loaded = pack::load(&fixtures().join("packs/stale-statistics")).expect("warnings never stop a load");
    let messages: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    let find = |needle: &str| {
        messages
            .iter()
            .find(|m| m.contains(needle))
            .unwrap_or_else(|| panic!("no warning containing {needle:?} in {messages:#?}"))
    };
    assert!(find("(statistic `old-figure`) is stale").contains("pack.toml:11:"));
    assert!(find("(statistic `no-source`) has no source").contains("pack.toml:"));
    assert!(find("(statistic `no-date`) has no date it was true on: add one in As of").contains("pack.toml:"));
    assert!(messages.iter().all(|m| !m.contains("`fresh`")), "a fresh, sourced figure was flagged: {messages:#?}");
}
