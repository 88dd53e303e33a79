"""Call counters for kernels: the tests use them to know which path really ran."""

from __future__ import annotations

from types import ModuleType

import pytest


def count_calls(monkeypatch: pytest.MonkeyPatch, module: ModuleType, names: list[str]) -> dict[str, int]:
    """Wrap each kernel in `names` of `module` so that it counts its calls (undone with the
    monkeypatch); returns the counts, all 0 to start."""
    counts = dict.fromkeys(names, 0)
    for name in names:
        monkeypatch.setattr(module, name, _counting(counts, name, getattr(module, name)))
    return counts


def _counting(counts: dict[str, int], name: str, kernel):
    def counted(*args):
        counts[name] += 1
        return kernel(*args)

    return counted
