"""The e2e harness's Python worker: one long-lived process, many step calls.

Protocol (newline-delimited JSON, see e2e/src/worker.rs): prints
{"ready": true, ...} once, then answers each {"id", "callable", "context"}
line with {"id", "outcome"} or {"id", "error"}. Requests run on a thread
pool, so steps the harness starts together really run together; replies go
out as they finish and are matched by id.

Everything handler-specific is reused from the Python test suite
(handlers/python/tests/support/harness.py): the callable is resolved by
handler_name through tasker_core's HandlerRegistry, the context is a real
StepContext built from an FfiStepEvent, and the call is classified the way
tasker_core's worker classifies it.
"""

from __future__ import annotations

import json
import os
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TextIO

PYTHON_ROOT = Path(__file__).resolve().parents[3] / "handlers" / "python"
# The handler packages and the test-support package are plain folders, as
# pytest sees them (pyproject's pythonpath = ["."] plus tests/).
sys.path[:0] = [str(PYTHON_ROOT), str(PYTHON_ROOT / "tests")]
# tasker_core reads RUST_LOG once, on import.
os.environ.setdefault("RUST_LOG", "warn")

from support.harness import (  # noqa: E402 (needs the path set up above)
    TemplateStep,
    call_like_worker,
    context_for,
    normalise,
    registry,
    resolve_handler,
)

MAX_CONCURRENT_STEPS = 16


class Replies:
    """Writes one reply per line; threads finish in any order."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def send(self, message: dict[str, Any]) -> None:
        try:
            line = json.dumps(message)
        except (TypeError, ValueError) as error:
            # A result that is not JSON would not survive the real worker either.
            line = json.dumps({"id": message.get("id"), "error": f"unserialisable reply: {error}"})
        with self._lock:
            self._stream.write(line + "\n")
            self._stream.flush()


def run_step(request: dict[str, Any]) -> dict[str, Any]:
    """Resolve the callable, build the StepContext, call, normalise."""
    context = request["context"]
    retry = context.get("retry") or {}
    step = TemplateStep(
        template_path=Path(context.get("template", "")),
        namespace=context["namespace"],
        name=context["step"],
        callable=request["callable"],
        initialization=context.get("step_config") or {},
        max_attempts=retry.get("max_attempts", 1),
    )
    # A LookupError here (no handler_name matches) is a set-up problem,
    # reported as "error", not as a handler failure.
    handler = resolve_handler(step)
    step_context = context_for(
        step,
        task_context=context.get("input") or {},
        dependency_results=context.get("dependency_results") or {},
        retry=retry,
        step_config=step.initialization,
    )
    return {"id": request.get("id"), "outcome": normalise(call_like_worker(handler, step_context))}


def answer(line: str, replies: Replies) -> None:
    request_id = None
    try:
        request = json.loads(line)
        request_id = request.get("id")
        reply = run_step(request)
    except Exception as error:  # any problem must reach the harness as a reply
        reply = {"id": request_id, "error": f"{type(error).__name__}: {error}"}
    replies.send(reply)


def main() -> int:
    # Keep the protocol channel private: anything else printing to stdout (a
    # handler's print, a native module's log) goes to stderr instead.
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    replies = Replies(protocol)

    # Discover every handler before saying ready, so an import error in a
    # handler module is a start-up failure with its traceback on stderr.
    registry()
    replies.send({"ready": True, "language": "python", "pid": os.getpid()})

    with ThreadPoolExecutor(max_workers=MAX_CONCURRENT_STEPS) as pool:
        for line in sys.stdin:
            if line.strip():
                pool.submit(answer, line, replies)
    # stdin closed: the harness is gone; the pool has drained, exit quietly.
    return 0


if __name__ == "__main__":
    sys.exit(main())
