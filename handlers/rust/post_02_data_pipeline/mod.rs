//! Post 02: an analytics pipeline, a DAG that fans out to three extracts,
//! transforms each in parallel and converges on one aggregate
//! (extract_* → transform_* → aggregate_metrics → generate_insights).

pub mod models;
pub mod step_handlers;
