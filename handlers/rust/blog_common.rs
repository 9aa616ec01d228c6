//! Helpers shared by every post's handlers: money, rounding, reading inputs,
//! validation patterns, generated ids, timestamps and the plain permanent
//! failure.
//!
//! They live once here so that all handlers (and all four languages of the
//! book) round, format and classify the same way.

use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::Instant;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rand::Rng;
use regex::bytes::{Regex, RegexBuilder};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;

// ---------------------------------------------------------------------------
// Money and rounding
// ---------------------------------------------------------------------------

// ANCHOR: rounding
/// The one rounding rule of the book: `numerator / denominator` rounded half
/// away from zero (2.5 → 3, −2.5 → −3), exactly, on integers. A zero
/// denominator (the average of nothing) gives 0.
///
/// Rust's `f64::round` also rounds half away from zero, but a binary float
/// rarely holds the decimal a reader sees: 150.075 is stored as
/// 150.07499999…, so `(150.075_f64 * 100.0).round()` is 15007, not 15008.
/// Money therefore stays in integer cents, and every division goes through
/// this helper.
pub fn divide_half_away(numerator: i64, denominator: i64) -> i64 {
    divide_wide(i128::from(numerator), i128::from(denominator)) as i64
}

/// `numerator / denominator` rounded half away from zero to `decimals`
/// places, as the number a result carries (3199.73 $ / 575 units, with the
/// dollars given in cents: `rounded_ratio(319_973, 57_500, 4)` = 5.5647).
pub fn rounded_ratio(numerator: i64, denominator: i64, decimals: u32) -> f64 {
    let scale = 10i128.pow(decimals);
    let scaled = divide_wide(i128::from(numerator) * scale, i128::from(denominator));
    scaled as f64 / scale as f64
}

/// Rounds a non-money ratio half away from zero to `decimals` places, on the
/// decimal the float prints as (1.005 → 1.01), not on its binary value.
pub fn round_half_away(value: f64, decimals: u32) -> f64 {
    // A float too large for the exact route has no fraction left to round.
    scaled_half_away(value, decimals)
        .map_or(value, |scaled| scaled as f64 / 10f64.powi(decimals as i32))
}

fn divide_wide(numerator: i128, denominator: i128) -> i128 {
    if denominator == 0 {
        return 0;
    }
    let (quotient, remainder) = (numerator / denominator, numerator % denominator);
    if 2 * remainder.abs() >= denominator.abs() {
        quotient + numerator.signum() * denominator.signum()
    } else {
        quotient
    }
}
// ANCHOR_END: rounding

/// `value × 10^decimals`, rounded half away from zero, as an integer; `None`
/// when that does not fit an i128.
///
/// Works on the shortest decimal text of the float (what JSON carries and a
/// reader sees), not on its binary value: 1.005 must round to 1.01 as it does
/// in the Python, Ruby and TypeScript handlers, although the nearest binary
/// float is 1.00499999…. The text is read as an exact fraction and divided
/// with the book's one rounding rule.
fn scaled_half_away(value: f64, decimals: u32) -> Option<i128> {
    // Rust prints floats without an exponent, so the text is digits[.digits].
    let text = format!("{value}");
    let (whole, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let digits = format!("{whole}{fraction}");
    let mantissa = digits.parse::<i128>().ok()?;
    let numerator = mantissa.checked_mul(10i128.checked_pow(decimals)?)?;
    Some(divide_wide(
        numerator,
        10i128.checked_pow(fraction.len() as u32)?,
    ))
}

/// Dollars, as JSON or a reader writes them, to integer cents.
pub fn to_cents(dollars: f64) -> i64 {
    scaled_half_away(dollars, 2).map_or_else(
        || (dollars * 100.0).round() as i64,
        |cents| i64::try_from(cents).unwrap_or(if cents < 0 { i64::MIN } else { i64::MAX }),
    )
}

/// Integer cents to the dollar number emitted in results.
pub fn to_dollars(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// Integer cents as reader-facing text with two decimals and no thousands
/// separator: 4999 → "49.99", 12000 → "120.00".
pub fn dollars_text(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let magnitude = cents.unsigned_abs();
    format!("{sign}{}.{:02}", magnitude / 100, magnitude % 100)
}

/// `basis_points`/100 percent of an amount in cents, rounded half away from
/// zero to a whole cent (8 % = 800, 2.9 % = 290): integer maths, so no float
/// ever decides a cent.
pub fn percent_of(cents: i64, basis_points: i64) -> i64 {
    divide_wide(i128::from(cents) * i128::from(basis_points), 10_000) as i64
}

// ---------------------------------------------------------------------------
// Reading inputs and validating text: one meaning in every language
// ---------------------------------------------------------------------------
//
// A task context is JSON, but each language's defaults read JSON differently
// (JavaScript cannot tell 2.0 from 2; serde fails a whole struct over one
// field of the wrong type), and `\s`, `\w`, `\d` and `(?i)` mean different
// characters in each regex dialect. These helpers pin the book's one reading
// (handlers/README.md); the Python, Ruby and TypeScript handlers have the same
// helpers under the same names.

/// The largest integer every language holds exactly (JavaScript's numbers
/// are doubles).
pub const MAX_SAFE_INTEGER: i64 = (1 << 53) - 1;

/// A validation pattern with the same meaning in all four languages, matched
/// against the whole string. The regex crate is Unicode-aware by default:
/// `\s` would take U+0085 and U+00A0, `\d` every script's digits, `\w`
/// accented letters and `(?i)` the Kelvin sign as a `k`. With Unicode off,
/// `\s` is exactly space, \t, \n, \v, \f, \r, `\w` is `[A-Za-z0-9_]` and
/// `\d` is `[0-9]`; a negated class such as `[^@\s]` then matches each byte
/// of a non-ASCII character, so such characters are "not whitespace" as the
/// spec says.
#[derive(Debug, Clone)]
pub struct AsciiPattern(Regex);

impl AsciiPattern {
    pub fn new(source: &str) -> Result<Self, regex::Error> {
        RegexBuilder::new(&format!(r"\A(?:{source})\z"))
            .unicode(false)
            .build()
            .map(Self)
    }

    /// True when the pattern matches `text` from its first to its last byte.
    pub fn matches_whole(&self, text: &str) -> bool {
        self.0.is_match(text.as_bytes())
    }
}

/// A text field's value when it is present: a non-empty JSON string. Absent,
/// null, "" and values of another JSON type count as missing; a string of
/// spaces is text.
pub fn present_text(value: &Value) -> Option<String> {
    value
        .as_str()
        .filter(|text| !text.is_empty())
        .map(str::to_string)
}

/// An integer field's value: a JSON number with a whole value within
/// ±(2^53 − 1). 2.0 is 2 (a JavaScript handler cannot tell them apart);
/// "2" is text and `true` is a boolean, not numbers.
pub fn whole_number(value: &Value) -> Option<i64> {
    let number = match value.as_i64() {
        Some(number) => number,
        None => {
            let float = value.as_f64()?;
            if float.fract() != 0.0 || float.abs() > MAX_SAFE_INTEGER as f64 {
                return None;
            }
            float as i64
        }
    };
    (number.unsigned_abs() <= MAX_SAFE_INTEGER.unsigned_abs()).then_some(number)
}

/// For `#[serde(deserialize_with)]` on an `Option<String>` field: the field
/// is read on its own with [`present_text`], so a value of the wrong type
/// makes this field missing instead of failing the whole struct.
pub fn deserialize_present_text<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<String>, D::Error> {
    Value::deserialize(deserializer).map(|value| present_text(&value))
}

/// For `#[serde(deserialize_with)]` on an `Option<i64>` field: the field is
/// read on its own with [`whole_number`].
pub fn deserialize_whole_number<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<i64>, D::Error> {
    Value::deserialize(deserializer).map(|value| whole_number(&value))
}

/// For `#[serde(deserialize_with)]` on any other `Option<T>` field: a value
/// that is not a `T` reads as absent instead of failing the whole struct.
pub fn deserialize_or_none<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    deserializer: D,
) -> Result<Option<T>, D::Error> {
    Value::deserialize(deserializer).map(|value| serde_json::from_value(value).ok())
}

/// RFC 3339 with `Z` or an offset, the way every language's handler reads it
/// (chrono's own parser would also take a space for the `T` and second 60).
static TIMESTAMP_FORMAT: LazyLock<AsciiPattern> = LazyLock::new(|| {
    AsciiPattern::new(
        r"\d{4}-\d{2}-\d{2}T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d{1,6})?(Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)",
    )
    .expect("TIMESTAMP_FORMAT is a valid pattern")
});

/// A timestamp with `Z` or an offset, in UTC; `None` for anything else (a
/// bare date, a time without a zone, 31 February).
pub fn parse_timestamp(text: &str) -> Option<DateTime<Utc>> {
    if !TIMESTAMP_FORMAT.matches_whole(text) {
        return None;
    }
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|moment| moment.with_timezone(&Utc))
}

// ---------------------------------------------------------------------------
// Generated identifiers
// ---------------------------------------------------------------------------

/// `prefix` followed by `length` random lowercase hex digits.
pub fn hex_id(prefix: &str, length: usize) -> String {
    let mut rng = rand::rng();
    let digits: String = (0..length)
        .map(|_| char::from_digit(rng.random_range(0..16), 16).unwrap_or('0'))
        .collect();
    format!("{prefix}{digits}")
}

/// `prefix` followed by `length` random UPPERCASE hex digits (order numbers).
pub fn upper_hex_id(prefix: &str, length: usize) -> String {
    format!("{prefix}{}", hex_id("", length).to_uppercase())
}

/// A `task_<uuid v4>` identifier.
pub fn task_id() -> String {
    format!("task_{}", uuid::Uuid::new_v4())
}

// ---------------------------------------------------------------------------
// Timestamps
// ---------------------------------------------------------------------------

/// Now, as ISO-8601 UTC with millis and a `Z` (e.g. 2026-11-26T09:30:00.123Z).
pub fn now_iso() -> String {
    days_from_now_iso(0)
}

/// Now plus `days` (negative for the past), in the same format as `now_iso`.
pub fn days_from_now_iso(days: i64) -> String {
    (Utc::now() + Duration::days(days)).to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Today's UTC date as YYYYMMDD, for human-readable numbers like order numbers.
pub fn today_compact() -> String {
    Utc::now().format("%Y%m%d").to_string()
}

// ---------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------

/// Milliseconds since `started`, in the type `StepExecutionResult` wants.
pub fn elapsed_ms(started: Instant) -> i64 {
    i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX)
}

/// A successful result for `step`, timed from `started`.
pub fn success(step: &TaskSequenceStep, started: Instant, result: Value) -> StepExecutionResult {
    StepExecutionResult::success(
        step.workflow_step.workflow_step_uuid,
        result,
        elapsed_ms(started),
        None,
    )
}

/// A permanent failure that carries no extra context: input that no retry
/// can fix. Failures with more context build their
/// `StepExecutionResult::failure` in the handler, where the book shows them.
pub fn permanent_failure(
    step: &TaskSequenceStep,
    started: Instant,
    error_code: &str,
    message: impl Into<String>,
) -> StepExecutionResult {
    StepExecutionResult::failure(
        step.workflow_step.workflow_step_uuid,
        message.into(),
        Some(error_code.to_string()),
        Some("permanent_error".to_string()),
        false,
        elapsed_ms(started),
        None,
    )
}

/// Asks the engine to wait `seconds` before the next attempt. Tasker 0.1.8
/// takes a wait only from an HTTP-style `Retry-After` header in the result's
/// orchestration metadata (capped at its `max_backoff_seconds`); a
/// `retry_after` in the error metadata is stored for people to read, and
/// without the header the engine uses its own exponential backoff.
pub fn retry_after(mut result: StepExecutionResult, seconds: u32) -> StepExecutionResult {
    result
        .orchestration_metadata
        .get_or_insert_with(Default::default)
        .headers
        .insert("Retry-After".to_string(), seconds.to_string());
    result
}

/// A retryable failure whose only context is `retry_after` (seconds): a
/// busy or locked system that should be asked again later. The failures the
/// chapters discuss build their `StepExecutionResult::failure` in the handler
/// instead.
pub fn retryable_failure(
    step: &TaskSequenceStep,
    started: Instant,
    error_code: &str,
    message: impl Into<String>,
    retry_after_seconds: u32,
) -> StepExecutionResult {
    let failure = StepExecutionResult::failure(
        step.workflow_step.workflow_step_uuid,
        message.into(),
        Some(error_code.to_string()),
        Some("retryable_error".to_string()),
        true,
        elapsed_ms(started),
        Some(HashMap::from([(
            "retry_after".to_string(),
            Value::from(retry_after_seconds),
        )])),
    );
    retry_after(failure, retry_after_seconds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_money_half_away_from_zero_on_the_decimal_text() {
        assert_eq!(to_cents(29.99), 2999);
        assert_eq!(to_cents(1.005), 101);
        assert_eq!(to_cents(-1.005), -101);
        assert_eq!(to_cents(124.76), 12476);
        assert_eq!(to_cents(7.0), 700);
        assert_eq!(to_dollars(12476), 124.76);
    }

    #[test]
    fn rounds_ratios_half_away_from_zero() {
        assert_eq!(round_half_away(5.56475, 4), 5.5648);
        assert_eq!(round_half_away(639.946, 2), 639.95);
        assert_eq!(round_half_away(-0.125, 2), -0.13);
        assert_eq!(round_half_away(2.5, 0), 3.0);
    }

    #[test]
    fn divides_exactly_half_away_from_zero() {
        assert_eq!(divide_half_away(30_015, 2), 15_008);
        assert_eq!(divide_half_away(-30_015, 2), -15_008);
        assert_eq!(divide_half_away(319_973, 5), 63_995);
        assert_eq!(divide_half_away(1_199_999, 3), 400_000);
        assert_eq!(divide_half_away(7, -2), -4);
        assert_eq!(divide_half_away(5, 0), 0);
        assert_eq!(rounded_ratio(319_973, 57_500, 4), 5.5647);
        assert_eq!(rounded_ratio(30_045, 5_500, 4), 5.4627);
        // Why money never meets f64::round: the float is just below the half.
        assert_eq!((150.075_f64 * 100.0).round(), 15_007.0);
        assert_eq!(to_cents(150.075), 15_008);
        assert_eq!(round_half_away(1e300, 2), 1e300);
        assert_eq!(round_half_away(-0.125, 2), -0.13);
        assert_eq!(to_cents(1e300), i64::MAX);
    }

    #[test]
    fn writes_dollars_for_readers() {
        assert_eq!(dollars_text(4999), "49.99");
        assert_eq!(dollars_text(12_000), "120.00");
        assert_eq!(dollars_text(5), "0.05");
        assert_eq!(dollars_text(-250), "-2.50");
    }

    #[test]
    fn takes_percentages_in_whole_cents() {
        assert_eq!(percent_of(10_997, 800), 880);
        assert_eq!(percent_of(12_476, 290), 362);
        assert_eq!(percent_of(50, 100), 1);
        assert_eq!(percent_of(-50, 100), -1);
    }

    #[test]
    fn patterns_are_ascii_and_match_the_whole_string() {
        let email = AsciiPattern::new(r"[^@\s]+@[^@\s]+").expect("valid pattern");
        assert!(email.matches_whole("jane@example.com"));
        assert!(!email.matches_whole("jane@example.com\n"));
        assert!(!email.matches_whole("jane doe@example.com"));
        // char::is_ascii_whitespace() leaves out \v; the spec's \s does not.
        assert!(!email.matches_whole("jane\u{b}doe@example.com"));
        // Not whitespace by the book's \s: U+00A0, U+0085, U+FEFF, U+001C.
        for odd in ['\u{a0}', '\u{85}', '\u{feff}', '\u{1c}'] {
            assert!(
                email.matches_whole(&format!("jane{odd}doe@example.com")),
                "{odd:?}"
            );
        }
        let digits = AsciiPattern::new(r"\d+").expect("valid pattern");
        assert!(digits.matches_whole("2026") && !digits.matches_whole("\u{663}"));
        let word = AsciiPattern::new(r"\w+").expect("valid pattern");
        assert!(!word.matches_whole("jos\u{e9}"));
        let letters = AsciiPattern::new(r"(?i)[a-z]+").expect("valid pattern");
        assert!(letters.matches_whole("Kk") && !letters.matches_whole("\u{212a}"));
    }

    #[test]
    fn reads_text_and_whole_numbers_one_way() {
        use serde_json::json;
        assert_eq!(present_text(&json!("  ")), Some("  ".to_string()));
        for missing in [json!(null), json!(""), json!(0), json!(false), json!([])] {
            assert_eq!(present_text(&missing), None, "{missing}");
        }
        assert_eq!(whole_number(&json!(2)), Some(2));
        assert_eq!(whole_number(&json!(2.0)), Some(2));
        assert_eq!(whole_number(&json!(-3)), Some(-3));
        assert_eq!(
            whole_number(&json!(MAX_SAFE_INTEGER)),
            Some(MAX_SAFE_INTEGER)
        );
        for not_whole in [
            json!(true),
            json!("2"),
            json!(2.5),
            json!(null),
            json!(MAX_SAFE_INTEGER + 1),
            json!(i64::MIN),
            json!(u64::MAX),
        ] {
            assert_eq!(whole_number(&not_whole), None, "{not_whole}");
        }
    }

    #[test]
    fn parses_timestamps_with_a_zone_and_nothing_else() {
        assert_eq!(
            parse_timestamp("2025-11-20T10:00:00Z"),
            parse_timestamp("2025-11-20T12:00:00.5+02:00").map(|t| t - Duration::milliseconds(500))
        );
        for text in [
            "2025-11-20T10:00:00",
            "2025-11-20",
            "2025-11-20 10:00:00Z",
            "2025-02-31T00:00:00Z",
            "2025-11-20T23:59:60Z",
            "2025-11-20T10:00:00Z\n",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text:?}");
        }
    }

    #[test]
    fn makes_ids_and_timestamps_in_the_book_format() {
        let id = hex_id("pay_", 24);
        assert_eq!(id.len(), 28);
        assert!(id[4..]
            .chars()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert!(upper_hex_id("", 8).chars().all(|c| !c.is_ascii_lowercase()));
        assert!(task_id().starts_with("task_"));
        let now = now_iso();
        assert!(now.ends_with('Z') && now.len() == 24, "{now}");
        assert_eq!(today_compact().len(), 8);
    }
}
