//! `mdbook-codetabs`: an mdBook preprocessor that shows the same snippet in
//! several languages as tabs, cut from real, tested source files.
//!
//! The pipeline reads top to bottom:
//! - [`directive`] finds `{{#…}}` directives in a chapter;
//! - [`resolve`] checks a `{{#codetabs}}` and picks each language's file;
//!   [`data_file`] does the same for `{{#dag}}` and `{{#timeline}}`;
//! - [`source_index`] reads each file once and scans its [`anchors`];
//!   [`snippet`] cuts and dedents a region;
//! - [`render`] writes HTML tabs or GitBook markup, [`workflow_graph`]
//!   diagrams and [`run_report`] timelines;
//! - [`preprocessor`] runs it all over a book in two passes, recording in
//!   [`shown`] where each snippet went, so that [`mapping`] tables (built from
//!   the [`handler_catalog`]) can link to the tabs.
//!
//! Around it: [`check`] validates a whole book ([`lockfile`] for drift,
//! [`coverage`] for the measured lines the tests run, [`readme`] for the
//! generated handler tables), [`export`] writes GitBook,
//! [`config`] reads book.toml. Problems are [`diagnostic`]s naming the
//! chapter line and the source line.

pub mod anchors;
pub mod book_files;
pub mod check;
pub mod config;
pub mod coverage;
pub mod data_file;
pub mod diagnostic;
pub mod directive;
pub mod export;
pub mod handler_catalog;
pub mod link_targets;
pub mod lockfile;
pub mod mapping;
pub mod memory;
pub mod new_handler;
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
