//! How a document looks: page, margins, sizes, colours, header and footer.
//!
//! Every field has a default, so a template's `style.toml` (templates issue)
//! states only what it changes. Lengths on the page are in millimetres; type
//! sizes and spacing in points.

use serde::{Deserialize, Serialize};

/// A colour, written `"#1F3A5F"` in style files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Black.
    pub const BLACK: Rgb = Rgb(0, 0, 0);
    /// White.
    pub const WHITE: Rgb = Rgb(255, 255, 255);

    /// Components scaled to 0–1, as PDF wants them.
    pub fn unit(self) -> [f32; 3] {
        [f32::from(self.0) / 255.0, f32::from(self.1) / 255.0, f32::from(self.2) / 255.0]
    }

    /// Relative luminance (WCAG 2.1), 0 for black to 1 for white.
    pub fn luminance(self) -> f32 {
        let linear = |c: f32| if c <= 0.040_45 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) };
        let [r, g, b] = self.unit();
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// The contrast ratio of two colours (WCAG 2.1), from 1 to 21.
    pub fn contrast(self, other: Rgb) -> f32 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// This colour, darkened in its own hue until it reaches `ratio` against `background`.
    pub fn darkened_to(self, background: Rgb, ratio: f32) -> Rgb {
        let mut colour = self;
        for step in 0..=100u16 {
            if colour.contrast(background) >= ratio {
                break;
            }
            let keep = 1.0 - f32::from(step) / 100.0;
            let scale = |c: u8| (f32::from(c) * keep).round() as u8;
            colour = Rgb(scale(self.0), scale(self.1), scale(self.2));
        }
        colour
    }
}

/// The contrast all text reaches in the accessible style (WCAG 2.1 AA, normal text).
pub const ACCESSIBLE_CONTRAST: f32 = 4.5;

impl std::str::FromStr for Rgb {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let hex = s.strip_prefix('#').filter(|h| h.len() == 6 && h.chars().all(|c| c.is_ascii_hexdigit()));
        match hex {
            Some(h) => {
                let byte = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).unwrap_or(0);
                Ok(Rgb(byte(0), byte(2), byte(4)))
            }
            None => Err(format!("must be a colour like \"#1F3A5F\", not \"{s}\"")),
        }
    }
}

impl Serialize for Rgb {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2))
    }
}

impl<'de> Deserialize<'de> for Rgb {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?.parse().map_err(serde::de::Error::custom)
    }
}

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageSize {
    /// 210 × 297 mm.
    A4,
    /// 8.5 × 11 in.
    Letter,
}

impl PageSize {
    /// Width and height in points.
    pub fn points(self) -> (f32, f32) {
        match self {
            PageSize::A4 => (mm(210.0), mm(297.0)),
            PageSize::Letter => (612.0, 792.0),
        }
    }
}

/// Millimetres to points.
pub fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// Page margins in millimetres.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Margins {
    /// Top (the running header sits inside it).
    pub top: f32,
    /// Bottom (the running footer sits inside it).
    pub bottom: f32,
    /// Left.
    pub left: f32,
    /// Right.
    pub right: f32,
}

impl Default for Margins {
    fn default() -> Self {
        Margins { top: 27.0, bottom: 25.0, left: 24.0, right: 24.0 }
    }
}

/// The colours of a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Colours {
    /// Body text.
    pub text: Rgb,
    /// Headings.
    pub heading: Rgb,
    /// Links and accents.
    pub accent: Rgb,
    /// Secondary text: captions, running header and footer, printed URLs.
    pub muted: Rgb,
    /// Table rules and horizontal rules.
    pub rule: Rgb,
    /// Behind code blocks.
    pub code_background: Rgb,
    /// Behind table header rows.
    pub table_header_background: Rgb,
    /// Behind callouts.
    pub callout_background: Rgb,
}

impl Default for Colours {
    fn default() -> Self {
        Colours {
            text: Rgb(0x1E, 0x1E, 0x1E),
            heading: Rgb(0x1B, 0x36, 0x5D),
            accent: Rgb(0x1F, 0x5A, 0x96),
            muted: Rgb(0x5F, 0x63, 0x68),
            rule: Rgb(0xB8, 0xBE, 0xC6),
            code_background: Rgb(0xF3, 0xF4, 0xF6),
            table_header_background: Rgb(0xE8, 0xED, 0xF3),
            callout_background: Rgb(0xF4, 0xF7, 0xFB),
        }
    }
}

/// Text in the left, centre and right of the running header or footer.
/// `{title}`, `{page}`, `{pages}` and `{date}` are replaced.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Slots {
    /// Left-aligned text.
    pub left: String,
    /// Centred text.
    pub center: String,
    /// Right-aligned text.
    pub right: String,
}

/// Everything about how a document looks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Style {
    /// Paper size.
    pub page_size: PageSize,
    /// Margins in mm.
    pub margins: Margins,
    /// Body text size in pt.
    pub body_size: f32,
    /// Line height as a multiple of the text size.
    pub line_height: f32,
    /// Space between paragraphs in pt.
    pub paragraph_spacing: f32,
    /// Justify paragraphs (else ragged right).
    pub justify: bool,
    /// Hyphenate words at line ends (British English patterns).
    pub hyphenate: bool,
    /// Sizes of heading levels 1–6 in pt.
    pub heading_sizes: [f32; 6],
    /// Number headings 1, 1.1, 1.1.1 (levels 2 and below when the document has a title).
    pub number_headings: bool,
    /// Colours.
    pub colours: Colours,
    /// Start with a contents page listing headings with their page numbers.
    pub contents: bool,
    /// Deepest heading level listed in the contents.
    pub contents_depth: u8,
    /// Heading of the contents page.
    pub contents_title: String,
    /// Heading of the numbered notes (footnotes) at the end.
    pub notes_title: String,
    /// Print the address after a link whose text is not the address, so it can be read on paper.
    pub print_link_urls: bool,
    /// Running header.
    pub header: Slots,
    /// Running footer.
    pub footer: Slots,
    /// Whether distributed copies carry the recipient's name as a light diagonal
    /// watermark; unset, the pack's marking decides (a pack's own `watermark` wins).
    pub watermark: Option<bool>,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            page_size: PageSize::A4,
            margins: Margins::default(),
            body_size: 10.5,
            line_height: 1.45,
            paragraph_spacing: 6.5,
            justify: true,
            hyphenate: true,
            heading_sizes: [21.0, 15.0, 12.5, 11.0, 10.5, 10.5],
            number_headings: false,
            colours: Colours::default(),
            contents: false,
            contents_depth: 2,
            contents_title: "Contents".into(),
            notes_title: "Notes".into(),
            print_link_urls: true,
            header: Slots { left: "{title}".into(), ..Slots::default() },
            footer: Slots { left: "Page {page} of {pages}".into(), ..Slots::default() },
            watermark: None,
        }
    }
}

/// A setting of a [`Style`] outside what layout can use.
#[derive(Debug, Clone, PartialEq)]
pub struct StyleProblem {
    /// The field as written in `style.toml` (`body_size`, `margins.left`, `heading_sizes[2]`).
    pub field: String,
    /// What is wrong, as one sentence.
    pub message: String,
    /// How to fix it.
    pub hint: String,
}

/// The smallest text area the margins may leave, each way, in millimetres.
const MIN_TEXT_AREA_MM: f32 = 20.0;

/// One numeric setting: where it is, its value, what it may be, its default.
struct NumericField<'a> {
    field: String,
    value: &'a mut f32,
    range: std::ops::RangeInclusive<f32>,
    default: f32,
    unit: &'static str,
}

impl Style {
    fn numeric_fields(&mut self) -> Vec<NumericField<'_>> {
        let defaults = Style::default();
        let field = |field: &str, value, range, default, unit| NumericField { field: field.to_string(), value, range, default, unit };
        let mut fields = vec![
            field("body_size", &mut self.body_size, 4.0..=72.0, defaults.body_size, " pt"),
            field("line_height", &mut self.line_height, 0.8..=4.0, defaults.line_height, " times the text size"),
            field("paragraph_spacing", &mut self.paragraph_spacing, 0.0..=100.0, defaults.paragraph_spacing, " pt"),
            // The running header and footer (and any marking) sit in the top and bottom margins.
            field("margins.top", &mut self.margins.top, 15.0..=280.0, defaults.margins.top, " mm"),
            field("margins.bottom", &mut self.margins.bottom, 15.0..=280.0, defaults.margins.bottom, " mm"),
            field("margins.left", &mut self.margins.left, 5.0..=200.0, defaults.margins.left, " mm"),
            field("margins.right", &mut self.margins.right, 5.0..=200.0, defaults.margins.right, " mm"),
        ];
        for (i, (size, default)) in self.heading_sizes.iter_mut().zip(defaults.heading_sizes).enumerate() {
            // Positions count from 1 in messages, as people count.
            fields.push(NumericField { field: format!("heading_sizes[{}]", i + 1), value: size, range: 4.0..=96.0, default, unit: " pt" });
        }
        fields
    }

    /// Every setting layout cannot use: numbers that are not finite or out of
    /// range, margins that leave too little room, a contents depth outside 1–6.
    pub fn problems(&self) -> Vec<StyleProblem> {
        let mut copy = self.clone();
        let mut problems: Vec<StyleProblem> = copy
            .numeric_fields()
            .into_iter()
            .filter(|f| !f.range.contains(f.value))
            .map(|f| StyleProblem {
                message: format!(
                    "`{}` must be a number from {} to {}{}, not {}",
                    f.field,
                    f.range.start(),
                    f.range.end(),
                    f.unit,
                    f.value
                ),
                hint: format!("the default is {}", f.default),
                field: f.field,
            })
            .collect();
        // The room the margins leave, once each margin is a usable number.
        if !problems.iter().any(|p| p.field.starts_with("margins.")) {
            let (width, height) = self.text_area_mm();
            if width < MIN_TEXT_AREA_MM || height < MIN_TEXT_AREA_MM {
                let field = if width < MIN_TEXT_AREA_MM { "margins.left" } else { "margins.top" };
                let (page_w, page_h) = self.page_size.millimetres();
                problems.push(StyleProblem {
                    field: field.into(),
                    message: format!(
                        "the margins leave a text area of {width:.0} × {height:.0} mm on a {page_w:.0} × {page_h:.0} mm page; \
                         it must be at least {MIN_TEXT_AREA_MM:.0} mm each way"
                    ),
                    hint: "make the margins smaller".into(),
                });
            }
        }
        if !(1..=6).contains(&self.contents_depth) {
            problems.push(StyleProblem {
                field: "contents_depth".into(),
                message: format!("`contents_depth` must be a heading level from 1 to 6, not {}", self.contents_depth),
                hint: format!("the default is {}", Style::default().contents_depth),
            });
        }
        problems
    }

    /// This style made easier to read (the accessible option of every template):
    /// body text at least 12 pt with line height at least 1.5, ragged right without
    /// hyphenation, and every text colour at least 4.5:1 against every background
    /// text is set on. Used with the bundled sans-serif family.
    pub fn accessible(&self) -> Style {
        let mut style = self.clone();
        let scale = (12.0 / style.body_size).max(1.0);
        style.body_size *= scale;
        for size in &mut style.heading_sizes {
            *size *= scale;
        }
        style.line_height = style.line_height.max(1.5);
        style.justify = false;
        style.hyphenate = false;
        let c = &mut style.colours;
        let backgrounds = [Rgb::WHITE, c.code_background, c.table_header_background, c.callout_background];
        let darkest = backgrounds.into_iter().min_by(|a, b| a.luminance().total_cmp(&b.luminance())).unwrap_or(Rgb::WHITE);
        for colour in [&mut c.text, &mut c.heading, &mut c.accent, &mut c.muted] {
            *colour = colour.darkened_to(darkest, ACCESSIBLE_CONTRAST);
        }
        style
    }

    /// This style with every setting layout cannot use replaced: a number that
    /// is not finite by its default, one out of range by the nearest allowed
    /// value, margins that leave too little room by the default margins. Layout
    /// works on the result, so a style built in code cannot break it either.
    pub fn sanitized(&self) -> Style {
        let mut style = self.clone();
        for field in style.numeric_fields() {
            *field.value = if field.value.is_finite() { field.value.clamp(*field.range.start(), *field.range.end()) } else { field.default };
        }
        let (width, height) = style.text_area_mm();
        if width < MIN_TEXT_AREA_MM || height < MIN_TEXT_AREA_MM {
            style.margins = Margins::default();
        }
        style.contents_depth = style.contents_depth.clamp(1, 6);
        style
    }

    /// The width and height between the margins, in millimetres.
    fn text_area_mm(&self) -> (f32, f32) {
        let (page_w, page_h) = self.page_size.millimetres();
        (page_w - self.margins.left - self.margins.right, page_h - self.margins.top - self.margins.bottom)
    }
}

impl PageSize {
    /// Width and height in millimetres.
    pub fn millimetres(self) -> (f32, f32) {
        let (w, h) = self.points();
        (w * 25.4 / 72.0, h * 25.4 / 72.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_style_has_no_problems() {
        assert_eq!(Style::default().problems(), vec![]);
        assert_eq!(Style::default().sanitized(), Style::default());
    }

    #[test]
    fn unusable_numbers_are_named_and_replaced() {
        let style = Style {
            body_size: 0.0,
            line_height: f32::NAN,
            heading_sizes: [f32::INFINITY, 15.0, 12.5, 11.0, 10.5, 10.5],
            margins: Margins { left: 150.0, right: 150.0, ..Margins::default() },
            ..Style::default()
        };
        let fields: Vec<String> = style.problems().into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["body_size", "line_height", "heading_sizes[1]", "margins.left"]);
        let fixed = style.sanitized();
        assert_eq!((fixed.body_size, fixed.line_height, fixed.heading_sizes[0]), (4.0, 1.45, 21.0));
        assert_eq!(fixed.margins, Margins::default(), "margins wider than the page fall back to the defaults");
        assert_eq!(fixed.problems(), vec![]);
    }
}
