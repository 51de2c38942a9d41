//! comrak's AST → our [`Document`]. The only file that knows comrak.

use std::collections::HashMap;

use comrak::nodes::{AlertType, AstNode, ListType, NodeValue, TableAlignment};
use comrak::{parse_document, Arena, Options};

use super::document::*;

pub(super) fn convert(markdown: &str) -> Document {
    let arena = Arena::new();
    let root = parse_document(&arena, markdown, &options());
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

#[derive(Default)]
struct Converter {
    depth: usize,
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

    /// Past the depth limit: keep every paragraph's text, drop the nesting.
    fn flattened<'a>(&mut self, node: &'a AstNode<'a>, out: &mut Vec<Block>) {
        for n in node.descendants() {
            if matches!(n.data().value, NodeValue::Paragraph | NodeValue::Heading(_)) {
                let inlines = self.inlines(n);
                if !inlines.is_empty() {
                    out.push(Block::Paragraph(inlines));
                }
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
                NodeValue::FootnoteReference(r) => {
                    let next = self.numbers.len() as u32 + 1;
                    Inline::FootnoteRef(*self.numbers.entry(r.name.clone()).or_insert(next))
                }
                NodeValue::SoftBreak => Inline::SoftBreak,
                NodeValue::LineBreak => Inline::LineBreak,
                NodeValue::HtmlInline(html) => {
                    if html.starts_with("<!--") {
                        continue;
                    }
                    Inline::Text(html)
                }
                _ => {
                    out.extend(self.inlines(node));
                    continue;
                }
            };
            // Merge adjacent text runs so later stages see whole words.
            match (out.last_mut(), inline) {
                (Some(Inline::Text(prev)), Inline::Text(next)) => prev.push_str(&next),
                (_, inline) => out.push(inline),
            }
        }
        out
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
