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


def reserve(shape: Any) -> None:
    """Count a weight of `shape` against the active budget; raise AllocationRefusedError past it."""
    state = _remaining.get()
    if state is None:
        return
    n = math.prod(shape) if isinstance(shape, tuple) else int(shape)
    state[0] -= n
    if state[0] < 0:
        raise AllocationRefusedError(
            f"the architecture asks for more than {state[1]:,} weight elements (a tensor of shape "
            f"{shape} alone has {n:,}), but {state[2]}"
        )
