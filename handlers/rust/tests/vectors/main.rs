//! The shared conformance vectors (handlers/vectors/**/*.json) run against
//! the Rust handlers: namespace + step → Rust template → callable →
//! registry → handler. One test case per vector file.

mod matcher;
mod step_builder;
#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Map, Value};
use support::{display, files_under, repo_root, rust_templates};
use tasker_blog_handlers::BlogHandlerRegistry;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::models::core::task_template::TaskTemplate;
use tasker_worker::worker::handlers::StepHandlerRegistry;

/// Namespaces whose Rust handlers are not written yet: their vectors are
/// listed as ignored (and counted), every other vector must pass.
const NOT_YET_PORTED: [&str; 0] = [];

/// The keys a vector's `expect` may use; anything else is a typo that would
/// otherwise silently check nothing.
const EXPECT_KEYS: [&str; 6] = [
    "outcome",
    "result",
    "error_code",
    "retryable",
    "retry_after",
    "context",
];

fn main() {
    let args = Arguments::from_args();
    let vectors_dir = repo_root().join("handlers/vectors");
    let vectors = files_under(&vectors_dir, ".json");
    let templates: Arc<Vec<TaskTemplate>> = Arc::new(
        rust_templates()
            .into_iter()
            .filter_map(|(_, template)| template.ok())
            .collect(),
    );

    let mut trials = Vec::new();
    let mut ignored: BTreeMap<String, usize> = BTreeMap::new();
    let vector_count = vectors.len();
    for path in vectors {
        let name = path
            .strip_prefix(&vectors_dir)
            .map(|p| p.with_extension("").display().to_string())
            .unwrap_or_else(|_| display(&path));
        let namespace = read_json(&path)
            .ok()
            .and_then(|v| v.get("namespace").and_then(Value::as_str).map(String::from));
        let postponed = namespace
            .as_deref()
            .filter(|ns| NOT_YET_PORTED.contains(ns))
            .map(String::from);
        if let Some(namespace) = &postponed {
            *ignored.entry(namespace.clone()).or_default() += 1;
        }
        let templates = Arc::clone(&templates);
        trials.push(
            Trial::test(name, move || run_vector(&path, &templates))
                .with_ignored_flag(postponed.is_some()),
        );
    }

    trials.push(Trial::test("the vector corpus is not empty", move || {
        if vector_count == 0 {
            Err(format!("no vectors under {}", display(&vectors_dir)).into())
        } else {
            Ok(())
        }
    }));
    let ported = Arc::clone(&templates);
    trials.push(Trial::test(
        "NOT_YET_PORTED lists only unported namespaces",
        move || {
            let stale: Vec<&str> = NOT_YET_PORTED
                .iter()
                .copied()
                .filter(|ns| ported.iter().any(|t| t.namespace_name == *ns))
                .collect();
            if stale.is_empty() {
                Ok(())
            } else {
                Err(
                    format!("has a Rust template now, remove from NOT_YET_PORTED: {stale:?}")
                        .into(),
                )
            }
        },
    ));
    trials.push(Trial::test("the matcher follows the vector rules", || {
        matcher::self_check().map_err(Failed::from)
    }));

    if !ignored.is_empty() {
        let total: usize = ignored.values().sum();
        let detail: Vec<String> = ignored.iter().map(|(ns, n)| format!("{ns}: {n}")).collect();
        eprintln!(
            "NOTE: {total} vector(s) ignored, namespaces not yet ported to Rust ({})",
            detail.join(", ")
        );
    }
    libtest_mimic::run(&args, trials).exit();
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("invalid JSON: {e}"))
}

fn run_vector(path: &Path, templates: &[TaskTemplate]) -> Result<(), Failed> {
    let shown = display(path);
    let outcome = execute(path, templates).map_err(|e| format!("{shown}: {e}"))?;
    let (vector, actual) = outcome;
    let expect = vector.get("expect").cloned().unwrap_or(Value::Null);
    let problems = compare(&expect, &actual);
    if problems.is_empty() {
        return Ok(());
    }
    let description = vector
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or("");
    let actual_text = serde_json::to_string_pretty(&actual).unwrap_or_default();
    Err(format!(
        "{shown}\n  {description}\n{}\n  actual outcome:\n{}",
        problems
            .iter()
            .map(|p| format!("  ✗ {p}"))
            .collect::<Vec<_>>()
            .join("\n"),
        indent(&actual_text, "    ")
    )
    .into())
}

/// Loads the vector, finds its template step, builds the step, runs the
/// handler and returns the vector with the normalised outcome.
fn execute(path: &Path, templates: &[TaskTemplate]) -> Result<(Value, Value), String> {
    let vector = read_json(path)?;
    let field = |key: &str| {
        vector
            .get(key)
            .and_then(Value::as_str)
            .map(String::from)
            .ok_or_else(|| format!("vector has no string {key:?}"))
    };
    let (namespace, step_name) = (field("namespace")?, field("step")?);
    let in_namespace: Vec<&TaskTemplate> = templates
        .iter()
        .filter(|t| t.namespace_name == namespace)
        .collect();
    if in_namespace.is_empty() {
        return Err(format!(
            "no template with namespace_name {namespace:?} in handlers/templates/rust/"
        ));
    }
    let mut candidates = in_namespace.iter().flat_map(|template| {
        template
            .steps
            .iter()
            .filter(|s| s.name == step_name)
            .map(move |s| (*template, s))
    });
    let (template, definition) = match (candidates.next(), candidates.next()) {
        (Some(found), None) => found,
        (None, _) => return Err(format!("no step {step_name:?} in the {namespace} template")),
        (Some(_), Some(_)) => {
            return Err(format!(
                "step {step_name:?} is ambiguous in namespace {namespace}"
            ))
        }
    };

    let step = step_builder::build_step(&vector, template, definition)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| format!("tokio: {e}"))?;
    let result = runtime.block_on(async {
        let registry = BlogHandlerRegistry::new();
        let handler = registry.get(&step).await.ok_or_else(|| {
            format!(
                "callable {:?} is not in the Rust registry",
                definition.handler.callable
            )
        })?;
        handler
            .call(&step)
            .await
            .map_err(|e| format!("handler returned Err instead of a result: {e}"))
    })?;
    Ok((vector, normalise(&result)))
}

/// The language-neutral outcome the vectors describe.
fn normalise(result: &StepExecutionResult) -> Value {
    if result.is_success() {
        return json!({"success": true, "result": result.result});
    }
    let context: Map<String, Value> = result
        .metadata
        .context
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    json!({
        "success": false,
        "error_code": result.error_code(),
        "error_type": result.error_type(),
        "retryable": result.is_retryable(),
        // The wait as the engine reads it (blog_common::retry_after): a
        // `retry_after` only in the error context would not delay a retry.
        "retry_after": retry_after_header(result),
        "message": result.error.as_ref().map(|e| e.message.clone()),
        "context": context,
    })
}

/// The result's `Retry-After` header, in seconds, if it asks for a wait.
fn retry_after_header(result: &StepExecutionResult) -> Option<Value> {
    let header = result
        .orchestration_metadata
        .as_ref()?
        .headers
        .get("Retry-After")?;
    Some(
        header
            .parse::<u64>()
            .map_or_else(|_| Value::from(header.as_str()), Value::from),
    )
}

/// Problems, one line each, of `actual` against the vector's `expect`.
fn compare(expect: &Value, actual: &Value) -> Vec<String> {
    let Some(expect) = expect.as_object() else {
        return vec!["vector has no \"expect\" object".to_string()];
    };
    let mut problems: Vec<String> = expect
        .keys()
        .filter(|key| !EXPECT_KEYS.contains(&key.as_str()))
        .map(|key| format!("vector: unknown expect key {key:?}"))
        .collect();
    let mut check = |path: &str, expected: &Value, actual: Option<&Value>| {
        for m in matcher::mismatches(expected, actual, path) {
            problems.push(format!("{}: {}", m.path, m.problem));
        }
    };
    let succeeded = actual.get("success") == Some(&Value::Bool(true));
    match expect.get("outcome").and_then(Value::as_str) {
        Some("success") if !succeeded => {
            check("$.outcome", &json!("success"), Some(&json!("failure")))
        }
        Some("success") => {
            if let Some(result) = expect.get("result") {
                check("$.result", result, actual.get("result"));
            }
        }
        Some("failure") if succeeded => {
            check("$.outcome", &json!("failure"), Some(&json!("success")))
        }
        Some("failure") => {
            for key in ["error_code", "retryable", "retry_after", "context"] {
                if let Some(expected) = expect.get(key) {
                    check(
                        &format!("$.{key}"),
                        expected,
                        actual.get(key).filter(|v| !v.is_null()),
                    );
                }
            }
        }
        other => problems.push(format!(
            "vector: outcome must be \"success\" or \"failure\", got {other:?}"
        )),
    }
    problems
}

fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|line| format!("{prefix}{line}"))
        .collect::<Vec<_>>()
        .join("\n")
}
