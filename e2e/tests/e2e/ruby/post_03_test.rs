//! Post 03 with the Ruby handlers (the cases are in cases/post_03.rs).

crate::post_03_tests!(tasker_e2e::Language::Ruby);
