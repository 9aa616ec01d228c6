//! Rust step handlers for "Tasker by Example", written against the published
//! `tasker-shared` / `tasker-worker` crates. The book shows these files; the
//! tests in `tests/` run them against the shared conformance vectors.

pub mod blog_common;
pub mod post_01_ecommerce;
pub mod post_02_data_pipeline;
pub mod post_03_microservices;
pub mod post_04_team_scaling;
pub mod registry;

pub use registry::BlogHandlerRegistry;
