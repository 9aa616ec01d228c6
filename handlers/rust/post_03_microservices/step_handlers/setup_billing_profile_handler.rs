// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{
    days_from_now_iso, hex_id, now_iso, permanent_failure, success, to_dollars,
};
use crate::post_03_microservices::models::user::{Plan, UserAccount};

/// Days until the first monthly charge.
const BILLING_CYCLE_DAYS: i64 = 30;

/// Monthly price in cents and the features a paid plan unlocks; `None` for
/// the free plan, which has nothing to bill.
fn billing_tier(plan: Plan) -> Option<(i64, &'static [&'static str])> {
    match plan {
        Plan::Free => None,
        Plan::Pro => Some((2999, &["basic_features", "advanced_analytics"])),
        Plan::Enterprise => Some((
            29999,
            &[
                "basic_features",
                "advanced_analytics",
                "priority_support",
                "custom_integrations",
            ],
        )),
    }
}

/// Opens a billing profile in the billing service for paid plans. Runs in
/// parallel with initialize_preferences: both need only the account.
#[derive(Debug, Default)]
pub struct SetupBillingProfileHandler;

#[async_trait]
impl StepHandler for SetupBillingProfileHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let Ok(account) =
            step.get_dependency_result_column_value::<UserAccount>("create_user_account")
        else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_USER_DATA",
                "create_user_account did not provide a user_id and a known plan",
            ));
        };

        // ANCHOR: graceful_degradation
        let Some((price_cents, features)) = billing_tier(account.plan) else {
            // Nothing to bill: succeed without a profile rather than fail,
            // so the registration carries on for free users.
            return Ok(success(
                step,
                started,
                json!({
                    "user_id": account.user_id,
                    "plan": account.plan,
                    "billing_required": false,
                    "status": "skipped_free_plan",
                    "message": "Free plan: no billing profile needed",
                }),
            ));
        };
        // ANCHOR_END: graceful_degradation

        Ok(success(
            step,
            started,
            json!({
                "billing_id": hex_id("billing_", 16),
                "user_id": account.user_id,
                "plan": account.plan,
                "price": to_dollars(price_cents),
                "currency": "USD",
                "billing_cycle": "monthly",
                "features": features,
                "status": "active",
                "next_billing_date": days_from_now_iso(BILLING_CYCLE_DAYS),
                "created_at": now_iso(),
            }),
        ))
    }

    fn name(&self) -> &str {
        "microservices_setup_billing_profile"
    }
}
// ANCHOR_END: handler
