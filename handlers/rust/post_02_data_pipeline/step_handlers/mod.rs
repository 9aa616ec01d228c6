//! The eight pipeline steps, one handler per file.

pub mod aggregate_metrics_handler;
pub mod extract_customer_data_handler;
pub mod extract_inventory_data_handler;
pub mod extract_sales_data_handler;
pub mod generate_insights_handler;
pub mod transform_customers_handler;
pub mod transform_inventory_handler;
pub mod transform_sales_handler;

pub use aggregate_metrics_handler::AggregateMetricsHandler;
pub use extract_customer_data_handler::ExtractCustomerDataHandler;
pub use extract_inventory_data_handler::ExtractInventoryDataHandler;
pub use extract_sales_data_handler::ExtractSalesDataHandler;
pub use generate_insights_handler::GenerateInsightsHandler;
pub use transform_customers_handler::TransformCustomersHandler;
pub use transform_inventory_handler::TransformInventoryHandler;
pub use transform_sales_handler::TransformSalesHandler;
