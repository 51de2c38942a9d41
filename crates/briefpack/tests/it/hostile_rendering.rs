//! Hostile and careless input on the rendering side (layout, import, PDF,
//! files): articles, styles and saved pages come from other people. Each
//! class of problem has a property test over generated input beside a
//! regression test named after the reported example. Work is bounded by
//! structure (caps on depth, size and count), so the tests assert results,
//! never how long something took.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use briefpack::diagnostic::Diagnostic;
use briefpack::files::{read_regular_file, size_over_limit};
use briefpack::fonts::FontSet;
use briefpack::import;
use briefpack::layout::style::{mm, Margins};
use briefpack::layout::{self, Assets, Chart, ChartKind, Cover, Embeds, FolderAssets, Furniture, Item, Layout, LinkTarget, NoAssets, Style};
use briefpack::markdown::{self, Inline};
use briefpack::pack::{self, Marking};
use briefpack::pdf::{write_pdf, PdfMetadata};
use briefpack::render::{self, markdown_to_pdf};
use proptest::prelude::*;

use crate::common::{copy_pack, example_pack, png, png_header, proptest_config};
#[cfg(unix)]
use crate::fifo::Fifo;
use crate::pdf_check::{Pdf, Target};

fn fonts() -> &'static FontSet {
    static FONTS: OnceLock<FontSet> = OnceLock::new();
    FONTS.get_or_init(|| FontSet::bundled().unwrap())
}

/// Runs `work` on a thread with a 2 MB stack, as the desktop app's workers have:
/// deep input must not need a deep stack. A stack overflow aborts the test binary.
fn on_small_stack<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new().stack_size(2 * 1024 * 1024).spawn(work).unwrap().join().expect("the work panicked")
}

fn lay_out(source: &str, style: &Style, furniture: &Furniture, embeds: &Embeds, assets: &dyn Assets) -> Layout {
    let document = markdown::parse(source);
    layout::layout(&document, style, fonts(), assets, furniture, embeds).unwrap()
}

fn all_text(layout: &Layout) -> String {
    (0..layout.pages.len()).map(|i| layout.page_text(i)).collect::<Vec<_>>().join("\n")
}

fn pdf_of(layout: &Layout) -> Pdf {
    Pdf::parse(&write_pdf(layout, fonts(), &PdfMetadata::default()).unwrap())
}

/// Every URI of every link annotation in `pdf`.
fn annotation_uris(pdf: &Pdf) -> Vec<String> {
    (1..=pdf.page_count())
        .flat_map(|p| pdf.links(p))
        .filter_map(|a| match a.target {
            Target::Uri(uri) => Some(uri),
            _ => None,
        })
        .collect()
}

fn is_https_or_mailto(uri: &str) -> bool {
    let lower = uri.to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("mailto:")
}

// ---------------------------------------------------------------------------
// 1. Deep inline nesting: flattened past a fixed depth, never a deep stack
// ---------------------------------------------------------------------------

/// How deep inlines nest in a parsed document, walked with a stack of its own.
fn inline_depth(document: &markdown::Document) -> usize {
    let mut deepest = 0;
    let mut stack: Vec<(&Inline, usize)> = Vec::new();
    for block in &document.blocks {
        if let markdown::Block::Paragraph(inlines) | markdown::Block::Heading { content: inlines, .. } = block {
            stack.extend(inlines.iter().map(|i| (i, 1)));
        }
    }
    while let Some((inline, depth)) = stack.pop() {
        deepest = deepest.max(depth);
        if let Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Link { content: c, .. } = inline {
            stack.extend(c.iter().map(|i| (i, depth + 1)));
        }
    }
    deepest
}

#[test]
fn twenty_kilobytes_of_nested_emphasis_render_on_a_small_stack() {
    for body in ["*".repeat(10_000) + "x" + &"*".repeat(10_000), "*a ".repeat(5000)] {
        let rendered = on_small_stack(move || markdown_to_pdf(&format!("# Deep\n\n{body}\n"), "deep.md", &Style::default(), fonts(), &NoAssets).map(|r| r.pdf));
        let pdf = Pdf::parse(&rendered.expect("the document renders"));
        assert!(pdf.page_count() >= 1);
    }
    let document = markdown::parse(&("*".repeat(10_000) + "x" + &"*".repeat(10_000)));
    assert!(inline_depth(&document) < 64, "inline depth {} is capped", inline_depth(&document));
    assert!(markdown::plain_text(match &document.blocks[0] {
        markdown::Block::Paragraph(inlines) => inlines,
        other => panic!("{other:?}"),
    })
    .contains('x'));
}

#[test]
fn a_pack_summary_of_nested_emphasis_builds_on_a_small_stack() {
    let (_temp, dir) = copy_pack(&example_pack());
    let path = dir.join("pack.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let start = text.find("summary = \"\"\"").unwrap() + "summary = \"\"\"".len();
    let end = start + text[start..].find("\"\"\"").unwrap();
    let deep = "*".repeat(10_000) + "x" + &"*".repeat(10_000);
    std::fs::write(&path, format!("{}\n{deep}\n{}", &text[..start], &text[end..])).unwrap();
    let built = on_small_stack(move || render::pack_to_pdf(&dir, None, None, fonts()).map(|b| b.output.pages));
    assert!(built.expect("the pack builds") > 1);
}

/// Markdown whose emphasis, strong, strike-through and links nest thousands deep,
/// balanced or not, with or without words between the markers.
fn nested_inlines() -> impl Strategy<Value = String> {
    const MARKERS: [(&str, &str); 6] = [("*", "*"), ("**", "**"), ("~~", "~~"), ("_", "_"), ("[", "](https://example.org/x)"), ("[", "](#top)")];
    prop::collection::vec((0..MARKERS.len(), 1usize..700, any::<bool>(), any::<bool>()), 1..10).prop_map(|layers| {
        // A word first, so that runs of `~` or `*` cannot open a code fence, a list or a rule.
        let mut text = String::from("# Top\n\nLead ");
        for &(kind, count, words, _) in &layers {
            for _ in 0..count {
                text.push_str(MARKERS[kind].0);
                if words {
                    text.push_str("w ");
                }
            }
        }
        text.push_str("core");
        for &(kind, count, _, closed) in layers.iter().rev() {
            if closed {
                text.push_str(&MARKERS[kind].1.repeat(count));
            }
        }
        text.push('\n');
        text
    })
}

proptest! {
    #![proptest_config(proptest_config(12))]
    #[test]
    fn inline_nesting_thousands_deep_renders_on_a_small_stack(source in nested_inlines()) {
        let text = on_small_stack(move || {
            let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
            pdf_of(&layout);
            all_text(&layout)
        });
        // A run of markers with no space is one word, broken wherever the line is full ("cor", "e").
        let letters: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        prop_assert!(letters.contains("core"), "the innermost text is kept");
    }
}

// ---------------------------------------------------------------------------
// 2 and 10. Deep and odd HTML nesting: capped while parsing, text kept
// ---------------------------------------------------------------------------

const ARTICLE_TEXT: &str = "Reports of phishing emails to the agency rose by a fifth in the year, with more than \
    9,000 reports a day at the peak of the campaign, the agency said in its annual review of the threat. ";

fn import_on_small_stack(page: String) -> Result<import::Imported, String> {
    on_small_stack(move || import::import(Path::new("page.html"), page.as_bytes()).map_err(|e| e.to_string()))
}

#[test]
fn ten_thousand_nested_b_tags_import_on_a_small_stack() {
    let page = format!("<html><body><article><p>{}{}{}</p></article></body></html>", "<b>".repeat(10_000), ARTICLE_TEXT.repeat(3), "</b>".repeat(10_000));
    assert!(page.len() > 30_000);
    let imported = import_on_small_stack(page).expect("the page imports");
    assert!(imported.body_markdown.contains("9,000 reports a day"), "{}", imported.body_markdown);
}

#[test]
fn three_thousand_nested_divs_import_with_their_text() {
    let page = format!("<html><body>{}<p>{}</p>{}</body></html>", "<div>".repeat(3000), ARTICLE_TEXT.repeat(3), "</div>".repeat(3000));
    let imported = import_on_small_stack(page).expect("the page imports");
    assert!(imported.body_markdown.contains("the peak of the campaign"), "{}", imported.body_markdown);
}

/// Tag soup: start and end tags of ordinary, formatting, table, list, foreign
/// and raw-text elements in runs of up to hundreds, mis-nested at will.
fn tag_soup() -> impl Strategy<Value = String> {
    const NAMES: [&str; 22] = [
        "div", "b", "p", "li", "ul", "table", "tr", "td", "span", "a", "svg", "title", "blockquote", "i", "em", "h2", "section",
        "select", "option", "font", "nobr", "button",
    ];
    prop::collection::vec((0..NAMES.len(), 0u8..3, 1usize..400), 1..40).prop_map(|runs| {
        let mut page = String::from("<html><body>");
        for (name, kind, count) in runs {
            let tag = match kind {
                0 => format!("<{}>", NAMES[name]),
                1 => format!("</{}>", NAMES[name]),
                _ => format!("<{0} id=x{count}>word </{0}>", NAMES[name]),
            };
            page.push_str(&tag.repeat(count));
        }
        page.push_str("<p>");
        page.push_str(&ARTICLE_TEXT.repeat(3));
        page.push_str("</p></body></html>");
        page
    })
}

proptest! {
    #![proptest_config(proptest_config(12))]
    #[test]
    fn html_nested_any_way_imports_on_a_small_stack(page in tag_soup()) {
        match import_on_small_stack(page) {
            Ok(_) => {}
            Err(message) => prop_assert!(message.contains("no article found"), "{message}"),
        }
    }
}

// ---------------------------------------------------------------------------
// 6. Live links: https and mailto only, whatever made the layout
// ---------------------------------------------------------------------------

#[test]
fn only_https_and_mailto_links_become_annotations() {
    let source = "# Links\n\n[secure](https://example.org/a) [plain](http://example.org/b) [mail](mailto:a@example.org) \
        [script](javascript:alert(1)) [vb](vbscript:msgbox) [file](file:///etc/passwd) [data](data:text/html,x) \
        [relative](notes.md) [ftp](ftp://example.org) [upper](HTTPS://EXAMPLE.ORG/c) [inside](#links)\n";
    let layout = lay_out(source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
    let uris = annotation_uris(&pdf_of(&layout));
    assert_eq!(uris, ["https://example.org/a", "mailto:a@example.org", "HTTPS://EXAMPLE.ORG/c"]);
    // The text of every link is still printed; http addresses are printed after it.
    let text = all_text(&layout);
    for shown in ["secure", "plain", "example.org/b", "script", "file", "relative", "ftp", "inside"] {
        assert!(text.contains(shown), "{shown:?} in {text}");
    }
    assert!(!text.contains("javascript") && !text.contains("passwd"), "only web and mail addresses are printed: {text}");
}

#[test]
fn a_qr_block_draws_codes_only_for_addresses_that_may_be_live() {
    let source = "# Codes\n\n```qr\njavascript:alert(1)\nhttp://example.org/plain\nhttps://example.org/ok\n```\n";
    let layout = lay_out(source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
    assert_eq!(annotation_uris(&pdf_of(&layout)), ["https://example.org/ok"]);
    // One code's worth of dark modules: the other two tiles draw none.
    let modules = |l: &Layout| l.pages.iter().flat_map(|p| &p.items).filter(|i| matches!(i, Item::Rect { fill: Some(_), .. })).count();
    let one = lay_out("# Codes\n\n```qr\nhttps://example.org/ok\n```\n", &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
    assert_eq!(modules(&layout), modules(&one));
}

#[test]
fn a_layout_built_in_code_gets_no_annotation_for_a_script_link() {
    let mut layout = lay_out("# Links\n", &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
    for uri in ["javascript:alert(1)", "file:///etc/passwd", "http://example.org", "https://example.org/ok"] {
        layout.pages[0].items.push(Item::Link { x: 50.0, y: 50.0, w: 40.0, h: 10.0, target: LinkTarget::Uri(uri.into()), parent: None, description: "".into() });
    }
    assert_eq!(annotation_uris(&pdf_of(&layout)), ["https://example.org/ok"]);
}

#[test]
fn imported_pages_drop_script_file_and_data_links_but_keep_their_text() {
    let page = format!(
        "<html><body><article><p>{ARTICLE_TEXT}</p><p>Read <a href=\"javascript:alert(1)\">the script</a>, \
         <a href=\" JaVa&#x09;Script:alert(2)\">the disguised</a>, <a href=\"file:///etc/passwd\">the file</a>, \
         <a href=\"data:text/html,x\">the data</a>, <a href=\"vbscript:msgbox\">the vb</a> and \
         <a href=\"https://www.ncsc.gov.uk/guidance\">the guidance</a>. {ARTICLE_TEXT}</p></article></body></html>"
    );
    let imported = import::import(Path::new("page.html"), page.as_bytes()).unwrap();
    let body = &imported.body_markdown;
    assert!(body.contains("[the guidance](https://www.ncsc.gov.uk/guidance)"), "{body}");
    for text in ["the script", "the disguised", "the file", "the data", "the vb"] {
        assert!(body.contains(text), "{text} kept: {body}");
    }
    for scheme in ["javascript", "JaVa", "file:", "data:", "vbscript"] {
        assert!(!body.contains(scheme), "{scheme} dropped: {body}");
    }
}

fn any_url() -> impl Strategy<Value = String> {
    let schemes = prop::sample::select(vec![
        "https://", "http://", "HTTPS://", "mailto:", "javascript:", "JavaScript:", " javascript:", "file://", "data:text/html,", "vbscript:",
        "ftp://", "", "/", "#", "https://\n", "mailto:\u{7}",
    ]);
    (schemes, "[a-z0-9/._~?=&-]{0,30}", 0usize..2600).prop_map(|(scheme, rest, padding)| format!("{scheme}{rest}{}", "a".repeat(padding)))
}

proptest! {
    #![proptest_config(proptest_config(16))]
    #[test]
    fn every_annotation_is_a_short_https_or_mailto_address(urls in prop::collection::vec(any_url(), 1..6)) {
        let mut source = String::from("# Links\n\n");
        for (i, url) in urls.iter().enumerate() {
            source.push_str(&format!("Link {i}: [text {i}](<{}>) and <{}>.\n\n", url.replace(['<', '>', '\n'], ""), url.replace(['<', '>', ' ', '\n'], "")));
        }
        let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
        for uri in annotation_uris(&pdf_of(&layout)) {
            prop_assert!(is_https_or_mailto(&uri) && uri.chars().count() <= layout::MAX_LINK_CHARS, "{uri:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// 10. Quadratic steps: combining marks, quote markers
// ---------------------------------------------------------------------------

#[test]
fn a_letter_with_ten_thousand_combining_marks_is_laid_out_whole() {
    let source = format!("# Marks\n\na{} end\n", "\u{301}".repeat(10_000));
    let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
    let text = all_text(&layout);
    assert_eq!(text.matches('\u{301}').count(), 10_000, "every mark is printed once");
    assert!(text.contains("end"));
}

#[test]
fn a_hundred_thousand_nested_quote_markers_render() {
    let source = format!("# Quotes\n\n{} deep\n", ">".repeat(100_000));
    let text = on_small_stack(move || all_text(&lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets)));
    assert!(text.contains("deep"), "{text}");
}

#[test]
fn twenty_thousand_distinct_links_in_one_paragraph_are_laid_out() {
    let source: String = (0..20_000).map(|i| format!("[w{i}](https://example.org/{i}) ")).collect();
    let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
    let targets: std::collections::BTreeSet<&str> = layout
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Link { target: LinkTarget::Uri(uri), .. } => Some(&**uri),
            _ => None,
        })
        .collect();
    assert_eq!(targets.len(), 20_000, "every link is live");
}

/// Lines that open quotes and lists many levels deep, then words carrying runs of
/// combining marks.
fn deep_blocks_and_marks() -> impl Strategy<Value = String> {
    let prefix = prop::sample::select(vec![">", "> ", "- ", "* ", "1. ", ">- ", "  "]);
    (prop::collection::vec((prefix, 1usize..3000), 1..4), 0usize..400, "[a-z]{1,8}").prop_map(|(prefixes, marks, word)| {
        let mut line = String::new();
        for (p, n) in prefixes {
            line.push_str(&p.repeat(n));
        }
        format!("# Deep\n\n{line}{word}{} tail\n", "\u{308}".repeat(marks))
    })
}

proptest! {
    #![proptest_config(proptest_config(12))]
    #[test]
    fn deep_blocks_and_mark_runs_render_on_a_small_stack(source in deep_blocks_and_marks()) {
        let text = on_small_stack(move || {
            let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
            pdf_of(&layout);
            all_text(&layout)
        });
        prop_assert!(text.contains("tail"), "{text}");
    }
}

/// Found by the property test above: past the depth limit only paragraphs kept
/// their text, so a code block ("-     a tail": a list item holding indented
/// code) 48 lists deep vanished from the page.
#[test]
fn code_tables_and_html_nested_past_the_depth_limit_keep_their_text() {
    let deep = "- ".repeat(60);
    let source = format!(
        "# Deep\n\n{deep}    code tail\n\n{quotes} | head |\n{quotes} | --- |\n{quotes} | cell tail |\n\n{deep}<div>html tail</div>\n",
        quotes = "> ".repeat(60)
    );
    let text = on_small_stack(move || all_text(&lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets)));
    for kept in ["code tail", "cell tail", "html tail"] {
        assert!(text.contains(kept), "{kept} is missing from:\n{text}");
    }
}

// ---------------------------------------------------------------------------
// 11. Named pipes, devices, sockets and folders are never read
// ---------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn a_named_pipe_as_an_image_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let _fifo = Fifo::at(&dir.path().join("pipe.png"));
    let err = markdown_to_pdf("# Doc\n\n![Chart](pipe.png)\n", "doc.md", &Style::default(), fonts(), &FolderAssets::new(dir.path())).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("pipe.png") && message.contains("named pipe (FIFO)"), "{message}");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_as_an_import_source_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("page.html");
    let _fifo = Fifo::at(&path);
    let err = import::read_file(&path).unwrap_err();
    assert!(matches!(err, import::ImportError::NotAFile { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains(path.to_str().unwrap()) && message.contains("named pipe (FIFO)"), "{message}");
}

#[cfg(unix)]
#[test]
fn no_reader_opens_anything_but_a_regular_file() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe.png");
    let _fifo = Fifo::at(&pipe);
    let folder = dir.path().join("folder.png");
    std::fs::create_dir(&folder).unwrap();
    let socket = dir.path().join("socket.png");
    let _listener = std::os::unix::net::UnixListener::bind(&socket).unwrap();
    let cases: [(&Path, &str); 4] =
        [(&pipe, "a named pipe (FIFO)"), (&folder, "a folder"), (&socket, "a socket"), (Path::new("/dev/zero"), "a device")];
    for (path, kind) in cases {
        let shown = path.display().to_string();
        let direct = read_regular_file(path, 1 << 20).unwrap_err().to_string();
        assert!(direct.contains(&shown) && direct.contains(kind), "{direct}");
        let imported = import::read_file(path).unwrap_err().to_string();
        assert!(imported.contains(&shown) && imported.contains(kind), "{imported}");
        if let Some(name) = path.strip_prefix(dir.path()).ok().and_then(Path::to_str) {
            let image = FolderAssets::new(dir.path()).read(name).unwrap_err();
            assert!(image.contains(name) && image.contains(kind), "{image}");
        }
    }
}

// ---------------------------------------------------------------------------
// 12. Images: read and decoded once per document, within a pixel budget
// ---------------------------------------------------------------------------

/// Image files from memory, counting how often each is read.
struct CountingAssets {
    files: HashMap<String, Vec<u8>>,
    reads: RefCell<BTreeMap<String, usize>>,
}

impl CountingAssets {
    fn new(files: impl IntoIterator<Item = (String, Vec<u8>)>) -> Self {
        CountingAssets { files: files.into_iter().collect(), reads: RefCell::default() }
    }
}

impl Assets for CountingAssets {
    fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        *self.reads.borrow_mut().entry(path.to_string()).or_default() += 1;
        self.files.get(path).cloned().ok_or_else(|| format!("no file {path}"))
    }
}

/// Image XObjects in the whole file.
fn image_xobjects(pdf: &Pdf) -> usize {
    pdf.doc
        .objects
        .values()
        .filter(|o| o.as_stream().is_ok_and(|s| s.dict.get(b"Subtype").and_then(|n| n.as_name()).ok() == Some(b"Image".as_slice())))
        .count()
}

#[test]
fn a_large_image_placed_a_hundred_times_is_read_once() {
    let assets = CountingAssets::new([("big.png".to_string(), png_header(4000, 4000))]);
    let source = "# Photos\n\n".to_string() + &"![Photo](big.png)\n\n".repeat(100);
    let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &assets);
    assert_eq!(layout.images.len(), 1, "one image for a hundred placements");
    assert_eq!(assets.reads.borrow()["big.png"], 1);
    let placed = layout.pages.iter().flat_map(|p| &p.items).filter(|i| matches!(i, Item::Image { image: 0, .. })).count();
    assert_eq!(placed, 100);
}

#[test]
fn an_image_placed_a_hundred_times_is_decoded_into_one_pdf_image() {
    let assets = CountingAssets::new([("chart.png".to_string(), png(40, 30))]);
    let source = "# Charts\n\n".to_string() + &"![Chart](chart.png)\n\n".repeat(100);
    let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &assets);
    assert_eq!(image_xobjects(&pdf_of(&layout)), 1, "the PDF stage decodes and embeds each image once");
}

#[test]
fn images_past_the_pixel_budget_are_refused_naming_the_one_over() {
    let assets = CountingAssets::new((0..10).map(|i| (format!("photo{i}.png"), png_header(4000, 4000))));
    let source: String = (0..10).map(|i| format!("![Photo {i}](photo{i}.png)\n\n")).collect();
    let document = markdown::parse(&source);
    let err = layout::layout(&document, &Style::default(), fonts(), &assets, &Furniture::default(), &Embeds::default()).unwrap_err();
    let message = err.to_string();
    assert!(message.starts_with("image `photo9.png`") && message.contains("160 million") && message.contains("up to 150 million"), "{message}");
}

proptest! {
    #![proptest_config(proptest_config(16))]
    #[test]
    fn each_image_file_is_read_and_embedded_once(references in prop::collection::vec(0usize..5, 1..40)) {
        let assets = CountingAssets::new((0..5).map(|i| (format!("img{i}.png"), png(8 + i as u32, 8))));
        let source: String = references.iter().map(|i| format!("![Image](img{i}.png)\n\n")).collect();
        let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &assets);
        let distinct: std::collections::BTreeSet<_> = references.iter().collect();
        prop_assert_eq!(layout.images.len(), distinct.len());
        prop_assert!(assets.reads.borrow().values().all(|&n| n == 1), "{:?}", assets.reads.borrow());
        prop_assert_eq!(image_xobjects(&pdf_of(&layout)), distinct.len());
    }
}

// ---------------------------------------------------------------------------
// 14. Link annotations: one per link per line, none for overlong addresses
// ---------------------------------------------------------------------------

#[test]
fn a_hundred_kilobyte_url_is_printed_but_not_live() {
    let url = format!("https://example.org/{}", "a".repeat(100_000));
    let source = format!("# Long\n\nSee <{url}> and [the page]({url}).\n");
    let rendered = markdown_to_pdf(&source, "long.md", &Style::default(), fonts(), &NoAssets).unwrap();
    let pdf = Pdf::parse(&rendered.pdf);
    assert!(annotation_uris(&pdf).is_empty(), "no annotation carries the address");
    assert!(rendered.pdf.len() < 2_000_000, "{} bytes", rendered.pdf.len());
    let warning = rendered.warnings.iter().find(|w| w.message.contains("not clickable")).expect("a warning about the link");
    assert!(warning.message.contains("100020 characters"), "{}", warning.message);
    assert_eq!(rendered.warnings.iter().filter(|w| w.message.contains("not clickable")).count(), 1, "one warning per address");
}

/// The annotations of each URI, as their rectangles' (page, bottom) positions.
fn annotation_lines(pdf: &Pdf) -> BTreeMap<String, Vec<(usize, i32)>> {
    let mut lines: BTreeMap<String, Vec<(usize, i32)>> = BTreeMap::new();
    for page in 1..=pdf.page_count() {
        for a in pdf.links(page) {
            if let Target::Uri(uri) = a.target {
                lines.entry(uri).or_default().push((page, a.rect[1].round() as i32));
            }
        }
    }
    lines
}

#[test]
fn a_link_wrapped_over_lines_has_one_annotation_per_line() {
    let words = "across several lines of justified text ".repeat(12);
    let source = format!("# Wrapped\n\nBefore [{words}with **bold** and *italic* words]( https://example.org/wrapped ) after.\n");
    let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
    let lines = annotation_lines(&pdf_of(&layout));
    let positions = &lines["https://example.org/wrapped"];
    let mut distinct = positions.clone();
    distinct.dedup();
    assert!(positions.len() >= 5, "{positions:?}");
    assert_eq!(&distinct, positions, "one annotation per line: {positions:?}");
}

proptest! {
    #![proptest_config(proptest_config(16))]
    #[test]
    fn links_get_one_annotation_per_line_they_cross(links in prop::collection::vec((1usize..40, any::<bool>(), 0usize..30), 1..6)) {
        let mut source = String::from("# Links\n\n");
        for (i, (words, bold, before)) in links.iter().enumerate() {
            let text = if *bold { format!("**{}**", "word ".repeat(*words).trim_end()) } else { "word ".repeat(*words).trim_end().to_string() };
            source.push_str(&format!("{} [{text}](https://example.org/{i}) ", "filler ".repeat(*before)));
        }
        let layout = lay_out(&source, &Style::default(), &Furniture::default(), &Embeds::default(), &NoAssets);
        for (uri, positions) in annotation_lines(&pdf_of(&layout)) {
            let mut distinct = positions.clone();
            distinct.sort();
            distinct.dedup();
            prop_assert_eq!(distinct.len(), positions.len(), "{} has two annotations on one line: {:?}", uri, positions);
        }
    }
}

// ---------------------------------------------------------------------------
// 15. Numbers in styles and charts: the PDF never holds NaN or inf
// ---------------------------------------------------------------------------

fn wild_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        Just(f32::MAX),
        Just(-f32::MAX),
        Just(0.0),
        Just(-0.0),
        Just(f32::MIN_POSITIVE),
        any::<f32>(),
        -500.0f32..500.0,
    ]
}

fn wild_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        Just(1e308),
        Just(-1e308),
        Just(f64::MAX),
        Just(5e-324),
        Just(0.0),
        any::<f64>(),
        -1e6f64..1e6,
    ]
}

fn assert_clean_pdf(pdf: &Pdf) -> Result<(), TestCaseError> {
    for (page, content) in pdf.content_streams().iter().enumerate() {
        let text = String::from_utf8_lossy(content).to_ascii_lowercase();
        prop_assert!(!text.contains("nan") && !text.contains("inf"), "page {}: {}", page + 1, text.chars().take(2000).collect::<String>());
    }
    prop_assert_eq!(pdf.poppler_verdict(), Ok(()));
    Ok(())
}

proptest! {
    #![proptest_config(proptest_config(16))]
    #[test]
    fn any_numbers_in_a_style_or_a_chart_give_a_clean_pdf(
        numbers in prop::collection::vec(wild_f32(), 13),
        points in prop::collection::vec(wild_f64(), 0..10),
        bars in any::<bool>(),
    ) {
        let style = Style {
            body_size: numbers[0],
            line_height: numbers[1],
            paragraph_spacing: numbers[2],
            margins: Margins { top: numbers[3], bottom: numbers[4], left: numbers[5], right: numbers[6] },
            heading_sizes: [numbers[7], numbers[8], numbers[9], numbers[10], numbers[11], numbers[12]],
            ..Style::default()
        };
        let chart = Chart {
            title: "Reports".into(),
            kind: if bars { ChartKind::Bar } else { ChartKind::Line },
            points: points.iter().enumerate().map(|(i, v)| (format!("Q{i}"), *v)).collect(),
            source: "Agency".into(),
        };
        let embeds = Embeds { charts: [("reports".to_string(), chart)].into(), ..Embeds::default() };
        let source = "# Title\n\nSome text about the figures.\n\n```chart\nreports\n```\n\n## Notes\n\n```ruled-lines\n```\n";
        let layout = lay_out(source, &style, &Furniture { title: "Figures".into(), ..Furniture::default() }, &embeds, &NoAssets);
        assert_clean_pdf(&pdf_of(&layout))?;
    }
}

#[test]
fn a_style_with_zero_and_nan_sizes_is_refused_with_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("broken");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("template.md"), "# {{ pack.title }}\n").unwrap();
    std::fs::write(folder.join("style.toml"), "body_size = 0\nline_height = nan\n[margins]\nleft = 150.0\nright = 150.0\n").unwrap();
    let Err(briefpack::template::TemplateError::Style(errors)) = briefpack::template::find("broken", &[dir.path().to_path_buf()]) else {
        panic!("the style is refused")
    };
    let shown: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let path = folder.join("style.toml").display().to_string();
    assert!(shown.iter().any(|e| e.starts_with(&format!("{path}:1:13: error: `body_size` must be a number from 4 to 72 pt, not 0"))), "{shown:#?}");
    assert!(shown.iter().any(|e| e.starts_with(&format!("{path}:2:15: error: `line_height`")) && e.contains("NaN")), "{shown:#?}");
    assert!(shown.iter().any(|e| e.starts_with(&format!("{path}:4:8: error: the margins leave a text area of -90 ×"))), "{shown:#?}");
}

// ---------------------------------------------------------------------------
// 16. Long titles: cut beside the marking, cover kept on its page
// ---------------------------------------------------------------------------

fn marking(label: &str) -> layout::MarkingBanner {
    briefpack::template::marking_banner(label.parse::<Marking>().unwrap())
}

/// The box a text run covers: left, right, top, bottom.
fn run_box(run: &layout::TextRun) -> (f32, f32, f32, f32) {
    (run.x, run.x + run.width(), run.baseline - run.size, run.baseline + run.size * 0.3)
}

fn overlaps(a: (f32, f32, f32, f32), b: (f32, f32, f32, f32)) -> bool {
    a.0 < b.1 - 0.01 && b.0 < a.1 - 0.01 && a.2 < b.3 - 0.01 && b.2 < a.3 - 0.01
}

/// Checks the running header and footer of every page after the first: inside
/// the page, clear of the marking's box and label, and the title cut with an
/// ellipsis when it does not fit.
fn check_furniture(layout: &Layout, style: &Style, banner: &layout::MarkingBanner, title: &str) -> Result<(), TestCaseError> {
    let (top, bottom) = (mm(style.margins.top), layout.height - mm(style.margins.bottom));
    for (index, page) in layout.pages.iter().enumerate() {
        let runs: Vec<&layout::TextRun> = page.items.iter().filter_map(|i| if let Item::Text(t) = i { Some(t) } else { None }).collect();
        let furniture: Vec<&&layout::TextRun> = runs.iter().filter(|t| t.baseline < top || t.baseline > bottom).collect();
        let marking_runs: Vec<_> = furniture.iter().filter(|t| layout.run_text(t) == banner.text).map(|t| run_box(t)).collect();
        let boxes: Vec<(f32, f32, f32, f32)> = page
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Rect { x, y, w, h, fill: Some(fill), .. } if Some(*fill) == banner.background && (*y < top || *y > bottom) => Some((*x, x + w, *y, y + h)),
                _ => None,
            })
            .chain(marking_runs.iter().copied())
            .collect();
        prop_assert_eq!(marking_runs.len(), 2, "page {}: the marking at the top and the bottom", index + 1);
        for run in &furniture {
            let text = layout.run_text(run);
            if text == banner.text {
                continue;
            }
            let b = run_box(run);
            prop_assert!(b.0 >= 0.0 && b.1 <= layout.width && b.2 >= 0.0 && b.3 <= layout.height, "page {}: {text:?} leaves the page: {b:?}", index + 1);
            for m in &boxes {
                prop_assert!(!overlaps(b, *m), "page {}: {text:?} {b:?} crosses the marking {m:?}", index + 1);
            }
            if index > 0 && run.baseline < top {
                let kept = text.trim_end_matches('…').trim_end();
                prop_assert!(text == title || (text.ends_with('…') && title.starts_with(kept)), "page {}: header {text:?}", index + 1);
            }
        }
    }
    Ok(())
}

fn pages_of_text(pages: usize) -> String {
    "# Start\n\n".to_string() + &"A paragraph of body text that fills the page with words and more words. ".repeat(12 * 4 * pages)
}

#[test]
fn a_150_character_title_is_cut_beside_the_marking_in_the_running_header() {
    let title = "Quarterly threat update for the board risk committee: state threats, ransomware, fraud and the insider risk programme for 2025 to 2026, with annexes";
    assert!(title.chars().count() >= 148);
    for label in ["TLP:AMBER+STRICT", "OFFICIAL-SENSITIVE"] {
        let banner = marking(label);
        let furniture = Furniture { title: title.into(), marking: Some(banner.clone()), ..Furniture::default() };
        let layout = lay_out(&pages_of_text(3), &Style::default(), &furniture, &Embeds::default(), &NoAssets);
        assert!(layout.pages.len() >= 3);
        check_furniture(&layout, &Style::default(), &banner, title).unwrap();
        let top = mm(Style::default().margins.top);
        let header: String = layout.pages[1].items.iter().filter_map(|i| match i {
            Item::Text(run) if run.baseline < top && layout.run_text(run) != banner.text => Some(layout.run_text(run)),
            _ => None,
        }).collect();
        assert!(header.ends_with('…') && title.starts_with(header.trim_end_matches('…')), "{label}: the title is cut: {header:?}");
    }
}

/// Checks that the cover (page 1) stays above the running footer and its marking.
fn check_cover(layout: &Layout, style: &Style) -> Result<(), TestCaseError> {
    let bottom = layout.height - mm(style.margins.bottom);
    for item in &layout.pages[0].items {
        match item {
            Item::Text(run) if run.baseline < bottom => {
                let b = run_box(run);
                prop_assert!(b.0 >= 0.0 && b.1 <= layout.width + 0.5 && b.3 <= bottom + run.size, "cover text {:?} at {b:?}", layout.run_text(run));
            }
            Item::Rect { y, h, .. } if *y < bottom => prop_assert!(y + h <= bottom + 0.5, "cover box ends at {} past {bottom}", y + h),
            _ => {}
        }
    }
    Ok(())
}

fn cover_document(title: &str, value: &str, label: &str) -> (Layout, Style) {
    let banner = marking(label);
    let cover = Cover {
        title: title.into(),
        subtitle: Some(value.into()),
        rows: ["Audience", "Purpose", "Date", "Prepared by", "Organisation", "Marking"].iter().map(|l| (l.to_string(), value.to_string())).collect(),
        edition: Some("Facilitator edition".into()),
        marking: Some(banner.clone()),
        handling: vec![value.into(), value.into()],
        brand: None,
    };
    let embeds = Embeds { cover: Some(cover), ..Embeds::default() };
    let furniture = Furniture { title: title.into(), marking: Some(banner), ..Furniture::default() };
    let style = Style::default();
    let layout = lay_out("```cover\n```\n\n# Next\n\nBody text.\n", &style, &furniture, &embeds, &NoAssets);
    (layout, style)
}

#[test]
fn a_very_long_cover_title_stays_clear_of_the_footer_and_marking() {
    let title = "Threat ".repeat(150_000);
    let value = "A long value that goes on ".repeat(200);
    for label in ["TLP:RED", "SECRET"] {
        let (layout, style) = cover_document(&title, &value, label);
        check_cover(&layout, &style).unwrap();
        check_furniture(&layout, &style, &marking(label), &title).unwrap();
        assert!(layout.page_text(0).contains('…'), "the title is cut");
        assert!(layout.page_text(0).matches(marking(label).text.as_str()).count() >= 3, "the cover shows the marking large as well");
    }
}

proptest! {
    #![proptest_config(proptest_config(16))]
    #[test]
    fn titles_of_any_length_keep_the_marking_clear(words in prop::collection::vec("[A-Za-z]{1,14}", 1..400), tlp in any::<bool>()) {
        let title = words.join(" ");
        let label = if tlp { "TLP:AMBER" } else { "OFFICIAL-SENSITIVE" };
        let (layout, style) = cover_document(&title, &title, label);
        check_cover(&layout, &style)?;
        check_furniture(&layout, &style, &marking(label), &title)?;
    }
}

// ---------------------------------------------------------------------------
// 20. Messages: sizes, integer limits and file names on one line
// ---------------------------------------------------------------------------

#[test]
fn a_page_just_over_the_import_limit_shows_its_real_size() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.html");
    std::fs::File::create(&path).unwrap().set_len(import::MAX_IMPORT_BYTES + 1).unwrap();
    let message = import::read_file(&path).unwrap_err().to_string();
    assert!(message.contains("(20,971,521 bytes; the limit is 20,971,520 bytes)"), "{message}");
    let bytes = vec![b'a'; import::MAX_IMPORT_BYTES as usize + 300_000];
    let message = import::import(Path::new("big.txt"), &bytes).unwrap_err().to_string();
    assert!(message.contains("(20.3 MB; the limit is 20 MB)"), "{message}");
}

proptest! {
    #![proptest_config(proptest_config(64))]
    #[test]
    fn a_size_over_a_limit_never_reads_as_the_limit(limit_mb in 1u64..100, over in 1u64..200_000_000) {
        let limit = limit_mb * 1_048_576;
        let message = size_over_limit(limit + over, limit);
        let (size, limit_text) = message.split_once("; the limit is ").unwrap();
        prop_assert_ne!(size.trim_end_matches(" MB").trim_end_matches(" bytes"), limit_text.trim_end_matches(" MB").trim_end_matches(" bytes"));
    }
}

fn check_with_staleness(value: &str) -> Vec<Diagnostic> {
    let (_temp, dir) = copy_pack(&example_pack());
    let path = dir.join("pack.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, format!("staleness_months = {value}\n{text}")).unwrap();
    pack::check(&dir)
}

#[test]
fn a_staleness_of_99999999999_months_names_the_largest_allowed() {
    let errors = check_with_staleness("99999999999");
    let error = errors.iter().find(|d| d.field.as_deref() == Some("staleness_months")).expect("an error at the field");
    assert_eq!(error.line, 1);
    assert!(error.to_string().contains("must be a whole number from 0 to 4294967295, not 99999999999"), "{error}");
}

proptest! {
    #![proptest_config(proptest_config(8))]
    #[test]
    fn any_integer_too_large_for_a_field_names_the_largest_allowed(value in (i64::from(u32::MAX) + 1)..i64::MAX) {
        let errors = check_with_staleness(&value.to_string());
        prop_assert!(errors.iter().any(|d| d.to_string().contains("the largest value allowed is 4294967295")), "{errors:#?}");
    }
}

#[test]
fn a_pack_folder_named_with_a_newline_gives_one_line_per_problem() {
    let (_temp, dir) = copy_pack(&example_pack());
    let odd: PathBuf = dir.with_file_name("pack\nwith a newline");
    std::fs::rename(&dir, &odd).unwrap();
    let path = odd.join("pack.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    std::fs::write(&path, text.replacen("marking = ", "marking = 1 #", 1)).unwrap();
    let problems = pack::check(&odd);
    assert!(!problems.is_empty());
    for problem in problems {
        let shown = problem.to_string();
        assert_eq!(shown.lines().count(), 1, "{shown:?}");
        assert!(shown.contains("pack\\nwith a newline"), "{shown:?}");
    }
}

proptest! {
    #![proptest_config(proptest_config(64))]
    #[test]
    fn a_diagnostic_is_always_one_line(file in any::<String>(), message in any::<String>(), hint in any::<String>()) {
        let shown = Diagnostic::file_error(file, message).with_hint(hint).to_string();
        prop_assert!(!shown.contains(|c: char| c.is_control() || c == '\u{2028}' || c == '\u{2029}'), "{shown:?}");
    }
}
