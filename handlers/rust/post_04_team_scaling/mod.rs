//! Post 04: team scaling. Two teams each own a workflow named
//! `process_refund`, told apart by namespace: customer_success decides
//! whether a refund is owed and hands it to payments, which moves the money.

pub mod customer_success;
pub mod payments;
