//! Post 01 with the Rust handlers (the cases are in cases/post_01.rs).

crate::post_01_tests!(tasker_e2e::Language::Rust);
