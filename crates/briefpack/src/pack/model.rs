//! The pack as plain data: what `pack.toml` and `articles/*.md` hold.
//!
//! Field names are the file format (format 1); renaming one is a format change.
//! Optional fields are skipped when empty so saved files stay short and diff-able.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::date;
use super::marking::Marking;

/// Why `id` cannot name an article (its file is `articles/<id>.md`), if it cannot.
///
/// The loader and the store apply this one rule, so every article that loads
/// can be saved again: one plain, visible file name of sensible length.
pub fn article_id_problem(id: &str) -> Option<&'static str> {
    if id.trim().is_empty() {
        Some("it is empty")
    } else if id.starts_with('.') {
        Some("it starts with a dot, which hides the file")
    } else if id.contains(['/', '\\']) {
        Some("it contains a slash")
    } else if id.chars().any(char::is_control) {
        Some("it contains a control character")
    } else if id.chars().count() > 120 {
        Some("it is longer than 120 characters")
    } else {
        None
    }
}

/// Whether `name` can name a file or folder Briefpack looks up by name: letters,
/// digits, spaces, '-' and '_', not starting with a dot (so never a path).
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && !name.starts_with('.') && name.chars().all(|c| c.is_alphanumeric() || "-_ ".contains(c))
}

/// Why `name` cannot name a template (a folder in a `templates/` folder), if it cannot.
pub fn template_name_problem(name: &str) -> Option<&'static str> {
    (!is_plain_name(name)).then_some("a template is named by its folder: letters, digits, spaces, '-' and '_' only")
}

/// Why `name` cannot name a distribution list (`lists/<name>.toml` in the library), if it cannot.
pub fn list_name_problem(name: &str) -> Option<&'static str> {
    (!is_plain_name(name)).then_some("a distribution list is named by its file in the library's lists folder, without .toml: letters, digits, spaces, '-' and '_' only")
}

/// The pack format this version of Briefpack reads and writes.
pub const FORMAT_VERSION: u32 = 1;
/// The template a pack uses when it names none.
pub const DEFAULT_TEMPLATE: &str = "board-briefing";
/// Statistics older than this many months before the pack date are flagged as stale.
pub const DEFAULT_STALENESS_MONTHS: u32 = 12;

/// One briefing pack: `pack.toml` plus its articles.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Pack {
    /// Title, audience, date, marking and the other scalar fields.
    #[serde(flatten)]
    pub meta: PackMeta,
    /// Figures with their provenance, in the order the author listed them.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub statistics: Vec<Statistic>,
    /// Official guidance to point readers to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// What the pack shows, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<Section>,
    /// Actions the pack asks its readers to take or note.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recommendations: Vec<Recommendation>,
    /// Discussion questions (training handouts), with facilitator answers and timings.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<Question>,
    /// The people the pack is issued to, one numbered copy each (`briefpack distribute`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub recipients: Vec<Recipient>,
    /// Articles by id (the file name in `articles/` without `.md`).
    #[serde(skip)]
    pub articles: BTreeMap<String, Article>,
}

/// The scalar fields at the top of `pack.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct PackMeta {
    /// File format version; must be [`FORMAT_VERSION`].
    pub format: u32,
    /// The pack's title, shown on the cover.
    pub title: String,
    /// A line under the title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subtitle: Option<String>,
    /// Who the pack is for ("Board risk committee").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
    /// What the readers are asked to do with it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<Purpose>,
    /// The briefing's date: drives staleness checks and the PDF's dates.
    #[serde(with = "date")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub date: NaiveDate,
    /// Author shown on the cover and in the PDF metadata.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prepared_by: Option<String>,
    /// The organisation the pack is prepared for or by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// The pack's protective marking.
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub marking: Marking,
    /// Handling instructions printed on the cover under the marking's own sharing
    /// rule ("UK EYES ONLY", "Not for onward sharing outside the committee").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub handling: Option<String>,
    /// A distribution list kept in the library (`lists/<name>.toml`) whose people
    /// receive a copy, before the pack's own `[[recipients]]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distribution: Option<String>,
    /// Whether distributed copies carry the recipient's name as a watermark; unset,
    /// the template's style decides, else the marking (on for TLP:AMBER+STRICT,
    /// TLP:RED, SECRET and TOP SECRET).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub watermark: Option<bool>,
    /// Name of the template to render with.
    #[serde(default = "default_template")]
    pub template: String,
    /// Edition of the template (e.g. `participant`, `facilitator`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
    /// Months before `date` after which a statistic counts as stale.
    #[serde(default = "default_staleness", skip_serializing_if = "is_default_staleness")]
    pub staleness_months: u32,
    /// Bottom line up front, in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Learning objectives (training handouts), one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub objectives: Vec<String>,
    /// The language the pack is written in, as a BCP 47 tag (`en-GB`, `cy`,
    /// `fr-FR`); unset, `en-GB`. Screen readers pronounce the PDF by it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Build in the accessible style (sans-serif, 12 pt or more, ragged right,
    /// contrast of 4.5:1 or more) whatever the template.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessible: Option<bool>,
    /// Build archival PDFs (PDF/A-2, level A) by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub archival: Option<bool>,
    /// How strictly `check` applies the editorial checks to this pack (`[editorial]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub editorial: Option<Editorial>,
    /// The pack's own house style (`[house]`: organisation, font, logo, colours),
    /// each key over the library's `library.toml` (see [`crate::house`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub house: Option<crate::house::PackHouse>,
}

/// Why `tag` cannot be a BCP 47 language tag, if it cannot: a language of two
/// or three letters, then subtags of two to eight letters or digits.
pub fn language_tag_problem(tag: &str) -> Option<&'static str> {
    let mut parts = tag.split('-');
    let language = parts.next().unwrap_or_default();
    if !(2..=3).contains(&language.len()) || !language.chars().all(|c| c.is_ascii_alphabetic()) {
        return Some("a language tag starts with a two- or three-letter language code");
    }
    if parts.any(|p| !(1..=8).contains(&p.len()) || !p.chars().all(|c| c.is_ascii_alphanumeric())) {
        return Some("the parts after the language are letters or digits, joined by hyphens");
    }
    None
}

/// Settings of the editorial checks, in a pack's `[editorial]` table or a
/// template's `[template.editorial]`: limits, and how serious each rule is.
/// A setting the pack leaves out is the template's; one neither sets has the
/// default given on each field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Editorial {
    /// Most words in the bottom line (`summary`); default 250.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary_words: Option<u32>,
    /// Most words in one sentence of the summary, why-it-matters notes and recommendations; default 30.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence_words: Option<u32>,
    /// The bottom line over its word budget.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bottom_line: Option<RuleLevel>,
    /// Sentences over the word limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub long_sentences: Option<RuleLevel>,
    /// Probability words that are not on the PHIA yardstick.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probability_words: Option<RuleLevel>,
    /// Figures in the bottom line or a why-it-matters note that are not statistics of the pack.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unsourced_figures: Option<RuleLevel>,
    /// Recommendations without an owner or a due date, or due before the pack's date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actions: Option<RuleLevel>,
    /// Key figures from sources graded E or F, or information graded 5 or 6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weak_sources: Option<RuleLevel>,
    /// Images without a description (alternative text) for screen readers;
    /// `error` for a pack that must be fully accessible.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image_descriptions: Option<RuleLevel>,
}

/// How seriously `check` reports one editorial rule.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    /// Not checked.
    Off,
    /// Reported as a warning (the default).
    #[default]
    Warning,
    /// Reported as an error: `check` fails.
    Error,
}

fn default_template() -> String {
    DEFAULT_TEMPLATE.to_string()
}

fn default_staleness() -> u32 {
    DEFAULT_STALENESS_MONTHS
}

fn is_default_staleness(months: &u32) -> bool {
    *months == DEFAULT_STALENESS_MONTHS
}

/// What a pack asks of its readers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum Purpose {
    /// The board is asked to decide.
    Decision,
    /// The board is asked to discuss.
    Discussion,
    /// The board is asked to note.
    Noting,
}

/// Which way a statistic moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Rising.
    Up,
    /// Falling.
    Down,
    /// Unchanged.
    Flat,
}

/// A figure with its exact wording and provenance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Statistic {
    /// Unique within the pack; sections and templates refer to it.
    pub id: String,
    /// What is counted, in the source's words.
    pub label: String,
    /// The number itself.
    pub value: f64,
    /// How to print it ("+35%", "1 in 8", "€4.2m"); defaults to the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display: Option<String>,
    /// Which way it moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The period it covers ("since January 2020").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<String>,
    /// When the figure was true.
    #[serde(default, with = "date::optional", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub as_of: Option<NaiveDate>,
    /// Who published it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Where it was published (https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_url: Option<String>,
    /// Admiralty grade such as `B2` (source reliability A–F, information credibility 1–6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub grade: Option<AdmiraltyGrade>,
    /// Dated points, drawn as a chart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub series: Vec<SeriesPoint>,
    /// A marking stricter than the pack's, if the figure carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub marking: Option<Marking>,
}

impl Statistic {
    /// The text to print for the figure.
    pub fn display_text(&self) -> String {
        self.display.clone().unwrap_or_else(|| crate::numbers::format_number(self.value))
    }
}

/// One dated point of a statistic's series.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct SeriesPoint {
    /// When.
    #[serde(with = "date")]
    #[cfg_attr(feature = "ts", ts(type = "string"))]
    pub date: NaiveDate,
    /// The value then.
    pub value: f64,
}

/// An Admiralty (NATO) grade: source reliability A–F and information credibility 1–6.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdmiraltyGrade {
    /// A (completely reliable) to F (cannot be judged).
    pub source: char,
    /// 1 (confirmed) to 6 (cannot be judged).
    pub information: u8,
}

impl std::fmt::Display for AdmiraltyGrade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}{}", self.source, self.information)
    }
}

impl std::str::FromStr for AdmiraltyGrade {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let mut chars = s.trim().chars();
        match (chars.next(), chars.next(), chars.next()) {
            (Some(src @ 'A'..='F'), Some(info @ '1'..='6'), None) => {
                Ok(AdmiraltyGrade { source: src, information: info as u8 - b'0' })
            }
            _ => Err(format!(
                "must be an Admiralty grade like \"B2\" (source A–F, information 1–6), not \"{s}\""
            )),
        }
    }
}

impl Serialize for AdmiraltyGrade {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for AdmiraltyGrade {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

/// A pointer to official guidance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// Unique within the pack.
    pub id: String,
    /// What the reader will find.
    pub title: String,
    /// Where (https).
    pub url: String,
    /// Who publishes it ("NCSC").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// One line: use this for …
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub use_for: Option<String>,
    /// Who it is written for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub audience: Option<String>,
}

/// What a section shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// The bottom line up front (`summary` in pack.toml).
    Summary,
    /// Key figures (all, or those named in `statistics`).
    Statistics,
    /// One article (named in `article`).
    Article,
    /// Guidance links (all, or those named in `links`).
    Links,
    /// The recommendations.
    Recommendations,
    /// Free Markdown (in `body`).
    Markdown,
    /// The learning objectives (`objectives` in pack.toml).
    Objectives,
    /// The discussion questions (`[[questions]]`).
    Questions,
}

impl SectionKind {
    /// Every kind, for pickers and error messages.
    pub const ALL: [SectionKind; 8] = [
        SectionKind::Summary,
        SectionKind::Statistics,
        SectionKind::Article,
        SectionKind::Links,
        SectionKind::Recommendations,
        SectionKind::Markdown,
        SectionKind::Objectives,
        SectionKind::Questions,
    ];
}

/// One entry in the pack's ordered list of sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// What the section shows.
    pub kind: SectionKind,
    /// Heading; templates supply one when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// For `kind = "article"`: the article id (`articles/<id>.md`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub article: Option<String>,
    /// For `kind = "statistics"`: which statistics, by id; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statistics: Vec<String>,
    /// For `kind = "links"`: which links, by id; empty means all.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
    /// For `kind = "markdown"`: the text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// A marking stricter than the pack's, if the section carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub marking: Option<Marking>,
    /// Show this section only in this edition of the template (e.g. `facilitator`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edition: Option<String>,
}

impl Section {
    /// A section of `kind` with nothing else set: the template gives its heading
    /// and, for lists, it shows everything.
    pub fn new(kind: SectionKind) -> Self {
        Section { kind, title: None, article: None, statistics: Vec::new(), links: Vec::new(), body: None, marking: None, edition: None }
    }
}

/// A discussion question, with what only the facilitator sees.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Question {
    /// The question, in Markdown.
    pub text: String,
    /// Points a good answer covers (facilitator edition only), in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<String>,
    /// Minutes to allow (facilitator edition only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minutes: Option<u32>,
}

/// Someone a pack is issued to: in the pack's `[[recipients]]` or in a library
/// distribution list. The name is printed on every page of their copy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// The person's name, as printed on their copy ("Jane Smith").
    pub name: String,
    /// Their role ("Chair of the risk committee").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Their organisation, when it is not the pack's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<String>,
    /// Their email address, for the distribution log.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

impl Recipient {
    /// What tells one person from another on a list: the name and the
    /// organisation, ignoring case and spacing (two people may share a name,
    /// not a name and an organisation).
    pub(crate) fn identity(&self) -> (String, String) {
        let folded = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
        (folded(&self.name), folded(self.organisation.as_deref().unwrap_or_default()))
    }
}

/// An action the pack recommends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct Recommendation {
    /// The recommendation, in Markdown.
    pub text: String,
    /// Who should act.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// By when.
    #[serde(default, with = "date::optional", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub due: Option<NaiveDate>,
}

/// An article: front matter plus Markdown body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
pub struct Article {
    /// The front matter between the `+++` lines.
    pub meta: ArticleMeta,
    /// The Markdown after the front matter.
    pub body: String,
}

/// An article's front matter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS), ts(export))]
#[serde(deny_unknown_fields)]
pub struct ArticleMeta {
    /// Headline.
    pub title: String,
    /// The publication ("Professional Security Magazine").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// By-line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// When the publication published it.
    #[serde(default, with = "date::optional", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub published: Option<NaiveDate>,
    /// Where it was published (https).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// When it was saved.
    #[serde(default, with = "date::optional", skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub retrieved: Option<NaiveDate>,
    /// Why this matters to the readers, in Markdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_it_matters: Option<String>,
    /// The points to take away.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_points: Vec<String>,
    /// A marking stricter than the pack's, if the article carries one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub marking: Option<Marking>,
    /// The article's language when it is not the pack's (BCP 47, such as `cy`):
    /// a screen reader switches pronunciation for it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_parse_strictly() {
        assert_eq!("B2".parse::<AdmiraltyGrade>().unwrap().to_string(), "B2");
        assert!("G2".parse::<AdmiraltyGrade>().is_err());
        assert!("B7".parse::<AdmiraltyGrade>().is_err());
    }
}
