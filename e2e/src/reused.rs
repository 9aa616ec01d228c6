//! Code this harness shares with the Rust handlers' own test suite, compiled
//! in from `handlers/rust/tests/` rather than copied, so that a template is
//! parsed and a `TaskSequenceStep` is built exactly as the conformance
//! vectors do it.

/// `load_template`: the real `tasker_shared` TaskTemplate parser plus its two
/// validations and the unknown-key check. Only `load_template` is used here;
/// the file's other helpers (notably `repo_root`, which is relative to the
/// handlers crate, not this one) are left alone.
#[allow(dead_code)]
#[path = "../../handlers/rust/tests/support/mod.rs"]
pub mod support;

/// `build_step`: the `TaskSequenceStep` a Rust worker would hand a handler,
/// built from a vector-shaped JSON object (input, dependency_results,
/// step_config, retry). The harness sends the very same object to the
/// Python, TypeScript and Ruby workers.
#[path = "../../handlers/rust/tests/vectors/step_builder.rs"]
pub mod step_builder;
