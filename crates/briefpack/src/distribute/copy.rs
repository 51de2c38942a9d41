//! What makes one copy of a distribution its own: its number, the line printed
//! on every page, its file name and its identifier. All of it follows from the
//! pack, the template, the recipient and the issue date, so issuing the same
//! copy again gives the same bytes.

use chrono::NaiveDate;
use sha2::{Digest, Sha256};

use crate::pack::Recipient;

/// One copy to issue.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct CopyPlan {
    /// Its number, from 1.
    pub(super) number: usize,
    /// How many copies the distribution has.
    pub(super) of: usize,
    /// Who receives it.
    pub(super) recipient: Recipient,
    /// The identifier its document information carries.
    pub(super) id: String,
    /// Its file name in the distribution folder.
    pub(super) file_name: String,
    /// The line printed on every page.
    pub(super) line: String,
}

/// What every copy of one distribution shares.
pub(super) struct Issue<'a> {
    /// The pack folder's name.
    pub(super) pack_folder: &'a str,
    /// The pack's title.
    pub(super) title: &'a str,
    /// The template's name.
    pub(super) template: &'a str,
    /// The edition, if the template has editions.
    pub(super) edition: Option<&'a str>,
    /// The date the copies are issued on (printed on them).
    pub(super) date: NaiveDate,
}

impl Issue<'_> {
    /// The plan for each of `recipients`, numbered in their order.
    pub(super) fn copies(&self, recipients: &[Recipient]) -> Vec<CopyPlan> {
        let of = recipients.len();
        recipients
            .iter()
            .enumerate()
            .map(|(index, recipient)| {
                let number = index + 1;
                CopyPlan {
                    number,
                    of,
                    recipient: recipient.clone(),
                    id: self.copy_id(number, of, recipient),
                    file_name: self.file_name(number, of, recipient),
                    line: stamp_line(number, of, &recipient.name, self.date),
                }
            })
            .collect()
    }

    /// `<pack>-<template>[-<edition>]-copy-03-jane-smith.pdf`: the build's own file
    /// name, then the copy number (zero-padded, so the folder lists copies in
    /// order) and whose copy it is.
    fn file_name(&self, number: usize, of: usize, recipient: &Recipient) -> String {
        let build_name = crate::render::export_file_name(self.pack_folder, self.template, self.edition);
        let stem = build_name.strip_suffix(".pdf").unwrap_or(&build_name);
        let digits = of.to_string().len().max(2);
        let who = crate::library::slug(&recipient.name, 40);
        let who = if who.is_empty() { "recipient".to_string() } else { who };
        format!("{stem}-copy-{number:0digits$}-{who}.pdf")
    }

    /// `BP-` and 16 letters and digits (80 bits of a SHA-256 of everything that
    /// tells this copy from another), in groups of four: short enough to read out
    /// over the phone, and the same whenever the same copy is issued again.
    fn copy_id(&self, number: usize, of: usize, recipient: &Recipient) -> String {
        let mut hash = Sha256::new();
        let parts = [
            "briefpack copy 1",
            self.pack_folder,
            self.title,
            self.template,
            self.edition.unwrap_or(""),
            &self.date.to_string(),
            &number.to_string(),
            &of.to_string(),
            &recipient.name,
            recipient.organisation.as_deref().unwrap_or(""),
            recipient.email.as_deref().unwrap_or(""),
        ];
        for part in parts {
            // Lengths first, so ("ab", "c") and ("a", "bc") never hash alike.
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part.as_bytes());
        }
        let digest = hash.finalize();
        let letters = crockford_base32(&digest[..10]);
        let groups: Vec<&str> = (0..4).map(|g| &letters[g * 4..g * 4 + 4]).collect();
        format!("BP-{}", groups.join("-"))
    }
}

/// "Copy 3 of 12 · Issued to Jane Smith · 20 Oct 2025".
pub(super) fn stamp_line(number: usize, of: usize, name: &str, date: NaiveDate) -> String {
    format!("Copy {number} of {of} · Issued to {} · {}", name.trim(), date.format("%-d %b %Y"))
}

/// Crockford's base 32 (no I, L, O or U, so nothing reads as another character).
fn crockford_base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = String::new();
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

/// The SHA-256 of `bytes`, in lower-case hex as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    Sha256::digest(bytes).iter().fold(String::with_capacity(64), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(name: &str) -> Recipient {
        Recipient { name: name.into(), role: None, organisation: None, email: None }
    }

    fn issue() -> Issue<'static> {
        Issue {
            pack_folder: "q4-board",
            title: "Q4",
            template: "board-briefing",
            edition: None,
            date: NaiveDate::from_ymd_opt(2025, 10, 20).unwrap(),
        }
    }

    #[test]
    fn copies_are_numbered_named_and_sort_in_order() {
        let people: Vec<Recipient> = (1..=12).map(|n| person(&format!("Director {n}"))).collect();
        let copies = issue().copies(&people);
        assert_eq!(copies[2].line, "Copy 3 of 12 · Issued to Director 3 · 20 Oct 2025");
        assert_eq!(copies[2].file_name, "q4-board-board-briefing-copy-03-director-3.pdf");
        let mut names: Vec<&str> = copies.iter().map(|c| c.file_name.as_str()).collect();
        names.sort();
        assert_eq!(names, copies.iter().map(|c| c.file_name.as_str()).collect::<Vec<_>>(), "file names sort by copy number");
    }

    #[test]
    fn identifiers_are_stable_and_differ_between_copies() {
        let people = [person("Jane Smith"), person("Ravi Patel")];
        let first = issue().copies(&people);
        let again = issue().copies(&people);
        assert_eq!(first, again);
        assert_ne!(first[0].id, first[1].id);
        assert!(first[0].id.starts_with("BP-") && first[0].id.len() == 22, "{}", first[0].id);
        let later = Issue { date: NaiveDate::from_ymd_opt(2025, 11, 1).unwrap(), ..issue() }.copies(&people);
        assert_ne!(first[0].id, later[0].id, "another issue date is another copy");
    }

    #[test]
    fn names_without_letters_still_give_a_file_name() {
        let copies = issue().copies(&[person("—"), person("José Müller")]);
        assert_eq!(copies[0].file_name, "q4-board-board-briefing-copy-01-recipient.pdf");
        assert_eq!(copies[1].file_name, "q4-board-board-briefing-copy-02-josé-müller.pdf");
    }

    #[test]
    fn hashes_read_like_sha256sum() {
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
