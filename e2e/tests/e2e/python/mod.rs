//! Every workflow of the book with the Python handlers, through the python worker process.

mod post_01_test;
mod post_02_test;
mod post_03_test;
mod post_04_test;
