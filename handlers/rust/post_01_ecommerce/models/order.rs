//! The shapes that travel through the checkout: what the customer sends in
//! the task context, and what the steps hand to each other.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::blog_common::{deserialize_or_none, deserialize_present_text, deserialize_whole_number};

/// One line of the cart as the customer submitted it. Both fields are
/// optional here so that the handler, not serde, decides which error code a
/// missing value earns; each is read on its own, so a quantity of "2" is an
/// invalid quantity, not an unreadable cart.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CartItem {
    /// As given: absent or null is a missing id, anything else is looked up
    /// (and only a whole number can be found).
    #[serde(default)]
    pub product_id: Option<Value>,
    #[serde(default, deserialize_with = "deserialize_whole_number")]
    pub quantity: Option<i64>,
}

/// A cart line after validation: priced from the catalogue, in dollars as
/// every step result carries money.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    pub product_id: i64,
    pub name: String,
    pub price: f64,
    pub quantity: i64,
    pub line_total: f64,
}

/// Who is buying; `phone` is optional. Each field is read on its own: a
/// phone given as a number must not make the email unreadable.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CustomerInfo {
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub phone: Option<String>,
}

/// How the customer pays; every field optional so each gap gets its own
/// error code, and read on its own so that an amount of "124.76" is a wrong
/// amount, not missing payment details.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PaymentInfo {
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub method: Option<String>,
    #[serde(default, deserialize_with = "deserialize_present_text")]
    pub token: Option<String>,
    #[serde(default, deserialize_with = "deserialize_or_none")]
    pub amount: Option<f64>,
}

// ANCHOR: order_model
/// The order that create_order records and send_confirmation announces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub order_id: String,
    /// ORD-YYYYMMDD-XXXXXXXX: readable on the phone, unique enough per day.
    pub order_number: String,
    pub status: String,
    /// Dollars: the cart total the payment was checked against.
    pub total_amount: f64,
    pub customer_email: String,
    pub created_at: String,
    pub estimated_delivery: String,
}
// ANCHOR_END: order_model
