//! The shared harness of the test binary and helpers to run and inspect.

use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;
use tasker_e2e::report::{check_against, check_shape};
use tasker_e2e::{
    repo_root, Harness, Language, RunOptions, RunOutcome, RunReport, StepOutcome, StepReport,
};

/// Retry waits at 1/1000 of the template's (2 s → 2 ms).
pub const BACKOFF_SCALE: f64 = 0.001;
/// Each attempt sleeps this long before its handler is called, so that
/// steps running concurrently overlap measurably (see RunOptions).
pub const DISPATCH_DELAY: Duration = Duration::from_millis(25);
/// No run of the book may take this long; a stuck run fails instead of hanging.
const RUN_LIMIT: Duration = Duration::from_secs(120);

/// One harness for the whole binary: one worker process per language,
/// shared by every test (as one worker serves many tasks).
pub fn harness() -> &'static Harness {
    static HARNESS: OnceLock<Harness> = OnceLock::new();
    HARNESS.get_or_init(|| {
        Harness::new(
            &repo_root(),
            RunOptions {
                backoff_scale: BACKOFF_SCALE,
                dispatch_delay: DISPATCH_DELAY,
                ..RunOptions::default()
            },
        )
    })
}

/// Runs `handlers/templates/<language>/<stem>.yaml` with `input` and checks
/// the report's shape and its agreement with the template before handing it
/// to the test.
pub async fn run(language: Language, stem: &str, input: Value) -> RunReport {
    let harness = harness();
    let workflow = harness
        .workflow(language, stem)
        .unwrap_or_else(|e| panic!("{language} {stem}: {e}"));
    let report = tokio::time::timeout(RUN_LIMIT, harness.run(&workflow, input))
        .await
        .unwrap_or_else(|_| panic!("{language} {stem}: no report after {RUN_LIMIT:?}"))
        .unwrap_or_else(|e| panic!("{language} {stem}: {e}"));
    let json = serde_json::to_value(&report).expect("a report serialises");
    let mut problems = check_shape(&json);
    problems.extend(check_against(&report, &workflow));
    assert!(
        problems.is_empty(),
        "{language} {stem}: report problems:\n{}",
        problems.join("\n")
    );
    report
}

pub fn step<'a>(report: &'a RunReport, name: &str) -> &'a StepReport {
    report
        .step(name)
        .unwrap_or_else(|| panic!("{} has no step {name}", report.workflow))
}

/// The run completed: every step once, successfully.
pub fn assert_complete(report: &RunReport) {
    let failed: Vec<String> = report
        .steps
        .iter()
        .filter(|s| s.outcome != StepOutcome::Complete)
        .map(|s| format!("{} {:?} {:?}", s.name, s.outcome, s.error))
        .collect();
    assert_eq!(
        report.outcome,
        RunOutcome::Complete,
        "{} ({}) did not complete: {failed:?}",
        report.workflow,
        report.language
    );
    for step in &report.steps {
        assert_eq!(step.attempts.len(), 1, "{} needed retries", step.name);
    }
}

/// The run failed at `failed_step` with `error_code`; the steps before it
/// completed and none after it ran.
pub fn assert_stopped_at(report: &RunReport, failed_step: &str, error_code: &str, retryable: bool) {
    assert_eq!(
        report.outcome,
        RunOutcome::Failed,
        "{} ({})",
        report.workflow,
        report.language
    );
    let failed = step(report, failed_step);
    assert_eq!(
        failed.outcome,
        StepOutcome::Failed,
        "{failed_step}: {failed:?}"
    );
    let error = failed.error.as_ref().expect("a failed step has an error");
    assert_eq!(
        error.error_code.as_deref(),
        Some(error_code),
        "{failed_step}: {error:?}"
    );
    assert_eq!(error.retryable, retryable, "{failed_step}: {error:?}");
    let position = report
        .steps
        .iter()
        .position(|s| s.name == failed_step)
        .expect("the step is in the report");
    for (index, other) in report.steps.iter().enumerate() {
        let expected = if index < position {
            StepOutcome::Complete
        } else if index == position {
            continue;
        } else {
            StepOutcome::NotRun
        };
        assert_eq!(
            other.outcome, expected,
            "{} ({})",
            other.name, report.language
        );
    }
}

/// Steps whose attempts all overlap one common moment: they ran at once.
pub fn assert_overlap(report: &RunReport, names: &[&str]) {
    let spans: Vec<(f64, f64)> = names
        .iter()
        .map(|name| {
            step(report, name)
                .span()
                .unwrap_or_else(|| panic!("{name} never ran"))
        })
        .collect();
    let latest_start = spans.iter().map(|s| s.0).fold(f64::MIN, f64::max);
    let earliest_end = spans.iter().map(|s| s.1).fold(f64::MAX, f64::min);
    assert!(
        latest_start < earliest_end,
        "{names:?} did not overlap in time ({}): {spans:?}",
        report.language
    );
}

/// `later` started only after every one of `earlier` had ended.
pub fn assert_after(report: &RunReport, later: &str, earlier: &[&str]) {
    let (start, _) = step(report, later)
        .span()
        .unwrap_or_else(|| panic!("{later} never ran"));
    for name in earlier {
        let (_, end) = step(report, name)
            .span()
            .unwrap_or_else(|| panic!("{name} never ran"));
        assert!(
            start >= end,
            "{later} started at {start} ms, before {name} ended at {end} ms"
        );
    }
}

/// A number in a result, within 1e-9 (the vectors' rule: 5 == 5.0).
pub fn assert_number(value: &Value, expected: f64, what: &str) {
    let actual = value
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {value} is not a number"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: {actual}, expected {expected}"
    );
}

/// The retries of a step that kept failing with a retryable `error_code`:
/// `max_attempts` attempts, and between them at least the template's
/// (scaled) wait.
pub fn assert_retried_until_exhausted(
    report: &RunReport,
    stem: &str,
    name: &str,
    error_code: &str,
    retry_after: f64,
) {
    let workflow = harness()
        .workflow(report.language.parse().expect("a known language"), stem)
        .expect("the template loads");
    let definition = &workflow.steps()[workflow.index_of(name).expect("the step exists")];
    let failed = step(report, name);
    assert_eq!(
        failed.attempts.len(),
        definition.retry.max_attempts as usize,
        "{name} ({}): {:?}",
        report.language,
        failed.attempts
    );
    for (n, pair) in failed.attempts.windows(2).enumerate() {
        let wait = tasker_e2e::retry::backoff(
            &definition.retry,
            n as u32 + 1,
            Some(retry_after),
            BACKOFF_SCALE,
        );
        let gap = pair[1].start_ms - pair[0].end_ms;
        assert!(
            gap >= wait.as_secs_f64() * 1000.0 - 1e-6,
            "{name}: retried after {gap} ms, the policy says {wait:?}"
        );
    }
    for attempt in &failed.attempts {
        assert_eq!(attempt.error_code.as_deref(), Some(error_code));
        assert_eq!(
            attempt.outcome,
            tasker_e2e::AttemptOutcome::RetryableFailure
        );
        assert_number(
            attempt.retry_after.as_ref().unwrap_or(&Value::Null),
            retry_after,
            "retry_after",
        );
    }
}
