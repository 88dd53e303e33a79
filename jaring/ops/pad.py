"""F.pad with PyTorch's modes: constant, reflect, replicate and circular.

The widths come in either of two spellings. PyTorch's flat list, last axis first,
(left, right, top, bottom, ...), when it has 4 or more entries; or NumPy's pad_width (an int,
one (before, after) pair for every axis, or one pair per axis, first axis first), which is
what jaring's pad took before and still takes. A flat pair (1, 2) keeps NumPy's meaning (every
axis), where PyTorch pads only the last axis: write (1, 2, 0, 0) for that, a deliberate
difference that keeps earlier code working.

The non-constant modes are gathers along each padded axis (an index array per axis), so the
backward adds each output's gradient back onto the pixel it was copied from.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.shape import pad as constant_pad

MODES = ("constant", "reflect", "replicate", "circular")


def source_index(size: int, before: int, after: int, mode: str) -> np.ndarray:
    """For each padded position along one axis, the input position it copies."""
    j = np.arange(-before, size + after)
    if mode == "replicate":
        return np.clip(j, 0, size - 1)
    if mode == "circular":
        return j % size
    return np.where(j < 0, -j, np.where(j >= size, 2 * (size - 1) - j, j))  # reflect, edge not repeated


class PadGather(Function):
    """x.take(index, axis) along each padded axis; backward scatter-adds in reverse order."""

    @staticmethod
    def forward(ctx: Context, x: Any, indices: tuple) -> Any:
        xp = backend.array_module(x)
        ctx.indices, ctx.shape = indices, x.shape
        out = x
        for axis, index in indices:
            out = xp.take(out, xp.asarray(index), axis=axis)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.array_module(grad)
        g = grad
        for axis, index in reversed(ctx.indices):
            moved = xp.moveaxis(g, axis, 0)
            total = xp.zeros((ctx.shape[axis],) + moved.shape[1:], dtype=grad.dtype)
            xp.add.at(total, xp.asarray(index), moved)
            g = xp.moveaxis(total, 0, axis)
        return g


def _pairs(pad: Any, ndim: int) -> tuple:
    """Per-axis (before, after) pairs from PyTorch's flat list or NumPy's pad_width."""
    flat = isinstance(pad, (tuple, list)) and all(isinstance(p, (int, np.integer)) for p in pad)
    if flat and len(pad) >= 4:
        if len(pad) % 2 or len(pad) // 2 > ndim:
            raise ValueError(
                f"pad: PyTorch's last-axis-first flat padding needs an even number of entries, at most "
                f"{2 * ndim} for a {ndim}-d tensor, got {tuple(pad)}"
            )
        pairs = [(0, 0)] * ndim
        for k in range(len(pad) // 2):
            pairs[ndim - 1 - k] = (int(pad[2 * k]), int(pad[2 * k + 1]))
        return tuple(pairs)
    widths = np.asarray(pad)
    if widths.dtype.kind not in "iu" or widths.ndim > 2:
        raise ValueError(f"pad: widths must be ints (PyTorch's flat list or NumPy's pad_width), got {pad!r}")
    try:
        return tuple((int(b), int(a)) for b, a in np.broadcast_to(widths, (ndim, 2)))
    except ValueError:
        raise ValueError(f"pad: widths {pad!r} do not fit a tensor of shape ({ndim} axes)") from None


def pad(input: Any, pad: Any, mode: str = "constant", value: float | None = None) -> Tensor:
    """Pad a tensor as torch.nn.functional.pad (see the module docstring for the widths).

    mode: "constant" (value, default 0), "reflect" (mirror without repeating the edge; each
    width below the axis size), "replicate" (repeat the edge) or "circular" (wrap around;
    each width at most the axis size). Any axis may be padded in any mode.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.pad(jaring.ones(1, 3, 4, 4), (1, 1, 2, 2)).shape  # (left, right, top, bottom)
        (1, 3, 8, 6)
        >>> F.pad(jaring.tensor([[[1.0, 2.0, 3.0]]]), (2, 1, 0, 0), mode="reflect").tolist()
        [[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0]]]
    """
    x = as_tensor(input)
    if mode not in MODES:
        raise ValueError(f"pad: unknown mode {mode!r}; choose one of {MODES}")
    if mode != "constant" and value not in (None, 0):
        raise ValueError(f"pad: value={value} is only for mode='constant', got mode={mode!r}")
    if x.ndim == 0:
        return constant_pad(x, 0)
    pairs = _pairs(pad, x.ndim)
    if any(b < 0 or a < 0 for b, a in pairs):
        raise ValueError(f"pad: widths must be >= 0, got {pad!r}")
    if mode == "constant":
        return constant_pad(x, pairs, value=0.0 if value is None else value)
    indices = []
    for axis, ((before, after), size) in enumerate(zip(pairs, x.shape)):
        if not before and not after:
            continue
        limit = {"reflect": size - 1, "circular": size, "replicate": None}[mode]
        if size == 0 or (limit is not None and max(before, after) > limit):
            raise ValueError(
                f"pad: mode {mode!r} needs widths at most {limit} on axis {axis} of size {size}, "
                f"got {(before, after)}"
            )
        indices.append((axis, source_index(size, before, after, mode)))
    return PadGather.apply(x, indices=tuple(indices))
