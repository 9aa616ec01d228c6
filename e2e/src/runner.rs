//! Runs one workflow: the step graph, concurrency, retries and timeouts.
//!
//! Every step whose dependencies have all completed is started at once, each
//! in its own task, so independent steps really run at the same time. A step
//! is handed the task input, its step config (the template's handler
//! `initialization`) and the results of ALL its ancestors. A retryable
//! failure is retried after the template's backoff until `max_attempts`; a
//! failure that is permanent, or retryable but out of attempts, fails the
//! step and stops the workflow: nothing new starts, steps already running
//! finish, the rest are reported `not_run`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};
use tasker_blog_handlers::BlogHandlerRegistry;
use tasker_shared::models::core::task_template::StepDefinition;
use tasker_worker::worker::handlers::StepHandlerRegistry;
use tokio::sync::watch;
use tokio::task::JoinSet;

use crate::error::HarnessError;
use crate::language::Language;
use crate::outcome::{Failure, HandlerOutcome};
use crate::report::{
    AttemptOutcome, AttemptReport, RunOutcome, RunReport, StepError, StepOutcome, StepReport,
};
use crate::retry;
use crate::reused::step_builder::build_step;
use crate::worker::{WorkerPool, WorkerReply, WorkerSpec};
use crate::workflow::Workflow;

/// The error code of an attempt that got no answer within `timeout_seconds`.
pub const STEP_TIMEOUT: &str = "STEP_TIMEOUT";
/// Used when a template step gives no `timeout_seconds`.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// Knobs for tests. The defaults are the template's real values.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Multiplies every retry wait (0.001 turns a 2 s backoff into 2 ms) so
    /// retry tests stay fast while still following the template's policy.
    pub backoff_scale: f64,
    /// Multiplies every step's `timeout_seconds` (only tests of a hung
    /// worker need this).
    pub timeout_scale: f64,
    /// A pause at the start of every attempt, before the handler is called,
    /// standing in for the queueing and I/O latency of a real deployment.
    /// The book's handlers finish in microseconds; with a few milliseconds
    /// here, steps that run concurrently visibly overlap in the report. The
    /// pause is a real sleep inside each step's own task: steps overlap only
    /// if the scheduler really runs them at the same time.
    pub dispatch_delay: Duration,
}

impl Default for RunOptions {
    fn default() -> Self {
        Self {
            backoff_scale: 1.0,
            timeout_scale: 1.0,
            dispatch_delay: Duration::ZERO,
        }
    }
}

/// Runs workflows of any language; holds the language workers (one
/// long-lived process per language, shared by every run) and the Rust
/// handler registry. Cheap to clone.
#[derive(Clone)]
pub struct Harness {
    inner: Arc<Inner>,
}

struct Inner {
    root: PathBuf,
    options: RunOptions,
    workers: WorkerPool,
    rust: BlogHandlerRegistry,
}

impl Harness {
    pub fn new(root: &Path, options: RunOptions) -> Self {
        Self::with_workers(root, options, WorkerPool::new(root))
    }

    /// A harness whose workers start as `specs` say (tests of broken workers).
    pub fn with_worker_specs(root: &Path, options: RunOptions, specs: Vec<WorkerSpec>) -> Self {
        let mut workers = WorkerPool::new(root);
        for spec in specs {
            workers.set_spec(spec);
        }
        Self::with_workers(root, options, workers)
    }

    fn with_workers(root: &Path, options: RunOptions, workers: WorkerPool) -> Self {
        Self {
            inner: Arc::new(Inner {
                root: root.to_path_buf(),
                options,
                workers,
                rust: BlogHandlerRegistry::new(),
            }),
        }
    }

    pub fn root(&self) -> &Path {
        &self.inner.root
    }

    pub fn options(&self) -> &RunOptions {
        &self.inner.options
    }

    /// Loads `handlers/templates/<language>/<stem>.yaml`.
    pub fn workflow(&self, language: Language, stem: &str) -> Result<Workflow, HarnessError> {
        Workflow::load(&self.inner.root, language, stem)
    }

    /// Runs the workflow once with `input` as the task context.
    pub async fn run(&self, workflow: &Workflow, input: Value) -> Result<RunReport, HarnessError> {
        // Start the language's worker before the clock does: its start-up
        // (an interpreter, imports) is not part of the first step's time.
        if workflow.language != Language::Rust {
            let first = workflow
                .steps()
                .first()
                .map_or("", |step| step.name.as_str());
            self.inner.workers.worker(workflow.language, first).await?;
        }
        let started = Instant::now();
        let input = Arc::new(input);
        let steps = workflow.steps();
        let mut records: Vec<Option<StepRecord>> = vec![None; steps.len()];
        let mut launched = vec![false; steps.len()];
        let (stop, stopped) = watch::channel(false);
        let mut running: JoinSet<(usize, Result<StepRecord, HarnessError>)> = JoinSet::new();
        let mut stopping = false;

        loop {
            if !stopping {
                for index in 0..steps.len() {
                    let ready = !launched[index]
                        && steps[index].dependencies.iter().all(|dependency| {
                            workflow
                                .index_of(dependency)
                                .and_then(|parent| records[parent].as_ref())
                                .is_some_and(StepRecord::completed)
                        });
                    if !ready {
                        continue;
                    }
                    launched[index] = true;
                    // ALL ancestors' results, as Tasker passes them.
                    let dependency_results: Map<String, Value> = workflow
                        .ancestors_of(index)
                        .filter_map(|ancestor| {
                            let result = records[ancestor].as_ref()?.result.clone()?;
                            Some((steps[ancestor].name.clone(), result))
                        })
                        .collect();
                    let job = StepJob {
                        harness: self.clone(),
                        workflow: workflow.clone(),
                        index,
                        input: Arc::clone(&input),
                        dependency_results,
                        started,
                        stopped: stopped.clone(),
                    };
                    running.spawn(async move { (index, job.run().await) });
                }
            }
            let Some(joined) = running.join_next().await else {
                break;
            };
            let (index, record) = joined.map_err(|e| {
                HarnessError::Internal(format!(
                    "a step task of {} panicked: {e}",
                    workflow.template.name
                ))
            })?;
            // A set-up problem (no worker, no handler) ends the run at once;
            // dropping the JoinSet aborts the other steps.
            let record = record?;
            if !record.completed() && !stopping {
                stopping = true;
                // Steps waiting to retry give up; running ones finish.
                let _ = stop.send(true);
            }
            records[index] = Some(record);
        }

        Ok(report(workflow, &input, records))
    }
}

/// What one step did: its attempts and how it ended.
#[derive(Debug, Clone)]
struct StepRecord {
    attempts: Vec<AttemptReport>,
    result: Option<Value>,
    error: Option<StepError>,
}

impl StepRecord {
    fn completed(&self) -> bool {
        self.result.is_some()
    }
}

struct StepJob {
    harness: Harness,
    workflow: Workflow,
    index: usize,
    input: Arc<Value>,
    dependency_results: Map<String, Value>,
    started: Instant,
    stopped: watch::Receiver<bool>,
}

impl StepJob {
    fn definition(&self) -> &StepDefinition {
        &self.workflow.steps()[self.index]
    }

    /// Milliseconds since the run started, to the microsecond (finer digits
    /// would be noise in the report).
    fn now_ms(&self) -> f64 {
        (self.started.elapsed().as_secs_f64() * 1_000_000.0).round() / 1000.0
    }

    async fn run(mut self) -> Result<StepRecord, HarnessError> {
        let options = self.harness.options().clone();
        let retry_policy = self.definition().retry.clone();
        let allowed = retry::attempts_allowed(&retry_policy);
        let timeout_seconds = self
            .definition()
            .timeout_seconds
            .map_or(DEFAULT_TIMEOUT, |s| Duration::from_secs(u64::from(s)));
        let timeout = timeout_seconds.mul_f64(options.timeout_scale.max(0.0));
        let mut attempts = Vec::new();

        for attempt in 0..allowed {
            let start_ms = self.now_ms();
            if !options.dispatch_delay.is_zero() {
                tokio::time::sleep(options.dispatch_delay).await;
            }
            let outcome = self.attempt(attempt, allowed, timeout).await?;
            let end_ms = self.now_ms();
            let failure = match outcome {
                HandlerOutcome::Success(result) => {
                    attempts.push(AttemptReport {
                        start_ms,
                        end_ms,
                        outcome: AttemptOutcome::Success,
                        error_code: None,
                        retry_after: None,
                    });
                    return Ok(StepRecord {
                        attempts,
                        result: Some(result),
                        error: None,
                    });
                }
                HandlerOutcome::Failure(failure) => failure,
            };
            attempts.push(AttemptReport {
                start_ms,
                end_ms,
                outcome: if failure.retryable {
                    AttemptOutcome::RetryableFailure
                } else {
                    AttemptOutcome::PermanentFailure
                },
                error_code: failure.error_code.clone(),
                retry_after: failure.retry_after.clone(),
            });
            let last = attempt + 1 == allowed;
            if !failure.retryable || last || *self.stopped.borrow() {
                return Ok(failed(attempts, &failure));
            }
            let wait = retry::backoff(
                &retry_policy,
                attempt + 1,
                failure.retry_after_seconds(),
                options.backoff_scale,
            );
            tokio::select! {
                () = tokio::time::sleep(wait) => {}
                // Another step failed the workflow: no point retrying.
                _ = self.stopped.wait_for(|stop| *stop) => return Ok(failed(attempts, &failure)),
            }
        }
        Err(HarnessError::Internal(format!(
            "step {} ended without an outcome",
            self.definition().name
        )))
    }

    /// One call of the step's handler, in-process (Rust) or through the
    /// language's worker.
    async fn attempt(
        &self,
        attempt: u32,
        allowed: u32,
        timeout: Duration,
    ) -> Result<HandlerOutcome, HarnessError> {
        let definition = self.definition();
        let language = self.workflow.language;
        let template_file = self
            .workflow
            .path
            .strip_prefix(self.harness.root())
            .unwrap_or(&self.workflow.path)
            .display()
            .to_string();
        // Vector-shaped, so every language builds its context with the code
        // its conformance-vector runner already uses.
        let context = json!({
            "namespace": self.workflow.template.namespace_name,
            "task_name": self.workflow.template.name,
            "task_version": self.workflow.template.version,
            "template": template_file,
            "step": definition.name,
            "input": *self.input,
            "dependency_results": self.dependency_results,
            "step_config": definition.handler.initialization,
            "retry": {"attempts": attempt, "max_attempts": allowed},
        });
        // Tasker fails an attempt that outlives timeout_seconds as retryable.
        let timed_out = || Failure {
            error_code: Some(STEP_TIMEOUT.to_string()),
            message: format!(
                "{language} handler {} gave no answer within {timeout:?}",
                definition.handler.callable
            ),
            retryable: true,
            retry_after: None,
            context: json!({}),
        };

        if language == Language::Rust {
            let step = build_step(&context, &self.workflow.template, definition)
                .map_err(HarnessError::Internal)?;
            let handler = self.harness.inner.rust.get(&step).await.ok_or_else(|| {
                HarnessError::Resolution {
                    language,
                    step: definition.name.clone(),
                    message: format!(
                        "callable {:?} is not in the Rust registry",
                        definition.handler.callable
                    ),
                }
            })?;
            return Ok(
                match tokio::time::timeout(timeout, handler.call(&step)).await {
                    Ok(Ok(result)) => HandlerOutcome::from_rust(&result),
                    // The Rust worker, like the others, treats an error escaping
                    // the handler as retryable.
                    Ok(Err(error)) => HandlerOutcome::Failure(Failure {
                        error_code: None,
                        message: error.to_string(),
                        retryable: true,
                        retry_after: None,
                        context: json!({}),
                    }),
                    Err(_) => HandlerOutcome::Failure(timed_out()),
                },
            );
        }

        let worker = self
            .harness
            .inner
            .workers
            .worker(language, &definition.name)
            .await?;
        match worker
            .call(
                &definition.name,
                &definition.handler.callable,
                &context,
                timeout,
            )
            .await?
        {
            WorkerReply::Outcome(outcome) => {
                HandlerOutcome::from_normalised(&outcome).map_err(|message| {
                    HarnessError::Worker(crate::error::WorkerFailure {
                        language,
                        step: definition.name.clone(),
                        kind: crate::error::WorkerFailureKind::Protocol,
                        detail: message,
                        stderr: worker.stderr_tail(),
                    })
                })
            }
            WorkerReply::Unresolved(message) => Err(HarnessError::Resolution {
                language,
                step: definition.name.clone(),
                message,
            }),
            WorkerReply::TimedOut => {
                let mut failure = timed_out();
                let stderr = worker.stderr_tail();
                if !stderr.trim().is_empty() {
                    failure
                        .message
                        .push_str(&format!("; worker stderr:\n{}", stderr.trim_end()));
                }
                Ok(HandlerOutcome::Failure(failure))
            }
        }
    }
}

fn failed(attempts: Vec<AttemptReport>, failure: &Failure) -> StepRecord {
    StepRecord {
        attempts,
        result: None,
        error: Some(StepError {
            error_code: failure.error_code.clone(),
            message: failure.message.clone(),
            retryable: failure.retryable,
        }),
    }
}

fn report(workflow: &Workflow, input: &Value, records: Vec<Option<StepRecord>>) -> RunReport {
    let template = &workflow.template;
    let steps: Vec<StepReport> = template
        .steps
        .iter()
        .zip(records)
        .map(|(definition, record)| {
            let (outcome, attempts, result, error) = match record {
                Some(record) if record.completed() => {
                    (StepOutcome::Complete, record.attempts, record.result, None)
                }
                Some(record) => (StepOutcome::Failed, record.attempts, None, record.error),
                None => (StepOutcome::NotRun, Vec::new(), None, None),
            };
            StepReport {
                name: definition.name.clone(),
                dependencies: definition.dependencies.clone(),
                outcome,
                attempts,
                result,
                error,
            }
        })
        .collect();
    let outcome = if steps
        .iter()
        .all(|step| step.outcome == StepOutcome::Complete)
    {
        RunOutcome::Complete
    } else {
        RunOutcome::Failed
    };
    RunReport {
        workflow: template.name.clone(),
        namespace: template.namespace_name.clone(),
        version: template.version.clone(),
        language: workflow.language.as_str().to_string(),
        outcome,
        input: input.clone(),
        steps,
    }
}

/// Steps of a report by name, for tests.
pub fn by_name(report: &RunReport) -> BTreeMap<&str, &StepReport> {
    report
        .steps
        .iter()
        .map(|step| (step.name.as_str(), step))
        .collect()
}
