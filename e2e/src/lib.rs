//! A local end-to-end test harness for the workflows of "Tasker by Example".
//!
//! It loads a task template (parsed with the real `tasker_shared`
//! TaskTemplate), runs its step graph with real concurrency, retries and
//! timeouts, calls the book's handlers in each language — Rust in-process
//! through the real `tasker_worker` StepHandler trait, Python, TypeScript and
//! Ruby through one long-lived worker process per language — and writes a
//! JSON report per run.
//!
//! It is NOT an orchestration engine: no database, no queues, no
//! persistence, no recovery. In production these workflows are run by the
//! Tasker engine (tasker-orchestration) and its workers.

pub mod error;
pub mod language;
pub mod outcome;
pub mod report;
pub mod retry;
mod reused;
pub mod runner;
pub mod scenarios;
pub mod worker;
pub mod workflow;

pub use error::{HarnessError, WorkerFailure, WorkerFailureKind};
pub use language::Language;
pub use report::{AttemptOutcome, RunOutcome, RunReport, StepOutcome, StepReport};
pub use runner::{Harness, RunOptions, STEP_TIMEOUT};
pub use worker::WorkerSpec;
pub use workflow::{repo_root, TemplateCatalog, Workflow};
