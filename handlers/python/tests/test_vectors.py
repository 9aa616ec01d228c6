"""One test per shared conformance vector in handlers/vectors/**.json.

TASKER_VECTORS_DIR, when set, names another vector folder to run instead
(support.paths.vectors_dir).
"""

from __future__ import annotations

import json

import pytest

from support.harness import HarnessError, expected_outcome, run_vector
from support.matcher import Scope, mismatches
from support.paths import vectors_dir
from support.vectors import Vector, load_vectors

# Posts whose Python handlers do not exist yet. Their vectors are expected to
# fail (strict: once a post passes, it must be taken off this list). Any other
# vector without a template or handler FAILS.
NOT_YET_PORTED: frozenset[str] = frozenset()

VECTORS = load_vectors()


def _param(vector: Vector) -> object:
    marks = []
    if vector.post in NOT_YET_PORTED:
        marks.append(pytest.mark.xfail(reason=f"{vector.post} not yet ported", strict=True))
    return pytest.param(vector, id=vector.name, marks=marks)


def test_vectors_exist() -> None:
    assert VECTORS, f"no vectors found under {vectors_dir()}"


@pytest.mark.parametrize("vector", [_param(v) for v in VECTORS])
def test_vector(vector: Vector) -> None:
    try:
        actual, clock = run_vector(vector)
    except HarnessError as error:
        unrunnable = str(error)
    else:
        unrunnable = ""
    if unrunnable:  # failing outside `except` keeps the report to one message
        pytest.fail(f"{vector.name}: {unrunnable}", pytrace=False)
    # Relative expectations name fields of the result (or of a failure's context).
    root = actual.get("result") if actual.get("success") else actual.get("context")
    problems = mismatches(expected_outcome(vector.expect), actual, scope=Scope(clock, root))
    if problems:
        pytest.fail(
            f"{vector.name}: {vector.description}\n"
            + "\n".join(f"  - {problem}" for problem in problems)
            + "\nactual outcome:\n"
            + json.dumps(actual, indent=2, sort_keys=True, default=str),
            pytrace=False,
        )
