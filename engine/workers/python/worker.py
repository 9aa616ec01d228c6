"""The book's Python worker: tasker-py's own `Worker`, loading handlers/python.

tasker-py embeds the Rust worker core, so this process is a complete Tasker
worker: it reads TASKER_CONFIG_PATH, registers the templates under
TASKER_TEMPLATE_PATH and serves their namespaces. scripts/stack starts it
(one process per worker of the stack) and stops it with SIGTERM.

    python engine/workers/python/worker.py
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

PYTHON_HANDLERS = Path(__file__).resolve().parents[3] / "handlers" / "python"
# The handler packages are plain folders, as pytest sees them.
sys.path.insert(0, str(PYTHON_HANDLERS))
# tasker_core reads RUST_LOG once, on import; unset, it logs every debug line.
os.environ.setdefault("RUST_LOG", "info")

from tasker_core import Worker  # noqa: E402 (needs the environment above)

HANDLER_PACKAGES = sorted(
    path.name for path in PYTHON_HANDLERS.glob("post_*") if (path / "__init__.py").exists()
)


def main() -> int:
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    worker = Worker.start(handler_packages=HANDLER_PACKAGES)
    print(f"python worker {worker.worker_id}: {HANDLER_PACKAGES}", file=sys.stderr, flush=True)
    try:
        stop.wait()
    finally:
        worker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
