//! Post 03: user registration across microservices, a diamond: the account
//! first, then billing and preferences in parallel, then the welcome
//! sequence and the final status update.

pub mod models;
pub mod step_handlers;
