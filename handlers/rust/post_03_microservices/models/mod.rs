//! The registration's shared types: what the user submits and the plans.

pub mod user;
