"""TASKER_VECTORS_DIR: the vector runner reads its folder from the environment at run time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.paths import (
    DEFAULT_VECTORS_DIR,
    PYTHON_ROOT,
    VECTORS_DIR_VARIABLE,
    VectorsDirError,
    vectors_dir,
)
from support.vectors import load_vectors

# A vector that exists nowhere in handlers/vectors: if it runs, the folder came
# from the variable.
DISTINCTIVE_NAME = "post_99_elsewhere/validate_cart__only_in_a_custom_folder.json"
DISTINCTIVE_VECTOR = {
    "description": "An empty context has no cart: permanent MISSING_CART_ITEMS.",
    "namespace": "ecommerce",
    "step": "validate_cart",
    "input": {},
    "dependency_results": {},
    "expect": {"outcome": "failure", "error_code": "MISSING_CART_ITEMS", "retryable": False},
}


@pytest.fixture
def custom_folder(tmp_path: Path) -> Path:
    path = tmp_path / DISTINCTIVE_NAME
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(DISTINCTIVE_VECTOR), encoding="utf-8")
    return tmp_path


def _run_vector_suite(folder: Path) -> subprocess.CompletedProcess[str]:
    """The real vector test module in a fresh interpreter, pointed at `folder`."""
    env = {**os.environ, VECTORS_DIR_VARIABLE: str(folder)}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/test_vectors.py", "-v", "-p", "no:cacheprovider"],
        cwd=PYTHON_ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_without_the_variable_the_shared_vectors_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(VECTORS_DIR_VARIABLE, raising=False)
    assert vectors_dir() == DEFAULT_VECTORS_DIR


def test_the_variable_is_read_when_the_vectors_load(
    monkeypatch: pytest.MonkeyPatch, custom_folder: Path
) -> None:
    monkeypatch.setenv(VECTORS_DIR_VARIABLE, str(custom_folder))
    assert [vector.name for vector in load_vectors()] == [DISTINCTIVE_NAME]


def test_a_missing_folder_is_an_error_naming_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv(VECTORS_DIR_VARIABLE, str(tmp_path / "no_such_folder"))
    with pytest.raises(VectorsDirError, match=VECTORS_DIR_VARIABLE):
        load_vectors()


def test_the_vector_suite_runs_exactly_the_vectors_of_the_named_folder(custom_folder: Path) -> None:
    run = _run_vector_suite(custom_folder)
    assert run.returncode == 0, run.stdout + run.stderr
    ran = [line for line in run.stdout.splitlines() if "test_vector[" in line]
    assert len(ran) == 1, run.stdout
    assert DISTINCTIVE_NAME in ran[0]
    assert "PASSED" in ran[0]


def test_the_vector_suite_stops_on_a_missing_folder(tmp_path: Path) -> None:
    run = _run_vector_suite(tmp_path / "no_such_folder")
    assert run.returncode != 0
    assert VECTORS_DIR_VARIABLE in run.stdout + run.stderr
