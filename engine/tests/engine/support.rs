//! Runs a post's workflow on the stack scripts/test-engine started, and
//! reads back everything the engine recorded: the task, each step's state,
//! attempts and stored result, each attempt's audit record, and each step's
//! state transitions with their timestamps.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;
use tasker_book_engine::namespaces::Language;
use tasker_book_engine::repo_root;
use tasker_client::{OrchestrationApiClient, OrchestrationApiConfig};
use tasker_shared::models::core::task_request::TaskRequest;
use uuid::Uuid;

/// Only a bound, so that nothing waits forever: the suite waits for the
/// task's status to settle, and this is ~10x the slowest run seen on a loaded
/// machine (the retried runs settle within ~40 s). A run still unsettled then
/// fails, showing what the engine has so far.
const SETTLE_WITHIN: Duration = Duration::from_secs(300);

/// The stack's ports, from the stack.env `scripts/stack up` wrote.
pub struct Stack {
    vars: HashMap<String, String>,
}

impl Stack {
    pub fn get() -> Stack {
        let path = std::env::var("STACK_ENV").map(PathBuf::from).unwrap_or_else(|_| {
            panic!("STACK_ENV is not set: run the engine suite with scripts/test-engine (it starts the stack)")
        });
        let text = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (is the stack up?)", path.display()));
        let vars = text
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Stack { vars }
    }

    fn var(&self, name: &str) -> &str {
        self.vars
            .get(name)
            .unwrap_or_else(|| panic!("stack.env has no {name}"))
    }

    pub fn orchestration_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.var("ORCHESTRATION_PORT"))
    }

    pub fn database_url(&self) -> String {
        format!(
            "postgresql://tasker:tasker@127.0.0.1:{}/tasker",
            self.var("PG_PORT")
        )
    }

    pub fn client(&self) -> OrchestrationApiClient {
        OrchestrationApiClient::new(OrchestrationApiConfig {
            base_url: self.orchestration_url(),
            ..OrchestrationApiConfig::default()
        })
        .expect("an API client for the stack's orchestration")
    }
}

/// One request file of engine/requests/ (the ones scripts/stack hands readers).
pub fn request(stem: &str) -> Value {
    let path = repo_root()
        .join("engine/requests")
        .join(format!("{stem}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// One attempt's result as the engine stored it (the audit trail).
#[derive(Debug, Clone)]
pub struct Attempt {
    pub success: bool,
    pub worker_uuid: String,
    pub recorded_at: DateTime<Utc>,
    pub record: Value,
}

#[derive(Debug, Clone)]
pub struct Step {
    pub name: String,
    pub state: String,
    pub attempts: i32,
    pub max_attempts: i32,
    /// The stored record: {result, success, metadata{error_code, context…}, error…}.
    pub stored: Value,
    pub audit: Vec<Attempt>,
    /// (to_state, when), oldest first.
    pub transitions: Vec<(String, NaiveDateTime)>,
}

impl Step {
    pub fn error_code(&self) -> Option<&str> {
        self.stored["metadata"]["error_code"].as_str()
    }

    /// When the step first reached `state`.
    pub fn first(&self, state: &str) -> NaiveDateTime {
        self.transitions
            .iter()
            .find(|(to, _)| to == state)
            .map(|(_, at)| *at)
            .unwrap_or_else(|| {
                panic!(
                    "{} never reached {state}: {:?}",
                    self.name, self.transitions
                )
            })
    }

    /// Every time the step reached `state`.
    pub fn all(&self, state: &str) -> Vec<NaiveDateTime> {
        self.transitions
            .iter()
            .filter(|(to, _)| to == state)
            .map(|(_, at)| *at)
            .collect()
    }
}

#[derive(Debug)]
pub struct Run {
    pub language: Language,
    pub namespace: String,
    pub task_uuid: Uuid,
    pub status: String,
    pub steps: BTreeMap<String, Step>,
}

impl Run {
    pub fn step(&self, name: &str) -> &Step {
        self.steps.get(name).unwrap_or_else(|| {
            panic!(
                "{} run has no step {name}: {:?}",
                self.language.name(),
                self.steps.keys()
            )
        })
    }

    pub fn result(&self, name: &str) -> &Value {
        &self.step(name).stored["result"]
    }

    pub fn describe(&self) -> String {
        let steps: Vec<String> = self
            .steps
            .values()
            .map(|s| {
                format!(
                    "{}={} ({} attempts, code {:?})",
                    s.name,
                    s.state,
                    s.attempts,
                    s.error_code()
                )
            })
            .collect();
        format!(
            "{} {} task {}: {} [{}]",
            self.language.name(),
            self.namespace,
            self.task_uuid,
            self.status,
            steps.join(", ")
        )
    }
}

static NONCE: AtomicU64 = AtomicU64::new(0);

/// Submits `stem`'s request to `language`'s workers (its namespace gets the
/// language's suffix, its context a nonce and `edit`), waits until the task
/// settles, and reads the engine's records back.
pub async fn run(language: Language, stem: &str, edit: impl FnOnce(&mut Value)) -> Run {
    let mut body = request(stem);
    let book_namespace = body["namespace"].as_str().unwrap_or_default().to_string();
    let namespace = language.namespace(&book_namespace);
    body["namespace"] = Value::String(namespace.clone());
    edit(&mut body["context"]);
    // The engine refuses a second task with the same identity (409).
    body["context"]["run"] = Value::String(format!(
        "{}-{}-{}",
        std::process::id(),
        NONCE.fetch_add(1, Ordering::Relaxed),
        Uuid::new_v4()
    ));
    submit_and_settle(language, namespace, body).await
}

pub async fn submit_and_settle(language: Language, namespace: String, body: Value) -> Run {
    let stack = Stack::get();
    let client = stack.client();
    let request: TaskRequest = TaskRequest::builder()
        .name(body["name"].as_str().unwrap_or_default().to_string())
        .namespace(namespace.clone())
        .version(body["version"].as_str().unwrap_or_default().to_string())
        .context(body["context"].clone())
        .initiator("tasker-by-example-tests".to_string())
        .source_system("engine-suite".to_string())
        .reason("the book's engine suite".to_string())
        .build();
    let created = client
        .create_task(request)
        .await
        .unwrap_or_else(|e| panic!("{namespace}: the engine refused the task: {e}"));
    let task_uuid = Uuid::parse_str(&created.task_uuid).expect("a task uuid");

    let started = Instant::now();
    let status = loop {
        let task = client
            .get_task(task_uuid)
            .await
            .expect("the task reads back");
        let task = serde_json::to_value(&task).unwrap_or_default();
        let status = task["status"].as_str().unwrap_or_default().to_string();
        if matches!(
            status.as_str(),
            "complete" | "blocked_by_failures" | "error" | "cancelled"
        ) {
            break status;
        }
        if started.elapsed() > SETTLE_WITHIN {
            break format!("still {status} after {SETTLE_WITHIN:?}");
        }
        // The poll interval between two reads of the condition above, not a
        // wait the outcome depends on.
        tokio::time::sleep(Duration::from_millis(250)).await;
    };

    let pool = sqlx::PgPool::connect(&stack.database_url())
        .await
        .expect("the stack's database");
    let mut steps = BTreeMap::new();
    for step in client
        .list_task_steps(task_uuid)
        .await
        .expect("the steps read back")
    {
        let step_uuid = Uuid::parse_str(&step.step_uuid).expect("a step uuid");
        let audit = client
            .get_step_audit_history(task_uuid, step_uuid)
            .await
            .expect("the audit trail reads back");
        let mut audit: Vec<Attempt> = audit
            .into_iter()
            .map(|record| Attempt {
                success: record.success,
                worker_uuid: record.worker_uuid.clone().unwrap_or_default(),
                recorded_at: DateTime::parse_from_rfc3339(&record.recorded_at)
                    .map(|t| t.with_timezone(&Utc))
                    .expect("an RFC 3339 recorded_at"),
                record: serde_json::to_value(&record).unwrap_or_default(),
            })
            .collect();
        audit.sort_by_key(|a| a.recorded_at);
        let transitions: Vec<(String, NaiveDateTime)> = sqlx::query_as(
            "SELECT to_state, created_at FROM tasker.workflow_step_transitions \
             WHERE workflow_step_uuid = $1 ORDER BY sort_key",
        )
        .bind(step_uuid)
        .fetch_all(&pool)
        .await
        .expect("the step's transitions");
        steps.insert(
            step.name.clone(),
            Step {
                name: step.name.clone(),
                state: step.current_state.clone(),
                attempts: step.attempts,
                max_attempts: step.max_attempts,
                stored: step.results.clone().unwrap_or(Value::Null),
                audit,
                transitions,
            },
        );
    }
    pool.close().await;
    Run {
        language,
        namespace,
        task_uuid,
        status,
        steps,
    }
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

/// A retryable failure the engine retried up to the template's max_attempts:
/// one audit record per attempt, each a failure with the code stored, and
/// each retry started only after the failure before it was recorded.
///
/// How long the engine waits between attempts comes from its own
/// `common.backoff` configuration, not from the template (engine/README.md),
/// so it is not compared with the template's `backoff_base_ms`.
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
}
