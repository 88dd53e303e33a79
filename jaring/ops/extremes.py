"""torch.max, torch.min, torch.argmax and torch.argmin, as functions and as Tensor methods:
with a dim, max and min give the (values, indices) pair torch returns.

`jaring.max(x)` is the largest element, `jaring.max(x, dim)` a named tuple of the largest
values along dim and where they are (the first one on ties, as torch on CPU), and
`jaring.max(a, b)` with two tensors the elementwise maximum. The gradient of the values goes to
the picked element only, as torch's does (the full reduction shares it among ties instead).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops import reduce, select
from jaring.ops.common import as_tensor, pick_keepdims, resolve_axis
from jaring.ops.index import getitem
from jaring.ops.sort import ValuesIndices


def _axis_or_dim(op: str, axis: Any, dim: Any) -> Any:
    """torch's `dim` or NumPy's `axis` (not both); None means the whole tensor."""
    if axis is not None and dim is not None:
        raise TypeError(f"{op}: pass either axis= or dim=, not both (got axis={axis!r}, dim={dim!r})")
    return dim if dim is not None else axis


def _where(x: Tensor, axis: Any, pick: str) -> tuple:
    """(axis, positions of the extremes along it, that axis kept with size 1); None for a 0-d x."""
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{pick[3:]}: dim must be a single int, got {axis!r}")
    (axis,) = resolve_axis(pick[3:], axis, x.ndim, many=True)
    if x.ndim == 0:
        return axis, None
    if x.shape[axis] == 0:
        raise IndexError(f"{pick[3:]}: dim {axis} of shape {x.shape} is empty: it has no extreme value")
    return axis, getattr(x.data, pick)(axis=axis, keepdims=True)


def _indices(where: Any, axis: int, keepdim: bool) -> Tensor:
    return Tensor._from_op((where if keepdim else where.squeeze(axis)).astype(np.int64), None)


def _along(x: Tensor, axis: Any, keepdim: bool, pick: str) -> ValuesIndices:
    axis, where = _where(x, axis, pick)
    if where is None:
        return ValuesIndices(getitem(x, ()), Tensor(np.int64(0)))
    index = tuple(
        where if i == axis else np.arange(n).reshape([-1 if j == i else 1 for j in range(x.ndim)])
        for i, n in enumerate(x.shape)
    )
    values = getitem(x, index)
    return ValuesIndices(values if keepdim else values.squeeze(axis), _indices(where, axis, keepdim))


def max(
    x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None
) -> Any:
    """The largest element; with `dim`, (values, indices) along it; with a tensor, the maximum.

    Also `x.max(...)`. For the values alone along several axes, `jaring.amax`.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])
        >>> jaring.max(x).item()
        6.0
        >>> values, indices = jaring.max(x, dim=1)
        >>> values.tolist(), indices.tolist()
        ([5.0, 6.0], [1, 2])
        >>> jaring.max(x, jaring.full((2, 3), 3.0)).tolist()
        [[3.0, 5.0, 3.0], [4.0, 3.0, 6.0]]
    """
    if isinstance(dim, Tensor):
        return select.maximum(x, dim)
    x = as_tensor(x)
    axis = _axis_or_dim("max", axis, dim)
    keepdim = pick_keepdims(keepdim, keepdims)
    return reduce.max(x) if axis is None else _along(x, axis, keepdim, "argmax")


def min(
    x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None
) -> Any:
    """The smallest element; with `dim`, (values, indices) along it; with a tensor, the minimum.

    Also `x.min(...)`. For the values alone along several axes, `jaring.amin`.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])
        >>> jaring.min(x).item()
        1.0
        >>> values, indices = jaring.min(x, dim=0, keepdim=True)
        >>> values.tolist(), indices.tolist()
        ([[1.0, 3.0, 2.0]], [[0, 1, 0]])
        >>> jaring.min(x, jaring.full((2, 3), 3.0)).tolist()
        [[1.0, 3.0, 2.0], [3.0, 3.0, 3.0]]
    """
    if isinstance(dim, Tensor):
        return select.minimum(x, dim)
    x = as_tensor(x)
    axis = _axis_or_dim("min", axis, dim)
    keepdim = pick_keepdims(keepdim, keepdims)
    return reduce.min(x) if axis is None else _along(x, axis, keepdim, "argmin")


def argmax(
    x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None
) -> Tensor:
    """Where the largest value is (int64): of the flattened tensor, or along `dim`; the first on
    ties, a NaN if there is one (torch.argmax). Also `x.argmax(...)`.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])
        >>> jaring.argmax(x).item(), jaring.argmax(x, dim=1).tolist(), x.argmax(1, keepdim=True).shape
        (5, [1, 2], (2, 1))
    """
    return _position("argmax", x, dim, keepdim, axis, keepdims)


def argmin(
    x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None, keepdims: bool | None = None
) -> Tensor:
    """Where the smallest value is (int64): of the flattened tensor, or along `dim`; the first on
    ties, a NaN if there is one (torch.argmin). Also `x.argmin(...)`.

    Examples:
        >>> import jaring
        >>> jaring.argmin(jaring.tensor([[1.0, 2.0], [0.0, 3.0]]), dim=0).tolist()
        [1, 0]
    """
    return _position("argmin", x, dim, keepdim, axis, keepdims)


def _position(pick: str, x: Any, dim: Any, keepdim: bool, axis: Any, keepdims: bool | None) -> Tensor:
    x = as_tensor(x)
    axis = _axis_or_dim(pick, axis, dim)
    keepdim = pick_keepdims(keepdim, keepdims)
    if axis is None:  # the flat position; keepdim keeps every axis, with size 1
        if x.data.size == 0:
            raise IndexError(f"{pick}: the tensor of shape {x.shape} is empty: it has no extreme value")
        where = getattr(x.data, pick)(keepdims=True).astype(np.int64)
        return Tensor._from_op(where if keepdim else where.reshape(()), None)
    axis, where = _where(x, axis, pick)  # the positions only: no gather of the values
    return Tensor(np.int64(0)) if where is None else _indices(where, axis, keepdim)
