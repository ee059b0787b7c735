//! How the report writes numbers: thousands separators, rates in per cent, changes with a sign.
use serde_json::Value;

/// `1234567.891` → "1,234,567.89" (`decimals` places, trailing zeros of the fraction kept).
#[must_use]
pub fn grouped(value: f64, decimals: usize) -> String {
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = text
        .split_once('.')
        .map_or((text.as_str(), None), |(w, f)| (w, Some(f)));
    let mut out = String::new();
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    if value < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// A figure's value as the report prints it: counts grouped, rates in per cent, dates as they are.
#[must_use]
pub fn figure(value: &Value, unit: Option<&str>) -> String {
    match (value, unit) {
        (Value::Null, _) => "—".to_owned(),
        (Value::Number(n), Some("%")) => format!("{:.1}%", n.as_f64().unwrap_or(0.0) * 100.0),
        (Value::Number(n), _) if n.is_i64() => grouped(n.as_f64().unwrap_or(0.0), 0),
        (Value::Number(n), _) => grouped(n.as_f64().unwrap_or(0.0), 2),
        (Value::String(s), _) => s.clone(),
        (Value::Bool(b), _) => if *b { "是" } else { "否" }.to_owned(),
        (other, _) => other.to_string(),
    }
}

/// The week's change of a figure: "+1,234", "+2.5 个百分点", or "—" when it has none.
#[must_use]
pub fn change(now_value: &Value, before_value: &Value, unit: Option<&str>) -> String {
    let (Some(now), Some(before)) = (now_value.as_f64(), before_value.as_f64()) else {
        return "—".to_owned();
    };
    let difference = now - before;
    // a change that rounds to nothing is written without a sign, never "-0.0"
    let shown = if unit == Some("%") {
        difference * 100.0
    } else {
        difference
    };
    let difference = if shown.abs() < 0.005 || unit == Some("%") && shown.abs() < 0.05 {
        0.0
    } else {
        difference
    };
    let sign = if difference > 0.0 { "+" } else { "" };
    let counts = now_value.is_i64() && before_value.is_i64();
    match unit {
        Some("%") => format!("{sign}{:.1} 个百分点", difference * 100.0),
        _ if counts => format!("{sign}{}", grouped(difference, 0)),
        _ => format!("{sign}{}", grouped(difference, 2)),
    }
}

/// A count with separators.
#[must_use]
pub fn count(n: i64) -> String {
    grouped(n as f64, 0)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn numbers_are_grouped_and_changes_signed() {
        assert_eq!(grouped(1_234_567.891, 2), "1,234,567.89");
        assert_eq!(grouped(-1234.0, 0), "-1,234");
        assert_eq!(grouped(999.0, 0), "999");
        assert_eq!(count(12_000), "12,000");
        assert_eq!(figure(&json!(0.4567), Some("%")), "45.7%");
        assert_eq!(figure(&json!(12345), Some("户")), "12,345");
        assert_eq!(
            change(&json!(0.5), &json!(0.45), Some("%")),
            "+5.0 个百分点"
        );
        assert_eq!(change(&json!(1500), &json!(200), Some("户")), "+1,300");
        assert_eq!(change(&json!(null), &json!(200), Some("户")), "—");
        assert_eq!(
            change(&json!(0.5830), &json!(0.5834), Some("%")),
            "0.0 个百分点"
        );
    }
}
