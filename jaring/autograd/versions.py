"""Version counters: how backward notices a tensor that an in-place op changed after it was saved.

Every in-place op advances one process-wide clock (`function._clock`), counts one more in the
tensor's `_version` (as torch's) and keeps the reading in the tensor's `_stamps`. Every
recorded Context holds the clock reading of its moment (`ctx.stamp`), which costs one integer
per op instead of one version per saved tensor. Backward compares the two only when the clock
moved since the op ran, so a program without in-place ops pays one integer comparison per node.

A tensor changed after an op recorded it breaks that op's backward in two ways, and both raise
torch's error instead of giving a wrong gradient:
- its array was written in place (no_grad updates, unrecorded ops) and the op saved that array;
- the in-place op was recorded, so the tensor now stands for a later node of the graph and the
  earlier op would send its gradient through the wrong node.
"""

from __future__ import annotations

import bisect
import weakref
from typing import Any

import numpy as np

from jaring.autograd import function
from jaring.autograd.tensor import Tensor


# The memory written in place, by the array that owns it: id -> (clock reading, weak reference).
# A write through a view (x[0] += 1, a reshaped tensor) changes its base's memory, which another
# tensor may share, so backward compares memory, not tensors. One entry per array, dropped when
# the array dies, so a training loop's updates do not pile up.
_WRITES: dict[int, tuple[int, Any]] = {}
_KEPT = 16


def _remember_write(array: Any, stamp: int) -> None:
    while type(getattr(array, "base", None)) is type(array):  # up to the array owning the memory
        array = array.base
    key = id(array)
    try:
        ref = weakref.ref(array, lambda _, key=key: _WRITES.pop(key, None))
    except TypeError:  # an array type without weak references: keep it alive instead
        ref = lambda array=array: array  # noqa: E731
    _WRITES.pop(key, None)  # re-inserted last, so the dict stays in clock order
    _WRITES[key] = (stamp, ref)


def advance(tensor: Tensor, written: Any = None) -> int:
    """Tick the clock for one in-place op on `tensor` and return the new reading; `written` is
    the array that was changed in place (None when the op was recorded and changed no memory)."""
    function._clock += 1
    tensor._version += 1
    # Only the latest readings: enough to name the expected version in the error, and a
    # 100,000-step loop of `w -= lr * w.grad` keeps 16 numbers, not 100,000.
    tensor._stamps = (*tensor._stamps[-(_KEPT - 1) :], function._clock)
    if written is not None:
        _remember_write(written, function._clock)
    return function._clock


def mark_relinked(tensor: Tensor, stamp: int) -> None:
    """Note that the in-place op at `stamp` was recorded: `tensor` now names a new graph node."""
    tensor._relinked = stamp


def _saved_arrays(ctx: Any) -> list:
    saved = list(getattr(ctx, "saved", ()) or ())
    saved += [v for v in ctx.__dict__.values() if hasattr(v, "shape") and hasattr(v, "dtype")]
    return [a for a in saved if a is not None and hasattr(a, "shape")]


def _shares(saved: list, data: Any) -> bool:
    for array in saved:
        if isinstance(array, np.generic) or isinstance(data, np.generic):
            continue  # NumPy scalars own no shared memory
        if type(array) is np.ndarray and type(data) is np.ndarray:
            if np.may_share_memory(array, data):
                return True
        elif type(array) is not np.ndarray and type(data) is not np.ndarray:
            return True  # both from another array library (CuPy): assume the worst
    return False


def _describe(tensor: Tensor) -> str:
    return f"[jaring {tensor.dtype} tensor of shape {tuple(tensor.shape)}]"


def _written_since(stamp: int) -> list:
    arrays = []
    for when, ref in reversed(list(_WRITES.values())):  # newest first; stop at the older ones
        if when <= stamp:
            break
        array = ref()
        if array is not None:
            arrays.append(array)
    return arrays


def version_error(tensor: Tensor, role: str, ctx: Any) -> RuntimeError:
    newer = len(tensor._stamps) - bisect.bisect_right(tensor._stamps, ctx.stamp)
    current = tensor._version
    expected = current - newer
    if not newer:  # the change came through a view of the memory: count it as one
        current = expected + 1
    return RuntimeError(
        "one of the variables needed for gradient computation has been modified by an inplace "
        f"operation: {_describe(tensor)}, which is {role} by {ctx.fn.__name__}, is at version "
        f"{current}; expected version {expected} instead. Hint: do the in-place change after "
        "backward(), or use the out-of-place op (x = x + y instead of x += y)."
    )


def check_unchanged(node: Tensor, ctx: Any) -> None:
    """Raise if a tensor this op saved (its inputs or its output) changed since it was recorded."""
    tensors = (node, *ctx.parents)
    roles = ["the output made"] + [f"input {i} used" for i in range(len(ctx.parents))]
    for tensor, role in zip(tensors[1:], roles[1:]):
        if tensor._relinked > ctx.stamp:
            raise version_error(tensor, role, ctx)
    written = _written_since(ctx.stamp)
    if not written:
        return
    saved = _saved_arrays(ctx)
    for array in written:
        if _shares(saved, array):
            for tensor, role in zip(tensors, roles):
                if _shares([tensor.data], array):
                    raise version_error(tensor, role, ctx)
            raise version_error(node, "a view of an array saved", ctx)
