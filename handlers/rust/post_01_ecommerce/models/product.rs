//! Products and the demo catalogue every checkout step reads.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

// ANCHOR: product_model
/// A product as the shop's catalogue knows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub name: String,
    /// Integer cents: prices are summed and taxed, and cents keep every
    /// language of the book exact to the penny.
    pub price_cents: i64,
    pub stock: i64,
    /// Inactive products stay in the catalogue (old orders refer to them)
    /// but cannot be bought.
    pub active: bool,
}
// ANCHOR_END: product_model

impl Product {
    fn new(id: i64, name: &str, price_cents: i64, stock: i64, active: bool) -> Self {
        Self {
            id,
            name: name.to_string(),
            price_cents,
            stock,
            active,
        }
    }
}

// ANCHOR: catalogue
/// The demo catalogue. Widget D is out of stock and Widget E is inactive so
/// that the failure paths have something to hit.
static CATALOGUE: LazyLock<Vec<Product>> = LazyLock::new(|| {
    vec![
        Product::new(1, "Widget A", 2999, 100, true),
        Product::new(2, "Widget B", 4999, 50, true),
        Product::new(3, "Widget C", 1999, 25, true),
        Product::new(4, "Widget D", 3999, 0, true),
        Product::new(5, "Widget E", 5999, 10, false),
    ]
});
// ANCHOR_END: catalogue

/// Looks a product up by id; `None` when the catalogue has no such product.
pub fn find_product(id: i64) -> Option<&'static Product> {
    CATALOGUE.iter().find(|product| product.id == id)
}
