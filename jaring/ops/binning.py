"""Finding places in sorted boundaries: searchsorted and bucketize (int64 indices, no gradient)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor


def _side(op: str, right: bool, side: Any) -> str:
    if side is None:
        return "right" if right else "left"
    if side not in ("left", "right"):
        raise ValueError(f"{op}: side can only be 'left' or 'right', got {side!r}")
    if right and side == "left":
        raise ValueError(
            f"{op}: side and right can't be set to opposites, got side of left while right was True"
        )
    return side


def _values(values: Any, like: Tensor) -> Tensor:
    if isinstance(values, numbers.Number) and not isinstance(values, Tensor):
        return Tensor._from_op(backend.array_module(like.data).asarray(values), None)
    return as_tensor(values)


def _done(places: Any, out_int32: bool) -> Tensor:
    return Tensor._from_op(places.astype(np.int32 if out_int32 else np.int64), None)


def searchsorted(
    sorted_sequence: Any,
    values: Any,
    *,
    out_int32: bool = False,
    right: bool = False,
    side: Any = None,
    sorter: Any = None,
) -> Tensor:
    """Where `values` would be inserted into the last dim of `sorted_sequence` to keep it
    sorted: before equal entries (side="left", the default) or after them (right=True or
    side="right"). A 1-D sequence serves all values; an N-D one pairs its leading dims with
    values', as torch.searchsorted. `sorter` gives the order that sorts an unsorted sequence.

    Examples:
        >>> import jaring
        >>> edges = jaring.tensor([1, 3, 5, 7])
        >>> jaring.searchsorted(edges, jaring.tensor([3, 6])).tolist()
        [1, 3]
        >>> jaring.searchsorted(edges, jaring.tensor([3, 6]), right=True).tolist()
        [2, 3]
    """
    seq = as_tensor(sorted_sequence)
    vals = _values(values, seq)
    side = _side("searchsorted", right, side)
    if seq.ndim == 0:
        raise ValueError("searchsorted: boundaries tensor should not be a scalar")
    data = seq.data
    xp = backend.array_module(data, vals.data)
    if sorter is not None:
        order = as_tensor(sorter).data
        if order.shape != seq.shape or order.dtype.kind not in "iu":
            raise ValueError(
                f"searchsorted: sorter must be an integer tensor of the boundaries' shape {seq.shape}"
            )
        data = xp.take_along_axis(data, order, axis=-1)
    if seq.ndim == 1:
        return _done(xp.searchsorted(data, vals.data, side=side), out_int32)
    if vals.ndim != seq.ndim or vals.shape[:-1] != seq.shape[:-1]:
        raise ValueError(
            "searchsorted: boundaries tensor should be 1 dimension or the first N-1 dimensions of "
            f"boundaries tensor and input value tensor must match, but we got boundaries tensor "
            f"{list(seq.shape)} and input value tensor {list(vals.shape)}"
        )
    rows, v = data.reshape(-1, seq.shape[-1]), vals.data.reshape(-1, vals.shape[-1])
    places = xp.stack([xp.searchsorted(r, w, side=side) for r, w in zip(rows, v)]) if len(rows) else v
    return _done(places.reshape(vals.shape), out_int32)


def bucketize(x: Any, boundaries: Any, *, out_int32: bool = False, right: bool = False) -> Tensor:
    """The bucket of each element of x among the sorted 1-D `boundaries`: i with
    boundaries[i-1] < x <= boundaries[i] (right=True: boundaries[i-1] <= x < boundaries[i]),
    as torch.bucketize.

    Examples:
        >>> import jaring
        >>> jaring.bucketize(jaring.tensor([1, 4, 9]), jaring.tensor([1, 3, 5, 7])).tolist()
        [0, 2, 4]
        >>> jaring.bucketize(jaring.tensor([1, 4, 9]), jaring.tensor([1, 3, 5, 7]), right=True).tolist()
        [1, 2, 4]
    """
    boundaries = as_tensor(boundaries)
    if boundaries.ndim != 1:
        raise ValueError(f"bucketize: boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, x, out_int32=out_int32, right=right)
