//! The document's logical structure, built while it is laid out, for tagged PDF.
//!
//! Layout creates a [`StructNode`] for every heading, paragraph, list, table cell,
//! figure and so on, each knowing its parent; the items that draw a node's content
//! are wrapped in [`Item::Begin`]/[`Item::End`] on the page. Anything drawn outside
//! such a pair (backgrounds, rules, running headers, repeated table headers) is an
//! artifact that assistive technology skips. The PDF stage turns this into marked
//! content and a structure tree; the order of a node's children there is the order
//! their content is drawn, so reading order follows the page.

use super::Item;

/// Index of a node in [`Structure::nodes`].
pub type NodeId = u32;

/// The node the document's marking is tagged as: the first, so a screen reader
/// announces "TLP:AMBER" before anything else. Without a marking it has no content
/// and is left out of the PDF.
pub const MARKING_NODE: NodeId = 0;

/// The structure nodes of one document; the document root is implicit. Nodes are
/// created in reading order.
#[derive(Debug, Clone, PartialEq)]
pub struct Structure {
    /// Nodes in creation order; [`MARKING_NODE`] first.
    pub nodes: Vec<StructNode>,
}

impl Default for Structure {
    fn default() -> Self {
        Structure { nodes: vec![StructNode { role: Role::Paragraph, parent: None, alt: None, lang: None }] }
    }
}

impl Structure {
    /// Adds a node under `parent` (the document root when `None`).
    pub fn add(&mut self, role: Role, parent: Option<NodeId>) -> NodeId {
        self.nodes.push(StructNode { role, parent, alt: None, lang: None });
        (self.nodes.len() - 1) as NodeId
    }

    /// The node `id`.
    pub fn get(&self, id: NodeId) -> Option<&StructNode> {
        self.nodes.get(id as usize)
    }

    /// Sets a node's alternative text (for figures).
    pub fn set_alt(&mut self, id: NodeId, alt: impl Into<String>) {
        if let Some(node) = self.nodes.get_mut(id as usize) {
            node.alt = Some(alt.into());
        }
    }
}

/// One element of the structure tree.
#[derive(Debug, Clone, PartialEq)]
pub struct StructNode {
    /// What it is.
    pub role: Role,
    /// The enclosing node; `None` for a child of the document root.
    pub parent: Option<NodeId>,
    /// Alternative text, which replaces the content for assistive technology.
    pub alt: Option<String>,
    /// Language, when it differs from the document's (BCP 47).
    pub lang: Option<String>,
}

/// Standard structure types of PDF 1.7 (ISO 32000-1, 14.8.4) that Briefpack uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// A heading, level 1 to 6 (levels never skip).
    Heading(u8),
    /// A paragraph.
    Paragraph,
    /// A list, with how its items are numbered.
    List(ListNumbering),
    /// A list item.
    ListItem,
    /// A list item's bullet or number.
    Label,
    /// A list item's content.
    ListBody,
    /// A table.
    Table,
    /// The header rows of a table.
    TableHead,
    /// The body rows of a table.
    TableBody,
    /// A table row.
    TableRow,
    /// A header cell; its scope is its column.
    TableHeader,
    /// A data cell.
    TableData,
    /// A quotation.
    BlockQuote,
    /// Computer code.
    Code,
    /// An image, chart or QR code; carries alternative text.
    Figure,
    /// A figure's caption.
    Caption,
    /// The contents list.
    Contents,
    /// One entry of the contents.
    ContentsItem,
    /// A source note or footnote.
    Note,
    /// A reference to a note (a footnote's number in the text).
    Reference,
    /// A generic group (a callout, a key-figure card, the cover).
    Division,
}

/// How a list's items are numbered (the `/ListNumbering` attribute).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ListNumbering {
    /// 1, 2, 3.
    Decimal,
    /// Bullets.
    Disc,
    /// Task boxes or no visible label.
    None,
}

impl Role {
    /// The structure type's name in the PDF.
    pub fn pdf_name(self) -> &'static str {
        match self {
            Role::Heading(1) => "H1",
            Role::Heading(2) => "H2",
            Role::Heading(3) => "H3",
            Role::Heading(4) => "H4",
            Role::Heading(5) => "H5",
            Role::Heading(_) => "H6",
            Role::Paragraph => "P",
            Role::List(_) => "L",
            Role::ListItem => "LI",
            Role::Label => "Lbl",
            Role::ListBody => "LBody",
            Role::Table => "Table",
            Role::TableHead => "THead",
            Role::TableBody => "TBody",
            Role::TableRow => "TR",
            Role::TableHeader => "TH",
            Role::TableData => "TD",
            Role::BlockQuote => "BlockQuote",
            Role::Code => "Code",
            Role::Figure => "Figure",
            Role::Caption => "Caption",
            Role::Contents => "TOC",
            Role::ContentsItem => "TOCI",
            Role::Note => "Note",
            Role::Reference => "Reference",
            Role::Division => "Div",
        }
    }
}

/// What a span of page items is to assistive technology.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Tag {
    /// Content of a structure node.
    Node(NodeId),
    /// Not content: decoration or page furniture.
    Artifact(ArtifactKind),
    /// Inline content that becomes a child node of this role under the element
    /// its line is tagged as (a footnote reference inside a paragraph). Text
    /// never tagged that way reads as part of whatever encloses it.
    Inline(Role),
    /// A hyphen added where a word breaks at a line end: part of what encloses it,
    /// read as a soft hyphen (U+00AD), so the word reads as one.
    SoftHyphen,
}

/// Kinds of artifact, as PDF names them (14.8.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArtifactKind {
    /// Running header (with its marking banner).
    Header,
    /// Running footer and page number.
    Footer,
    /// A distributed copy's watermark.
    Watermark,
    /// Backgrounds, rules and other decoration.
    Layout,
}

/// `items` wrapped as the content of `node`.
pub(crate) fn wrap(items: &mut Vec<Item>, tag: Tag) {
    if items.is_empty() {
        return;
    }
    items.insert(0, Item::Begin(tag));
    items.push(Item::End);
}

/// `items` without their tags: a repeated table header is drawn again but read once.
pub(crate) fn strip(items: &mut Vec<Item>) {
    items.retain(|item| !matches!(item, Item::Begin(_) | Item::End));
}

/// Heading levels as tagged: each heading one below the nearest earlier heading
/// written at a higher level, so a document that goes from its title straight to
/// level-3 headings (a template's `demote`) still reads as an outline without gaps,
/// and headings written at the same level stay at the same level.
#[derive(Debug, Clone, Default)]
pub(crate) struct HeadingLevels {
    /// Open headings: level as written, level as tagged.
    open: Vec<(u8, u8)>,
}

impl HeadingLevels {
    /// The tagged level for a heading written at `level`.
    pub(crate) fn next(&mut self, level: u8) -> u8 {
        while self.open.last().is_some_and(|&(written, _)| written >= level) {
            self.open.pop();
        }
        let tagged = self.open.last().map_or(1, |&(_, tagged)| tagged + 1).min(6);
        self.open.push((level, tagged));
        tagged
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heading_levels_never_skip() {
        let mut levels = HeadingLevels::default();
        let tagged: Vec<u8> = [2, 4, 4, 3, 1, 3, 6].into_iter().map(|l| levels.next(l)).collect();
        assert_eq!(tagged, [1, 2, 2, 2, 1, 2, 3]);
    }
}
