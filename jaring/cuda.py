"""torch.cuda's questions, answered for jaring's GPU path (CuPy): is a GPU there, and how many.

The usual first lines of a torch script, `device = "cuda" if torch.cuda.is_available() else
"cpu"`, run unchanged with `import jaring as torch`. jaring computes on one GPU through CuPy; on a
machine without CuPy or without a GPU, is_available() is False and nothing is imported twice.
"""

from __future__ import annotations

import functools


@functools.cache
def device_count() -> int:
    """The number of GPUs CuPy sees; 0 without CuPy, a driver or a GPU.

    Examples:
        >>> import jaring
        >>> jaring.cuda.device_count() >= 0
        True
    """
    try:
        import cupy
    except ImportError:
        return 0
    try:
        return int(cupy.cuda.runtime.getDeviceCount())
    except Exception:  # CuPy raises its own CUDARuntimeError without a driver or a GPU
        return 0


def is_available() -> bool:
    """Whether jaring can compute on a GPU here (CuPy installed and a GPU present).

    Examples:
        >>> import jaring
        >>> device = "cuda" if jaring.cuda.is_available() else "cpu"
        >>> jaring.ones(2).to(device).device == device
        True
    """
    return device_count() > 0
