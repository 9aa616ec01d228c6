//! What a support agent submits with a refund ticket.

pub mod refund_request;
