//! The five checkout steps, one handler per file.

pub mod create_order_handler;
pub mod process_payment_handler;
pub mod send_confirmation_handler;
pub mod update_inventory_handler;
pub mod validate_cart_handler;

pub use create_order_handler::CreateOrderHandler;
pub use process_payment_handler::ProcessPaymentHandler;
pub use send_confirmation_handler::SendConfirmationHandler;
pub use update_inventory_handler::UpdateInventoryHandler;
pub use validate_cart_handler::ValidateCartHandler;
