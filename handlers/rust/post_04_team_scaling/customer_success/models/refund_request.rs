//! The refund request in the customer_success task context.

use serde::{Deserialize, Serialize};
use tasker_shared::types::base::TaskSequenceStep;

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
    /// Reads the request from the step's task context; empty strings count
    /// as absent.
    pub fn from_step(step: &TaskSequenceStep) -> Self {
        let text = |key: &str| {
            step.get_input::<String>(key)
                .ok()
                .filter(|value| !value.is_empty())
        };
        Self {
            ticket_id: text("ticket_id"),
            customer_id: text("customer_id"),
            refund_amount: step.get_input::<i64>("refund_amount").ok(),
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
