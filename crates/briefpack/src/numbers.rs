//! Numbers as people write them in a briefing: "1,727", "2.5", "19".
//!
//! Shared by the stages that print figures (statistics in the pack, chart
//! axes in the layout, proposals in the importer), so a number reads the same
//! wherever it appears.

/// Formats a number without a trailing `.0`, with thousands separators.
pub fn format_number(value: f64) -> String {
    let rounded = (value * 100.0).round() / 100.0;
    let whole = rounded.trunc().abs() as u64;
    let mut digits = whole.to_string();
    let mut grouped = String::new();
    while digits.len() > 3 {
        let tail = digits.split_off(digits.len() - 3);
        grouped = format!(",{tail}{grouped}");
    }
    let sign = if rounded < 0.0 { "-" } else { "" };
    let fraction = rounded.fract().abs();
    if fraction > 0.0 {
        let frac = format!("{fraction:.2}");
        let frac = frac.trim_start_matches('0').trim_end_matches('0');
        format!("{sign}{digits}{grouped}{frac}")
    } else {
        format!("{sign}{digits}{grouped}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_a_person_writes_them() {
        assert_eq!(format_number(19.0), "19");
        assert_eq!(format_number(1727.0), "1,727");
        assert_eq!(format_number(4_200_000.0), "4,200,000");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(-35.25), "-35.25");
    }
}
