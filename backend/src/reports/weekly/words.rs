//! The pages' Chinese wording of the server's messages (alerts, funds warnings), read from the
//! pages' dictionary at build time so the report says exactly what the cockpit says.
use serde_json::Value;

use crate::message::Message;

const DICTIONARY: &str = include_str!("../../../../frontend/src/i18n/zh.ts");

/// The dictionary's text of `key` (its lines read `'key': 'text',`), or None.
#[must_use]
pub fn text(key: &str) -> Option<&'static str> {
    let start = format!("'{key}': '");
    DICTIONARY.lines().find_map(|line| {
        line.trim_start()
            .strip_prefix(start.as_str())
            .and_then(|rest| rest.strip_suffix("',"))
    })
}

/// A value in a slot: a nested message is worded too, a string stays itself.
fn slot(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Object(_) => nested(value),
        other => other.to_string(),
    }
}

fn nested(value: &Value) -> String {
    match (
        value.get("key").and_then(Value::as_str),
        value.get("values"),
    ) {
        (Some(key), Some(values)) => worded(key, values),
        _ => value.to_string(),
    }
}

fn worded(key: &str, values: &Value) -> String {
    let Some(mut out) = text(key).map(str::to_owned) else {
        return key.to_owned();
    };
    if let Value::Object(values) = values {
        for (name, value) in values {
            out = out.replace(&format!("{{{name}}}"), &slot(value));
        }
    }
    out
}

/// A message given as JSON (`{key, values}`, as a slot holds one) in Chinese.
#[must_use]
pub fn say_value(value: &Value) -> String {
    nested(value)
}

/// `message` in Chinese, its slots filled.
#[must_use]
pub fn say(message: &Message) -> String {
    worded(&message.key, &message.values)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_funds_alert_is_worded_with_its_nested_warning() {
        let message = Message {
            key: "alert.funds".into(),
            values: json!({ "project": "北站片区", "warning": { "key": "funds.warning.payment_lag",
                "values": { "households": 3, "due": 12.5 } } }),
        };
        assert_eq!(
            say(&message),
            "北站片区：3户签约超过30天未支付，应付12.5万元"
        );
        assert_eq!(text("category.region_level.city"), Some("市"));
    }
}
