//! `mdbook-codetabs`: an mdBook preprocessor that shows the same snippet in
//! several languages as tabs, cut from real, tested source files.
//!
//! The pipeline reads top to bottom:
//! [`directive`] finds `{{#codetabs}}` in a chapter → [`resolve`] checks it
//! and asks the [`source_index`] (which reads each file once and scans its
//! [`anchors`]) for a [`snippet`] per language → [`render`] writes HTML tabs
//! or GitBook markup; `{{#dag}}` draws a template's
//! [`workflow_graph`] as a diagram. Problems are collected as [`diagnostic`]s naming the
//! chapter line and the source line.

pub mod anchors;
pub mod check;
pub mod config;
pub mod diagnostic;
pub mod directive;
pub mod export;
pub mod handler_catalog;
pub mod mapping;
pub mod preprocessor;
pub mod readme;
pub mod render;
pub mod resolve;
pub mod run_report;
pub mod shown;
pub mod snippet;
pub mod source_index;
pub mod workflow_graph;

pub use preprocessor::{CodeTabs, NAME};
