//! Runs a post's workflow on the stack scripts/test-engine started, and
//! reads back everything the engine recorded: the task, each step's state,
//! attempts and stored result, each attempt's audit record, and each step's
//! state transitions with their timestamps.

use std::path::PathBuf;

use chrono::NaiveDateTime;
use serde_json::Value;
use tasker_book_engine::namespaces::Language;
use tasker_book_engine::repo_root;

use tasker_book_engine::records::{self, Stack};
pub use tasker_book_engine::records::{Run, Step};

/// The stack scripts/test-engine started (its stack.env is in STACK_ENV).
pub fn stack() -> Stack {
    let path = std::env::var("STACK_ENV").map(PathBuf::from).unwrap_or_else(|_| {
        panic!("STACK_ENV is not set: run the engine suite with scripts/test-engine (it starts the stack)")
    });
    Stack::from_env_file(&path).unwrap_or_else(|e| panic!("{e:#}"))
}

/// One request file of engine/requests/ (the ones scripts/stack hands readers).
pub fn request(stem: &str) -> Value {
    records::request(stem).unwrap_or_else(|e| panic!("{e:#}"))
}

/// The suite's way of reading a step: a state it never reached is a failure.
pub trait Reached {
    fn first(&self, state: &str) -> NaiveDateTime;
}

impl Reached for Step {
    fn first(&self, state: &str) -> NaiveDateTime {
        self.reached(state).unwrap_or_else(|| {
            panic!(
                "{} never reached {state}: {:?}",
                self.name, self.transitions
            )
        })
    }
}

/// The suite's way of reading a run: a step it does not have is a failure.
pub trait Steps {
    fn step(&self, name: &str) -> &Step;
    fn result(&self, name: &str) -> &Value;
}

impl Steps for Run {
    fn step(&self, name: &str) -> &Step {
        self.steps.get(name).unwrap_or_else(|| {
            panic!(
                "{} run has no step {name}: {:?}",
                self.language.name(),
                self.steps.keys()
            )
        })
    }

    fn result(&self, name: &str) -> &Value {
        &self.step(name).stored["result"]
    }
}

/// Submits `stem`'s request to `language`'s workers (its namespace gets the
/// language's suffix, its context a nonce and `edit`), waits until the task
/// settles, and reads the engine's records back.
pub async fn run(language: Language, stem: &str, edit: impl FnOnce(&mut Value)) -> Run {
    let body = records::request_for(language, stem, edit).unwrap_or_else(|e| panic!("{e:#}"));
    let namespace = body["namespace"].as_str().unwrap_or_default().to_string();
    submit_and_settle(language, namespace, body).await
}

/// Submits `body` under `namespace`, waits until the task settles, and reads
/// the engine's records back.
pub async fn submit_and_settle(language: Language, namespace: String, mut body: Value) -> Run {
    body["namespace"] = Value::String(namespace);
    records::submit_and_settle(&stack(), language, body)
        .await
        .unwrap_or_else(|e| panic!("{e:#}"))
}

// --- assertions shared by the posts --------------------------------------------

pub fn assert_complete(run: &Run) {
    assert_eq!(run.status, "complete", "{}", run.describe());
    for step in run.steps.values() {
        assert_eq!(step.state, "complete", "{}", run.describe());
        assert_eq!(
            step.attempts,
            1,
            "{} needed a retry: {}",
            step.name,
            run.describe()
        );
    }
}

/// Fan-out, from the engine's records: `steps` were all queued in one
/// enqueueing pass of the task, so none waited for another to finish.
/// Whether one of them also finishes before the last is queued is up to the
/// machine's scheduler, so that is not asserted.
pub fn assert_queued_together(run: &Run, steps: &[&str]) {
    let passes: Vec<(&str, Option<usize>)> =
        steps.iter().map(|s| (*s, run.enqueue_pass(s))).collect();
    let first = passes[0].1;
    assert!(
        first.is_some() && passes.iter().all(|(_, pass)| *pass == first),
        "not queued in one pass: {passes:?}; task transitions {:?}; {}",
        run.transitions,
        run.describe()
    );
}

/// The task stopped at `step` with `error_code` stored: the engine's final
/// states for a failed workflow, and nothing after `step` ran.
pub fn assert_stopped_at(run: &Run, step: &str, error_code: &str) {
    assert_eq!(run.status, "blocked_by_failures", "{}", run.describe());
    let failed = run.step(step);
    assert_eq!(failed.state, "error", "{}", run.describe());
    assert_eq!(
        failed.error_code(),
        Some(error_code),
        "stored error_code: {}",
        run.describe()
    );
    for other in run.steps.values() {
        if other.name != step && other.state != "complete" {
            assert!(
                other.transitions.iter().all(|(to, _)| to == "pending"),
                "{} ran after {step} failed: {}",
                other.name,
                run.describe()
            );
        }
    }
}

/// Template retry policy of one step (handlers/templates/<lang>/<file>.yaml).
pub struct RetryPolicy {
    pub max_attempts: i32,
}

pub fn retry_policy(language: Language, template_file: &str, step: &str) -> RetryPolicy {
    let path = repo_root()
        .join("handlers/templates")
        .join(language.name())
        .join(format!("{template_file}.yaml"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let template: serde_yaml::Value = serde_yaml::from_str(&text).expect("a template");
    let steps = template["steps"].as_sequence().expect("steps");
    let definition = steps
        .iter()
        .find(|s| s["name"].as_str() == Some(step))
        .unwrap_or_else(|| panic!("{template_file} has no step {step}"));
    RetryPolicy {
        max_attempts: definition["retry"]["max_attempts"].as_i64().unwrap_or(1) as i32,
    }
}

/// The engine's backoff settings, read from the configuration file the
/// stack's orchestration runs with (`common.backoff`).
pub struct EngineBackoff {
    base_seconds: f64,
    multiplier: f64,
    max_seconds: f64,
    jitter: f64,
}

pub fn engine_backoff() -> EngineBackoff {
    let path = stack()
        .dir()
        .unwrap_or_else(|e| panic!("{e:#}"))
        .join("config/orchestration.toml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let config: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let backoff = &config["common"]["backoff"];
    let number = |key: &str| {
        backoff
            .get(key)
            .and_then(|v| v.as_float().or_else(|| v.as_integer().map(|i| i as f64)))
            .unwrap_or_else(|| panic!("{}: no common.backoff.{key}", path.display()))
    };
    let jitter = if backoff.get("jitter_enabled").and_then(toml::Value::as_bool) == Some(true) {
        number("jitter_max_percentage")
    } else {
        0.0
    };
    EngineBackoff {
        base_seconds: backoff["default_backoff_seconds"][0]
            .as_integer()
            .map_or(1.0, |i| i as f64),
        multiplier: number("backoff_multiplier"),
        max_seconds: number("max_backoff_seconds"),
        jitter,
    }
}

impl EngineBackoff {
    /// The wait (whole seconds, before jitter) tasker-orchestration 0.1.8's
    /// BackoffCalculator chooses after a failure: the result's `Retry-After`
    /// header if it has one, else base × multiplier^attempts; capped.
    pub fn wait(&self, retry_after: Option<f64>, attempts: i32) -> f64 {
        let wanted = retry_after.unwrap_or(self.base_seconds * self.multiplier.powi(attempts));
        wanted.min(self.max_seconds).floor()
    }

    /// The least of that wait once jitter has taken its share off.
    pub fn least(&self, wait: f64) -> f64 {
        wait - (wait * self.jitter).floor()
    }
}

/// A retryable failure the engine retried up to the template's max_attempts:
/// one audit record per attempt, each a failure with the code stored, and
/// each retry claimed only once the engine's backoff had passed.
///
/// The wait comes from the engine, not from the template's
/// `backoff_base_ms` (tasker-orchestration 0.1.8 does not read it): a
/// `Retry-After` header in the result's orchestration metadata (what the
/// Rust handlers send), else its exponential backoff. tasker-py 0.1.8's
/// results carry no orchestration metadata, and the engine then chooses no
/// wait at all: a Python step is retried at once (engine/README.md).
pub fn assert_retried_until_exhausted(
    run: &Run,
    template_file: &str,
    step: &str,
    error_code: &str,
) {
    assert_stopped_at(run, step, error_code);
    let policy = retry_policy(run.language, template_file, step);
    let failed = run.step(step);
    assert_eq!(failed.attempts, policy.max_attempts, "{}", run.describe());
    assert_eq!(
        failed.max_attempts,
        policy.max_attempts,
        "{}",
        run.describe()
    );
    assert_eq!(
        failed.audit.len() as i32,
        policy.max_attempts,
        "one audit record per attempt: {:?}",
        failed.audit
    );
    for attempt in &failed.audit {
        assert!(!attempt.success);
        assert_eq!(
            attempt.record["result"]["data"]["metadata"]["error_code"].as_str(),
            Some(error_code),
            "attempt's stored error_code: {}",
            attempt.record
        );
    }
    let started = failed.all("in_progress");
    assert_eq!(
        started.len() as i32,
        policy.max_attempts,
        "{:?}",
        failed.transitions
    );
    for (n, pair) in failed.audit.windows(2).enumerate() {
        assert!(
            started[n + 1].and_utc() >= pair[0].recorded_at,
            "retry {} of {step} started before attempt {} had failed",
            n + 1,
            n + 1
        );
    }
    assert_engine_backoff(run, failed);
}

/// Each retry of `failed` was claimed no sooner than the engine's backoff
/// allowed after the failure before it was handed back; the step's
/// `backoff_request_seconds` is the wait chosen after its last failure.
fn assert_engine_backoff(run: &Run, failed: &Step) {
    let backoff = engine_backoff();
    let headers = |n: usize| {
        failed
            .audit
            .get(n)
            .map(|a| a.record["result"]["data"]["orchestration_metadata"].clone())
    };
    if run.language == Language::Python {
        for n in 0..failed.audit.len() {
            assert!(
                headers(n).is_some_and(|m| m.is_null()),
                "tasker-py 0.1.8 sent orchestration metadata: the engine may now apply a backoff to Python steps (update the book): {}",
                failed.audit[n].record
            );
        }
        assert_eq!(failed.backoff_request_seconds, None, "{}", run.describe());
        return;
    }
    if run.language == Language::Rust {
        // The Rust handlers ask for their retry_after as a Retry-After header
        // (blog_common::retry_after): the only way the engine hears it.
        for attempt in &failed.audit {
            let data = &attempt.record["result"]["data"];
            let asked = data["metadata"]["context"]["retry_after"].as_u64();
            let header = data["orchestration_metadata"]["headers"]["Retry-After"].as_str();
            assert_eq!(
                header.map(str::to_string),
                asked.map(|s| s.to_string()),
                "the Retry-After header of {}",
                failed.name
            );
        }
    }
    let started = failed.all("in_progress");
    for (n, claimed) in started.iter().enumerate().skip(1) {
        let answered = failed
            .transitions
            .iter()
            .filter(|(to, _)| to.starts_with("enqueued_as_error"))
            .nth(n - 1)
            .map(|(_, at)| *at)
            .unwrap_or_else(|| {
                panic!(
                    "attempt {n} of {} was never handed back: {:?}",
                    failed.name, failed.transitions
                )
            });
        let retry_after = headers(n - 1).and_then(|m| {
            m["headers"]["Retry-After"]
                .as_str()
                .and_then(|v| v.parse::<f64>().ok())
        });
        let wait = backoff.wait(retry_after, n as i32);
        let waited = (*claimed - answered).num_milliseconds() as f64 / 1000.0;
        assert!(
            waited >= backoff.least(wait),
            "{}: retry {n} of {} was claimed {waited} s after the failure; the engine's backoff is {wait} s (Retry-After {retry_after:?})",
            run.language.name(),
            failed.name
        );
    }
    // The engine also chooses a wait after the last failure, from the
    // attempts made by then, though nothing is retried any more.
    let last = failed.audit.len().saturating_sub(1);
    let retry_after = headers(last).and_then(|m| {
        m["headers"]["Retry-After"]
            .as_str()
            .and_then(|v| v.parse::<f64>().ok())
    });
    let wait = backoff.wait(retry_after, failed.attempts);
    let chosen = failed.backoff_request_seconds.map(f64::from);
    assert!(
        chosen.is_some_and(
            |c| c >= backoff.least(wait) && c <= wait + (wait * backoff.jitter).floor()
        ),
        "backoff_request_seconds {chosen:?}, expected {wait} s: {}",
        run.describe()
    );
}
