//! The document tree the layout stage consumes: blocks holding inlines.

/// A parsed Markdown document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Document {
    /// The body, in order.
    pub blocks: Vec<Block>,
    /// Footnotes, numbered from 1 in order of first reference.
    pub footnotes: Vec<Footnote>,
}

impl Document {
    /// The plain text of the first heading, used as the title of a plain Markdown file.
    pub fn first_heading(&self) -> Option<String> {
        self.blocks.iter().find_map(|b| match b {
            Block::Heading { content, .. } => Some(plain_text(content)),
            _ => None,
        })
    }

    /// Every link address in the body and the footnotes, in document order.
    pub fn link_urls(&self) -> Vec<&str> {
        let mut urls = Vec::new();
        collect_link_urls(&self.blocks, &mut urls);
        for note in &self.footnotes {
            collect_link_urls(&note.blocks, &mut urls);
        }
        urls
    }
}

/// A block-level element.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A heading, level 1–6, with a unique anchor id for links and the contents.
    Heading {
        /// 1 for `#`, up to 6.
        level: u8,
        /// The heading text.
        content: Vec<Inline>,
        /// Unique slug (`background`, `background-2`) that `#…` links point at.
        id: String,
    },
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A bullet or numbered list.
    List {
        /// Numbered (`1.`) rather than bulleted.
        ordered: bool,
        /// The first number of a numbered list.
        start: u64,
        /// No blank lines between items.
        tight: bool,
        /// The items.
        items: Vec<ListItem>,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// Preformatted text in the monospace face.
    Code {
        /// The info string after the opening fence (`rust`, `stat-cards`); empty if none.
        info: String,
        /// The literal text.
        text: String,
    },
    /// A GitHub-style alert (`> [!NOTE]`), drawn as a callout box.
    Alert {
        /// Which kind.
        kind: AlertKind,
        /// A custom title, if given.
        title: Option<String>,
        /// The content.
        blocks: Vec<Block>,
    },
    /// A table.
    Table(Table),
    /// An image on its own line.
    Image {
        /// Where the image is (a path relative to the document).
        url: String,
        /// The alternative text, also used as a caption.
        alt: String,
    },
    /// A horizontal rule.
    Rule,
    /// An explicit page break (a fenced block with the info string `page-break`).
    PageBreak,
    /// From here the text is in this language (a BCP 47 tag); `None`: back to the
    /// document's. Written by the template stage around an article in another
    /// language (see [`crate::markdown::LANGUAGE_MARK`]); nothing is drawn.
    Language(Option<String>),
}

/// One item of a list.
#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// For task lists: whether the box is ticked.
    pub task: Option<bool>,
    /// The item's content.
    pub blocks: Vec<Block>,
}

/// The five GitHub alert kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    /// Useful information.
    Note,
    /// Helpful advice.
    Tip,
    /// Key information.
    Important,
    /// Urgent information.
    Warning,
    /// Risks or negative outcomes.
    Caution,
}

impl AlertKind {
    /// The default title shown on the callout.
    pub fn title(self) -> &'static str {
        match self {
            AlertKind::Note => "Note",
            AlertKind::Tip => "Tip",
            AlertKind::Important => "Important",
            AlertKind::Warning => "Warning",
            AlertKind::Caution => "Caution",
        }
    }
}

/// A table: header row, body rows and column alignments.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Alignment of each column as written in the Markdown.
    pub alignments: Vec<Alignment>,
    /// The header cells.
    pub header: Vec<Vec<Inline>>,
    /// The body rows.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alignment {
    /// Not specified: the layout decides (numbers right, text left).
    Auto,
    /// Left.
    Left,
    /// Centre.
    Center,
    /// Right.
    Right,
}

/// A numbered footnote.
#[derive(Debug, Clone, PartialEq)]
pub struct Footnote {
    /// Its number, from 1.
    pub number: u32,
    /// Its content.
    pub blocks: Vec<Block>,
}

/// An inline element.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Code in the monospace face.
    Code(String),
    /// Italic.
    Emphasis(Vec<Inline>),
    /// Bold.
    Strong(Vec<Inline>),
    /// Struck through.
    Strike(Vec<Inline>),
    /// A link: `url` is an address or `#anchor`.
    Link {
        /// Target.
        url: String,
        /// Link text.
        content: Vec<Inline>,
    },
    /// A reference to footnote `n`.
    FootnoteRef(u32),
    /// A soft line break (a space when typeset).
    SoftBreak,
    /// A hard line break.
    LineBreak,
}

/// The text of inlines without formatting. Walks with its own stack: a tree
/// built by hand (not by [`crate::markdown::parse`], which caps nesting) may be
/// arbitrarily deep.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    let mut stack: Vec<std::slice::Iter<'_, Inline>> = vec![inlines.iter()];
    while let Some(level) = stack.last_mut() {
        let Some(inline) = level.next() else {
            stack.pop();
            continue;
        };
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) | Inline::Link { content: c, .. } => stack.push(c.iter()),
            Inline::FootnoteRef(n) => out.push_str(&n.to_string()),
            Inline::SoftBreak | Inline::LineBreak => out.push(' '),
        }
    }
    out
}

/// Adds every link address in `blocks` to `urls`, in document order.
fn collect_link_urls<'a>(blocks: &'a [Block], urls: &mut Vec<&'a str>) {
    let mut block_stack: Vec<&Block> = blocks.iter().rev().collect();
    let mut inline_stack: Vec<&Inline> = Vec::new();
    while let Some(block) = block_stack.pop() {
        let inlines: Vec<&[Inline]> = match block {
            Block::Heading { content, .. } | Block::Paragraph(content) => vec![content],
            Block::Table(table) => table.header.iter().chain(table.rows.iter().flatten()).map(Vec::as_slice).collect(),
            Block::List { items, .. } => {
                block_stack.extend(items.iter().rev().flat_map(|item| item.blocks.iter().rev()));
                continue;
            }
            Block::Quote(inner) | Block::Alert { blocks: inner, .. } => {
                block_stack.extend(inner.iter().rev());
                continue;
            }
            Block::Code { .. } | Block::Image { .. } | Block::Rule | Block::PageBreak | Block::Language(_) => continue,
        };
        for content in inlines {
            inline_stack.extend(content.iter().rev());
            while let Some(inline) = inline_stack.pop() {
                match inline {
                    Inline::Link { url, content } => {
                        urls.push(url.as_str());
                        inline_stack.extend(content.iter().rev());
                    }
                    Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) => inline_stack.extend(c.iter().rev()),
                    Inline::Text(_) | Inline::Code(_) | Inline::FootnoteRef(_) | Inline::SoftBreak | Inline::LineBreak => {}
                }
            }
        }
    }
}
