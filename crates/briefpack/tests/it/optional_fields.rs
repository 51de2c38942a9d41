//! Templates never fail on a valid pack: every optional field of every kind
//! may be absent, in every built-in template and edition.
//!
//! From the example pack and the `full` fixture (which uses every field of the
//! format once), the test makes one pack per optional field with that field
//! removed, and one with all of them removed together; each is checked with
//! each built-in template. `check` lays the pack out through every edition of
//! its template, so "no errors" means every edition builds; the pack with
//! everything removed is also built to PDF in every template and edition.

use std::fs;
use std::path::Path;

use briefpack::fonts::FontSet;
use briefpack::pack::store::copy_pack;
use toml_edit::{DocumentMut, Item};

use crate::common::{example_pack, fixtures};

/// Keys a pack cannot do without, per table (`""` is the top of pack.toml).
const REQUIRED: [(&str, &[&str]); 8] = [
    ("", &["format", "title", "date", "marking", "template"]),
    ("statistics", &["id", "label", "value"]),
    ("links", &["id", "title", "url"]),
    ("sections", &["kind", "article", "body"]),
    ("recommendations", &["text"]),
    ("questions", &["text"]),
    ("recipients", &["name"]),
    ("article", &["title"]),
];

const TEMPLATES: [&str; 2] = ["board-briefing", "training-handout"];

fn required(table: &str, key: &str) -> bool {
    REQUIRED.iter().any(|(t, keys)| *t == table && keys.contains(&key))
}

/// One change to a pack: a description and what it does to pack.toml and the article files.
struct Removal {
    what: String,
    pack: Box<dyn Fn(&mut DocumentMut)>,
    article: Box<dyn Fn(&mut DocumentMut)>,
}

fn removals(pack_toml: &DocumentMut, article: &DocumentMut) -> Vec<Removal> {
    let mut out = Vec::new();
    for (key, item) in pack_toml.iter() {
        match item {
            Item::ArrayOfTables(tables) => {
                let mut keys: Vec<String> = tables.iter().flat_map(|t| t.iter().map(|(k, _)| k.to_string())).collect();
                keys.sort();
                keys.dedup();
                for field in keys.into_iter().filter(|f| !required(key, f)) {
                    let (array, name) = (key.to_string(), field.clone());
                    out.push(Removal {
                        what: format!("{array}.{field}"),
                        pack: Box::new(move |doc| {
                            for t in doc[&array].as_array_of_tables_mut().unwrap().iter_mut() {
                                t.remove(&name);
                            }
                        }),
                        article: Box::new(|_| {}),
                    });
                }
            }
            _ if !required("", key) => {
                let name = key.to_string();
                out.push(Removal { what: key.to_string(), pack: Box::new(move |doc| drop(doc.remove(&name))), article: Box::new(|_| {}) });
            }
            _ => {}
        }
    }
    for (key, _) in article.iter().filter(|(k, _)| !required("article", k)) {
        let name = key.to_string();
        out.push(Removal { what: format!("article {key}"), pack: Box::new(|_| {}), article: Box::new(move |doc| drop(doc.remove(&name))) });
    }
    out
}

/// The pack in `base` copied to `to`, set to `template`, with `removal` applied
/// to pack.toml and to every article's front matter. The distribution lists of
/// `base`'s library go into `to`'s, so a pack naming one finds it.
fn variant(base: &Path, to: &Path, template: &str, removal: &Removal) {
    let _ = fs::remove_dir_all(to);
    copy_pack(base, to).unwrap();
    let lists = base.parent().unwrap().join(briefpack::pack::LISTS_DIR);
    if lists.is_dir() {
        let copied = to.parent().unwrap().join(briefpack::pack::LISTS_DIR);
        fs::create_dir_all(&copied).unwrap();
        for entry in fs::read_dir(&lists).unwrap() {
            let entry = entry.unwrap();
            fs::copy(entry.path(), copied.join(entry.file_name())).unwrap();
        }
    }
    let mut doc: DocumentMut = fs::read_to_string(to.join("pack.toml")).unwrap().parse().unwrap();
    (removal.pack)(&mut doc);
    doc["template"] = toml_edit::value(template);
    doc.remove("edition");
    fs::write(to.join("pack.toml"), doc.to_string()).unwrap();
    for entry in fs::read_dir(to.join("articles")).unwrap() {
        let path = entry.unwrap().path();
        let text = fs::read_to_string(&path).unwrap();
        let (_, front_and_body) = text.split_once("+++\n").unwrap();
        let (front, body) = front_and_body.split_once("+++\n").unwrap();
        let mut front: DocumentMut = front.parse().unwrap();
        (removal.article)(&mut front);
        fs::write(path, format!("+++\n{front}+++\n{body}")).unwrap();
    }
}

fn first_article_front(dir: &Path) -> DocumentMut {
    let entry = fs::read_dir(dir.join("articles")).unwrap().next().unwrap().unwrap();
    let text = fs::read_to_string(entry.path()).unwrap();
    text.split("+++\n").nth(1).unwrap().parse().unwrap()
}

#[test]
fn every_optional_field_may_be_absent_in_every_template_and_edition() {
    let fonts = FontSet::bundled().unwrap();
    let temp = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    let mut tried = 0;
    for base in [example_pack(), fixtures().join("packs/full")] {
        let pack_toml: DocumentMut = fs::read_to_string(base.join("pack.toml")).unwrap().parse().unwrap();
        let each = removals(&pack_toml, &first_article_front(&base));
        assert!(each.len() >= 10, "{}: only {} optional fields found", base.display(), each.len());
        let (packs, articles): (Vec<_>, Vec<_>) = removals(&pack_toml, &first_article_front(&base)).into_iter().map(|r| (r.pack, r.article)).unzip();
        let all = Removal {
            what: "every optional field".into(),
            pack: Box::new(move |doc| packs.iter().for_each(|f| f(doc))),
            article: Box::new(move |doc| articles.iter().for_each(|f| f(doc))),
        };
        for removal in each.iter().chain(std::iter::once(&all)) {
            for template in TEMPLATES {
                tried += 1;
                let dir = temp.path().join("variant");
                variant(&base, &dir, template, removal);
                let errors: Vec<String> = briefpack::check::check(&dir, &fonts).iter().filter(|d| d.is_error()).map(ToString::to_string).collect();
                if !errors.is_empty() {
                    failures.push(format!("{} without {} in {template}: {errors:#?}", base.display(), removal.what));
                }
            }
        }
        // Everything optional removed: every template and edition builds a PDF.
        for template in TEMPLATES {
            let dir = temp.path().join("bare");
            variant(&base, &dir, template, &all);
            let editions = briefpack::template::find(template, &[]).unwrap().info.editions;
            for edition in editions.iter().map(|e| Some(e.as_str())).chain(editions.is_empty().then_some(None)) {
                if let Err(e) = briefpack::render::pack_to_pdf(&dir, Some(template), edition, &fonts) {
                    failures.push(format!("{} with nothing optional, {template} {edition:?}: {e}", base.display()));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{} of {tried} packs fail:\n{}", failures.len(), failures.join("\n"));
}
