//! Calendar dates in pack files: TOML dates (`as_of = 2025-10-16`) or quoted
//! ISO dates (`as_of = "2025-10-16"`), held as [`chrono::NaiveDate`].
//!
//! Used through `#[serde(with = "date")]` and `#[serde(with = "date::optional")]`.
//! Dates are always written back as TOML dates.

use chrono::{Datelike, NaiveDate};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use toml::value::{Date, Datetime};

/// The wording every date error uses, so users see one consistent fix.
pub(crate) const EXPECTED: &str = "a date like 2025-10-16";

/// Deserializes a required date.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_any(DateVisitor)
}

/// Serializes a date as a TOML date.
pub(crate) fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    to_toml(*date).serialize(serializer)
}

fn to_toml(date: NaiveDate) -> Datetime {
    Datetime {
        date: Some(Date { year: date.year() as u16, month: date.month() as u8, day: date.day() as u8 }),
        time: None,
        offset: None,
    }
}

fn from_toml<E: de::Error>(value: Datetime) -> Result<NaiveDate, E> {
    match (value.date, value.time, value.offset) {
        (Some(d), None, None) => NaiveDate::from_ymd_opt(d.year.into(), d.month.into(), d.day.into())
            .ok_or_else(|| E::custom(format!("must be {EXPECTED}, but {value} is not a day in the calendar"))),
        _ => Err(E::custom(format!("must be {EXPECTED} without a time; found {value}"))),
    }
}

struct DateVisitor;

impl<'de> Visitor<'de> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(EXPECTED)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
            .map_err(|_| E::custom(format!("must be {EXPECTED}, not \"{text}\"")))
    }

    // TOML hands native dates over as a one-entry map; let toml's own type read it.
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<NaiveDate, A::Error> {
        let value = Datetime::deserialize(de::value::MapAccessDeserializer::new(map))?;
        from_toml(value)
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<NaiveDate, E> {
        Err(E::custom(format!("must be {EXPECTED}, not the number {n}")))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<NaiveDate, E> {
        Err(E::custom(format!("must be {EXPECTED}, not the number {n}")))
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<NaiveDate, E> {
        Err(E::custom(format!("must be {EXPECTED}, not {b}")))
    }
}

/// The same for optional dates.
pub(crate) mod optional {
    use super::*;

    /// Deserializes a date that may be absent (use with `#[serde(default)]`).
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
        super::deserialize(deserializer).map(Some)
    }

    /// Serializes a present date; absent dates are skipped by the field attribute.
    pub(crate) fn serialize<S: Serializer>(date: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => super::serialize(d, serializer),
            None => serializer.serialize_none(),
        }
    }
}
