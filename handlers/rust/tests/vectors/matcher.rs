//! The conformance matcher of the book (one per language, this is Rust's):
//! objects match when every expected key matches (extra actual keys are
//! fine), arrays element-wise with equal length, numbers within 1e-9,
//! everything else by equality, and `{"$match": "<regex>"}` by regex search.

use regex::Regex;
use serde_json::Value;

/// One difference, located by a JSONPath-like path.
pub struct Mismatch {
    pub path: String,
    pub problem: String,
}

/// Every way `actual` fails to match `expected`, starting at `path`.
pub fn mismatches(expected: &Value, actual: Option<&Value>, path: &str) -> Vec<Mismatch> {
    let mut found = Vec::new();
    compare(expected, actual, path, &mut found);
    found
}

fn compare(expected: &Value, actual: Option<&Value>, path: &str, out: &mut Vec<Mismatch>) {
    let mut fail = |problem: String| {
        out.push(Mismatch {
            path: path.to_string(),
            problem,
        })
    };
    let Some(actual) = actual else {
        fail(format!("missing; expected {}", brief(expected)));
        return;
    };
    match expected {
        Value::Object(pattern) if pattern.len() == 1 && pattern.contains_key("$match") => {
            let regex = pattern.get("$match").and_then(Value::as_str).unwrap_or("");
            match (Regex::new(regex), actual.as_str()) {
                (Err(e), _) => fail(format!("bad $match regex {regex:?} in the vector: {e}")),
                (Ok(re), Some(text)) if re.is_match(text) => {}
                _ => fail(format!("{} does not match /{regex}/", brief(actual))),
            }
        }
        Value::Object(fields) => match actual.as_object() {
            Some(actual_fields) => {
                for (key, value) in fields {
                    let child = format!("{path}.{key}");
                    compare(value, actual_fields.get(key), &child, out);
                }
            }
            None => fail(format!("expected an object, got {}", brief(actual))),
        },
        Value::Array(items) => match actual.as_array() {
            Some(actual_items) if actual_items.len() == items.len() => {
                for (index, (item, actual_item)) in items.iter().zip(actual_items).enumerate() {
                    compare(item, Some(actual_item), &format!("{path}[{index}]"), out);
                }
            }
            Some(actual_items) => fail(format!(
                "expected {} elements, got {}: {}",
                items.len(),
                actual_items.len(),
                brief(actual)
            )),
            None => fail(format!("expected an array, got {}", brief(actual))),
        },
        Value::Number(number) => match (number.as_f64(), actual.as_f64()) {
            (Some(want), Some(got)) if (want - got).abs() <= 1e-9 => {}
            _ => fail(format!("expected {number}, got {}", brief(actual))),
        },
        _ if expected == actual => {}
        _ => fail(format!(
            "expected {}, got {}",
            brief(expected),
            brief(actual)
        )),
    }
}

/// A value shortened for a one-line message.
fn brief(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() > 120 {
        format!("{}…", text.chars().take(120).collect::<String>())
    } else {
        text
    }
}

/// The matcher's own rules, run as one test case of the vector binary.
pub fn self_check() -> Result<(), String> {
    use serde_json::json;
    let actual = json!({"a": 5, "b": [1, "x"], "id": "pay_0a1b", "extra": true});
    let cases = [
        (json!({"a": 5.0}), true),
        (json!({"a": 5.000_000_000_1}), true),
        (json!({"a": 5.01}), false),
        (json!({"b": [1, "x"]}), true),
        (json!({"b": [1]}), false),
        (json!({"id": {"$match": "^pay_[0-9a-f]+$"}}), true),
        (json!({"id": {"$match": "^txn_"}}), false),
        (json!({"missing": null}), false),
        (json!({"a": "5"}), false),
    ];
    for (expected, should_match) in cases {
        if mismatches(&expected, Some(&actual), "$").is_empty() != should_match {
            return Err(format!(
                "matcher got {expected} wrong (should match: {should_match})"
            ));
        }
    }
    Ok(())
}
