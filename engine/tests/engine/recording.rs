//! `record-runs` on the engine: a run read back as the report a chapter's
//! timeline draws, checked as the committed reports are.

use tasker_book_engine::namespaces::Language;
use tasker_book_engine::report;

use crate::support::{assert_complete, assert_queued_together, run};

pub async fn a_recorded_pipeline_run() {
    let run = run(Language::Python, "post_02_data_pipeline", |_| {}).await;
    assert_complete(&run);
    let report = report::report(&run, "analytics_pipeline").unwrap_or_else(|e| panic!("{e:#}"));
    report::check(&report, "analytics_pipeline").unwrap_or_else(|e| panic!("{e:#}"));
    assert_eq!(report.namespace, "data_pipeline");
    assert_eq!(report.workers, "tasker-py 0.1.8");
    // The fan-out the chapter's timeline shows, in the engine's own
    // bookkeeping: the extracts were queued in one pass of the task.
    assert_queued_together(&run, &crate::posts::EXTRACTS);
    let insights = &report.steps[report.steps.len() - 1];
    assert_eq!(insights.name, "generate_insights");
    assert_eq!(
        insights.result["health_score"]["score"], 100,
        "{}",
        insights.result
    );
}
