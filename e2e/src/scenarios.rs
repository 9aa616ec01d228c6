//! The task inputs of the posts' end-to-end cases (blog-posts.md), shared by
//! the tests and the `record-runs` command.

use serde_json::{json, Value};

/// Post 01: the spec's example checkout (total 124.76).
pub fn checkout() -> Value {
    json!({
        "cart_items": [{"product_id": 1, "quantity": 2}, {"product_id": 2, "quantity": 1}],
        "customer_info": {"email": "customer@example.com", "name": "John Doe", "phone": "+1-555-0123"},
        "payment_info": {"method": "credit_card", "token": "tok_test_valid", "amount": 124.76},
    })
}

/// Post 01 with a product id the catalogue does not have.
pub fn checkout_unknown_product() -> Value {
    let mut input = checkout();
    input["cart_items"] = json!([{"product_id": 999, "quantity": 1}]);
    input
}

/// Post 01 with a payment token the gateway simulation reacts to.
pub fn checkout_with_token(token: &str) -> Value {
    let mut input = checkout();
    input["payment_info"]["token"] = json!(token);
    input
}

/// Post 02: optional, not read by the handlers.
pub fn pipeline() -> Value {
    json!({
        "pipeline_id": "pipeline_2025_11",
        "date_range": {"start_date": "2025-11-01", "end_date": "2025-11-30"},
    })
}

/// Post 03: a new user on `plan` (free, pro or enterprise).
pub fn registration(plan: &str) -> Value {
    json!({
        "user_info": {
            "email": format!("{plan}.user@example.com"),
            "name": format!("Sam {}", capitalise(plan)),
            "plan": plan,
            "phone": "+1-555-0199",
            "source": "web",
        }
    })
}

/// Post 04, customer_success: the spec's premium example (auto-approved).
pub fn refund_request_premium() -> Value {
    json!({
        "ticket_id": "ticket_cs_789",
        "customer_id": "cust_premium_456",
        "refund_amount": 4999,
        "refund_reason": "Product defective",
        "customer_email": "premium@example.com",
        "agent_notes": "Customer sent photos of the damage",
    })
}

/// Post 04, customer_success: a standard customer (needs a manager).
pub fn refund_request_standard() -> Value {
    json!({
        "ticket_id": "ticket_cs_790",
        "customer_id": "cust_standard_321",
        "refund_amount": 4999,
        "refund_reason": "Arrived late",
        "customer_email": "standard@example.com",
        "correlation_id": "cs-e2e-standard",
    })
}

/// Post 04, customer_success: a standard customer whose manager has not
/// decided yet (APPROVAL_PENDING, retryable).
pub fn refund_request_pending() -> Value {
    let mut input = refund_request_standard();
    input["ticket_id"] = json!("ticket_pending_791");
    input
}

/// Post 04, payments: the spec's example refund.
pub fn payment_refund() -> Value {
    json!({
        "payment_id": "pay_test_12345abc",
        "refund_amount": 4999,
        "refund_reason": "customer_request",
        "customer_email": "customer@example.com",
        "correlation_id": "cs-e2e-payments",
    })
}

/// The success case of each workflow (template file stem → input): what
/// `record-runs` records. Post 03 is recorded for the pro plan.
pub fn success_cases() -> Vec<(&'static str, Value)> {
    vec![
        ("ecommerce_order_processing", checkout()),
        ("analytics_pipeline", pipeline()),
        ("user_registration", registration("pro")),
        ("customer_success_process_refund", refund_request_premium()),
        ("payments_process_refund", payment_refund()),
    ]
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
