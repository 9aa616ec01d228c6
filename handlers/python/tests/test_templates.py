"""The task templates in handlers/templates/python/: schema facts and the spec's retry policy."""

from __future__ import annotations

from typing import Any

import pytest

from support.harness import templates

BACKOFFS = {"none", "linear", "exponential", "fibonacci"}
STEP_KEYS = {"name", "description", "handler", "dependencies", "retry", "timeout_seconds"}
RETRY_KEYS = {"retryable", "max_attempts", "backoff", "backoff_base_ms", "max_backoff_ms"}

# (name, version, {step: (max_attempts, backoff_base_ms, max_backoff_ms, timeout_seconds)})
# Values the spec gives; where it is silent (posts 03-04 backoff, customer_success
# attempts) the value here is this project's choice, kept equal across languages.
EXPECTED: dict[str, tuple[str, str, dict[str, tuple[int, int, int, int]]]] = {
    "ecommerce": (
        "ecommerce_order_processing",
        "1.0.0",
        {
            step: (2, 100, 5000, 10)
            for step in (
                "validate_cart",
                "process_payment",
                "update_inventory",
                "create_order",
                "send_confirmation",
            )
        },
    ),
    "data_pipeline": (
        "analytics_pipeline",
        "1.0.0",
        {
            "extract_sales_data": (3, 2000, 30000, 30),
            "extract_inventory_data": (3, 2000, 30000, 30),
            "extract_customer_data": (3, 2000, 30000, 30),
            "transform_sales": (2, 2000, 20000, 20),
            "transform_inventory": (2, 2000, 20000, 20),
            "transform_customers": (2, 2000, 20000, 20),
            "aggregate_metrics": (2, 2000, 20000, 30),
            "generate_insights": (2, 2000, 20000, 20),
        },
    ),
    "microservices": (
        "user_registration",
        "1.0.0",
        {
            "create_user_account": (3, 1000, 30000, 30),
            "setup_billing_profile": (3, 1000, 30000, 30),
            "initialize_preferences": (3, 1000, 30000, 30),
            "send_welcome_sequence": (2, 1000, 20000, 20),
            "update_user_status": (2, 1000, 20000, 20),
        },
    ),
    "customer_success": (
        "process_refund",
        "1.3.0",
        {
            step: (3, 1000, 30000, 30)
            for step in (
                "validate_refund_request",
                "check_refund_policy",
                "get_manager_approval",
                "execute_refund_workflow",
                "update_ticket_status",
            )
        },
    ),
    "payments": (
        "process_refund",
        "2.1.0",
        {
            "validate_payment_eligibility": (3, 1000, 30000, 30),
            "process_gateway_refund": (2, 1000, 30000, 30),
            "update_payment_records": (3, 1000, 30000, 30),
            "notify_customer": (5, 1000, 30000, 30),
        },
    ),
}


def test_every_template_is_expected() -> None:
    assert sorted(templates()) == sorted(EXPECTED)


@pytest.mark.parametrize("namespace", sorted(EXPECTED))
def test_template_identity_and_step_policy(namespace: str) -> None:
    template = templates()[namespace]
    name, version, policy = EXPECTED[namespace]
    assert (template["name"], template["version"]) == (name, version)
    actual = {
        step["name"]: (
            step["retry"]["max_attempts"],
            step["retry"]["backoff_base_ms"],
            step["retry"]["max_backoff_ms"],
            step["timeout_seconds"],
        )
        for step in template["steps"]
    }
    assert actual == policy


@pytest.mark.parametrize("namespace", sorted(EXPECTED))
def test_template_follows_the_schema(namespace: str) -> None:
    template: dict[str, Any] = templates()[namespace]
    assert len(template["namespace_name"]) <= 29
    assert {"author", "tags"} <= set(template["metadata"])
    assert template["input_schema"]["type"] == "object"
    names = [step["name"] for step in template["steps"]]
    assert len(names) == len(set(names))
    for position, step in enumerate(template["steps"]):
        # initial_delay / max_delay are not template fields; nothing unknown is allowed.
        assert set(step) == STEP_KEYS, step["name"]
        assert set(step["retry"]) == RETRY_KEYS, step["name"]
        assert step["retry"]["backoff"] in BACKOFFS
        assert 1 <= step["retry"]["max_attempts"] <= 100
        assert set(step["handler"]) == {"callable", "initialization"}
        # Dependencies name earlier steps only, so the file reads in execution order.
        assert set(step["dependencies"]) <= set(names[:position]), step["name"]
