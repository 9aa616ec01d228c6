//! The stand-in SDKs on the real engine. TypeScript's and Ruby's SDKs here are
//! stand-ins (handlers/typescript/sdk, handlers/ruby/sdk); tasker-py is the
//! real one. A test-only probe workflow (engine/tests/fixtures/probe), served
//! by workers of its own (scripts/stack with STACK_PROBES=1), has handlers in
//! all three that report what their SDK read: a task input, a dependency
//! result, the retry count. `echo_context` fails its first attempt on purpose,
//! so the engine retries it, and each attempt's reading is in the engine's
//! records (the failure's context in the audit trail, the retry's stored
//! result). A stand-in must read exactly what tasker-py reads.

use serde_json::{json, Value};
use tasker_book_engine::namespaces::Language;
use tasker_book_engine::repo_root;
use uuid::Uuid;

use crate::support::{submit_and_settle, Run, Step};

const PROBE_NAMESPACE: &str = "stand_in_probe";
const FIRST_ATTEMPT_CODE: &str = "PROBE_FIRST_ATTEMPT";

/// What the probe handlers read through their SDK, on each attempt of
/// `echo_context`, as the engine recorded it.
#[derive(Debug)]
struct Readings {
    first: Value,
    retry: Value,
}

/// The probe's task input: nested, typed and non-ASCII values, so that a
/// conversion an SDK gets wrong shows.
fn probe_input(word: &str) -> Value {
    json!({
        "word": word,
        "count": 3,
        "ratio": 0.25,
        "tags": ["a", "b"],
        "nested": {"ok": true, "none": null},
        "note": "naïve ✓",
    })
}

fn step<'r>(run: &'r Run, name: &str) -> &'r Step {
    run.steps
        .get(name)
        .unwrap_or_else(|| panic!("no step {name}: {}", run.describe()))
}

/// Runs the probe on `language`'s probe worker and reads back both attempts'
/// readings, after checking the engine ran it as designed: seed once,
/// echo_context failed once (retryably) and succeeded on the retry.
async fn probe(language: Language, input: &Value) -> (Run, Readings) {
    let namespace = language.namespace(PROBE_NAMESPACE);
    let body = json!({
        "name": PROBE_NAMESPACE,
        "version": "1.0.0",
        "context": {"probe": input, "run": format!("stand-in-{}", Uuid::new_v4())},
    });
    let run = submit_and_settle(language, namespace, body).await;
    assert_eq!(run.status, "complete", "{}", run.describe());
    let seed = step(&run, "seed");
    assert_eq!(
        (seed.state.as_str(), seed.attempts),
        ("complete", 1),
        "{}",
        run.describe()
    );
    let echo = step(&run, "echo_context");
    assert_eq!(echo.state, "complete", "{}", run.describe());
    assert_eq!(echo.attempts, 2, "{}", run.describe());
    assert_eq!(
        echo.audit.iter().map(|a| a.success).collect::<Vec<_>>(),
        [false, true],
        "one audit record per attempt, the first a failure: {:?}",
        echo.audit
    );
    let failure = &echo.audit[0].record["result"]["data"];
    assert_eq!(
        failure["metadata"]["error_code"].as_str(),
        Some(FIRST_ATTEMPT_CODE),
        "{failure}"
    );
    assert_eq!(failure["error"]["retryable"], true, "{failure}");
    let readings = Readings {
        first: failure["metadata"]["context"]["reading"].clone(),
        retry: echo.stored["result"]["reading"].clone(),
    };
    (run, readings)
}

/// The values themselves, from the engine's side: the input as submitted,
/// the dependency as the engine stored seed's result, and the retry count as
/// the number of attempts the engine had run before this one.
fn assert_reads_the_engine(run: &Run, readings: &Readings, input: &Value) {
    let who = run.language.name();
    let seed = &step(run, "seed").stored["result"];
    let word = input["word"].as_str().unwrap_or_default();
    assert_eq!(seed, &json!({"token": format!("seed:{word}")}), "{who}");
    let echo = step(run, "echo_context");
    for (earlier_attempts, reading) in [&readings.first, &readings.retry].into_iter().enumerate() {
        let attempt = earlier_attempts + 1;
        assert_eq!(
            reading["input"], *input,
            "{who}, attempt {attempt}: the input"
        );
        assert_eq!(
            reading["dependency"], *seed,
            "{who}, attempt {attempt}: seed's result"
        );
        assert_eq!(
            reading["dependency_token"], seed["token"],
            "{who}, attempt {attempt}: a field of seed's result"
        );
        assert_eq!(
            reading["retry_count"],
            json!(earlier_attempts),
            "{who}, attempt {attempt}: the retry count"
        );
        assert_eq!(
            reading["is_retry"],
            json!(earlier_attempts > 0),
            "{who}, attempt {attempt}: is_retry"
        );
        assert_eq!(
            reading["max_retries"],
            json!(echo.max_attempts),
            "{who}, attempt {attempt}: max_retries is the step's max_attempts"
        );
    }
}

/// The stand-in and tasker-py run the same probe input; each must read the
/// engine correctly, and the stand-in's readings must equal tasker-py's.
async fn reads_what_tasker_py_reads(stand_in: Language) {
    let input = probe_input(&format!("kestrel-{}", stand_in.suffix()));
    let ((python_run, python), (stand_in_run, readings)) =
        tokio::join!(probe(Language::Python, &input), probe(stand_in, &input));
    assert_reads_the_engine(&python_run, &python, &input);
    assert_reads_the_engine(&stand_in_run, &readings, &input);
    assert_eq!(
        readings.first,
        python.first,
        "{} stand-in vs tasker-py, first attempt",
        stand_in.name()
    );
    assert_eq!(
        readings.retry,
        python.retry,
        "{} stand-in vs tasker-py, the retry",
        stand_in.name()
    );
}

#[tokio::test]
async fn typescript_stand_in_reads_what_tasker_py_reads() {
    reads_what_tasker_py_reads(Language::TypeScript).await;
}

#[tokio::test]
async fn ruby_stand_in_reads_what_tasker_py_reads() {
    reads_what_tasker_py_reads(Language::Ruby).await;
}

/// The comparison is fair only if the three languages run the same workflow.
#[test]
fn stand_in_probe_templates_differ_only_in_callables() {
    let templates = repo_root().join("engine/tests/fixtures/probe/templates");
    let without_callables = |language: Language| {
        let path = templates.join(language.name()).join("stand_in_probe.yaml");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut template: serde_yaml::Value =
            serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let steps = template["steps"]
            .as_sequence_mut()
            .unwrap_or_else(|| panic!("{}: no steps", path.display()));
        for step in steps {
            step["handler"]["callable"] = serde_yaml::Value::Null;
        }
        template
    };
    let python = without_callables(Language::Python);
    for stand_in in [Language::TypeScript, Language::Ruby] {
        assert_eq!(without_callables(stand_in), python, "{}", stand_in.name());
    }
}
