//! A workflow run on a running stack, and everything the engine recorded
//! about it: the task's status, each step's state, attempts and stored
//! result, each attempt's audit record, and each step's state transitions.
//! The engine suite asserts on these; `record-runs` turns them into the
//! chapters' timelines.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;
use tasker_client::{OrchestrationApiClient, OrchestrationApiConfig};
use tasker_shared::models::core::task_request::TaskRequest;
use uuid::Uuid;

use crate::namespaces::Language;
use crate::repo_root;

/// Only a bound, so that nothing waits forever: runs settle when the
/// engine's records say so, and this is ~10x the slowest run seen on a
/// loaded machine (the retried runs settle within ~40 s).
pub const SETTLE_WITHIN: Duration = Duration::from_secs(300);

/// A running stack, as the stack.env `scripts/stack up` wrote describes it.
pub struct Stack {
    vars: HashMap<String, String>,
}

impl Stack {
    pub fn from_env_file(path: &Path) -> Result<Stack> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{}: is the stack up? (scripts/stack up)", path.display()))?;
        let vars = text
            .lines()
            .filter_map(|line| line.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Ok(Stack { vars })
    }

    fn var(&self, name: &str) -> Result<&str> {
        self.vars
            .get(name)
            .map(String::as_str)
            .with_context(|| format!("stack.env has no {name}"))
    }

    /// The folder `scripts/stack up` ran from (its configs and logs).
    pub fn dir(&self) -> Result<PathBuf> {
        Ok(PathBuf::from(self.var("STACK_DIR")?))
    }

    pub fn orchestration_url(&self) -> Result<String> {
        Ok(format!(
            "http://127.0.0.1:{}",
            self.var("ORCHESTRATION_PORT")?
        ))
    }

    pub fn database_url(&self) -> Result<String> {
        Ok(format!(
            "postgresql://tasker:tasker@127.0.0.1:{}/tasker",
            self.var("PG_PORT")?
        ))
    }

    pub fn client(&self) -> Result<OrchestrationApiClient> {
        OrchestrationApiClient::new(OrchestrationApiConfig {
            base_url: self.orchestration_url()?,
            ..OrchestrationApiConfig::default()
        })
        .context("an API client for the stack's orchestration")
    }
}

/// One request file of engine/requests/ (the ones scripts/stack hands readers).
pub fn request(stem: &str) -> Result<Value> {
    let path: PathBuf = repo_root()
        .join("engine/requests")
        .join(format!("{stem}.json"));
    let text = std::fs::read_to_string(&path).with_context(|| path.display().to_string())?;
    serde_json::from_str(&text).with_context(|| path.display().to_string())
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
    /// The wait the engine chose after the last failure (seconds), if it chose one.
    pub backoff_request_seconds: Option<i32>,
}

impl Step {
    pub fn error_code(&self) -> Option<&str> {
        self.stored["metadata"]["error_code"].as_str()
    }

    /// When the step first reached `state`.
    pub fn reached(&self, state: &str) -> Option<NaiveDateTime> {
        self.transitions
            .iter()
            .find(|(to, _)| to == state)
            .map(|(_, at)| *at)
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
    pub name: String,
    pub version: String,
    pub input: Value,
    pub task_uuid: Uuid,
    pub status: String,
    /// When the engine created the task: the run's time zero.
    pub created_at: NaiveDateTime,
    pub steps: BTreeMap<String, Step>,
    /// The task's own transitions, (to_state, when), oldest first.
    pub transitions: Vec<(String, NaiveDateTime)>,
}

impl Run {
    /// Which of the task's enqueueing passes handed `step` to the queue
    /// first (1 for the pass that started the task). A pass runs from the
    /// task's `enqueuing_steps` transition to its `steps_in_process`, and
    /// the engine queues every step that is ready in it before moving on;
    /// so steps that share a pass did not wait for one another.
    pub fn enqueue_pass(&self, step: &str) -> Option<usize> {
        let queued = self.steps.get(step)?.reached("enqueued")?;
        let pass = self
            .transitions
            .iter()
            .filter(|(to, at)| to == "enqueuing_steps" && *at <= queued)
            .count();
        (pass > 0).then_some(pass)
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

/// `stem`'s request for `language`'s workers: its namespace gets the
/// language's suffix, its context `edit` and a nonce (the engine refuses a
/// second task with the same identity, 409).
pub fn request_for(language: Language, stem: &str, edit: impl FnOnce(&mut Value)) -> Result<Value> {
    let mut body = request(stem)?;
    let book_namespace = body["namespace"].as_str().unwrap_or_default().to_string();
    body["namespace"] = Value::String(language.namespace(&book_namespace));
    edit(&mut body["context"]);
    body["context"]["run"] = Value::String(format!(
        "{}-{}-{}",
        std::process::id(),
        NONCE.fetch_add(1, Ordering::Relaxed),
        Uuid::new_v4()
    ));
    Ok(body)
}

/// Submits `body` (a request file's shape), waits until the engine says the
/// task has settled, and reads back what it recorded.
pub async fn submit_and_settle(stack: &Stack, language: Language, body: Value) -> Result<Run> {
    let client = stack.client()?;
    let field = |name: &str| body[name].as_str().unwrap_or_default().to_string();
    let namespace = field("namespace");
    let request: TaskRequest = TaskRequest::builder()
        .name(field("name"))
        .namespace(namespace.clone())
        .version(field("version"))
        .context(body["context"].clone())
        .initiator("tasker-by-example".to_string())
        .source_system("engine-suite".to_string())
        .reason("the book's engine runs".to_string())
        .build();
    let created = client
        .create_task(request)
        .await
        .with_context(|| format!("{namespace}: the engine refused the task"))?;
    let task_uuid = Uuid::parse_str(&created.task_uuid).context("a task uuid")?;

    let started = Instant::now();
    let status = loop {
        let task = client
            .get_task(task_uuid)
            .await
            .context("reading the task back")?;
        let task = serde_json::to_value(&task)?;
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
        // The interval between two reads of the condition above, not a wait
        // the outcome depends on.
        tokio::time::sleep(Duration::from_millis(250)).await;
    };

    let pool = sqlx::PgPool::connect(&stack.database_url()?)
        .await
        .context("the stack's database")?;
    let (created_at,): (NaiveDateTime,) =
        sqlx::query_as("SELECT created_at FROM tasker.tasks WHERE task_uuid = $1")
            .bind(task_uuid)
            .fetch_one(&pool)
            .await
            .context("the task's row")?;
    let mut steps = BTreeMap::new();
    for step in client
        .list_task_steps(task_uuid)
        .await
        .context("reading the steps back")?
    {
        let step_uuid = Uuid::parse_str(&step.step_uuid).context("a step uuid")?;
        let mut audit = Vec::new();
        for record in client
            .get_step_audit_history(task_uuid, step_uuid)
            .await
            .context("reading the audit trail")?
        {
            let recorded_at = DateTime::parse_from_rfc3339(&record.recorded_at)
                .map(|t| t.with_timezone(&Utc))
                .with_context(|| format!("recorded_at {:?}", record.recorded_at))?;
            audit.push(Attempt {
                success: record.success,
                worker_uuid: record.worker_uuid.clone().unwrap_or_default(),
                recorded_at,
                record: serde_json::to_value(&record)?,
            });
        }
        audit.sort_by_key(|a| a.recorded_at);
        let transitions = transitions(&pool, Transitions::OfStep(step_uuid)).await?;
        let (backoff_request_seconds,): (Option<i32>,) = sqlx::query_as(
            "SELECT backoff_request_seconds FROM tasker.workflow_steps WHERE workflow_step_uuid = $1",
        )
        .bind(step_uuid)
        .fetch_one(&pool)
        .await
        .context("the step's row")?;
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
                backoff_request_seconds,
            },
        );
    }
    let transitions = transitions(&pool, Transitions::OfTask(task_uuid)).await?;
    pool.close().await;
    if steps.is_empty() {
        bail!("{namespace}: task {task_uuid} has no steps");
    }
    Ok(Run {
        language,
        namespace,
        name: field("name"),
        version: field("version"),
        input: body["context"].clone(),
        task_uuid,
        status,
        created_at,
        steps,
        transitions,
    })
}

/// Whose state transitions to read.
enum Transitions {
    OfTask(Uuid),
    OfStep(Uuid),
}

/// (to_state, when), oldest first, from the engine's transition tables.
async fn transitions(
    pool: &sqlx::PgPool,
    whose: Transitions,
) -> Result<Vec<(String, NaiveDateTime)>> {
    let (sql, uuid, what) = match whose {
        Transitions::OfTask(uuid) => (
            "SELECT to_state, created_at FROM tasker.task_transitions \
             WHERE task_uuid = $1 ORDER BY sort_key",
            uuid,
            "the task's transitions",
        ),
        Transitions::OfStep(uuid) => (
            "SELECT to_state, created_at FROM tasker.workflow_step_transitions \
             WHERE workflow_step_uuid = $1 ORDER BY sort_key",
            uuid,
            "the step's transitions",
        ),
    };
    sqlx::query_as(sql)
        .bind(uuid)
        .fetch_all(pool)
        .await
        .context(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(ms: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp_millis(ms)
            .expect("a time")
            .naive_utc()
    }

    fn step(name: &str, enqueued_ms: i64) -> (String, Step) {
        let step = Step {
            name: name.into(),
            state: "complete".into(),
            attempts: 1,
            max_attempts: 1,
            stored: Value::Null,
            audit: Vec::new(),
            transitions: vec![
                ("pending".into(), at(0)),
                ("enqueued".into(), at(enqueued_ms)),
            ],
            backoff_request_seconds: None,
        };
        (name.into(), step)
    }

    #[test]
    fn a_step_queued_in_a_later_pass_is_told_apart() {
        let run = Run {
            language: Language::Python,
            namespace: "data_pipeline_py".into(),
            name: "analytics_pipeline".into(),
            version: "1.0.0".into(),
            input: Value::Null,
            task_uuid: Uuid::nil(),
            status: "complete".into(),
            created_at: at(0),
            // The first pass queues a and b; c, which was ready from the
            // start, only in the pass after a's result.
            steps: [
                step("a", 11),
                step("b", 12),
                step("c", 31),
                step("never", 0),
            ]
            .into_iter()
            .collect(),
            transitions: vec![
                ("initializing".into(), at(1)),
                ("enqueuing_steps".into(), at(10)),
                ("steps_in_process".into(), at(13)),
                ("evaluating_results".into(), at(20)),
                ("enqueuing_steps".into(), at(30)),
                ("steps_in_process".into(), at(32)),
            ],
        };
        assert_eq!(run.enqueue_pass("a"), Some(1));
        assert_eq!(run.enqueue_pass("b"), Some(1));
        assert_eq!(run.enqueue_pass("c"), Some(2));
        assert_eq!(run.enqueue_pass("never"), None, "queued before any pass");
        assert_eq!(run.enqueue_pass("missing"), None);
    }
}
