//! Protective markings: TLP 2.0 labels and UK Government Security Classifications.
//!
//! Spellings and colours follow FIRST's TLP 2.0 standard and the UK Government
//! Security Classifications policy exactly, as set out in DESIGN.md. A marking
//! is parsed strictly: `tlp:amber` is an error that suggests `TLP:AMBER`, because
//! a marking that is almost right on paper is wrong.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::diagnostic::did_you_mean;

/// A protective marking carried by a pack, a section or an article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Marking {
    /// `TLP:CLEAR`: may be shared without restriction.
    TlpClear,
    /// `TLP:GREEN`: within the community.
    TlpGreen,
    /// `TLP:AMBER`: within the organisation and its clients.
    TlpAmber,
    /// `TLP:AMBER+STRICT`: within the organisation only.
    TlpAmberStrict,
    /// `TLP:RED`: named recipients only.
    TlpRed,
    /// UK `OFFICIAL`.
    Official,
    /// UK `OFFICIAL-SENSITIVE` (a handling marking within OFFICIAL).
    OfficialSensitive,
    /// UK `SECRET`.
    Secret,
    /// UK `TOP SECRET`.
    TopSecret,
}

/// The scheme a marking belongs to; markings of different schemes cannot be compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkingScheme {
    /// FIRST Traffic Light Protocol 2.0.
    Tlp,
    /// UK Government Security Classifications.
    UkClassification,
}

impl Marking {
    /// Every marking, in scheme order from least to most restrictive.
    pub const ALL: [Marking; 9] = [
        Marking::TlpClear,
        Marking::TlpGreen,
        Marking::TlpAmber,
        Marking::TlpAmberStrict,
        Marking::TlpRed,
        Marking::Official,
        Marking::OfficialSensitive,
        Marking::Secret,
        Marking::TopSecret,
    ];

    /// The exact spelling to print.
    pub fn label(self) -> &'static str {
        match self {
            Marking::TlpClear => "TLP:CLEAR",
            Marking::TlpGreen => "TLP:GREEN",
            Marking::TlpAmber => "TLP:AMBER",
            Marking::TlpAmberStrict => "TLP:AMBER+STRICT",
            Marking::TlpRed => "TLP:RED",
            Marking::Official => "OFFICIAL",
            Marking::OfficialSensitive => "OFFICIAL-SENSITIVE",
            Marking::Secret => "SECRET",
            Marking::TopSecret => "TOP SECRET",
        }
    }

    /// Which scheme the marking belongs to.
    pub fn scheme(self) -> MarkingScheme {
        match self {
            Marking::TlpClear
            | Marking::TlpGreen
            | Marking::TlpAmber
            | Marking::TlpAmberStrict
            | Marking::TlpRed => MarkingScheme::Tlp,
            _ => MarkingScheme::UkClassification,
        }
    }

    /// Rank within its scheme: higher is more restrictive.
    pub fn level(self) -> u8 {
        match self {
            Marking::TlpClear | Marking::Official => 0,
            Marking::TlpGreen | Marking::OfficialSensitive => 1,
            Marking::TlpAmber | Marking::Secret => 2,
            Marking::TlpAmberStrict | Marking::TopSecret => 3,
            Marking::TlpRed => 4,
        }
    }

    /// Whether content with this marking may appear in a document marked `banner`:
    /// same scheme and no more restrictive.
    pub fn fits_within(self, banner: Marking) -> bool {
        self.scheme() == banner.scheme() && self.level() <= banner.level()
    }

    /// For TLP labels, the FIRST text colour (RGB) to print on black; `None`
    /// for UK classifications, which are printed in plain capitals.
    pub fn tlp_colour(self) -> Option<[u8; 3]> {
        match self {
            Marking::TlpRed => Some([0xFF, 0x2B, 0x2B]),
            Marking::TlpAmber | Marking::TlpAmberStrict => Some([0xFF, 0xC0, 0x00]),
            Marking::TlpGreen => Some([0x33, 0xFF, 0x00]),
            Marking::TlpClear => Some([0xFF, 0xFF, 0xFF]),
            _ => None,
        }
    }
}

impl Marking {
    /// How a reader may share a document with this marking, in plain words (FIRST's
    /// TLP 2.0 definitions, in Briefpack's own wording); `None` for UK
    /// classifications, whose handling depends on the document (see `handling`).
    pub fn sharing_rule(self) -> Option<&'static str> {
        match self {
            Marking::TlpClear => Some("TLP:CLEAR — recipients may share this freely, with anyone, subject to copyright."),
            Marking::TlpGreen => Some(
                "TLP:GREEN — recipients may share this with peers and partner organisations in their community, \
                 but not through public channels such as websites or social media.",
            ),
            Marking::TlpAmber => Some(
                "TLP:AMBER — recipients may share this only with people in their own organisation, and its clients, \
                 who need to know it to protect themselves or prevent further harm.",
            ),
            Marking::TlpAmberStrict => Some(
                "TLP:AMBER+STRICT — recipients may share this only with people in their own organisation \
                 who need to know it; not with clients or anyone outside.",
            ),
            Marking::TlpRed => Some(
                "TLP:RED — for the named recipients only: they may not share it with anyone else, \
                 inside or outside their organisation.",
            ),
            Marking::Official | Marking::OfficialSensitive | Marking::Secret | Marking::TopSecret => None,
        }
    }

    /// Whether a document with this marking may be issued only to people named
    /// one by one (TLP:RED, TLP:AMBER+STRICT): it is never distributed to nobody
    /// in particular.
    pub fn needs_named_recipients(self) -> bool {
        matches!(self, Marking::TlpRed | Marking::TlpAmberStrict)
    }

    /// Whether distributed copies carry the recipient's name as a watermark
    /// unless the pack or its style says otherwise: the markings under which a
    /// leaked copy does the most harm.
    pub fn watermarks_by_default(self) -> bool {
        matches!(self, Marking::TlpAmberStrict | Marking::TlpRed | Marking::Secret | Marking::TopSecret)
    }
}

impl fmt::Display for Marking {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A marking that is not one of the exact spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{given}` is not a marking{}", suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_else(|| "; use a TLP 2.0 label such as `TLP:AMBER` or a UK classification such as `OFFICIAL`".into()))]
pub struct UnknownMarking {
    /// What the file said.
    pub given: String,
    /// The marking it most likely meant.
    pub suggestion: Option<&'static str>,
}

impl FromStr for Marking {
    type Err = UnknownMarking;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(m) = Marking::ALL.into_iter().find(|m| m.label() == s) {
            return Ok(m);
        }
        // Same letters in another case or spacing is the commonest slip; say so exactly.
        // TLP 2.0 renamed WHITE to CLEAR; a spelling check would suggest the opposite of what is meant.
        if s.trim().eq_ignore_ascii_case("TLP:WHITE") {
            return Err(UnknownMarking { given: s.to_string(), suggestion: Some("TLP:CLEAR") });
        }
        let squashed = |t: &str| t.to_uppercase().replace([' ', '_', '-', ':', '+'], "");
        let suggestion = Marking::ALL
            .into_iter()
            .find(|m| squashed(m.label()) == squashed(s))
            .map(Marking::label)
            .or_else(|| did_you_mean(s, Marking::ALL.iter().map(|m| m.label())));
        Err(UnknownMarking { given: s.to_string(), suggestion })
    }
}

impl Serialize for Marking {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.label())
    }
}

impl<'de> Deserialize<'de> for Marking {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_spellings_parse() {
        for m in Marking::ALL {
            assert_eq!(m.label().parse::<Marking>(), Ok(m));
        }
    }

    #[test]
    fn near_misses_suggest_the_exact_spelling() {
        let err = "tlp:amber".parse::<Marking>().unwrap_err();
        assert_eq!(err.suggestion, Some("TLP:AMBER"));
        let err = "TLP: AMBER+STRICT".parse::<Marking>().unwrap_err();
        assert_eq!(err.suggestion, Some("TLP:AMBER+STRICT"));
        let err = "Top Secret".parse::<Marking>().unwrap_err();
        assert_eq!(err.suggestion, Some("TOP SECRET"));
        let err = "TLP:WHITE".parse::<Marking>().unwrap_err();
        assert_eq!(err.suggestion, Some("TLP:CLEAR"), "TLP 2.0 renamed WHITE to CLEAR");
    }

    #[test]
    fn every_tlp_label_states_its_sharing_rule_and_uk_ones_leave_it_to_the_pack() {
        for m in Marking::ALL {
            match m.scheme() {
                MarkingScheme::Tlp => assert!(m.sharing_rule().is_some_and(|rule| rule.starts_with(m.label())), "{m}"),
                MarkingScheme::UkClassification => assert_eq!(m.sharing_rule(), None, "{m}"),
            }
        }
        assert!(Marking::TlpAmber.sharing_rule().unwrap().contains("own organisation, and its clients"));
        assert!(Marking::TlpRed.needs_named_recipients() && Marking::TlpAmberStrict.needs_named_recipients());
        assert!(!Marking::TlpAmber.needs_named_recipients());
    }

    #[test]
    fn ordering_stays_within_a_scheme() {
        assert!(Marking::TlpGreen.fits_within(Marking::TlpAmber));
        assert!(!Marking::TlpRed.fits_within(Marking::TlpGreen));
        assert!(!Marking::Official.fits_within(Marking::TlpRed));
        assert!(Marking::OfficialSensitive.fits_within(Marking::Secret));
    }
}

/// Writes the marking table (spellings, schemes, levels, TLP colours) for the UI
/// next to the ts-rs bindings, so the picker and chips never restate them; a
/// stale copy fails `make test` like any other binding.
#[cfg(all(test, feature = "ts"))]
mod export {
    use super::*;

    #[test]
    fn export_bindings_marking_table() {
        let rows: Vec<String> = Marking::ALL
            .iter()
            .map(|m| {
                let scheme = match m.scheme() {
                    MarkingScheme::Tlp => "tlp",
                    MarkingScheme::UkClassification => "uk",
                };
                let colour = m.tlp_colour().map(|[r, g, b]| format!("\"#{r:02X}{g:02X}{b:02X}\"")).unwrap_or_else(|| "null".into());
                format!("  {{ label: \"{}\", scheme: \"{scheme}\", level: {}, tlpColour: {colour} }},", m.label(), m.level())
            })
            .collect();
        let text = format!(
            "// Generated from crates/briefpack/src/pack/marking.rs by the export_bindings_marking_table test. Do not edit.\n\n\
             /** Every marking a pack can carry, least to most restrictive within each scheme. */\n\
             export const MARKING_TABLE = [\n{}\n] as const;\n",
            rows.join("\n")
        );
        let dir = std::env::var("TS_RS_EXPORT_DIR").expect("TS_RS_EXPORT_DIR is set in .cargo/config.toml");
        std::fs::write(std::path::Path::new(&dir).join("markings.ts"), text).unwrap();
    }
}
