"""The one rule every robustness case checks: a bad input raises a jaring error that names the
problem (raised by jaring's own code, not NumPy's or Python's), or gives the correct result."""

import contextlib
import re
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import jaring

PACKAGE = Path(jaring.__file__).parent


def assert_clear_error(fn: Callable, pattern: str, types: tuple = (ValueError, TypeError)) -> BaseException:
    """fn() must raise one of `types`, from a jaring source file, with a message matching `pattern`."""
    with pytest.raises(types) as info:
        fn()
    message = str(info.value)
    assert re.search(pattern, message, re.IGNORECASE | re.DOTALL), f"unclear message: {message!r}"
    origin = Path(info.traceback[-1].path)
    assert PACKAGE in origin.parents, f"raised by {origin}, not by jaring: {message!r}"
    return info.value


@contextlib.contextmanager
def peak_memory_below(limit_bytes: int) -> Iterator[None]:
    """Fail unless the Python and NumPy allocations inside the block peak below `limit_bytes`."""
    tracemalloc.start()
    try:
        yield
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < limit_bytes, f"peak allocation {peak:,} bytes, expected below {limit_bytes:,}"
