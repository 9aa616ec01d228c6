//! The three mock data sets the extract steps read, defined once. Each
//! record type is also the shape the transforms read back from the extract
//! results, so serde checks that shape on the way in.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

// ANCHOR: sales_records
/// One order line from the sales database. `amount` is in dollars, as the
/// source system (and JSON) sends it; handlers sum it in cents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SalesRecord {
    pub order_id: String,
    /// ISO date, YYYY-MM-DD.
    pub date: String,
    pub product_id: String,
    pub quantity: i64,
    pub amount: f64,
}

static SALES_RECORDS: LazyLock<Vec<SalesRecord>> = LazyLock::new(|| {
    let sale = |order_id: &str, date: &str, product_id: &str, quantity, amount| SalesRecord {
        order_id: order_id.to_string(),
        date: date.to_string(),
        product_id: product_id.to_string(),
        quantity,
        amount,
    };
    vec![
        sale("ORD-001", "2025-11-01", "PROD-A", 5, 499.95),
        sale("ORD-002", "2025-11-05", "PROD-B", 3, 299.97),
        sale("ORD-003", "2025-11-10", "PROD-A", 2, 199.98),
        sale("ORD-004", "2025-11-15", "PROD-C", 10, 1499.90),
        sale("ORD-005", "2025-11-18", "PROD-B", 7, 699.93),
    ]
});
// ANCHOR_END: sales_records

// ANCHOR: inventory_records
/// Stock of one SKU in one warehouse, with the level that triggers a reorder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InventoryRecord {
    pub product_id: String,
    pub sku: String,
    pub warehouse: String,
    pub quantity_on_hand: i64,
    pub reorder_point: i64,
}

static INVENTORY_RECORDS: LazyLock<Vec<InventoryRecord>> = LazyLock::new(|| {
    let stock =
        |product_id: &str, sku: &str, warehouse: &str, on_hand, reorder_point| InventoryRecord {
            product_id: product_id.to_string(),
            sku: sku.to_string(),
            warehouse: warehouse.to_string(),
            quantity_on_hand: on_hand,
            reorder_point,
        };
    vec![
        stock("PROD-A", "SKU-A-001", "WH-01", 150, 50),
        stock("PROD-B", "SKU-B-002", "WH-01", 75, 25),
        stock("PROD-C", "SKU-C-003", "WH-02", 200, 100),
        stock("PROD-A", "SKU-A-001", "WH-02", 100, 50),
        stock("PROD-B", "SKU-B-002", "WH-03", 50, 25),
    ]
});
// ANCHOR_END: inventory_records

// ANCHOR: customer_records
/// A customer as the CRM knows them. `lifetime_value` is in dollars.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CustomerRecord {
    pub customer_id: String,
    pub name: String,
    pub tier: String,
    pub lifetime_value: f64,
    /// ISO date, YYYY-MM-DD.
    pub join_date: String,
}

static CUSTOMER_RECORDS: LazyLock<Vec<CustomerRecord>> = LazyLock::new(|| {
    let customer =
        |id: &str, name: &str, tier: &str, lifetime_value, join_date: &str| CustomerRecord {
            customer_id: id.to_string(),
            name: name.to_string(),
            tier: tier.to_string(),
            lifetime_value,
            join_date: join_date.to_string(),
        };
    vec![
        customer("CUST-001", "Alice Johnson", "gold", 5000.0, "2024-01-15"),
        customer("CUST-002", "Bob Smith", "silver", 2500.0, "2024-03-20"),
        customer("CUST-003", "Carol White", "premium", 15000.0, "2023-11-10"),
        customer("CUST-004", "David Brown", "standard", 500.0, "2025-01-05"),
        customer("CUST-005", "Eve Davis", "gold", 7500.0, "2024-06-12"),
    ]
});
// ANCHOR_END: customer_records

/// The sales database's orders.
pub fn sales_records() -> &'static [SalesRecord] {
    &SALES_RECORDS
}

/// The inventory system's stock levels.
pub fn inventory_records() -> &'static [InventoryRecord] {
    &INVENTORY_RECORDS
}

/// The CRM's customers.
pub fn customer_records() -> &'static [CustomerRecord] {
    &CUSTOMER_RECORDS
}
