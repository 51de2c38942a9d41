//! comrak's AST → our [`Document`], and the plain text of a text's prose
//! ([`prose`]). The only file that knows comrak.

use std::collections::HashMap;

use comrak::nodes::{AlertType, AstNode, ListType, NodeValue, TableAlignment};
use comrak::{parse_document, Arena, Options};

use super::document::*;
use super::Prose;

pub(super) fn convert(markdown: &str) -> Document {
    let markdown = cap_quote_markers(markdown);
    let arena = Arena::new();
    let root = parse_document(&arena, &markdown, &options());
    let mut converter = Converter::default();
    let blocks = converter.blocks(root);
    let mut footnotes: Vec<Footnote> = converter
        .definitions
        .drain()
        .filter_map(|(name, blocks)| converter.numbers.get(&name).map(|&number| Footnote { number, blocks }))
        .collect();
    footnotes.sort_by_key(|f| f.number);
    Document { blocks, footnotes }
}

/// The prose of `markdown`, one entry per paragraph (a list item's, a quote's,
/// a footnote's), as plain text on one line: emphasis, links (their text kept),
/// images, footnote references, inline HTML and `<sup>` markers removed, escapes
/// and entities resolved. Headings, tables and code are not prose, and neither
/// is a paragraph that is only links (navigation). The text is as written:
/// no smart punctuation, so it can be quoted and found again in the source.
pub(super) fn prose(markdown: &str) -> Vec<Prose> {
    use comrak::arena_tree::NodeEdge;

    let markdown = cap_quote_markers(markdown);
    let arena = Arena::new();
    let mut options = options();
    options.parse.smart = false;
    let root = parse_document(&arena, &markdown, &options);
    let mut out = Vec::new();
    // Quotes (and alerts) open and close around the paragraphs they hold.
    let mut quote_depth = 0usize;
    for edge in root.traverse() {
        match edge {
            NodeEdge::Start(node) => match node.data().value {
                NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) | NodeValue::Alert(_) => quote_depth += 1,
                NodeValue::Paragraph if !is_link_only(node) => {
                    let text = paragraph_text(node);
                    if !text.is_empty() {
                        out.push(Prose { text, quoted: quote_depth > 0 });
                    }
                }
                _ => {}
            },
            NodeEdge::End(node) => {
                if matches!(node.data().value, NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) | NodeValue::Alert(_)) {
                    quote_depth = quote_depth.saturating_sub(1);
                }
            }
        }
    }
    out
}

/// A paragraph made only of links and images ("[5 ways to …](/news/…)") is navigation, not prose.
fn is_link_only<'a>(paragraph: &'a AstNode<'a>) -> bool {
    let mut any_link = false;
    for child in paragraph.children() {
        match &child.data().value {
            NodeValue::Link(_) | NodeValue::Image(_) => any_link = true,
            NodeValue::SoftBreak | NodeValue::LineBreak => {}
            NodeValue::Text(text) if !text.chars().any(char::is_alphanumeric) => {}
            _ => return false,
        }
    }
    any_link
}

/// The words of one paragraph, on one line. Walks the tree without recursing.
fn paragraph_text<'a>(paragraph: &'a AstNode<'a>) -> String {
    use comrak::arena_tree::NodeEdge;

    let mut text = String::new();
    let (mut in_image, mut in_sup) = (0usize, 0usize);
    for edge in paragraph.traverse() {
        match edge {
            NodeEdge::Start(node) => match &node.data().value {
                NodeValue::Image(_) => in_image += 1,
                NodeValue::Text(t) if in_image == 0 && in_sup == 0 => text.push_str(t),
                NodeValue::Code(code) if in_image == 0 && in_sup == 0 => text.push_str(&code.literal),
                NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
                NodeValue::HtmlInline(html) => {
                    let tag = html.trim_start_matches('<').to_ascii_lowercase();
                    if tag.starts_with("sup") {
                        in_sup += 1;
                    } else if tag.starts_with("/sup") {
                        in_sup = in_sup.saturating_sub(1);
                    }
                }
                _ => {}
            },
            NodeEdge::End(node) => {
                if matches!(node.data().value, NodeValue::Image(_)) {
                    in_image = in_image.saturating_sub(1);
                }
            }
        }
    }
    without_note_markers(&text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Text with footnote markers as pages print them removed: "[1]" (up to three
/// digits, as the HTML reader writes them), "`[^2]`" (a reference with no note
/// to go to, which comrak leaves as text) and superscript digits ("¹²").
fn without_note_markers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '[' {
            let digits = rest[1..].bytes().take_while(u8::is_ascii_digit).count();
            if (1..=3).contains(&digits) && rest[1 + digits..].starts_with(']') {
                rest = &rest[digits + 2..];
                continue;
            }
            if let Some(label) = rest[1..].strip_prefix('^').and_then(|r| r.find(']').filter(|&end| end <= 40)) {
                rest = &rest[label + 3..];
                continue;
            }
        }
        if !matches!(c, '¹' | '²' | '³' | '⁴' | '⁵' | '⁶' | '⁷' | '⁸' | '⁹' | '⁰') {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    out
}

fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.extension.footnotes = true;
    options.extension.alerts = true;
    options.parse.smart = true;
    options
}

/// Containers nested deeper than this are flattened into their parent: the
/// tree stays shallow enough for every later stage, whatever the input.
const MAX_DEPTH: usize = 48;

/// Block-quote markers kept at the start of a line: more than the depth blocks
/// are flattened at, so capping them changes nothing on the page. comrak looks
/// for an alert (`> [!NOTE]`) after each `>` by scanning every `>` that follows,
/// so a line of 100,000 `>` took a minute.
const MAX_QUOTE_MARKERS: usize = MAX_DEPTH + 16;

/// `markdown` with each line's run of block-quote markers (`>`, spaces and tabs)
/// cut after [`MAX_QUOTE_MARKERS`] markers. Borrowed when no line needs it.
fn cap_quote_markers(markdown: &str) -> std::borrow::Cow<'_, str> {
    let too_deep = |line: &str| {
        let prefix = line.len() - line.trim_start_matches(['>', ' ', '\t']).len();
        line[..prefix].bytes().filter(|&b| b == b'>').count() > MAX_QUOTE_MARKERS
    };
    if !markdown.split_inclusive('\n').any(too_deep) {
        return markdown.into();
    }
    let mut out = String::with_capacity(markdown.len());
    for line in markdown.split_inclusive('\n') {
        if !too_deep(line) {
            out.push_str(line);
            continue;
        }
        let prefix = line.len() - line.trim_start_matches(['>', ' ', '\t']).len();
        let mut markers = 0;
        for c in line[..prefix].chars() {
            markers += usize::from(c == '>');
            if markers <= MAX_QUOTE_MARKERS {
                out.push(c);
            }
        }
        out.push_str(&line[prefix..]);
    }
    out.into()
}

/// Inline formatting (emphasis, strong, strike, links) nested deeper than this
/// is flattened: the text inside keeps its order, the outer levels keep their
/// formatting, and no later stage recurses deeper than this, whatever the input
/// (`*` × 10,000 + `x` + `*` × 10,000 is 5,000 levels of emphasis to comrak).
pub(crate) const MAX_INLINE_DEPTH: usize = 32;

#[derive(Default)]
struct Converter {
    depth: usize,
    /// How many inline containers enclose the inlines being converted.
    inline_depth: usize,
    /// Footnote numbers by name, in order of first reference.
    numbers: HashMap<String, u32>,
    definitions: HashMap<String, Vec<Block>>,
    heading_ids: HashMap<String, u32>,
}

impl Converter {
    fn blocks<'a>(&mut self, parent: &'a AstNode<'a>) -> Vec<Block> {
        let mut out = Vec::new();
        self.depth += 1;
        for node in parent.children() {
            if self.depth > MAX_DEPTH {
                self.flattened(node, &mut out);
            } else {
                self.block(node, &mut out);
            }
        }
        self.depth -= 1;
        out
    }

    /// Past the depth limit: keep the text of every paragraph, heading and table
    /// cell and every code or HTML block whole, in order; drop the nesting.
    fn flattened<'a>(&mut self, node: &'a AstNode<'a>, out: &mut Vec<Block>) {
        for n in node.descendants() {
            match n.data().value {
                NodeValue::Paragraph | NodeValue::Heading(_) | NodeValue::TableCell => {
                    let inlines = self.inlines(n);
                    if !inlines.is_empty() {
                        out.push(Block::Paragraph(inlines));
                    }
                }
                // Leaves: converting them does not recurse.
                NodeValue::CodeBlock(_) | NodeValue::HtmlBlock(_) => self.block(n, out),
                _ => {}
            }
        }
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>, out: &mut Vec<Block>) {
        let value = node.data().value.clone();
        match value {
            NodeValue::Paragraph => {
                let inlines = self.inlines(node);
                // An image on its own line is a figure, not text.
                let images: Vec<&'a AstNode<'a>> = node.children().collect();
                let only_images = !images.is_empty()
                    && images.iter().all(|c| {
                        matches!(c.data().value, NodeValue::Image(_) | NodeValue::SoftBreak | NodeValue::LineBreak)
                    });
                if only_images {
                    for child in images {
                        if let NodeValue::Image(link) = &child.data().value {
                            out.push(Block::Image { url: link.url.clone(), alt: self.text_of(child) });
                        }
                    }
                } else if !inlines.is_empty() {
                    out.push(Block::Paragraph(inlines));
                }
            }
            NodeValue::Heading(h) => {
                let content = self.inlines(node);
                let id = self.unique_id(&plain_text(&content));
                out.push(Block::Heading { level: h.level, content, id });
            }
            NodeValue::List(list) => {
                let items = node
                    .children()
                    .map(|item| {
                        let task = match &item.data().value {
                            NodeValue::TaskItem(t) => Some(t.symbol.is_some()),
                            _ => None,
                        };
                        ListItem { task, blocks: self.blocks(item) }
                    })
                    .collect();
                out.push(Block::List {
                    ordered: list.list_type == ListType::Ordered,
                    start: list.start as u64,
                    tight: list.tight,
                    items,
                });
            }
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => out.push(Block::Quote(self.blocks(node))),
            NodeValue::CodeBlock(code) => {
                let info = code.info.trim().to_string();
                if info == "page-break" {
                    out.push(Block::PageBreak);
                } else {
                    let text = code.literal.strip_suffix('\n').unwrap_or(&code.literal).to_string();
                    out.push(Block::Code { info, text });
                }
            }
            NodeValue::Alert(alert) => {
                let kind = match alert.alert_type {
                    AlertType::Note => AlertKind::Note,
                    AlertType::Tip => AlertKind::Tip,
                    AlertType::Important => AlertKind::Important,
                    AlertType::Warning => AlertKind::Warning,
                    AlertType::Caution => AlertKind::Caution,
                };
                out.push(Block::Alert { kind, title: alert.title.clone(), blocks: self.blocks(node) });
            }
            NodeValue::Table(table) => {
                let alignments = table
                    .alignments
                    .iter()
                    .map(|a| match a {
                        TableAlignment::None => Alignment::Auto,
                        TableAlignment::Left => Alignment::Left,
                        TableAlignment::Center => Alignment::Center,
                        TableAlignment::Right => Alignment::Right,
                    })
                    .collect();
                let mut header = Vec::new();
                let mut rows = Vec::new();
                for row in node.children() {
                    let is_header = matches!(row.data().value, NodeValue::TableRow(true));
                    let cells: Vec<Vec<Inline>> = row.children().map(|cell| self.inlines(cell)).collect();
                    if is_header {
                        header = cells;
                    } else {
                        rows.push(cells);
                    }
                }
                out.push(Block::Table(Table { alignments, header, rows }));
            }
            NodeValue::ThematicBreak => out.push(Block::Rule),
            NodeValue::FootnoteDefinition(def) => {
                let blocks = self.blocks(node);
                self.definitions.insert(def.name.clone(), blocks);
            }
            NodeValue::HtmlBlock(html) => {
                // Raw HTML is not rendered; comments vanish, anything else shows as text so nothing is lost silently.
                let literal = html.literal.trim();
                if let Some(tag) = literal.strip_prefix(super::LANGUAGE_MARK).and_then(|rest| rest.strip_suffix("-->")) {
                    let tag = tag.trim();
                    if crate::pack::language_tag_problem(tag).is_none() {
                        out.push(Block::Language(Some(tag.to_string())));
                    }
                    return;
                }
                if literal == super::LANGUAGE_END {
                    out.push(Block::Language(None));
                    return;
                }
                let comment = literal.starts_with("<!--") && literal.ends_with("-->");
                if !comment && !literal.is_empty() {
                    out.push(Block::Paragraph(vec![Inline::Text(literal.to_string())]));
                }
            }
            // Containers we do not model: keep their content.
            _ => out.extend(self.blocks(node)),
        }
    }

    fn inlines<'a>(&mut self, parent: &'a AstNode<'a>) -> Vec<Inline> {
        if self.inline_depth >= MAX_INLINE_DEPTH {
            return self.flattened_inlines(parent);
        }
        self.inline_depth += 1;
        let out = self.nested_inlines(parent);
        self.inline_depth -= 1;
        out
    }

    fn nested_inlines<'a>(&mut self, parent: &'a AstNode<'a>) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        for node in parent.children() {
            let value = node.data().value.clone();
            let inline = match value {
                NodeValue::Text(text) => Inline::Text(text.to_string()),
                NodeValue::Code(code) => Inline::Code(code.literal.clone()),
                NodeValue::Emph => Inline::Emphasis(self.inlines(node)),
                NodeValue::Strong => Inline::Strong(self.inlines(node)),
                NodeValue::Strikethrough => Inline::Strike(self.inlines(node)),
                NodeValue::Link(link) => Inline::Link { url: link.url.clone(), content: self.inlines(node) },
                NodeValue::Image(link) => {
                    // An image inside text: show its description, linked to its source.
                    let alt = self.text_of(node);
                    Inline::Link { url: link.url.clone(), content: vec![Inline::Text(format!("[image: {alt}]"))] }
                }
                NodeValue::FootnoteReference(r) => Inline::FootnoteRef(self.footnote_number(&r.name)),
                NodeValue::SoftBreak => Inline::SoftBreak,
                NodeValue::LineBreak => Inline::LineBreak,
                NodeValue::HtmlInline(html) => {
                    if html.starts_with("<!--") {
                        continue;
                    }
                    Inline::Text(html)
                }
                _ => {
                    for inline in self.inlines(node) {
                        push_merged(&mut out, inline);
                    }
                    continue;
                }
            };
            push_merged(&mut out, inline);
        }
        out
    }

    /// Past the inline depth limit: the leaves in document order (text, code,
    /// breaks, footnote markers), without the formatting around them. comrak's
    /// `descendants` walks the tree without recursing.
    fn flattened_inlines<'a>(&mut self, parent: &'a AstNode<'a>) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        for node in parent.descendants().skip(1) {
            let inline = match &node.data().value {
                NodeValue::Text(text) => Inline::Text(text.to_string()),
                NodeValue::Code(code) => Inline::Code(code.literal.clone()),
                NodeValue::FootnoteReference(r) => Inline::FootnoteRef(self.footnote_number(&r.name)),
                NodeValue::SoftBreak => Inline::SoftBreak,
                NodeValue::LineBreak => Inline::LineBreak,
                NodeValue::HtmlInline(html) if !html.starts_with("<!--") => Inline::Text(html.clone()),
                _ => continue,
            };
            push_merged(&mut out, inline);
        }
        out
    }

    /// A footnote's number: the next one at its first reference.
    fn footnote_number(&mut self, name: &str) -> u32 {
        let next = self.numbers.len() as u32 + 1;
        *self.numbers.entry(name.to_string()).or_insert(next)
    }

    fn text_of<'a>(&mut self, node: &'a AstNode<'a>) -> String {
        plain_text(&self.inlines(node))
    }

    fn unique_id(&mut self, text: &str) -> String {
        let mut slug = String::new();
        for c in text.chars().flat_map(char::to_lowercase) {
            if c.is_alphanumeric() {
                slug.push(c);
            } else if (c.is_whitespace() || c == '-') && !slug.ends_with('-') && !slug.is_empty() {
                slug.push('-');
            }
        }
        let slug = slug.trim_end_matches('-').to_string();
        let slug = if slug.is_empty() { "section".to_string() } else { slug };
        let count = self.heading_ids.entry(slug.clone()).or_insert(0);
        *count += 1;
        if *count == 1 {
            slug
        } else {
            format!("{slug}-{count}")
        }
    }
}

/// Appends `inline`, merging adjacent text runs so later stages see whole words.
fn push_merged(out: &mut Vec<Inline>, inline: Inline) {
    match (out.last_mut(), inline) {
        (Some(Inline::Text(prev)), Inline::Text(next)) => prev.push_str(&next),
        (_, inline) => out.push(inline),
    }
}
