//! What each post's end-to-end runs must show (blog-posts.md, "E2E"), written
//! once and instantiated per language by the `post_0N_tests!` macros.

pub mod post_01;
pub mod post_02;
pub mod post_03;
pub mod post_04;
