//! Post 03 with the Python handlers (the cases are in cases/post_03.rs).

crate::post_03_tests!(tasker_e2e::Language::Python);
