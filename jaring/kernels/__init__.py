"""Compiled hot loops (Numba), one file per family, and the switch that decides when ops use them.

An op calls a kernel only when ``kernels.enabled(*arrays)`` says so: every array is a NumPy array
and the mode is ``"numba"``. Otherwise it runs its array-module code, which stays the reference
and the CuPy path. The mode starts from the environment variable ``JARING_KERNELS`` (``numba``,
the default, or ``numpy``) and can be changed for a block of code::

    with jaring.kernels.use("numpy"):
        reference = model(x)
"""

from __future__ import annotations

import contextlib
import importlib
import os
import stat
import tempfile
import warnings
from collections.abc import Iterator
from types import ModuleType

import numpy as np

MODES = ("numba", "numpy")
ENV = "JARING_KERNELS"


def _checked(mode: str, where: str) -> str:
    if mode not in MODES:
        raise ValueError(f"{where} must be one of {', '.join(map(repr, MODES))}, got {mode!r}")
    return mode


_mode = _checked(os.environ.get(ENV, "numba").strip().lower() or "numba", f"${ENV}")


def mode() -> str:
    """The current mode: ``"numba"`` (compiled kernels for NumPy data) or ``"numpy"`` (reference code).

    Examples:
        >>> import jaring
        >>> with jaring.kernels.use("numpy"):
        ...     jaring.kernels.mode()
        'numpy'
    """
    return _mode


def set_mode(new: str) -> None:
    """Switch every op between compiled kernels (``"numba"``) and the array-module reference (``"numpy"``).

    Examples:
        >>> import jaring
        >>> before = jaring.kernels.mode()
        >>> jaring.kernels.set_mode("numpy")
        >>> jaring.kernels.mode()
        'numpy'
        >>> jaring.kernels.set_mode(before)
    """
    global _mode
    _mode = _checked(new, "kernels mode")


@contextlib.contextmanager
def use(new: str) -> Iterator[None]:
    """Run a block in `new` mode, restoring the previous mode afterwards (even on an error).

    Examples:
        >>> import numpy as np
        >>> import jaring
        >>> from jaring import nn
        >>> pool, x = nn.MaxPool2D(2), jaring.randn(2, 4, 4, 3, seed=0)
        >>> with jaring.kernels.use("numpy"):  # the reference code, e.g. to check a kernel against
        ...     reference = pool(x)
        >>> bool(np.array_equal(pool(x).numpy(), reference.numpy()))
        True
    """
    old = _mode
    set_mode(new)
    try:
        yield
    finally:
        set_mode(old)


# The dtypes Numba compiles for, in native byte order. Not float16: NumPy computes with it, Numba
# does not, so float16 data takes the reference code.
_COMPILED_DTYPES = frozenset(
    np.dtype(t)
    for t in (np.bool_, np.int8, np.int16, np.int32, np.int64, np.uint8, np.uint16, np.uint32, np.uint64,
              np.float32, np.float64)
)  # fmt: skip


def enabled(*arrays: object) -> bool:
    """Whether an op should call its kernel for these inputs: mode ``"numba"`` and all NumPy arrays
    of a dtype Numba compiles (booleans, integers, float32 and float64; float16 is left to NumPy).

    Examples:
        >>> import numpy as np
        >>> import jaring
        >>> with jaring.kernels.use("numba"):
        ...     jaring.kernels.enabled(np.zeros(3)), jaring.kernels.enabled(np.zeros(3), [1.0])
        (True, False)
        >>> with jaring.kernels.use("numpy"):
        ...     jaring.kernels.enabled(np.zeros(3))
        False
        >>> jaring.kernels.enabled(np.zeros(3, np.float16))
        False
    """
    return _mode == "numba" and all(type(a) is np.ndarray and a.dtype in _COMPILED_DTYPES for a in arrays)


def floats(*arrays: object) -> bool:
    """`enabled` for the kernels written for floating-point data: also every array float32 or float64.

    Examples:
        >>> import numpy as np
        >>> import jaring
        >>> with jaring.kernels.use("numba"):
        ...     jaring.kernels.floats(np.zeros(3, np.float32)), jaring.kernels.floats(np.zeros(3, np.int64))
        (True, False)
    """
    return enabled(*arrays) and all(a.dtype.kind == "f" for a in arrays)


def family(name: str) -> ModuleType:
    """The kernel module ``jaring.kernels.<name>``, loaded on first use: one of ``"conv"``, ``"optim"``,
    ``"pool"``, ``"recurrent"``, ``"softmax"`` and ``"winograd"``.

    Ops and optimizers reach their kernels through this, not at import: Numba and LLVM take about
    0.3 s to import, more than half of ``import jaring``, and a program that never runs a kernel
    (CuPy data, ``JARING_KERNELS=numpy``, no pooling or fused optimizer step) never pays it.

    Examples:
        >>> import jaring
        >>> jaring.kernels.family("pool").__name__
        'jaring.kernels.pool'
    """
    module = _loaded.get(name)  # every kernel call asks: importlib's own lookup takes microseconds
    if module is not None:
        return module
    full = f"{__name__}.{name}"
    try:
        module = importlib.import_module(full)
    except RuntimeError as error:
        if not _no_cache_place(error):
            raise
        module = _import_with_private_cache(full)
    _loaded[name] = module
    return module


_loaded: dict[str, ModuleType] = {}  # family() by name, once imported


def _no_cache_place(error: RuntimeError) -> bool:
    """Whether Numba raised because it found no writable place for a kernel's cache."""
    return "no locator available" in str(error)


_private_cache: str | None = None  # where _import_with_private_cache put the kernels, once it had to


def _import_with_private_cache(full: str) -> ModuleType:
    """Import a kernel module with Numba's cache in a private temporary directory.

    Numba caches a kernel beside its source or under the home directory; where both are read-only
    (a system-wide install run by another user, a container with a read-only file system) its
    decorators raise "no locator available" at import. NUMBA_CACHE_DIR is set for this import
    only, so other Numba code in the process keeps its own cache places.
    """
    import numba

    global _private_cache
    if _private_cache is None:
        _private_cache = path = _private_cache_dir()
        warnings.warn(
            f"jaring: Numba cannot write its cache beside jaring's kernels or in the home directory, "
            f"so compiled kernels are cached in {path}; set NUMBA_CACHE_DIR to choose the place",
            RuntimeWarning,
            stacklevel=3,
        )
    path = _private_cache
    saved = numba.config.CACHE_DIR
    numba.config.CACHE_DIR = path
    try:
        return importlib.import_module(full)
    except RuntimeError as error:
        if not _no_cache_place(error):
            raise
        raise RuntimeError(
            f"jaring: Numba found no writable place for its cache, not even {path}; set "
            f"NUMBA_CACHE_DIR to a writable directory, or {ENV}=numpy to run without kernels"
        ) from error
    finally:
        numba.config.CACHE_DIR = saved


def _private_cache_dir() -> str:
    """A directory under the temporary directory that only this user can write. Numba's cache
    index is a pickle, so a shared or foreign directory would let another user run code here."""
    uid = os.getuid() if hasattr(os, "getuid") else None
    if uid is not None:
        path = os.path.join(tempfile.gettempdir(), f"jaring-numba-cache-{uid}")
        try:
            os.makedirs(path, mode=0o700, exist_ok=True)
            info = os.lstat(path)
            if stat.S_ISDIR(info.st_mode) and info.st_uid == uid and not info.st_mode & 0o022:
                return path
        except OSError:
            pass
    return tempfile.mkdtemp(prefix="jaring-numba-cache-")
