//! Accessible and archival PDFs, checked by reading the output: the structure
//! tree against the marked content of every page (lopdf), the reading order
//! against poppler's text, the offline PDF/UA checker `pdfua` and the PDF/A rules
//! of `pikepdf.pdfa` (both installed by `make deps` into `.venv`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use briefpack::fonts::FontSet;
use briefpack::layout::style::{Rgb, ACCESSIBLE_CONTRAST};
use briefpack::layout::{FolderAssets, Style};
use briefpack::render::{self, OutputOptions};
use lopdf::content::Content;
use lopdf::{Dictionary, Document, Object, ObjectId};

use crate::common::{copy_pack, example_pack, fixtures, png};

fn fonts() -> &'static FontSet {
    static FONTS: std::sync::OnceLock<FontSet> = std::sync::OnceLock::new();
    FONTS.get_or_init(|| FontSet::bundled().unwrap())
}

/// Every built-in template and edition of a pack, built with `options`: (label, PDF).
fn every_edition(pack: &Path, options: OutputOptions) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (template, editions) in [("board-briefing", vec![None]), ("training-handout", vec![Some("participant"), Some("facilitator")])] {
        for edition in editions {
            let built = render::pack_to_pdf_with(pack, Some(template), edition, options, fonts()).unwrap();
            out.push((format!("{} {template} {}", pack.display(), edition.unwrap_or("")), built.output.pdf));
        }
    }
    out
}

/// The Markdown fixture with images (one described, one not), a long table,
/// nested lists, footnotes, a quotation, a callout and code.
fn fixture_document() -> Vec<u8> {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("chart.png"), png(300, 160)).unwrap();
    std::fs::write(folder.path().join("decoration.png"), png(40, 10)).unwrap();
    let source = std::fs::read_to_string(fixtures().join("markdown/accessibility.md")).unwrap();
    let style = Style { contents: true, ..Style::default() };
    render::markdown_to_pdf(&source, "accessibility.md", &style, fonts(), &FolderAssets::new(folder.path())).unwrap().pdf
}

/// Everything the tests check, on every document they check.
fn documents() -> Vec<(String, Vec<u8>)> {
    let mut all = every_edition(&example_pack(), OutputOptions::default());
    all.extend(every_edition(&fixtures().join("packs/full"), OutputOptions::default()));
    // A house style: the logo a figure on the cover, an artifact in the header.
    all.extend(every_edition(&fixtures().join("house/northshire/quarterly"), OutputOptions::default()));
    all.extend(every_edition(&fixtures().join("house/northshire/handout"), OutputOptions::default()));
    all.push(("accessibility.md".into(), fixture_document()));
    all
}

/// One structure element, as read back.
struct Element {
    role: String,
    parent: Option<ObjectId>,
    dict: Dictionary,
}

/// A tagged PDF read back: its elements, and each page's marked content.
struct Tagged {
    doc: Document,
    pages: Vec<ObjectId>,
    /// Structure elements by object id, in tree order.
    elements: Vec<(ObjectId, Element)>,
    /// Per page: the MCIDs in its content, in order.
    page_mcids: Vec<Vec<i64>>,
}

impl Tagged {
    fn read(bytes: &[u8]) -> Tagged {
        let doc = Document::load_mem(bytes).unwrap();
        let pages: Vec<ObjectId> = doc.get_pages().into_values().collect();
        let catalog = doc.catalog().unwrap();
        let root = catalog.get(b"StructTreeRoot").and_then(Object::as_reference).expect("no structure tree");
        let root_dict = doc.get_dictionary(root).unwrap();
        let mut elements = Vec::new();
        let mut stack = vec![(root_dict.get(b"K").unwrap().clone(), None)];
        // Depth first, in order: children pushed in reverse.
        while let Some((kid, parent)) = stack.pop() {
            match kid {
                Object::Array(items) => stack.extend(items.into_iter().rev().map(|item| (item, parent))),
                Object::Reference(id) => {
                    let dict = doc.get_dictionary(id).unwrap().clone();
                    if dict.get(b"Type").and_then(Object::as_name).ok() == Some(b"StructElem") {
                        let role = String::from_utf8_lossy(dict.get(b"S").unwrap().as_name().unwrap()).into_owned();
                        if let Ok(k) = dict.get(b"K") {
                            stack.push((k.clone(), Some(id)));
                        }
                        elements.push((id, Element { role, parent, dict }));
                    }
                }
                _ => {}
            }
        }
        let page_mcids = pages.iter().map(|&page| marked_content(&doc, page).0).collect();
        Tagged { doc, pages, elements, page_mcids }
    }

    fn element(&self, id: ObjectId) -> &Element {
        &self.elements.iter().find(|(e, _)| *e == id).unwrap().1
    }

    /// The MCIDs an element claims: (page index, MCID).
    fn claimed(&self, element: &Element) -> Vec<(usize, i64)> {
        let own_page = element.dict.get(b"Pg").and_then(Object::as_reference).ok();
        let kids = match element.dict.get(b"K") {
            Ok(Object::Array(items)) => items.clone(),
            Ok(other) => vec![other.clone()],
            Err(_) => Vec::new(),
        };
        let page_index = |id: ObjectId| self.pages.iter().position(|&p| p == id).unwrap();
        kids.iter()
            .filter_map(|kid| match kid {
                Object::Integer(mcid) => Some((page_index(own_page.expect("an MCID kid needs /Pg")), *mcid)),
                Object::Dictionary(d) if d.get(b"Type").and_then(Object::as_name).ok() == Some(b"MCR") => {
                    Some((page_index(d.get(b"Pg").unwrap().as_reference().unwrap()), d.get(b"MCID").unwrap().as_i64().unwrap()))
                }
                _ => None,
            })
            .collect()
    }

    /// The parent tree as a map from key to its value.
    fn parent_tree(&self) -> BTreeMap<i64, Object> {
        let root = self.doc.catalog().unwrap().get(b"StructTreeRoot").unwrap().as_reference().unwrap();
        let tree = self.doc.get_dictionary(root).unwrap().get(b"ParentTree").unwrap().as_reference().unwrap();
        let nums = self.doc.get_dictionary(tree).unwrap().get(b"Nums").unwrap().as_array().unwrap();
        nums.chunks(2).map(|pair| (pair[0].as_i64().unwrap(), pair[1].clone())).collect()
    }
}

/// A page's MCIDs in content order, and how many painting operators it has outside
/// any marked-content sequence (which would be neither content nor artifact).
fn marked_content(doc: &Document, page: ObjectId) -> (Vec<i64>, usize) {
    let content = Content::decode(&doc.get_page_content(page)).unwrap();
    let mut depth = 0usize;
    let mut mcids = Vec::new();
    let mut untagged = 0;
    for op in &content.operations {
        match op.operator.as_str() {
            "BDC" => {
                depth += 1;
                if let Some(Object::Dictionary(properties)) = op.operands.get(1) {
                    if let Ok(mcid) = properties.get(b"MCID").and_then(Object::as_i64) {
                        mcids.push(mcid);
                    }
                }
            }
            "BMC" => depth += 1,
            "EMC" => depth = depth.checked_sub(1).expect("EMC without BDC"),
            "Tj" | "TJ" | "'" | "\"" | "f" | "F" | "f*" | "S" | "s" | "B" | "B*" | "b" | "b*" | "Do" | "sh" if depth == 0 => untagged += 1,
            _ => {}
        }
    }
    assert_eq!(depth, 0, "marked content left open at the end of a page");
    (mcids, untagged)
}

fn text_of(object: &Object) -> String {
    match object {
        Object::String(bytes, _) if bytes.starts_with(&[0xFE, 0xFF]) => {
            String::from_utf16_lossy(&bytes[2..].chunks_exact(2).map(|p| u16::from_be_bytes([p[0], p[1]])).collect::<Vec<_>>())
        }
        Object::String(bytes, _) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::new(),
    }
}

#[test]
fn every_marked_content_id_is_in_the_tree_and_every_claim_exists() {
    for (label, bytes) in documents() {
        let tagged = Tagged::read(&bytes);
        let mut claimed = BTreeSet::new();
        for (_, element) in &tagged.elements {
            for (page, mcid) in tagged.claimed(element) {
                assert!(tagged.page_mcids[page].contains(&mcid), "{label}: a {} claims MCID {mcid} on page {}, which has none", element.role, page + 1);
                assert!(claimed.insert((page, mcid)), "{label}: MCID {mcid} on page {} is claimed twice", page + 1);
            }
        }
        let parent_tree = tagged.parent_tree();
        for (page, mcids) in tagged.page_mcids.iter().enumerate() {
            let page_dict = tagged.doc.get_dictionary(tagged.pages[page]).unwrap();
            let key = page_dict.get(b"StructParents").unwrap().as_i64().unwrap();
            let parents = parent_tree[&key].as_array().unwrap();
            for &mcid in mcids {
                assert!(claimed.contains(&(page, mcid)), "{label}: MCID {mcid} on page {} is in no structure element", page + 1);
                let parent = parents[mcid as usize].as_reference().unwrap();
                assert!(tagged.claimed(tagged.element(parent)).contains(&(page, mcid)), "{label}: the parent tree sends MCID {mcid} to the wrong element");
            }
            assert_eq!(marked_content(&tagged.doc, tagged.pages[page]).1, 0, "{label}: page {} paints outside marked content", page + 1);
        }
        let root = tagged.doc.catalog().unwrap().get(b"StructTreeRoot").unwrap().as_reference().unwrap();
        let next_key = tagged.doc.get_dictionary(root).unwrap().get(b"ParentTreeNextKey").unwrap().as_i64().unwrap();
        assert_eq!(next_key, parent_tree.keys().max().unwrap() + 1, "{label}");
    }
}

#[test]
fn headings_never_skip_a_level_figures_have_alt_text_and_header_cells_a_scope() {
    for (label, bytes) in documents() {
        let tagged = Tagged::read(&bytes);
        let mut last = 0;
        let mut headings = 0;
        for (_, element) in &tagged.elements {
            let role = element.role.as_str();
            if let Some(level) = role.strip_prefix('H').and_then(|l| l.parse::<i32>().ok()) {
                assert!(level <= last + 1, "{label}: H{level} follows H{last}");
                last = level;
                headings += 1;
            }
            if role == "Figure" {
                assert!(element.dict.get(b"Alt").map(text_of).is_ok_and(|alt| !alt.trim().is_empty()), "{label}: a Figure without /Alt");
            }
            if role == "TH" {
                let attributes = element.dict.get(b"A").unwrap().as_dict().unwrap();
                assert_eq!(attributes.get(b"Scope").unwrap().as_name().unwrap(), b"Column", "{label}");
            }
        }
        assert!(headings >= 3, "{label}: only {headings} headings tagged");
    }
}

#[test]
fn every_link_is_described_and_belongs_to_a_link_element() {
    for (label, bytes) in documents() {
        let tagged = Tagged::read(&bytes);
        let parent_tree = tagged.parent_tree();
        let mut links = 0;
        for &page in &tagged.pages {
            let page_dict = tagged.doc.get_dictionary(page).unwrap();
            assert_eq!(page_dict.get(b"Tabs").unwrap().as_name().unwrap(), b"S", "{label}");
            let Ok(annotations) = page_dict.get(b"Annots").and_then(Object::as_array) else { continue };
            for annotation in annotations {
                let id = annotation.as_reference().expect("annotations are objects of their own");
                let dict = tagged.doc.get_dictionary(id).unwrap();
                assert!(!text_of(dict.get(b"Contents").unwrap()).is_empty(), "{label}: a link without a description");
                let key = dict.get(b"StructParent").unwrap().as_i64().unwrap();
                let element = tagged.element(parent_tree[&key].as_reference().unwrap());
                assert_eq!(element.role, "Link", "{label}");
                let objr = element.dict.get(b"K").unwrap().as_array().unwrap()[0].as_dict().unwrap();
                assert_eq!(objr.get(b"Obj").unwrap().as_reference().unwrap(), id, "{label}: the Link element points at another annotation");
                assert!(element.parent.is_some(), "{label}");
                links += 1;
            }
        }
        assert!(links > 0, "{label}: no links to check");
    }
}

/// `pdfinfo -struct-text`: the tagged text in tree order, one string per line.
fn structure_text(path: &Path) -> Vec<String> {
    let out = Command::new("pdfinfo").arg("-struct-text").arg(path).output().expect("pdfinfo (poppler-utils) is needed");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| line.trim().strip_prefix('"').and_then(|l| l.strip_suffix('"')).map(str::to_string))
        .collect()
}

fn written(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

#[test]
fn the_marking_is_read_first_and_reading_order_follows_the_page() {
    for (label, bytes) in every_edition(&example_pack(), OutputOptions::default()) {
        let (_dir, path) = written(&bytes);
        let tagged = structure_text(&path);
        assert_eq!(tagged.first().map(String::as_str), Some("TLP:AMBER"), "{label}: the marking is not read first");
        // The tagged words, in tree order, appear in the page text in the same order
        // (the page text also has the running headers and footers, which are artifacts).
        let out = Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
        let page_text = String::from_utf8_lossy(&out.stdout).into_owned();
        // Each tagged string is found in the content-order page text, in order. Spaces
        // and hyphens are left out of the comparison: pdftotext breaks lines where the
        // page does, and a word hyphenated at a line end is one string in the tree.
        let squeeze = |text: &str| text.chars().filter(|c| !c.is_whitespace() && !matches!(c, '-' | '\u{2010}' | '\u{AD}')).collect::<String>();
        let page_text = squeeze(&page_text);
        let mut at = 0;
        for line in &tagged {
            let line = squeeze(line);
            match page_text[at..].find(&line) {
                Some(found) => at += found + line.len(),
                None => panic!("{label}: “{line}” is read out of order (or is not on the page); the page continues “{}”", page_text[at..].chars().take(80).collect::<String>()),
            }
        }
    }
}

/// The checkers' folder (`make deps` makes it); a clear failure when it is missing.
fn venv_tool(name: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.venv/bin").join(name);
    assert!(path.exists(), "{} is missing: run `make deps` (it installs the PDF checkers of scripts/pdf-checkers.txt into .venv)", path.display());
    path
}

#[test]
fn pdfua_finds_nothing_in_any_template_edition_or_the_fixture() {
    let pdfua = venv_tool("pdfua");
    let mut documents = documents();
    documents.extend(every_edition(&example_pack(), OutputOptions { accessible: Some(true), archival: Some(true) }));
    for (label, bytes) in documents {
        let (_dir, path) = written(&bytes);
        let out = Command::new(&pdfua).arg("check").arg(&path).output().unwrap();
        let report = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && report.contains("PASS (no findings)"), "{label}: pdfua reports:\n{report}");
    }
}

#[test]
fn archival_output_declares_pdf_a_and_passes_the_pdf_a_rules() {
    let python = venv_tool("python");
    for (label, bytes) in every_edition(&example_pack(), OutputOptions { archival: Some(true), accessible: None }) {
        let doc = Document::load_mem(&bytes).unwrap();
        let catalog = doc.catalog().unwrap();
        let intent = catalog.get(b"OutputIntents").unwrap().as_array().unwrap()[0].as_dict().unwrap();
        assert_eq!(intent.get(b"S").unwrap().as_name().unwrap(), b"GTS_PDFA1", "{label}");
        let profile = doc.get_object(intent.get(b"DestOutputProfile").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
        assert_eq!(profile.dict.get(b"N").unwrap().as_i64().unwrap(), 3);
        let xmp = doc.get_object(catalog.get(b"Metadata").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
        let xmp = String::from_utf8_lossy(&xmp.content);
        for claim in ["<pdfaid:part>2</pdfaid:part>", "<pdfaid:conformance>A</pdfaid:conformance>", "<pdfuaid:part>1</pdfuaid:part>", "<xmp:CreateDate>2025-10-20T00:00:00+00:00</xmp:CreateDate>"] {
            assert!(xmp.contains(claim), "{label}: the XMP lacks {claim}");
        }
        let info = doc.trailer.get(b"Info").unwrap().as_reference().unwrap();
        assert_eq!(text_of(doc.get_dictionary(info).unwrap().get(b"CreationDate").unwrap()), "D:20251020000000+00'00'");

        // pikepdf's PDF/A-2b rules (from the veraPDF profiles). Its allow-list knows no
        // PDF/UA claim and checks level B, so exactly these findings are expected: the
        // extension schema that declares pdfuaid (ISO 19005-2, 6.6.2.3.3 allows it) and
        // the level-A conformance letter. Anything else is a real problem.
        let (_dir, path) = written(&bytes);
        let script = "import sys, pikepdf.pdfa as p\nr = p.validate_written(sys.argv[1], '2b')\nfor f in r.findings: print(f)\n";
        let out = Command::new(&python).args(["-c", script]).arg(&path).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let expected = ["pdfaExtension", "pdfaSchema", "pdfaProperty", "pdfuaid:part", "pdfaExtension:schemas", "pdfaid:conformance is 'A', expected 'B'"];
        for finding in String::from_utf8_lossy(&out.stdout).lines() {
            assert!(expected.iter().any(|e| finding.contains(e)), "{label}: PDF/A finding: {finding}");
        }
    }
}

#[test]
fn identical_input_gives_identical_tagged_and_archival_bytes() {
    let options = OutputOptions { archival: Some(true), accessible: Some(true) };
    assert_eq!(every_edition(&example_pack(), options), every_edition(&example_pack(), options));
}

#[test]
fn the_accessible_style_has_large_ragged_text_and_strong_contrast() {
    for name in ["board-briefing", "training-handout"] {
        let template = briefpack::template::find(name, &[]).unwrap();
        let style = template.style.accessible();
        assert!(style.body_size >= 12.0 && style.line_height >= 1.5 && !style.justify && !style.hyphenate, "{name}");
        let c = &style.colours;
        for background in [Rgb::WHITE, c.code_background, c.table_header_background, c.callout_background] {
            for (what, colour) in [("text", c.text), ("heading", c.heading), ("accent", c.accent), ("muted", c.muted)] {
                let ratio = colour.contrast(background);
                assert!(ratio >= ACCESSIBLE_CONTRAST, "{name}: {what} {colour:?} on {background:?} is {ratio:.2}:1");
            }
        }
    }
    // The marking banners, whatever the style: TLP labels on black, UK classifications on white.
    for marking in ["TLP:CLEAR", "TLP:GREEN", "TLP:AMBER", "TLP:AMBER+STRICT", "TLP:RED", "OFFICIAL", "OFFICIAL-SENSITIVE", "SECRET", "TOP SECRET"] {
        let banner = briefpack::template::marking_banner(marking.parse().unwrap());
        let ratio = banner.colour.contrast(banner.background.unwrap_or(Rgb::WHITE));
        assert!(ratio >= ACCESSIBLE_CONTRAST, "{marking}: {ratio:.2}:1");
    }
}

#[test]
fn an_accessible_build_is_set_in_the_sans_serif_family() {
    let (_temp, pack) = copy_pack(&example_pack());
    let text = std::fs::read_to_string(pack.join("pack.toml")).unwrap();
    std::fs::write(pack.join("pack.toml"), format!("accessible = true\nlanguage = \"cy\"\n{text}")).unwrap();
    let built = render::pack_to_pdf(&pack, None, None, fonts()).unwrap();
    let doc = Document::load_mem(&built.output.pdf).unwrap();
    let fonts_used: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Type").and_then(Object::as_name).ok() == Some(b"FontDescriptor"))
        .map(|d| String::from_utf8_lossy(d.get(b"FontName").unwrap().as_name().unwrap()).into_owned())
        .collect();
    assert!(fonts_used.iter().any(|f| f.ends_with("NotoSans-Regular")), "{fonts_used:?}");
    assert!(!fonts_used.iter().any(|f| f.contains("NotoSerif")), "{fonts_used:?}");
    assert_eq!(text_of(doc.catalog().unwrap().get(b"Lang").unwrap()), "cy");
}

#[test]
fn an_article_in_another_language_is_tagged_with_it() {
    let (_temp, pack) = copy_pack(&example_pack());
    let article = pack.join("articles/mi5-annual-threat-update.md");
    let text = std::fs::read_to_string(&article).unwrap();
    std::fs::write(&article, text.replacen("+++\n", "+++\nlanguage = \"cy\"\n", 1)).unwrap();
    let built = render::pack_to_pdf(&pack, None, None, fonts()).unwrap();
    let tagged = Tagged::read(&built.output.pdf);
    let welsh: Vec<&Element> = tagged.elements.iter().map(|(_, e)| e).filter(|e| e.dict.get(b"Lang").map(text_of).ok().as_deref() == Some("cy")).collect();
    assert_eq!(welsh.len(), 1, "one group carries the article's language");
    let (_dir, path) = written(&built.output.pdf);
    let text = structure_text(&path).join(" ");
    assert!(text.contains("Director General"), "the article's body is still read");
    // The document keeps the pack's language.
    assert_eq!(text_of(tagged.doc.catalog().unwrap().get(b"Lang").unwrap()), "en-GB");
}

#[test]
fn language_marks_in_an_article_body_are_checked_and_a_stray_end_ends_nothing() {
    use briefpack::markdown::{parse, Block};
    let doc = parse("<!-- briefpack-language: <script> -->\n\nText.\n\n<!-- /briefpack-language -->\n\n<!-- briefpack-language: cy -->\n\nTestun.\n");
    let languages: Vec<&Block> = doc.blocks.iter().filter(|b| matches!(b, Block::Language(_))).collect();
    assert_eq!(languages, [&Block::Language(None), &Block::Language(Some("cy".into()))], "a malformed tag is dropped");
    // Laid out, an end without a start (and a start without an end) still gives a valid tree.
    let pdf = render::markdown_to_pdf("# T\n\n<!-- /briefpack-language -->\n\n- <!-- briefpack-language: cy -->\n\nAfter.\n", "t.md", &Style::default(), fonts(), &briefpack::layout::NoAssets).unwrap().pdf;
    let tagged = Tagged::read(&pdf);
    assert!(tagged.elements.iter().any(|(_, e)| e.role == "P"));
}

#[test]
fn task_boxes_are_read_as_done_or_not_done() {
    let tagged = Tagged::read(&fixture_document());
    let labels: Vec<String> = tagged
        .elements
        .iter()
        .filter(|(_, e)| e.role == "Lbl")
        .filter_map(|(_, e)| e.dict.get(b"Alt").ok().map(text_of))
        .collect();
    assert_eq!(labels, ["Done", "Not done"]);
}

#[test]
fn every_font_is_embedded_and_maps_its_glyphs_to_text() {
    for (label, bytes) in documents() {
        let doc = Document::load_mem(&bytes).unwrap();
        let mut fonts = 0;
        for object in doc.objects.values() {
            let Ok(font) = object.as_dict() else { continue };
            if font.get(b"Type").and_then(Object::as_name).ok() != Some(b"Font") || font.get(b"Subtype").and_then(Object::as_name).ok() != Some(b"Type0") {
                continue;
            }
            fonts += 1;
            assert!(font.get(b"ToUnicode").is_ok(), "{label}: a font without ToUnicode");
            let descendant = font.get(b"DescendantFonts").unwrap().as_array().unwrap()[0].clone();
            let descendant = match descendant {
                Object::Reference(id) => doc.get_dictionary(id).unwrap().clone(),
                Object::Dictionary(d) => d,
                _ => panic!("{label}: a font without its descendant"),
            };
            let descriptor = doc.get_dictionary(descendant.get(b"FontDescriptor").unwrap().as_reference().unwrap()).unwrap();
            assert!(descriptor.get(b"FontFile2").is_ok(), "{label}: a font that is not embedded");
        }
        assert!(fonts >= 2, "{label}");
        // Every glyph copies out as text: no replacement characters.
        let (_dir, path) = written(&bytes);
        let out = Command::new("pdftotext").args(["-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
        assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{FFFD}'), "{label}: a glyph without text");
    }
}

/// The roles of an element's child elements, in order.
fn child_roles(tagged: &Tagged, parent: ObjectId) -> Vec<String> {
    tagged.elements.iter().filter(|(_, e)| e.parent == Some(parent)).map(|(_, e)| e.role.clone()).collect()
}

#[test]
fn a_chart_is_a_figure_with_its_data_also_as_a_table() {
    let built = render::pack_to_pdf(&fixtures().join("packs/with-series"), None, None, fonts()).unwrap();
    let tagged = Tagged::read(&built.output.pdf);
    let (_, element) = tagged.elements.iter().find(|(_, e)| e.role == "Figure").expect("the chart is a figure");
    let alt = text_of(element.dict.get(b"Alt").unwrap());
    assert!(alt.starts_with("Bar chart: Phishing emails reported by staff"), "{alt}");
    assert!(alt.contains("2021: 100") && alt.contains("2025: 420"), "{alt}");
    let group = element.parent.unwrap();
    assert_eq!(child_roles(&tagged, group), ["Figure", "Table", "P"], "figure, its data, its source");
    let (table, _) = tagged.elements.iter().find(|(_, e)| e.parent == Some(group) && e.role == "Table").unwrap();
    let (_dir, path) = written(&built.output.pdf);
    let text = structure_text(&path).join(" ");
    assert!(text.contains("2021 2022 2023 2024 2025 100 200 250 300 420"), "the table reads the labels, then the values: {text}");
    let cells = |role: &str| tagged.elements.iter().filter(|(_, e)| e.role == role && ancestors(&tagged, e).contains(table)).count();
    assert_eq!((cells("TH"), cells("TD")), (5, 5));
}

fn ancestors(tagged: &Tagged, element: &Element) -> Vec<ObjectId> {
    let mut out = Vec::new();
    let mut at = element.parent;
    while let Some(id) = at {
        out.push(id);
        at = tagged.element(id).parent;
    }
    out
}

#[test]
fn a_footnote_number_is_a_reference_holding_its_link() {
    let tagged = Tagged::read(&fixture_document());
    let references: Vec<ObjectId> = tagged.elements.iter().filter(|(_, e)| e.role == "Reference").map(|(id, _)| *id).collect();
    assert_eq!(references.len(), 2, "one per footnote reference");
    for reference in references {
        assert_eq!(tagged.element(reference).parent.map(|p| tagged.element(p).role.clone()).as_deref(), Some("P"));
        assert_eq!(child_roles(&tagged, reference), ["Link"], "the note's link belongs to its number");
    }
    assert_eq!(tagged.elements.iter().filter(|(_, e)| e.role == "Note").count(), 2);
}

#[test]
fn source_notes_are_notes_and_citations_references() {
    let built = render::pack_to_pdf(&example_pack(), None, None, fonts()).unwrap();
    let tagged = Tagged::read(&built.output.pdf);
    let notes = tagged.elements.iter().filter(|(_, e)| e.role == "Note").count();
    assert!(notes >= 1, "the Sources list is notes");
    let references: Vec<ObjectId> = tagged.elements.iter().filter(|(_, e)| e.role == "Reference").map(|(id, _)| *id).collect();
    assert!(!references.is_empty(), "citations are references");
    for reference in references {
        assert_eq!(child_roles(&tagged, reference), ["Link"]);
    }
}

#[test]
fn an_archival_build_warns_about_a_cmyk_image() {
    let folder = tempfile::tempdir().unwrap();
    // A 40 × 30 CMYK JPEG made with ImageMagick (`convert … -colorspace CMYK`).
    std::fs::copy(fixtures().join("images/cmyk.jpg"), folder.path().join("print.jpg")).unwrap();
    let source = "# Print\n\n![A test card](print.jpg)\n";
    let assets = FolderAssets::new(folder.path());
    let archival = OutputOptions { archival: Some(true), accessible: None };
    let built = render::markdown_to_pdf_with(source, "print.md", &Style::default(), archival, fonts(), &assets).unwrap();
    let warning = built.warnings.iter().find(|w| w.message.contains("CMYK")).expect("a warning about the CMYK image");
    assert!(warning.file.ends_with("print.jpg"), "{warning:?}");
    let plain = render::markdown_to_pdf(source, "print.md", &Style::default(), fonts(), &assets).unwrap();
    assert!(!plain.warnings.iter().any(|w| w.message.contains("CMYK")), "only archival output cares");
}

#[test]
fn a_hyphen_added_at_a_line_break_reads_as_a_soft_hyphen() {
    let built = render::pack_to_pdf(&example_pack(), None, None, fonts()).unwrap();
    let (_dir, path) = written(&built.output.pdf);
    // pdftotext reads what assistive technology reads: the ActualText of the hyphen.
    let out = Command::new("pdftotext").args(["-raw", "-enc", "UTF-8"]).arg(&path).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("num\u{AD}\nber of individuals"), "the bottom line's “number” is hyphenated at its line end: {text}");
    // A hyphen that is part of the word stays a hyphen.
    assert!(text.contains("state-threat"));
}
