//! How long to wait before retrying a step, from the template's retry policy.
//!
//! Tasker's orchestrator computes this in production; this is the harness's
//! local reading of the same fields: a `retry_after` the handler asked for
//! wins over the computed backoff (like an HTTP Retry-After), and either is
//! capped at `max_backoff_ms`.

use std::time::Duration;

use tasker_shared::models::core::task_template::{BackoffStrategy, RetryConfiguration};

/// Tasker's defaults when a template leaves base or cap out.
const DEFAULT_BASE_MS: u64 = 1000;
const DEFAULT_MAX_MS: u64 = 30_000;

/// The attempts a step gets: `max_attempts`, or one when retries are off.
pub fn attempts_allowed(retry: &RetryConfiguration) -> u32 {
    if retry.retryable {
        retry.max_attempts.max(1)
    } else {
        1
    }
}

/// The wait after the `failed_attempts`-th failure (1 = after the first),
/// before `scale` (the test-only time scale) is applied.
pub fn backoff_ms(
    retry: &RetryConfiguration,
    failed_attempts: u32,
    retry_after_s: Option<f64>,
) -> f64 {
    let base = retry.backoff_base_ms.unwrap_or(DEFAULT_BASE_MS) as f64;
    let cap = retry.max_backoff_ms.unwrap_or(DEFAULT_MAX_MS) as f64;
    let n = failed_attempts.max(1);
    let computed = match retry.backoff {
        // "none": retry at once, no growing wait.
        BackoffStrategy::None => 0.0,
        BackoffStrategy::Linear => base * f64::from(n),
        BackoffStrategy::Exponential => base * 2f64.powi(n.saturating_sub(1).min(62) as i32),
        BackoffStrategy::Fibonacci => base * fibonacci(n),
    };
    let wanted = match retry_after_s {
        Some(seconds) if seconds.is_finite() && seconds >= 0.0 => seconds * 1000.0,
        _ => computed,
    };
    wanted.min(cap)
}

/// The scaled wait as a Duration.
pub fn backoff(
    retry: &RetryConfiguration,
    failed_attempts: u32,
    retry_after_s: Option<f64>,
    scale: f64,
) -> Duration {
    let ms = backoff_ms(retry, failed_attempts, retry_after_s) * scale.max(0.0);
    Duration::from_secs_f64(ms / 1000.0)
}

/// 1, 1, 2, 3, 5, ... (n = 1 is the first term).
fn fibonacci(n: u32) -> f64 {
    let (mut a, mut b) = (1.0_f64, 1.0_f64);
    for _ in 1..n {
        (a, b) = (b, a + b);
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(backoff: BackoffStrategy) -> RetryConfiguration {
        RetryConfiguration {
            retryable: true,
            max_attempts: 5,
            backoff,
            backoff_base_ms: Some(100),
            max_backoff_ms: Some(1000),
        }
    }

    #[test]
    fn each_kind_grows_as_named_and_stops_at_the_cap() {
        let waits = |kind: BackoffStrategy| {
            let retry = policy(kind);
            (1..=6)
                .map(|n| backoff_ms(&retry, n, None))
                .collect::<Vec<_>>()
        };
        assert_eq!(waits(BackoffStrategy::None), [0.0; 6]);
        assert_eq!(
            waits(BackoffStrategy::Linear),
            [100.0, 200.0, 300.0, 400.0, 500.0, 600.0]
        );
        assert_eq!(
            waits(BackoffStrategy::Exponential),
            [100.0, 200.0, 400.0, 800.0, 1000.0, 1000.0]
        );
        assert_eq!(
            waits(BackoffStrategy::Fibonacci),
            [100.0, 100.0, 200.0, 300.0, 500.0, 800.0]
        );
    }

    #[test]
    fn retry_after_wins_but_is_capped() {
        let exponential = policy(BackoffStrategy::Exponential);
        assert_eq!(backoff_ms(&exponential, 1, Some(0.5)), 500.0);
        assert_eq!(backoff_ms(&exponential, 1, Some(60.0)), 1000.0);
        assert_eq!(
            backoff(&exponential, 1, Some(60.0), 0.01),
            Duration::from_millis(10)
        );
    }

    #[test]
    fn no_retries_when_the_step_is_not_retryable() {
        let mut retry = policy(BackoffStrategy::Linear);
        assert_eq!(attempts_allowed(&retry), 5);
        retry.retryable = false;
        assert_eq!(attempts_allowed(&retry), 1);
    }
}
