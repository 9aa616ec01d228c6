//! Post 04, team scaling: one workflow name, `process_refund`, in two
//! namespaces.

use std::collections::BTreeSet;

use serde_json::Value;
use tasker_e2e::{repo_root, scenarios, Language, RunReport, TemplateCatalog};

use crate::support::{assert_complete, assert_retried_until_exhausted, assert_stopped_at, harness};

const CUSTOMER_SUCCESS: &str = "customer_success_process_refund";
const PAYMENTS: &str = "payments_process_refund";

/// Every step result names the namespace whose handler produced it.
fn assert_namespace_everywhere(report: &RunReport) {
    for step in &report.steps {
        assert_eq!(
            step.result.as_ref().and_then(|r| r.get("namespace")),
            Some(&Value::String(report.namespace.clone())),
            "{} ({}) answered from another namespace",
            step.name,
            report.language
        );
    }
}

pub async fn premium_customer_is_auto_approved(language: Language) {
    let report = crate::support::run(
        language,
        CUSTOMER_SUCCESS,
        scenarios::refund_request_premium(),
    )
    .await;
    assert_complete(&report);
    assert_namespace_everywhere(&report);
    assert_eq!(
        report.result("validate_refund_request")["customer_tier"],
        "premium"
    );
    let approval = report.result("get_manager_approval");
    assert_eq!(approval["auto_approved"], true);
    assert_eq!(approval["approval_id"], Value::Null);
    let delegation = report.result("execute_refund_workflow");
    assert_eq!(delegation["target_namespace"], "payments");
    assert_eq!(delegation["target_workflow"], "process_refund");
    let note = report.result("update_ticket_status")["resolution_note"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        note.starts_with("Refund of $49.99 processed successfully"),
        "{note}"
    );
}

pub async fn standard_customer_needs_a_manager(language: Language) {
    let report = crate::support::run(
        language,
        CUSTOMER_SUCCESS,
        scenarios::refund_request_standard(),
    )
    .await;
    assert_complete(&report);
    assert_namespace_everywhere(&report);
    let approval = report.result("get_manager_approval");
    assert_eq!(approval["approval_required"], true);
    assert_eq!(approval["auto_approved"], false);
    let manager = approval["manager_id"].as_str().unwrap_or_default();
    assert!(
        manager.len() == 5 && manager.starts_with("mgr_") && ("1"..="5").contains(&&manager[4..]),
        "manager_id {manager:?}"
    );
    assert_eq!(
        report.result("execute_refund_workflow")["correlation_id"],
        "cs-e2e-standard"
    );
}

pub async fn payments_refund(language: Language) {
    let report = crate::support::run(language, PAYMENTS, scenarios::payment_refund()).await;
    assert_complete(&report);
    assert_eq!(report.steps.len(), 4);
    assert_namespace_everywhere(&report);
    assert_eq!(
        report.result("validate_payment_eligibility")["payment_id"],
        "pay_test_12345abc"
    );
    assert_eq!(
        report.result("process_gateway_refund")["refund_status"],
        "processed"
    );
    let notice = report.result("notify_customer");
    assert_eq!(notice["refund_amount"], 4999);
    assert_eq!(
        notice["refund_id"],
        report.result("process_gateway_refund")["refund_id"]
    );
}

/// Both `process_refund` templates are loaded into one catalogue and run at
/// the same time through the same worker; each resolves only the handlers
/// of its own namespace.
pub async fn both_templates_side_by_side(language: Language) {
    let catalog = TemplateCatalog::load(&repo_root(), language).expect("the templates load");
    let refunds = catalog.named("process_refund");
    let namespaces: BTreeSet<(&str, &str)> = refunds
        .iter()
        .map(|w| {
            (
                w.template.namespace_name.as_str(),
                w.template.version.as_str(),
            )
        })
        .collect();
    assert_eq!(
        namespaces,
        BTreeSet::from([("customer_success", "1.3.0"), ("payments", "2.1.0")])
    );

    // Each template's callables name its own namespace (in the language's
    // spelling: customer_success., CustomerSuccess::, customer_success_...).
    let squash = |text: &str| {
        text.chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_lowercase()
    };
    for workflow in &refunds {
        let namespace = squash(&workflow.template.namespace_name);
        for step in workflow.steps() {
            assert!(
                squash(&step.handler.callable).starts_with(&namespace),
                "{language}: {} step {} resolves {}",
                workflow.template.namespace_name,
                step.name,
                step.handler.callable
            );
        }
    }

    let customer_success = catalog
        .get("customer_success", "process_refund")
        .expect("loaded");
    let payments = catalog.get("payments", "process_refund").expect("loaded");
    let (a, b) = tokio::join!(
        harness().run(customer_success, scenarios::refund_request_premium()),
        harness().run(payments, scenarios::payment_refund()),
    );
    for report in [a, b] {
        let report = report.unwrap_or_else(|e| panic!("{language}: {e}"));
        assert_complete(&report);
        assert_namespace_everywhere(&report);
    }
}

pub async fn pending_approval_is_retried_then_exhausted(language: Language) {
    let report = crate::support::run(
        language,
        CUSTOMER_SUCCESS,
        scenarios::refund_request_pending(),
    )
    .await;
    assert_stopped_at(&report, "get_manager_approval", "APPROVAL_PENDING", true);
    assert_retried_until_exhausted(
        &report,
        CUSTOMER_SUCCESS,
        "get_manager_approval",
        "APPROVAL_PENDING",
        60.0,
    );
}

#[macro_export]
macro_rules! post_04_tests {
    ($language:expr) => {
        use $crate::cases::post_04;

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn premium_customer_is_auto_approved() {
            post_04::premium_customer_is_auto_approved($language).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn standard_customer_needs_manager_approval() {
            post_04::standard_customer_needs_a_manager($language).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn payments_refund_completes() {
            post_04::payments_refund($language).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn both_process_refund_templates_run_side_by_side() {
            post_04::both_templates_side_by_side($language).await;
        }

        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn pending_approval_is_retried_then_exhausted() {
            post_04::pending_approval_is_retried_then_exhausted($language).await;
        }
    };
}
