//! End-to-end runs of every workflow of the book in every language, through
//! the harness (one test binary, so the Tasker crates are linked once).
//!
//! `cases/` holds what each post's runs must show, written once;
//! `<language>/<post>_test.rs` instantiates those cases for one language.

mod cases;
mod harness_test;
mod parity_test;
mod python;
mod reports_test;
mod ruby;
mod rust;
mod support;
mod typescript;
