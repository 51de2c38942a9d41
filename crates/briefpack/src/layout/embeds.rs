//! Special blocks: the cover, key-figure cards, charts, QR codes, the
//! probability yardstick and ruled note lines. Markdown names them with a fenced block (```` ```chart ````)
//! whose body lists ids or addresses; the data comes from [`Embeds`], filled by
//! the template stage from the pack.

use std::collections::BTreeMap;

use super::blocks::Chunk;
use super::style::{Rgb, Style};
use super::tags::{wrap, NodeId, Role, Structure, Tag};
use super::text::{Align, StyledText, TextStyle, Typesetter};
use super::{Brand, Item, MarkingBanner};
use crate::fonts::Face;

/// Data for the special blocks of one document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Embeds {
    /// The cover page (```` ```cover ````).
    pub cover: Option<Cover>,
    /// Key-figure cards by statistic id (```` ```stat-cards ````).
    pub cards: BTreeMap<String, StatCard>,
    /// Charts by statistic id (```` ```chart ````).
    pub charts: BTreeMap<String, Chart>,
    /// Titles printed under QR codes, by address (```` ```qr ````).
    pub qr_titles: BTreeMap<String, String>,
    /// The probability yardstick (```` ```yardstick ````).
    pub yardstick: Option<Yardstick>,
}

/// The probability yardstick drawn as a scale from 0 to 100%, each term over its range.
#[derive(Debug, Clone, PartialEq)]
pub struct Yardstick {
    /// The terms, least likely first.
    pub terms: Vec<YardstickTerm>,
    /// The line printed under the scale.
    pub caption: String,
}

/// One term of the yardstick.
#[derive(Debug, Clone, PartialEq)]
pub struct YardstickTerm {
    /// As printed ("Realistic possibility").
    pub name: String,
    /// Its range as printed ("40–50%").
    pub range: String,
    /// Where its range starts and ends, per cent.
    pub low: f32,
    /// The upper end, per cent.
    pub high: f32,
    /// Whether the document uses the term: it is drawn stronger.
    pub used: bool,
}

/// A cover page.
#[derive(Debug, Clone, PartialEq)]
pub struct Cover {
    /// Title.
    pub title: String,
    /// Line under the title.
    pub subtitle: Option<String>,
    /// Label and value pairs (Audience, Purpose, Date, Prepared by…).
    pub rows: Vec<(String, String)>,
    /// A prominent edition label ("Facilitator edition").
    pub edition: Option<String>,
    /// The marking, printed large.
    pub marking: Option<MarkingBanner>,
    /// How the document may be shared, printed under the marking, one paragraph
    /// each: the marking's sharing rule, then the pack's own handling line.
    pub handling: Vec<String>,
    /// The organisation's logo and name at the top (a library's house style).
    pub brand: Option<Brand>,
}

/// A key-figure card.
#[derive(Debug, Clone, PartialEq)]
pub struct StatCard {
    /// The figure as printed ("+35%").
    pub figure: String,
    /// What it counts.
    pub label: String,
    /// The period it covers.
    pub period: Option<String>,
    /// When it was true, as printed ("16 October 2025").
    pub as_of: Option<String>,
    /// Its source note number.
    pub note: Option<u32>,
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Vertical bars.
    Bar,
    /// A line with markers.
    Line,
}

/// A chart of a statistic's series.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// Title above the chart.
    pub title: String,
    /// Bars or a line.
    pub kind: ChartKind,
    /// Points: label for the x axis, value.
    pub points: Vec<(String, f64)>,
    /// The source line printed under it.
    pub source: String,
}

/// Space above each handling paragraph on the cover, in points.
const HANDLING_GAP: f32 = 10.0;
/// The most lines a handling paragraph takes on the cover; longer ones end in an ellipsis.
const HANDLING_LINES: usize = 4;
/// The height of the logo at the top of the cover, in points (about 15 mm); a wide
/// logo is made smaller to stay within [`LOGO_MAX_WIDTH`] of the text width.
const LOGO_HEIGHT: f32 = 42.0;
/// The share of the text width a cover logo may take.
const LOGO_MAX_WIDTH: f32 = 0.45;
/// Type size of the organisation's name at the top of the cover.
const ORGANISATION_SIZE: f32 = 13.0;
/// Space between the brand at the top of the cover and the title, at least.
const BRAND_GAP: f32 = 36.0;

/// Everything needed to lay out a special block.
pub(crate) struct EmbedCtx<'a, 'f> {
    pub(crate) style: &'a Style,
    pub(crate) typesetter: &'a mut Typesetter<'f>,
    /// Where the block's structure nodes go, and under which node.
    pub(crate) structure: &'a mut Structure,
    pub(crate) parent: Option<NodeId>,
    pub(crate) x: f32,
    pub(crate) width: f32,
    pub(crate) size: f32,
}

/// The structure nodes of a cover, made once however often it is laid out to fit.
struct CoverNodes {
    /// The logo's figure and the organisation's name, read first.
    logo: Option<NodeId>,
    organisation: Option<NodeId>,
    edition: NodeId,
    title: NodeId,
    subtitle: NodeId,
    rows: Vec<NodeId>,
    handling: Vec<NodeId>,
}

/// `items` tagged as `node`'s content.
fn tagged(mut items: Vec<Item>, node: NodeId) -> Vec<Item> {
    wrap(&mut items, Tag::Node(node));
    items
}

impl EmbedCtx<'_, '_> {
    /// A new structure node under the block's parent.
    fn node(&mut self, role: Role) -> NodeId {
        self.structure.add(role, self.parent)
    }

    /// A new structure node under `parent`.
    fn node_in(&mut self, role: Role, parent: NodeId) -> NodeId {
        self.structure.add(role, Some(parent))
    }

    fn lines_at(&mut self, text: &str, style: TextStyle, at: (f32, f32), width: f32, align: Align, line_height: f32) -> (Vec<Item>, f32) {
        let lines = self.typesetter.lines(&StyledText::plain(text, style), width, align, line_height);
        place_lines(lines, at)
    }

    /// [`Self::lines_at`] for text that must stay within `max_lines` (left-aligned):
    /// longer text ends in an ellipsis.
    /// [`Self::lines_at`] for text that must stay within `max_lines` (left-aligned):
    /// longer text ends in an ellipsis. Also whether it was cut.
    fn lines_at_most(&mut self, text: &str, style: TextStyle, at: (f32, f32), width: f32, line_height: f32, max_lines: usize) -> (Vec<Item>, f32, bool) {
        let (lines, cut) = self.typesetter.lines_at_most(text, &style, width, line_height, max_lines);
        let (items, height) = place_lines(lines, at);
        (items, height, cut)
    }

    /// The cover: title, subtitle, the details table, the marking printed large, then a
    /// page break. It always fits its page, marking included, however long the pack's
    /// texts: a long title is set smaller until it fits in a third of the page, and
    /// only at the smallest size cut with an ellipsis; long values are cut after a few
    /// lines, and details that would push the marking off the page are left out.
    /// With a brand (a house style), the logo (`logo`: its index in the document's
    /// images) and the organisation's name open the page.
    pub(crate) fn cover(&mut self, cover: &Cover, logo: Option<usize>, page_content_height: f32) -> Vec<Chunk> {
        const TITLE_SIZES: [f32; 6] = [28.0, 24.0, 20.0, 17.0, 14.0, 12.0];
        let div = self.node(Role::Division);
        let brand = cover.brand.as_ref();
        let logo_node = brand.and_then(|b| b.logo.as_ref()).filter(|_| logo.is_some()).map(|l| {
            let figure = self.node_in(Role::Figure, div);
            self.structure.set_alt(figure, l.alt.clone());
            figure
        });
        let nodes = CoverNodes {
            logo: logo_node,
            organisation: brand.and_then(|b| b.organisation.as_ref()).map(|_| self.node_in(Role::Paragraph, div)),
            edition: self.node_in(Role::Paragraph, div),
            title: self.node_in(Role::Heading(1), div),
            subtitle: self.node_in(Role::Paragraph, div),
            rows: cover.rows.iter().map(|_| self.node_in(Role::Paragraph, div)).collect(),
            handling: cover.handling.iter().map(|_| self.node_in(Role::Paragraph, div)).collect(),
        };
        let mut laid = (Vec::new(), 0.0, false);
        for size in TITLE_SIZES {
            laid = self.cover_with_title_size(cover, &nodes, logo, size, page_content_height);
            let (_, height, title_cut) = laid;
            if height <= page_content_height && !title_cut {
                break;
            }
        }
        let (items, height, _) = laid;
        vec![Chunk { height, items, keep_with_next: false, ..Chunk::default() }]
    }

    /// The cover with its title at `title_size`; its height, and whether the title was cut.
    fn cover_with_title_size(&mut self, cover: &Cover, nodes: &CoverNodes, logo: Option<usize>, title_size: f32, page_content_height: f32) -> (Vec<Item>, f32, bool) {
        let mut items = Vec::new();
        let mut y = page_content_height * 0.16;
        if let Some(brand) = &cover.brand {
            let brand_height = self.brand(brand, nodes, logo, &mut items);
            y = y.max(brand_height + BRAND_GAP);
        }
        let c = &self.style.colours;
        let (x, w) = (self.x, self.width);
        if let Some(edition) = &cover.edition {
            let label = TextStyle::new(Face::Bold, 11.0, Rgb::WHITE);
            let edition = self.typesetter.fit_width(edition, Face::Bold, 11.0, w - 16.0);
            let lw = self.typesetter.measure(&edition, Face::Bold, 11.0);
            items.push(Item::Rect { x, y: y - 22.0, w: lw + 16.0, h: 20.0, fill: Some(c.heading), stroke: None });
            items.extend(tagged(self.typesetter.run(&edition, &label, x + 8.0, y - 7.5), nodes.edition));
            y += 16.0;
        }
        // The title takes at most a third of the page.
        let title_lines = ((page_content_height / 3.0) / (title_size * 1.15)).floor().max(1.0) as usize;
        let (title, h, title_cut) = self.lines_at_most(&cover.title, TextStyle::new(Face::Bold, title_size, c.heading), (x, y), w, 1.15, title_lines);
        items.extend(tagged(title, nodes.title));
        y += h + 6.0;
        if let Some(subtitle) = &cover.subtitle {
            let (sub, h, _) = self.lines_at_most(subtitle, TextStyle::new(Face::Regular, 15.0, c.muted), (x, y), w, 1.3, 3);
            items.extend(tagged(sub, nodes.subtitle));
            y += h;
        }
        y += 14.0;
        items.push(Item::Line { from: (x, y), to: (x + w, y), colour: c.heading, width: 1.4 });
        y += 18.0;
        let marking_size = cover.marking.as_ref().map_or(0.0, |m| m.size * 1.75);
        let handling_style = TextStyle::new(Face::Regular, 10.5, c.text);
        // Measured first: the rows above give way to the handling lines, never the reverse.
        let handling_height: f32 = cover
            .handling
            .iter()
            .map(|text| HANDLING_GAP + self.lines_at_most(text, handling_style.clone(), (x, 0.0), w, 1.4, HANDLING_LINES).1)
            .sum();
        let marking_height = cover.marking.as_ref().map_or(0.0, |_| 28.0 + marking_size * 1.05 + 2.0 * marking_size * 0.35) + handling_height;
        let label_width = w * 0.28;
        for ((label, value), &node) in cover.rows.iter().zip(&nodes.rows) {
            let (l, _, _) = self.lines_at_most(label, TextStyle::new(Face::Bold, 10.5, c.muted), (x, y), label_width - 8.0, 1.5, 2);
            let (v, h, _) = self.lines_at_most(value, TextStyle::new(Face::Regular, 11.5, c.text), (x + label_width, y - 1.0), w - label_width, 1.45, 3);
            let row_height = h.max(16.0) + 5.0;
            if y + row_height + marking_height > page_content_height {
                break;
            }
            // Label and value read as one line: "Prepared for: Board".
            items.extend(tagged(l.into_iter().chain(v).collect(), node));
            y += row_height;
        }
        if let Some(marking) = &cover.marking {
            y += 28.0;
            let size = marking_size;
            let text = self.typesetter.fit_width(&marking.text, Face::Bold, size, w);
            let mw = self.typesetter.measure(&text, Face::Bold, size);
            let mx = if marking.centred { x + (w - mw) / 2.0 } else { x };
            let pad = size * 0.35;
            if let Some(bg) = marking.background {
                items.push(Item::Rect { x: mx - pad, y, w: mw + 2.0 * pad, h: size * 1.05 + 2.0 * pad, fill: Some(bg), stroke: None });
            }
            items.extend(self.typesetter.run(&text, &TextStyle::new(Face::Bold, size, marking.colour), mx, y + pad + size * 0.82));
            y += size * 1.05 + 2.0 * pad;
        }
        // The marking printed large above is an artifact: the document's tagged
        // marking is the first thing on the page (see `furniture`).
        for (text, &node) in cover.handling.iter().zip(&nodes.handling) {
            y += HANDLING_GAP;
            let (lines, h, _) = self.lines_at_most(text, handling_style.clone(), (x, y), w, 1.4, HANDLING_LINES);
            items.extend(tagged(lines, node));
            y += h;
        }
        (items, y, title_cut)
    }

    /// The logo at the top left of the cover, the organisation's name beside it
    /// (centred on the logo's height, in at most two lines); the height they take.
    fn brand(&mut self, brand: &Brand, nodes: &CoverNodes, logo: Option<usize>, items: &mut Vec<Item>) -> f32 {
        let (x, w) = (self.x, self.width);
        let mut text_x = x;
        let mut logo_height: f32 = 0.0;
        if let (Some(asset), Some(index), Some(node)) = (brand.logo.as_ref(), logo, nodes.logo) {
            let (pw, ph) = (asset.image.width_px as f32, asset.image.height_px as f32);
            let scale = (LOGO_HEIGHT / ph).min(w * LOGO_MAX_WIDTH / pw);
            let (lw, lh) = (pw * scale, ph * scale);
            items.extend(tagged(vec![Item::Image { x, y: 0.0, w: lw, h: lh, image: index }], node));
            text_x = x + lw + ORGANISATION_SIZE;
            logo_height = lh;
        }
        let (Some(name), Some(node)) = (brand.organisation.as_ref(), nodes.organisation) else { return logo_height };
        let style = TextStyle::new(Face::Bold, ORGANISATION_SIZE, self.style.colours.heading);
        let room = x + w - text_x;
        let (_, name_height, _) = self.lines_at_most(name, style.clone(), (text_x, 0.0), room, 1.25, 2);
        let top = ((logo_height - name_height) / 2.0).max(0.0);
        let (lines, _, _) = self.lines_at_most(name, style, (text_x, top), room, 1.25, 2);
        items.extend(tagged(lines, node));
        logo_height.max(top + name_height)
    }

    /// Key-figure cards, up to three a row; each row is one unbreakable chunk.
    pub(crate) fn cards(&mut self, cards: &[&StatCard]) -> Vec<Chunk> {
        let c = self.style.colours.clone();
        let per_row = if cards.len() == 4 { 2 } else { cards.len().clamp(1, 3) };
        let gap = 10.0;
        let card_w = (self.width - gap * (per_row as f32 - 1.0)) / per_row as f32;
        let pad = 10.0;
        let inner = card_w - 2.0 * pad - 3.0;
        let mut chunks = Vec::new();
        let group = self.node(Role::Division);
        for row in cards.chunks(per_row) {
            let mut items = Vec::new();
            let mut heights = Vec::new();
            let mut bodies = Vec::new();
            for (i, card) in row.iter().enumerate() {
                let x = self.x + i as f32 * (card_w + gap) + pad + 3.0;
                let mut y = pad;
                let mut body = Vec::new();
                // Each card reads value, label, period, as-of, source.
                let card_node = self.node_in(Role::Division, group);
                let figure_size = if card.figure.chars().count() > 8 { 19.0 } else { 26.0 };
                let (f, h) = self.lines_at(&card.figure, TextStyle::new(Face::Bold, figure_size, c.accent), (x, y), inner, Align::Left, 1.15);
                body.extend(tagged(f, self.node_in(Role::Paragraph, card_node)));
                y += h + 2.0;
                let (l, h) = self.lines_at(&card.label, TextStyle::new(Face::Regular, self.size * 0.9, c.text), (x, y), inner, Align::Left, 1.3);
                body.extend(tagged(l, self.node_in(Role::Paragraph, card_node)));
                y += h + 4.0;
                let mut details: Vec<String> = Vec::new();
                if let Some(p) = &card.period {
                    details.push(capitalise(p));
                }
                if let Some(a) = &card.as_of {
                    details.push(format!("As of {a}"));
                }
                if let Some(n) = card.note {
                    details.push(format!("Source [{n}]"));
                }
                for detail in details {
                    let (d, h) = self.lines_at(&detail, TextStyle::new(Face::Regular, self.size * 0.76, c.muted), (x, y), inner, Align::Left, 1.3);
                    body.extend(tagged(d, self.node_in(Role::Paragraph, card_node)));
                    y += h;
                }
                heights.push(y + pad);
                bodies.push(body);
            }
            let height = heights.iter().copied().fold(0.0, f32::max);
            for (i, body) in bodies.into_iter().enumerate() {
                let x = self.x + i as f32 * (card_w + gap);
                items.push(Item::Rect { x, y: 0.0, w: card_w, h: height, fill: Some(c.callout_background), stroke: None });
                items.push(Item::Rect { x, y: 0.0, w: 3.0, h: height, fill: Some(c.accent), stroke: None });
                items.extend(body);
            }
            chunks.push(Chunk { height: height + gap, space_before: if chunks.is_empty() { self.style.paragraph_spacing + 2.0 } else { 0.0 }, items, ..Chunk::default() });
        }
        chunks
    }

    /// A bar or line chart with a value axis, gridlines, labels and a source line.
    pub(crate) fn chart(&mut self, chart: &Chart) -> Vec<Chunk> {
        let c = self.style.colours.clone();
        let mut items = Vec::new();
        let (title, mut y) = self.lines_at(&chart.title, TextStyle::new(Face::Bold, self.size * 0.95, c.heading), (self.x, 0.0), self.width, Align::Left, 1.3);
        items.extend(title);
        y += 6.0;
        let plot_h = 120.0;
        let axis_w = 38.0;
        let (px, pw) = (self.x + axis_w, self.width - axis_w);
        // Values that are not numbers (NaN, infinite) are left out of the scale and
        // not drawn: the PDF must never receive a coordinate that is not finite.
        let finite = || chart.points.iter().map(|p| p.1).filter(|v| v.is_finite());
        let max = finite().fold(0.0, f64::max);
        let min = finite().fold(0.0, f64::min);
        let (lo, hi, step) = nice_scale(min, max);
        // Halves first, so that ±1e308 does not overflow to infinity.
        let span = (hi / 2.0 - lo / 2.0).max(f64::MIN_POSITIVE);
        let scale = |v: f64| y + plot_h - ((v / 2.0 - lo / 2.0) / span).clamp(0.0, 1.0) as f32 * plot_h;
        let small = TextStyle::new(Face::Regular, self.size * 0.72, c.muted);
        let mut tick = lo;
        for _ in 0..MAX_TICKS {
            if !tick.is_finite() || tick > hi + step * 0.01 {
                break;
            }
            let ty = scale(tick);
            items.push(Item::Line { from: (px, ty), to: (px + pw, ty), colour: if tick == lo { c.muted } else { c.rule }, width: if tick == lo { 0.8 } else { 0.3 } });
            let label = crate::numbers::format_number(tick);
            let lw = self.typesetter.measure(&label, Face::Regular, small.size);
            items.extend(self.typesetter.run(&label, &small, px - lw - 5.0, ty + small.size * 0.35));
            tick += step;
        }
        let n = chart.points.len().max(1);
        let slot = pw / n as f32;
        let mut previous: Option<(f32, f32)> = None;
        // The figure (title, scale, bars) is read as its alternative text; its data is
        // also a table whose cells are the labels and values printed on it.
        let group = self.node(Role::Division);
        let figure = self.node_in(Role::Figure, group);
        self.structure.set_alt(figure, chart_alt_text(chart));
        let table = self.node_in(Role::Table, group);
        let head = self.node_in(Role::TableHead, table);
        let head_row = self.node_in(Role::TableRow, head);
        let body = self.node_in(Role::TableBody, table);
        let body_row = self.node_in(Role::TableRow, body);
        let mut labels = Vec::new();
        let mut values = Vec::new();
        for (i, (label, value)) in chart.points.iter().enumerate() {
            let cx = px + slot * (i as f32 + 0.5);
            let lw = self.typesetter.measure(label, Face::Regular, small.size);
            let header = self.node_in(Role::TableHeader, head_row);
            let cell = self.node_in(Role::TableData, body_row);
            labels.extend(tagged(self.typesetter.run(label, &small, cx - lw / 2.0, y + plot_h + small.size * 1.5), header));
            if !value.is_finite() {
                continue;
            }
            let vy = scale(*value);
            match chart.kind {
                ChartKind::Bar => {
                    let bw = (slot * 0.6).min(48.0);
                    let base = scale(lo.max(0.0));
                    items.push(Item::Rect { x: cx - bw / 2.0, y: vy.min(base), w: bw, h: (base - vy).abs(), fill: Some(c.accent), stroke: None });
                }
                ChartKind::Line => {
                    if let Some((x0, y0)) = previous {
                        items.push(Item::Line { from: (x0, y0), to: (cx, vy), colour: c.accent, width: 1.6 });
                    }
                    items.push(Item::Rect { x: cx - 2.5, y: vy - 2.5, w: 5.0, h: 5.0, fill: Some(c.accent), stroke: None });
                    previous = Some((cx, vy));
                }
            }
            let value_label = crate::numbers::format_number(*value);
            let vw = self.typesetter.measure(&value_label, Face::Bold, small.size);
            let value_style = TextStyle::new(Face::Bold, small.size, c.text);
            values.extend(tagged(self.typesetter.run(&value_label, &value_style, cx - vw / 2.0, vy - 4.0), cell));
        }
        y += plot_h + small.size * 2.4;
        let (source, h) = self.lines_at(&chart.source, TextStyle::new(Face::Italic, self.size * 0.75, c.muted), (self.x, y), self.width, Align::Left, 1.3);
        let source_node = self.node_in(Role::Paragraph, group);
        y += h;
        let mut items = tagged(items, figure);
        items.extend(labels);
        items.extend(values);
        items.extend(tagged(source, source_node));
        vec![Chunk { height: y + 4.0, space_before: self.style.paragraph_spacing + 4.0, items, ..Chunk::default() }]
    }

    /// The probability yardstick: a scale from 0 to 100% with each term's range
    /// as a bar on it, the terms labelled alternately above and below (so
    /// neighbours never collide), those the document uses in bold over a
    /// strong bar, the others muted. One unbreakable chunk.
    pub(crate) fn yardstick(&mut self, yardstick: &Yardstick) -> Vec<Chunk> {
        let c = self.style.colours.clone();
        let (x, w) = (self.x, self.width);
        let label_size = self.size * 0.8;
        let range_size = self.size * 0.7;
        let line = |size: f32| size * 1.3;
        let mut items = Vec::new();
        let (title, mut y) = self.lines_at(YARDSTICK_TITLE, TextStyle::new(Face::Bold, self.size * 0.92, c.heading), (x, 0.0), w, Align::Left, 1.3);
        items.extend(title);
        y += 4.0;
        let label_block = line(label_size) + line(range_size);
        let upper_top = y;
        let bar_top = upper_top + label_block + 8.0;
        let bar_height = 9.0;
        let lower_top = bar_top + bar_height + 8.0;
        let at = |percent: f32| x + w * percent.clamp(0.0, 100.0) / 100.0;
        // The whole scale, faint, so the gaps between ranges read as gaps.
        items.push(Item::Line { from: (x, bar_top + bar_height / 2.0), to: (x + w, bar_top + bar_height / 2.0), colour: c.rule, width: 0.6 });
        for end in [0.0, 100.0] {
            items.push(Item::Line { from: (at(end), bar_top - 2.0), to: (at(end), bar_top + bar_height + 2.0), colour: c.muted, width: 0.6 });
        }
        for (i, term) in yardstick.terms.iter().enumerate() {
            let (fill, face, colour) = if term.used { (c.accent, Face::Bold, c.text) } else { (c.rule, Face::Regular, c.muted) };
            let (left, right) = (at(term.low), at(term.high).max(at(term.low) + 2.0));
            items.push(Item::Rect { x: left, y: bar_top, w: right - left, h: bar_height, fill: Some(fill), stroke: None });
            let label_width = self.typesetter.measure(&term.name, face, label_size).max(self.typesetter.measure(&term.range, Face::Regular, range_size));
            let centre = (left + right) / 2.0;
            let label_x = (centre - label_width / 2.0).clamp(x, (x + w - label_width).max(x));
            let above = i % 2 == 0;
            let top = if above { upper_top } else { lower_top };
            // Each line centred on the term, within the scale.
            for (text, style, baseline) in [
                (&term.name, TextStyle::new(face, label_size, colour), top + label_size),
                (&term.range, TextStyle::new(Face::Regular, range_size, c.muted), top + line(label_size) + range_size),
            ] {
                let width = self.typesetter.measure(text, style.face, style.size);
                let text_x = (label_x + (label_width - width) / 2.0).clamp(x, (x + w - width).max(x));
                let text_x = if label_x <= x + 0.01 { label_x } else if label_x + label_width >= x + w - 0.01 { x + w - width } else { text_x };
                items.extend(self.typesetter.run(text, &style, text_x, baseline));
            }
            let (from, to) = if above { (upper_top + label_block + 1.5, bar_top - 1.0) } else { (bar_top + bar_height + 1.0, lower_top - 1.5) };
            items.push(Item::Line { from: (centre, from), to: (centre, to), colour: if term.used { c.accent } else { c.rule }, width: 0.6 });
        }
        y = lower_top + label_block + 6.0;
        let (caption, h) = self.lines_at(&yardstick.caption, TextStyle::new(Face::Italic, self.size * 0.75, c.muted), (x, y), w, Align::Left, 1.3);
        items.extend(caption);
        y += h;
        let figure = self.node(Role::Figure);
        self.structure.set_alt(figure, yardstick_alt_text(YARDSTICK_TITLE, yardstick));
        vec![Chunk { height: y + 4.0, space_before: self.style.paragraph_spacing + 6.0, items: tagged(items, figure), ..Chunk::default() }]
    }

    /// QR codes, three a row, each with its title and address beneath.
    pub(crate) fn qr_codes(&mut self, urls: &[&str], titles: &BTreeMap<String, String>) -> Vec<Chunk> {
        let c = self.style.colours.clone();
        let per_row = 3;
        let gap = 14.0;
        let tile_w = (self.width - gap * (per_row as f32 - 1.0)) / per_row as f32;
        let side = 74.0_f32.min(tile_w);
        let mut chunks = Vec::new();
        let group = self.node(Role::Division);
        for row in urls.chunks(per_row) {
            let mut items = Vec::new();
            let mut height: f32 = 0.0;
            for (i, url) in row.iter().enumerate() {
                let x = self.x + i as f32 * (tile_w + gap);
                // A QR code is a link a phone follows: only for addresses that may be live.
                if !super::text::is_live_uri(url) {
                    continue;
                }
                let Ok(code) = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M) else { continue };
                let tile = self.node_in(Role::Division, group);
                let figure = self.node_in(Role::Figure, tile);
                self.structure.set_alt(figure, format!("QR code for {}", super::text::printable_url(url)));
                let square_start = items.len();
                let modules = code.width();
                let unit = side / (modules as f32 + 8.0);
                let colours = code.to_colors();
                // Dark modules row by row, merged into horizontal runs: fewer rectangles, same code.
                for r in 0..modules {
                    let mut col = 0;
                    while col < modules {
                        if colours[r * modules + col] == qrcode::Color::Dark {
                            let start = col;
                            while col < modules && colours[r * modules + col] == qrcode::Color::Dark {
                                col += 1;
                            }
                            items.push(Item::Rect {
                                x: x + unit * (4 + start) as f32,
                                y: unit * (4 + r) as f32,
                                w: unit * (col - start) as f32 + 0.02,
                                h: unit + 0.02,
                                fill: Some(Rgb::BLACK),
                                stroke: None,
                            });
                        } else {
                            col += 1;
                        }
                    }
                }
                let square: Vec<Item> = items.drain(square_start..).collect();
                items.extend(tagged(square, figure));
                let mut y = side;
                if let Some(title) = titles.get(*url) {
                    let (t, h) = self.lines_at(title, TextStyle::new(Face::Bold, self.size * 0.8, c.text), (x + unit * 4.0, y), tile_w - unit * 4.0, Align::Left, 1.25);
                    items.extend(tagged(t, self.node_in(Role::Paragraph, tile)));
                    y += h;
                }
                let live = super::text::is_live_uri(url);
                let address = TextStyle::new(Face::Mono, self.size * 0.68, if live { c.accent } else { c.text });
                let (u, h) = self.lines_at(super::text::printable_url(url), address, (x + unit * 4.0, y), tile_w - unit * 4.0, Align::Left, 1.3);
                let address_node = self.node_in(Role::Paragraph, tile);
                items.extend(tagged(u, address_node));
                // The whole tile is one link area, for live addresses only.
                if live {
                    items.push(Item::Link {
                        x,
                        y: 0.0,
                        w: tile_w,
                        h: y + h,
                        target: super::LinkTarget::Uri((*url).into()),
                        parent: Some(address_node),
                        description: super::link_description(url).into(),
                    });
                }
                height = height.max(y + h);
            }
            chunks.push(Chunk { height: height + gap, space_before: if chunks.is_empty() { self.style.paragraph_spacing } else { 0.0 }, items, ..Chunk::default() });
        }
        chunks
    }
}

/// The yardstick's heading, printed and read.
const YARDSTICK_TITLE: &str = "How likely: the probability yardstick";

/// What a chart shows, in words: its kind, title and every point.
pub(crate) fn chart_alt_text(chart: &Chart) -> String {
    let kind = match chart.kind {
        ChartKind::Bar => "Bar chart",
        ChartKind::Line => "Line chart",
    };
    let points: Vec<String> = chart
        .points
        .iter()
        .map(|(label, value)| if value.is_finite() { format!("{label}: {}", crate::numbers::format_number(*value)) } else { format!("{label}: no value") })
        .collect();
    // The source line is printed (and read) under the figure.
    format!("{kind}: {}. {}.", chart.title.trim_end_matches('.'), points.join(", "))
}

/// The yardstick in words: each term with its range, and which the document uses.
fn yardstick_alt_text(title: &str, yardstick: &Yardstick) -> String {
    let terms: Vec<String> = yardstick.terms.iter().map(|t| format!("{} {}", t.name, t.range)).collect();
    let used: Vec<&str> = yardstick.terms.iter().filter(|t| t.used).map(|t| t.name.as_str()).collect();
    let mut text = format!("{title}: {}.", terms.join("; "));
    if !used.is_empty() {
        text.push_str(&format!(" Used in this document: {}.", used.join(", ")));
    }
    if !yardstick.caption.trim().is_empty() {
        text.push_str(&format!(" {}", yardstick.caption.trim()));
    }
    text
}

/// Lines moved to `(x, y)`, one under the other; their items and total height.
fn place_lines(lines: Vec<super::text::Line>, (x, y): (f32, f32)) -> (Vec<Item>, f32) {
    let mut items = Vec::new();
    let mut top = y;
    for line in lines {
        for mut item in line.items {
            super::blocks::shift_item(&mut item, x, top);
            items.push(item);
        }
        top += line.height;
    }
    (items, top - y)
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// Gridlines a chart draws at most (a scale has about five).
const MAX_TICKS: usize = 12;

/// Axis bounds and tick step at round numbers (1, 2 or 5 times a power of ten),
/// for finite `min` ≤ 0 ≤ `max`. Near the ends of the f64 range, where rounding
/// up would overflow, the bounds are the values themselves.
pub(crate) fn nice_scale(min: f64, max: f64) -> (f64, f64, f64) {
    let raw = (max / 4.0 - min / 4.0).max(f64::EPSILON);
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let (lo, hi) = ((min / step).floor() * step, (max / step).ceil() * step);
    if lo.is_finite() && hi.is_finite() && step.is_finite() {
        (lo, hi, step)
    } else {
        (min, max, raw)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scales_land_on_round_numbers() {
        assert_eq!(nice_scale(0.0, 19.0), (0.0, 20.0, 5.0));
        assert_eq!(nice_scale(0.0, 1727.0), (0.0, 2000.0, 500.0));
        let (lo, hi, step) = nice_scale(-3.0, 35.0);
        assert!(lo <= -3.0 && hi >= 35.0 && step == 10.0);
    }

    #[test]
    fn scales_stay_finite_at_the_ends_of_the_range() {
        for (min, max) in [(-f64::MAX, f64::MAX), (0.0, f64::MAX), (-1e308, 0.0), (0.0, 0.0), (0.0, 5e-324)] {
            let (lo, hi, step) = nice_scale(min, max);
            assert!(lo.is_finite() && hi.is_finite() && step.is_finite() && step > 0.0, "{min}..{max}: {lo} {hi} {step}");
            assert!(lo <= min && hi >= max, "{min}..{max}: {lo} {hi}");
        }
    }
}
