// ANCHOR: handler
use std::collections::HashMap;
use std::sync::LazyLock;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{elapsed_ms, hex_id, now_iso, permanent_failure, success, AsciiPattern};
use crate::post_03_microservices::models::user::UserInfo;

/// Letters, digits, `_ + - .` before the `@`; dot-separated labels after it,
/// ending in a letters-only top-level domain. Any case, spelled out as A-Z
/// and a-z rather than left to a flag.
static EMAIL_FORMAT: LazyLock<AsciiPattern> = LazyLock::new(|| {
    AsciiPattern::new(r"[\w+\-.]+@[A-Za-z\d-]+(\.[A-Za-z\d-]+)*\.[A-Za-z]+")
        .expect("EMAIL_FORMAT is a valid pattern")
});

/// An account the user service already holds.
struct ExistingUser {
    id: &'static str,
    name: &'static str,
    plan: &'static str,
}

/// The user service's existing accounts, by lowercase email (mocked).
static EXISTING_USERS: LazyLock<HashMap<&'static str, ExistingUser>> = LazyLock::new(|| {
    HashMap::from([(
        "existing@example.com",
        ExistingUser {
            id: "user_existing_001",
            name: "Existing User",
            plan: "free",
        },
    )])
});

/// Creates the account in the user service: every other service of the
/// registration needs its id.
#[derive(Debug, Default)]
pub struct CreateUserAccountHandler;

#[async_trait]
impl StepHandler for CreateUserAccountHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let user = step.get_input_or("user_info", UserInfo::default());
        let Some(email) = user.email.filter(|email| !email.is_empty()) else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_EMAIL",
                "user_info.email is required",
            ));
        };
        let Some(name) = user.name.filter(|name| !name.is_empty()) else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_NAME",
                "user_info.name is required",
            ));
        };
        if !EMAIL_FORMAT.matches_whole(&email) {
            return Ok(permanent_failure(
                step,
                started,
                "INVALID_EMAIL_FORMAT",
                format!("{email:?} is not a valid email address"),
            ));
        }
        let plan = user
            .plan
            .filter(|plan| !plan.is_empty())
            .unwrap_or_else(|| "free".to_string());

        // ANCHOR: idempotency
        if let Some(existing) = EXISTING_USERS.get(email.to_lowercase().as_str()) {
            // A retry after a lost response finds the account it made the
            // first time: the same request succeeds again, a different one
            // is a real conflict that no retry resolves.
            if existing.name == name && existing.plan == plan {
                return Ok(success(
                    step,
                    started,
                    json!({
                        "user_id": existing.id,
                        "email": email,
                        "name": name,
                        "plan": plan,
                        "status": "already_exists",
                    }),
                ));
            }
            return Ok(StepExecutionResult::failure(
                step.workflow_step.workflow_step_uuid,
                format!("{email} is already registered with different details"),
                Some("USER_CONFLICT".to_string()),
                Some("permanent_error".to_string()),
                false,
                elapsed_ms(started),
                Some(HashMap::from([(
                    "existing_user_id".to_string(),
                    json!(existing.id),
                )])),
            ));
        }
        // ANCHOR_END: idempotency

        Ok(success(
            step,
            started,
            json!({
                "user_id": hex_id("user_", 12),
                "email": email,
                "name": name,
                "plan": plan,
                "phone": user.phone,
                "source": user
                    .source
                    .filter(|source| !source.is_empty())
                    .unwrap_or_else(|| "web".to_string()),
                "status": "created",
                "created_at": now_iso(),
            }),
        ))
    }

    fn name(&self) -> &str {
        "microservices_create_user_account"
    }
}
// ANCHOR_END: handler
