"""The book's Python worker: tasker-py's own `Worker`, loading handlers/python.

tasker-py embeds the Rust worker core, so this process is a complete Tasker
worker: it reads TASKER_CONFIG_PATH, registers the templates under
TASKER_TEMPLATE_PATH and serves their namespaces. scripts/stack starts it
(one process per worker of the stack) and stops it with SIGTERM.

    python engine/workers/python/worker.py

TASKER_BOOK_EXTRA_HANDLERS, when set, names a folder of further handler
packages to load as well (the engine suite's probes, engine/tests/fixtures/probe);
unset, the worker loads the book's handlers only.
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


def packages_in(folder: Path, pattern: str = "*") -> list[str]:
    return sorted(path.name for path in folder.glob(pattern) if (path / "__init__.py").exists())


def extra_handler_packages() -> list[str]:
    extra = os.environ.get("TASKER_BOOK_EXTRA_HANDLERS")
    if not extra:
        return []
    folder = Path(extra).resolve()
    packages = packages_in(folder) if folder.is_dir() else []
    # A mistyped path would otherwise start a worker that fails every step it is sent.
    if not packages:
        sys.exit(f"TASKER_BOOK_EXTRA_HANDLERS={extra}: no folder of Python packages there")
    sys.path.insert(0, str(folder))
    return packages


HANDLER_PACKAGES = packages_in(PYTHON_HANDLERS, "post_*")


def main() -> int:
    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    packages = HANDLER_PACKAGES + extra_handler_packages()
    worker = Worker.start(handler_packages=packages)
    print(f"python worker {worker.worker_id}: {packages}", file=sys.stderr, flush=True)
    try:
        stop.wait()
    finally:
        worker.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
