//! Why a run could not produce a report. A handler's failure is NOT one of
//! these: it is an outcome, recorded in the report. These are problems of the
//! set-up: a template that does not load, a callable no handler answers to,
//! a worker process that would not start or died.

use std::fmt;

use crate::language::Language;

#[derive(Debug)]
pub enum HarnessError {
    /// The template file could not be read, parsed or validated, or its step
    /// graph is unusable (unknown dependency, cycle).
    Template { path: String, message: String },
    /// The language's worker could not resolve the step's callable.
    Resolution {
        language: Language,
        step: String,
        message: String,
    },
    /// The worker process failed to start, crashed or broke the protocol.
    Worker(WorkerFailure),
    /// Anything else that stopped the run (a panicking Rust handler, ...).
    Internal(String),
}

impl fmt::Display for HarnessError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HarnessError::Template { path, message } => write!(f, "template {path}: {message}"),
            HarnessError::Resolution {
                language,
                step,
                message,
            } => write!(
                f,
                "{language} worker cannot resolve the handler of step `{step}`: {message}"
            ),
            HarnessError::Worker(failure) => failure.fmt(f),
            HarnessError::Internal(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for HarnessError {}

impl From<WorkerFailure> for HarnessError {
    fn from(failure: WorkerFailure) -> Self {
        HarnessError::Worker(failure)
    }
}

/// What went wrong with a worker process.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerFailureKind {
    /// The process could not be spawned or exited before saying it was ready.
    StartFailed,
    /// The process exited (or closed its stdout) while a step was in flight.
    Crashed,
    /// The process wrote something that is not a protocol message.
    Protocol,
}

/// A worker problem, always with the language, the step being run and the
/// tail of the worker's stderr, so that a broken environment reads as a
/// diagnosis rather than a hang.
#[derive(Debug, Clone)]
pub struct WorkerFailure {
    pub language: Language,
    pub step: String,
    pub kind: WorkerFailureKind,
    pub detail: String,
    pub stderr: String,
}

impl fmt::Display for WorkerFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self.kind {
            WorkerFailureKind::StartFailed => "failed to start",
            WorkerFailureKind::Crashed => "crashed",
            WorkerFailureKind::Protocol => "broke the protocol",
        };
        write!(
            f,
            "{} worker {what} (step `{}`): {}",
            self.language, self.step, self.detail
        )?;
        if self.stderr.trim().is_empty() {
            write!(f, "\n--- {} worker stderr: (empty) ---", self.language)
        } else {
            write!(
                f,
                "\n--- {} worker stderr ---\n{}",
                self.language,
                self.stderr.trim_end()
            )
        }
    }
}

impl std::error::Error for WorkerFailure {}
