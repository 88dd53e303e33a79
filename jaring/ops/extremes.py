"""torch.max and torch.min as functions: with a dim, the (values, indices) pair torch returns.

`jaring.max(x)` is the largest element, `jaring.max(x, dim)` a named tuple of the largest
values along dim and where they are (the first one on ties, as torch on CPU), and
`jaring.max(a, b)` with two tensors the elementwise maximum. The gradient of the values goes to
the picked element only, as torch's does (the full reduction shares it among ties instead).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops import reduce, select
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.index import getitem


class ValuesIndices(NamedTuple):
    """What max(x, dim) and min(x, dim) return, as torch.return_types.max: values, indices.

    Examples:
        >>> import jaring
        >>> result = jaring.max(jaring.tensor([[1, 5, 2], [4, 3, 6]]), dim=1)
        >>> type(result).__name__, result.values.tolist(), result.indices.tolist()
        ('ValuesIndices', [5, 6], [1, 2])
        >>> values, indices = result  # it unpacks like a tuple
    """

    values: Tensor
    indices: Tensor


def _axis_or_dim(op: str, axis: Any, dim: Any) -> Any:
    """torch's `dim` or NumPy's `axis` (not both); None means the whole tensor."""
    if axis is not None and dim is not None:
        raise TypeError(f"{op}: pass either axis= or dim=, not both (got axis={axis!r}, dim={dim!r})")
    return dim if dim is not None else axis


def _along(x: Tensor, axis: Any, keepdim: bool, pick: str) -> ValuesIndices:
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{pick[3:]}: dim must be a single int, got {axis!r}")
    (axis,) = resolve_axis(pick[3:], axis, x.ndim, many=True)
    if x.ndim == 0:
        return ValuesIndices(getitem(x, ()), Tensor(np.int64(0)))
    if x.shape[axis] == 0:
        raise IndexError(f"{pick[3:]}: dim {axis} of shape {x.shape} is empty: it has no extreme value")
    where = getattr(x.data, pick)(axis=axis, keepdims=True)
    index = tuple(
        where if i == axis else np.arange(n).reshape([-1 if j == i else 1 for j in range(x.ndim)])
        for i, n in enumerate(x.shape)
    )
    values = getitem(x, index)
    if not keepdim:
        values = values.squeeze(axis)
        where = where.squeeze(axis)
    return ValuesIndices(values, Tensor._from_op(where.astype(np.int64), None))


def max(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Any:
    """The largest element; with `dim`, (values, indices) along it; with a tensor, the maximum.

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
    return reduce.max(x) if axis is None else _along(x, axis, keepdim, "argmax")


def min(x: Any, dim: Any = None, keepdim: bool = False, *, axis: Any = None) -> Any:
    """The smallest element; with `dim`, (values, indices) along it; with a tensor, the minimum.

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
    return reduce.min(x) if axis is None else _along(x, axis, keepdim, "argmin")
