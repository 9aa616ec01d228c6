//! Helpers shared by every post's handlers: money, rounding, generated ids,
//! timestamps and the plain permanent failure.
//!
//! They live once here so that all handlers (and all four languages of the
//! book) round, format and classify the same way.

use std::time::Instant;

use chrono::{Duration, SecondsFormat, Utc};
use rand::Rng;
use serde_json::Value;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;

// ---------------------------------------------------------------------------
// Money and rounding
// ---------------------------------------------------------------------------

/// `value × 10^decimals`, rounded half away from zero, as an integer.
///
/// Works on the shortest decimal text of the float (what JSON carries and a
/// reader sees), not on its binary value: 1.005 must round to 1.01 as it does
/// in the Python, Ruby and TypeScript handlers, although the nearest binary
/// float is 1.00499999….
fn scaled_half_away(value: f64, decimals: u32) -> i128 {
    let text = format!("{}", value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((text.as_str(), ""));
    let digits = |s: &str| {
        s.bytes()
            .fold(0i128, |acc, b| acc * 10 + i128::from(b.wrapping_sub(b'0')))
    };
    let kept: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(decimals as usize)
        .collect();
    let round_up = fraction
        .as_bytes()
        .get(decimals as usize)
        .is_some_and(|d| *d >= b'5');
    let magnitude = digits(whole) * 10i128.pow(decimals) + digits(&kept) + i128::from(round_up);
    if value.is_sign_negative() {
        -magnitude
    } else {
        magnitude
    }
}

/// Rounds a non-money ratio half away from zero to `decimals` places.
pub fn round_half_away(value: f64, decimals: u32) -> f64 {
    scaled_half_away(value, decimals) as f64 / 10f64.powi(decimals as i32)
}

/// Dollars, as JSON or a reader writes them, to integer cents.
pub fn to_cents(dollars: f64) -> i64 {
    scaled_half_away(dollars, 2) as i64
}

/// Integer cents to the dollar number emitted in results.
pub fn to_dollars(cents: i64) -> f64 {
    cents as f64 / 100.0
}

/// `basis_points`/100 percent of an amount in cents, rounded half away from
/// zero to a whole cent (8 % = 800, 2.9 % = 290): integer maths, so no float
/// ever decides a cent.
pub fn percent_of(cents: i64, basis_points: i64) -> i64 {
    let product = i128::from(cents) * i128::from(basis_points);
    let half = 5_000 * product.signum();
    ((product + half) / 10_000) as i64
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
/// can fix. Failures that carry `retry_after` or context build their
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
    fn takes_percentages_in_whole_cents() {
        assert_eq!(percent_of(10_997, 800), 880);
        assert_eq!(percent_of(12_476, 290), 362);
        assert_eq!(percent_of(50, 100), 1);
        assert_eq!(percent_of(-50, 100), -1);
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
