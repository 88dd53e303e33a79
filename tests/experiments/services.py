"""The real services the distributed tests use: a PostgreSQL URL ($JARING_TEST_POSTGRES, which
`make test-distributed` sets after starting a throwaway server) and Ray. Outside CI a missing one
skips the test with the reason; under CI (CI=true) it fails, since `.ci/run` provides both."""

from __future__ import annotations

import json
import os
import sys
import uuid
from pathlib import Path

import pytest

from jaring.experiments import layout

ROOT = Path(__file__).resolve().parents[2]
URL_VARIABLE = "JARING_TEST_POSTGRES"

GRID = """
[study]
title = "digits: width and learning rate"
report = "003"
kind = "grid"
metric = "test_accuracy"
seeds = [0]
arms = ["jaring"]

[model]
ready = "FFNN"
args = { activation = "relu" }

[data]
dataset = "digits"
validation = 0.2

[train]
optimizer = "adam"
lr = 0.01
batch_size = 32
epochs = 3

[factors]
hidden = [[16], [32]]
lr = [0.01, 0.003, 0.001, 0.03]
"""
GRID_TRIALS = 8


def missing(reason: str) -> None:
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(f"CI must run the distributed tests: {reason} (.ci/run provides it)")
    pytest.skip(reason)


def postgres_url() -> str:
    url = os.environ.get(URL_VARIABLE)
    if not url:
        missing(f"no PostgreSQL server: set ${URL_VARIABLE} (make test-distributed starts one)")
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        missing("psycopg2 is not installed: pip install -e '.[postgres]'")
    return url


def ray_module():
    try:
        import ray
    except ImportError:
        missing("Ray is not installed: pip install -e '.[ray]'")
    return ray


def study_file(folder: Path, text: str = GRID) -> Path:
    """`text` as a study file with a name of its own, so tests never share a study in the database."""
    path = folder / f"dist_{uuid.uuid4().hex[:10]}.toml"
    path.write_text(text)
    return path


def jaring(*args: str) -> list[str]:
    return [sys.executable, "-W", "ignore", "-m", "jaring.cli", *args]


def results(out: Path) -> dict[str, tuple]:
    """Per trial: its test accuracy and per-epoch history (what must not depend on where it ran)."""
    return {
        t["trial_key"]: (t["test_accuracy"], json.dumps(layout.read_json(t["path"] / layout.HISTORY_JSON)))
        for t in layout.completed_trials(out)
    }
