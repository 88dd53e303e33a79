"""Allocation budgets: refuse to create weights a file cannot back, before allocating them.

A model file declares its architecture (e.g. FFNN([8000, 8000])) apart from its weights, so a
tiny hostile file could make the loader allocate gigabytes before noticing that the weights
do not match. While `budget(n, what)` is active, every weight initializer calls `reserve(shape)`
first, and a layer whose weights would take the total past `n` elements raises
`AllocationRefusedError` instead of allocating them.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

_remaining: ContextVar[list | None] = ContextVar("jaring_allocation_budget", default=None)


class AllocationRefusedError(MemoryError):
    """A weight would take the elements created inside a `budget` past its limit."""


@contextlib.contextmanager
def budget(elements: int, what: str) -> Iterator[None]:
    """Allow at most `elements` weight elements to be created inside the block (`what` says why)."""
    token = _remaining.set([int(elements), int(elements), what])
    try:
        yield
    finally:
        _remaining.reset(token)


def physical_memory() -> int | None:
    """Bytes of RAM in this machine, or None where the system does not say."""
    try:
        return os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return None


def check_fits_in_memory(shape: Any, itemsize: int = 8, what: str = "an array") -> None:
    """Refuse an array of `shape` whose `itemsize`-byte elements would not fit in physical memory."""
    n = math.prod(shape) if isinstance(shape, tuple) else int(shape)
    memory = physical_memory()
    if memory is not None and n * itemsize > memory:
        raise AllocationRefusedError(
            f"{what} of shape {shape} needs {n * itemsize / 2**30:,.1f} GiB, more than this machine's "
            f"{memory / 2**30:,.1f} GiB of memory; check the sizes you gave"
        )


def reserve(shape: Any) -> None:
    """Count a weight of `shape` against the active budget; raise AllocationRefusedError past it
    (or when the weight alone, drawn in float64, would not fit in memory)."""
    state = _remaining.get()
    if state is not None:
        n = math.prod(shape) if isinstance(shape, tuple) else int(shape)
        state[0] -= n
        if state[0] < 0:
            raise AllocationRefusedError(
                f"the architecture asks for more than {state[1]:,} weight elements (a tensor of shape "
                f"{shape} alone has {n:,}), but {state[2]}"
            )
    check_fits_in_memory(shape, 8, "a weight")
