//! The five registration steps, one handler per file.

pub mod create_user_account_handler;
pub mod initialize_preferences_handler;
pub mod send_welcome_sequence_handler;
pub mod setup_billing_profile_handler;
pub mod update_user_status_handler;

pub use create_user_account_handler::CreateUserAccountHandler;
pub use initialize_preferences_handler::InitializePreferencesHandler;
pub use send_welcome_sequence_handler::SendWelcomeSequenceHandler;
pub use setup_billing_profile_handler::SetupBillingProfileHandler;
pub use update_user_status_handler::UpdateUserStatusHandler;
