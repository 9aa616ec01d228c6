"""Run a whole template in-process: every step, in dependency order.

Each step gets a real StepContext whose dependency results are those of ALL its
ancestors (as Tasker passes them), and is called the way the worker calls it.
The run stops at the first failure, as a task would once retries are spent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from typing import Any

from support.harness import (
    call_like_worker,
    context_for,
    normalise,
    resolve_handler,
    template_step,
    templates,
)


@dataclass
class WorkflowRun:
    namespace: str
    outcomes: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Steps in the order they ran; "waves" group steps whose parents were all done.
    order: list[str] = field(default_factory=list)
    waves: list[list[str]] = field(default_factory=list)

    @property
    def completed(self) -> bool:
        return bool(self.outcomes) and all(o["success"] for o in self.outcomes.values())

    def result(self, step: str) -> dict[str, Any]:
        outcome = self.outcomes[step]
        assert outcome["success"], f"{self.namespace}.{step} failed: {outcome}"
        return outcome["result"]

    @property
    def failed_step(self) -> str | None:
        return next((s for s, o in self.outcomes.items() if not o["success"]), None)


def run_workflow(namespace: str, task_context: dict[str, Any]) -> WorkflowRun:
    template = templates()[namespace]
    parents = {step["name"]: set(step.get("dependencies") or []) for step in template["steps"]}
    run = WorkflowRun(namespace)
    sorter = TopologicalSorter(parents)
    sorter.prepare()
    while sorter.is_active():
        wave = sorted(sorter.get_ready())
        run.waves.append(wave)
        for name in wave:
            step = template_step(namespace, name)
            handler = resolve_handler(step)
            visible = {
                ancestor: run.outcomes[ancestor]["result"] for ancestor in _ancestors(name, parents)
            }
            context = context_for(step, task_context=task_context, dependency_results=visible)
            outcome = normalise(call_like_worker(handler, context))
            run.outcomes[name] = outcome
            run.order.append(name)
            if not outcome["success"]:
                return run
            sorter.done(name)
    return run


def _ancestors(name: str, parents: dict[str, set[str]]) -> set[str]:
    found: set[str] = set()
    pending = list(parents[name])
    while pending:
        parent = pending.pop()
        if parent not in found:
            found.add(parent)
            pending.extend(parents[parent])
    return found
