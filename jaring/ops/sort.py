"""Sorting along an axis: sort, argsort and topk, with values and int64 indices as torch returns.

The indices come from a stable argsort and carry no gradient; the values are a gather of the
input at those indices, so the gradient flows back to the positions the values came from.
NaN sorts as the largest value, as in torch.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.gather import Gather


class ValuesIndices(NamedTuple):
    """What sort, topk, cummax, cummin and max/min with a dim return (torch's return_types):
    `values, indices = ...`.

    Examples:
        >>> import jaring
        >>> result = jaring.max(jaring.tensor([[1, 5, 2], [4, 3, 6]]), dim=1)
        >>> type(result).__name__, result.values.tolist(), result.indices.tolist()
        ('ValuesIndices', [5, 6], [1, 2])
        >>> values, indices = result  # it unpacks like a tuple
    """

    values: Tensor
    indices: Tensor


def stable_order(a: Any, axis: int, descending: bool) -> Any:
    """Stable argsort along `axis`; descending keeps equal values in their original order."""
    xp = backend.array_module(a)
    if not descending:
        return xp.argsort(a, axis=axis, kind="stable")
    # Sorting the reversed array ascending and reversing the result keeps ties in input order and
    # puts NaN first, where argsort(-a) would put NaN last and fail on booleans.
    n = a.shape[axis]
    reversed_order = xp.argsort(xp.flip(a, axis), axis=axis, kind="stable")
    return (n - 1) - xp.flip(reversed_order, axis)


def _prepare(op: str, x: Any, dim: int) -> tuple:
    x = as_tensor(x)
    return x, resolve_axis(op, dim, max(x.ndim, 1))


def sort(x: Any, dim: int = -1, descending: bool = False, stable: bool = False) -> ValuesIndices:
    """Sorted values and the indices they came from along `dim` (always stable, whatever `stable`).

    Examples:
        >>> import jaring
        >>> values, indices = jaring.sort(jaring.tensor([3.0, 1.0, 2.0]))
        >>> values.tolist(), indices.tolist()
        ([1.0, 2.0, 3.0], [1, 2, 0])
        >>> jaring.sort(jaring.tensor([3.0, 1.0, 2.0]), descending=True).values.tolist()
        [3.0, 2.0, 1.0]
    """
    x, axis = _prepare("sort", x, dim)
    if x.ndim == 0:  # torch sorts a 0-d tensor along dim 0 or -1 into itself
        values, indices = sort(x.reshape(1), 0, descending)
        return ValuesIndices(values.reshape(()), _long(indices.data.reshape(())))
    order = stable_order(x.data, axis, descending)
    return ValuesIndices(Gather.apply(x, index=order, axis=axis), _long(order))


def argsort(x: Any, dim: int = -1, descending: bool = False, stable: bool = False) -> Tensor:
    """The indices that sort `x` along `dim` (int64, no gradient); always stable.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[3, 1, 2], [0, 5, 4]])
        >>> jaring.argsort(x).tolist(), jaring.argsort(x, dim=1, descending=True).tolist()
        ([[1, 2, 0], [0, 2, 1]], [[0, 2, 1], [1, 2, 0]])
    """
    return sort(x, dim, descending, stable).indices


def topk(x: Any, k: int, dim: int = -1, largest: bool = True, sorted: bool = True) -> ValuesIndices:
    """The `k` largest (or smallest) values along `dim` and their indices.

    They always come back sorted (torch's `sorted=False` leaves the order unspecified); among
    equal values the one earlier in the input comes first.

    Examples:
        >>> import jaring
        >>> values, indices = jaring.topk(jaring.tensor([1.0, 5.0, 3.0, 4.0]), 2)
        >>> values.tolist(), indices.tolist()
        ([5.0, 4.0], [1, 3])
        >>> jaring.topk(jaring.tensor([1.0, 5.0, 3.0, 4.0]), 2, largest=False).indices.tolist()
        [0, 2]
    """
    x, axis = _prepare("topk", x, dim)
    n = x.shape[axis] if x.ndim else 1
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)) or not 0 <= k <= n:
        raise ValueError(f"topk: k must be an integer from 0 to {n} (the size of dim {dim}), got {k!r}")
    if x.ndim == 0:
        values, indices = topk(x.reshape(1), k, 0, largest)
        return (
            ValuesIndices(values.reshape(()), _long(indices.data.reshape(())))
            if k
            else ValuesIndices(values, indices)
        )
    values, indices = sort(x, dim, descending=largest)
    keep = tuple(slice(0, k) if d == axis else slice(None) for d in range(x.ndim))
    return ValuesIndices(values[keep], _long(indices.data[keep]))


def _long(values: Any) -> Tensor:
    return Tensor._from_op(backend.array_module(values).asarray(values).astype(np.int64), None)
