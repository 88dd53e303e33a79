"""torch.set_num_threads / get_num_threads: how many threads NumPy's BLAS (matmul, conv) may use.

jaring's heavy lifting is BLAS (through NumPy) and its Numba kernels, which run on one thread
each call, so the BLAS pool is the thread count that matters. It is set with threadpoolctl, the
way scikit-learn does it. torch's inter-op pool has no counterpart: jaring runs one op after
another, so get_num_interop_threads reports 1 unless set, and setting it only records the value.
"""

from __future__ import annotations

import os
import sys
from typing import Any

_interop_threads = 1


def _positive(name: str, n: Any) -> int:
    if isinstance(n, bool) or not hasattr(n, "__index__"):  # ints and NumPy integers
        raise RuntimeError(f"{name} expects an int, but got {type(n).__name__}")
    if n.__index__() < 1:
        raise RuntimeError(f"{name} expects a positive integer, got {n}")
    return n.__index__()


def _blas_pools() -> list[dict]:
    from threadpoolctl import threadpool_info

    return [pool for pool in threadpool_info() if pool["user_api"] == "blas"]


def set_num_threads(n: int) -> None:
    """Let NumPy's BLAS use `n` threads from now on (torch.set_num_threads's counterpart).

    Numba's pool, if Numba's threading layer is already running in this process, is set to
    min(n, its maximum) as well; jaring never starts it just for this. Errors are torch's:
    RuntimeError for a non-integer or n < 1.

    Examples:
        >>> import jaring
        >>> before = jaring.get_num_threads()
        >>> jaring.set_num_threads(1)
        >>> jaring.get_num_threads()
        1
        >>> jaring.set_num_threads(before)
    """
    n = _positive("set_num_threads", n)
    from threadpoolctl import threadpool_limits

    threadpool_limits(limits=n, user_api="blas")
    _set_numba_threads(n)


def _set_numba_threads(n: int) -> None:
    """numba.set_num_threads, only where Numba's threading layer has already been launched."""
    parallel = sys.modules.get("numba.np.ufunc.parallel")
    if parallel is None or not getattr(parallel, "_is_initialized", False):
        return
    import numba

    numba.set_num_threads(min(n, numba.config.NUMBA_NUM_THREADS))


def get_num_threads() -> int:
    """The threads NumPy's BLAS may use (the largest pool, if several); os.cpu_count() without one.

    Examples:
        >>> import jaring
        >>> jaring.get_num_threads() >= 1
        True
    """
    pools = _blas_pools()
    if pools:
        return max(int(pool["num_threads"]) for pool in pools)
    return os.cpu_count() or 1


def set_num_interop_threads(n: int) -> None:
    """Record `n` as the inter-op thread count; jaring has no inter-op pool, so nothing else changes.

    Examples:
        >>> import jaring
        >>> jaring.set_num_interop_threads(2)
        >>> jaring.get_num_interop_threads()
        2
        >>> jaring.set_num_interop_threads(1)
    """
    global _interop_threads
    _interop_threads = _positive("set_num_interop_threads", n)


def get_num_interop_threads() -> int:
    """The inter-op thread count: 1 (jaring runs ops one after another) unless set.

    Examples:
        >>> import jaring
        >>> jaring.get_num_interop_threads() >= 1
        True
    """
    return _interop_threads
