//! Post 04 with the TypeScript handlers (the cases are in cases/post_04.rs).

crate::post_04_tests!(tasker_e2e::Language::TypeScript);
