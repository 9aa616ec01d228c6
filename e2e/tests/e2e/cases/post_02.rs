//! Post 02, analytics pipeline: fan-out to three extracts, convergence.

use tasker_e2e::{scenarios, Language};

use crate::support::{assert_after, assert_complete, assert_number, assert_overlap, run};

const STEM: &str = "analytics_pipeline";
const EXTRACTS: [&str; 3] = [
    "extract_sales_data",
    "extract_inventory_data",
    "extract_customer_data",
];
const TRANSFORMS: [&str; 3] = [
    "transform_sales",
    "transform_inventory",
    "transform_customers",
];

pub async fn success(language: Language) {
    let report = run(language, STEM, scenarios::pipeline()).await;
    assert_complete(&report);
    assert_eq!(report.steps.len(), 8);

    // Fan-out: the three extracts ran at the same time.
    assert_overlap(&report, &EXTRACTS);
    for (transform, extract) in TRANSFORMS.iter().zip(EXTRACTS) {
        assert_after(&report, transform, &[extract]);
    }
    // Convergence: aggregate waited for all three transforms.
    assert_after(&report, "aggregate_metrics", &TRANSFORMS);
    assert_after(&report, "generate_insights", &["aggregate_metrics"]);

    // The spec's checked values.
    let metrics = report.result("aggregate_metrics");
    assert_number(&metrics["total_revenue"], 3199.73, "total_revenue");
    assert_number(&metrics["total_inventory_quantity"], 575.0, "inventory");
    assert_number(&metrics["inventory_reorder_alerts"], 0.0, "reorder alerts");
    assert_number(&metrics["total_customers"], 5.0, "customers");
    assert_number(
        &metrics["total_customer_lifetime_value"],
        30500.0,
        "lifetime value",
    );
    assert_number(
        &metrics["revenue_per_customer"],
        639.95,
        "revenue per customer",
    );
    assert_number(&metrics["inventory_turnover_indicator"], 5.5647, "turnover");
    let customers = report.result("transform_customers");
    assert_number(
        &customers["avg_customer_value"],
        6100.0,
        "average lifetime value",
    );
    assert_number(
        &customers["value_segments"]["high_value"],
        1.0,
        "high value",
    );
    assert_number(
        &customers["value_segments"]["medium_value"],
        3.0,
        "medium value",
    );
    assert_number(&customers["value_segments"]["low_value"], 1.0, "low value");
    let insights = report.result("generate_insights");
    assert_number(&insights["health_score"]["score"], 100.0, "health score");
    assert_eq!(insights["health_score"]["rating"], "Excellent");
    assert_eq!(insights["pipeline_complete"], true);
}

#[macro_export]
macro_rules! post_02_tests {
    ($language:expr) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn pipeline_fans_out_and_converges() {
            $crate::cases::post_02::success($language).await;
        }
    };
}
