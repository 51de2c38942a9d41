//! Inline text → lines: styling, shaping, line breaking, hyphenation, justification.
//!
//! Break opportunities come from the Unicode line-breaking algorithm
//! (`unicode-linebreak`); a word that does not fit is hyphenated with the
//! bundled British English patterns, and a word longer than a whole line is
//! split between glyphs as a last resort. Lines are filled first-fit.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;
use std::sync::Arc;

use hyphenation::{Hyphenator, Language, Load, Standard};
use unicode_linebreak::{linebreaks, BreakOpportunity};

use super::style::{Rgb, Style};
use super::{Item, PlacedGlyph, TextRun};
use crate::fonts::{Face, FontSet, GlyphRun};
use crate::markdown::Inline;

/// Link addresses longer than this (in characters) are printed but not live: each
/// link area of a PDF carries the whole address, so a 100 KB address wrapped over
/// a thousand lines made a 119 MB file, and nobody follows such a link anyway.
pub const MAX_LINK_CHARS: usize = 2_000;

/// Where a piece of text links to, before pages are known.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum LinkRef {
    /// An external address: https or mailto only (see [`is_live_uri`]).
    Uri(String),
    /// A heading or note id in this document (`#background`).
    Anchor(String),
}

/// The heading the template stage's citations (`[1]`) link to; the numbered list
/// under it holds the source notes.
pub(crate) const SOURCES_ANCHOR: &str = "sources";

impl LinkRef {
    /// Whether this goes to a footnote or to the source notes (a reference number
    /// in the text).
    pub(crate) fn is_note(&self) -> bool {
        matches!(self, LinkRef::Anchor(anchor) if anchor.starts_with("note-") || anchor == SOURCES_ANCHOR)
    }

    /// The live link for `url`: an anchor in this document (`#background`) or a
    /// live address; `None` for anything else (http, `file:`, `javascript:`,
    /// relative paths, overlong addresses), whose text is printed without a link.
    pub(crate) fn from_url(url: &str) -> Option<LinkRef> {
        match url.strip_prefix('#') {
            Some(anchor) => Some(LinkRef::Anchor(anchor.to_string())),
            None => is_live_uri(url).then(|| LinkRef::Uri(url.to_string())),
        }
    }
}

/// Whether `uri` may be a clickable link in a PDF: an `https://` or `mailto:`
/// address of at most [`MAX_LINK_CHARS`] characters, without control characters.
/// Everything else is printed as text only, whatever produced it (Markdown, a
/// template, an import): a PDF viewer would hand `file:`, `javascript:` or plain
/// `http://` links to the system without asking.
pub fn is_live_uri(uri: &str) -> bool {
    let has_prefix = |prefix: &str| uri.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix));
    (has_prefix("https://") || has_prefix("mailto:"))
        && uri.len() > "mailto:".len()
        && uri.chars().take(MAX_LINK_CHARS + 1).count() <= MAX_LINK_CHARS
        && !uri.chars().any(|c| c.is_control())
}

/// Whether an address is one people can type from paper (web or mail), so it is
/// worth printing after its link text.
fn is_printable_address(url: &str) -> bool {
    ["https://", "http://", "mailto:"].iter().any(|prefix| url.get(..prefix.len()).is_some_and(|head| head.eq_ignore_ascii_case(prefix)))
}

/// The look of a piece of inline text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TextStyle {
    pub(crate) face: Face,
    pub(crate) size: f32,
    pub(crate) colour: Rgb,
    pub(crate) link: Option<LinkRef>,
    pub(crate) strike: bool,
    /// Raise above the baseline in points (footnote markers).
    pub(crate) raise: f32,
    /// A reference to a note (a footnote's number, a citation "[1]"), tagged as such.
    pub(crate) reference: bool,
}

impl TextStyle {
    pub(crate) fn new(face: Face, size: f32, colour: Rgb) -> Self {
        TextStyle { face, size, colour, link: None, strike: false, raise: 0.0, reference: false }
    }
}

/// A [`TextStyle`] as a map key (sizes by their bits, which is exact equality for
/// the finite sizes layout uses).
#[derive(PartialEq, Eq, Hash)]
struct StyleKey<'s> {
    face: Face,
    size: u32,
    colour: Rgb,
    link: Option<&'s LinkRef>,
    strike: bool,
    raise: u32,
    reference: bool,
}

impl<'s> StyleKey<'s> {
    fn of(style: &'s TextStyle) -> Self {
        StyleKey {
            face: style.face,
            size: style.size.to_bits(),
            colour: style.colour,
            link: style.link.as_ref(),
            strike: style.strike,
            raise: style.raise.to_bits(),
            reference: style.reference,
        }
    }
}

/// Text with styles, as pieces.
#[derive(Debug, Clone, Default)]
pub(crate) struct StyledText {
    pub(crate) pieces: Vec<(String, TextStyle)>,
}

impl StyledText {
    pub(crate) fn plain(text: &str, style: TextStyle) -> Self {
        StyledText { pieces: vec![(text.to_string(), style)] }
    }

    pub(crate) fn push(&mut self, text: impl Into<String>, style: TextStyle) {
        let text = text.into();
        if !text.is_empty() {
            self.pieces.push((text, style));
        }
    }

    /// Flattens Markdown inlines, starting from `base`.
    pub(crate) fn from_inlines(inlines: &[Inline], base: &TextStyle, style: &Style) -> Self {
        let mut out = StyledText::default();
        out.add_inlines(inlines, base, style);
        out
    }

    /// Walks the inline tree with its own stack: a hand-built [`Inline`] tree may
    /// be deeper than the converter's limit, and a deep tree must not need a deep stack.
    fn add_inlines(&mut self, inlines: &[Inline], base: &TextStyle, style: &Style) {
        /// One level of nesting: what is left of it, its style, and text to add after it.
        struct Level<'i> {
            inlines: std::slice::Iter<'i, Inline>,
            style: TextStyle,
            then: Option<(String, TextStyle)>,
        }
        let mut stack = vec![Level { inlines: inlines.iter(), style: base.clone(), then: None }];
        while let Some(level) = stack.last_mut() {
            let Some(inline) = level.inlines.next() else {
                if let Some((text, text_style)) = stack.pop().and_then(|finished| finished.then) {
                    self.push(text, text_style);
                }
                continue;
            };
            let current = &level.style;
            match inline {
                Inline::Text(t) => self.push(t.as_str(), current.clone()),
                Inline::Code(t) => {
                    let code = TextStyle { face: if current.face == Face::Bold { Face::MonoBold } else { Face::Mono }, size: current.size * 0.88, ..current.clone() };
                    self.push(t.as_str(), code);
                }
                Inline::Emphasis(c) => {
                    let inner = TextStyle { face: current.face.italicised(), ..current.clone() };
                    stack.push(Level { inlines: c.iter(), style: inner, then: None });
                }
                Inline::Strong(c) => {
                    let inner = TextStyle { face: current.face.bolder(), ..current.clone() };
                    stack.push(Level { inlines: c.iter(), style: inner, then: None });
                }
                Inline::Strike(c) => {
                    let inner = TextStyle { strike: true, ..current.clone() };
                    stack.push(Level { inlines: c.iter(), style: inner, then: None });
                }
                Inline::Link { url, content } => {
                    let link = LinkRef::from_url(url);
                    // Only live links look like links.
                    let colour = if link.is_some() { style.colours.accent } else { current.colour };
                    // A link to the source notes is a citation ("[1]"); a link in the contents is not made here.
                    let reference = link.as_ref().is_some_and(LinkRef::is_note);
                    let linked = TextStyle { colour, link: link.clone(), reference, ..current.clone() };
                    let shown = crate::markdown::plain_text(content);
                    let then = (style.print_link_urls && is_printable_address(url) && !same_address(&shown, url)).then(|| {
                        let printed = TextStyle { colour: style.colours.muted, size: current.size * 0.85, link, ..current.clone() };
                        (format!(" ({})", shortened(printable_url(url))), printed)
                    });
                    stack.push(Level { inlines: content.iter(), style: linked, then });
                }
                Inline::FootnoteRef(n) => {
                    let marker = TextStyle {
                        size: current.size * 0.65,
                        raise: current.size * 0.36,
                        colour: style.colours.accent,
                        link: Some(LinkRef::Anchor(format!("note-{n}"))),
                        reference: true,
                        ..current.clone()
                    };
                    self.push(n.to_string(), marker);
                }
                Inline::SoftBreak => self.push(" ", current.clone()),
                Inline::LineBreak => self.push("\n", current.clone()),
            }
        }
    }
}

/// The most characters that could fit in `lines` lines of `width` points at
/// `size` (the narrowest glyphs are about a sixth of an em), so a 3.5 MB title is
/// cut before it is ever shaped.
fn max_chars(width: f32, size: f32, lines: usize) -> usize {
    let per_line = (width.max(0.0) / (size.max(0.1) * 0.15)).ceil() as usize + 1;
    per_line.saturating_mul(lines).min(100_000)
}

/// `text` with control characters as spaces, cut after `max` characters (then
/// ending in an ellipsis).
fn without_controls(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).map(|c| if c.is_control() { ' ' } else { c }).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}

/// The longest `text[..n]` + "…" that `fits`, found by bisection over
/// character counts (`fits` is monotonic: a shorter text never fits worse),
/// then moved back to the end of a word if that loses less than a fifth.
fn longest_prefix(text: &str, mut fits: impl FnMut(&str) -> bool) -> Option<String> {
    let text = text.strip_suffix('…').unwrap_or(text);
    let ends: Vec<usize> = text.char_indices().map(|(i, _)| i).skip(1).chain(std::iter::once(text.len())).collect();
    let end = |n: usize| if n == 0 { 0 } else { ends[n - 1] };
    let candidate = |n: usize| format!("{}…", text[..end(n)].trim_end());
    let (mut lo, mut hi) = (0, ends.len());
    if !fits(&candidate(0)) {
        return None;
    }
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(&candidate(mid)) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let kept = &text[..end(lo)];
    let ends_a_word = text[end(lo)..].starts_with(char::is_whitespace);
    match kept.rfind(char::is_whitespace) {
        Some(space) if !ends_a_word && space * 5 >= kept.len() * 4 => Some(format!("{}…", kept[..space].trim_end())),
        _ => Some(candidate(lo)),
    }
}

/// An address cut to a length that can be printed; addresses past
/// [`MAX_LINK_CHARS`] are not live, and printing 100 KB of one helps nobody.
fn shortened(address: &str) -> std::borrow::Cow<'_, str> {
    const PRINTED_CHARS: usize = 120;
    if address.chars().take(MAX_LINK_CHARS + 1).count() <= MAX_LINK_CHARS {
        return address.into();
    }
    let head: String = address.chars().take(PRINTED_CHARS).collect();
    format!("{head}…").into()
}

/// An address as people write it on paper: without `https://`, `mailto:` or a final `/`.
pub(crate) fn printable_url(url: &str) -> &str {
    let url = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).or_else(|| url.strip_prefix("mailto:")).unwrap_or(url);
    url.strip_suffix('/').unwrap_or(url)
}

fn same_address(shown: &str, url: &str) -> bool {
    printable_url(shown.trim()) == printable_url(url)
}

/// How lines sit in their column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    Center,
    Justify,
}

/// One typeset line; items are relative to the line's top-left corner.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct Line {
    pub(crate) height: f32,
    pub(crate) baseline: f32,
    pub(crate) width: f32,
    pub(crate) items: Vec<Item>,
    pub(crate) links: Vec<(f32, f32, LinkRef)>,
}

/// The text of each glyph used, by face and glyph id.
pub(crate) type GlyphText = BTreeMap<(Face, u16), Arc<str>>;

/// Shapes text and breaks it into lines, caching shaped words.
pub(crate) struct Typesetter<'a> {
    pub(crate) fonts: &'a FontSet,
    /// Every glyph placed so far and the text it stands for.
    pub(crate) glyph_text: GlyphText,
    hyphenator: Option<Rc<Standard>>,
    /// Shaped words per face and direction (guessed, left to right, right to left),
    /// looked up by `&str` without allocating.
    cache: Vec<HashMap<String, Rc<Shape>>>,
}

/// Shaped text in em.
#[derive(Debug, Clone, Default)]
struct Shape {
    runs: Vec<GlyphRun>,
    width: f32,
    /// Its glyphs' texts are in the typesetter's `glyph_text` already: a word
    /// placed a thousand times is recorded once.
    recorded: std::cell::Cell<bool>,
}

#[derive(Debug, Clone)]
struct Frag {
    style: usize,
    text: String,
    shape: Rc<Shape>,
    /// The bidi embedding level (UAX 9): odd for right-to-left text.
    level: u8,
}

#[derive(Debug, Clone)]
struct Word {
    frags: Vec<Frag>,
    /// Width of a following space (0 when the break needs no space), and its style.
    space: Option<(usize, f32)>,
    forced_break: bool,
    /// The head of a word broken at a line end: its last glyph is a hyphen that
    /// is not in the text.
    hyphenated: bool,
    /// The word is in a right-to-left paragraph (Arabic, Hebrew): its lines start at the right.
    rtl_paragraph: bool,
}

const HYPHEN_DICTIONARY: &[u8] = include_bytes!("../../../../assets/hyphenation/en-gb.standard.bincode");

impl<'a> Typesetter<'a> {
    pub(crate) fn new(fonts: &'a FontSet, hyphenate: bool) -> Self {
        let hyphenator = hyphenate
            .then(|| Standard::from_reader(Language::EnglishGB, &mut &HYPHEN_DICTIONARY[..]).ok())
            .flatten()
            .map(Rc::new);
        Typesetter { fonts, glyph_text: GlyphText::new(), hyphenator, cache: Default::default() }
    }

    fn shape(&mut self, face: Face, text: &str) -> Rc<Shape> {
        self.shape_in(face, text, None)
    }

    /// `text` shaped in `face`: each run's direction guessed from its script, or,
    /// for a piece of a bidi paragraph, set by whether its level is right to left.
    fn shape_in(&mut self, face: Face, text: &str, rtl: Option<bool>) -> Rc<Shape> {
        let index = face.index() * 3 + rtl.map_or(0, |rtl| 1 + usize::from(rtl));
        if self.cache.len() <= index {
            self.cache.resize_with(index + 1, HashMap::new);
        }
        let cache = &mut self.cache[index];
        if let Some(s) = cache.get(text) {
            return s.clone();
        }
        let shaped = match rtl {
            None => self.fonts.shape(face, text),
            Some(rtl) => self.fonts.shape_in_direction(face, text, rtl),
        };
        let shape = Rc::new(Shape { runs: shaped.runs, width: shaped.width, recorded: Default::default() });
        cache.insert(text.to_string(), shape.clone());
        shape
    }

    /// Width of `text` in points.
    pub(crate) fn measure(&mut self, text: &str, face: Face, size: f32) -> f32 {
        self.shape(face, text).width * size
    }

    /// `text` as it fits on one line of `width` points: whole, or cut between
    /// characters with an ellipsis. Control characters (a newline in a title)
    /// print as spaces.
    pub(crate) fn fit_width(&mut self, text: &str, face: Face, size: f32, width: f32) -> String {
        let text = without_controls(text, max_chars(width, size, 1));
        if self.measure(&text, face, size) <= width {
            return text;
        }
        let cut = longest_prefix(&text, |candidate| self.measure(candidate, face, size) <= width);
        cut.unwrap_or_default()
    }

    /// Lines of plain `text` in `style`, at most `max_lines` of them, and whether
    /// the text had to be cut: when it needs more lines, it is cut (after a word
    /// where one is near) and ends with an ellipsis.
    pub(crate) fn lines_at_most(&mut self, text: &str, style: &TextStyle, width: f32, line_height: f32, max_lines: usize) -> (Vec<Line>, bool) {
        let clipped = without_controls(text, max_chars(width, style.size, max_lines));
        let mut typeset = |t: &str| self.lines(&StyledText::plain(t, style.clone()), width, Align::Left, line_height);
        let lines = typeset(&clipped);
        if lines.len() <= max_lines && clipped.chars().count() == text.chars().count() {
            return (lines, false);
        }
        let cut = longest_prefix(&clipped, |candidate| typeset(candidate).len() <= max_lines).unwrap_or_default();
        (typeset(&cut), true)
    }

    /// A single run of text at (0, baseline); no breaking.
    pub(crate) fn run(&mut self, text: &str, style: &TextStyle, x: f32, baseline: f32) -> Vec<Item> {
        // Text with right-to-left characters is set as a line of its own, which orders
        // its runs by the bidi algorithm (a running header with an Arabic title).
        if Bidi::of(text).is_some() && !text.contains('\n') {
            let styled = StyledText::plain(text, style.clone());
            let (_, natural) = self.extent(&styled);
            // Wide enough that nothing breaks; the line is then moved to start at `x`.
            let mut lines = self.lines(&styled, natural * 1.01 + 1.0, Align::Left, 1.0);
            if lines.len() == 1 {
                let line = lines.remove(0);
                let left = line.items.iter().filter_map(|item| if let Item::Text(run) = item { Some(run.x) } else { None }).fold(f32::INFINITY, f32::min);
                let mut items = line.items;
                if left.is_finite() {
                    for item in &mut items {
                        super::blocks::shift_item(item, x - left, baseline - line.baseline);
                    }
                }
                return items;
            }
        }
        let shape = self.shape(style.face, text);
        self.record(&shape.runs);
        runs_to_items(&shape.runs, style, x, baseline, &[])
    }

    /// Natural width of the widest unbreakable word and of the whole text, in points.
    pub(crate) fn extent(&mut self, text: &StyledText) -> (f32, f32) {
        let (words, styles) = self.words(text);
        let mut widest: f32 = 0.0;
        let mut total: f32 = 0.0;
        let mut line: f32 = 0.0;
        for w in &words {
            let width = word_width(w, &styles);
            widest = widest.max(width);
            line += width;
            total = total.max(line);
            line += w.space.map_or(0.0, |s| s.1);
            if w.forced_break {
                line = 0.0;
            }
        }
        (widest, total)
    }

    /// Breaks `text` into lines no wider than `width`.
    pub(crate) fn lines(&mut self, text: &StyledText, width: f32, align: Align, line_height: f32) -> Vec<Line> {
        let (words, styles) = self.words(text);
        if words.is_empty() {
            return Vec::new();
        }
        let base_size = styles.iter().map(|s| s.size).fold(0.0, f32::max);
        let height = base_size * line_height;
        let ascent = self.fonts.ascent(Face::Regular) * base_size;
        let descent = self.fonts.descent(Face::Regular) * base_size;
        let baseline = (height - ascent - descent) / 2.0 + ascent;

        let mut lines: Vec<Vec<Word>> = Vec::new();
        let mut current: Vec<Word> = Vec::new();
        let mut used = 0.0;
        let mut hyphenated_last = false;
        let mut queue: std::collections::VecDeque<Word> = words.into();
        while let Some(word) = queue.pop_front() {
            let gap = current.last().and_then(|w: &Word| w.space).map_or(0.0, |s| s.1);
            let w = word_width(&word, &styles);
            if current.is_empty() && w > width + 0.01 {
                // Wider than a whole line: break it where the dictionary allows, with a
                // hyphen, as often as it takes ("Misconfigu-" / "ration")…
                // …else between any two letters, still with a hyphen ("Map-" / "ped")…
                let split = self.hyphenate_into(&word, width, &styles).or_else(|| self.break_with_hyphen(&word, width, &styles, Breaks::Anywhere));
                if let Some((head, tail)) = split {
                    lines.push(vec![head]);
                    queue.push_front(tail);
                    continue;
                }
                // …else (numbers, long runs) cut it between glyphs into line-wide pieces, all in one pass
                // (a 100,000-character word must not cost quadratic time).
                let mut pieces = split_into_pieces(word, width, &styles);
                let last = pieces.pop();
                for piece in pieces {
                    lines.push(vec![piece]);
                }
                used = 0.0;
                if let Some(last) = last {
                    used = word_width(&last, &styles);
                    let forced = last.forced_break;
                    current.push(last);
                    if forced {
                        lines.push(std::mem::take(&mut current));
                        used = 0.0;
                    }
                }
                continue;
            }
            if current.is_empty() || used + gap + w <= width + 0.01 {
                used += if current.is_empty() { 0.0 } else { gap } + w;
                let forced = word.forced_break;
                current.push(word);
                if forced {
                    lines.push(std::mem::take(&mut current));
                    used = 0.0;
                }
                continue;
            }
            // Does not fit. Hyphenate only when ending the line here would leave it
            // visibly loose, and more reluctantly right after a hyphenated line.
            let gaps = current[..current.len() - 1].iter().filter(|w| w.space.is_some()).count().max(1);
            let loose = (width - used) / gaps as f32 > gap.max(1.0) * if hyphenated_last { 1.3 } else { 0.6 };
            // Never hyphenate the last word: its tail would sit alone on the last line.
            let split = if align == Align::Justify && loose && !queue.is_empty() { self.hyphenate_into(&word, width - used - gap, &styles) } else { None };
            hyphenated_last = split.is_some();
            match split {
                Some((head, tail)) => {
                    current.push(head);
                    queue.push_front(tail);
                }
                None => queue.push_front(word),
            }
            lines.push(std::mem::take(&mut current));
            used = 0.0;
        }
        if !current.is_empty() {
            lines.push(current);
        }

        let count = lines.len();
        lines
            .into_iter()
            .enumerate()
            .map(|(i, words)| {
                let last = i + 1 == count || words.last().is_some_and(|w| w.forced_break);
                let rtl = words.first().is_some_and(|w| w.rtl_paragraph);
                // A right-to-left paragraph starts its lines at the right.
                let align = match (align, rtl) {
                    (Align::Justify, false) if last => Align::Left,
                    (Align::Justify, true) if last => Align::Right,
                    (Align::Left, true) => Align::Right,
                    (Align::Right, true) => Align::Left,
                    (align, _) => align,
                };
                self.emit(&words, &styles, width, align, height, baseline)
            })
            .collect()
    }

    /// Splits styled text into words at Unicode break opportunities.
    fn words(&mut self, text: &StyledText) -> (Vec<Word>, Vec<TextStyle>) {
        let mut full = String::new();
        let mut bounds = Vec::new();
        let mut styles: Vec<TextStyle> = Vec::new();
        // Styles are numbered through a map: a paragraph of 50,000 distinct links
        // must not compare each piece with every style seen before.
        let mut style_numbers: HashMap<StyleKey<'_>, usize> = HashMap::new();
        for (t, s) in &text.pieces {
            let index = *style_numbers.entry(StyleKey::of(s)).or_insert_with(|| {
                styles.push(s.clone());
                styles.len() - 1
            });
            bounds.push((full.len(), full.len() + t.len(), index));
            full.push_str(t);
        }
        let bidi = Bidi::of(&full);
        let mut words = Vec::new();
        let mut start = 0;
        // Pieces and words both run in text order: one cursor walks the pieces
        // once, rather than every word scanning every piece.
        let mut first_piece = 0;
        for (end, kind) in linebreaks(&full) {
            let segment = &full[start..end];
            let content_len = segment.trim_end_matches(char::is_whitespace).len();
            let content_end = start + content_len;
            while bounds.get(first_piece).is_some_and(|&(_, b, _)| b <= start) {
                first_piece += 1;
            }
            let mut frags = Vec::new();
            for &(a, b, style) in bounds[first_piece..].iter().take_while(|&&(a, _, _)| a < content_end) {
                let (from, to) = (a.max(start), b.min(content_end));
                // A change of direction inside a word ("(تقرير") starts a new fragment:
                // each is shaped and placed in its own direction.
                let mut pieces = vec![(from, to, 0)];
                if let Some(bidi) = &bidi {
                    pieces = bidi.level_runs(&full, from, to);
                }
                for (from, to, level) in pieces.into_iter().filter(|(from, to, _)| from < to) {
                    let text = &full[from..to];
                    let shape = self.shape_in(styles[style].face, text, bidi.as_ref().map(|_| level % 2 == 1));
                    frags.push(Frag { style, text: text.to_string(), shape, level });
                }
            }
            let has_space = segment[content_len..].chars().any(|c| c == ' ' || c == '\t');
            let forced = kind == BreakOpportunity::Mandatory && segment[content_len..].contains('\n');
            let space_style = frags.last().map(|f| f.style).or_else(|| bounds.get(first_piece).filter(|b| b.0 <= start && start < b.1).map(|b| b.2));
            let space = match (has_space, space_style) {
                (true, Some(s)) => Some((s, self.shape(styles[s].face, " ").width * styles[s].size)),
                _ => None,
            };
            if frags.is_empty() {
                // Leading spaces or an empty line break: attach the break to the previous word.
                if forced {
                    if let Some(prev) = words.last_mut() {
                        let prev: &mut Word = prev;
                        prev.forced_break = true;
                    }
                }
            } else {
                let rtl_paragraph = bidi.as_ref().is_some_and(|b| b.rtl_paragraph_at(start));
                words.push(Word { frags, space, forced_break: forced, hyphenated: false, rtl_paragraph });
            }
            start = end;
        }
        (words, styles)
    }

    /// Splits a word into a hyphenated head that fits in `room` and the rest.
    fn hyphenate_into(&mut self, word: &Word, room: f32, styles: &[TextStyle]) -> Option<(Word, Word)> {
        self.break_with_hyphen(word, room, styles, Breaks::Dictionary)
    }

    /// Splits a word into a head ending in a hyphen that fits in `room` and the
    /// rest, at the last of `breaks` that fits; `None` when none does or the word
    /// is not one run of letters of a dictionary word's length.
    fn break_with_hyphen(&mut self, word: &Word, room: f32, styles: &[TextStyle], breaks: Breaks) -> Option<(Word, Word)> {
        let [frag] = word.frags.as_slice() else { return None };
        let style = &styles[frag.style];
        let core_start = frag.text.find(char::is_alphabetic)?;
        let core_end = frag.text.rfind(char::is_alphabetic).map(|i| i + frag.text[i..].chars().next().map_or(1, char::len_utf8))?;
        let core = &frag.text[core_start..core_end];
        // No dictionary word is longer than this; a longer run of letters is cut
        // between glyphs instead, and trying every break of it would cost quadratic time.
        const LONGEST_WORD: usize = 64;
        let shortest = match breaks {
            Breaks::Dictionary => 5,
            Breaks::Anywhere => 4,
        };
        // A word with its punctuation ("(misconfiguration),"), not letters in a run of symbols.
        let punctuation = frag.text[..core_start].chars().count() + frag.text[core_end..].chars().count();
        // Hyphens belong to alphabets written left to right with spaces (Latin, Greek, Cyrillic).
        let hyphenated_alphabet = |c: char| c.is_alphabetic() && c < '\u{0590}';
        if core.chars().count() < shortest || core.len() > LONGEST_WORD || punctuation > 3 || !core.chars().all(hyphenated_alphabet) {
            return None;
        }
        let breaks: Vec<usize> = match breaks {
            Breaks::Dictionary => self.hyphenator.clone()?.hyphenate(core).breaks,
            // Two letters at least on either side of the hyphen.
            Breaks::Anywhere => core.char_indices().map(|(i, _)| i).skip(2).filter(|&i| core[i..].chars().count() >= 2).collect(),
        };
        for &b in breaks.iter().rev() {
            let at = core_start + b;
            let head_text = format!("{}-", &frag.text[..at]);
            let head_shape = self.shape(style.face, &head_text);
            if head_shape.width * style.size <= room {
                let tail_text = frag.text[at..].to_string();
                let tail_shape = self.shape(style.face, &tail_text);
                let head = Word {
                    frags: vec![Frag { style: frag.style, text: head_text, shape: head_shape, level: frag.level }],
                    space: None,
                    forced_break: false,
                    hyphenated: true,
                    rtl_paragraph: word.rtl_paragraph,
                };
                let tail = Word { frags: vec![Frag { style: frag.style, text: tail_text, shape: tail_shape, level: frag.level }], ..word.clone() };
                return Some((head, tail));
            }
        }
        None
    }

    /// Notes the text of glyphs about to be placed.
    fn record(&mut self, runs: &[GlyphRun]) {
        for run in runs {
            for g in &run.glyphs {
                self.glyph_text.entry((run.face, g.gid)).or_insert_with(|| g.text.clone());
            }
        }
    }

    fn emit(&mut self, words: &[Word], styles: &[TextStyle], width: f32, align: Align, height: f32, baseline: f32) -> Line {
        let natural: f32 = words.iter().map(|w| word_width(w, styles)).sum::<f32>()
            + words[..words.len().saturating_sub(1)].iter().map(|w| w.space.map_or(0.0, |s| s.1)).sum::<f32>();
        let gaps = words[..words.len().saturating_sub(1)].iter().filter(|w| w.space.is_some()).count();
        let slack = (width - natural).max(0.0);
        let (mut x, extra) = match align {
            Align::Left => (0.0, 0.0),
            Align::Right => (slack, 0.0),
            Align::Center => (slack / 2.0, 0.0),
            Align::Justify if gaps > 0 => {
                let per_gap = slack / gaps as f32;
                let normal = words.iter().find_map(|w| w.space.map(|s| s.1)).unwrap_or(3.0);
                // Past this the line looks broken rather than justified; leave it ragged.
                if per_gap > normal * 2.5 {
                    (0.0, 0.0)
                } else {
                    (0.0, per_gap)
                }
            }
            Align::Justify => (0.0, 0.0),
        };
        let mut line = Line { height, baseline, width: natural + if extra > 0.0 { slack } else { 0.0 }, ..Line::default() };
        let mut strikes: Vec<(f32, f32, usize, usize)> = Vec::new();
        // A line with right-to-left text is put in visual order below: its fragments and
        // spaces are boxes there (the spaces copy out as the gaps they leave). Other
        // lines, nearly all of them, need neither.
        let bidi_line = words.iter().flat_map(|w| &w.frags).any(|f| f.level > 0);
        let mut boxes: Vec<FragBox> = Vec::new();
        let levels: Vec<u8> = if bidi_line { words.iter().flat_map(|w| &w.frags).map(|f| f.level).collect() } else { Vec::new() };
        let mut frags_placed = 0;
        for (i, word) in words.iter().enumerate() {
            let last = i + 1 == words.len();
            for (j, frag) in word.frags.iter().enumerate() {
                let style = &styles[frag.style];
                let space_after = if !last && j + 1 == word.frags.len() { word.space.map(|s| s.1 + extra) } else { None };
                let mut space_glyph = None;
                if let Some(advance) = space_after.filter(|_| !bidi_line) {
                    let space = self.shape(style.face, " ");
                    if let Some(g) = space.runs.first().and_then(|r| r.glyphs.first()) {
                        self.glyph_text.entry((style.face, g.gid)).or_insert_with(|| g.text.clone());
                        space_glyph = Some(PlacedGlyph { gid: g.gid, advance });
                    }
                }
                let start = x;
                if !frag.shape.recorded.replace(true) {
                    self.record(&frag.shape.runs);
                }
                let mut items = runs_to_items(&frag.shape.runs, style, start, baseline - style.raise, space_glyph.as_slice());
                if word.hyphenated && j + 1 == word.frags.len() {
                    mark_inserted_hyphen(&mut items);
                }
                if style.reference {
                    super::tags::wrap(&mut items, super::Tag::Inline(super::Role::Reference));
                }
                let frag_width = frag.shape.width * style.size;
                if style.strike {
                    strikes.push((start, frag_width, frag.style, boxes.len()));
                }
                if let Some(link) = &style.link {
                    let w = frag_width + space_after.filter(|_| next_has_link(words, i, link, styles)).unwrap_or(0.0);
                    push_link(&mut line.links, start, w, link);
                }
                x += frag_width;
                frags_placed += 1;
                let first_item = line.items.len();
                line.items.extend(items);
                if bidi_line {
                    let link = style.link.clone().map(|link| (start, frag_width, link));
                    boxes.push(FragBox { items: first_item..line.items.len(), start, width: frag_width, level: frag.level, link });
                    if let Some(space) = space_after {
                        // Between two runs, a space takes the lower of their levels (the direction around them).
                        let level = levels.get(frags_placed).map_or(frag.level, |next| (*next).min(frag.level));
                        boxes.push(FragBox { items: line.items.len()..line.items.len(), start: x, width: space, level, link: None });
                    }
                }
                x += space_after.unwrap_or(0.0);
            }
        }
        if bidi_line {
            let shifts = put_in_visual_order(&mut line, &boxes);
            for strike in &mut strikes {
                strike.0 += shifts[strike.3];
            }
        }
        for (x0, w, s, _) in strikes {
            let style = &styles[s];
            let y = baseline - style.size * 0.3;
            line.items.push(Item::Line { from: (x0, y), to: (x0 + w, y), colour: style.colour, width: style.size * 0.06 });
        }
        merge_runs(&mut line.items);
        line
    }
}

/// The bidi embedding levels (UAX 9) of a text with right-to-left characters in it.
struct Bidi {
    /// One level per byte.
    levels: Vec<u8>,
    /// Each paragraph's byte range and whether its base direction is right to left.
    paragraphs: Vec<(std::ops::Range<usize>, bool)>,
}

impl Bidi {
    /// The levels of `text`; `None` for text without right-to-left characters,
    /// which is all left to right at level 0 and needs no reordering.
    fn of(text: &str) -> Option<Bidi> {
        use unicode_bidi::BidiClass::{AL, R, RLE, RLI, RLO};
        if !text.chars().any(|c| !c.is_ascii() && matches!(unicode_bidi::bidi_class(c), R | AL | RLE | RLO | RLI)) {
            return None;
        }
        let info = unicode_bidi::BidiInfo::new(text, None);
        let levels = info.levels.iter().map(|l| l.number()).collect();
        let paragraphs = info.paragraphs.iter().map(|p| (p.range.clone(), p.level.is_rtl())).collect();
        Some(Bidi { levels, paragraphs })
    }

    /// The text from byte `from` to `to` cut where its level changes: (start, end, level).
    fn level_runs(&self, text: &str, from: usize, to: usize) -> Vec<(usize, usize, u8)> {
        let mut runs: Vec<(usize, usize, u8)> = Vec::new();
        for (i, _) in text[from..to].char_indices() {
            let at = from + i;
            let level = self.levels.get(at).copied().unwrap_or(0);
            match runs.last_mut() {
                Some(run) if run.2 == level => run.1 = at,
                _ => runs.push((at, at, level)),
            }
        }
        // Each run ends where the next begins, the last at `to`.
        let starts: Vec<usize> = runs.iter().skip(1).map(|r| r.0).chain([to]).collect();
        for (run, end) in runs.iter_mut().zip(starts) {
            run.1 = end;
        }
        runs
    }

    fn rtl_paragraph_at(&self, at: usize) -> bool {
        self.paragraphs.iter().find(|(range, _)| range.contains(&at)).is_some_and(|p| p.1)
    }
}

/// The stretch of a line one fragment of a word takes, with its space.
struct FragBox {
    /// Its items in the line.
    items: std::ops::Range<usize>,
    start: f32,
    width: f32,
    level: u8,
    /// Where its link area is, if it links.
    link: Option<(f32, f32, LinkRef)>,
}

/// Moves a line's fragments from text order into the order they are seen, by the
/// bidi algorithm's rule L2: from the highest level down to the lowest odd one,
/// every run at that level or higher is reversed. The items stay in text order
/// (the order a screen reader and text extraction read them in); only their
/// places change. Returns how far each fragment moved.
fn put_in_visual_order(line: &mut Line, boxes: &[FragBox]) -> Vec<f32> {
    let mut order: Vec<usize> = (0..boxes.len()).collect();
    let highest = boxes.iter().map(|b| b.level).max().unwrap_or(0);
    let lowest_odd = boxes.iter().map(|b| b.level).filter(|l| l % 2 == 1).min().unwrap_or(highest + 1).min(highest);
    for level in (lowest_odd.max(1)..=highest).rev() {
        let mut i = 0;
        while i < order.len() {
            if boxes[order[i]].level >= level {
                let end = order[i..].iter().position(|&b| boxes[b].level < level).map_or(order.len(), |n| i + n);
                order[i..end].reverse();
                i = end;
            } else {
                i += 1;
            }
        }
    }
    let mut shifts = vec![0.0; boxes.len()];
    let mut x = boxes.first().map_or(0.0, |b| b.start);
    for &b in &order {
        shifts[b] = x - boxes[b].start;
        x += boxes[b].width;
    }
    for (b, shift) in boxes.iter().zip(&shifts) {
        for item in &mut line.items[b.items.clone()] {
            if let Item::Text(run) = item {
                run.x += shift;
            }
        }
    }
    line.links.clear();
    for &b in &order {
        if let Some((x, w, link)) = &boxes[b].link {
            push_link(&mut line.links, x + shifts[b], *w, link);
        }
    }
    shifts
}

/// Where a word may be broken with a hyphen.
#[derive(Clone, Copy)]
enum Breaks {
    /// Only where the hyphenation dictionary allows.
    Dictionary,
    /// Between any two letters: for a word wider than its line with no dictionary break that fits.
    Anywhere,
}

/// Cuts a word into pieces no wider than `width`, between glyphs, reusing the
/// glyphs already shaped. The last piece keeps the word's space and break.
fn split_into_pieces(word: Word, width: f32, styles: &[TextStyle]) -> Vec<Word> {
    let mut pieces: Vec<Word> = Vec::new();
    let mut current: Vec<Frag> = Vec::new();
    let mut used = 0.0;
    let empty = |style: usize| Frag { style, text: String::new(), shape: Rc::new(Shape::default()), level: 0 };
    for frag in &word.frags {
        let size = styles[frag.style].size;
        let empty = |style: usize| Frag { level: frag.level, ..empty(style) };
        let mut piece = empty(frag.style);
        let mut runs: Vec<GlyphRun> = Vec::new();
        for run in &frag.shape.runs {
            for glyph in &run.glyphs {
                let advance = glyph.advance * size;
                let has_content = used > 0.0;
                if has_content && used + advance > width {
                    // Close the current piece and start a new line.
                    if !runs.is_empty() {
                        piece.shape = Rc::new(Shape { width: runs.iter().flat_map(|r| &r.glyphs).map(|g| g.advance).sum(), runs: std::mem::take(&mut runs), recorded: Default::default() });
                        current.push(std::mem::replace(&mut piece, empty(frag.style)));
                    }
                    pieces.push(Word { frags: std::mem::take(&mut current), space: None, forced_break: false, hyphenated: false, rtl_paragraph: word.rtl_paragraph });
                    used = 0.0;
                }
                match runs.last_mut() {
                    Some(last) if last.face == run.face => last.glyphs.push(glyph.clone()),
                    _ => runs.push(GlyphRun { face: run.face, glyphs: vec![glyph.clone()] }),
                }
                piece.text.push_str(&glyph.text);
                used += advance;
            }
        }
        if !runs.is_empty() {
            piece.shape = Rc::new(Shape { width: runs.iter().flat_map(|r| &r.glyphs).map(|g| g.advance).sum(), runs, recorded: Default::default() });
            current.push(piece);
        }
    }
    pieces.push(Word { frags: current, space: word.space, forced_break: word.forced_break, hyphenated: false, rtl_paragraph: word.rtl_paragraph });
    pieces.retain(|p| !p.frags.is_empty());
    pieces
}

fn next_has_link(words: &[Word], i: usize, link: &LinkRef, styles: &[TextStyle]) -> bool {
    words.get(i + 1).and_then(|w| w.frags.first()).is_some_and(|f| styles[f.style].link.as_ref() == Some(link))
}

fn push_link(links: &mut Vec<(f32, f32, LinkRef)>, x: f32, w: f32, link: &LinkRef) {
    if let Some(last) = links.last_mut() {
        if &last.2 == link && (last.0 + last.1 - x).abs() < 0.5 {
            last.1 = x + w - last.0;
            return;
        }
    }
    links.push((x, w, link.clone()));
}

fn word_width(word: &Word, styles: &[TextStyle]) -> f32 {
    word.frags.iter().map(|f| f.shape.width * styles[f.style].size).sum()
}

/// Splits the hyphen a line break added off the end of `items` into a run of its
/// own, marked as a soft hyphen: drawn, but read as part of one word.
fn mark_inserted_hyphen(items: &mut Vec<Item>) {
    let Some(Item::Text(run)) = items.last_mut() else { return };
    let Some(hyphen) = run.glyphs.pop() else { return };
    let x = run.x + run.width();
    let hyphen = TextRun { x, glyphs: vec![hyphen], ..run.clone() };
    if run.glyphs.is_empty() {
        items.pop();
    }
    items.extend([Item::Begin(super::Tag::SoftHyphen), Item::Text(hyphen), Item::End]);
}

fn runs_to_items(runs: &[GlyphRun], style: &TextStyle, mut x: f32, baseline: f32, trailing: &[PlacedGlyph]) -> Vec<Item> {
    let mut items = Vec::with_capacity(runs.len());
    for (i, run) in runs.iter().enumerate() {
        let mut glyphs: Vec<PlacedGlyph> =
            run.glyphs.iter().map(|g| PlacedGlyph { gid: g.gid, advance: g.advance * style.size }).collect();
        if i + 1 == runs.len() && run.face == style.face {
            glyphs.extend_from_slice(trailing);
        }
        let item = TextRun { x, baseline, face: run.face, size: style.size, colour: style.colour, glyphs, angle: 0.0 };
        x += item.width();
        items.push(Item::Text(item));
    }
    if runs.last().is_none_or(|r| r.face != style.face) && !trailing.is_empty() {
        items.push(Item::Text(TextRun { x, baseline, face: style.face, size: style.size, colour: style.colour, glyphs: trailing.to_vec(), angle: 0.0 }));
    }
    items
}

/// Joins runs that continue each other (same face, size, colour and baseline).
fn merge_runs(items: &mut Vec<Item>) {
    let mut merged: Vec<Item> = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        if let (Some(Item::Text(prev)), Item::Text(next)) = (merged.last_mut(), &item) {
            let continues = prev.face == next.face
                && prev.size == next.size
                && prev.colour == next.colour
                && (prev.baseline - next.baseline).abs() < 0.01
                && (prev.x + prev.width() - next.x).abs() < 0.01;
            if continues {
                prev.glyphs.extend_from_slice(&next.glyphs);
                continue;
            }
        }
        merged.push(item);
    }
    for item in &mut merged {
        if let Item::Text(t) = item {
            t.glyphs.shrink_to_fit();
        }
    }
    *items = merged;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn setter(fonts: &FontSet) -> Typesetter<'_> {
        Typesetter::new(fonts, true)
    }

    fn text_of(t: &Typesetter, line: &Line) -> String {
        line.items
            .iter()
            .filter_map(|i| match i {
                Item::Text(run) => Some(run.glyphs.iter().map(|g| &*t.glyph_text[&(run.face, g.gid)]).collect::<String>()),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn justified_lines_fill_the_measure_and_the_last_is_ragged() {
        let fonts = FontSet::bundled().unwrap();
        let mut t = setter(&fonts);
        let style = TextStyle::new(Face::Regular, 10.0, Rgb::BLACK);
        let text = StyledText::plain(&"state threats are escalating across the country ".repeat(8), style);
        let lines = t.lines(&text, 200.0, Align::Justify, 1.4);
        assert!(lines.len() > 3);
        for line in &lines[..lines.len() - 1] {
            assert!((line.width - 200.0).abs() < 0.1, "line width {}", line.width);
        }
        assert!(lines.last().unwrap().width < 200.0);
    }

    #[test]
    fn long_words_are_hyphenated_and_impossible_ones_split() {
        let fonts = FontSet::bundled().unwrap();
        let mut t = setter(&fonts);
        let style = TextStyle::new(Face::Regular, 10.0, Rgb::BLACK);
        let text = StyledText::plain("Investigations into counterintelligence responsibilities", style.clone());
        let lines = t.lines(&text, 150.0, Align::Justify, 1.4);
        let joined: Vec<String> = lines.iter().map(|l| text_of(&t, l)).collect();
        assert!(joined.iter().any(|l| l.trim_end().ends_with('-')), "no hyphen in {joined:?}");
        let long = StyledText::plain(&"x".repeat(500), style);
        let lines = t.lines(&long, 100.0, Align::Left, 1.4);
        assert!(lines.len() > 3 && lines.iter().all(|l| l.width <= 100.5));
        assert_eq!(lines.iter().map(|l| text_of(&t, l)).collect::<String>().len(), 500);
    }

    #[test]
    fn a_word_wider_than_a_narrow_cell_breaks_with_a_hyphen_where_the_dictionary_allows() {
        let fonts = FontSet::bundled().unwrap();
        let mut t = setter(&fonts);
        let style = TextStyle::new(Face::Regular, 10.0, Rgb::BLACK);
        let lines = t.lines(&StyledText::plain("Security Misconfiguration", style), 45.0, Align::Left, 1.3);
        let texts: Vec<String> = lines.iter().map(|l| text_of(&t, l)).collect();
        let cut: Vec<&String> = texts.iter().filter(|l| !["Security", "Security "].contains(&l.as_str())).collect();
        assert!(cut.len() > 1 && cut[..cut.len() - 1].iter().all(|l| l.ends_with('-')), "broken without a hyphen: {texts:?}");
        assert_eq!(texts.concat().replace(['-', ' '], ""), "SecurityMisconfiguration");
        assert!(lines.iter().all(|l| l.width <= 45.5), "{texts:?}");
    }

    #[test]
    fn a_line_is_put_in_visual_order_by_its_levels() {
        // English, then an Arabic phrase with a number in it, then English: "a ARB1 2024 ARB2 b".
        let levels = [0, 1, 2, 1, 0];
        let boxes: Vec<FragBox> = levels
            .iter()
            .enumerate()
            .map(|(i, &level)| FragBox { items: i..i + 1, start: i as f32 * 10.0, width: 10.0, level, link: None })
            .collect();
        let style = TextStyle::new(Face::Regular, 10.0, Rgb::BLACK);
        let mut line = Line::default();
        for b in &boxes {
            line.items.push(Item::Text(TextRun { x: b.start, baseline: 0.0, face: style.face, size: 10.0, colour: style.colour, glyphs: Vec::new(), angle: 0.0 }));
        }
        put_in_visual_order(&mut line, &boxes);
        let xs: Vec<f32> = line.items.iter().map(|i| if let Item::Text(r) = i { r.x } else { -1.0 }).collect();
        // The Arabic run is reversed, the number inside it keeps its own order: a ARB2 2024 ARB1 b.
        assert_eq!(xs, vec![0.0, 30.0, 20.0, 10.0, 40.0]);
    }

    #[test]
    fn hard_breaks_end_lines() {
        let fonts = FontSet::bundled().unwrap();
        let mut t = setter(&fonts);
        let mut text = StyledText::default();
        let style = TextStyle::new(Face::Regular, 10.0, Rgb::BLACK);
        text.push("one", style.clone());
        text.push("\n", style.clone());
        text.push("two", style);
        let lines = t.lines(&text, 300.0, Align::Justify, 1.4);
        assert_eq!(lines.iter().map(|l| text_of(&t, l)).collect::<Vec<_>>(), vec!["one", "two"]);
    }
}
