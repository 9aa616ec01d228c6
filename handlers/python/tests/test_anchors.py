"""The mdBook snippet anchors in handler files: present, balanced, unique, non-empty.

The book's preprocessor enforces the same rules at build time; checking here
points at the Python file as soon as the Python suite runs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support.harness import post_packages
from support.paths import PYTHON_ROOT

REQUIRED_ANCHORS = {
    "post_01_ecommerce/step_handlers/validate_cart_handler.py": {"handler", "retryable_error"},
    "post_01_ecommerce/step_handlers/process_payment_handler.py": {
        "handler",
        "dependency_access",
        "error_classification",
    },
    "post_01_ecommerce/step_handlers/update_inventory_handler.py": {"handler"},
    "post_01_ecommerce/step_handlers/create_order_handler.py": {"handler", "ancestor_results"},
    "post_01_ecommerce/step_handlers/send_confirmation_handler.py": {"handler"},
    "post_01_ecommerce/models/product.py": {"product_model", "catalogue"},
    "post_01_ecommerce/models/order.py": {"order_model"},
    "post_02_data_pipeline/models/sample_data.py": {
        "sales_records",
        "inventory_records",
        "customer_records",
    },
    "post_02_data_pipeline/step_handlers/aggregate_metrics_handler.py": {"handler", "convergence"},
    "post_02_data_pipeline/step_handlers/generate_insights_handler.py": {"handler", "health_score"},
    "post_03_microservices/step_handlers/create_user_account_handler.py": {
        "handler",
        "idempotency",
    },
    "post_03_microservices/step_handlers/setup_billing_profile_handler.py": {
        "handler",
        "graceful_degradation",
    },
    "post_03_microservices/step_handlers/initialize_preferences_handler.py": {
        "handler",
        "plan_defaults",
    },
    "post_03_microservices/step_handlers/send_welcome_sequence_handler.py": {
        "handler",
        "branch_results",
    },
    "post_04_team_scaling/customer_success/step_handlers/get_manager_approval_handler.py": {
        "handler",
        "approval_pending",
    },
    "post_04_team_scaling/customer_success/step_handlers/execute_refund_workflow_handler.py": {
        "handler",
        "cross_namespace",
    },
    # The post 02 chapter shows the one rounding helper every handler uses.
    "blog_common/money.py": {"rounding"},
}
# Packages whose files the book shows: every post, plus the shared helpers.
SHOWN_PACKAGES = ["blog_common"]
_MARKER = re.compile(r"#\s*(ANCHOR|ANCHOR_END):\s*(\w+)\s*$")


def _anchors(path: Path) -> dict[str, list[str]]:
    """Anchor name -> its non-marker lines; fails on a duplicate or unbalanced marker."""
    open_anchors: dict[str, list[str]] = {}
    closed: dict[str, list[str]] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        marker = _MARKER.search(line)
        if marker is None:
            for body in open_anchors.values():
                body.append(line)
            continue
        kind, name = marker.groups()
        where = f"{path.name}:{number}"
        if kind == "ANCHOR":
            assert name not in open_anchors, f"{where}: {name} opened twice"
            assert name not in closed, f"{where}: {name} used twice"
            open_anchors[name] = []
        else:
            assert name in open_anchors, f"{where}: ANCHOR_END {name} without ANCHOR"
            closed[name] = open_anchors.pop(name)
    assert not open_anchors, f"{path.name}: unclosed {sorted(open_anchors)}"
    return closed


def _python_sources() -> list[Path]:
    return sorted(
        path
        for package in [*post_packages(), *SHOWN_PACKAGES]
        for path in (PYTHON_ROOT / package).rglob("*.py")
        if path.name != "__init__.py"
    )


def test_every_required_anchor_file_exists() -> None:
    missing = [path for path in REQUIRED_ANCHORS if not (PYTHON_ROOT / path).is_file()]
    assert missing == []


@pytest.mark.parametrize(
    "path", _python_sources(), ids=lambda p: p.relative_to(PYTHON_ROOT).as_posix()
)
def test_snippet_anchors_are_well_formed(path: Path) -> None:
    anchors = _anchors(path)
    relative = path.relative_to(PYTHON_ROOT).as_posix()
    assert REQUIRED_ANCHORS.get(relative, set()) <= set(anchors)
    if "/step_handlers/" in relative:
        assert "handler" in anchors, f"{relative} has no handler anchor"
        assert anchors["handler"][0].startswith(("from ", "import ")), "handler starts at imports"
    for name, body in anchors.items():
        assert any(line.strip() for line in body), f"{relative}: anchor {name} is empty"
