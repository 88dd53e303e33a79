"""Helpers shared by the ops: lifting numbers and arrays to (float) tensors, reading axis args."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor


def as_tensor(value: Any, like: Tensor | None = None) -> Tensor:
    """`value` as a Tensor; a Python number takes the dtype of `like` so float32 stays float32.

    An int tensor combined with a float number gives the default float dtype, as in PyTorch.
    """
    if isinstance(value, Tensor):
        return value
    if like is not None and isinstance(value, (int, float, bool, np.number)):
        dtype = like.data.dtype
        if dtype.kind != "f" and isinstance(value, (float, np.floating)):
            dtype = backend.get_default_dtype()
        xp = backend.array_module(like.data)
        return Tensor._from_op(xp.asarray(value, dtype=dtype), None)
    return Tensor(value)


def pick_axis(axis: Any, dim: Any) -> Any:
    """Accept NumPy/Keras `axis=` and PyTorch `dim=`; lists become tuples."""
    if dim is not None:
        if axis is not None:
            raise TypeError("pass either axis= or dim=, not both")
        axis = dim
    return tuple(axis) if isinstance(axis, list) else axis


def normalize_axes(axis: Any, ndim: int) -> tuple:
    """Axis argument as a sorted tuple of non-negative ints (None means every axis)."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    out = []
    for a in axes:
        if not -max(ndim, 1) <= a < max(ndim, 1):
            raise ValueError(f"axis {a} is out of range for a tensor with {ndim} dimensions")
        out.append(int(a) % max(ndim, 1))
    if len(set(out)) != len(out):
        raise ValueError(f"repeated axis in {axis}")
    return tuple(sorted(out))


def floating(x: Any) -> Tensor:
    """`x` as a float tensor: integer or boolean data becomes the default float dtype."""
    x = as_tensor(x)
    if x.dtype.kind != "f":
        return Tensor._from_op(x.data.astype(backend.get_default_dtype()), None)
    return x


def pick_keepdims(keepdims: bool, keepdim: bool | None) -> bool:
    """Accept NumPy/Keras `keepdims=` and PyTorch `keepdim=`."""
    return keepdims if keepdim is None else bool(keepdim)
