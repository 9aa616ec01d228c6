"""Where the shared inputs of the tests live, relative to this checkout."""

from __future__ import annotations

import os
from pathlib import Path

PYTHON_ROOT = Path(__file__).resolve().parents[2]
HANDLERS_ROOT = PYTHON_ROOT.parent
DEFAULT_VECTORS_DIR = HANDLERS_ROOT / "vectors"
TEMPLATES_DIR = HANDLERS_ROOT / "templates" / "python"

# Anyone can run this suite against a vector set of their own; the variable is
# read when the vectors are loaded, never baked in.
VECTORS_DIR_VARIABLE = "TASKER_VECTORS_DIR"


class VectorsDirError(LookupError):
    """TASKER_VECTORS_DIR names a folder that does not exist."""


def vectors_dir() -> Path:
    """The vector folder of this run: $TASKER_VECTORS_DIR if set, else handlers/vectors.

    A relative path is taken from the current directory. A folder that does not
    exist is an error, never an empty (and so vacuously passing) run.
    """
    configured = os.environ.get(VECTORS_DIR_VARIABLE, "")
    if not configured:
        return DEFAULT_VECTORS_DIR
    folder = Path(configured).resolve()
    if not folder.is_dir():
        raise VectorsDirError(
            f"{VECTORS_DIR_VARIABLE}={configured!r} is not a folder ({folder} does not exist)"
        )
    return folder
