//! The posts' workflows, asserted from the engine's records.

use serde_json::{json, Value};
use tasker_book_engine::namespaces::Language;

use crate::support::{
    assert_complete, assert_queued_together, assert_retried_until_exhausted, assert_stopped_at,
    run, Reached, Run, Steps,
};

fn number(value: &Value, expected: f64, what: &str) {
    let actual = value
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: {value} is not a number"));
    assert!(
        (actual - expected).abs() < 1e-9,
        "{what}: {actual}, expected {expected}"
    );
}

// --- post 01 ------------------------------------------------------------------

pub async fn checkout(language: Language) {
    let run = run(language, "post_01_ecommerce", |_| {}).await;
    assert_complete(&run);
    assert_eq!(run.steps.len(), 5);
    let cart = run.result("validate_cart");
    number(&cart["subtotal"], 109.97, "subtotal");
    number(&cart["tax"], 8.80, "tax");
    number(&cart["shipping"], 5.99, "shipping");
    number(&cart["total"], 124.76, "total");
    number(
        &run.result("create_order")["total_amount"],
        124.76,
        "order total",
    );
    assert_eq!(run.result("send_confirmation")["email_sent"], true);
    assert_eq!(
        run.result("send_confirmation")["recipient"],
        "customer@example.com"
    );
    // Each step started only after the one before it completed.
    let order = [
        "validate_cart",
        "process_payment",
        "update_inventory",
        "create_order",
        "send_confirmation",
    ];
    for pair in order.windows(2) {
        assert!(
            run.step(pair[1]).first("in_progress") >= run.step(pair[0]).first("complete"),
            "{pair:?}"
        );
    }
}

pub async fn unknown_product(language: Language) {
    let run = run(language, "post_01_ecommerce", |c| {
        c["cart_items"] = json!([{"product_id": 999, "quantity": 1}]);
    })
    .await;
    assert_stopped_at(&run, "validate_cart", "PRODUCT_NOT_FOUND");
    // Permanent: one attempt although the template allows two.
    assert_eq!(run.step("validate_cart").attempts, 1, "{}", run.describe());
    for later in [
        "process_payment",
        "update_inventory",
        "create_order",
        "send_confirmation",
    ] {
        assert!(
            run.step(later).audit.is_empty(),
            "{later} ran: {}",
            run.describe()
        );
    }
}

pub async fn declined_card(language: Language) {
    let run = run(language, "post_01_ecommerce", |c| {
        c["payment_info"]["token"] = json!("tok_test_declined");
    })
    .await;
    assert_stopped_at(&run, "process_payment", "PAYMENT_DECLINED");
    assert_eq!(
        run.step("process_payment").attempts,
        1,
        "{}",
        run.describe()
    );
    assert_eq!(
        run.step("process_payment").stored["error"]["retryable"],
        false
    );
    assert!(run.step("update_inventory").audit.is_empty());
}

pub async fn network_error(language: Language) {
    let run = run(language, "post_01_ecommerce", |c| {
        c["payment_info"]["token"] = json!("tok_test_network_error");
    })
    .await;
    assert_retried_until_exhausted(
        &run,
        "ecommerce_order_processing",
        "process_payment",
        "PAYMENT_GATEWAY_TIMEOUT",
    );
    assert_eq!(
        run.step("process_payment").stored["error"]["retryable"],
        true
    );
}

// --- post 02 ------------------------------------------------------------------

/// The pipeline's three parallel extracts.
pub const EXTRACTS: [&str; 3] = [
    "extract_sales_data",
    "extract_inventory_data",
    "extract_customer_data",
];
const TRANSFORMS: [&str; 3] = [
    "transform_sales",
    "transform_inventory",
    "transform_customers",
];

pub async fn pipeline(language: Language) {
    let run = run(language, "post_02_data_pipeline", |_| {}).await;
    assert_complete(&run);
    assert_eq!(run.steps.len(), 8);
    assert_queued_together(&run, &EXTRACTS);
    for (transform, extract) in TRANSFORMS.iter().zip(EXTRACTS) {
        assert!(
            run.step(transform).first("enqueued") >= run.step(extract).first("complete"),
            "{transform}"
        );
    }
    let last_transform = TRANSFORMS
        .iter()
        .map(|s| run.step(s).first("complete"))
        .max()
        .unwrap_or_default();
    assert!(run.step("aggregate_metrics").first("enqueued") >= last_transform);
    assert!(
        run.step("generate_insights").first("enqueued")
            >= run.step("aggregate_metrics").first("complete")
    );

    let metrics = run.result("aggregate_metrics");
    number(&metrics["total_revenue"], 3199.73, "total_revenue");
    number(&metrics["total_inventory_quantity"], 575.0, "inventory");
    number(&metrics["total_customers"], 5.0, "customers");
    number(
        &metrics["total_customer_lifetime_value"],
        30500.0,
        "lifetime value",
    );
    number(
        &metrics["revenue_per_customer"],
        639.95,
        "revenue per customer",
    );
}

// --- post 03 ------------------------------------------------------------------

pub async fn registration(language: Language, plan: &str) -> Run {
    let run = run(language, "post_03_microservices", |c| {
        c["user_info"]["plan"] = json!(plan);
        c["user_info"]["email"] = json!(format!("{plan}.user@example.com"));
    })
    .await;
    assert_complete(&run);
    let branches = ["setup_billing_profile", "initialize_preferences"];
    assert_queued_together(&run, &branches);
    for branch in branches {
        assert!(
            run.step(branch).first("enqueued") >= run.step("create_user_account").first("complete")
        );
    }
    let last_branch = branches
        .iter()
        .map(|s| run.step(s).first("complete"))
        .max()
        .unwrap_or_default();
    assert!(run.step("send_welcome_sequence").first("enqueued") >= last_branch);
    let status = run.result("update_user_status");
    assert_eq!(status["status"], "active");
    assert_eq!(status["plan"], plan);
    assert_eq!(
        status["user_id"],
        run.result("create_user_account")["user_id"]
    );
    run
}

pub async fn registration_pro(language: Language) {
    let run = registration(language, "pro").await;
    number(
        &run.result("setup_billing_profile")["price"],
        29.99,
        "pro price",
    );
}

pub async fn registration_free(language: Language) {
    let run = registration(language, "free").await;
    assert_eq!(
        run.result("setup_billing_profile")["status"],
        "skipped_free_plan"
    );
}

// --- post 04 ------------------------------------------------------------------

/// The one worker (as the engine's audit trail names it) that ran every
/// attempt of every step of `run`.
fn single_worker(run: &Run) -> String {
    let workers: std::collections::BTreeSet<&str> = run
        .steps
        .values()
        .flat_map(|step| step.audit.iter().map(|a| a.worker_uuid.as_str()))
        .collect();
    assert_eq!(
        workers.len(),
        1,
        "{} ran on several workers: {workers:?}",
        run.namespace
    );
    workers.into_iter().next().unwrap_or_default().to_string()
}

/// The customer_success run, then the payments run it hands off to, made
/// through the engine's API with the context the first run built.
pub async fn refund_hand_off(language: Language) {
    let cs = run(language, "post_04_customer_success", |_| {}).await;
    assert_complete(&cs);
    assert_eq!(
        cs.result("validate_refund_request")["customer_tier"],
        "premium"
    );
    assert_eq!(cs.result("get_manager_approval")["auto_approved"], true);
    let delegation = cs.result("execute_refund_workflow").clone();
    assert_eq!(delegation["target_namespace"], "payments");
    assert_eq!(delegation["target_workflow"], "process_refund");

    let asked = crate::support::request("post_04_customer_success")["context"].clone();
    let payment_id = cs.result("validate_refund_request")["payment_id"].clone();
    let payments = run(language, "post_04_payments", |c| {
        c["payment_id"] = payment_id.clone();
        c["refund_amount"] = asked["refund_amount"].clone();
        c["customer_email"] = asked["customer_email"].clone();
        c["correlation_id"] = delegation["correlation_id"].clone();
    })
    .await;
    assert_complete(&payments);
    assert_eq!(payments.steps.len(), 4);
    // One process per namespace: the customer_success worker never ran a
    // payments step, nor the other way round.
    assert_ne!(single_worker(&cs), single_worker(&payments));
    assert_eq!(
        payments.result("validate_payment_eligibility")["payment_id"],
        payment_id
    );
    assert_eq!(
        payments.result("process_gateway_refund")["refund_status"],
        "processed"
    );
    assert_eq!(
        payments.result("notify_customer")["refund_id"],
        payments.result("process_gateway_refund")["refund_id"]
    );
}

/// A standard customer whose manager has not decided: the engine retries
/// get_manager_approval to the template's max_attempts, then stops.
pub async fn approval_pending(language: Language) {
    let run = run(language, "post_04_customer_success", |c| {
        c["ticket_id"] = json!("ticket_pending_791");
        c["customer_id"] = json!("cust_standard_321");
    })
    .await;
    assert_retried_until_exhausted(
        &run,
        "customer_success_process_refund",
        "get_manager_approval",
        "APPROVAL_PENDING",
    );
    assert!(run.step("execute_refund_workflow").audit.is_empty());
}
