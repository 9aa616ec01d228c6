"""Test-session setup shared by every test module."""

from __future__ import annotations

import os

# The native tasker_core module logs ~100 debug lines on import unless told
# otherwise; it reads RUST_LOG once, so this must run before the first import.
os.environ.setdefault("RUST_LOG", "warn")
