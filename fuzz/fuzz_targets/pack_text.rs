//! Pack text into Markdown: any text in any plain field of a pack renders as
//! that text. Through both built-in templates, no field may add a link to an
//! address the pack does not hold (not even a bare address it writes out),
//! and no field may add or remove a special block (a cover, key figures, QR
//! codes, …).
#![no_main]
use libfuzzer_sys::fuzz_target;

use briefpack::markdown::{self, Block};
use briefpack::pack::{store, Link, Pack, Recommendation, Section, SectionKind, Statistic};

fn pack(fields: &[&str]) -> Pack {
    let field = |i: usize| fields.get(i).copied().unwrap_or("").to_string();
    let mut p = store::new_pack("Fuzzed pack", chrono::NaiveDate::from_ymd_opt(2025, 10, 20).unwrap(), &[SectionKind::Summary, SectionKind::Statistics, SectionKind::Recommendations, SectionKind::Links]);
    p.meta.title = field(0);
    p.meta.audience = Some(field(1));
    p.meta.summary = Some("The bottom line.".into());
    p.statistics.push(Statistic {
        id: "s".into(),
        label: field(2),
        value: 1.0,
        display: Some(field(3)),
        direction: None,
        period: Some(field(4)),
        as_of: None,
        source: Some(field(5)),
        source_url: Some("https://example.org/source".into()),
        grade: None,
        series: Vec::new(),
        marking: None,
    });
    p.links.push(Link { id: "l".into(), title: field(6), url: "https://example.org/guide".into(), organisation: Some(field(7)), use_for: Some(field(8)), audience: Some(field(9)) });
    p.recommendations.push(Recommendation { text: "Act.".into(), owner: Some(field(10)), due: None });
    p.sections.push(Section { title: Some(field(11)), ..Section::new(SectionKind::Links) });
    p
}

fn special_blocks(doc: &markdown::Document) -> Vec<String> {
    doc.blocks
        .iter()
        .filter_map(|b| match b {
            Block::Code { info, .. } if markdown::SPECIAL_BLOCKS.contains(&info.as_str()) => Some(info.clone()),
            Block::PageBreak => Some("page-break".into()),
            _ => None,
        })
        .collect()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let fields: Vec<&str> = text.split('\u{1}').take(12).collect();
    let hostile = pack(&fields);
    let plain = pack(&["x"; 12]);
    for (name, edition) in [("board-briefing", None), ("training-handout", Some("participant")), ("training-handout", Some("facilitator"))] {
        let template = briefpack::template::find(name, &[]).unwrap();
        let (Ok(out), Ok(base)) = (template.render(&hostile, edition), template.render(&plain, edition)) else { continue };
        let doc = markdown::parse(&out.markdown);
        for url in doc.link_urls() {
            let known = url.starts_with('#') || url == "https://example.org/guide" || url == "https://example.org/source";
            assert!(known, "{name}: pack text made a link to {url:?}");
        }
        assert_eq!(special_blocks(&doc), special_blocks(&markdown::parse(&base.markdown)), "{name}: pack text changed the special blocks");
    }
});
