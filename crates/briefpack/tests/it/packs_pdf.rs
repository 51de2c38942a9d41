//! Packs built to PDF and read back the way a reader meets them: the example
//! pack in every template and edition, and small fixture packs for what the
//! example lacks (a series to chart, a UK classification, marking leaks,
//! template code in pack text, a library's own copy of a template).
//!
//! Text comes from poppler's `pdftotext`, per page and per word with its box;
//! sizes, colours and filled boxes from the pages' content streams (lopdf); QR
//! codes from the page rendered with `pdftoppm -r 200` and decoded with
//! `zbarimg` (Debian's zbar-tools, installed by `make deps`).

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex, OnceLock};

use briefpack::fonts::FontSet;
use briefpack::layout::style::mm;
use briefpack::layout::Style;
use briefpack::pack::{self, Marking, MarkingScheme, Pack, PackError, Statistic};
use briefpack::render::{pack_to_pdf, template_search_path, PackRendered, RenderError};
use briefpack::template;

use crate::common::{copy_pack, example_pack, fixtures};
use crate::pdf_check::{number, Pdf, Target};

// ---------------------------------------------------------------------------
// Building, with each (pack, template, edition) built and read back once
// ---------------------------------------------------------------------------

/// The three ways the example pack is printed.
const EDITIONS: [(&str, Option<&str>); 3] =
    [("board-briefing", None), ("training-handout", Some("participant")), ("training-handout", Some("facilitator"))];

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::bundled().unwrap())
}

fn fixture_pack(name: &str) -> PathBuf {
    fixtures().join("packs").join(name)
}

fn build(dir: &Path, template: Option<&str>, edition: Option<&str>) -> PackRendered {
    pack_to_pdf(dir, template, edition, fonts())
        .unwrap_or_else(|e| panic!("{} ({template:?}, {edition:?}) does not build: {e}", dir.display()))
}

/// A built PDF and what was read back from it.
struct Built {
    /// "pack-folder template/edition", for messages.
    name: String,
    bytes: Vec<u8>,
    /// `pdftotext -layout`, one string per page.
    pages: Vec<String>,
    /// `pdftotext -bbox`, per page.
    words: Vec<PageWords>,
    /// The template's style (margins, colours).
    style: Style,
    /// The pack as loaded.
    pack: Pack,
}

impl Built {
    fn text(&self) -> String {
        self.pages.join("\n")
    }

    fn pdf(&self) -> Pdf {
        Pdf::parse(&self.bytes)
    }
}

fn built(dir: &Path, template: &str, edition: Option<&str>) -> Arc<Built> {
    static CACHE: OnceLock<Mutex<HashMap<String, Arc<Built>>>> = OnceLock::new();
    let key = format!("{}|{template}|{edition:?}", dir.display());
    let mut cache = CACHE.get_or_init(Default::default).lock().unwrap_or_else(|e| e.into_inner());
    if let Some(b) = cache.get(&key) {
        return b.clone();
    }
    let rendered = build(dir, Some(template), edition);
    let bytes = rendered.output.pdf;
    let pages = Pdf::parse(&bytes).page_texts();
    let words = bbox_words(&bytes);
    assert_eq!(words.len(), pages.len(), "pdftotext -bbox pages");
    let style = template::find(template, &template_search_path(dir)).unwrap().style;
    let pack = pack::load(dir).unwrap().pack;
    let folder = dir.file_name().unwrap().to_string_lossy();
    let name = format!("{folder} {template}{}", edition.map(|e| format!("/{e}")).unwrap_or_default());
    let b = Arc::new(Built { name, bytes, pages, words, style, pack });
    cache.insert(key, b.clone());
    b
}

fn example(template: &str, edition: Option<&str>) -> Arc<Built> {
    built(&example_pack(), template, edition)
}

// ---------------------------------------------------------------------------
// Reading a PDF back: word boxes, drawing, text normalisation
// ---------------------------------------------------------------------------

/// One page of `pdftotext -bbox`: size in points and the words with their boxes
/// (top-down coordinates, like the layout's).
struct PageWords {
    width: f32,
    height: f32,
    words: Vec<Word>,
}

#[derive(Debug, Clone, PartialEq)]
struct Word {
    text: String,
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
}

impl Word {
    fn overlaps(&self, other: &Word) -> bool {
        const SLACK: f32 = 0.5;
        self.x0 + SLACK < other.x1 && other.x0 + SLACK < self.x1 && self.y0 + SLACK < other.y1 && other.y0 + SLACK < self.y1
    }
}

fn write_temp_pdf(bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("out.pdf");
    std::fs::write(&path, bytes).unwrap();
    (dir, path)
}

fn bbox_words(bytes: &[u8]) -> Vec<PageWords> {
    let (_dir, path) = write_temp_pdf(bytes);
    let out = Command::new("pdftotext")
        .args(["-bbox", "-enc", "UTF-8"])
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) must be installed: run `make deps`");
    assert!(out.status.success(), "pdftotext -bbox failed: {}", String::from_utf8_lossy(&out.stderr));
    let html = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<PageWords> = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            pages.push(PageWords { width: attr(line, "width"), height: attr(line, "height"), words: Vec::new() });
        } else if line.starts_with("<word ") {
            let text = &line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()];
            let text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
            let word = Word { text, x0: attr(line, "xMin"), y0: attr(line, "yMin"), x1: attr(line, "xMax"), y1: attr(line, "yMax") };
            pages.last_mut().expect("a word outside a page").words.push(word);
        }
    }
    pages
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!(" {name}=\"");
    let start = tag.find(&key).unwrap_or_else(|| panic!("no {name} in {tag}")) + key.len();
    let end = start + tag[start..].find('"').unwrap();
    tag[start..end].parse().unwrap()
}

/// Text shown by a page: where its baseline starts, its size and fill colour.
#[derive(Debug)]
struct Shown {
    x: f32,
    baseline: f32,
    size: f32,
    colour: [f32; 3],
}

/// A filled rectangle, top-down coordinates.
#[derive(Debug)]
struct Fill {
    x0: f32,
    y0: f32,
    x1: f32,
    y1: f32,
    colour: [f32; 3],
}

impl Fill {
    fn contains(&self, w: &Word) -> bool {
        const SLACK: f32 = 0.5;
        self.x0 <= w.x0 + SLACK && self.x1 >= w.x1 - SLACK && self.y0 <= w.y0 + SLACK && self.y1 >= w.y1 - SLACK
    }
}

/// What page `index` (0-based) draws, read from its content stream.
fn drawn(pdf: &Pdf, index: usize) -> (Vec<Shown>, Vec<Fill>) {
    let id = pdf.page_ids()[index];
    let (_, height) = pdf.page_size(index + 1);
    let content = pdf.doc.get_and_decode_page_content(id).expect("page content stream");
    let (mut texts, mut fills) = (Vec::new(), Vec::new());
    let mut colour = [0.0_f32; 3];
    let mut saved = Vec::new();
    let (mut size, mut scale, mut at) = (0.0_f32, 1.0_f32, (0.0_f32, 0.0_f32));
    let mut path: Vec<[f32; 4]> = Vec::new();
    for op in &content.operations {
        let n = |i: usize| number(&op.operands[i]);
        match op.operator.as_str() {
            "q" => saved.push(colour),
            "Q" => colour = saved.pop().unwrap_or(colour),
            "rg" => colour = [n(0), n(1), n(2)],
            "g" => colour = [n(0); 3],
            "Tf" => size = n(1),
            "Tm" => {
                scale = n(3).abs();
                at = (n(4), n(5));
            }
            "Td" | "TD" => at = (at.0 + n(0), at.1 + n(1)),
            "Tj" | "TJ" | "'" | "\"" => texts.push(Shown { x: at.0, baseline: height - at.1, size: size * scale, colour }),
            "re" => path.push([n(0), n(1), n(2), n(3)]),
            "f" | "F" | "f*" | "B" | "B*" | "b" | "b*" => {
                for [x, y, w, h] in path.drain(..) {
                    let (x0, x1) = (x.min(x + w), x.max(x + w));
                    let (y0, y1) = (height - y.max(y + h), height - y.min(y + h));
                    fills.push(Fill { x0, y0, x1, y1, colour });
                }
            }
            "n" | "S" | "s" => path.clear(),
            _ => {}
        }
    }
    (texts, fills)
}

fn same_colour(a: [f32; 3], b: [f32; 3]) -> bool {
    a.iter().zip(b).all(|(x, y)| (x - y).abs() < 0.005)
}

fn rgb(hex: u32) -> [f32; 3] {
    [(hex >> 16) as f32 / 255.0, ((hex >> 8) & 0xFF) as f32 / 255.0, (hex & 0xFF) as f32 / 255.0]
}

/// FIRST's TLP 2.0 text colours, as DESIGN.md lists them.
fn tlp_colour(label: &str) -> [f32; 3] {
    match label {
        "TLP:RED" => rgb(0xFF2B2B),
        "TLP:AMBER" | "TLP:AMBER+STRICT" => rgb(0xFFC000),
        "TLP:GREEN" => rgb(0x33FF00),
        "TLP:CLEAR" => rgb(0xFFFFFF),
        other => panic!("{other} is not a TLP label"),
    }
}

/// Lower-case letters and digits only: survives line breaks, hyphenation and
/// header lines in between.
fn squash(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).flat_map(char::to_lowercase).collect()
}

/// Whitespace removed and quotes straightened: for text where the punctuation matters.
fn tight(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '“' | '”' => '"',
            '‘' | '’' => '\'',
            c => c,
        })
        .collect()
}

fn long_date(d: chrono::NaiveDate) -> String {
    d.format("%-d %B %Y").to_string()
}

// ---------------------------------------------------------------------------
// Checks shared by several packs
// ---------------------------------------------------------------------------

/// The marking on every page, in the top and in the bottom margin: TLP labels
/// right-aligned, at least 12 pt, in their FIRST colour on a black box; UK
/// classifications centred in capitals. Nothing else is printed across it.
fn assert_marking_on_every_page(b: &Built, marking: Marking) {
    let label = marking.label();
    let pdf = b.pdf();
    let m = &b.style.margins;
    for (i, page) in b.words.iter().enumerate() {
        let n = i + 1;
        let at = format!("{}, page {n}", b.name);
        assert!(b.pages[i].contains(label), "{at}: no {label} in the page's text:\n{}", b.pages[i]);
        let (left, right) = (mm(m.left), page.width - mm(m.right));
        let marks: Vec<&Word> = page.words.iter().filter(|w| w.text == label).collect();
        let header: Vec<&Word> = marks.iter().copied().filter(|w| w.y1 <= mm(m.top)).collect();
        let footer: Vec<&Word> = marks.iter().copied().filter(|w| w.y0 >= page.height - mm(m.bottom)).collect();
        assert_eq!(header.len(), 1, "{at}: want {label} once in the top margin; found {marks:?}");
        assert_eq!(footer.len(), 1, "{at}: want {label} once in the bottom margin; found {marks:?}");
        let (texts, fills) = drawn(&pdf, i);
        for (word, place) in [(header[0], "header"), (footer[0], "footer")] {
            match marking.scheme() {
                MarkingScheme::Tlp => {
                    assert!((word.x1 - right).abs() < 1.0, "{at}: {place} {label} is not right-aligned: ends at {} pt, the margin is at {right} pt", word.x1);
                    let run = texts
                        .iter()
                        .find(|t| (t.x - word.x0).abs() < 1.0 && t.baseline > word.y0 - 0.5 && t.baseline < word.y1 + 0.5)
                        .unwrap_or_else(|| panic!("{at}: no text drawn where the {place} {label} is ({word:?})"));
                    assert!(run.size >= 12.0, "{at}: {place} {label} is {} pt; TLP labels must be 12 pt or larger", run.size);
                    assert!(same_colour(run.colour, tlp_colour(label)), "{at}: {place} {label} is coloured {:?}, not FIRST's {:?}", run.colour, tlp_colour(label));
                    assert!(
                        fills.iter().any(|f| same_colour(f.colour, [0.0; 3]) && f.contains(word)),
                        "{at}: {place} {label} is not on a black box"
                    );
                }
                MarkingScheme::UkClassification => {
                    let centre = (word.x0 + word.x1) / 2.0;
                    assert!((centre - (left + right) / 2.0).abs() < 1.0, "{at}: {place} {label} is not centred: its middle is at {centre} pt, the text column's at {} pt", (left + right) / 2.0);
                    assert_eq!(word.text, word.text.to_uppercase(), "{at}: {place} marking is not in capitals");
                }
            }
            let crossing: Vec<&Word> = page.words.iter().filter(|o| !std::ptr::eq(*o, word) && o.overlaps(word)).collect();
            assert!(crossing.is_empty(), "{at}: text is printed across the {place} {label} ({word:?}): {crossing:?}");
        }
    }
}

/// The numbered list under the last "Sources" heading: number → entry text.
fn source_notes(text: &str) -> BTreeMap<usize, String> {
    let lines: Vec<&str> = text.lines().collect();
    let heading = |l: &&str| {
        let words: Vec<&str> = l.split_whitespace().collect();
        matches!(words.as_slice(), ["Sources"]) || matches!(words.as_slice(), [n, "Sources"] if n.parse::<usize>().is_ok())
    };
    let start = lines.iter().rposition(heading).expect("no 'Sources' heading");
    let mut notes = BTreeMap::new();
    let mut current = None;
    for line in &lines[start + 1..] {
        let t = line.trim();
        if t.is_empty() {
            if notes.is_empty() {
                continue;
            }
            break;
        }
        match t.split_once(". ").and_then(|(n, rest)| Some((n.parse::<usize>().ok()?, rest))) {
            Some((n, rest)) => {
                notes.insert(n, rest.to_string());
                current = Some(n);
            }
            None => {
                if let Some(n) = current {
                    let entry: &mut String = notes.get_mut(&n).unwrap();
                    entry.push(' ');
                    entry.push_str(t);
                }
            }
        }
    }
    notes
}

/// Where a statistic's key-figure card is: the page and the words under its
/// large figure, in reading order.
fn card(b: &Built, s: &Statistic) -> (usize, String) {
    let display = s.display_text();
    let first = display.split_whitespace().next().unwrap();
    for (i, page) in b.words.iter().enumerate() {
        let figures: Vec<&Word> = page.words.iter().filter(|w| w.y1 - w.y0 > 18.0).collect();
        let Some(fig) = figures.iter().find(|w| w.text == first) else { continue };
        // The card's column runs to the next figure on the same row.
        let next = figures
            .iter()
            .filter(|w| (w.y0 - fig.y0).abs() < 2.0 && w.x0 > fig.x0 + 1.0)
            .map(|w| w.x0)
            .fold(page.width, f32::min);
        let mut col: Vec<&Word> =
            page.words.iter().filter(|w| w.x0 >= fig.x0 - 1.0 && w.x0 < next - 1.0 && w.y0 >= fig.y0 - 1.0 && w.y0 <= fig.y1 + 90.0).collect();
        col.sort_by(|a, b| ((a.y1 * 2.0).round(), a.x0).partial_cmp(&((b.y1 * 2.0).round(), b.x0)).unwrap());
        return (i, col.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" "));
    }
    panic!("{}: no key-figure card shows `{display}` for statistic `{}`", b.name, s.id);
}

/// Every statistic shows its period and as-of date, and carries a "[n]" marker
/// whose numbered entry under "Sources" names its source and date; returns the numbers.
fn assert_statistics_sourced(b: &Built) -> BTreeMap<String, usize> {
    let text = b.text();
    let notes = source_notes(&text);
    let mut numbers = BTreeMap::new();
    for s in &b.pack.statistics {
        let at = format!("{}, statistic `{}`", b.name, s.id);
        let (_, col) = card(b, s);
        let period = s.period.as_deref().unwrap_or_else(|| panic!("{at}: the fixture needs a period"));
        assert!(squash(&col).contains(&squash(period)), "{at}: the card does not show the period {period:?}: {col}");
        let as_of = format!("As of {}", long_date(s.as_of.unwrap()));
        assert!(col.contains(&as_of), "{at}: the card does not show {as_of:?}: {col}");
        let marker = col
            .split("Source [")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .and_then(|n| n.parse::<usize>().ok())
            .unwrap_or_else(|| panic!("{at}: the card has no 'Source [n]' marker: {col}"));
        let note = notes.get(&marker).unwrap_or_else(|| panic!("{at}: marker [{marker}] but the Sources list is {notes:#?}"));
        let source = s.source.as_deref().unwrap();
        assert!(squash(note).contains(&squash(source)), "{at}: Sources entry {marker} does not name {source:?}: {note}");
        assert!(squash(note).contains(&squash(&as_of)), "{at}: Sources entry {marker} does not give {as_of:?}: {note}");
        if b.name.contains("board-briefing") {
            // The figures table cites the same note on the statistic's row.
            let label_start: String = s.label.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
            let cite = format!("[{marker}]");
            assert!(
                text.lines().any(|l| l.contains(&label_start) && l.contains(&s.display_text()) && l.contains(&cite)),
                "{at}: no table row with {label_start:?}, {:?} and {cite}",
                s.display_text()
            );
        }
        numbers.insert(s.id.clone(), marker);
    }
    // Statistics whose notes would read the same share one note; different notes have different numbers.
    let distinct: BTreeSet<usize> = numbers.values().copied().collect();
    for (a, b_id) in numbers.keys().flat_map(|a| numbers.keys().map(move |b| (a, b))).filter(|(a, b)| a < b) {
        let (sa, sb) = (b.pack.statistics.iter().find(|s| &s.id == a).unwrap(), b.pack.statistics.iter().find(|s| &s.id == b_id).unwrap());
        let same_note = (&sa.source, &sa.source_url, sa.as_of, sa.grade) == (&sb.source, &sb.source_url, sb.as_of, sb.grade);
        assert_eq!(numbers[a] == numbers[b_id], same_note, "{}: `{a}` and `{b_id}` have notes {} and {}", b.name, numbers[a], numbers[b_id]);
    }
    assert_eq!(notes.len(), distinct.len(), "{}: the Sources list has entries that no statistic cites: {notes:#?}", b.name);
    numbers
}

/// The clickable tile of each QR code: page (1-based) and rectangle (PDF space) per address.
fn qr_tiles(pdf: &Pdf, urls: &BTreeSet<String>) -> BTreeMap<String, (usize, [f32; 4])> {
    let mut tiles: BTreeMap<String, (usize, [f32; 4])> = BTreeMap::new();
    let area = |r: &[f32; 4]| (r[2] - r[0]) * (r[3] - r[1]);
    for page in 1..=pdf.page_count() {
        for link in pdf.links(page) {
            if let Target::Uri(url) = &link.target {
                // The tile (code, title and address) is the largest area opening the address.
                if urls.contains(url) && tiles.get(url).is_none_or(|(_, r)| area(&link.rect) > area(r)) {
                    tiles.insert(url.clone(), (page, link.rect));
                }
            }
        }
    }
    tiles
}

/// Runs `zbarimg` on images; the QR codes decoded from each.
fn zbar(images: &[PathBuf]) -> BTreeMap<PathBuf, Vec<String>> {
    let out = Command::new("zbarimg")
        .args(["--xml", "-q"])
        .args(images)
        .output()
        .expect("zbarimg (zbar-tools) must be installed: run `make deps`");
    let xml = String::from_utf8_lossy(&out.stdout);
    let mut found: BTreeMap<PathBuf, Vec<String>> = images.iter().map(|p| (p.clone(), Vec::new())).collect();
    for source in xml.split("<source href='").skip(1) {
        let href = PathBuf::from(&source[..source.find('\'').unwrap()]);
        let codes = source.split("<data><![CDATA[").skip(1).map(|d| d[..d.find("]]>").unwrap()].to_string());
        found.entry(href).or_default().extend(codes);
    }
    found
}

/// Each link's QR code decodes, on its own tile, to exactly that link's address.
fn assert_qr_codes_decode(b: &Built) {
    let pdf = b.pdf();
    let urls: BTreeSet<String> = b.pack.links.iter().map(|l| l.url.clone()).collect();
    assert!(!urls.is_empty(), "{}: the pack has no links", b.name);
    let tiles = qr_tiles(&pdf, &urls);
    assert_eq!(tiles.keys().collect::<Vec<_>>(), urls.iter().collect::<Vec<_>>(), "{}: a link has no clickable QR tile", b.name);
    let (dir, path) = write_temp_pdf(&b.bytes);
    const DPI: f32 = 200.0;
    let scale = DPI / 72.0;
    let pages: BTreeSet<usize> = tiles.values().map(|(p, _)| *p).collect();
    let mut crops = Vec::new();
    let mut whole_pages = Vec::new();
    for page in pages {
        let prefix = dir.path().join(format!("page{page}"));
        let out = Command::new("pdftoppm")
            .args(["-r", "200", "-png", "-singlefile", "-f", &page.to_string(), "-l", &page.to_string()])
            .arg(&path)
            .arg(&prefix)
            .output()
            .expect("pdftoppm (poppler-utils) must be installed: run `make deps`");
        assert!(out.status.success(), "pdftoppm failed: {}", String::from_utf8_lossy(&out.stderr));
        let png = prefix.with_extension("png");
        let image = image::open(&png).unwrap();
        let (_, height) = pdf.page_size(page);
        for (url, (_, r)) in tiles.iter().filter(|(_, (p, _))| *p == page) {
            let x = (r[0] * scale).floor().max(0.0) as u32;
            let y = ((height - r[3]) * scale).floor().max(0.0) as u32;
            let w = (((r[2] - r[0]) * scale).ceil() as u32).min(image.width() - x);
            let h = (((r[3] - r[1]) * scale).ceil() as u32).min(image.height() - y);
            let crop = dir.path().join(format!("tile{}.png", crops.len()));
            image.crop_imm(x, y, w, h).save(&crop).unwrap();
            crops.push((url.clone(), crop));
        }
        whole_pages.push(png);
    }
    let mut files: Vec<PathBuf> = crops.iter().map(|(_, p)| p.clone()).collect();
    files.extend(whole_pages.iter().cloned());
    let decoded = zbar(&files);
    for (url, crop) in &crops {
        assert_eq!(decoded[crop], vec![url.clone()], "{}: the QR tile for {url} decodes to {:?}", b.name, decoded[crop]);
    }
    let on_pages: BTreeSet<String> = whole_pages.iter().flat_map(|p| decoded[p].iter().cloned()).collect();
    assert_eq!(on_pages, urls, "{}: the QR codes on the page(s) decode to other addresses", b.name);
}

/// A chart of `stat`'s series: one bar per point in the accent colour, heights in
/// proportion to the values, each labelled with its year; titled, with its source
/// line citing `note`.
fn assert_chart(b: &Built, stat: &Statistic, note: usize) {
    let at = format!("{}, chart of `{}`", b.name, stat.id);
    let source_line = format!("Source: {} [{note}]", stat.source.as_deref().unwrap());
    let page = b
        .pages
        .iter()
        .position(|p| squash(p).contains(&squash(&source_line)))
        .unwrap_or_else(|| panic!("{at}: no chart source line {source_line:?} in:\n{}", b.text()));
    assert!(b.pages[page].contains(&stat.label), "{at}: the chart's page does not show its title {:?}", stat.label);
    let (_, fills) = drawn(&b.pdf(), page);
    let accent = b.style.colours.accent.unit();
    let mut bars: Vec<&Fill> = fills.iter().filter(|f| same_colour(f.colour, accent) && f.x1 - f.x0 > 4.0 && f.y1 - f.y0 > 0.5).collect();
    bars.sort_by(|a, b| a.x0.partial_cmp(&b.x0).unwrap());
    let values: Vec<f32> = stat.series.iter().map(|p| p.value as f32).collect();
    assert_eq!(bars.len(), values.len(), "{at}: want one bar per point ({values:?}), found {bars:?}");
    let base = bars[0].y1;
    assert!(bars.iter().all(|f| (f.y1 - base).abs() < 0.5), "{at}: bars do not stand on one axis: {bars:?}");
    let (top_value, top_height) = (values[values.len() - 1], bars[bars.len() - 1].y1 - bars[bars.len() - 1].y0);
    for (bar, (value, point)) in bars.iter().zip(values.iter().zip(&stat.series)) {
        let want = top_height * value / top_value;
        assert!((bar.y1 - bar.y0 - want).abs() < 1.0, "{at}: the bar for {value} is {} pt tall, want {want}", bar.y1 - bar.y0);
        let year = point.date.format("%Y").to_string();
        let centre = (bar.x0 + bar.x1) / 2.0;
        assert!(
            b.words[page].words.iter().any(|w| w.text == year && w.y0 > base && (w.x0 + w.x1) / 2.0 - centre < 2.0 && centre - (w.x0 + w.x1) / 2.0 < 2.0),
            "{at}: no label {year} under the bar for {value}"
        );
    }
}

/// How many charts a built pack shows (each has one "Source: … [n]" line).
fn chart_count(b: &Built) -> usize {
    b.text().lines().filter(|l| l.trim_start().starts_with("Source: ")).count()
}

// ---------------------------------------------------------------------------
// The example pack in every template and edition
// ---------------------------------------------------------------------------

#[test]
fn the_example_packs_marking_is_in_the_header_and_footer_of_every_page() {
    for (template, edition) in EDITIONS {
        let b = example(template, edition);
        assert_eq!(b.pack.meta.marking, Marking::TlpAmber);
        assert!(b.pages.len() >= 3, "{}: only {} pages", b.name, b.pages.len());
        assert_marking_on_every_page(&b, b.pack.meta.marking);
    }
}

#[test]
fn the_example_packs_statistics_show_period_as_of_and_a_numbered_source_note() {
    for (template, edition) in EDITIONS {
        let b = example(template, edition);
        let numbers = assert_statistics_sourced(&b);
        assert_eq!(numbers.len(), 2, "{}: {numbers:?}", b.name);
        // The example has no series: no chart.
        assert_eq!(chart_count(&b), 0, "{}: a chart for a statistic with no series", b.name);
    }
}

#[test]
fn the_handouts_qr_codes_decode_to_the_packs_links() {
    for (template, edition) in EDITIONS.into_iter().filter(|(t, _)| *t == "training-handout") {
        assert_qr_codes_decode(&example(template, edition));
    }
    // The board briefing prints its guidance links as clickable addresses.
    let board = example("board-briefing", None);
    let pdf = board.pdf();
    let clickable: BTreeSet<String> = (1..=pdf.page_count())
        .flat_map(|p| pdf.links(p))
        .filter_map(|a| match a.target {
            Target::Uri(u) => Some(u),
            _ => None,
        })
        .collect();
    for link in &board.pack.links {
        assert!(clickable.contains(&link.url), "board briefing: {} is not clickable ({clickable:?})", link.url);
        assert!(board.text().contains(link.url.trim_start_matches("https://")), "board briefing: {} is not printed", link.url);
    }
}

#[test]
fn facilitator_content_is_only_in_the_facilitator_edition() {
    let participant = example("training-handout", Some("participant"));
    let facilitator = example("training-handout", Some("facilitator"));
    let board = example("board-briefing", None);
    let pack = &facilitator.pack;
    let plan = pack.sections.iter().find(|s| s.edition.as_deref() == Some("facilitator")).expect("the example has a facilitator-only section");
    let plan_title = plan.title.as_deref().unwrap();
    assert_eq!(plan_title, "Session plan");
    let plan_opening: String = plan.body.as_deref().unwrap().split_whitespace().take(8).collect::<Vec<_>>().join(" ");

    let mut facilitator_only: Vec<(String, String)> = vec![
        ("the 'Session plan' heading".into(), plan_title.into()),
        ("the session plan's text".into(), plan_opening),
        ("the 'Facilitator edition' label".into(), "Facilitator edition".into()),
    ];
    for (i, q) in pack.questions.iter().enumerate() {
        let answer: String = q.answer.as_deref().unwrap().split_whitespace().take(8).collect::<Vec<_>>().join(" ");
        facilitator_only.push((format!("question {}'s answer", i + 1), answer));
        facilitator_only.push((format!("question {}'s timing", i + 1), format!("allow {} minutes", q.minutes.unwrap())));
    }
    for (what, needle) in &facilitator_only {
        assert!(squash(&facilitator.text()).contains(&squash(needle)), "facilitator edition lacks {what}: {needle:?}");
        for other in [&participant, &board] {
            assert!(!squash(&other.text()).contains(&squash(needle)), "{} shows {what}: {needle:?}", other.name);
        }
    }
    // The questions themselves are in both handouts.
    for q in &pack.questions {
        let opening: String = q.text.split_whitespace().take(8).collect::<Vec<_>>().join(" ");
        assert!(squash(&participant.text()).contains(&squash(&opening)), "participant edition lacks the question {opening:?}");
    }
    // The facilitator edition says so on every page; the participant edition never says "facilitator".
    for (i, page) in facilitator.pages.iter().enumerate() {
        assert!(page.contains("Facilitator edition"), "facilitator edition, page {}: no 'Facilitator edition' label:\n{page}", i + 1);
    }
    assert!(!participant.text().to_lowercase().contains("facilitator"), "participant edition mentions the facilitator:\n{}", participant.text());
}

#[test]
fn the_pdf_metadata_carries_the_marking() {
    for (template, edition) in EDITIONS {
        let b = example(template, edition);
        let info = b.pdf().info();
        let keywords = info.get("Keywords").cloned().unwrap_or_default();
        let subject = info.get("Subject").cloned().unwrap_or_default();
        assert!(keywords.split(',').any(|k| k.trim() == "TLP:AMBER"), "{}: Keywords {keywords:?}", b.name);
        assert!(subject.contains("TLP:AMBER"), "{}: Subject {subject:?}", b.name);
    }
    let uk = built(&fixture_pack("uk-official-sensitive"), "board-briefing", None);
    let info = uk.pdf().info();
    assert!(info.get("Keywords").is_some_and(|k| k.split(',').any(|k| k.trim() == "OFFICIAL-SENSITIVE")), "{info:?}");
    assert!(info.get("Subject").is_some_and(|s| s.contains("OFFICIAL-SENSITIVE")), "{info:?}");
}

#[test]
fn builds_are_deterministic_and_each_document_has_its_own_id() {
    let first = build(&example_pack(), Some("board-briefing"), None).output.pdf;
    let second = build(&example_pack(), Some("board-briefing"), None).output.pdf;
    assert!(first == second, "two builds of the same pack differ");
    // The same pack in another folder is the same document.
    let (_temp, copy) = copy_pack(&example_pack());
    let moved = build(&copy, Some("board-briefing"), None).output.pdf;
    assert!(first == moved, "the same pack built from another folder gives other bytes");

    let id = |bytes: &[u8]| -> Vec<u8> {
        let pdf = Pdf::parse(bytes);
        let ids = pdf.doc.trailer.get(b"ID").expect("the trailer has no /ID").as_array().unwrap().clone();
        assert_eq!(ids.len(), 2, "/ID has two strings");
        ids[0].as_str().unwrap().to_vec()
    };
    let others = [
        ("facilitator edition", example("training-handout", Some("facilitator")).bytes.clone()),
        ("participant edition", example("training-handout", Some("participant")).bytes.clone()),
        ("with-series pack", built(&fixture_pack("with-series"), "board-briefing", None).bytes.clone()),
        ("UK pack", built(&fixture_pack("uk-official-sensitive"), "board-briefing", None).bytes.clone()),
    ];
    let mut seen = BTreeMap::from([(id(&first), "example board briefing")]);
    for (name, bytes) in &others {
        if let Some(previous) = seen.insert(id(bytes), name) {
            panic!("{name} has the same /ID as the {previous}");
        }
    }
}

#[test]
fn page_fingerprints_change_only_where_a_page_looks_different() {
    let (_temp, dir) = copy_pack(&example_pack());
    let before = build(&dir, Some("board-briefing"), None).output;
    assert_eq!(before.page_fingerprints.len(), before.pages);
    assert_eq!(build(&dir, Some("board-briefing"), None).output.page_fingerprints, before.page_fingerprints, "the same pack, the same pages");
    let distinct: BTreeSet<_> = before.page_fingerprints.iter().collect();
    assert_eq!(distinct.len(), before.pages, "every page differs from the others (page numbers at least)");

    // The last recommendation is on the last page or two: the cover and contents stay as they were.
    let toml = dir.join("pack.toml");
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replace("Work through the NCSC Board Toolkit", "Work through the whole NCSC Board Toolkit")).unwrap();
    let edited = build(&dir, Some("board-briefing"), None).output;
    assert_eq!(edited.pages, before.pages);
    let same: Vec<bool> = before.page_fingerprints.iter().zip(&edited.page_fingerprints).map(|(a, b)| a == b).collect();
    assert!(same[0] && same[1], "cover and contents unchanged: {same:?}");
    assert!(!same[same.len() - 1] || !same[same.len() - 2], "the edited page changed: {same:?}");

    // The title is in every page's header and on the cover: every page changes.
    let text = std::fs::read_to_string(&toml).unwrap();
    std::fs::write(&toml, text.replacen("title = \"State threats", "title = \"Changed: state threats", 1)).unwrap();
    let retitled = build(&dir, Some("board-briefing"), None).output;
    for (i, (a, b)) in edited.page_fingerprints.iter().zip(&retitled.page_fingerprints).enumerate() {
        assert_ne!(a, b, "page {} should show the new title", i + 1);
    }
}

// ---------------------------------------------------------------------------
// Fixture packs
// ---------------------------------------------------------------------------

#[test]
fn a_statistic_with_a_series_is_charted_in_both_templates() {
    for (template, edition) in [("board-briefing", None), ("training-handout", Some("participant"))] {
        let b = built(&fixture_pack("with-series"), template, edition);
        assert_marking_on_every_page(&b, Marking::TlpGreen);
        let numbers = assert_statistics_sourced(&b);
        let with_series: Vec<&Statistic> = b.pack.statistics.iter().filter(|s| !s.series.is_empty()).collect();
        assert_eq!(with_series.len(), 1, "the fixture has one statistic with a series");
        assert_eq!(chart_count(&b), 1, "{}: want one chart, for the one statistic with a series", b.name);
        assert_chart(&b, with_series[0], numbers[&with_series[0].id]);
    }
    assert_qr_codes_decode(&built(&fixture_pack("with-series"), "training-handout", Some("participant")));
}

#[test]
fn uk_classifications_are_centred_in_capitals_at_the_top_and_bottom_of_every_page() {
    let b = built(&fixture_pack("uk-official-sensitive"), "board-briefing", None);
    assert_eq!(b.pack.meta.marking, Marking::OfficialSensitive);
    assert!(b.pages.len() >= 3);
    assert_marking_on_every_page(&b, Marking::OfficialSensitive);
}

/// The one error `pack_to_pdf` gives for a leak fixture, after checking the build fails.
fn leak_error(name: &str) -> briefpack::diagnostic::Diagnostic {
    let dir = fixture_pack(name);
    match pack_to_pdf(&dir, None, None, fonts()) {
        Ok(_) => panic!("{name}: a pack with content marked above it was built"),
        Err(RenderError::Pack(PackError::Invalid { diagnostics })) => {
            let errors: Vec<_> = diagnostics.into_iter().filter(|d| d.is_error()).collect();
            assert_eq!(errors.len(), 1, "{name}: want exactly the leak, got {errors:#?}");
            errors.into_iter().next().unwrap()
        }
        Err(other) => panic!("{name}: the build failed for another reason: {other}"),
    }
}

/// The 1-based line of `file` holding `needle`.
fn line_of(file: &Path, needle: &str) -> usize {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines().position(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} not in {}", file.display())) + 1
}

#[test]
fn content_marked_above_the_pack_stops_the_build_naming_where_it_is() {
    let cases = [
        ("leak-section-red-in-green", "pack.toml", "marking = \"TLP:RED\"", &["section 2", "TLP:RED", "TLP:GREEN"][..]),
        ("leak-article-above-pack", "articles/internal-review.md", "marking = \"TLP:AMBER\"", &["article `internal-review`", "TLP:AMBER", "TLP:GREEN"][..]),
        ("leak-statistic-above-pack", "pack.toml", "marking = \"TLP:AMBER+STRICT\"", &["statistic `open-vulnerabilities`", "TLP:AMBER+STRICT", "TLP:GREEN"][..]),
        ("leak-uk-section-in-tlp", "pack.toml", "marking = \"OFFICIAL-SENSITIVE\"", &["section 2", "OFFICIAL-SENSITIVE", "TLP:AMBER"][..]),
    ];
    for (name, file, marking_line, mentions) in cases {
        let d = leak_error(name);
        let path = fixture_pack(name).join(file);
        assert_eq!(d.file, path, "{name}: the error names the wrong file: {d}");
        assert_eq!(d.line, line_of(&path, marking_line), "{name}: the error is not at the marking's line: {d}");
        let shown = d.to_string();
        for mention in mentions {
            assert!(shown.contains(mention), "{name}: the error does not mention {mention:?}: {shown}");
        }
    }
}

#[test]
fn template_code_in_pack_text_is_printed_literally() {
    let dir = fixture_pack("template-syntax-in-text");
    let literals = [
        "{{ 7*7 }}",
        "{% for x in range(3) %}{{ x }}{% endfor %}",
        "Notes {{ 9*9 }}",
        "{# a comment #} and {% if true %}yes{% endif %}",
        "A lure quoting {{ pack.title }}",
        "{{ pack.marking }}",
        "{% raw %}{{ 5*5 }}",
        "{{ pack.title }} and {% include \"secrets.md\" %}",
        "{{ 6*7 }}",
        "{{ 8*8 }}",
    ];
    let board = built(&dir, "board-briefing", None);
    let handout = built(&dir, "training-handout", Some("participant"));
    for literal in literals {
        assert!(tight(&board.text()).contains(&tight(literal)), "board briefing does not print {literal:?} as written:\n{}", board.text());
    }
    // The handout prints extracts, objectives and questions.
    for literal in ["A lure quoting {{ pack.title }}", "{{ pack.title }} and {% include \"secrets.md\" %}", "{{ 6*7 }}", "{{ 8*8 }}", "{% raw %}{{ 5*5 }}"] {
        assert!(tight(&handout.text()).contains(&tight(literal)), "handout does not print {literal:?} as written:\n{}", handout.text());
    }
    for evaluated in ["reply with 49", "A lure quoting Template syntax", "Notes 81"] {
        assert!(!squash(&board.text()).contains(&squash(evaluated)), "board briefing evaluated pack text: {evaluated:?}");
    }
}

#[test]
fn a_librarys_own_template_folder_overrides_the_built_in_one() {
    let temp = tempfile::tempdir().unwrap();
    let library = temp.path().join("library");
    let pack_dir = library.join("mi5-threat-update-2025");
    let (_copy_temp, copy) = copy_pack(&example_pack());
    std::fs::create_dir_all(&library).unwrap();
    std::fs::rename(&copy, &pack_dir).unwrap();
    let builtin = template::find("board-briefing", &[]).unwrap();
    assert!(builtin.folder.is_none());
    let folder = library.join("templates/board-briefing");
    std::fs::create_dir_all(&folder).unwrap();
    let marker = "Prepared with the library's own board template.";
    std::fs::write(folder.join("template.md"), format!("{}\n# Local note\n\n{marker}\n", builtin.source)).unwrap();
    let style = std::fs::read_to_string(example_pack().join("../../templates/board-briefing/style.toml")).unwrap();
    std::fs::write(folder.join("style.toml"), format!("page_size = \"Letter\"\n{style}")).unwrap();

    let found = template::find("board-briefing", &template_search_path(&pack_dir)).unwrap();
    assert_eq!(found.folder.as_deref(), Some(folder.as_path()));
    let local = built(&pack_dir, "board-briefing", None);
    assert!(squash(&local.text()).contains(&squash(marker)), "the library's template.md was not used:\n{}", local.text());
    let (w, h) = local.pdf().page_size(1);
    assert!((w - 612.0).abs() < 0.5 && (h - 792.0).abs() < 0.5, "the library's style.toml was not used: page is {w} x {h}");
    let standard = example("board-briefing", None);
    assert!(!squash(&standard.text()).contains(&squash(marker)), "the built-in template printed the local marker");
    // Still marked properly with the library's template.
    assert_marking_on_every_page(&local, Marking::TlpAmber);
}

// ---------------------------------------------------------------------------
// Template and style errors point at file:line
// ---------------------------------------------------------------------------

/// Builds the with-series pack with a library template `local` made of these
/// files; the error's text and the template's folder.
fn template_error(template_md: &str, style_toml: &str) -> (String, PathBuf) {
    let (temp, pack_dir) = copy_pack(&fixture_pack("with-series"));
    let folder = temp.path().join("templates/local");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("template.md"), template_md).unwrap();
    std::fs::write(folder.join("style.toml"), style_toml).unwrap();
    let error = match pack_to_pdf(&pack_dir, Some("local"), None, fonts()) {
        Ok(_) => panic!("a broken template built:\n{template_md}\n---\n{style_toml}"),
        Err(e) => e.to_string(),
    };
    drop(temp);
    (error, folder)
}

#[test]
fn template_errors_point_at_the_line_in_template_md() {
    let cases = [
        ("a syntax error", "# {{ pack.title }}\n\n{% if pack.audience %}\nAudience: {{ pack.audience }\n{% endif %}\n", 4, "syntax"),
        ("an unknown variable", "# {{ pack.title }}\n\nPrepared for {{ pack.audince }}.\n", 3, "undefined"),
        (
            "a loop that never ends",
            "# {{ pack.title }}\n\nText.\n{% for i in range(100000) %}{% for j in range(100000) %}.{% endfor %}{% endfor %}\n",
            4,
            "fuel",
        ),
        ("an include of another file", "# {{ pack.title }}\n{% include \"../../with-series/pack.toml\" %}\n", 2, "not found"),
    ];
    for (what, source, line, kind) in cases {
        let (error, folder) = template_error(source, "");
        let place = format!("{}:{line}:", folder.join("template.md").display());
        assert!(error.starts_with(&place), "{what}: the error does not start with {place:?}: {error}");
        assert!(error.to_lowercase().contains(kind), "{what}: the error does not say {kind:?}: {error}");
    }
}

#[test]
fn style_errors_point_at_the_line_in_style_toml() {
    let template_md = "# {{ pack.title }}\n";
    let cases = [
        ("an unknown key", "# a comment\nbody_size = 11.0\nbody_sise = 3.0\n", 3, "body_sise"),
        ("a bad colour", "body_size = 11.0\n\n[colours]\nheading = \"#1F3A5F\"\ntext = \"dark blue\"\n", 5, "dark blue"),
    ];
    for (what, style, line, mention) in cases {
        let (error, folder) = template_error(template_md, style);
        let place = format!("{}:{line}:", folder.join("style.toml").display());
        assert!(error.starts_with(&place), "{what}: the error does not start with {place:?}: {error}");
        assert!(error.contains(mention), "{what}: the error does not mention {mention:?}: {error}");
    }
}

#[test]
fn a_pack_made_from_nothing_has_no_empty_contents_page() {
    let library = tempfile::tempdir().unwrap();
    for template in ["board-briefing", "training-handout"] {
        let date = chrono::NaiveDate::from_ymd_opt(2025, 10, 20).unwrap();
        let name = briefpack::library::create_pack(library.path(), &format!("Fresh {template}"), date, Some(template)).unwrap();
        let built = build(&library.path().join(&name), None, None);
        let texts = Pdf::parse(&built.output.pdf).page_texts();
        // Its cover, and no page that only says "Contents" over nothing.
        assert!(texts[0].contains(&format!("Fresh {template}")), "{template}: {texts:?}");
        assert!(texts.iter().all(|t| !t.contains("Contents")), "{template}: {texts:?}");
    }
}
