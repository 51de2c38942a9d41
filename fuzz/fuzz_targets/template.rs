//! Hostile pack text (template syntax, fences, control characters) through both
//! built-in templates: rendering never panics, never evaluates pack text.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut parts = text.splitn(3, '\u{1}');
    let (a, b, c) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let mut pack = briefpack::pack::store::new_pack(if a.trim().is_empty() { "T" } else { a }, chrono_date(), &[]);
    pack.meta.summary = Some(b.to_string());
    pack.statistics.push(briefpack::pack::Statistic {
        id: "s".into(),
        label: c.to_string(),
        value: 1.0,
        display: Some(a.to_string()),
        direction: None,
        period: Some(b.to_string()),
        as_of: None,
        source: Some(c.to_string()),
        source_url: None,
        grade: None,
        series: Vec::new(),
        marking: None,
    });
    for (name, edition) in [("board-briefing", None), ("training-handout", Some("facilitator"))] {
        if let Ok(template) = briefpack::template::find(name, &[]) {
            if let Ok(output) = template.render(&pack, edition) {
                assert!(!output.markdown.contains("{{") || a.contains("{{") || b.contains("{{") || c.contains("{{"));
            }
        }
    }
});

fn chrono_date() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2025, 10, 20).unwrap()
}
