// ANCHOR: handler
use std::time::Instant;

use async_trait::async_trait;
use serde_json::Value;
use tasker_shared::messaging::StepExecutionResult;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_shared::TaskerResult;
use tasker_worker::worker::handlers::StepHandler;

use crate::blog_common::{
    days_from_now_iso, hex_id, now_iso, permanent_failure, success, to_cents, to_dollars,
    today_compact, upper_hex_id,
};
use crate::post_01_ecommerce::models::order::{CustomerInfo, Order};

/// Standard delivery promise, in days.
const DELIVERY_DAYS: i64 = 7;

/// Records the order once cart, payment and stock are all settled.
#[derive(Debug, Default)]
pub struct CreateOrderHandler;

#[async_trait]
impl StepHandler for CreateOrderHandler {
    async fn call(&self, step: &TaskSequenceStep) -> TaskerResult<StepExecutionResult> {
        let started = Instant::now();
        let customer_email = step
            .get_input::<CustomerInfo>("customer_info")
            .ok()
            .and_then(|customer| customer.email)
            .filter(|email| !email.is_empty());
        let Some(customer_email) = customer_email else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_CUSTOMER_INFO",
                "customer_info with an email is required",
            ));
        };

        // ANCHOR: ancestor_results
        // update_inventory is the only parent, yet Tasker hands every
        // ancestor's result to the step: no need to pass values down the chain.
        let Ok(cart_total) = step.get_dependency_field::<f64>("validate_cart", &["total"]) else {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_CART_VALIDATION",
                "validate_cart did not provide a total",
            ));
        };
        if step
            .get_dependency_field::<String>("process_payment", &["payment_id"])
            .is_err()
        {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_PAYMENT_RESULT",
                "process_payment did not provide a payment_id",
            ));
        }
        if step
            .get_dependency_field::<Vec<Value>>("update_inventory", &["updated_products"])
            .is_err()
        {
            return Ok(permanent_failure(
                step,
                started,
                "MISSING_INVENTORY_RESULT",
                "update_inventory did not provide updated_products",
            ));
        }
        // ANCHOR_END: ancestor_results

        let order = Order {
            order_id: hex_id("ord_", 16),
            order_number: upper_hex_id(&format!("ORD-{}-", today_compact()), 8),
            status: "confirmed".to_string(),
            total_amount: to_dollars(to_cents(cart_total)),
            customer_email,
            created_at: now_iso(),
            estimated_delivery: days_from_now_iso(DELIVERY_DAYS),
        };
        Ok(success(step, started, serde_json::to_value(order)?))
    }

    fn name(&self) -> &str {
        "ecommerce_create_order"
    }
}
// ANCHOR_END: handler
