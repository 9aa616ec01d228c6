//! One attempt's result in language-neutral form: the same normalised outcome
//! every language's vector runner produces, read from a worker reply or from
//! a Rust `StepExecutionResult`.

use serde_json::{Map, Value};
use tasker_shared::messaging::StepExecutionResult;

#[derive(Debug, Clone, PartialEq)]
pub enum HandlerOutcome {
    Success(Value),
    Failure(Failure),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Failure {
    pub error_code: Option<String>,
    pub message: String,
    pub retryable: bool,
    /// Seconds, as the handler gave it (kept as JSON so 30 stays 30, not 30.0).
    pub retry_after: Option<Value>,
    pub context: Value,
}

impl Failure {
    pub fn retry_after_seconds(&self) -> Option<f64> {
        self.retry_after.as_ref().and_then(Value::as_f64)
    }
}

impl HandlerOutcome {
    /// Reads a worker's normalised outcome:
    /// `{"success": true, "result": …}` or `{"success": false, "error_code",
    /// "retryable", "retry_after", "context", "message" | "error_message"}`
    /// (the Python runner names the message `error_message`).
    pub fn from_normalised(outcome: &Value) -> Result<Self, String> {
        let fields = outcome
            .as_object()
            .ok_or_else(|| format!("outcome is not an object: {outcome}"))?;
        match fields.get("success") {
            Some(Value::Bool(true)) => Ok(HandlerOutcome::Success(
                fields.get("result").cloned().unwrap_or(Value::Null),
            )),
            Some(Value::Bool(false)) => {
                let retryable = fields
                    .get("retryable")
                    .and_then(Value::as_bool)
                    .ok_or_else(|| format!("failure without a boolean `retryable`: {outcome}"))?;
                let message = ["message", "error_message"]
                    .iter()
                    .find_map(|key| fields.get(*key).and_then(Value::as_str))
                    .unwrap_or_default()
                    .to_string();
                Ok(HandlerOutcome::Failure(Failure {
                    error_code: fields
                        .get("error_code")
                        .and_then(Value::as_str)
                        .map(String::from),
                    message,
                    retryable,
                    retry_after: fields.get("retry_after").filter(|v| v.is_number()).cloned(),
                    context: fields
                        .get("context")
                        .cloned()
                        .unwrap_or(Value::Object(Map::new())),
                }))
            }
            _ => Err(format!("outcome has no boolean `success`: {outcome}")),
        }
    }

    /// The Rust worker's view of a handler result (what the vectors' Rust
    /// runner asserts on, too).
    pub fn from_rust(result: &StepExecutionResult) -> Self {
        if result.is_success() {
            return HandlerOutcome::Success(result.result.clone());
        }
        let context: Map<String, Value> = result
            .metadata
            .context
            .iter()
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        HandlerOutcome::Failure(Failure {
            error_code: result.error_code().map(String::from),
            message: result
                .error
                .as_ref()
                .map(|error| error.message.clone())
                .unwrap_or_default(),
            retryable: result.is_retryable(),
            retry_after: context
                .get("retry_after")
                .filter(|v| v.is_number())
                .cloned(),
            context: Value::Object(context),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn reads_both_message_spellings_and_keeps_retry_after_as_given() {
        let python = json!({"success": false, "error_code": "X", "retryable": true,
                            "retry_after": 30, "context": {"retry_after": 30}, "error_message": "m"});
        let HandlerOutcome::Failure(failure) =
            HandlerOutcome::from_normalised(&python).expect("valid")
        else {
            panic!("expected a failure");
        };
        assert_eq!(failure.message, "m");
        assert_eq!(failure.retry_after, Some(json!(30)));
        assert_eq!(failure.retry_after_seconds(), Some(30.0));

        let ruby =
            json!({"success": false, "error_code": null, "retryable": false, "message": "n"});
        let outcome = HandlerOutcome::from_normalised(&ruby).expect("valid");
        assert!(matches!(
            outcome,
            HandlerOutcome::Failure(Failure {
                retryable: false,
                ..
            })
        ));
    }

    #[test]
    fn refuses_what_is_not_an_outcome() {
        assert!(HandlerOutcome::from_normalised(&json!({"ok": 1})).is_err());
        assert!(HandlerOutcome::from_normalised(&json!({"success": false})).is_err());
    }
}
