// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde_json::{json, Map, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{hex_id, now_iso, permanent_failure, success};
use crate::post_03_microservices::models::user::{Plan, UserAccount};

/// The subject of the first welcome message, by plan.
fn welcome_subject(plan: Plan) -> &'static str {
    match plan {
        Plan::Free => "Welcome to Our Platform!",
        Plan::Pro => "Welcome to Pro!",
        Plan::Enterprise => "Welcome to Enterprise!",
    }
}

/// Sends the welcome messages once billing and preferences are both set up:
/// the step where the two parallel branches join again.
#[derive(Debug, Default)]
pub struct SendWelcomeSequenceHandler;

#[async_trait]
impl StepHandler for SendWelcomeSequenceHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        // ANCHOR: branch_results
        // Both branches end here, and the account they both started from
        // (an ancestor, not a direct parent) is visible too.
        let account = step.get_dependency_result_column_value::<UserAccount>("create_user_account");
        let billing =
            step.get_dependency_result_column_value::<Map<String, Value>>("setup_billing_profile");
        let preferences = step
            .get_dependency_field::<Map<String, Value>>("initialize_preferences", &["preferences"]);
        // ANCHOR_END: branch_results
        let Ok(account) = account else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_USER_DATA",
                "create_user_account did not provide the account",
            ));
        };
        // A skipped free-plan billing result is a success, so it counts.
        if billing.is_err() {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_BILLING_DATA",
                "setup_billing_profile did not provide a result",
            ));
        }
        let Ok(preferences) = preferences else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_PREFERENCES_DATA",
                "initialize_preferences did not provide preferences",
            ));
        };

        let mut channels = Vec::new();
        if preferences.get("email_notifications") != Some(&Value::Bool(false)) {
            channels.push("email");
        }
        channels.push("in_app");
        if account.plan == Plan::Enterprise {
            channels.push("sms");
        }

        Ok(success(
            step,
            started,
            json!({
                "user_id": account.user_id,
                "plan": account.plan,
                "subject": welcome_subject(account.plan),
                "channels_used": channels,
                "messages_sent": channels.len(),
                "welcome_sequence_id": hex_id("welcome_", 16),
                "status": "sent",
                "sent_at": now_iso(),
            }),
        ))
    }

    fn name(&self) -> &str {
        "microservices_send_welcome_sequence"
    }
}
// ANCHOR_END: handler
