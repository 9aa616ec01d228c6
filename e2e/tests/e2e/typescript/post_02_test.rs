//! Post 02 with the TypeScript handlers (the cases are in cases/post_02.rs).

crate::post_02_tests!(tasker_e2e::Language::TypeScript);
