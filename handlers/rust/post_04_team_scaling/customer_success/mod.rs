//! The customer success team's `process_refund` (namespace customer_success,
//! version 1.3.0): validate the ticket, check the policy, get approval,
//! delegate to payments, resolve the ticket.

pub mod models;
pub mod step_handlers;
