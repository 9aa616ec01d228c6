// ANCHOR: handler
use std::collections::HashMap;
use std::time::Instant;

use async_trait::async_trait;
use serde_json::json;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{elapsed_ms, hex_id, now_iso, permanent_failure, retry_after, success};
use crate::post_01_ecommerce::models::order::{CustomerInfo, LineItem};
use crate::post_01_ecommerce::models::product::find_product;

/// Reserves stock for every validated line once the payment has gone
/// through, so that paid orders are never oversold.
#[derive(Debug, Default)]
pub struct UpdateInventoryHandler;

#[async_trait]
impl StepHandler for UpdateInventoryHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let items: Vec<LineItem> = step
            .get_dependency_field("validate_cart", &["validated_items"])
            .unwrap_or_default();
        if items.is_empty() {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_VALIDATED_ITEMS",
                "validate_cart did not provide validated_items",
            ));
        }
        if step.get_input::<CustomerInfo>("customer_info").is_err() {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_CUSTOMER_INFO",
                "customer_info is required",
            ));
        }

        let updated_at = now_iso();
        let mut updated_products = Vec::with_capacity(items.len());
        let mut inventory_changes = Vec::with_capacity(items.len());
        for item in &items {
            let Some(product) = find_product(item.product_id) else {
                return Ok(permanent_failure(
                    step,
                    started,
                    "PRODUCT_NOT_FOUND",
                    format!("product {} does not exist", item.product_id),
                ));
            };
            // Stock may have gone between validation and now; like
            // validate_cart, treat it as temporary.
            if product.stock < item.quantity {
                let context = HashMap::from([
                    ("retry_after".to_string(), json!(30)),
                    ("product_id".to_string(), json!(product.id)),
                    ("product_name".to_string(), json!(product.name)),
                    ("available_stock".to_string(), json!(product.stock)),
                    ("requested_quantity".to_string(), json!(item.quantity)),
                ]);
                let failure = StepExecutionResult::failure(
                    step.workflow_step.workflow_step_uuid,
                    format!(
                        "only {} of {} left to reserve, {} needed",
                        product.stock, product.name, item.quantity
                    ),
                    Some("INSUFFICIENT_STOCK".to_string()),
                    Some("retryable_error".to_string()),
                    true,
                    elapsed_ms(started),
                    Some(context),
                );
                return Ok(retry_after(failure, 30));
            }
            let reservation_id = hex_id("rsv_", 16);
            updated_products.push(json!({
                "product_id": product.id,
                "name": product.name,
                "previous_stock": product.stock,
                "new_stock": product.stock - item.quantity,
                "quantity_reserved": item.quantity,
                "reservation_id": reservation_id,
            }));
            inventory_changes.push(json!({
                "product_id": product.id,
                "change_type": "reservation",
                "quantity": -item.quantity,
                "reason": "order_checkout",
                "timestamp": updated_at,
                "reservation_id": reservation_id,
            }));
        }

        Ok(success(
            step,
            started,
            json!({
                "updated_products": updated_products,
                "total_items_reserved": items.iter().map(|item| item.quantity).sum::<i64>(),
                "inventory_changes": inventory_changes,
                "updated_at": updated_at,
            }),
        ))
    }

    fn name(&self) -> &str {
        "ecommerce_update_inventory"
    }
}
// ANCHOR_END: handler
