//! Post 01: e-commerce checkout, a linear workflow of five steps
//! (validate_cart → process_payment → update_inventory → create_order →
//! send_confirmation).

pub mod models;
pub mod step_handlers;
