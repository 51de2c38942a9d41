//! Guidance organisations named in an article, from a bundled, dated directory.
//!
//! The directory (`data/guidance-directory.toml` at the repository root,
//! compiled in) lists official bodies with their acronyms, other names and
//! official https address. [`propose`] finds each one the text names, by
//! acronym (whole word, exact capitals: "NCSC", "MI5") or by name (whole
//! words, any case, straight or curly apostrophes, hyphen or space:
//! "National Cyber Security Centre", "Counter-Terrorism Policing"), and
//! proposes it once, in order of first mention. Link addresses in the text
//! are not read: an organisation must be named.

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

/// One organisation in the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organisation {
    /// Short name, as printed ("NCSC").
    pub name: String,
    /// Full name ("National Cyber Security Centre").
    pub full_name: String,
    /// Acronyms, matched as whole words with exact capitals.
    #[serde(default)]
    pub acronyms: Vec<String>,
    /// Other names, matched as whole words in any case.
    #[serde(default)]
    pub aliases: Vec<String>,
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

/// Each directory organisation `text` names, once, in order of first mention.
pub fn propose(text: &str) -> Vec<OrganisationProposal> {
    let visible = without_link_targets(text);
    let folded = fold(&visible);
    let lower = folded.to_lowercase();
    let mut found: Vec<(usize, OrganisationProposal)> = Vec::new();
    for org in &directory().organisations {
        let by_acronym = org.acronyms.iter().filter_map(|a| first_word_match(&folded, &fold(a)).map(|at| (at, a.clone())));
        let by_name = org.aliases.iter().filter_map(|a| first_word_match(&lower, &fold(a).to_lowercase()).map(|at| (at, a.clone())));
        if let Some((at, matched)) = by_acronym.chain(by_name).min_by_key(|(at, _)| *at) {
            found.push((
                at,
                OrganisationProposal {
                    name: org.name.clone(),
                    full_name: org.full_name.clone(),
                    url: org.url.clone(),
                    offers: org.offers.clone(),
                    matched,
                },
            ));
        }
    }
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, p)| p).collect()
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

/// The byte offset of the first whole-word occurrence of `needle` in `haystack`.
fn first_word_match(haystack: &str, needle: &str) -> Option<usize> {
    if needle.is_empty() {
        return None;
    }
    let mut from = 0;
    while let Some(pos) = haystack[from..].find(needle) {
        let at = from + pos;
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + needle.len()..].chars().next();
        let boundary = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        // "NCSC's" names the NCSC; "ICOs" (coin offerings) does not name the ICO.
        if boundary(before) && boundary(after) {
            return Some(at);
        }
        from = at + needle.len().max(1);
        while !haystack.is_char_boundary(from) {
            from += 1;
        }
    }
    None
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
        let required = ["NCSC", "NPSA", "MI5", "NCA", "Action Fraud", "ICO", "Counter Terrorism Policing", "CISA", "FBI", "IC3", "ENISA", "Europol", "ACSC", "CCCS"];
        for name in required {
            assert!(dir.organisations.iter().any(|o| o.name == name), "{name} missing");
        }
        let mut owner = std::collections::HashMap::new();
        for org in &dir.organisations {
            let url = url::Url::parse(&org.url).unwrap();
            assert_eq!(url.scheme(), "https", "{}", org.name);
            assert!(url.path() == "/" && url.query().is_none(), "{} should point at a home page", org.name);
            let host = url.host_str().unwrap();
            assert!(
                [".gov.uk", ".police.uk", "ico.org.uk", ".gov", ".europa.eu", ".gov.au", ".gc.ca"].iter().any(|d| host.ends_with(d)),
                "{host} is not a government domain"
            );
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
