"""Whole workflows run in-process, step by step in dependency order.

The vectors check each handler alone, with hand-written upstream results; here
every step consumes what the real upstream handlers produced, so the spec's
end-to-end cases and checked values come out of the actual chain.
"""

from __future__ import annotations

from typing import Any

import pytest

from post_04_team_scaling.customer_success.step_handlers.execute_refund_workflow_handler import (
    ExecuteRefundWorkflowHandler,
)
from support.workflow import WorkflowRun, run_workflow

CHECKOUT = {
    "cart_items": [{"product_id": 1, "quantity": 2}, {"product_id": 2, "quantity": 1}],
    "customer_info": {"email": "customer@example.com", "name": "John Doe", "phone": "+1-555-0123"},
    "payment_info": {"method": "credit_card", "token": "tok_test_valid", "amount": 124.76},
}

# --- post 01: linear ------------------------------------------------------------


def test_checkout_runs_all_five_steps_in_order() -> None:
    run = run_workflow("ecommerce", CHECKOUT)
    assert run.completed
    assert run.order == [
        "validate_cart",
        "process_payment",
        "update_inventory",
        "create_order",
        "send_confirmation",
    ]
    assert run.result("create_order")["total_amount"] == 124.76


@pytest.mark.parametrize(
    ("change", "failed_step", "error_code"),
    [
        (
            {"cart_items": [{"product_id": 999, "quantity": 1}]},
            "validate_cart",
            "PRODUCT_NOT_FOUND",
        ),
        (
            {"payment_info": {**CHECKOUT["payment_info"], "token": "tok_test_declined"}},
            "process_payment",
            "PAYMENT_DECLINED",
        ),
    ],
)
def test_checkout_stops_at_a_permanent_failure(
    change: dict[str, Any], failed_step: str, error_code: str
) -> None:
    run = run_workflow("ecommerce", CHECKOUT | change)
    assert run.failed_step == failed_step
    assert run.outcomes[failed_step]["error_code"] == error_code
    assert run.outcomes[failed_step]["retryable"] is False
    assert run.order[-1] == failed_step


# --- post 02: DAG, fan-out and convergence ---------------------------------------

PIPELINE_INPUT = {
    "pipeline_id": "pipeline_2025_11",
    "date_range": {"start_date": "2025-11-01", "end_date": "2025-11-30"},
}


@pytest.fixture(scope="module")
def pipeline() -> WorkflowRun:
    return run_workflow("data_pipeline", PIPELINE_INPUT)


def test_pipeline_completes_with_parallel_extracts_and_one_convergence(
    pipeline: WorkflowRun,
) -> None:
    assert pipeline.completed
    assert len(pipeline.order) == 8
    # The three extracts are ready together; aggregate waits for all three transforms.
    assert pipeline.waves[0] == [
        "extract_customer_data",
        "extract_inventory_data",
        "extract_sales_data",
    ]
    assert pipeline.waves[-2:] == [["aggregate_metrics"], ["generate_insights"]]


def test_pipeline_checked_values_come_out_exactly(pipeline: WorkflowRun) -> None:
    metrics = pipeline.result("aggregate_metrics")
    assert metrics["total_revenue"] == 3199.73
    assert metrics["total_inventory_quantity"] == 575
    assert metrics["inventory_reorder_alerts"] == 0
    assert metrics["total_customers"] == 5
    assert metrics["total_customer_lifetime_value"] == 30500
    assert metrics["revenue_per_customer"] == 639.95
    assert metrics["inventory_turnover_indicator"] == 5.5647
    assert pipeline.result("extract_customer_data")["avg_lifetime_value"] == 6100
    assert pipeline.result("transform_customers")["value_segments"] == {
        "high_value": 1,
        "medium_value": 3,
        "low_value": 1,
    }
    insights = pipeline.result("generate_insights")
    assert insights["health_score"] == {"score": 100, "max_score": 100, "rating": "Excellent"}
    assert [insight["metric"] for insight in insights["insights"]] == [639.95, 0, 6100]


# --- post 03: parallel branches (diamond) ----------------------------------------


def _registration(plan: str | None, **extra: Any) -> dict[str, Any]:
    user_info: dict[str, Any] = {"email": f"{plan or 'default'}@example.com", "name": "Sam Lee"}
    if plan is not None:
        user_info["plan"] = plan
    return {"user_info": user_info | extra}


@pytest.mark.parametrize(
    ("plan", "billing_status", "channels"),
    [
        ("pro", "active", ["email", "in_app"]),
        ("enterprise", "active", ["email", "in_app", "sms"]),
        (None, "skipped_free_plan", ["email", "in_app"]),
    ],
)
def test_registration_completes_for_every_plan(
    plan: str | None, billing_status: str, channels: list[str]
) -> None:
    run = run_workflow("microservices", _registration(plan))
    assert run.completed
    # Billing and preferences both wait only for the account: they run side by side.
    assert ["initialize_preferences", "setup_billing_profile"] in run.waves
    assert run.result("setup_billing_profile")["status"] == billing_status
    summary = run.result("update_user_status")["registration_summary"]
    assert summary["notification_channels"] == channels
    assert ("billing_id" in summary) is (billing_status == "active")


def test_registration_preferences_flow_into_the_welcome_channels() -> None:
    run = run_workflow(
        "microservices", _registration("free", preferences={"email_notifications": False})
    )
    assert run.result("send_welcome_sequence")["channels_used"] == ["in_app"]


# --- post 04: one workflow name in two namespaces -----------------------------------

REFUND_REQUEST = {
    "ticket_id": "ticket_cs_789",
    "customer_id": "cust_premium_456",
    "refund_amount": 4999,
    "refund_reason": "Product defective",
    "customer_email": "premium@example.com",
}


@pytest.mark.parametrize(
    ("customer_id", "auto_approved"),
    [("cust_premium_456", True), ("cust_regular_789", False)],
)
def test_customer_success_refund_completes(customer_id: str, *, auto_approved: bool) -> None:
    run = run_workflow("customer_success", REFUND_REQUEST | {"customer_id": customer_id})
    assert run.completed
    approval = run.result("get_manager_approval")
    assert approval["auto_approved"] is auto_approved
    assert (approval["manager_id"] is None) is auto_approved
    assert run.result("update_ticket_status")["resolution_note"].startswith("Refund of $49.99")


def test_payments_refund_completes() -> None:
    run = run_workflow(
        "payments",
        {
            "payment_id": "pay_test_12345abc",
            "refund_amount": 4999,
            "customer_email": "c@example.com",
        },
    )
    assert run.completed
    assert run.result("notify_customer")["refund_amount"] == 4999


def test_the_delegated_context_runs_the_payments_workflow(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Instead of the simulated hand-off, really run payments' process_refund with
    # the request customer_success builds: the two teams' contracts must fit.
    delegated: list[WorkflowRun] = []

    def delegate(_handler: ExecuteRefundWorkflowHandler, request: dict[str, Any]) -> str:
        assert (request["namespace"], request["name"]) == ("payments", "process_refund")
        delegated.append(run_workflow(request["namespace"], request["context"]))
        return "task_00000000-0000-4000-8000-000000000000"

    monkeypatch.setattr(ExecuteRefundWorkflowHandler, "_delegate", delegate)
    support = run_workflow("customer_success", REFUND_REQUEST)
    assert support.completed
    [payments] = delegated
    assert payments.completed
    assert (
        payments.result("process_gateway_refund")["payment_id"]
        == (support.result("validate_refund_request")["payment_id"])
    )
    assert payments.result("notify_customer")["customer_email"] == "premium@example.com"
