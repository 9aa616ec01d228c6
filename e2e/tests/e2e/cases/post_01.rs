//! Post 01, e-commerce checkout: a linear chain of five steps.

use tasker_e2e::{scenarios, Language};

use crate::support::{
    assert_complete, assert_number, assert_retried_until_exhausted, assert_stopped_at, run,
};

const STEM: &str = "ecommerce_order_processing";

pub async fn success(language: Language) {
    let report = run(language, STEM, scenarios::checkout()).await;
    assert_complete(&report);
    assert_eq!(report.steps.len(), 5);
    let cart = report.result("validate_cart");
    assert_number(&cart["subtotal"], 109.97, "subtotal");
    assert_number(&cart["tax"], 8.80, "tax");
    assert_number(&cart["shipping"], 5.99, "shipping");
    assert_number(&cart["total"], 124.76, "total");
    assert_number(
        &report.result("create_order")["total_amount"],
        124.76,
        "order total",
    );
    assert_eq!(report.result("send_confirmation")["email_sent"], true);
    assert_eq!(
        report.result("send_confirmation")["recipient"],
        "customer@example.com"
    );
}

pub async fn unknown_product(language: Language) {
    let report = run(language, STEM, scenarios::checkout_unknown_product()).await;
    assert_stopped_at(&report, "validate_cart", "PRODUCT_NOT_FOUND", false);
    // Permanent: never retried although the template allows two attempts.
    assert_eq!(report.steps[0].attempts.len(), 1);
}

pub async fn declined_card(language: Language) {
    let report = run(
        language,
        STEM,
        scenarios::checkout_with_token("tok_test_declined"),
    )
    .await;
    assert_stopped_at(&report, "process_payment", "PAYMENT_DECLINED", false);
    assert_eq!(report.steps[1].attempts.len(), 1);
}

pub async fn network_error_is_retried_then_fails(language: Language) {
    let report = run(
        language,
        STEM,
        scenarios::checkout_with_token("tok_test_network_error"),
    )
    .await;
    assert_stopped_at(&report, "process_payment", "PAYMENT_GATEWAY_TIMEOUT", true);
    assert_retried_until_exhausted(
        &report,
        STEM,
        "process_payment",
        "PAYMENT_GATEWAY_TIMEOUT",
        15.0,
    );
}

#[macro_export]
macro_rules! post_01_tests {
    ($language:expr) => {
        use $crate::cases::post_01;

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn checkout_completes_all_five_steps() {
            post_01::success($language).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn unknown_product_stops_at_validate_cart() {
            post_01::unknown_product($language).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn declined_card_stops_at_process_payment() {
            post_01::declined_card($language).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn network_error_is_retried_to_max_attempts_then_fails() {
            post_01::network_error_is_retried_then_fails($language).await;
        }
    };
}
