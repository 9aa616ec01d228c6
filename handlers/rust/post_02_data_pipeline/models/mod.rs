//! The pipeline's source data: three mock systems (sales, inventory, CRM).

pub mod sample_data;
