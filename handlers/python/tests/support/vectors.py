"""Loading the shared conformance vectors (handlers/vectors/, or $TASKER_VECTORS_DIR)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from blog_common.timestamps import days_after, iso_utc, utc_now
from support.paths import vectors_dir


@dataclass(frozen=True)
class Vector:
    path: Path
    root: Path
    description: str
    namespace: str
    step: str
    input: dict[str, Any]
    dependency_results: dict[str, Any]
    expect: dict[str, Any]
    step_config: dict[str, Any] | None = None
    retry: dict[str, Any] = field(default_factory=dict)

    @property
    def post(self) -> str:
        """The post folder the vector lives in, e.g. post_01_ecommerce."""
        return self.path.parent.name

    @property
    def name(self) -> str:
        return str(self.path.relative_to(self.root))


def load_vectors(root: Path | None = None) -> list[Vector]:
    """Every vector under `root` (default: this run's vector folder, see vectors_dir)."""
    folder = vectors_dir() if root is None else root
    return [_load(path, folder) for path in sorted(folder.glob("**/*.json"))]


def _load(path: Path, root: Path) -> Vector:
    raw = json.loads(path.read_text(encoding="utf-8"))
    return Vector(
        path=path,
        root=root,
        description=raw.get("description", ""),
        namespace=raw["namespace"],
        step=raw["step"],
        input=raw.get("input", {}),
        dependency_results=raw.get("dependency_results", {}),
        expect=raw["expect"],
        step_config=raw.get("step_config"),
        retry=raw.get("retry", {}),
    )


def resolve_now_offsets(value: Any) -> Any:
    """Replace every {"$now_offset_days": N} with now + N days as a UTC timestamp.

    Dates relative to "now" cannot be written literally into a vector that must
    stay valid forever, hence the placeholder.
    """
    if isinstance(value, dict):
        if set(value) == {"$now_offset_days"}:
            return iso_utc(days_after(utc_now(), value["$now_offset_days"]))
        return {key: resolve_now_offsets(item) for key, item in value.items()}
    if isinstance(value, list):
        return [resolve_now_offsets(item) for item in value]
    return value
