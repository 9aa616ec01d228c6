//! The payments team's `process_refund` (namespace payments, version
//! 2.1.0): check eligibility, refund through the gateway, update the
//! records, tell the customer.

pub mod step_handlers;
