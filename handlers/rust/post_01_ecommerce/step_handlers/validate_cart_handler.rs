// ANCHOR: handler
use std::collections::HashMap;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{
    elapsed_ms, now_iso, percent_of, permanent_failure, retry_after, success, to_dollars,
    whole_number,
};
use crate::post_01_ecommerce::models::order::{CartItem, LineItem};
use crate::post_01_ecommerce::models::product::find_product;

/// Sales tax: 8 %, in basis points.
const TAX_BASIS_POINTS: i64 = 800;

/// Shipping by weight at half a pound per unit: up to 2 lb (4 units) 5.99,
/// up to 10 lb (20 units) 9.99, heavier 14.99. Counted in units so the
/// thresholds never meet a float.
fn shipping_cents_for(units: i64) -> i64 {
    match units {
        ..=4 => 599,
        5..=20 => 999,
        _ => 1499,
    }
}

/// Prices the cart against the catalogue: the first step, so it rejects
/// everything the later steps would otherwise have to re-check.
#[derive(Debug, Default)]
pub struct ValidateCartHandler;

#[async_trait]
impl StepHandler for ValidateCartHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        // A cart of the wrong shape is as unusable as no cart at all.
        let cart: Vec<CartItem> = step.get_input_or("cart_items", Vec::new());
        if cart.is_empty() {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_CART_ITEMS",
                "cart_items must be a non-empty list",
            ));
        }

        let mut lines = Vec::with_capacity(cart.len());
        let mut units = 0;
        for (index, item) in cart.iter().enumerate() {
            let Some(product_id) = item.product_id.as_ref().filter(|id| !id.is_null()) else {
                return Ok(permanent_failure(
                    step,
                    started,
                    "MISSING_PRODUCT_ID",
                    format!("cart item {index} has no product_id"),
                ));
            };
            let quantity = item.quantity.unwrap_or(0);
            if quantity <= 0 {
                return Ok(permanent_failure(
                    step,
                    started,
                    "INVALID_QUANTITY",
                    format!("quantity for product {product_id} must be positive, got {quantity}"),
                ));
            }
            // Only a whole number can be in the catalogue ("1" is not 1).
            let Some(product) = whole_number(product_id).and_then(find_product) else {
                return Ok(permanent_failure(
                    step,
                    started,
                    "PRODUCT_NOT_FOUND",
                    format!("product {product_id} does not exist"),
                ));
            };
            if !product.active {
                return Ok(permanent_failure(
                    step,
                    started,
                    "PRODUCT_INACTIVE",
                    format!("{} is no longer sold", product.name),
                ));
            }
            // ANCHOR: retryable_error
            if product.stock < quantity {
                // Stock comes back when a delivery is booked in: worth trying
                // again in 30 s rather than failing the order for good.
                let context = HashMap::from([
                    ("retry_after".to_string(), json!(30)),
                    ("product_id".to_string(), json!(product.id)),
                    ("product_name".to_string(), json!(product.name)),
                    ("available_stock".to_string(), json!(product.stock)),
                    ("requested_quantity".to_string(), json!(quantity)),
                ]);
                let failure = StepExecutionResult::failure(
                    step.workflow_step.workflow_step_uuid,
                    format!(
                        "only {} of {} in stock, {quantity} requested",
                        product.stock, product.name
                    ),
                    Some("INSUFFICIENT_STOCK".to_string()),
                    Some("retryable_error".to_string()),
                    true,
                    elapsed_ms(started),
                    Some(context),
                );
                return Ok(retry_after(failure, 30));
            }
            // ANCHOR_END: retryable_error
            units += quantity;
            lines.push((product, quantity));
        }

        let validated_items: Vec<LineItem> = lines
            .iter()
            .map(|(product, quantity)| LineItem {
                product_id: product.id,
                name: product.name.clone(),
                price: to_dollars(product.price_cents),
                quantity: *quantity,
                line_total: to_dollars(product.price_cents * quantity),
            })
            .collect();
        let subtotal_cents: i64 = lines.iter().map(|(p, q)| p.price_cents * q).sum();
        let tax_cents = percent_of(subtotal_cents, TAX_BASIS_POINTS);
        let shipping_cents = shipping_cents_for(units);

        Ok(success(
            step,
            started,
            json!({
                "validated_items": validated_items,
                "subtotal": to_dollars(subtotal_cents),
                "tax": to_dollars(tax_cents),
                "shipping": to_dollars(shipping_cents),
                "total": to_dollars(subtotal_cents + tax_cents + shipping_cents),
                "item_count": validated_items.len(),
                "validated_at": now_iso(),
            }),
        ))
    }

    fn name(&self) -> &str {
        "ecommerce_validate_cart"
    }
}
// ANCHOR_END: handler
