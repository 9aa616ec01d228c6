"""Checks of the Python idioms the book teaches, against the real tasker_core."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid
from collections import Counter
from types import ModuleType
from typing import Any

import pytest
from tasker_core import (
    ErrorType,
    EventBridge,
    FfiStepEvent,
    HandlerRegistry,
    StepContext,
    StepExecutionSubscriber,
    StepHandler,
    StepHandlerResult,
)
from tasker_core.errors import PermanentError
from tasker_core.template_discovery import HandlerDiscovery

from support.harness import (
    HarnessError,
    call_like_worker,
    context_for,
    normalise,
    post_packages,
    registry,
    resolve_handler,
    template_step,
    templates,
)
from support.paths import TEMPLATES_DIR

# --- raise vs return ---------------------------------------------------------


class RaisesPermanentError(StepHandler):
    handler_name = "idioms.RaisesPermanentError"

    def call(self, context: StepContext) -> StepHandlerResult:
        raise PermanentError("card declined", error_code="PAYMENT_DECLINED")


class ReturnsPermanentFailure(StepHandler):
    handler_name = "idioms.ReturnsPermanentFailure"

    def call(self, context: StepContext) -> StepHandlerResult:
        return self.failure(
            "card declined",
            error_type=ErrorType.PERMANENT_ERROR,
            retryable=False,
            error_code="PAYMENT_DECLINED",
        )


class _CapturingSubscriber(StepExecutionSubscriber):
    """The real worker dispatch path, with result submission (FFI) captured."""

    submitted: StepHandlerResult | None = None

    def _submit_result(
        self, event: FfiStepEvent, handler_result: StepHandlerResult, execution_time_ms: int
    ) -> None:
        self.submitted = handler_result


def _event_for(callable_name: str) -> FfiStepEvent:
    return FfiStepEvent(
        event_id=str(uuid.uuid4()),
        task_uuid=str(uuid.uuid4()),
        step_uuid=str(uuid.uuid4()),
        correlation_id=str(uuid.uuid4()),
        task_sequence_step={
            "task": {"task": {"context": {}}},
            "dependency_results": {},
            "workflow_step": {"attempts": 0, "max_attempts": 2},
            "step_definition": {"name": "idiom", "handler": {"callable": callable_name}},
        },
    )


def _through_real_worker(handler_class: type[StepHandler]) -> StepHandlerResult:
    registry = HandlerRegistry()
    registry.register(handler_class.handler_name, handler_class)
    bridge = EventBridge()
    bridge.start()
    try:
        subscriber = _CapturingSubscriber(bridge, registry, worker_id="idioms-test")
        subscriber._handle_execution_event(_event_for(handler_class.handler_name))
    finally:
        bridge.stop()
    assert subscriber.submitted is not None
    return subscriber.submitted


def test_a_raised_permanent_error_becomes_retryable_in_the_class_based_worker() -> None:
    # The pitfall the book warns about: raising loses the permanent classification.
    result = _through_real_worker(RaisesPermanentError)
    assert not result.is_success
    assert result.retryable is True
    assert result.error_code is None


def test_a_returned_failure_keeps_its_classification() -> None:
    result = _through_real_worker(ReturnsPermanentFailure)
    assert not result.is_success
    assert result.retryable is False
    assert result.error_code == "PAYMENT_DECLINED"


@pytest.mark.parametrize("handler_class", [RaisesPermanentError, ReturnsPermanentFailure])
def test_the_vector_harness_classifies_like_the_real_worker(
    handler_class: type[StepHandler],
) -> None:
    event = _event_for(handler_class.handler_name)
    context = StepContext.from_ffi_event(event, handler_class.handler_name)
    mirrored = call_like_worker(handler_class(), context)
    real = _through_real_worker(handler_class)
    assert (mirrored.is_success, mirrored.retryable, mirrored.error_code) == (
        real.is_success,
        real.retryable,
        real.error_code,
    )


# --- handler discovery ---------------------------------------------------------


def _modules() -> list[ModuleType]:
    # Imported one by one, unlike HandlerRegistry.discover_handlers, which logs and
    # skips a module that fails to import: here a broken module fails the test.
    found = []
    for package_name in post_packages():
        package = importlib.import_module(package_name)
        found.append(package)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{package_name}."):
            found.append(importlib.import_module(info.name))
    return found


def _handler_classes() -> list[type[StepHandler]]:
    return [
        cls
        for module in _modules()
        for _, cls in inspect.getmembers(module, inspect.isclass)
        if issubclass(cls, StepHandler)
        and cls is not StepHandler
        and cls.__module__ == module.__name__
    ]


def test_every_post_package_imports_and_defines_handlers() -> None:
    assert post_packages(), "no post_* packages found"
    assert _handler_classes()


def test_handler_names_are_set_and_unique() -> None:
    classes = _handler_classes()
    names = Counter(cls.handler_name for cls in classes)
    assert all(names), "a StepHandler subclass has an empty handler_name"
    assert [name for name, count in names.items() if count > 1] == []
    assert {cls.handler_version for cls in classes} == {"1.0.0"}


def _template_steps() -> list[Any]:
    return [
        pytest.param(namespace, step["name"], id=f"{namespace}.{step['name']}")
        for namespace, template in sorted(templates().items())
        for step in template["steps"]
    ]


@pytest.mark.parametrize(("namespace", "step_name"), _template_steps())
def test_every_template_callable_resolves_to_its_step_file(namespace: str, step_name: str) -> None:
    step = template_step(namespace, step_name)
    handler = resolve_handler(step)
    assert handler.handler_name == step.callable
    # One path stem names the same handler in every language (common.md layout).
    assert type(handler).__module__.endswith(f".step_handlers.{step_name}_handler")


def test_every_handler_is_used_by_a_template() -> None:
    callables = {
        step["handler"]["callable"]
        for template in templates().values()
        for step in template["steps"]
    }
    unused = sorted(
        cls.handler_name for cls in _handler_classes() if cls.handler_name not in callables
    )
    assert unused == []


# --- post 03: idempotent account creation --------------------------------------------

EXISTING_USER = {"email": "existing@example.com", "name": "Existing User", "plan": "free"}


def _create_user(user_info: dict[str, Any], attempts: int) -> dict[str, Any]:
    step = template_step("microservices", "create_user_account")
    context = context_for(
        step,
        task_context={"user_info": user_info},
        dependency_results={},
        retry={"attempts": attempts},
    )
    assert context.is_retry() is (attempts > 0)
    return normalise(call_like_worker(resolve_handler(step), context))


def test_a_retried_create_of_the_same_user_succeeds_with_the_same_account() -> None:
    # A retry after a lost response must not fail just because the first try worked.
    first, retry = (_create_user(EXISTING_USER, attempts) for attempts in (0, 1))
    assert first["success"]
    assert retry["success"]
    assert first["result"]["status"] == retry["result"]["status"] == "already_exists"
    assert first["result"]["user_id"] == retry["result"]["user_id"] == "user_existing_001"


def test_a_conflicting_create_stays_permanent_on_every_attempt() -> None:
    for attempts in (0, 1):
        outcome = _create_user(EXISTING_USER | {"plan": "pro"}, attempts)
        assert (outcome["error_code"], outcome["retryable"]) == ("USER_CONFLICT", False)


# --- post 04: one workflow name, two namespaces -----------------------------------

REFUND_NAMESPACES = {"customer_success": "1.3.0", "payments": "2.1.0"}


def test_both_process_refund_templates_load_side_by_side() -> None:
    # tasker_core's own template discovery reads the whole directory at once.
    found = {
        meta["namespace"]: meta["version"]
        for meta in HandlerDiscovery.discover_template_metadata(TEMPLATES_DIR)
        if meta["name"] == "process_refund"
    }
    assert found == REFUND_NAMESPACES
    by_namespace = HandlerDiscovery.discover_handlers_by_namespace(TEMPLATES_DIR)
    customer_success = set(by_namespace["customer_success"])
    payments = set(by_namespace["payments"])
    assert len(customer_success) == 5
    assert len(payments) == 4
    assert customer_success.isdisjoint(payments)


def test_templates_are_unique_by_namespace_and_name() -> None:
    keys = Counter(
        (meta["namespace"], meta["name"])
        for meta in HandlerDiscovery.discover_template_metadata(TEMPLATES_DIR)
    )
    assert [key for key, count in keys.items() if count > 1] == []


@pytest.mark.parametrize("namespace", sorted(REFUND_NAMESPACES))
def test_each_namespace_resolves_only_its_own_handlers(namespace: str) -> None:
    template = templates()[namespace]
    assert template["name"] == "process_refund"
    other = next(name for name in REFUND_NAMESPACES if name != namespace)
    for definition in template["steps"]:
        step = template_step(namespace, definition["name"])
        handler = resolve_handler(step)
        assert type(handler).__module__.startswith(f"post_04_team_scaling.{namespace}.")
        # The callable carries its namespace: the same class name under the other
        # team's namespace is a different key, and nothing is registered there.
        class_name = step.callable.rsplit(".", 1)[1]
        assert registry().resolve(f"{other}.step_handlers.{class_name}") is None


def test_a_step_is_looked_up_within_its_own_namespace() -> None:
    with pytest.raises(HarnessError, match="no step 'validate_refund_request'"):
        template_step("payments", "validate_refund_request")
