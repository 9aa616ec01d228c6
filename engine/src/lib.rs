//! The book's workflows on the real Tasker engine: the pieces of our own that
//! the stack needs (scripts/stack runs them through the `tasker-book` binary).
//!
//! - `config`: each service's configuration, tasker's defaults plus ours
//! - `namespaces`: each language's templates under a namespace of its own
//! - `bridge`: the TypeScript and Ruby workers' Rust core
//! - `services`: orchestration and the workers, bootstrapped from the crates
//! - `records`: a run on a running stack, and what the engine recorded of it
//! - `report`: a recorded run as the report a chapter's timeline draws

pub mod bridge;
pub mod config;
pub mod namespaces;
pub mod records;
pub mod report;
pub mod services;

use std::path::PathBuf;

/// The repository root (handlers/, engine/ and scripts/ live under it).
pub fn repo_root() -> PathBuf {
    let engine = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    engine.parent().map(PathBuf::from).unwrap_or(engine)
}
