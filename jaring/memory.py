"""Keep freed array memory in the process for reuse, instead of handing it back to the OS.

glibc's malloc serves big blocks with fresh mmap calls and unmaps them on free (or trims them
off the heap), so a training step can page-fault its big temporaries (activations, gradients,
im2col columns) back in, and the kernel zeroes each page. Raising the mmap threshold to its
maximum and never trimming the heap lets freed blocks be reused at no cost, as PyTorch's caching
allocators do; the price is that the process keeps its peak memory.

It changes the whole process, so nothing calls it on import: a script that trains for long and
owns its process opts in with `jaring.memory.keep_freed_memory()` (benchmarks/mlp_mnist.py does;
docs/guide/nn.md says which loops gain). glibc only; elsewhere it returns False and changes nothing.
"""

from __future__ import annotations

import ctypes
import os

# mallopt parameters from glibc's <malloc.h>.
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3
# glibc's cap on the mmap threshold on 64-bit systems (DEFAULT_MMAP_THRESHOLD_MAX); bigger
# values are refused. Arrays above it are still mapped and unmapped each time.
_MMAP_THRESHOLD_MAX = 32 << 20


def keep_freed_memory(enabled: bool = True) -> bool:
    """Make glibc keep freed blocks up to 32 MiB (enabled=True) or restore its defaults.

    Returns whether malloc accepted the settings (False on non-glibc systems).
    """
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc"):
            return False
    except (ValueError, OSError, AttributeError):  # not a glibc system
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    # Defaults: 128 KiB for both (the mmap one then adapts to the sizes freed).
    mmap_threshold = _MMAP_THRESHOLD_MAX if enabled else 128 << 10
    trim_threshold = 2**31 - 1 if enabled else 128 << 10
    return bool(mallopt(_M_MMAP_THRESHOLD, mmap_threshold)) and bool(
        mallopt(_M_TRIM_THRESHOLD, trim_threshold)
    )
