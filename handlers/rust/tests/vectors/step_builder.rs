//! Builds the real `TaskSequenceStep` a worker would hand the handler, from
//! a vector and its template step. The SDK has no builder; the type
//! deserialises, so this writes the JSON a worker would receive.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use tasker_shared::models::core::task_template::{StepDefinition, TaskTemplate};
use tasker_shared::types::base::TaskSequenceStep;

pub fn build_step(
    vector: &Value,
    template: &TaskTemplate,
    definition: &StepDefinition,
    now: DateTime<Utc>,
) -> Result<TaskSequenceStep, String> {
    let mut definition = definition.clone();
    if let Some(config) = vector.get("step_config") {
        let config: Map<String, Value> = serde_json::from_value(config.clone())
            .map_err(|e| format!("step_config must be an object: {e}"))?;
        definition.handler.initialization = config.into_iter().collect();
    }
    let context = resolve_placeholders(vector.get("input").cloned().unwrap_or(json!({})), now);
    let dependency_results: Map<String, Value> = vector
        .get("dependency_results")
        .and_then(Value::as_object)
        .map(|results| {
            results
                .iter()
                .map(|(step, result)| {
                    // Earlier results may hold relative dates too (a purchase 30 days ago).
                    let result = resolve_placeholders(result.clone(), now);
                    let wrapped = json!({"success": true, "status": "completed", "result": result});
                    (step.clone(), wrapped)
                })
                .collect()
        })
        .unwrap_or_default();
    let retry = vector.get("retry");
    let attempts = retry
        .and_then(|r| r.get("attempts"))
        .cloned()
        .unwrap_or(json!(0));
    let max_attempts = retry
        .and_then(|r| r.get("max_attempts"))
        .cloned()
        .unwrap_or(json!(definition.retry.max_attempts));

    let now = now.naive_utc();
    let (task_uuid, step_uuid) = (uuid::Uuid::new_v4(), uuid::Uuid::new_v4());
    let step = json!({
        "task": {
            "task": {
                "task_uuid": task_uuid,
                "named_task_uuid": uuid::Uuid::new_v4(),
                "complete": false,
                "requested_at": now,
                "context": context,
                "identity_hash": "conformance-vector",
                "priority": 0,
                "created_at": now,
                "updated_at": now,
                "correlation_id": uuid::Uuid::new_v4(),
            },
            "task_name": template.name,
            "task_version": template.version,
            "namespace_name": template.namespace_name,
        },
        "workflow_step": {
            "workflow_step_uuid": step_uuid,
            "task_uuid": task_uuid,
            "named_step_uuid": uuid::Uuid::new_v4(),
            "name": definition.name,
            "template_step_name": definition.name,
            "retryable": definition.retry.retryable,
            "max_attempts": max_attempts,
            "in_process": true,
            "processed": false,
            "attempts": attempts,
            "created_at": now,
            "updated_at": now,
        },
        "dependency_results": dependency_results,
        "step_definition": definition,
    });
    serde_json::from_value(step).map_err(|e| format!("cannot build TaskSequenceStep: {e}"))
}

/// Replaces `{"$now_offset_days": N}` anywhere in the input or in a
/// dependency result with now + N days, so vectors can state relative dates.
fn resolve_placeholders(value: Value, now: DateTime<Utc>) -> Value {
    match value {
        Value::Object(fields) => {
            if let (1, Some(days)) = (
                fields.len(),
                fields.get("$now_offset_days").and_then(Value::as_f64),
            ) {
                let offset = Duration::milliseconds((days * 86_400_000.0).round() as i64);
                return json!((now + offset).to_rfc3339_opts(SecondsFormat::Millis, true));
            }
            Value::Object(
                fields
                    .into_iter()
                    .map(|(key, value)| (key, resolve_placeholders(value, now)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(
            items
                .into_iter()
                .map(|item| resolve_placeholders(item, now))
                .collect(),
        ),
        other => other,
    }
}
