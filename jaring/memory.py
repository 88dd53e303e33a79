"""Keep freed array memory in the process for reuse, instead of handing it back to the OS.

glibc's malloc serves blocks over 128 KiB to 32 MiB with fresh mmap calls and unmaps them on
free, so every training step page-faults its big temporaries (im2col columns, activations,
gradients) back in, and the kernel zeroes each page: measured 7,700 faults and 22 ms of
system time per step of the default CNN (batch 64), on 62 ms of computation. Raising the mmap
threshold to its maximum and never trimming the heap lets freed blocks be reused at no cost,
as PyTorch's caching allocators do; the price is that the process keeps its peak memory.
Applied once at `import jaring` (glibc only; elsewhere nothing changes). Set the environment
variable JARING_KEEP_FREED_MEMORY=0 to leave malloc's defaults alone.
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


if os.environ.get("JARING_KEEP_FREED_MEMORY", "1") != "0":
    keep_freed_memory()
