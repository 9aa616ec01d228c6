//! Every workflow of the book with the TypeScript handlers, through the typescript worker process.

mod post_01_test;
mod post_02_test;
mod post_03_test;
mod post_04_test;
