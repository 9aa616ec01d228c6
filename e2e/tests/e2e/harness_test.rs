//! The harness itself: broken workers are diagnosed (never a hang), set-up
//! problems are errors rather than handler failures, templates load as
//! Tasker loads them.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use tasker_e2e::{
    repo_root, scenarios, Harness, HarnessError, Language, RunOptions, StepOutcome,
    TemplateCatalog, WorkerFailureKind, WorkerSpec, Workflow, STEP_TIMEOUT,
};

/// A Python "worker" that is really a shell script, to misbehave on purpose.
fn fake_python(script: &str) -> WorkerSpec {
    WorkerSpec {
        language: Language::Python,
        program: PathBuf::from("sh"),
        args: vec!["-c".into(), script.into()],
        cwd: repo_root(),
        env: Vec::new(),
        startup_timeout: Duration::from_secs(10),
        setup_hint: "this is a test double".into(),
    }
}

fn harness_with(spec: WorkerSpec, options: RunOptions) -> Harness {
    Harness::with_worker_specs(&repo_root(), options, vec![spec])
}

async fn run_checkout(harness: &Harness) -> Result<tasker_e2e::RunReport, HarnessError> {
    let workflow = harness.workflow(Language::Python, "ecommerce_order_processing")?;
    tokio::time::timeout(
        Duration::from_secs(30),
        harness.run(&workflow, scenarios::checkout()),
    )
    .await
    .expect("the harness must not hang")
}

fn worker_failure(
    result: Result<tasker_e2e::RunReport, HarnessError>,
) -> tasker_e2e::WorkerFailure {
    match result {
        Err(HarnessError::Worker(failure)) => failure,
        other => panic!("expected a worker failure, got {other:?}"),
    }
}

#[tokio::test]
async fn a_missing_interpreter_is_a_start_failure_naming_language_and_step() {
    let mut spec = fake_python("");
    spec.program = PathBuf::from("/nonexistent/python");
    let failure = worker_failure(run_checkout(&harness_with(spec, RunOptions::default())).await);
    assert_eq!(failure.kind, WorkerFailureKind::StartFailed);
    assert_eq!(failure.language, Language::Python);
    assert_eq!(failure.step, "validate_cart");
    let message = failure.to_string();
    assert!(
        message.contains("python worker failed to start (step `validate_cart`)"),
        "{message}"
    );
    assert!(message.contains("this is a test double"), "{message}");
}

#[tokio::test]
async fn a_worker_dying_at_start_up_reports_its_stderr() {
    let spec = fake_python("echo 'ModuleNotFoundError: No module named tasker_core' >&2; exit 3");
    let failure = worker_failure(run_checkout(&harness_with(spec, RunOptions::default())).await);
    assert_eq!(failure.kind, WorkerFailureKind::StartFailed);
    assert!(
        failure.stderr.contains("No module named tasker_core"),
        "{failure}"
    );
    assert!(failure.detail.contains("exit status: 3"), "{failure}");
}

#[tokio::test]
async fn a_worker_crashing_mid_step_reports_language_step_and_stderr() {
    let spec = fake_python(
        r#"echo '{"ready": true}'; read request; echo 'Segmentation fault in handler' >&2; exit 139"#,
    );
    let failure = worker_failure(run_checkout(&harness_with(spec, RunOptions::default())).await);
    assert_eq!(failure.kind, WorkerFailureKind::Crashed);
    assert_eq!(failure.step, "validate_cart");
    assert!(
        failure.stderr.contains("Segmentation fault in handler"),
        "{failure}"
    );
    assert!(failure
        .to_string()
        .contains("python worker crashed (step `validate_cart`)"));
}

#[tokio::test]
async fn a_worker_writing_garbage_is_reported_not_awaited() {
    let spec = fake_python(
        r#"echo '{"ready": true}'; read request; echo 'Traceback: not json'; exec sleep 30"#,
    );
    let failure = worker_failure(run_checkout(&harness_with(spec, RunOptions::default())).await);
    assert!(failure.detail.contains("Traceback: not json"), "{failure}");
}

#[tokio::test]
async fn a_hung_worker_times_out_per_step_and_is_retried_like_any_timeout() {
    // The template gives validate_cart 10 s and 2 attempts; scaled to 50 ms.
    let spec = fake_python(
        r#"echo '{"ready": true}'; echo 'stuck waiting for a lock' >&2; exec sleep 30"#,
    );
    let options = RunOptions {
        timeout_scale: 0.005,
        backoff_scale: 0.001,
        ..RunOptions::default()
    };
    let started = Instant::now();
    let report = run_checkout(&harness_with(spec, options))
        .await
        .expect("a report");
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "took {:?}",
        started.elapsed()
    );
    let step = &report.steps[0];
    assert_eq!(step.outcome, StepOutcome::Failed);
    assert_eq!(step.attempts.len(), 2);
    let error = step.error.as_ref().expect("an error");
    assert_eq!(error.error_code.as_deref(), Some(STEP_TIMEOUT));
    assert!(error.retryable);
    assert!(
        error.message.contains("stuck waiting for a lock"),
        "{}",
        error.message
    );
    assert!(report.steps[1..]
        .iter()
        .all(|s| s.outcome == StepOutcome::NotRun));
}

/// A copy of a template with one callable changed, in a temporary folder.
fn template_with_callable(language: Language, stem: &str, from: &str, to: &str) -> Workflow {
    let source = repo_root().join(format!("handlers/templates/{language}/{stem}.yaml"));
    let text = std::fs::read_to_string(&source).expect("the template exists");
    assert!(text.contains(from), "{from} not in {}", source.display());
    let dir = std::env::temp_dir().join(format!("tasker-e2e-{}-{language}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join(format!("{stem}.yaml"));
    std::fs::write(&path, text.replacen(from, to, 1)).expect("written");
    Workflow::from_path(language, &path).expect("still a valid template")
}

#[tokio::test]
async fn an_unknown_callable_is_a_resolution_error_in_every_language() {
    let renamed = [
        (
            Language::Python,
            "ecommerce.step_handlers.ProcessPaymentHandler",
        ),
        (
            Language::TypeScript,
            "Ecommerce.StepHandlers.ProcessPaymentHandler",
        ),
        (
            Language::Ruby,
            "Ecommerce::StepHandlers::ProcessPaymentHandler",
        ),
        (Language::Rust, "ecommerce_process_payment"),
    ];
    for (language, callable) in renamed {
        let workflow = template_with_callable(
            language,
            "ecommerce_order_processing",
            callable,
            &format!("{callable}Missing"),
        );
        match crate::support::harness()
            .run(&workflow, scenarios::checkout())
            .await
        {
            Err(HarnessError::Resolution {
                language: l,
                step,
                message,
            }) => {
                assert_eq!(
                    (l, step.as_str()),
                    (language, "process_payment"),
                    "{message}"
                );
            }
            other => panic!("{language}: expected a resolution error, got {other:?}"),
        }
    }
}

#[test]
fn a_cyclic_template_is_refused() {
    let dir = std::env::temp_dir().join(format!("tasker-e2e-cycle-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let path = dir.join("cycle.yaml");
    let yaml = "name: cycle\nnamespace_name: cycle\nversion: 1.0.0\nsteps:\n\
                - name: a\n  handler: {callable: x}\n  dependencies: [b]\n\
                - name: b\n  handler: {callable: y}\n  dependencies: [a]\n";
    std::fs::write(&path, yaml).expect("written");
    let error = Workflow::from_path(Language::Rust, &path).expect_err("a cycle");
    assert!(matches!(error, HarnessError::Template { .. }), "{error}");
}

#[test]
fn every_language_has_all_five_templates() {
    for language in Language::ALL {
        let catalog = TemplateCatalog::load(&repo_root(), language).expect("the templates load");
        assert_eq!(catalog.len(), 5, "{language}");
        assert_eq!(catalog.named("process_refund").len(), 2, "{language}");
    }
}
