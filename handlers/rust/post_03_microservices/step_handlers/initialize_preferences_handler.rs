// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde_json::{json, Map, Value};
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{hex_id, now_iso, permanent_failure, success};
use crate::post_03_microservices::models::user::{Plan, UserAccount, UserInfo};

/// Sets up the user's preferences in the preferences service: the plan's
/// defaults, then the user's own choices. Runs in parallel with billing.
#[derive(Debug, Default)]
pub struct InitializePreferencesHandler;

#[async_trait]
impl StepHandler for InitializePreferencesHandler {
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
        let user = step.get_input_or("user_info", UserInfo::default());

        // ANCHOR: plan_defaults
        // Every plan starts from the free defaults; paid plans switch more on.
        let mut defaults = vec![
            ("email_notifications", json!(true)),
            ("marketing_emails", json!(false)),
            ("product_updates", json!(true)),
            ("weekly_digest", json!(false)),
            ("theme", json!("light")),
            ("language", json!("en")),
            ("timezone", json!("UTC")),
        ];
        if matches!(account.plan, Plan::Pro | Plan::Enterprise) {
            defaults.extend([
                ("marketing_emails", json!(true)),
                ("weekly_digest", json!(true)),
                ("theme", json!("dark")),
                ("api_notifications", json!(true)),
            ]);
        }
        if account.plan == Plan::Enterprise {
            defaults.extend([
                ("audit_logs", json!(true)),
                ("advanced_reports", json!(true)),
            ]);
        }
        // A later entry for the same key replaces the earlier one.
        let mut preferences: Map<String, Value> = defaults
            .into_iter()
            .map(|(key, value)| (key.to_string(), value))
            .collect();
        let defaults_applied = preferences.len();
        // The user's own choices win over any default.
        let overrides = user.preferences.unwrap_or_default();
        let customizations = overrides.len();
        preferences.extend(overrides);
        // ANCHOR_END: plan_defaults

        Ok(success(
            step,
            started,
            json!({
                "preferences_id": hex_id("prefs_", 16),
                "user_id": account.user_id,
                "plan": account.plan,
                "preferences": preferences,
                "defaults_applied": defaults_applied,
                "customizations": customizations,
                "status": "active",
                "created_at": now_iso(),
            }),
        ))
    }

    fn name(&self) -> &str {
        "microservices_initialize_preferences"
    }
}
// ANCHOR_END: handler
