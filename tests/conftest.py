"""Shared fixtures: paths to the repository's bundled data and a writer for test files."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# Charts drawn by the tests go to a cache of their own, not to the user's (see jamlib.report._vega).
os.environ.setdefault("JAMLIB_CACHE", tempfile.mkdtemp(prefix="jamlib-test-cache-"))

ROOT = Path(__file__).resolve().parents[1]
RAW = ROOT / "data" / "raw"


@pytest.fixture
def write(tmp_path: Path):
    """Write a test file as a municipality would send it: text in the given encoding."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.write_bytes(text.encode(encoding))
        return path

    return _write
