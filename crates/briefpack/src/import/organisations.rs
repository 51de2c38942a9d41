//! Organisations named in an article, from a bundled, dated directory.
//!
//! The directory (`data/guidance-directory.toml` at the repository root,
//! compiled in) lists official bodies with their acronyms, other names and
//! official https address, each either a **guidance** source (NCSC, NPSA, the
//! FCA: a reader acts on what it publishes) or **context** (the Home Office,
//! GCHQ: named in the news, but not where a board finds advice), which is
//! proposed separately and taken only when the user asks.
//!
//! [`propose`] finds each one the text names, by acronym (whole word, exact
//! capitals: "NCSC", "MI5") or by name (whole words, any case, straight or
//! curly apostrophes, hyphen or space: "National Cyber Security Centre",
//! "Counter-Terrorism Policing"), and proposes it once, in order of first
//! mention. Where names overlap, the longer one wins ("New Zealand's
//! National Cyber Security Centre" is not also the UK's; "NCSC-NL" is not the
//! NCSC). An acronym the text itself defines as another body's ("New
//! Zealand's National Cyber Security Centre (NCSC)") means that body in the
//! rest of the text, and an acronym shared with a body the text names
//! ("BSI" beside "British Standards Institution") is not read as ours. Link
//! addresses in the text are not read: an organisation must be named.

use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::OrganisationProposal;

/// The directory file, as bundled.
pub const DIRECTORY_TOML: &str = include_str!("../../../../data/guidance-directory.toml");

/// The bundled directory of guidance organisations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Directory {
    /// When the directory as a whole was last revised.
    #[serde(deserialize_with = "crate::pack::date::deserialize")]
    pub updated: NaiveDate,
    /// The organisations.
    #[serde(rename = "organisation")]
    pub organisations: Vec<Organisation>,
}

/// Whether an organisation is somewhere readers get advice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrganisationKind {
    /// It publishes guidance a reader can act on: proposed as a guidance link.
    #[default]
    Guidance,
    /// It is named for context (a department, an intelligence agency): proposed
    /// apart, and added as a link only when the user asks for it.
    Context,
}

/// One organisation in the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Short name, as printed ("NCSC").
    pub name: String,
    /// Full name ("National Cyber Security Centre").
    pub full_name: String,
    /// Guidance (the default) or context.
    #[serde(default)]
    pub kind: OrganisationKind,
    /// Acronyms, matched as whole words with exact capitals.
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// Other names, matched as whole words in any case.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Names of other bodies that share one of the acronyms: when the text
    /// names one of them, the acronym is not read as this organisation.
    #[serde(default)]
    pub other_meanings: Vec<String>,
    /// Where it works ("UK", "US", "EU", "AU", "CA").
    pub country: String,
    /// Official address (https).
    pub url: String,
    /// What a reader finds there, one line.
    pub offers: String,
    /// When a person last checked the entry.
    #[serde(deserialize_with = "crate::pack::date::deserialize")]
    pub verified: NaiveDate,
}

static DIRECTORY: LazyLock<Directory> =
    LazyLock::new(|| toml::from_str(DIRECTORY_TOML).expect("the bundled guidance directory is valid (checked by a unit test)"));

/// The bundled directory.
pub fn directory() -> &'static Directory {
    &DIRECTORY
}

/// Mentions of one name read at most: far more than any article makes, and a
/// bound on the work for a page that repeats a name a million times.
const MAX_MENTIONS: usize = 1_000;

/// Each directory organisation `text` names, once, in order of first mention.
pub fn propose(text: &str) -> Vec<OrganisationProposal> {
    let visible = without_link_targets(text);
    let folded = fold(&visible);
    // Acronyms are matched in `folded`, names in `lower`: the same offsets in both.
    let lower = lowercase_in_place(&folded);
    let organisations = &directory().organisations;
    let mut mentions: Vec<Mention> = Vec::new();
    for (index, org) in organisations.iter().enumerate() {
        // An acronym shared with a body the text names is that body's here.
        let shared = org.other_meanings.iter().any(|m| word_matches(&lower, &fold(m).to_lowercase()).next().is_some());
        if !shared {
            for acronym in &org.acronyms {
                let needle = fold(acronym);
                mentions.extend(word_matches(&folded, &needle).take(MAX_MENTIONS).map(|at| Mention { org: index, at: at..at + needle.len(), words: acronym.clone(), by_acronym: true }));
            }
        }
        for alias in &org.aliases {
            let needle = fold(alias).to_lowercase();
            mentions.extend(word_matches(&lower, &needle).take(MAX_MENTIONS).map(|at| Mention { org: index, at: at..at + needle.len(), words: alias.clone(), by_acronym: false }));
        }
    }
    // The longer of two overlapping names is the one meant: in start order (longest
    // first at a start), a mention inside the furthest-reaching earlier one of
    // another organisation is part of that name.
    mentions.sort_by(|a, b| a.at.start.cmp(&b.at.start).then(b.at.len().cmp(&a.at.len())));
    let mut reach: Option<(usize, usize)> = None; // (end, organisation) of the furthest-reaching mention so far
    mentions.retain(|m| {
        let inside = reach.is_some_and(|(end, org)| org != m.org && m.at.end <= end);
        if reach.is_none_or(|(end, _)| m.at.end > end) {
            reach = Some((m.at.end, m.org));
        }
        !inside
    });
    // "New Zealand's National Cyber Security Centre (NCSC)": in this text NCSC is that centre.
    let redefined: Vec<(String, usize)> = mentions
        .iter()
        .filter(|m| !m.by_acronym)
        .filter_map(|m| {
            let after = folded.get(m.at.end..)?.strip_prefix(" (")?;
            let acronym = after.split(')').next()?;
            (acronym.len() <= 12).then(|| (acronym.to_string(), m.org))
        })
        .collect();
    mentions.retain(|m| !m.by_acronym || !redefined.iter().any(|(acronym, org)| fold(&m.words) == *acronym && *org != m.org));
    mentions.sort_by_key(|m| m.at.start);
    let mut out: Vec<OrganisationProposal> = Vec::new();
    for m in mentions {
        let org = &organisations[m.org];
        if out.iter().any(|p| p.name == org.name) {
            continue;
        }
        out.push(OrganisationProposal {
            name: org.name.clone(),
            full_name: org.full_name.clone(),
            url: org.url.clone(),
            offers: org.offers.clone(),
            matched: m.words,
            kind: org.kind,
        });
    }
    out
}

/// One place the text names a directory organisation.
struct Mention {
    /// Index into the directory.
    org: usize,
    /// Where, in the folded text.
    at: std::ops::Range<usize>,
    /// The acronym or name as the directory spells it.
    words: String,
    by_acronym: bool,
}

/// Curly apostrophes straightened, hyphens and runs of whitespace made single spaces.
fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        let c = match c {
            '’' | '‘' | 'ʼ' => '\'',
            '-' | '‐' | '‑' => ' ',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out
}

/// `text` in lower case, leaving any character whose lower case is longer or
/// shorter as it is ("İ"), so byte offsets in the result are offsets in `text`.
fn lowercase_in_place(text: &str) -> String {
    text.chars()
        .map(|c| {
            let mut lower = c.to_lowercase();
            match (lower.next(), lower.next()) {
                (Some(l), None) if l.len_utf8() == c.len_utf8() => l,
                _ => c,
            }
        })
        .collect()
}

/// The byte offsets of the whole-word occurrences of `needle` in `haystack`.
fn word_matches<'h>(haystack: &'h str, needle: &'h str) -> impl Iterator<Item = usize> + 'h {
    let mut from = 0;
    std::iter::from_fn(move || {
        if needle.is_empty() {
            return None;
        }
        while let Some(pos) = haystack.get(from..)?.find(needle) {
            let at = from + pos;
            from = at + needle.len().max(1);
            while !haystack.is_char_boundary(from) {
                from += 1;
            }
            let before = haystack[..at].chars().next_back();
            let after = haystack[at + needle.len()..].chars().next();
            let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
            // "NCSC's" names the NCSC; "ICOs" (coin offerings) does not name the ICO.
            if boundary(before) && boundary(after) {
                return Some(at);
            }
        }
        None
    })
}

/// Markdown link targets (`](https://…)`) and bare addresses removed, so only words a reader sees are matched.
fn without_link_targets(text: &str) -> String {
    static TARGET: LazyLock<regex::Regex> =
        LazyLock::new(|| regex::Regex::new(r"\]\([^)]*\)|<?https?://[^\s)>]+>?|www\.[^\s)]+").unwrap());
    TARGET.replace_all(text, "]").into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(text: &str) -> Vec<String> {
        propose(text).into_iter().map(|p| p.name).collect()
    }

    #[test]
    fn the_bundled_directory_is_complete_and_official() {
        let dir = directory();
        let required = [
            "NCSC", "NPSA", "MI5", "NCA", "Action Fraud", "ICO", "Counter Terrorism Policing", "CISA", "FBI", "IC3", "ENISA", "Europol", "ACSC", "CCCS",
            "GCHQ", "Home Office", "DSIT", "Cabinet Office", "NPCC", "NaCTSO", "Charity Commission", "FCA", "PRA", "MS-ISAC", "NSA", "CERT-EU", "BSI",
            "ANSSI", "NCSC-NL", "NCSC NZ", "Jisc CSIRT", "NHS CSOC",
        ];
        for name in required {
            assert!(dir.organisations.iter().any(|o| o.name == name), "{name} missing");
        }
        let mut owner = std::collections::HashMap::new();
        for org in &dir.organisations {
            let url = url::Url::parse(&org.url).unwrap();
            assert_eq!(url.scheme(), "https", "{}", org.name);
            assert!(url.query().is_none() && url.fragment().is_none(), "{} should point at a home page", org.name);
            let host = url.host_str().unwrap();
            // Official domains only: governments', regulators' and the sector bodies' own.
            let official = [
                ".gov.uk", ".police.uk", "ico.org.uk", "fca.org.uk", "bankofengland.co.uk", "jisc.ac.uk", ".nhs.uk", ".gov", "cisecurity.org",
                ".europa.eu", ".bund.de", ".gouv.fr", "ncsc.nl", ".govt.nz", ".gov.au", ".gc.ca",
            ];
            assert!(official.iter().any(|d| host.ends_with(d)), "{host} is not an official domain");
            // A home page, or a body's own page on a larger site (GOV.UK's organisation pages, MS-ISAC at CIS).
            assert!(url.path().split('/').filter(|s| !s.is_empty()).count() <= 3, "{} should point at a home page", org.name);
            assert!(org.verified <= dir.updated, "{}", org.name);
            assert!(!org.offers.is_empty() && !org.full_name.is_empty());
            for key in org.acronyms.iter().chain(&org.aliases).chain([&org.name]) {
                let previous = owner.insert(fold(key).to_lowercase(), org.name.clone());
                assert!(previous.is_none_or(|p| p == org.name), "{key} names two organisations");
            }
        }
        let names: Vec<&str> = dir.organisations.iter().map(|o| o.name.as_str()).collect();
        let unique: std::collections::HashSet<&&str> = names.iter().collect();
        assert_eq!(unique.len(), names.len(), "duplicate names in {names:?}");
    }

    #[test]
    fn named_by_acronym_or_name_in_order_of_mention() {
        let text = "He directed people to the NPSA and NCSC websites. For the full speech visit the MI5 website. \
                    The UK official NPSA (National Protective Security Authority) has released guidance.";
        assert_eq!(names(text), ["NPSA", "NCSC", "MI5"]);
        assert_eq!(names("Report it to the Information Commissioner’s Office within 72 hours."), ["ICO"]);
        assert_eq!(names("Counter-Terrorism Policing said"), ["Counter Terrorism Policing"]);
        assert_eq!(names("the national crime agency and action fraud"), ["NCA", "Action Fraud"]);
        assert_eq!(names("the FBI’s Internet Crime Complaint Center (IC3)"), ["FBI", "IC3"]);
        assert_eq!(names("ENISA and Europol; the ACSC and the CCCS; CISA."), ["ENISA", "Europol", "ACSC", "CCCS", "CISA"]);
        assert_eq!(names("formerly the CPNI"), ["NPSA"]);
    }

    #[test]
    fn the_longer_of_overlapping_names_is_meant() {
        assert_eq!(names("New Zealand’s National Cyber Security Centre said"), ["NCSC NZ"]);
        assert_eq!(names("the NCSC-NL and the UK’s National Cyber Security Centre"), ["NCSC-NL", "NCSC"]);
        assert_eq!(names("the Multi-State Information Sharing and Analysis Center (MS-ISAC) and CISA"), ["MS-ISAC", "CISA"]);
    }

    #[test]
    fn an_acronym_the_text_defines_means_what_it_says() {
        assert_eq!(names("New Zealand’s National Cyber Security Centre (NCSC) received 3,207 reports. The NCSC urges care."), ["NCSC NZ"]);
        // Without the definition, NCSC is the UK's.
        assert_eq!(names("The NCSC urges care."), ["NCSC"]);
    }

    #[test]
    fn an_acronym_shared_with_a_body_the_text_names_is_not_ours() {
        assert_eq!(names("certified by the British Standards Institution (BSI) to ISO 27001; BSI auditors"), Vec::<String>::new());
        assert_eq!(names("Germany’s BSI and France’s ANSSI"), ["BSI", "ANSSI"]);
    }

    #[test]
    fn context_organisations_are_marked_as_such() {
        let found = propose("The Home Office and the NCSC said; GCHQ agreed.");
        let kinds: Vec<(&str, OrganisationKind)> = found.iter().map(|p| (p.name.as_str(), p.kind)).collect();
        assert_eq!(kinds, [("Home Office", OrganisationKind::Context), ("NCSC", OrganisationKind::Guidance), ("GCHQ", OrganisationKind::Context)]);
        assert_eq!(names("the F.B.I. and the N.S.A."), ["FBI", "NSA"]);
    }

    #[test]
    fn a_name_repeated_without_end_is_read_a_bounded_number_of_times() {
        // Quadratic in the mentions, this would not finish; bounded, it is instant.
        let text = "the NCSC and New Zealand's National Cyber Security Centre ".repeat(50_000);
        assert_eq!(names(&text), ["NCSC", "NCSC NZ"]);
    }

    #[test]
    fn not_named_means_not_proposed() {
        assert!(names("ICOs (initial coin offerings) and the nca- prefix; ncsc in lower case; MI50; the Security Service Act").is_empty());
        assert!(names("Read the [guidance](https://www.ncsc.gov.uk/collection/phishing) at www.npsa.gov.uk").is_empty());
        assert_eq!(names("the [NCSC](https://www.ncsc.gov.uk)"), ["NCSC"]);
    }

    #[test]
    fn each_proposal_carries_the_official_address() {
        let p = &propose("the National Cyber Security Centre (NCSC)")[0];
        assert_eq!((p.name.as_str(), p.url.as_str(), p.matched.as_str()), ("NCSC", "https://www.ncsc.gov.uk", "National Cyber Security Centre"));
    }
}
