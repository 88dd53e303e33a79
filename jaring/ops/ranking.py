"""Values picked by rank or by frequency along a dim: kthvalue, mode and msort.

Each picks elements of the input with `Gather`, so the gradient goes to the elements picked, as
torch's does; the indices are int64 and carry none. kthvalue ranks with a stable sort (NaN as the
largest value), so among equal values it names the first of those at that rank; torch's
selection may name another of them. mode takes the smallest of the most frequent values and the
index of its last occurrence, as torch does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.gather import Gather
from jaring.ops.shape import reshape, squeeze
from jaring.ops.sort import ValuesIndices, sort


def _picked(x: Tensor, at: Any, axis: int, keepdim: bool) -> ValuesIndices:
    """The values of x at the kept-size-1 positions `at` along `axis`, and those positions."""
    values = Gather.apply(x, index=at, axis=axis)
    if keepdim:
        return ValuesIndices(values, Tensor._from_op(at.astype(np.int64), None))
    return ValuesIndices(squeeze(values, axis), Tensor._from_op(at.squeeze(axis).astype(np.int64), None))


def _as_line(op: str, x: Any, dim: Any) -> tuple:
    """x (a 0-d x seen as 1-D), the axis, and whether x was 0-d."""
    x = as_tensor(x)
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"{op}: dim must be a single int, got {dim!r}")
    axis = resolve_axis(op, dim, max(x.ndim, 1), name="dim")
    return (reshape(x, (1,)) if x.ndim == 0 else x), axis, x.ndim == 0


def _scalar_back(result: ValuesIndices, scalar: bool) -> ValuesIndices:
    if not scalar:
        return result
    return ValuesIndices(reshape(result.values, ()), Tensor._from_op(result.indices.data.reshape(()), None))


def kthvalue(input: Any, k: int, dim: int = -1, keepdim: bool = False) -> ValuesIndices:
    """The k-th smallest value (k from 1) along `dim` and its index, as torch.kthvalue.
    Also `x.kthvalue(k, ...)`.

    Examples:
        >>> import jaring
        >>> values, indices = jaring.kthvalue(jaring.tensor([[4.0, 1.0, 3.0], [0.0, 8.0, 6.0]]), 2)
        >>> values.tolist(), indices.tolist()
        ([3.0, 6.0], [2, 2])
    """
    x, axis, scalar = _as_line("kthvalue", input, dim)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"kthvalue: k must be an int, got {k!r}")
    n = x.shape[axis]
    if not 1 <= k <= n:
        raise ValueError(f"kthvalue(): selected number k out of range for dimension {axis} (k={k}, size {n})")
    order = backend.array_module(x.data).argsort(x.data, axis=axis, kind="stable")
    at = order.take([int(k) - 1], axis=axis)
    return _scalar_back(_picked(x, at, axis, keepdim), scalar)


def _mode_positions(a: Any, axis: int) -> Any:
    """Per line along `axis`, the last position of the smallest most frequent value (kept dim)."""
    xp = backend.array_module(a)
    lines = xp.moveaxis(a, axis, -1)
    n = lines.shape[-1]
    flat = lines.reshape(-1, n)
    ordered = xp.sort(flat, axis=1)
    starts = xp.concatenate([xp.ones((flat.shape[0], 1), bool), ordered[:, 1:] != ordered[:, :-1]], axis=1)
    run = xp.cumsum(starts.reshape(-1)) - 1  # every row starts a run, so run ids never span two rows
    length = xp.bincount(run)[run].reshape(flat.shape)
    best = xp.argmax(length, axis=1)  # the first of the longest runs: the smallest value
    value = ordered[xp.arange(flat.shape[0]), best]
    at = n - 1 - xp.argmax((flat == value[:, None])[:, ::-1], axis=1)
    return xp.moveaxis(at.reshape(lines.shape[:-1] + (1,)), -1, axis)


def mode(input: Any, dim: int = -1, keepdim: bool = False) -> ValuesIndices:
    """The most frequent value along `dim` (of several, the smallest) and the index of its last
    occurrence, as torch.mode. Also `x.mode(...)`.

    Examples:
        >>> import jaring
        >>> values, indices = jaring.mode(jaring.tensor([[1, 2, 2, 1], [5, 5, 4, 7]]))
        >>> values.tolist(), indices.tolist()
        ([1, 5], [3, 1])
    """
    x, axis, scalar = _as_line("mode", input, dim)
    if x.shape[axis] == 0:
        raise IndexError(f"mode(): Expected reduction dim {axis} to have non-zero size.")
    return _scalar_back(_picked(x, _mode_positions(x.data, axis), axis, keepdim), scalar)


def msort(input: Any) -> Tensor:
    """The values sorted along dim 0 (torch.msort: sort(input, dim=0).values). Also `x.msort()`.

    Examples:
        >>> import jaring
        >>> jaring.msort(jaring.tensor([[3, 0], [1, 2]])).tolist()
        [[1, 0], [3, 2]]
    """
    return sort(as_tensor(input), dim=0).values
