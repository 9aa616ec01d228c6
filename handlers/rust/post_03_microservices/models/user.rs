//! What the sign-up form sends, and the plans a user can choose.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::blog_common::{deserialize_or_none, deserialize_present_text};

/// The task context's `user_info`. Every field is optional here so that the
/// handler, not serde, decides which error code a gap earns, and each is read
/// on its own: a phone given as a number must not make the email unreadable.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct UserInfo {
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub name: Option<String>,
    /// free, pro or enterprise; free when absent.
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub plan: Option<String>,
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub phone: Option<String>,
    /// Where the sign-up came from; "web" when absent.
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub source: Option<String>,
    /// The user's own choices, overriding the plan's defaults.
    #[serde(default, deserialize_with = "deserialize_or_none")]
    pub preferences: Option<Map<String, Value>>,
}

/// A subscription plan. Results carry it in lowercase ("pro").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Plan {
    Free,
    Pro,
    Enterprise,
}

/// The account as create_user_account hands it to the later steps (the
/// fields they read; the result has more).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UserAccount {
    pub user_id: String,
    pub email: String,
    pub plan: Plan,
}
