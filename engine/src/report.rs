//! A settled run as the report a chapter's timeline is drawn from
//! (`{{#timeline engine/reports/<template>.json}}`): each attempt of each
//! step placed where the engine's own transitions put it, in milliseconds
//! since the engine created the task.

use std::path::Path;

use anyhow::{bail, Context, Result};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::namespaces::Language;
use crate::records::{Run, Step};
use crate::repo_root;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunReport {
    pub workflow: String,
    /// The book's namespace (the per-language suffix the stack adds is not shown).
    pub namespace: String,
    pub version: String,
    pub language: String,
    /// What ran it: "tasker-orchestration 0.1.8".
    pub engine: String,
    /// What ran the handlers, e.g. "tasker-py 0.1.8".
    pub workers: String,
    pub outcome: String,
    pub input: Value,
    pub steps: Vec<StepReport>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StepReport {
    pub name: String,
    pub dependencies: Vec<String>,
    /// The step's final state as the engine left it (complete, error, pending).
    pub outcome: String,
    pub attempts: Vec<AttemptReport>,
    pub result: Value,
}

/// One attempt, from the step's transitions: handed to the queue
/// (`enqueued`), claimed by a worker (`in_progress`), answered (the worker
/// hands the result back), and settled by orchestration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AttemptReport {
    pub queued_ms: f64,
    pub start_ms: f64,
    pub end_ms: f64,
    pub settled_ms: f64,
    pub outcome: String,
    pub error_code: Option<String>,
}

/// The version of `krate` the workspace's Cargo.lock pins.
pub fn locked_version(krate: &str) -> Result<String> {
    let path = repo_root().join("Cargo.lock");
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{krate}\"") {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(version.to_string());
            }
        }
    }
    bail!("{}: no {krate} in it", path.display())
}

/// What runs a language's handlers on the stack (engine/README.md).
pub fn workers(language: Language) -> Result<String> {
    let core = format!("tasker-worker {}", locked_version("tasker-worker")?);
    Ok(match language {
        Language::Rust => core,
        Language::Python => {
            let path = repo_root().join("handlers/python/pyproject.toml");
            let text =
                std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
            let pin = text
                .split('"')
                .find_map(|part| part.strip_prefix("tasker-py=="))
                .with_context(|| format!("{}: no tasker-py== pin", path.display()))?;
            format!("tasker-py {pin}")
        }
        Language::TypeScript => format!("{core} with a Node process (stand-in SDK)"),
        Language::Ruby => format!("{core} with a Ruby process (stand-in SDK)"),
    })
}

/// The run's report, steps in the template's order (`template_file` is its
/// file stem under handlers/templates/<language>/).
pub fn report(run: &Run, template_file: &str) -> Result<RunReport> {
    let template = template_steps(run.language, template_file)?;
    let ms =
        |at: NaiveDateTime| (at - run.created_at).num_microseconds().unwrap_or(0) as f64 / 1000.0;
    let mut steps = Vec::new();
    for (name, dependencies) in template {
        let step = run
            .steps
            .get(&name)
            .with_context(|| format!("the run of {} has no step {name}", run.name))?;
        let attempts = attempts(step)
            .into_iter()
            .enumerate()
            .map(|(n, a)| {
                let record = step.audit.get(n).map(|a| &a.record["result"]["data"]);
                let error_code = record
                    .and_then(|r| r["metadata"]["error_code"].as_str())
                    .map(str::to_string);
                let outcome = match (a.settled_as.as_str(), record) {
                    ("complete", _) => "success",
                    (_, Some(r)) if r["metadata"]["retryable"] == Value::Bool(true) => {
                        "retryable_failure"
                    }
                    ("waiting_for_retry", _) => "retryable_failure",
                    _ => "permanent_failure",
                };
                AttemptReport {
                    queued_ms: ms(a.queued),
                    start_ms: ms(a.start),
                    end_ms: ms(a.end),
                    settled_ms: ms(a.settled),
                    outcome: outcome.to_string(),
                    error_code,
                }
            })
            .collect();
        steps.push(StepReport {
            name,
            dependencies,
            outcome: step.state.clone(),
            attempts,
            result: step.stored["result"].clone(),
        });
    }
    let namespace = run
        .namespace
        .strip_suffix(&format!("_{}", run.language.suffix()))
        .unwrap_or(&run.namespace)
        .to_string();
    Ok(RunReport {
        workflow: run.name.clone(),
        namespace,
        version: run.version.clone(),
        language: run.language.name().to_string(),
        engine: format!(
            "tasker-orchestration {}",
            locked_version("tasker-orchestration")?
        ),
        workers: workers(run.language)?,
        outcome: run.status.clone(),
        input: run.input.clone(),
        steps,
    })
}

struct Span {
    queued: NaiveDateTime,
    start: NaiveDateTime,
    end: NaiveDateTime,
    settled: NaiveDateTime,
    settled_as: String,
}

/// The step's attempts, cut from its transitions: each `in_progress` is one
/// attempt; it was queued at the `enqueued` before it, answered at the next
/// transition, and settled when orchestration moved the step on from there.
fn attempts(step: &Step) -> Vec<Span> {
    let t = &step.transitions;
    let mut out = Vec::new();
    for (i, (to, start)) in t.iter().enumerate() {
        if to != "in_progress" {
            continue;
        }
        let queued = t[..i]
            .iter()
            .rev()
            .find(|(s, _)| s == "enqueued")
            .map_or(*start, |(_, at)| *at);
        let end = t.get(i + 1).map_or(*start, |(_, at)| *at);
        let (settled_as, settled) = t[i + 1..]
            .iter()
            .find(|(s, _)| matches!(s.as_str(), "complete" | "error" | "waiting_for_retry"))
            .map_or((String::new(), end), |(s, at)| (s.clone(), *at));
        out.push(Span {
            queued,
            start: *start,
            end,
            settled,
            settled_as,
        });
    }
    out
}

/// A template's steps in file order, each with its dependencies.
pub fn template_steps(
    language: Language,
    template_file: &str,
) -> Result<Vec<(String, Vec<String>)>> {
    let path = repo_root()
        .join("handlers/templates")
        .join(language.name())
        .join(format!("{template_file}.yaml"));
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    let template: serde_yaml::Value =
        serde_yaml::from_str(&text).with_context(|| path.display().to_string())?;
    let steps = template["steps"]
        .as_sequence()
        .with_context(|| format!("{}: no steps", path.display()))?;
    Ok(steps
        .iter()
        .map(|s| {
            let name = s["name"].as_str().unwrap_or_default().to_string();
            let dependencies = s["dependencies"]
                .as_sequence()
                .map(|d| {
                    d.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default();
            (name, dependencies)
        })
        .collect())
}

/// Checks a report against its template and the engine the workspace pins:
/// the template's steps in its order, every step complete in one attempt,
/// each attempt's times in order, no step claimed before every dependency
/// had settled, and the engine and workers named as they are.
pub fn check(report: &RunReport, template_file: &str) -> Result<()> {
    let language = Language::parse(&report.language)?;
    let template = template_steps(language, template_file)?;
    let names: Vec<&str> = report.steps.iter().map(|s| s.name.as_str()).collect();
    let expected: Vec<&str> = template.iter().map(|(n, _)| n.as_str()).collect();
    if names != expected {
        bail!("steps {names:?}, the template has {expected:?}: record it again");
    }
    let engine = format!(
        "tasker-orchestration {}",
        locked_version("tasker-orchestration")?
    );
    if report.engine != engine {
        bail!(
            "recorded on {}, the workspace pins {engine}: record it again",
            report.engine
        );
    }
    if report.workers != workers(language)? {
        bail!(
            "workers {:?}, expected {:?}",
            report.workers,
            workers(language)?
        );
    }
    if report.outcome != "complete" {
        bail!("the recorded run is {}, not complete", report.outcome);
    }
    for (step, (_, dependencies)) in report.steps.iter().zip(&template) {
        if &step.dependencies != dependencies {
            bail!(
                "{}: dependencies {:?}, the template has {dependencies:?}",
                step.name,
                step.dependencies
            );
        }
        let [attempt] = step.attempts.as_slice() else {
            bail!(
                "{}: {} attempts, a recorded success run has one",
                step.name,
                step.attempts.len()
            );
        };
        let times = [
            attempt.queued_ms,
            attempt.start_ms,
            attempt.end_ms,
            attempt.settled_ms,
        ];
        if step.outcome != "complete"
            || attempt.outcome != "success"
            || times.windows(2).any(|w| w[0] > w[1])
        {
            bail!(
                "{}: {step:?} is not one completed attempt in time order",
                step.name
            );
        }
        for dependency in dependencies {
            let settled = report
                .steps
                .iter()
                .find(|s| &s.name == dependency)
                .and_then(|s| s.attempts.last())
                .map_or(f64::INFINITY, |a| a.settled_ms);
            if attempt.start_ms < settled {
                bail!(
                    "{} started at {} ms, before {dependency} settled at {settled} ms",
                    step.name,
                    attempt.start_ms
                );
            }
        }
    }
    Ok(())
}

/// Reads a report file.
pub fn read(path: &Path) -> Result<RunReport> {
    let text = std::fs::read_to_string(path).with_context(|| path.display().to_string())?;
    serde_json::from_str(&text).with_context(|| format!("{}: not a run report", path.display()))
}

/// The recorded runs the chapters draw: (request file stem, template file stem).
pub const RECORDED: [(&str, &str); 5] = [
    ("post_01_ecommerce", "ecommerce_order_processing"),
    ("post_02_data_pipeline", "analytics_pipeline"),
    ("post_03_microservices", "user_registration"),
    (
        "post_04_customer_success",
        "customer_success_process_refund",
    ),
    ("post_04_payments", "payments_process_refund"),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The committed reports still match their templates and the engine the
    /// workspace pins (a changed template or an engine upgrade means
    /// recording them again: cargo make record-runs).
    #[test]
    fn committed_reports_match_templates_and_engine() {
        for (_, template) in RECORDED {
            let path = repo_root()
                .join("engine/reports")
                .join(format!("{template}.json"));
            let report = read(&path).unwrap_or_else(|e| panic!("{e:#}"));
            check(&report, template).unwrap_or_else(|e| panic!("{}: {e:#}", path.display()));
        }
    }

    fn one_step(start: f64, dependencies: &[&str]) -> StepReport {
        StepReport {
            name: String::new(),
            dependencies: dependencies.iter().map(|d| d.to_string()).collect(),
            outcome: "complete".into(),
            attempts: vec![AttemptReport {
                queued_ms: start - 1.0,
                start_ms: start,
                end_ms: start + 1.0,
                settled_ms: start + 2.0,
                outcome: "success".into(),
                error_code: None,
            }],
            result: Value::Null,
        }
    }

    #[test]
    fn a_step_claimed_before_its_dependency_settled_is_refused() {
        let path = repo_root().join("engine/reports/user_registration.json");
        let mut report = read(&path).unwrap_or_else(|e| panic!("{e:#}"));
        // send_welcome_sequence depends on both branches; move it before them.
        let welcome = report
            .steps
            .iter()
            .position(|s| s.name == "send_welcome_sequence")
            .expect("the template's step");
        let mut early = one_step(0.5, &["setup_billing_profile", "initialize_preferences"]);
        early.name = "send_welcome_sequence".into();
        report.steps[welcome] = early;
        let error = check(&report, "user_registration").expect_err("out of order");
        assert!(
            format!("{error}").contains("before setup_billing_profile settled"),
            "{error}"
        );
    }

    #[test]
    fn a_report_from_another_engine_version_is_refused() {
        let path = repo_root().join("engine/reports/analytics_pipeline.json");
        let mut report = read(&path).unwrap_or_else(|e| panic!("{e:#}"));
        report.engine = "tasker-orchestration 0.0.1".into();
        let error = check(&report, "analytics_pipeline").expect_err("old engine");
        assert!(format!("{error}").contains("record it again"), "{error}");
    }
}
