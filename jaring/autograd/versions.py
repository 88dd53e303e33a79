"""Version counters: how backward notices a tensor that an in-place op changed after it was saved.

Every in-place op advances one process-wide clock (`function._clock`) and appends the new
reading to the tensor's `_stamps`; `_version` is how many in-place ops the tensor has seen, as
torch's `_version`. Every recorded Context holds the clock reading of its moment (`ctx.stamp`),
which costs one integer per op instead of one version per saved tensor. Backward compares the
two only when the clock moved since the op ran, so a program without in-place ops pays one
integer comparison per node.

A tensor changed after an op recorded it breaks that op's backward in two ways, and both raise
torch's error instead of giving a wrong gradient:
- its array was written in place (no_grad updates, unrecorded ops) and the op saved that array;
- the in-place op was recorded, so the tensor now stands for a later node of the graph and the
  earlier op would send its gradient through the wrong node.
"""

from __future__ import annotations

import bisect
from typing import Any

import numpy as np

from jaring.autograd import function
from jaring.autograd.tensor import Tensor


def advance(tensor: Tensor) -> int:
    """Tick the clock for one in-place op on `tensor` and return the new reading."""
    function._clock += 1
    tensor._stamps = (*tensor._stamps, function._clock)
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
        if type(array) is not np.ndarray or type(data) is not np.ndarray:
            return True  # another array library: assume the worst
        if np.may_share_memory(array, data):
            return True
    return False


def _describe(tensor: Tensor) -> str:
    return f"[jaring {tensor.dtype} tensor of shape {tuple(tensor.shape)}]"


def check_unchanged(node: Tensor, ctx: Any) -> None:
    """Raise if a tensor this op saved (its inputs or its output) changed since it was recorded."""
    saved = None
    for position, tensor in enumerate((node, *ctx.parents)):
        stamps = tensor._stamps
        if not stamps or stamps[-1] <= ctx.stamp:
            continue
        relinked = position > 0 and tensor._relinked > ctx.stamp
        if not relinked:
            if saved is None:
                saved = _saved_arrays(ctx)
            if not _shares(saved, tensor.data):
                continue
        role = "the output" if position == 0 else f"input {position - 1}"
        expected = bisect.bisect_right(stamps, ctx.stamp)
        raise RuntimeError(
            "one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: {_describe(tensor)}, which is {role} of {ctx.fn.__name__}, is at version "
            f"{len(stamps)}; expected version {expected} instead. Hint: do the in-place change after "
            "backward(), or use the out-of-place op (x = x + y instead of x += y)."
        )
