"""Where the shared inputs of the tests live, relative to this checkout."""

from __future__ import annotations

from pathlib import Path

PYTHON_ROOT = Path(__file__).resolve().parents[2]
HANDLERS_ROOT = PYTHON_ROOT.parent
VECTORS_DIR = HANDLERS_ROOT / "vectors"
TEMPLATES_DIR = HANDLERS_ROOT / "templates" / "python"
