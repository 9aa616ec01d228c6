// ANCHOR: handler
use std::collections::HashMap;
use std::time::Instant;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Map, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{elapsed_ms, now_iso, success};
use crate::post_03_microservices::models::user::UserAccount;

/// What this step reads from setup_billing_profile: both fields are absent
/// when a free plan skipped billing.
#[derive(Debug, Deserialize)]
struct Billing {
    billing_id: Option<String>,
    next_billing_date: Option<String>,
}

/// What this step reads from initialize_preferences.
#[derive(Debug, Deserialize)]
struct Preferences {
    preferences: Map<String, Value>,
}

/// What this step reads from send_welcome_sequence.
#[derive(Debug, Deserialize)]
struct Welcome {
    status: String,
    channels_used: Vec<String>,
}

/// Activates the user once every service has done its part, and records a
/// summary of the whole registration.
#[derive(Debug, Default)]
pub struct UpdateUserStatusHandler;

#[async_trait]
impl StepHandler for UpdateUserStatusHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let account = step.get_dependency_result_column_value::<UserAccount>("create_user_account");
        let billing = step.get_dependency_result_column_value::<Billing>("setup_billing_profile");
        let preferences =
            step.get_dependency_result_column_value::<Preferences>("initialize_preferences");
        let welcome = step.get_dependency_result_column_value::<Welcome>("send_welcome_sequence");
        let missing: Vec<&str> = [
            ("create_user_account", account.is_err()),
            ("setup_billing_profile", billing.is_err()),
            ("initialize_preferences", preferences.is_err()),
            ("send_welcome_sequence", welcome.is_err()),
        ]
        .into_iter()
        .filter_map(|(name, absent)| absent.then_some(name))
        .collect();
        let (Ok(account), Ok(billing), Ok(preferences), Ok(welcome)) =
            (account, billing, preferences, welcome)
        else {
            return Ok(StepExecutionResult::failure(
                step.workflow_step.workflow_step_uuid,
                format!("registration incomplete, missing: {}", missing.join(", ")),
                Some("INCOMPLETE_WORKFLOW".to_string()),
                Some("permanent_error".to_string()),
                false,
                elapsed_ms(started),
                Some(HashMap::from([(
                    "missing_steps".to_string(),
                    json!(missing),
                )])),
            ));
        };

        let mut summary = json!({
            "user_id": account.user_id,
            "email": account.email,
            "plan": account.plan,
            "registration_status": "complete",
            "preferences_count": preferences.preferences.len(),
            "welcome_sent": welcome.status == "sent",
            "notification_channels": welcome.channels_used,
        });
        // Paid plans only: a free plan's summary has no billing fields.
        if let Some(billing_id) = billing.billing_id {
            summary["billing_id"] = json!(billing_id);
            summary["next_billing_date"] = json!(billing.next_billing_date);
        }

        Ok(success(
            step,
            started,
            json!({
                "user_id": account.user_id,
                "status": "active",
                "plan": account.plan,
                "registration_summary": summary,
                "activation_timestamp": now_iso(),
                "all_services_coordinated": true,
                "services_completed": [
                    "user_service",
                    "billing_service",
                    "preferences_service",
                    "notification_service",
                ],
            }),
        ))
    }

    fn name(&self) -> &str {
        "microservices_update_user_status"
    }
}
// ANCHOR_END: handler
