//! The payments team's four refund steps, one handler per file.

pub mod notify_customer_handler;
pub mod process_gateway_refund_handler;
pub mod update_payment_records_handler;
pub mod validate_payment_eligibility_handler;

pub use notify_customer_handler::NotifyCustomerHandler;
pub use process_gateway_refund_handler::ProcessGatewayRefundHandler;
pub use update_payment_records_handler::UpdatePaymentRecordsHandler;
pub use validate_payment_eligibility_handler::ValidatePaymentEligibilityHandler;
