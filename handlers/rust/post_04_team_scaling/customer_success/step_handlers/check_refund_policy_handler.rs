// ANCHOR: handler
use std::collections::HashMap;
use std::time::Instant;

use async_trait::async_trait;
use chrono::{Duration, Utc};
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{elapsed_ms, parse_timestamp, permanent_failure, success};
use crate::post_04_team_scaling::customer_success::models::refund_request::RefundRequest;

const NAMESPACE: &str = "customer_success";

/// What a customer tier is allowed.
#[derive(Debug, Clone, Copy)]
struct RefundPolicy {
    window_days: i64,
    requires_approval: bool,
    max_amount_cents: i64,
}

/// The policy for a tier; an unknown tier gets the standard one.
fn policy_for(tier: &str) -> RefundPolicy {
    let (window_days, requires_approval, max_amount_cents) = match tier {
        "premium" => (90, false, 100_000),
        "gold" => (60, false, 50_000),
        _ => (30, true, 10_000),
    };
    RefundPolicy {
        window_days,
        requires_approval,
        max_amount_cents,
    }
}

/// Holds the request against the refund policy of the customer's tier.
#[derive(Debug, Default)]
pub struct CheckRefundPolicyHandler;

#[async_trait]
impl StepHandler for CheckRefundPolicyHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let tier = step
            .get_dependency_field::<String>("validate_refund_request", &["customer_tier"])
            .unwrap_or_else(|_| "standard".to_string());
        let purchased = step
            .get_dependency_field::<String>("validate_refund_request", &["original_purchase_date"])
            .ok()
            .and_then(|date| parse_timestamp(&date));
        let Some(purchased) = purchased else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_VALIDATION",
                "validate_refund_request did not provide the purchase date",
            ));
        };
        let policy = policy_for(&tier);
        let amount_cents = RefundRequest::from_step(step).refund_amount.unwrap_or(0);

        // Whole days, rounded down: day 30 of a 30-day window is inside it.
        // num_days() rounds toward zero, which is up for a date in the future.
        let elapsed = Utc::now() - purchased;
        let days_since_purchase = match elapsed.num_days() {
            days if elapsed < Duration::days(days) => days - 1,
            days => days,
        };
        if days_since_purchase > policy.window_days {
            return Ok(StepExecutionResult::failure(
                step.workflow_step.workflow_step_uuid,
                format!(
                    "purchase was {days_since_purchase} days ago; {tier} refunds are allowed for {} days",
                    policy.window_days
                ),
                Some("OUTSIDE_REFUND_WINDOW".to_string()),
                Some("permanent_error".to_string()),
                false,
                elapsed_ms(started),
                Some(HashMap::from([
                    ("days_since_purchase".to_string(), json!(days_since_purchase)),
                    ("refund_window_days".to_string(), json!(policy.window_days)),
                ])),
            ));
        }
        if amount_cents > policy.max_amount_cents {
            return Ok(StepExecutionResult::failure(
                step.workflow_step.workflow_step_uuid,
                format!(
                    "a refund of {amount_cents} cents exceeds the {tier} limit of {} cents",
                    policy.max_amount_cents
                ),
                Some("EXCEEDS_AMOUNT_LIMIT".to_string()),
                Some("permanent_error".to_string()),
                false,
                elapsed_ms(started),
                Some(HashMap::from([
                    ("refund_amount".to_string(), json!(amount_cents)),
                    (
                        "max_allowed_amount".to_string(),
                        json!(policy.max_amount_cents),
                    ),
                ])),
            ));
        }

        Ok(success(
            step,
            started,
            json!({
                "policy_checked": true,
                "policy_compliant": true,
                "customer_tier": tier,
                "refund_window_days": policy.window_days,
                "days_since_purchase": days_since_purchase,
                "within_refund_window": true,
                "requires_approval": policy.requires_approval,
                "max_allowed_amount": policy.max_amount_cents,
                "namespace": NAMESPACE,
            }),
        ))
    }

    fn name(&self) -> &str {
        "customer_success_check_refund_policy"
    }
}
// ANCHOR_END: handler
