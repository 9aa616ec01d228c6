//! The TypeScript and Ruby workers' core: tasker-worker hands each step to a
//! handler of this module, which passes it to one long-lived Node or Ruby
//! process (engine/workers/<lang>/) over newline-delimited JSON and turns the
//! answer into the engine's `StepExecutionResult`. This is the shape of
//! upstream's own TypeScript and Ruby workers (a Rust worker core with the
//! language's handlers on top), with a pipe where they have an FFI boundary.
//!
//! Requests: `{"id", "callable", "step"}`, where `step` is what that
//! language's SDK receives from the core: for Ruby the `TaskSequenceStep`
//! hash as tasker-rb gets it, for TypeScript the camelCase `FfiStepEvent`
//! tasker-ts's napi layer builds. Replies: `{"id", "result": {success, result,
//! error_message, error_type, error_code, retryable, metadata}}`, or
//! `{"id", "error"}` when the process could not run the handler at all.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::Stdio;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::{StepHandler, StepHandlerRegistry};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::{Child, ChildStdin, Command};
use tokio::sync::oneshot;

/// Which SDK shape the process expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepShape {
    /// tasker-rb: the TaskSequenceStep as the core serialises it.
    TaskSequenceStep,
    /// tasker-ts: napi's camelCase FfiStepEvent.
    FfiStepEvent,
}

/// What a handler of the other language answered, in its SDK's own terms.
#[derive(Debug, Deserialize)]
pub struct HandlerAnswer {
    pub success: bool,
    #[serde(default)]
    pub result: Value,
    #[serde(default)]
    pub error_message: Option<String>,
    #[serde(default)]
    pub error_type: Option<String>,
    #[serde(default)]
    pub error_code: Option<String>,
    #[serde(default)]
    pub retryable: bool,
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

type Pending =
    Arc<Mutex<HashMap<u64, oneshot::Sender<std::result::Result<HandlerAnswer, String>>>>>;

/// One long-lived handler process.
pub struct HandlerProcess {
    language: String,
    shape: StepShape,
    stdin: tokio::sync::Mutex<ChildStdin>,
    pending: Pending,
    next_id: AtomicU64,
    callables: HashSet<String>,
    _child: Child,
}

impl HandlerProcess {
    /// Starts `program args…` in `cwd` and waits (bounded) for its ready line,
    /// which lists the callables it can run.
    pub async fn spawn(
        language: &str,
        shape: StepShape,
        program: &str,
        args: &[String],
        cwd: &Path,
        ready_within: Duration,
    ) -> Result<Arc<Self>> {
        let mut child = Command::new(program)
            .args(args)
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("{language} worker: cannot start '{program}'"))?;
        let stdin = child.stdin.take().context("child has no stdin")?;
        let stdout = child.stdout.take().context("child has no stdout")?;
        let mut lines = BufReader::new(stdout).lines();

        let ready = tokio::time::timeout(ready_within, lines.next_line())
            .await
            .with_context(|| {
                format!("{language} handler process sent no ready line within {ready_within:?}")
            })?
            .with_context(|| format!("{language} handler process: reading its stdout"))?
            .with_context(|| {
                format!(
                    "{language} handler process exited before it was ready (its stderr is above)"
                )
            })?;
        let ready: Value = serde_json::from_str(&ready).with_context(|| {
            format!("{language} handler process: ready line is not JSON: {ready}")
        })?;
        if ready.get("ready") != Some(&Value::Bool(true)) {
            bail!("{language} handler process: expected a ready line, got {ready}");
        }
        let callables: HashSet<String> = ready
            .get("callables")
            .and_then(Value::as_array)
            .map(|list| {
                list.iter()
                    .filter_map(Value::as_str)
                    .map(String::from)
                    .collect()
            })
            .unwrap_or_default();
        if callables.is_empty() {
            bail!("{language} handler process announced no callables");
        }

        let pending: Pending = Arc::default();
        let readers = pending.clone();
        let name = language.to_string();
        tokio::spawn(async move {
            while let Ok(Some(line)) = lines.next_line().await {
                deliver(&name, &readers, &line);
            }
            // The process is gone: every step still waiting fails (retryably).
            let mut waiting = readers.lock().unwrap_or_else(PoisonError::into_inner);
            for (_, sender) in waiting.drain() {
                let _ = sender.send(Err(format!("{name} handler process exited")));
            }
        });

        Ok(Arc::new(Self {
            language: language.to_string(),
            shape,
            stdin: tokio::sync::Mutex::new(stdin),
            pending,
            next_id: AtomicU64::new(1),
            callables,
            _child: child,
        }))
    }

    pub fn callables(&self) -> impl Iterator<Item = &String> {
        self.callables.iter()
    }

    async fn run(&self, callable: &str, step: Value) -> std::result::Result<HandlerAnswer, String> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed);
        let (sender, receiver) = oneshot::channel();
        self.pending
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(id, sender);
        let mut line = json!({"id": id, "callable": callable, "step": step}).to_string();
        line.push('\n');
        {
            let mut stdin = self.stdin.lock().await;
            if let Err(error) = stdin.write_all(line.as_bytes()).await {
                self.pending
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .remove(&id);
                return Err(format!("{} handler process: {error}", self.language));
            }
            let _ = stdin.flush().await;
        }
        receiver.await.unwrap_or_else(|_| {
            Err(format!(
                "{} handler process dropped the step",
                self.language
            ))
        })
    }
}

fn deliver(language: &str, pending: &Pending, line: &str) {
    let Ok(reply) = serde_json::from_str::<Value>(line) else {
        eprintln!("{language} handler process wrote a line that is not JSON: {line}");
        return;
    };
    let Some(id) = reply.get("id").and_then(Value::as_u64) else {
        eprintln!("{language} handler process: reply without id: {line}");
        return;
    };
    let Some(sender) = pending
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .remove(&id)
    else {
        return;
    };
    let outcome = match (reply.get("result"), reply.get("error")) {
        (Some(result), _) => serde_json::from_value(result.clone())
            .map_err(|error| format!("{language} handler process: malformed result: {error}")),
        (None, Some(error)) => Err(error.as_str().unwrap_or("unknown error").to_string()),
        (None, None) => Err(format!(
            "{language} handler process: reply has neither result nor error"
        )),
    };
    let _ = sender.send(outcome);
}

/// napi's FfiStepEvent, built from the core's TaskSequenceStep as tasker-ts's
/// Rust layer builds it: camelCase, the task flattened, the handler's
/// initialization as `stepDefinition.handlerInitialization`.
pub fn ffi_step_event(step: &TaskSequenceStep) -> Value {
    let task = &step.task.task;
    let workflow_step = &step.workflow_step;
    let definition = &step.step_definition;
    let dependency_results: Map<String, Value> = step
        .dependency_results
        .iter()
        .map(|(name, stored)| {
            let error = stored.error.as_ref();
            (
                name.clone(),
                json!({
                    "stepUuid": stored.step_uuid,
                    "success": stored.success,
                    "result": stored.result,
                    "status": stored.status,
                    "errorMessage": error.map(|e| e.message.clone()),
                    "errorType": error.and_then(|e| e.error_type.clone()),
                    "errorRetryable": error.map(|e| e.retryable),
                }),
            )
        })
        .collect();
    json!({
        "eventId": workflow_step.workflow_step_uuid,
        "taskUuid": task.task_uuid,
        "stepUuid": workflow_step.workflow_step_uuid,
        "correlationId": task.correlation_id,
        "taskCorrelationId": task.correlation_id,
        "parentCorrelationId": task.parent_correlation_id,
        "task": {
            "taskUuid": task.task_uuid,
            "namedTaskUuid": task.named_task_uuid,
            "name": step.task.task_name,
            "namespace": step.task.namespace_name,
            "version": step.task.task_version,
            "context": task.context,
            "correlationId": task.correlation_id,
            "complete": task.complete,
            "priority": task.priority,
            "initiator": task.initiator,
            "sourceSystem": task.source_system,
            "reason": task.reason,
            "identityHash": task.identity_hash,
        },
        "workflowStep": {
            "workflowStepUuid": workflow_step.workflow_step_uuid,
            "taskUuid": workflow_step.task_uuid,
            "name": workflow_step.name,
            "templateStepName": workflow_step.template_step_name,
            "retryable": workflow_step.retryable,
            "maxAttempts": workflow_step.max_attempts.unwrap_or(0),
            "attempts": workflow_step.attempts.unwrap_or(0),
            "inputs": workflow_step.inputs,
            "results": workflow_step.results,
        },
        "stepDefinition": {
            "name": definition.name,
            "description": definition.description,
            "handlerCallable": definition.handler.callable,
            "handlerInitialization": definition.handler.initialization,
            "dependencies": definition.dependencies,
        },
        "dependencyResults": dependency_results,
    })
}

/// Turns the other language's answer into what the engine stores: the
/// handler's metadata becomes the result's context (where the engine keeps
/// it, `retry_after` included, as it does for Rust handlers).
pub fn execution_result(
    step: &TaskSequenceStep,
    answer: HandlerAnswer,
    elapsed_ms: i64,
) -> StepExecutionResult {
    let step_uuid = step.workflow_step.workflow_step_uuid;
    let metadata: HashMap<String, Value> = answer.metadata.into_iter().collect();
    if answer.success {
        let metadata = (!metadata.is_empty()).then_some(metadata);
        return StepExecutionResult::success(step_uuid, answer.result, elapsed_ms, metadata);
    }
    let message = answer
        .error_message
        .unwrap_or_else(|| "handler failed without a message".to_string());
    StepExecutionResult::failure(
        step_uuid,
        message,
        answer.error_code,
        answer.error_type,
        answer.retryable,
        elapsed_ms,
        (!metadata.is_empty()).then_some(metadata),
    )
}

/// A tasker-worker handler whose work happens in the handler process.
struct BridgedHandler {
    callable: String,
    process: Arc<HandlerProcess>,
}

#[async_trait]
impl StepHandler for BridgedHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let payload = match self.process.shape {
            StepShape::FfiStepEvent => ffi_step_event(step),
            StepShape::TaskSequenceStep => serde_json::to_value(step).unwrap_or(Value::Null),
        };
        let elapsed = || i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
        Ok(match self.process.run(&self.callable, payload).await {
            Ok(answer) => execution_result(step, answer, elapsed()),
            // The step never reached a handler: retryable, like a lost worker.
            Err(problem) => StepExecutionResult::failure(
                step.workflow_step.workflow_step_uuid,
                problem,
                Some("WORKER_PROCESS_ERROR".to_string()),
                Some("handler_error".to_string()),
                true,
                elapsed(),
                None,
            ),
        })
    }

    fn name(&self) -> &str {
        &self.callable
    }
}

/// The registry the worker core looks callables up in: every callable the
/// handler process announced, each a `BridgedHandler`.
pub struct BridgeRegistry {
    handlers: Mutex<HashMap<String, Arc<dyn StepHandler>>>,
}

impl BridgeRegistry {
    pub fn new(process: Arc<HandlerProcess>) -> Self {
        let handlers = process
            .callables()
            .map(|callable| {
                let handler: Arc<dyn StepHandler> = Arc::new(BridgedHandler {
                    callable: callable.clone(),
                    process: process.clone(),
                });
                (callable.clone(), handler)
            })
            .collect();
        Self {
            handlers: Mutex::new(handlers),
        }
    }
}

#[async_trait]
impl StepHandlerRegistry for BridgeRegistry {
    async fn get(&self, step: &TaskSequenceStep) -> Option<Arc<dyn StepHandler>> {
        self.handlers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&step.step_definition.handler.callable)
            .cloned()
    }

    fn register(&self, name: &str, handler: Arc<dyn StepHandler>) {
        self.handlers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(name.to_string(), handler);
    }

    fn handler_available(&self, name: &str) -> bool {
        self.handlers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .contains_key(name)
    }

    fn registered_handlers(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .handlers
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .cloned()
            .collect();
        names.sort();
        names
    }
}
