//! Every workflow of the book with the Rust handlers, in-process, through tasker-worker's StepHandler trait.

mod post_01_test;
mod post_02_test;
mod post_03_test;
mod post_04_test;
