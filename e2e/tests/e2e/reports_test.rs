//! The recorded reports in e2e/reports/ (what the book's timelines show) are
//! well-formed and match the templates they claim to have run.

use tasker_e2e::report::{check_against, check_shape};
use tasker_e2e::{repo_root, scenarios, Language, RunOutcome, RunReport, Workflow};

#[test]
fn committed_reports_are_valid_and_match_their_templates() {
    let root = repo_root();
    for (stem, _) in scenarios::success_cases() {
        let path = root.join(format!("e2e/reports/{stem}.json"));
        let shown = path.display();
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!("{shown}: {e} (run `cargo run -p tasker-e2e --bin record-runs`)")
        });
        let value: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let problems = check_shape(&value);
        assert!(problems.is_empty(), "{shown}:\n{}", problems.join("\n"));
        let report: RunReport =
            serde_json::from_value(value).unwrap_or_else(|e| panic!("{shown}: {e}"));
        let language: Language = report
            .language
            .parse()
            .unwrap_or_else(|e| panic!("{shown}: {e}"));
        let workflow = Workflow::load(&root, language, stem).unwrap_or_else(|e| panic!("{e}"));
        let problems = check_against(&report, &workflow);
        assert!(
            problems.is_empty(),
            "{shown} no longer matches its template:\n{}",
            problems.join("\n")
        );
        assert_eq!(report.outcome, RunOutcome::Complete, "{shown}");
    }
}

#[test]
fn the_shape_check_catches_what_the_timeline_would_trip_over() {
    let good = serde_json::json!({
        "workflow": "w", "namespace": "n", "version": "1", "language": "python", "outcome": "complete",
        "input": {}, "steps": [{"name": "a", "dependencies": [], "outcome": "complete",
            "attempts": [{"start_ms": 0.0, "end_ms": 1.5, "outcome": "success", "error_code": null, "retry_after": null}],
            "result": {}, "error": null}]
    });
    assert_eq!(check_shape(&good), Vec::<String>::new());

    let mut missing_null = good.clone();
    missing_null["steps"][0]["attempts"][0]
        .as_object_mut()
        .expect("an object")
        .remove("retry_after");
    assert_eq!(check_shape(&missing_null).len(), 1);

    let mut integer_time = good.clone();
    integer_time["steps"][0]["attempts"][0]["start_ms"] = serde_json::json!(0);
    let mut extra_key = good.clone();
    extra_key["steps"][0]["status"] = serde_json::json!("done");
    let mut bad_outcome = good;
    bad_outcome["outcome"] = serde_json::json!("success");
    for broken in [integer_time, extra_key, bad_outcome] {
        assert_eq!(check_shape(&broken).len(), 1, "{broken}");
    }
}
