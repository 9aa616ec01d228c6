//! Post 01 with the Python handlers (the cases are in cases/post_01.rs).

crate::post_01_tests!(tasker_e2e::Language::Python);
