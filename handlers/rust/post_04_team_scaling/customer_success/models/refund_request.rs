//! The refund request in the customer_success task context.

use serde::{Deserialize, Serialize};
use serde_json::Value;
use tasker_shared::types::base::TaskSequenceStep;

use crate::blog_common::{present_text, whole_number};

/// The task context of a customer_success refund. Amounts are integer cents.
/// Each field is read on its own, so one malformed value leaves the others
/// readable and the handler can name exactly what is missing.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RefundRequest {
    pub ticket_id: Option<String>,
    pub customer_id: Option<String>,
    pub refund_amount: Option<i64>,
    pub customer_email: Option<String>,
    pub refund_reason: Option<String>,
    pub agent_notes: Option<String>,
    pub correlation_id: Option<String>,
}

impl RefundRequest {
    /// Reads the request from the step's task context: text fields must be
    /// non-empty strings, the amount whole cents (4999.0 is 4999; 49.99 or
    /// "4999" is as good as none).
    pub fn from_step(step: &TaskSequenceStep) -> Self {
        let input = |key: &str| step.get_input::<Value>(key).unwrap_or(Value::Null);
        let text = |key: &str| present_text(&input(key));
        Self {
            ticket_id: text("ticket_id"),
            customer_id: text("customer_id"),
            refund_amount: whole_number(&input("refund_amount")),
            customer_email: text("customer_email"),
            refund_reason: text("refund_reason"),
            agent_notes: text("agent_notes"),
            correlation_id: text("correlation_id"),
        }
    }

    /// The names of the required fields that are absent, in context order.
    pub fn missing_fields(&self) -> Vec<&'static str> {
        [
            ("ticket_id", self.ticket_id.is_none()),
            ("customer_id", self.customer_id.is_none()),
            ("refund_amount", self.refund_amount.is_none()),
            ("customer_email", self.customer_email.is_none()),
        ]
        .into_iter()
        .filter_map(|(field, absent)| absent.then_some(field))
        .collect()
    }
}
