//! The shapes that travel through the checkout: what the customer sends in
//! the task context, and what the steps hand to each other.

use serde::{Deserialize, Serialize};

/// One line of the cart as the customer submitted it. Both fields are
/// optional here so that the handler, not serde, decides which error code a
/// missing value earns.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CartItem {
    #[serde(default)]
    pub product_id: Option<i64>,
    #[serde(default)]
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

/// Who is buying; `phone` is optional.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct CustomerInfo {
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// How the customer pays; every field optional so each gap gets its own
/// error code.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct PaymentInfo {
    #[serde(default)]
    pub method: Option<String>,
    #[serde(default)]
    pub token: Option<String>,
    #[serde(default)]
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
