//! The shared conformance vectors (handlers/vectors/**/*.json) run against
//! the Rust handlers: namespace + step → Rust template → callable →
//! registry → handler. One test case per vector file.
//!
//! `TASKER_VECTORS_DIR`, read when the binary starts (not when it is
//! compiled), names another vector folder to run instead.

mod matcher;
mod step_builder;
#[path = "../support/mod.rs"]
mod support;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::Arc;

use chrono::Utc;

use libtest_mimic::{Arguments, Failed, Trial};
use serde_json::{json, Map, Value};
use support::{display, files_under, repo_root, rust_templates};

use matcher::{RunClock, Scope};
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

/// Names another vector folder to run instead of handlers/vectors.
const VECTORS_DIR_VARIABLE: &str = "TASKER_VECTORS_DIR";

/// The vector folder of this run: `$TASKER_VECTORS_DIR` if set (relative to
/// the current directory), else handlers/vectors. Read from the environment
/// at run time, so one build runs any vector set; a folder that does not
/// exist is an error, never an empty and so vacuously passing run.
fn vectors_dir() -> Result<PathBuf, String> {
    let Some(configured) = std::env::var_os(VECTORS_DIR_VARIABLE).filter(|v| !v.is_empty()) else {
        return Ok(repo_root().join("handlers/vectors"));
    };
    let folder = std::env::current_dir()
        .map(|cwd| cwd.join(&configured))
        .unwrap_or_else(|_| PathBuf::from(&configured));
    if folder.is_dir() {
        Ok(folder)
    } else {
        Err(format!(
            "{VECTORS_DIR_VARIABLE}={configured:?} is not a folder ({} does not exist)",
            folder.display()
        ))
    }
}

fn main() -> ExitCode {
    let args = Arguments::from_args();
    let vectors_dir = match vectors_dir() {
        Ok(folder) => folder,
        Err(problem) => {
            eprintln!("error: {problem}");
            return ExitCode::FAILURE;
        }
    };
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
    // Only in the run over the shared vectors: the run it starts reads a folder
    // of its own and so does not start another.
    if std::env::var_os(VECTORS_DIR_VARIABLE).is_none() {
        trials.push(Trial::test(
            "TASKER_VECTORS_DIR is read at run time",
            vectors_dir_is_read_at_run_time,
        ));
    }

    if !ignored.is_empty() {
        let total: usize = ignored.values().sum();
        let detail: Vec<String> = ignored.iter().map(|(ns, n)| format!("{ns}: {n}")).collect();
        eprintln!(
            "NOTE: {total} vector(s) ignored, namespaces not yet ported to Rust ({})",
            detail.join(", ")
        );
    }
    libtest_mimic::run(&args, trials).exit_code()
}

/// A vector that exists nowhere in handlers/vectors: if it runs, the folder
/// came from the variable.
const DISTINCTIVE_NAME: &str = "post_99_elsewhere/validate_cart__only_in_a_custom_folder";

/// Runs this very binary (built once) again with `TASKER_VECTORS_DIR` set: to
/// a folder holding one distinctive vector, then to a folder that does not
/// exist.
fn vectors_dir_is_read_at_run_time() -> Result<(), Failed> {
    let folder = std::env::temp_dir().join(format!("tasker-vectors-{}", uuid::Uuid::new_v4()));
    let vector = json!({
        "description": "An empty context has no cart: permanent MISSING_CART_ITEMS.",
        "namespace": "ecommerce",
        "step": "validate_cart",
        "input": {},
        "dependency_results": {},
        "expect": {"outcome": "failure", "error_code": "MISSING_CART_ITEMS", "retryable": false},
    });
    let file = folder.join(format!("{DISTINCTIVE_NAME}.json"));
    let outcome = file
        .parent()
        .ok_or_else(|| "no parent folder".to_string())
        .and_then(|parent| std::fs::create_dir_all(parent).map_err(|e| e.to_string()))
        .and_then(|()| std::fs::write(&file, vector.to_string()).map_err(|e| e.to_string()))
        .and_then(|()| check_runs_on(&folder));
    // Best effort: a leftover temp folder is not worth failing the run for.
    let _ = std::fs::remove_dir_all(&folder);
    outcome.map_err(Failed::from)
}

fn check_runs_on(folder: &Path) -> Result<(), String> {
    let run = |folder: &Path| {
        let binary = std::env::current_exe().map_err(|e| e.to_string())?;
        let output = Command::new(binary)
            .env(VECTORS_DIR_VARIABLE, folder)
            .args(["--test-threads", "1"])
            .output()
            .map_err(|e| e.to_string())?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Ok::<_, String>((output.status.success(), text))
    };
    let (passed, text) = run(folder)?;
    let vectors_run: Vec<&str> = text
        .lines()
        .filter(|line| line.starts_with("test post_"))
        .collect();
    if !passed || vectors_run.len() != 1 || !vectors_run[0].contains(DISTINCTIVE_NAME) {
        return Err(format!(
            "expected exactly {DISTINCTIVE_NAME} to run and pass from {}, got:\n{text}",
            folder.display()
        ));
    }
    let (passed, text) = run(&folder.join("no_such_folder"))?;
    if passed || !text.contains(VECTORS_DIR_VARIABLE) {
        return Err(format!(
            "a missing folder should fail naming {VECTORS_DIR_VARIABLE}, got:\n{text}"
        ));
    }
    Ok(())
}

fn read_json(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read: {e}"))?;
    serde_json::from_str(&text).map_err(|e| format!("invalid JSON: {e}"))
}

fn run_vector(path: &Path, templates: &[TaskTemplate]) -> Result<(), Failed> {
    let shown = display(path);
    let outcome = execute(path, templates).map_err(|e| format!("{shown}: {e}"))?;
    let (vector, actual, clock) = outcome;
    let expect = vector.get("expect").cloned().unwrap_or(Value::Null);
    let problems = compare(&expect, &actual, clock);
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
/// handler and returns the vector with the normalised outcome and the clock
/// of the run.
fn execute(path: &Path, templates: &[TaskTemplate]) -> Result<(Value, Value, RunClock), String> {
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

    let start = Utc::now();
    let step = step_builder::build_step(&vector, template, definition, start)?;
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
    let clock = RunClock {
        start,
        end: Utc::now(),
    };
    Ok((vector, normalise(&result), clock))
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
fn compare(expect: &Value, actual: &Value, clock: RunClock) -> Vec<String> {
    let Some(expect) = expect.as_object() else {
        return vec!["vector has no \"expect\" object".to_string()];
    };
    let mut problems: Vec<String> = expect
        .keys()
        .filter(|key| !EXPECT_KEYS.contains(&key.as_str()))
        .map(|key| format!("vector: unknown expect key {key:?}"))
        .collect();
    let succeeded = actual.get("success") == Some(&Value::Bool(true));
    // Relative expectations name fields of the result (or of a failure's context).
    let scope = Scope {
        clock: Some(clock),
        root: actual.get(if succeeded { "result" } else { "context" }),
    };
    let mut check = |path: &str, expected: &Value, actual: Option<&Value>| {
        for m in matcher::mismatches(expected, actual, path, scope) {
            problems.push(format!("{}: {}", m.path, m.problem));
        }
    };
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
