//! The checkout's domain types: the product catalogue and the order shapes
//! that travel between steps.

pub mod order;
pub mod product;
