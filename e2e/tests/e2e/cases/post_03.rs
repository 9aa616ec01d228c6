//! Post 03, user registration: a diamond with two parallel branches.

use tasker_e2e::{scenarios, Language, RunReport};

use crate::support::{assert_after, assert_complete, assert_number, assert_overlap, run};

const STEM: &str = "user_registration";

async fn register(language: Language, plan: &str) -> RunReport {
    let report = run(language, STEM, scenarios::registration(plan)).await;
    assert_complete(&report);
    // The two branches after create_user_account ran at the same time, and
    // the welcome sequence waited for both.
    assert_overlap(
        &report,
        &["setup_billing_profile", "initialize_preferences"],
    );
    assert_after(
        &report,
        "send_welcome_sequence",
        &["setup_billing_profile", "initialize_preferences"],
    );
    let status = report.result("update_user_status");
    assert_eq!(status["status"], "active");
    assert_eq!(status["plan"], plan);
    assert_eq!(status["all_services_coordinated"], true);
    assert_eq!(
        status["user_id"],
        report.result("create_user_account")["user_id"]
    );
    report
}

pub async fn pro(language: Language) {
    let report = register(language, "pro").await;
    let billing = report.result("setup_billing_profile");
    assert_eq!(billing["status"], "active");
    assert_number(&billing["price"], 29.99, "pro price");
    assert_eq!(
        report.result("send_welcome_sequence")["channels_used"],
        serde_json::json!(["email", "in_app"])
    );
    assert_eq!(
        report.result("update_user_status")["registration_summary"]["billing_id"],
        billing["billing_id"]
    );
}

pub async fn free(language: Language) {
    let report = register(language, "free").await;
    // Graceful degradation: no billing for the free plan, and the workflow
    // carries on as if billing had succeeded.
    let billing = report.result("setup_billing_profile");
    assert_eq!(billing["status"], "skipped_free_plan");
    assert_eq!(billing["billing_required"], false);
    assert!(
        billing.get("billing_id").is_none(),
        "free plan got a billing id: {billing}"
    );
    assert_eq!(report.result("send_welcome_sequence")["status"], "sent");
}

pub async fn enterprise(language: Language) {
    let report = register(language, "enterprise").await;
    assert_number(
        &report.result("setup_billing_profile")["price"],
        299.99,
        "enterprise price",
    );
    assert_eq!(
        report.result("send_welcome_sequence")["channels_used"],
        serde_json::json!(["email", "in_app", "sms"])
    );
    assert_eq!(
        report.result("initialize_preferences")["defaults_applied"],
        10
    );
}

#[macro_export]
macro_rules! post_03_tests {
    ($language:expr) => {
        use $crate::cases::post_03;

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn pro_user_registers_with_billing() {
            post_03::pro($language).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn free_user_takes_the_graceful_degradation_path() {
            post_03::free($language).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn enterprise_user_gets_every_channel() {
            post_03::enterprise($language).await;
        }
    };
}
