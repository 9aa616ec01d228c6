//! `record-runs` on the engine: a run read back as the report a chapter's
//! timeline draws, checked as the committed reports are.

use tasker_book_engine::namespaces::Language;
use tasker_book_engine::report;

use crate::support::{assert_complete, run};

pub async fn a_recorded_pipeline_run() {
    let run = run(Language::Python, "post_02_data_pipeline", |_| {}).await;
    assert_complete(&run);
    let report = report::report(&run, "analytics_pipeline").unwrap_or_else(|e| panic!("{e:#}"));
    report::check(&report, "analytics_pipeline").unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(report.namespace, "data_pipeline");
    assert_eq!(report.workers, "tasker-py 0.1.8");
    // The fan-out the chapter shows: every extract was queued before the
    // first of them had settled.
    let extracts: Vec<&report::AttemptReport> = report
        .steps
        .iter()
        .filter(|s| s.name.starts_with("extract_"))
        .flat_map(|s| s.attempts.iter())
        .collect();
    assert_eq!(extracts.len(), 3);
    let first_settled = extracts
        .iter()
        .map(|a| a.settled_ms)
        .fold(f64::INFINITY, f64::min);
    for attempt in &extracts {
        assert!(attempt.queued_ms < first_settled, "{:?}", report.steps);
    }
    let insights = &report.steps[report.steps.len() - 1];
    assert_eq!(insights.name, "generate_insights");
    assert_eq!(
        insights.result["health_score"]["score"], 100,
        "{}",
        insights.result
    );
}
