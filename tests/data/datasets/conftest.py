"""Fixtures for dataset tests: the shared offline data (skip when absent) and an isolated search path."""

import os
from pathlib import Path

import pytest


@pytest.fixture
def shared_data() -> Path:
    """The folder $JARING_DATA points at; tests that need real data skip without it."""
    path = os.environ.get("JARING_DATA")
    if not path or not Path(path).is_dir():
        pytest.skip("real datasets need $JARING_DATA (e.g. JARING_DATA=../shared/datasets)")
    return Path(path)


@pytest.fixture
def isolated(tmp_path, monkeypatch) -> Path:
    """No $JARING_DATA and an empty cache, so only the paths a test passes are searched."""
    monkeypatch.delenv("JARING_DATA", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path
