//! The run report: what happened to every step, with timings. The book's
//! timeline directive reads these files, so the shape is fixed:
//!
//! ```json
//! {"workflow", "namespace", "version", "language", "outcome": "complete"|"failed", "input",
//!  "steps": [{"name", "dependencies", "outcome": "complete"|"failed"|"not_run",
//!             "attempts": [{"start_ms", "end_ms", "outcome", "error_code", "retry_after"}],
//!             "result", "error": null|{"error_code", "message", "retryable"}}]}
//! ```
//!
//! Times are milliseconds (floats) since the run started.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::workflow::Workflow;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RunReport {
    pub workflow: String,
    pub namespace: String,
    pub version: String,
    pub language: String,
    pub outcome: RunOutcome,
    pub input: Value,
    pub steps: Vec<StepReport>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunOutcome {
    Complete,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepReport {
    pub name: String,
    pub dependencies: Vec<String>,
    pub outcome: StepOutcome,
    pub attempts: Vec<AttemptReport>,
    pub result: Option<Value>,
    pub error: Option<StepError>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepOutcome {
    Complete,
    Failed,
    NotRun,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttemptReport {
    pub start_ms: f64,
    pub end_ms: f64,
    pub outcome: AttemptOutcome,
    pub error_code: Option<String>,
    pub retry_after: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptOutcome {
    Success,
    PermanentFailure,
    RetryableFailure,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepError {
    pub error_code: Option<String>,
    pub message: String,
    pub retryable: bool,
}

impl RunReport {
    pub fn step(&self, name: &str) -> Option<&StepReport> {
        self.steps.iter().find(|step| step.name == name)
    }

    /// The result of a step, `Null` if it has none.
    pub fn result(&self, name: &str) -> &Value {
        self.step(name)
            .and_then(|step| step.result.as_ref())
            .unwrap_or(&Value::Null)
    }

    /// Names of the steps with this outcome, in template order.
    pub fn steps_with(&self, outcome: StepOutcome) -> Vec<&str> {
        self.steps
            .iter()
            .filter(|step| step.outcome == outcome)
            .map(|step| step.name.as_str())
            .collect()
    }

    pub fn to_json_pretty(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self).map(|mut text| {
            text.push('\n');
            text
        })
    }
}

impl StepReport {
    /// When the step's first attempt started and its last one ended.
    pub fn span(&self) -> Option<(f64, f64)> {
        Some((
            self.attempts.first()?.start_ms,
            self.attempts.last()?.end_ms,
        ))
    }
}

/// Every key the fixed shape has, and only those, with the right JSON types.
/// serde alone would accept a missing `null` key (an absent Option), which a
/// reader of the file (the book's timeline) must not have to guess about.
pub fn check_shape(report: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    let top = [
        "workflow",
        "namespace",
        "version",
        "language",
        "outcome",
        "input",
        "steps",
    ];
    exact_keys(report, &top, "$", &mut problems);
    for key in ["workflow", "namespace", "version", "language"] {
        expect_type(
            report.get(key),
            "string",
            &format!("$.{key}"),
            &mut problems,
        );
    }
    expect_one_of(
        report.get("outcome"),
        &["complete", "failed"],
        "$.outcome",
        &mut problems,
    );
    expect_type(report.get("input"), "object", "$.input", &mut problems);
    let steps = report.get("steps").and_then(Value::as_array);
    if steps.is_none() {
        problems.push("$.steps: not an array".to_string());
    }
    for (i, step) in steps.into_iter().flatten().enumerate() {
        let at = format!("$.steps[{i}]");
        let keys = [
            "name",
            "dependencies",
            "outcome",
            "attempts",
            "result",
            "error",
        ];
        exact_keys(step, &keys, &at, &mut problems);
        expect_type(
            step.get("name"),
            "string",
            &format!("{at}.name"),
            &mut problems,
        );
        match step.get("dependencies").and_then(Value::as_array) {
            Some(names) if names.iter().all(Value::is_string) => {}
            _ => problems.push(format!("{at}.dependencies: not an array of strings")),
        }
        expect_one_of(
            step.get("outcome"),
            &["complete", "failed", "not_run"],
            &format!("{at}.outcome"),
            &mut problems,
        );
        expect_type(
            step.get("result"),
            "object|null",
            &format!("{at}.result"),
            &mut problems,
        );
        match step.get("error") {
            Some(Value::Null) => {}
            Some(error) => {
                let path = format!("{at}.error");
                exact_keys(
                    error,
                    &["error_code", "message", "retryable"],
                    &path,
                    &mut problems,
                );
                expect_type(
                    error.get("error_code"),
                    "string|null",
                    &format!("{path}.error_code"),
                    &mut problems,
                );
                expect_type(
                    error.get("message"),
                    "string",
                    &format!("{path}.message"),
                    &mut problems,
                );
                expect_type(
                    error.get("retryable"),
                    "bool",
                    &format!("{path}.retryable"),
                    &mut problems,
                );
            }
            None => {}
        }
        let attempts = step.get("attempts").and_then(Value::as_array);
        if attempts.is_none() {
            problems.push(format!("{at}.attempts: not an array"));
        }
        for (j, attempt) in attempts.into_iter().flatten().enumerate() {
            let path = format!("{at}.attempts[{j}]");
            let keys = ["start_ms", "end_ms", "outcome", "error_code", "retry_after"];
            exact_keys(attempt, &keys, &path, &mut problems);
            expect_type(
                attempt.get("start_ms"),
                "float",
                &format!("{path}.start_ms"),
                &mut problems,
            );
            expect_type(
                attempt.get("end_ms"),
                "float",
                &format!("{path}.end_ms"),
                &mut problems,
            );
            expect_one_of(
                attempt.get("outcome"),
                &["success", "permanent_failure", "retryable_failure"],
                &format!("{path}.outcome"),
                &mut problems,
            );
            expect_type(
                attempt.get("error_code"),
                "string|null",
                &format!("{path}.error_code"),
                &mut problems,
            );
            expect_type(
                attempt.get("retry_after"),
                "number|null",
                &format!("{path}.retry_after"),
                &mut problems,
            );
        }
    }
    problems
}

/// What a report must say given the template it ran: the same steps in the
/// same order with the same dependencies, outcomes that agree with the
/// attempts, and timings that respect the graph (no step starts before its
/// dependencies ended).
pub fn check_against(report: &RunReport, workflow: &Workflow) -> Vec<String> {
    let template = &workflow.template;
    let mut problems = Vec::new();
    let same = |field: &str, actual: &str, expected: &str, problems: &mut Vec<String>| {
        if actual != expected {
            problems.push(format!("{field}: {actual:?}, template says {expected:?}"));
        }
    };
    same("workflow", &report.workflow, &template.name, &mut problems);
    same(
        "namespace",
        &report.namespace,
        &template.namespace_name,
        &mut problems,
    );
    same("version", &report.version, &template.version, &mut problems);
    let names: Vec<&str> = report.steps.iter().map(|s| s.name.as_str()).collect();
    let expected: Vec<&str> = template.steps.iter().map(|s| s.name.as_str()).collect();
    if names != expected {
        problems.push(format!("steps {names:?}, template order is {expected:?}"));
        return problems;
    }
    for (step, definition) in report.steps.iter().zip(&template.steps) {
        let at = &step.name;
        if step.dependencies != definition.dependencies {
            problems.push(format!(
                "{at}: dependencies {:?}, template says {:?}",
                step.dependencies, definition.dependencies
            ));
        }
        let last = step.attempts.last().map(|attempt| attempt.outcome);
        let consistent = match step.outcome {
            StepOutcome::Complete => {
                last == Some(AttemptOutcome::Success)
                    && step.result.is_some()
                    && step.error.is_none()
            }
            StepOutcome::Failed => {
                matches!(
                    last,
                    Some(AttemptOutcome::PermanentFailure | AttemptOutcome::RetryableFailure)
                ) && step.result.is_none()
                    && step.error.is_some()
            }
            StepOutcome::NotRun => {
                step.attempts.is_empty() && step.result.is_none() && step.error.is_none()
            }
        };
        if !consistent {
            problems.push(format!(
                "{at}: outcome {:?} disagrees with its attempts/result/error",
                step.outcome
            ));
        }
        if step.attempts.len() > definition.retry.max_attempts.max(1) as usize {
            problems.push(format!(
                "{at}: more attempts than max_attempts {}",
                definition.retry.max_attempts
            ));
        }
        let mut previous_end = 0.0_f64;
        for attempt in &step.attempts {
            if attempt.start_ms < previous_end || attempt.end_ms < attempt.start_ms {
                problems.push(format!(
                    "{at}: attempt times out of order ({} → {})",
                    attempt.start_ms, attempt.end_ms
                ));
            }
            previous_end = attempt.end_ms;
        }
        if let Some((start, _)) = step.span() {
            for dependency in &definition.dependencies {
                match report.step(dependency) {
                    Some(parent) if parent.outcome == StepOutcome::Complete => {
                        if parent.span().is_some_and(|(_, end)| start < end) {
                            problems.push(format!(
                                "{at} started before its dependency {dependency} ended"
                            ));
                        }
                    }
                    _ => problems.push(format!("{at} ran although {dependency} did not complete")),
                }
            }
        }
    }
    let failed: BTreeSet<&str> = report.steps_with(StepOutcome::Failed).into_iter().collect();
    let outcome_ok = match report.outcome {
        RunOutcome::Complete => report
            .steps
            .iter()
            .all(|s| s.outcome == StepOutcome::Complete),
        RunOutcome::Failed => !failed.is_empty(),
    };
    if !outcome_ok {
        problems.push(format!(
            "run outcome {:?} disagrees with the step outcomes",
            report.outcome
        ));
    }
    problems
}

fn exact_keys(value: &Value, keys: &[&str], at: &str, problems: &mut Vec<String>) {
    let Some(object) = value.as_object() else {
        problems.push(format!("{at}: not an object"));
        return;
    };
    for key in keys {
        if !object.contains_key(*key) {
            problems.push(format!("{at}: missing key {key:?}"));
        }
    }
    for key in object.keys() {
        if !keys.contains(&key.as_str()) {
            problems.push(format!("{at}: unexpected key {key:?}"));
        }
    }
}

fn expect_type(value: Option<&Value>, kinds: &str, at: &str, problems: &mut Vec<String>) {
    let Some(value) = value else { return };
    let matches = kinds.split('|').any(|kind| match kind {
        "string" => value.is_string(),
        "object" => value.is_object(),
        "bool" => value.is_boolean(),
        "number" => value.is_number(),
        // Times are written as floats (0.0, not 0) so readers need not care.
        "float" => value.is_f64(),
        "null" => value.is_null(),
        _ => false,
    });
    if !matches {
        problems.push(format!("{at}: expected {kinds}, got {value}"));
    }
}

fn expect_one_of(value: Option<&Value>, allowed: &[&str], at: &str, problems: &mut Vec<String>) {
    match value.and_then(Value::as_str) {
        Some(text) if allowed.contains(&text) => {}
        Some(text) => problems.push(format!("{at}: {text:?} is not one of {allowed:?}")),
        None if value.is_some() => problems.push(format!("{at}: not a string")),
        None => {}
    }
}
