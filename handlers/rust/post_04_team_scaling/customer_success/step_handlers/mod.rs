//! The customer success team's five refund steps, one handler per file.

pub mod check_refund_policy_handler;
pub mod execute_refund_workflow_handler;
pub mod get_manager_approval_handler;
pub mod update_ticket_status_handler;
pub mod validate_refund_request_handler;

pub use check_refund_policy_handler::CheckRefundPolicyHandler;
pub use execute_refund_workflow_handler::ExecuteRefundWorkflowHandler;
pub use get_manager_approval_handler::GetManagerApprovalHandler;
pub use update_ticket_status_handler::UpdateTicketStatusHandler;
pub use validate_refund_request_handler::ValidateRefundRequestHandler;
