//! A saved page's HTML → a `dom_query` document whose elements nest at most
//! [`MAX_DEPTH`] deep, whatever the page.
//!
//! Deep nesting is hostile three ways: html5ever's tree builder walks its stack
//! of open elements for many tags (10,000 nested `<b>` or 3,000 nested `<div>`
//! cost quadratic time), dom_smoothie scores each candidate by its descendants
//! (quadratic again), and dom_query's Markdown writer recurses once per level
//! (a stack overflow at a few thousand). So nesting is capped twice:
//!
//! 1. While parsing, [`DepthCap`] sits between html5ever's tokenizer and tree
//!    builder and follows the elements each tag opens and closes, with the tree
//!    builder's rules for ordinary markup (void elements, raw-text elements,
//!    implied ends of `p`, `li`, `dd`, `dt`, table rows and cells, scope). A
//!    start tag that would open an element deeper than the cap is dropped with
//!    its end tag, leaving a space: its content stays, in order, in the deepest
//!    element kept. This keeps the tree builder's own stack short.
//! 2. After parsing, an element at the cap that still has child elements (the
//!    tree builder re-opens formatting elements on its own, which no token
//!    filter can foresee) has its content replaced by its text.
//!
//! Both passes use explicit stacks, never recursion.

use std::cell::RefCell;
use std::collections::HashMap;

use dom_query::{Document, NodeRef};
use html5ever::tendril::StrTendril;
use html5ever::tokenizer::{BufferQueue, Tag, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts};
use html5ever::tree_builder::{TreeBuilder, TreeBuilderOpts};
use html5ever::{local_name, LocalName, TokenizerResult};

/// Elements nest at most this deep in a parsed page (real pages stay under 60;
/// browsers cap at 512). dom_query's Markdown writer spends a few KB of stack per
/// level in a debug build, and import must run on small worker-thread stacks.
pub(super) const MAX_DEPTH: usize = 128;

/// How many elements the token filter lets be open: the tree builder adds
/// `html`, `head` and `body` of its own, and re-opens formatting elements.
const MAX_OPEN_ELEMENTS: usize = MAX_DEPTH - 8;

/// Parses `html` as a browser would, with nesting capped at [`MAX_DEPTH`].
pub(super) fn parse(html: &str) -> Document {
    let options = TreeBuilderOpts { scripting_enabled: false, ..TreeBuilderOpts::default() };
    let tokenizer = Tokenizer::new(DepthCap::new(TreeBuilder::new(Document::default(), options)), TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from(html));
    // The tokenizer pauses after each `</script>` (for a script engine) and at each
    // declared encoding (the text is decoded already): carry on until it is done.
    while !matches!(tokenizer.feed(&input), TokenizerResult::Done) {}
    tokenizer.end();
    let document = tokenizer.sink.builder.sink;
    flatten_below(&document.root(), MAX_DEPTH);
    document
}

/// Replaces the content of every element at depth `max` that still has child
/// elements with its text, words kept apart where elements separated them.
fn flatten_below(root: &NodeRef<'_>, max: usize) {
    let mut stack = vec![(*root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        let children = node.children();
        if depth >= max && node.is_element() && children.iter().any(NodeRef::is_element) {
            node.set_text(flat_text(&node));
            continue;
        }
        stack.extend(children.into_iter().filter(NodeRef::is_element).map(|child| (child, depth + 1)));
    }
}

/// The text under `node`, with a space where an element starts between two words.
fn flat_text(node: &NodeRef<'_>) -> String {
    let mut text = String::new();
    for descendant in node.descendants_it() {
        if descendant.is_text() {
            text.push_str(&descendant.text());
        } else if descendant.is_element() && !text.ends_with(char::is_whitespace) && !text.is_empty() {
            text.push(' ');
        }
    }
    text
}

/// A token sink that passes tokens on to the tree builder, dropping start tags
/// (and their end tags) that would nest elements deeper than [`MAX_OPEN_ELEMENTS`].
struct DepthCap<Sink> {
    builder: Sink,
    open: RefCell<OpenElements>,
}

impl<Sink: TokenSink> DepthCap<Sink> {
    fn new(builder: Sink) -> Self {
        DepthCap { builder, open: RefCell::new(OpenElements::default()) }
    }
}

impl<Sink: TokenSink> TokenSink for DepthCap<Sink> {
    type Handle = Sink::Handle;

    fn process_token(&self, token: Token, line_number: u64) -> TokenSinkResult<Self::Handle> {
        let pass = match &token {
            Token::TagToken(tag) => self.open.borrow_mut().admit(tag),
            _ => true,
        };
        if pass {
            self.builder.process_token(token, line_number)
        } else {
            // The dropped tag still separated the words on either side of it.
            self.builder.process_token(Token::CharacterTokens(StrTendril::from_slice(" ")), line_number)
        }
    }

    fn end(&self) {
        self.builder.end();
    }

    fn adjusted_current_node_present_but_not_in_html_namespace(&self) -> bool {
        self.builder.adjusted_current_node_present_but_not_in_html_namespace()
    }
}

/// One element the filter believes open, and whether the tree builder saw its start tag.
struct Open {
    name: LocalName,
    kept: bool,
}

/// The elements open at this point of the token stream, as the tree builder
/// would have them, with indexes that make every question O(1): where each name
/// last occurs, and where the last scope boundary, special element and list
/// stopper are. Kept entries always come before dropped ones.
#[derive(Default)]
struct OpenElements {
    stack: Vec<Open>,
    kept: usize,
    /// Formatting elements (`b`, `a`, …) closed by another element's end rather
    /// than their own: the tree builder re-opens them at the next text, so they
    /// count against the cap until their own end tag.
    formatting_to_reopen: HashMap<LocalName, usize>,
    formatting_to_reopen_total: usize,
    positions: HashMap<LocalName, Vec<usize>>,
    boundaries: Vec<usize>,
    specials: Vec<usize>,
    list_stoppers: Vec<usize>,
}

impl OpenElements {
    /// Updates the open elements for `tag`; whether the tree builder may see it.
    fn admit(&mut self, tag: &Tag) -> bool {
        match tag.kind {
            TagKind::StartTag => self.start(tag),
            TagKind::EndTag => self.end(&tag.name),
        }
    }

    fn start(&mut self, tag: &Tag) -> bool {
        let name = &tag.name;
        // Raw text holds no elements, and void elements hold nothing: neither nests.
        let foreign = self.has(&local_name!("svg")) || self.has(&local_name!("math"));
        if (is_raw_text(name) && !foreign) || is_void(name) || (tag.self_closing && foreign) {
            return true;
        }
        let kept_before = self.kept;
        self.close_implied_by(name);
        // Re-opened formatting elements pile up on the tree builder's stack, so a
        // new one counts them too; the stack then stays under twice the cap.
        let open = if is_formatting(name) { self.kept + self.formatting_to_reopen_total } else { self.kept };
        // A start tag whose implied ends closed kept elements must reach the tree
        // builder, which closes the same ones; otherwise past the cap, it is dropped.
        let kept = self.kept < kept_before || open < MAX_OPEN_ELEMENTS;
        self.push(name.clone(), kept);
        kept
    }

    fn end(&mut self, name: &LocalName) -> bool {
        // `</body>` and `</html>` change the tree builder's mode; nothing closes until the end.
        if matches!(*name, local_name!("body") | local_name!("html")) {
            return true;
        }
        let stop = if is_special(name) { self.last(&self.boundaries) } else { self.last(&self.specials) };
        match self.topmost(name) {
            Some(at) if stop.is_none_or(|s| at >= s) => {
                let kept = self.stack[at].kept;
                self.truncate(at, Closed::ByItsEndTag);
                kept
            }
            _ => {
                if let Some(waiting) = self.formatting_to_reopen.get_mut(name).filter(|n| **n > 0) {
                    *waiting -= 1;
                    self.formatting_to_reopen_total -= 1;
                }
                // Not open here: the tree builder ignores it or repairs the markup.
                true
            }
        }
    }

    /// Closes what the tree builder closes before opening `name`.
    fn close_implied_by(&mut self, name: &LocalName) {
        if closes_paragraph(name) {
            let stop = self.last(&self.boundaries).max(self.topmost(&local_name!("button")));
            self.close_in_scope(&local_name!("p"), stop);
        }
        match *name {
            local_name!("li") => self.close_list_item(&[local_name!("li")]),
            local_name!("dd") | local_name!("dt") => self.close_list_item(&[local_name!("dd"), local_name!("dt")]),
            // A heading right inside a heading, an option right inside an option: the first ends.
            _ if is_heading(name) && self.stack.last().is_some_and(|top| is_heading(&top.name)) => {
                self.truncate(self.stack.len() - 1, Closed::Implied);
            }
            local_name!("option") | local_name!("optgroup") if self.stack.last().is_some_and(|top| top.name == local_name!("option")) => {
                self.truncate(self.stack.len() - 1, Closed::Implied);
            }
            local_name!("a") | local_name!("nobr") => {
                // The tree builder ends the open one as if by its end tag.
                if let Some(at) = self.topmost(name).filter(|&at| self.last(&self.specials).is_none_or(|s| at >= s)) {
                    self.truncate(at, Closed::ByItsEndTag);
                }
            }
            local_name!("button") => self.close_in_scope(name, self.last(&self.boundaries)),
            local_name!("tr") => self.close_in_table(&[local_name!("tr")]),
            local_name!("td") | local_name!("th") => self.close_in_table(&[local_name!("td"), local_name!("th")]),
            local_name!("tbody") | local_name!("thead") | local_name!("tfoot") => {
                self.close_in_table(&[local_name!("tbody"), local_name!("thead"), local_name!("tfoot")]);
            }
            local_name!("table") => {
                // A table directly inside a table (not in a cell) ends the first.
                let cell = [local_name!("td"), local_name!("th"), local_name!("caption")].iter().filter_map(|n| self.topmost(n)).max();
                if let Some(table) = self.topmost(&local_name!("table")) {
                    if cell.is_none_or(|c| table > c) {
                        self.truncate(table, Closed::Implied);
                    }
                }
            }
            _ => {}
        }
    }

    /// Closes the topmost `name` if the element at `stop` does not sit above it.
    fn close_in_scope(&mut self, name: &LocalName, stop: Option<usize>) {
        if let Some(at) = self.topmost(name) {
            if stop.is_none_or(|s| at >= s) {
                self.truncate(at, Closed::Implied);
            }
        }
    }

    /// A new list item closes the open one of `names`, unless a special element
    /// other than `address`, `div` or `p` sits between.
    fn close_list_item(&mut self, names: &[LocalName]) {
        if let Some(at) = names.iter().filter_map(|n| self.topmost(n)).max() {
            if self.last(&self.list_stoppers).is_none_or(|s| at >= s) {
                self.truncate(at, Closed::Implied);
            }
        }
    }

    /// A new row, cell or section closes the open one of `names` in the same table.
    fn close_in_table(&mut self, names: &[LocalName]) {
        if let Some(at) = names.iter().filter_map(|n| self.topmost(n)).max() {
            if self.topmost(&local_name!("table")).is_none_or(|table| at > table) {
                self.truncate(at, Closed::Implied);
            }
        }
    }

    fn has(&self, name: &LocalName) -> bool {
        self.topmost(name).is_some()
    }

    fn topmost(&self, name: &LocalName) -> Option<usize> {
        self.positions.get(name).and_then(|p| p.last().copied())
    }

    fn last(&self, indexes: &[usize]) -> Option<usize> {
        indexes.last().copied()
    }

    fn push(&mut self, name: LocalName, kept: bool) {
        let at = self.stack.len();
        if is_scope_boundary(&name) {
            self.boundaries.push(at);
        }
        if is_special(&name) {
            self.specials.push(at);
            if !matches!(name, local_name!("address") | local_name!("div") | local_name!("p")) {
                self.list_stoppers.push(at);
            }
        }
        self.positions.entry(name.clone()).or_default().push(at);
        self.kept += usize::from(kept);
        self.stack.push(Open { name, kept });
    }

    /// Closes the element at `at` and everything opened after it.
    fn truncate(&mut self, at: usize, how: Closed) {
        while self.stack.len() > at {
            let Some(open) = self.stack.pop() else { break };
            let index = self.stack.len();
            let by_its_end_tag = index == at && how == Closed::ByItsEndTag;
            if open.kept && is_formatting(&open.name) && !by_its_end_tag {
                *self.formatting_to_reopen.entry(open.name.clone()).or_default() += 1;
                self.formatting_to_reopen_total += 1;
            }
            for indexes in [&mut self.boundaries, &mut self.specials, &mut self.list_stoppers] {
                if indexes.last() == Some(&index) {
                    indexes.pop();
                }
            }
            if let Some(positions) = self.positions.get_mut(&open.name) {
                positions.pop();
            }
            self.kept -= usize::from(open.kept);
        }
    }
}

/// How an element was closed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Closed {
    /// By its own end tag.
    ByItsEndTag,
    /// By another tag (an end tag further out, or a start tag that implies it).
    Implied,
}

/// The HTML standard's formatting elements, which the tree builder re-opens.
fn is_formatting(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("a")
            | local_name!("b")
            | local_name!("big")
            | local_name!("code")
            | local_name!("em")
            | local_name!("font")
            | local_name!("i")
            | local_name!("nobr")
            | local_name!("s")
            | local_name!("small")
            | local_name!("strike")
            | local_name!("strong")
            | local_name!("tt")
            | local_name!("u")
    )
}

fn is_void(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("area")
            | local_name!("base")
            | local_name!("basefont")
            | local_name!("bgsound")
            | local_name!("br")
            | local_name!("col")
            | local_name!("embed")
            | local_name!("frame")
            | local_name!("hr")
            | local_name!("image")
            | local_name!("img")
            | local_name!("input")
            | local_name!("keygen")
            | local_name!("link")
            | local_name!("meta")
            | local_name!("param")
            | local_name!("source")
            | local_name!("track")
            | local_name!("wbr")
    )
}

/// Elements whose content the tokenizer reads as text, so they cannot nest.
fn is_raw_text(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("script")
            | local_name!("style")
            | local_name!("textarea")
            | local_name!("title")
            | local_name!("xmp")
            | local_name!("iframe")
            | local_name!("noembed")
            | local_name!("noframes")
            | local_name!("plaintext")
    )
}

fn is_heading(name: &LocalName) -> bool {
    matches!(*name, local_name!("h1") | local_name!("h2") | local_name!("h3") | local_name!("h4") | local_name!("h5") | local_name!("h6"))
}

/// Elements an end tag cannot close past (the HTML standard's "scope").
fn is_scope_boundary(name: &LocalName) -> bool {
    matches!(
        *name,
        local_name!("html")
            | local_name!("table")
            | local_name!("td")
            | local_name!("th")
            | local_name!("caption")
            | local_name!("template")
            | local_name!("applet")
            | local_name!("object")
            | local_name!("marquee")
    )
}

/// Start tags that close an open `p` first.
fn closes_paragraph(name: &LocalName) -> bool {
    is_heading(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("blockquote")
                | local_name!("center")
                | local_name!("details")
                | local_name!("dialog")
                | local_name!("dir")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("fieldset")
                | local_name!("figcaption")
                | local_name!("figure")
                | local_name!("footer")
                | local_name!("form")
                | local_name!("header")
                | local_name!("hgroup")
                | local_name!("main")
                | local_name!("menu")
                | local_name!("nav")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("pre")
                | local_name!("listing")
                | local_name!("search")
                | local_name!("section")
                | local_name!("summary")
                | local_name!("table")
                | local_name!("ul")
                | local_name!("li")
                | local_name!("dd")
                | local_name!("dt")
        )
}

/// The HTML standard's "special" elements (those void or raw-text are never on
/// the filter's stack and are left out): an end tag for an ordinary element
/// does not close past one of them.
fn is_special(name: &LocalName) -> bool {
    is_heading(name)
        || is_scope_boundary(name)
        || matches!(
            *name,
            local_name!("address")
                | local_name!("article")
                | local_name!("aside")
                | local_name!("blockquote")
                | local_name!("body")
                | local_name!("button")
                | local_name!("center")
                | local_name!("colgroup")
                | local_name!("dd")
                | local_name!("details")
                | local_name!("dir")
                | local_name!("div")
                | local_name!("dl")
                | local_name!("dt")
                | local_name!("fieldset")
                | local_name!("figcaption")
                | local_name!("figure")
                | local_name!("footer")
                | local_name!("form")
                | local_name!("frameset")
                | local_name!("head")
                | local_name!("header")
                | local_name!("hgroup")
                | local_name!("li")
                | local_name!("listing")
                | local_name!("main")
                | local_name!("menu")
                | local_name!("nav")
                | local_name!("noscript")
                | local_name!("ol")
                | local_name!("p")
                | local_name!("pre")
                | local_name!("search")
                | local_name!("section")
                | local_name!("select")
                | local_name!("summary")
                | local_name!("tbody")
                | local_name!("tfoot")
                | local_name!("thead")
                | local_name!("tr")
                | local_name!("ul")
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The deepest element under `node`, counting `node` as 0.
    fn depth(document: &Document) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(document.root(), 0usize)];
        while let Some((node, d)) = stack.pop() {
            deepest = deepest.max(d);
            stack.extend(node.children().into_iter().filter(NodeRef::is_element).map(|c| (c, d + 1)));
        }
        deepest
    }

    #[test]
    fn ordinary_pages_parse_as_before() {
        let page = "<html><body><div><p>One<p>Two<ul><li>a<li>b</ul><table><tr><td>x<td>y<tr><td>z</table></div></body></html>";
        let ours = parse(page);
        let theirs = Document::from(page);
        assert_eq!(ours.html().to_string(), theirs.html().to_string());
    }

    #[test]
    fn unclosed_paragraphs_and_items_do_not_count_as_nesting() {
        let page = format!("<body>{}<ul>{}</ul>", "<p>para ".repeat(1000), "<li>item ".repeat(1000));
        let document = parse(&page);
        assert_eq!(document.select("p").length(), 1000);
        assert_eq!(document.select("li").length(), 1000);
    }

    #[test]
    fn reopened_formatting_elements_count_against_the_cap() {
        // Each new paragraph re-opens every unclosed <b> before it: without counting
        // them, the tree builder's stack grew by one per paragraph.
        let page: String = (0..3000).map(|i| format!("<p><b id=b{i}>word {i} ")).collect();
        let document = parse(&page);
        assert!(depth(&document) <= MAX_DEPTH, "depth {}", depth(&document));
        assert!(document.root().text().contains("word 2999"));
    }

    #[test]
    fn deep_nesting_is_capped_and_its_text_kept() {
        for (open, close) in [
            ("<div>", "</div>"), ("<b>", "</b>"), ("<span>", "</span>"), ("<div><b>", "</b></div>"), ("<blockquote><p>", "")] {
            let page = format!("<body>{}deepest words{}", open.repeat(5000), close.repeat(5000));
            let document = parse(&page);
            assert!(depth(&document) <= MAX_DEPTH, "{open}: depth {}", depth(&document));
            assert!(document.root().text().contains("deepest words"), "{open}: the text is kept");
        }
    }
}
