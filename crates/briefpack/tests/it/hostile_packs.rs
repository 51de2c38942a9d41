//! Hostile and careless input on the pack side: pack text never becomes
//! Markdown syntax, only the pack's own addresses become links, markings
//! never leak, template output is bounded, names stay plain. Each class has
//! regression cases (named after what they pin) and a generated test.

use std::fs;
use std::path::{Path, PathBuf};

use briefpack::fonts::FontSet;
use briefpack::markdown::{self, Block, Document, Inline};
use briefpack::pack::{self, Marking, Pack};
use briefpack::template;
use proptest::prelude::*;
use toml_edit::DocumentMut;

use crate::common::{copy_pack, example_pack, proptest_config};

fn fonts() -> &'static FontSet {
    static FONTS: std::sync::OnceLock<FontSet> = std::sync::OnceLock::new();
    FONTS.get_or_init(|| FontSet::bundled().unwrap())
}

/// Every link and image address in a document.
fn addresses(doc: &Document) -> Vec<String> {
    fn inlines(list: &[Inline], out: &mut Vec<String>) {
        for i in list {
            match i {
                Inline::Link { url, content } => {
                    out.push(url.clone());
                    inlines(content, out);
                }
                Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) => inlines(c, out),
                _ => {}
            }
        }
    }
    fn blocks(list: &[Block], out: &mut Vec<String>) {
        for b in list {
            match b {
                Block::Heading { content, .. } | Block::Paragraph(content) => inlines(content, out),
                Block::List { items, .. } => items.iter().for_each(|item| blocks(&item.blocks, out)),
                Block::Quote(inner) | Block::Alert { blocks: inner, .. } => blocks(inner, out),
                Block::Table(t) => t.header.iter().chain(t.rows.iter().flatten()).for_each(|cell| inlines(cell, out)),
                Block::Image { url, .. } => out.push(url.clone()),
                _ => {}
            }
        }
    }
    let mut out = Vec::new();
    blocks(&doc.blocks, &mut out);
    doc.footnotes.iter().for_each(|f| blocks(&f.blocks, &mut out));
    out
}

/// The special blocks a document holds, by kind, in order.
fn special_blocks(doc: &Document) -> Vec<String> {
    doc.blocks.iter().filter_map(|b| match b {
        Block::Code { info, .. } if markdown::SPECIAL_BLOCKS.contains(&info.as_str()) => Some(info.clone()),
        Block::PageBreak => Some("page-break".into()),
        _ => None,
    }).collect()
}

/// The Markdown of `pack` through each built-in template and edition, parsed.
fn rendered(pack: &Pack) -> Vec<(String, Result<Document, String>)> {
    let mut out = Vec::new();
    for name in ["board-briefing", "training-handout"] {
        let t = template::find(name, &[]).unwrap();
        let editions: Vec<Option<String>> = if t.info.editions.is_empty() { vec![None] } else { t.info.editions.iter().cloned().map(Some).collect() };
        for edition in editions {
            let label = format!("{name} {edition:?}");
            out.push((label, t.render(pack, edition.as_deref()).map(|o| markdown::parse(&o.markdown)).map_err(|e| e.to_string())));
        }
    }
    out
}

/// The addresses a pack may link to: its own links, sources and articles, and anchors inside the document.
fn allowed(pack: &Pack, address: &str) -> bool {
    address.starts_with('#')
        || pack.links.iter().any(|l| template::escaped_address(&l.url) == address)
        || pack.statistics.iter().filter_map(|s| s.source_url.as_deref()).any(|u| template::escaped_address(u) == address)
        || pack.articles.values().filter_map(|a| a.meta.url.as_deref()).any(|u| template::escaped_address(u) == address)
        || pack.articles.values().any(|a| a.body.contains(address))
}

fn example() -> Pack {
    pack::load(&example_pack()).unwrap().pack
}

/// Asserts that `pack` renders in every template with links only to its own addresses
/// and the same special blocks as the example.
fn assert_inert(pack: &Pack) {
    let baseline: Vec<Vec<String>> = rendered(&example()).into_iter().map(|(_, d)| special_blocks(&d.unwrap())).collect();
    for ((label, doc), expected) in rendered(pack).into_iter().zip(baseline) {
        let doc = doc.unwrap_or_else(|e| panic!("{label}: {e}"));
        for address in addresses(&doc) {
            assert!(allowed(pack, &address), "{label}: pack text made a link to {address:?}");
        }
        assert_eq!(special_blocks(&doc), expected, "{label}: pack text changed the special blocks");
    }
}

/// A copy of the example pack with `edit` applied to its pack.toml.
fn edited_pack(edit: impl FnOnce(&mut DocumentMut)) -> (tempfile::TempDir, PathBuf) {
    let (temp, dir) = copy_pack(&example_pack());
    let mut doc: DocumentMut = fs::read_to_string(dir.join("pack.toml")).unwrap().parse().unwrap();
    edit(&mut doc);
    fs::write(dir.join("pack.toml"), doc.to_string()).unwrap();
    (temp, dir)
}

fn errors(dir: &Path) -> Vec<briefpack::diagnostic::Diagnostic> {
    briefpack::check::check(dir, fonts()).into_iter().filter(|d| d.is_error()).collect()
}

// ---- pack text is never Markdown syntax ------------------------------------------

#[test]
fn a_link_title_an_address_an_owner_or_a_source_cannot_make_a_link() {
    let mut p = example();
    p.links[0].title = "NCSC](file:///etc/passwd) [x".into();
    p.links[1].url = "https://www.ncsc.gov.uk/x) [Click](javascript:alert(1)".into();
    p.links[2].use_for = Some("<smb://share/x> and [y](data:text/html,z)".into());
    p.recommendations[0].owner = Some("[text](https://evil.example)".into());
    p.statistics[0].source = Some("<https://evil.example> ![i](x.png)".into());
    p.statistics[0].label = "Rise | of | figures\n```qr\nhttps://evil.example\n```".into();
    p.meta.title = "# Heading\n```cover".into();
    p.meta.audience = Some("> quoted\n- listed".into());
    assert_inert(&p);
}

#[test]
fn a_statistic_label_with_bars_and_line_breaks_keeps_the_figures_table_whole() {
    let mut p = example();
    p.statistics[0].label = "A | B\nC".into();
    let t = template::find("board-briefing", &[]).unwrap();
    let doc = markdown::parse(&t.render(&p, None).unwrap().markdown);
    let table = doc.blocks.iter().find_map(|b| if let Block::Table(t) = b { Some(t.clone()) } else { None }).expect("the board briefing has a figures table");
    assert_eq!(table.rows.len(), p.statistics.len());
    assert!(table.rows.iter().all(|row| row.len() == table.header.len()), "{table:#?}");
    assert_eq!(markdown::plain_text(&table.rows[0][0]), "A | B C");
}

#[test]
fn special_blocks_in_markdown_fields_are_errors_at_the_field() {
    let (_t, dir) = edited_pack(|doc| {
        doc["summary"] = toml_edit::value("Bottom line.\n\n```qr\nhttps://evil.example\n```\n");
        doc["sections"][0]["body"] = toml_edit::value("~~~ cover\n~~~\n");
        doc["sections"][0]["kind"] = toml_edit::value("markdown");
    });
    let errors = errors(&dir);
    assert!(errors.iter().any(|d| d.field.as_deref() == Some("summary") && d.message.contains("```qr")), "{errors:#?}");
    assert!(errors.iter().any(|d| d.field.as_deref() == Some("sections[1].body") && d.message.contains("```cover")), "{errors:#?}");
    let article = dir.join("articles/mi5-annual-threat-update.md");
    fs::write(&article, fs::read_to_string(&article).unwrap() + "\n```stat-cards\nstate-threat-investigations\n```\n").unwrap();
    assert!(errors_of(&dir).iter().any(|d| d.file == article && d.message.contains("```stat-cards")), "{:#?}", errors_of(&dir));
}

fn errors_of(dir: &Path) -> Vec<briefpack::diagnostic::Diagnostic> {
    errors(dir)
}

#[test]
fn sources_and_article_addresses_must_be_web_addresses() {
    for (bad, severity_is_error) in [("javascript:alert(1)", true), ("file:///etc/passwd", true), ("data:text/html,x", true), ("http://www.mi5.gov.uk", false)] {
        let (_t, dir) = edited_pack(|doc| doc["statistics"][0]["source_url"] = toml_edit::value(bad));
        let found: Vec<_> = briefpack::check::check(&dir, fonts()).into_iter().filter(|d| d.field.as_deref() == Some("statistics[1].source_url")).collect();
        assert_eq!(found.len(), 1, "{bad}: {found:#?}");
        assert_eq!(found[0].is_error(), severity_is_error, "{bad}: {}", found[0]);
    }
}

proptest! {
    #![proptest_config(proptest_config(48))]

    /// Any text in any plain field renders as text: no new links, no new special blocks.
    #[test]
    fn generated_pack_text_never_becomes_markdown(
        texts in proptest::collection::vec("[\\[\\]()<>!`*_#>|~&:/@.a-z \\n\\\\-]{0,40}|(https?://|www\\.|mailto:)[a-z.~/@]{1,20}", 8),
    ) {
        let mut p = example();
        p.meta.title = texts[0].clone();
        p.links[0].title = texts[1].clone();
        p.links[1].use_for = Some(texts[2].clone());
        p.statistics[0].label = texts[3].clone();
        p.statistics[1].source = Some(texts[4].clone());
        p.recommendations[0].owner = Some(texts[5].clone());
        p.meta.audience = Some(texts[6].clone());
        p.statistics[0].period = Some(texts[7].clone());
        assert_inert(&p);
    }
}

// ---- markings never leak ------------------------------------------------------

#[test]
fn an_article_no_section_shows_is_still_checked_for_its_marking() {
    let (_t, dir) = copy_pack(&example_pack());
    fs::write(dir.join("articles/red-notes.md"), "+++\ntitle = \"Red notes\"\nmarking = \"TLP:RED\"\n+++\nRestricted text.\n").unwrap();
    let errors = errors(&dir);
    assert!(errors.iter().any(|d| d.file.ends_with("red-notes.md") && d.message.contains("TLP:RED")), "{errors:#?}");
    // A pack-local template that prints every article cannot print it either: the build stops.
    fs::create_dir_all(dir.join("templates/everything")).unwrap();
    fs::write(dir.join("templates/everything/template.md"), "# All\n{% for id, a in articles|items %}\n{{ a.body }}\n{% endfor %}\n").unwrap();
    let built = briefpack::render::pack_to_pdf(&dir, Some("everything"), None, fonts());
    assert!(matches!(built, Err(briefpack::render::RenderError::Pack(_))), "{:?}", built.map(|b| b.output.pages));
}

fn markdown_page(front: &str) -> briefpack::import::Imported {
    let text = format!("{front}\nRestricted text about 35% of cases.\n");
    briefpack::import::import(Path::new("page.md"), text.as_bytes()).unwrap()
}

#[test]
fn a_marking_in_front_matter_that_does_not_parse_is_read_or_stops_the_import() {
    // `title = 5` spoils the front matter as article data, but the marking is still read.
    assert_eq!(markdown_page("+++\ntitle = 5\nmarking = \"TLP:RED\"\n+++").marking, Some(Marking::TlpRed));
    assert_eq!(markdown_page("---\ntitle: Notes\nmarking: TLP:RED\n---").marking, Some(Marking::TlpRed));
    for unreadable in ["+++\ntitle = \nmarking = \"TLP:RED\"\n+++", "---\nmarking: tlp-red please\n---", "+++\nmarking = 3\n+++"] {
        let text = format!("{unreadable}\nRestricted text.\n");
        let err = briefpack::import::import(Path::new("page.md"), text.as_bytes()).unwrap_err();
        assert!(matches!(err, briefpack::import::ImportError::FrontMatter { .. }) && err.to_string().contains("page.md"), "{unreadable}: {err}");
    }
}

#[test]
fn import_into_refuses_an_article_marked_above_the_pack_and_writes_nothing() {
    let (_t, dir) = copy_pack(&example_pack());
    let before = pack::store::revision(&dir).unwrap();
    let files_before = fs::read_dir(dir.join("articles")).unwrap().count();
    let imported = markdown_page("+++\ntitle = \"Red\"\nmarking = \"TLP:RED\"\n+++");
    let options = briefpack::import::AcceptOptions::all(&imported);
    let err = briefpack::import::import_into(&dir, &imported, &options, None).unwrap_err();
    assert!(err.to_string().contains("TLP:RED"), "{err}");
    assert_eq!(pack::store::revision(&dir).unwrap(), before, "nothing was written");
    assert_eq!(fs::read_dir(dir.join("articles")).unwrap().count(), files_before);
}

proptest! {
    #![proptest_config(proptest_config(64))]

    /// Whatever marks a section, article or statistic, check has an error exactly when
    /// one of them is above the pack's marking (or in another scheme).
    #[test]
    fn generated_markings_are_errors_exactly_when_above_the_pack(
        levels in proptest::collection::vec(0usize..Marking::ALL.len() + 1, 4),
    ) {
        let pick = |i: usize| Marking::ALL.get(i).copied();
        let mut p = example();
        let banner = pick(levels[0]).unwrap_or(Marking::TlpAmber);
        p.meta.marking = banner;
        p.sections[1].marking = pick(levels[1]);
        p.articles.values_mut().next().unwrap().meta.marking = pick(levels[2]);
        p.statistics[0].marking = pick(levels[3]);
        let leaks = [pick(levels[1]), pick(levels[2]), pick(levels[3])].into_iter().flatten().any(|m| !m.fits_within(banner));
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("p");
        pack::store::copy_pack(&example_pack(), &dir).unwrap();
        let texts: Vec<(String, String)> = p.articles.iter().map(|(id, a)| (id.clone(), pack::store::article_to_text(a, None).unwrap())).collect();
        let loaded = pack::load_from_texts(&dir, &pack::store::pack_to_toml(&p).unwrap(), &texts);
        prop_assert_eq!(loaded.is_err(), leaks, "banner {} section {:?} article {:?} statistic {:?}", banner, pick(levels[1]), pick(levels[2]), pick(levels[3]));
    }
}

// ---- names, characters and numbers ----------------------------------------------

#[test]
fn an_article_file_with_any_loadable_name_is_saved_again_without_orphans() {
    let (_t, dir) = copy_pack(&example_pack());
    fs::write(dir.join("articles/zz'quote.md"), "+++\ntitle = \"Quoted\"\n+++\nBody.\n").unwrap();
    assert!(pack::load(&dir).unwrap().pack.articles.contains_key("zz'quote"));
    let page = crate::common::fixtures().join("import/ctp-appeal.txt");
    let imported = briefpack::import::import(&page, &briefpack::import::read_file(&page).unwrap()).unwrap();
    briefpack::import::import_into(&dir, &imported, &Default::default(), None).unwrap();
    let reloaded = pack::load(&dir).unwrap().pack;
    assert!(reloaded.articles.contains_key("zz'quote") && reloaded.articles.len() == 3);
    assert!(reloaded.sections.iter().filter_map(|s| s.article.as_deref()).count() == 2, "the new article has its section");
}

#[test]
fn template_names_are_plain_names() {
    let (_t, dir) = edited_pack(|doc| doc["template"] = toml_edit::value("../../x"));
    let errors = errors(&dir);
    assert!(errors.iter().any(|d| d.field.as_deref() == Some("template")), "{errors:#?}");
    for name in ["../board-briefing", "/etc", ".hidden", "a/b"] {
        assert!(matches!(template::find(name, std::slice::from_ref(&dir)), Err(template::TemplateError::NotFound { .. })), "{name}");
    }
}

#[test]
fn control_characters_and_direction_overrides_in_names_are_errors() {
    for c in ['\u{0}', '\u{7}', '\u{1b}', '\u{202e}', '\u{2066}'] {
        let (_t, dir) = edited_pack(|doc| doc["title"] = toml_edit::value(format!("Quarterly{c}briefing")));
        let errors = errors(&dir);
        assert!(errors.iter().any(|d| d.field.as_deref() == Some("title") && d.message.contains(&format!("U+{:04X}", u32::from(c)))), "U+{:04X}: {errors:#?}", u32::from(c));
    }
}

proptest! {
    #![proptest_config(proptest_config(48))]

    /// A control character anywhere in a one-line field is an error at that field.
    #[test]
    fn generated_control_characters_are_errors_at_their_field(
        field in 0usize..4,
        at in 0usize..10,
        c in proptest::char::range('\u{0}', '\u{1f}').prop_filter("one-line fields only", |c| *c != '\t'),
    ) {
        let (path, table, key) = [("title", None, "title"), ("statistics[1].label", Some("statistics"), "label"), ("links[2].title", Some("links"), "title"), ("audience", None, "audience")][field];
        let (_t, dir) = edited_pack(|doc| {
            let item = match table {
                Some(t) => &mut doc[t][if t == "links" { 1 } else { 0 }][key],
                None => &mut doc[key],
            };
            let mut text: Vec<char> = item.as_str().unwrap().chars().collect();
            text.insert(at.min(text.len()), c);
            *item = toml_edit::value(text.into_iter().collect::<String>());
        });
        let errors = pack::check(&dir).into_iter().filter(|d| d.is_error()).collect::<Vec<_>>();
        prop_assert!(errors.iter().any(|d| d.field.as_deref() == Some(path)), "{:?} in {}: {:#?}", c, path, errors);
    }
}

#[test]
fn numbers_that_cannot_be_printed_are_errors_at_their_field() {
    for bad in ["inf", "-inf", "nan", "1e400", "1e300"] {
        let (_t, dir) = copy_pack(&example_pack());
        let path = dir.join("pack.toml");
        fs::write(&path, fs::read_to_string(&path).unwrap().replacen("value = 35", &format!("value = {bad}"), 1)).unwrap();
        let errors = errors(&dir);
        assert!(errors.iter().any(|d| d.field.as_deref() == Some("statistics[1].value") && d.line > 0), "{bad}: {errors:#?}");
    }
}

// ---- template output is bounded --------------------------------------------------

fn template_result(source: &str) -> Result<usize, String> {
    let (_t, dir) = copy_pack(&example_pack());
    fs::create_dir_all(dir.join("templates/hostile")).unwrap();
    fs::write(dir.join("templates/hostile/template.md"), source).unwrap();
    briefpack::render::pack_to_pdf(&dir, Some("hostile"), None, fonts()).map(|b| b.output.pages).map_err(|e| e.to_string())
}

#[test]
fn runaway_template_output_stops_with_the_template_line() {
    let huge = template_result("# Title\n\n{{ \"x \" * 10000000 }}\n").unwrap_err();
    assert!(huge.contains("template.md:3") && huge.contains("more than 4 MB"), "{huge}");
    let blocks = template_result("# Title\n\n{% for i in range(3000) %}\n{{ qr_codes(links) }}\n{% endfor %}\n").unwrap_err();
    assert!(blocks.contains("template.md:4") && blocks.contains("more than 1000 special blocks"), "{blocks}");
    let cites = template_result("# Title\n\n{% for i in range(100000) %}{{ cite(statistics[0]) }}{% endfor %}\n").unwrap_err();
    assert!(cites.contains("template.md:3") && cites.contains("more than 2000 times"), "{cites}");
    // Long but legitimate output is laid out.
    assert!(template_result("# Title\n\n{% for i in range(2000) %}Row {{ i }} of the table.\n\n{% endfor %}").is_ok_and(|pages| pages > 10));
}

// ---- files ----------------------------------------------------------------------

#[test]
fn a_pack_toml_linking_outside_the_pack_is_refused() {
    let (temp, dir) = copy_pack(&example_pack());
    let elsewhere = temp.path().join("elsewhere.toml");
    fs::rename(dir.join("pack.toml"), &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.join("pack.toml")).unwrap();
    let problems = pack::check(&dir);
    assert!(problems.iter().any(|d| d.is_error() && d.message.contains("outside the pack folder")), "{problems:#?}");
}
