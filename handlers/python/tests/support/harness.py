"""Run one step handler the way the Python worker would, without a running system.

Resolution follows tasker_core's class-based worker: the template step's
`handler.callable` is looked up in a real `HandlerRegistry` populated by
`discover_handlers`, which keys every StepHandler subclass by its `handler_name`.
The context is a real `StepContext.from_ffi_event(FfiStepEvent(...))`.
"""

from __future__ import annotations

import asyncio
import inspect
import pkgutil
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from tasker_core import FfiStepEvent, HandlerRegistry, StepContext, StepHandler, StepHandlerResult
from tasker_core import step_execution_subscriber as subscriber_module
from tasker_core.step_execution_subscriber import StepExecutionSubscriber

from support.matcher import RunClock
from support.paths import PYTHON_ROOT, TEMPLATES_DIR
from support.vectors import Vector, resolve_now_offsets


class HarnessError(LookupError):
    """The vector cannot be run: missing template, step or handler."""


@dataclass(frozen=True)
class TemplateStep:
    template_path: Path
    namespace: str
    name: str
    callable: str
    initialization: dict[str, Any]
    max_attempts: int


def post_packages() -> list[str]:
    """Top-level handler packages (one per post) beside the tests."""
    return sorted(
        module.name
        for module in pkgutil.iter_modules([str(PYTHON_ROOT)])
        if module.ispkg and module.name.startswith("post_")
    )


@cache
def registry() -> HandlerRegistry:
    # A fresh registry, not HandlerRegistry.instance(): the singleton would try to
    # bootstrap from a worker environment that tests do not have.
    handlers = HandlerRegistry()
    for package in post_packages():
        handlers.discover_handlers(package)
    return handlers


@cache
def templates() -> dict[str, dict[str, Any]]:
    """Task templates in handlers/templates/python/, keyed by namespace_name."""
    found: dict[str, dict[str, Any]] = {}
    for path in sorted(TEMPLATES_DIR.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        document["__path__"] = path
        namespace = document["namespace_name"]
        if namespace in found:
            # Vectors name a namespace, not a file: two templates in one
            # namespace would make the lookup ambiguous.
            raise HarnessError(
                f"{path.name} and {found[namespace]['__path__'].name} "
                f"share namespace_name {namespace!r}"
            )
        found[namespace] = document
    return found


def template_step(namespace: str, step: str) -> TemplateStep:
    template = templates().get(namespace)
    if template is None:
        raise HarnessError(f"no template in {TEMPLATES_DIR} has namespace_name {namespace!r}")
    for definition in template["steps"]:
        if definition["name"] == step:
            handler = definition["handler"]
            return TemplateStep(
                template_path=template["__path__"],
                namespace=namespace,
                name=step,
                callable=handler["callable"],
                initialization=handler.get("initialization") or {},
                max_attempts=definition.get("retry", {}).get("max_attempts", 3),
            )
    raise HarnessError(f"template {template['__path__'].name} has no step {step!r}")


def resolve_handler(step: TemplateStep) -> StepHandler:
    handler = registry().resolve(step.callable)
    if handler is None:
        raise HarnessError(
            f"no StepHandler with handler_name {step.callable!r} "
            f"(callable of {step.namespace}.{step.name} in {step.template_path.name}) "
            f"was found in packages {post_packages()}"
        )
    return handler


def build_context(vector: Vector, step: TemplateStep) -> StepContext:
    return context_for(
        step,
        task_context=vector.input,
        dependency_results=vector.dependency_results,
        retry=vector.retry,
        step_config=vector.step_config,
    )


def context_for(
    step: TemplateStep,
    *,
    task_context: dict[str, Any],
    dependency_results: dict[str, Any],
    retry: dict[str, Any] | None = None,
    step_config: dict[str, Any] | None = None,
) -> StepContext:
    """A real StepContext for one step, built from an FfiStepEvent as the worker gets it."""
    retry = {"attempts": 0, "max_attempts": step.max_attempts, **(retry or {})}
    config = step.initialization if step_config is None else step_config
    event = FfiStepEvent(
        event_id=str(uuid.uuid4()),
        task_uuid=str(uuid.uuid4()),
        step_uuid=str(uuid.uuid4()),
        correlation_id=str(uuid.uuid4()),
        task_sequence_step={
            "task": {"task": {"context": resolve_now_offsets(task_context)}},
            # The orchestrator stores each step's output under "result".
            "dependency_results": {
                name: {"result": result}
                for name, result in resolve_now_offsets(dependency_results).items()
            },
            "workflow_step": {
                "name": step.name,
                "attempts": retry["attempts"],
                "max_attempts": retry["max_attempts"],
            },
            "step_definition": {
                "name": step.name,
                "handler": {"callable": step.callable, "initialization": config},
            },
        },
    )
    # The worker names the context after the callable it resolved (= handler_name).
    return StepContext.from_ffi_event(event, step.callable)


def call_like_worker(handler: StepHandler, context: StepContext) -> StepHandlerResult:
    """Call the handler and treat what escapes it as the worker does.

    tasker_core's StepExecutionSubscriber turns ANY raised exception into a
    retryable failure; mirroring that here makes a handler that raises instead
    of returning a permanent failure fail its vectors (test_idioms checks that
    this mirror agrees with the real subscriber).
    """
    try:
        outcome = handler.call(context)
        if inspect.isawaitable(outcome):
            outcome = asyncio.run(_await(outcome))
    except Exception as error:
        return StepHandlerResult.failure(
            message=str(error), error_type=type(error).__name__, retryable=True
        )
    return outcome


async def _await(awaitable: Any) -> Any:
    return await awaitable


# The handler-filled fields of tasker-shared's typed StepExecutionMetadata: the
# engine deserialises a worker's result into that struct, so any other key of a
# Python handler's metadata never reaches it.
ENGINE_METADATA_FIELDS = ("error_code", "context", "custom")


class _NoEventBridge:
    """The subscriber publishes a completion event after submitting; nothing listens here."""

    def publish(self, *_args: Any, **_kwargs: Any) -> None:
        return None


def engine_record(result: StepHandlerResult) -> dict[str, Any]:
    """The step result tasker-py's own worker submits to the engine for `result`.

    tasker_core's StepExecutionSubscriber converts a handler result into the
    engine's StepExecutionResult and hands it to the Rust core with
    `complete_step_event`; the conversion runs here unchanged and the handed
    dict is captured instead of sent.
    """
    submitted: list[dict[str, Any]] = []

    def capture(_event_id: str, result_dict: dict[str, Any]) -> bool:
        submitted.append(result_dict)
        return True

    event = FfiStepEvent(
        event_id=str(uuid.uuid4()),
        task_uuid=str(uuid.uuid4()),
        step_uuid=str(uuid.uuid4()),
        correlation_id=str(uuid.uuid4()),
        task_sequence_step={},
    )
    subscriber = StepExecutionSubscriber(
        event_bridge=_NoEventBridge(),  # type: ignore[arg-type]
        handler_registry=registry(),
        worker_id="vector-runner",
    )
    original = subscriber_module._complete_step_event
    subscriber_module._complete_step_event = capture
    try:
        subscriber._submit_result(event, result, 0)
    finally:
        subscriber_module._complete_step_event = original
    if len(submitted) != 1:
        raise HarnessError(f"the subscriber submitted {len(submitted)} results, not one")
    return submitted[0]


def normalise(result: StepHandlerResult) -> dict[str, Any]:
    """The language-neutral outcome shape that vectors are matched against,
    read from what the engine receives: a field the SDK drops on the way
    (tasker-py 0.1.8 drops `error_code=` and metadata keys the engine's typed
    metadata lacks) fails the vector."""
    record = engine_record(result)
    if record.get("success"):
        return {"success": True, "result": record.get("result")}
    metadata = {
        key: value
        for key, value in (record.get("metadata") or {}).items()
        if key in ENGINE_METADATA_FIELDS
    }
    context = metadata.get("context") if isinstance(metadata.get("context"), dict) else {}
    error = record.get("error") or {}
    error_code = metadata.get("error_code")
    return {
        "success": False,
        "error_code": error_code if isinstance(error_code, str) else None,
        "retryable": error.get("retryable"),
        "retry_after": context.get("retry_after"),
        "context": context,
        "error_message": error.get("message"),
    }


def expected_outcome(expect: dict[str, Any]) -> dict[str, Any]:
    """A vector's `expect` block rewritten in the normalised shape."""
    if expect["outcome"] == "success":
        wanted: dict[str, Any] = {"success": True}
        if "result" in expect:
            wanted["result"] = expect["result"]
        return wanted
    if expect["outcome"] != "failure":
        raise HarnessError(f"unknown expect.outcome {expect['outcome']!r}")
    wanted = {"success": False}
    for key in ("error_code", "retryable", "retry_after", "context"):
        if key in expect:
            wanted[key] = expect[key]
    return wanted


def run_vector(vector: Vector) -> tuple[dict[str, Any], RunClock]:
    """The normalised outcome, and the clock of the run for relative expectations."""
    step = template_step(vector.namespace, vector.step)
    handler = resolve_handler(step)
    start = datetime.now(timezone.utc)
    outcome = normalise(call_like_worker(handler, build_context(vector, step)))
    return outcome, RunClock(start=start, end=datetime.now(timezone.utc))
