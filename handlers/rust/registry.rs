//! The Rust worker's handler registry: template callables (registry keys such
//! as `ecommerce_validate_cart`) mapped to handler instances.
//!
//! Rust has no runtime class lookup, so where Ruby, Python and TypeScript find
//! a handler from its class name, the Rust worker looks the callable up here.

use std::collections::HashMap;
use std::sync::{Arc, PoisonError, RwLock};

use async_trait::async_trait;
use tasker_shared::types::base::TaskSequenceStep;
use tasker_worker::worker::handlers::{StepHandler, StepHandlerRegistry};

use crate::post_01_ecommerce::step_handlers as ecommerce;
use crate::post_02_data_pipeline::step_handlers as data_pipeline;
use crate::post_03_microservices::step_handlers as microservices;
use crate::post_04_team_scaling::customer_success::step_handlers as customer_success;
use crate::post_04_team_scaling::payments::step_handlers as payments;

/// Every handler of the book, once. Each is registered under its own
/// `name()`, so a key and its handler cannot drift apart.
fn all_handlers() -> Vec<Arc<dyn StepHandler>> {
    vec![
        Arc::new(ecommerce::ValidateCartHandler),
        Arc::new(ecommerce::ProcessPaymentHandler),
        Arc::new(ecommerce::UpdateInventoryHandler),
        Arc::new(ecommerce::CreateOrderHandler),
        Arc::new(ecommerce::SendConfirmationHandler),
        Arc::new(data_pipeline::ExtractSalesDataHandler),
        Arc::new(data_pipeline::ExtractInventoryDataHandler),
        Arc::new(data_pipeline::ExtractCustomerDataHandler),
        Arc::new(data_pipeline::TransformSalesHandler),
        Arc::new(data_pipeline::TransformInventoryHandler),
        Arc::new(data_pipeline::TransformCustomersHandler),
        Arc::new(data_pipeline::AggregateMetricsHandler),
        Arc::new(data_pipeline::GenerateInsightsHandler),
        Arc::new(microservices::CreateUserAccountHandler),
        Arc::new(microservices::SetupBillingProfileHandler),
        Arc::new(microservices::InitializePreferencesHandler),
        Arc::new(microservices::SendWelcomeSequenceHandler),
        Arc::new(microservices::UpdateUserStatusHandler),
        Arc::new(customer_success::ValidateRefundRequestHandler),
        Arc::new(customer_success::CheckRefundPolicyHandler),
        Arc::new(customer_success::GetManagerApprovalHandler),
        Arc::new(customer_success::ExecuteRefundWorkflowHandler),
        Arc::new(customer_success::UpdateTicketStatusHandler),
        Arc::new(payments::ValidatePaymentEligibilityHandler),
        Arc::new(payments::ProcessGatewayRefundHandler),
        Arc::new(payments::UpdatePaymentRecordsHandler),
        Arc::new(payments::NotifyCustomerHandler),
    ]
}

/// A `StepHandlerRegistry` (the worker's lookup trait) holding the book's
/// handlers, keyed by `step_definition.handler.callable`.
pub struct BlogHandlerRegistry {
    handlers: RwLock<HashMap<String, Arc<dyn StepHandler>>>,
}

impl BlogHandlerRegistry {
    /// A registry with every handler of the book registered.
    pub fn new() -> Self {
        let registry = Self {
            handlers: RwLock::new(HashMap::new()),
        };
        for handler in all_handlers() {
            let key = handler.name().to_string();
            registry.register(&key, handler);
        }
        registry
    }

    /// The handler registered under `callable`, if any.
    pub fn lookup(&self, callable: &str) -> Option<Arc<dyn StepHandler>> {
        // A panic elsewhere while holding the lock cannot leave a HashMap of
        // Arcs half-written, so a poisoned lock is still safe to read.
        let handlers = self.handlers.read().unwrap_or_else(PoisonError::into_inner);
        handlers.get(callable).cloned()
    }
}

impl Default for BlogHandlerRegistry {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait]
impl StepHandlerRegistry for BlogHandlerRegistry {
    async fn get(&self, step: &TaskSequenceStep) -> Option<Arc<dyn StepHandler>> {
        self.lookup(&step.step_definition.handler.callable)
    }

    fn register(&self, name: &str, handler: Arc<dyn StepHandler>) {
        let mut handlers = self
            .handlers
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        handlers.insert(name.to_string(), handler);
    }

    fn handler_available(&self, name: &str) -> bool {
        self.lookup(name).is_some()
    }

    fn registered_handlers(&self) -> Vec<String> {
        let handlers = self.handlers.read().unwrap_or_else(PoisonError::into_inner);
        let mut names: Vec<String> = handlers.keys().cloned().collect();
        names.sort();
        names
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// Handlers per template namespace, from the registry keys.
    fn per_namespace() -> BTreeMap<&'static str, usize> {
        let namespaces = [
            "ecommerce",
            "data_pipeline",
            "microservices",
            "customer_success",
            "payments",
        ];
        let mut counts = BTreeMap::new();
        for name in BlogHandlerRegistry::new().registered_handlers() {
            if let Some(namespace) = namespaces
                .iter()
                .find(|ns| name.starts_with(&format!("{ns}_")))
            {
                *counts.entry(*namespace).or_default() += 1;
            }
        }
        counts
    }

    #[test]
    fn registers_every_handler_of_the_book_once() {
        let names: Vec<String> = all_handlers()
            .iter()
            .map(|h| h.name().to_string())
            .collect();
        let registered = BlogHandlerRegistry::new().registered_handlers();
        // A key used twice would silently replace the first handler.
        assert_eq!(registered.len(), names.len(), "duplicate keys in {names:?}");
        assert_eq!(registered.len(), 27);
        let expected = BTreeMap::from([
            ("ecommerce", 5),
            ("data_pipeline", 8),
            ("microservices", 5),
            ("customer_success", 5),
            ("payments", 4),
        ]);
        assert_eq!(per_namespace(), expected);
    }

    #[test]
    fn finds_a_handler_by_its_callable_only() {
        let registry = BlogHandlerRegistry::new();
        let handler = registry.lookup("payments_notify_customer");
        assert_eq!(
            handler.as_ref().map(|h| h.name()),
            Some("payments_notify_customer")
        );
        assert!(registry.handler_available("customer_success_update_ticket_status"));
        // The bare step name is not a callable: namespaces keep them apart.
        assert!(registry.lookup("notify_customer").is_none());
    }
}
