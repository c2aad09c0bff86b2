//! Numbers and dates the way Vietnamese documents write them.

use chrono::Datelike;
use grassroots_domain::date::Date;
use grassroots_domain::figures::FigureValue;

/// `2954` → `2.954`; `-1200` → `-1.200`.
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A figure's value: counts with thousands separators, ratios as percentages with a decimal
/// comma, money with "đ".
pub fn value(v: FigureValue) -> String {
    match v {
        FigureValue::Count(n) => thousands(n),
        FigureValue::Vnd(n) => format!("{} đ", thousands(n)),
        FigureValue::Ratio(r) => format!("{:.1}%", r * 100.0).replace('.', ","),
    }
}

/// The value, previous value and change cells of a table row; a dash where a rate has
/// nothing to divide by, nothing where the period has no previous value.
pub fn cells(shown: crate::Shown, had_previous: bool) -> [String; 3] {
    let dash = || "–".to_owned();
    [
        shown.value.map(value).unwrap_or_else(dash),
        match shown.previous {
            Some(p) => value(p),
            None if had_previous => dash(),
            None => String::new(),
        },
        shown.change.map(change).unwrap_or_default(),
    ]
}

/// A change with its sign: `+12`, `-3`, `±0`.
pub fn change(v: FigureValue) -> String {
    let sign = if v.as_f64() > 0.0 {
        "+"
    } else if v.as_f64() == 0.0 {
        "±"
    } else {
        ""
    };
    format!("{sign}{}", value(v))
}

/// `dd/mm/yyyy`.
pub fn date(d: Date) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The place-and-date line of an administrative document: "La Gi, ngày 23 tháng 11 năm 2026".
pub fn place_and_date(place: &str, d: Date) -> String {
    format!(
        "{place}, ngày {:02} tháng {:02} năm {}",
        d.day(),
        d.month(),
        d.year()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_number_forms() {
        assert_eq!(thousands(2954), "2.954");
        assert_eq!(thousands(36403), "36.403");
        assert_eq!(thousands(5_600_000), "5.600.000");
        assert_eq!(thousands(-1200), "-1.200");
        assert_eq!(thousands(7), "7");
        assert_eq!(value(FigureValue::Ratio(0.86)), "86,0%");
        assert_eq!(change(FigureValue::Count(0)), "±0");
        assert_eq!(change(FigureValue::Count(5)), "+5");
        let d: Date = "2026-11-03".parse().unwrap();
        assert_eq!(
            place_and_date("La Gi", d),
            "La Gi, ngày 03 tháng 11 năm 2026"
        );
    }
}
