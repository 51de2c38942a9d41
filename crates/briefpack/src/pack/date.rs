//! Calendar dates in pack files: TOML dates (`as_of = 2025-10-16`) or quoted
//! ISO dates (`as_of = "2025-10-16"`), held as [`chrono::NaiveDate`].
//!
//! Used through `#[serde(with = "date")]` and `#[serde(with = "date::optional")]`.
//! Dates serialize as ISO strings (what JSON and the app want); the store turns
//! the date fields back into TOML dates when it writes `pack.toml` ([`DATE_KEYS`]).

use chrono::{Datelike, NaiveDate};
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serializer};
use toml::value::{Date, Datetime};

/// The wording every date error uses, so users see one consistent fix.
pub(crate) const EXPECTED: &str = "a date like 2025-10-16";

/// Deserializes a required date.
pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_any(DateVisitor)
}

/// The keys whose values are dates, wherever they appear in pack files.
pub(crate) const DATE_KEYS: [&str; 5] = ["date", "as_of", "due", "published", "retrieved"];

/// Serializes a date as an ISO string ("2025-10-16").
pub(crate) fn serialize<S: Serializer>(date: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&date.format("%Y-%m-%d"))
}

/// A date as a TOML date value.
pub(crate) fn to_toml(date: NaiveDate) -> Datetime {
    Datetime {
        date: Some(Date { year: date.year() as u16, month: date.month() as u8, day: date.day() as u8 }),
        time: None,
        offset: None,
    }
}

/// Turns ISO date strings under [`DATE_KEYS`] back into TOML dates, recursively.
pub(crate) fn restore_toml_dates(value: &mut toml::Value) {
    match value {
        toml::Value::Table(table) => {
            for (key, v) in table.iter_mut() {
                if let toml::Value::String(s) = v {
                    if DATE_KEYS.contains(&key.as_str()) {
                        if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                            *v = toml::Value::Datetime(to_toml(d));
                        }
                    }
                } else {
                    restore_toml_dates(v);
                }
            }
        }
        toml::Value::Array(items) => items.iter_mut().for_each(restore_toml_dates),
        _ => {}
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

    /// Deserializes a date that may be absent (use with `#[serde(default)]`) or null (from JSON).
    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<NaiveDate>, D::Error> {
        struct Present(NaiveDate);
        impl<'de> Deserialize<'de> for Present {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                super::deserialize(deserializer).map(Present)
            }
        }
        Option::<Present>::deserialize(deserializer).map(|date| date.map(|p| p.0))
    }

    /// Serializes a present date; absent dates are skipped by the field attribute.
    pub(crate) fn serialize<S: Serializer>(date: &Option<NaiveDate>, serializer: S) -> Result<S::Ok, S::Error> {
        match date {
            Some(d) => super::serialize(d, serializer),
            None => serializer.serialize_none(),
        }
    }
}
