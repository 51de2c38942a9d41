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
}

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
        }
    }
}
