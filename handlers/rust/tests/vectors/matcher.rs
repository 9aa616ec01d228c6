//! The conformance matcher of the book (one per language, this is Rust's):
//! objects match when every expected key matches (extra actual keys are
//! fine), arrays element-wise with equal length, numbers within 1e-9,
//! everything else by equality, `{"$match": "<regex>"}` by regex search, and
//! the relative forms `{"$timestamp": …}` and `{"$date": …}`, which tie a time
//! to the run's clock or to another field of the same result.

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use regex::bytes::RegexBuilder;
use serde_json::{Map, Value};

/// One difference, located by a JSONPath-like path.
pub struct Mismatch {
    pub path: String,
    pub problem: String,
}

/// The run's clock: the handler ran somewhere between `start` and `end`.
#[derive(Debug, Clone, Copy)]
pub struct RunClock {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// What relative expectations refer to: the clock and the result's top level.
#[derive(Debug, Clone, Copy, Default)]
pub struct Scope<'a> {
    pub clock: Option<RunClock>,
    pub root: Option<&'a Value>,
}

/// Every way `actual` fails to match `expected`, starting at `path`.
pub fn mismatches(
    expected: &Value,
    actual: Option<&Value>,
    path: &str,
    scope: Scope<'_>,
) -> Vec<Mismatch> {
    let mut found = Vec::new();
    compare(expected, actual, path, scope, &mut found);
    found
}

/// The single key of a `{"$form": …}` object, if it is one of the forms.
fn form(expected: &Value) -> Option<(&str, &Value)> {
    let fields = expected.as_object().filter(|fields| fields.len() == 1)?;
    let (key, value) = fields.iter().next()?;
    ["$match", "$timestamp", "$date"]
        .contains(&key.as_str())
        .then_some((key.as_str(), value))
}

fn compare(
    expected: &Value,
    actual: Option<&Value>,
    path: &str,
    scope: Scope<'_>,
    out: &mut Vec<Mismatch>,
) {
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
    if let Some((name, spec)) = form(expected) {
        let problem = match name {
            "$match" => match_regex(spec, actual),
            "$timestamp" => match_timestamp(spec, actual, scope),
            _ => match_date(spec, actual, scope),
        };
        if let Err(problem) = problem {
            fail(problem);
        }
        return;
    }
    match expected {
        Value::Object(fields) => match actual.as_object() {
            Some(actual_fields) => {
                for (key, value) in fields {
                    let child = format!("{path}.{key}");
                    compare(value, actual_fields.get(key), &child, scope, out);
                }
            }
            None => fail(format!("expected an object, got {}", brief(actual))),
        },
        Value::Array(items) => match actual.as_array() {
            Some(actual_items) if actual_items.len() == items.len() => {
                for (index, (item, actual_item)) in items.iter().zip(actual_items).enumerate() {
                    let child = format!("{path}[{index}]");
                    compare(item, Some(actual_item), &child, scope, out);
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

/// A vector's regex, ASCII as in every other language of the book (the
/// regex crate's `\d` would otherwise take any Unicode digit).
fn vector_regex(pattern: &str) -> Result<regex::bytes::Regex, String> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .build()
        .map_err(|e| format!("bad regex {pattern:?} in the vector: {e}"))
}

fn match_regex(pattern: &Value, actual: &Value) -> Result<(), String> {
    let pattern = pattern.as_str().unwrap_or("");
    let regex = vector_regex(pattern)?;
    match actual.as_str() {
        Some(text) if regex.is_match(text.as_bytes()) => Ok(()),
        _ => Err(format!("{} does not match /{pattern}/", brief(actual))),
    }
}

/// A timestamp in the book's format (UTC, `Z`, 0 to 6 fractional digits).
pub fn parse_timestamp(value: Option<&Value>) -> Option<DateTime<Utc>> {
    const FORMAT: &str =
        r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?Z\z";
    let text = value?.as_str()?;
    if !vector_regex(FORMAT).ok()?.is_match(text.as_bytes()) {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|moment| moment.with_timezone(&Utc))
}

/// The keys of a relative form, checked: unknown or missing keys and
/// non-numbers are the vector's mistake, not the handler's.
fn check_spec<'v>(
    spec: &'v Value,
    allowed: &[&str],
    required: &[&str],
) -> Result<&'v Map<String, Value>, String> {
    let fields = spec.as_object().ok_or("must be an object")?;
    let unknown: Vec<&String> = fields
        .keys()
        .filter(|key| !allowed.contains(&key.as_str()))
        .collect();
    if !unknown.is_empty() {
        return Err(format!("unknown keys {unknown:?}"));
    }
    let missing: Vec<&&str> = required
        .iter()
        .filter(|key| !fields.contains_key(**key))
        .collect();
    if !missing.is_empty() {
        return Err(format!("missing keys {missing:?}"));
    }
    for key in ["offset_days", "tolerance_seconds"] {
        if fields.get(key).is_some_and(|value| !value.is_number()) {
            return Err(format!("{key} must be a number"));
        }
    }
    if fields
        .get("tolerance_seconds")
        .and_then(Value::as_f64)
        .is_some_and(|seconds| seconds < 0.0)
    {
        return Err("tolerance_seconds must not be negative".to_string());
    }
    match fields.get("from").and_then(Value::as_str) {
        Some(from) if !from.is_empty() => Ok(fields),
        _ => Err("from must be \"now\" or a field name".to_string()),
    }
}

/// The instants an expectation is relative to.
fn anchors(from: &str, scope: Scope<'_>) -> Result<Vec<DateTime<Utc>>, String> {
    if from == "now" {
        let clock = scope
            .clock
            .ok_or("relative to now, but the runner gave no clock")?;
        return Ok(vec![clock.start, clock.end]);
    }
    let field = scope
        .root
        .and_then(|root| from.split('.').try_fold(root, |node, key| node.get(key)));
    parse_timestamp(field)
        .map(|moment| vec![moment])
        .ok_or_else(|| {
            format!(
                "relative to field {from:?}, which is not a timestamp: {}",
                field.map_or_else(|| "nothing".to_string(), brief)
            )
        })
}

/// `days` (possibly fractional) as a duration.
fn days(fields: &Map<String, Value>, key: &str) -> Duration {
    let days = fields.get(key).and_then(Value::as_f64).unwrap_or(0.0);
    Duration::milliseconds((days * 86_400_000.0).round() as i64)
}

fn describe_anchor(fields: &Map<String, Value>) -> String {
    let from = fields.get("from").and_then(Value::as_str).unwrap_or("");
    let anchor = if from == "now" {
        "the run's clock".to_string()
    } else {
        format!("field {from:?}")
    };
    let offset = fields
        .get("offset_days")
        .and_then(Value::as_f64)
        .unwrap_or(0.0);
    let shifted = if offset == 0.0 {
        anchor
    } else {
        let sign = if offset < 0.0 { '-' } else { '+' };
        format!("{anchor} {sign} {} days", offset.abs())
    };
    match fields.get("tolerance_seconds") {
        Some(tolerance) => format!("{shifted} (± {tolerance} s)"),
        None => shifted,
    }
}

fn match_timestamp(spec: &Value, actual: &Value, scope: Scope<'_>) -> Result<(), String> {
    let fields = check_spec(
        spec,
        &["from", "offset_days", "tolerance_seconds"],
        &["from", "tolerance_seconds"],
    )
    .map_err(|problem| format!("bad $timestamp in the vector: {problem}"))?;
    let moment = parse_timestamp(Some(actual)).ok_or_else(|| {
        format!(
            "expected a timestamp like 2026-01-31T09:30:00.123Z, got {}",
            brief(actual)
        )
    })?;
    let from = fields.get("from").and_then(Value::as_str).unwrap_or("");
    let found = anchors(from, scope)?;
    let offset = days(fields, "offset_days");
    let tolerance_ms = fields
        .get("tolerance_seconds")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
        * 1000.0;
    let tolerance = Duration::microseconds((tolerance_ms * 1000.0).round() as i64);
    let (Some(first), Some(last)) = (found.iter().min(), found.iter().max()) else {
        return Err("no anchor".to_string());
    };
    let (earliest, latest) = (*first + offset - tolerance, *last + offset + tolerance);
    if earliest <= moment && moment <= latest {
        return Ok(());
    }
    Err(format!(
        "expected a timestamp {}, i.e. between {} and {}, got {}",
        describe_anchor(fields),
        earliest.to_rfc3339_opts(SecondsFormat::Micros, true),
        latest.to_rfc3339_opts(SecondsFormat::Micros, true),
        brief(actual)
    ))
}

fn match_date(spec: &Value, actual: &Value, scope: Scope<'_>) -> Result<(), String> {
    let fields = check_spec(
        spec,
        &["pattern", "from", "offset_days"],
        &["pattern", "from"],
    )
    .map_err(|problem| format!("bad $date in the vector: {problem}"))?;
    let pattern = fields.get("pattern").and_then(Value::as_str).unwrap_or("");
    let regex = vector_regex(pattern)?;
    let group = actual
        .as_str()
        .and_then(|text| regex.captures(text.as_bytes()))
        .and_then(|captures| captures.get(1))
        .map(|group| String::from_utf8_lossy(group.as_bytes()).replace('-', ""));
    let Some(group) = group else {
        return Err(format!(
            "expected a string matching /{pattern}/, got {}",
            brief(actual)
        ));
    };
    let from = fields.get("from").and_then(Value::as_str).unwrap_or("");
    let offset = days(fields, "offset_days");
    let mut allowed: Vec<NaiveDate> = anchors(from, scope)?
        .into_iter()
        .map(|moment| (moment + offset).date_naive())
        .collect();
    allowed.dedup();
    let written = NaiveDate::parse_from_str(&group, "%Y%m%d").ok();
    if group.len() == 8 && written.is_some_and(|date| allowed.contains(&date)) {
        return Ok(());
    }
    let allowed: Vec<String> = allowed.iter().map(NaiveDate::to_string).collect();
    Err(format!(
        "expected the date {} ({}) in {}",
        allowed.join(" or "),
        describe_anchor(fields),
        brief(actual)
    ))
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
    let actual =
        json!({"a": 5, "b": [1, "x"], "id": "pay_0a1b", "extra": true, "digit": "\u{663}"});
    let cases = [
        (json!({"a": 5.0}), true),
        (json!({"a": 5.000_000_000_1}), true),
        (json!({"a": 5.01}), false),
        (json!({"b": [1, "x"]}), true),
        (json!({"b": [1]}), false),
        (json!({"id": {"$match": "^pay_[0-9a-f]+$"}}), true),
        (json!({"id": {"$match": "^txn_"}}), false),
        (json!({"digit": {"$match": "^\\d$"}}), false),
        (json!({"missing": null}), false),
        (json!({"a": "5"}), false),
    ];
    for (expected, should_match) in cases {
        if mismatches(&expected, Some(&actual), "$", Scope::default()).is_empty() != should_match {
            return Err(format!(
                "matcher got {expected} wrong (should match: {should_match})"
            ));
        }
    }
    relative_self_check()
}

/// The relative forms: a run that straddles midnight at a month end.
fn relative_self_check() -> Result<(), String> {
    use serde_json::json;
    let at = |text: &str| {
        parse_timestamp(Some(&json!(text))).ok_or_else(|| format!("cannot parse {text}"))
    };
    let clock = RunClock {
        start: at("2026-01-31T23:59:59.500Z")?,
        end: at("2026-02-01T00:00:00.200Z")?,
    };
    let root = json!({
        "created_at": "2026-01-31T23:59:59.900Z",
        "nested": {"at": "2026-01-01T00:00:00Z"},
    });
    let scope = Scope {
        clock: Some(clock),
        root: Some(&root),
    };
    let near = json!({"$timestamp": {"from": "now", "tolerance_seconds": 1}});
    let week = json!({"$timestamp": {"from": "now", "offset_days": 7, "tolerance_seconds": 1}});
    let plus_30 =
        json!({"$timestamp": {"from": "created_at", "offset_days": 30, "tolerance_seconds": 0}});
    let minus_1 =
        json!({"$timestamp": {"from": "nested.at", "offset_days": -1, "tolerance_seconds": 0}});
    let number =
        json!({"$date": {"pattern": "^ORD-([0-9]{8})-[0-9A-F]{8}$", "from": "created_at"}});
    let today = json!({"$date": {"pattern": "^([0-9-]{10})$", "from": "now"}});
    let cases = [
        (&near, "2026-02-01T00:00:00Z", true),
        (&near, "2026-01-31T23:59:58.600Z", true),
        (&near, "2026-01-31T23:59:58.400Z", false),
        (&near, "2026-02-01T00:00:01.300Z", false),
        (&near, "2026-02-01T00:00:00+00:00", false),
        (&near, "2026-02-01T00:00:00.000000001Z", false),
        (&near, "2026-02-31T00:00:00Z", false),
        (&week, "2026-02-08T00:00:00.100Z", true),
        (&week, "2026-03-07T00:00:00Z", false),
        (&plus_30, "2026-03-02T23:59:59.900Z", true),
        (&plus_30, "2026-02-28T23:59:59.900Z", false),
        (&minus_1, "2025-12-31T00:00:00Z", true),
        (&number, "ORD-20260131-0A1B2C3D", true),
        (&number, "ORD-20260201-0A1B2C3D", false),
        (&number, "ORD-2026013-0A1B2C3D", false),
        (&today, "2026-01-31", true),
        (&today, "2026-02-01", true),
        (&today, "2026-02-02", false),
    ];
    for (expected, actual, should_match) in cases {
        let found = mismatches(expected, Some(&json!(actual)), "$", scope);
        if found.is_empty() != should_match {
            return Err(format!(
                "matcher got {expected} against {actual:?} wrong (should match: {should_match})"
            ));
        }
    }
    let no_clock = mismatches(
        &near,
        Some(&json!("2026-02-01T00:00:00Z")),
        "$",
        Scope::default(),
    );
    if no_clock.is_empty() {
        return Err("a $timestamp from now matched without a clock".to_string());
    }
    for spec in [
        json!({"from": "now"}),
        json!({"from": "now", "tolerance_seconds": -1}),
        json!({"from": "now", "tolerance_seconds": 1, "days": 7}),
        json!({"tolerance_seconds": 1}),
    ] {
        let found = mismatches(
            &json!({"$timestamp": spec}),
            Some(&json!("2026-02-01T00:00:00Z")),
            "$",
            scope,
        );
        if !found
            .first()
            .is_some_and(|m| m.problem.contains("bad $timestamp"))
        {
            return Err(format!("the malformed $timestamp {spec} was not refused"));
        }
    }
    Ok(())
}
