"""Helpers shared by the ops: lifting numbers and arrays to (float) tensors, reading axis arguments."""

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


def resolve_axis(
    op: str,
    axis: Any,
    ndim: int,
    *,
    dim: Any = None,
    default: Any = None,
    many: bool = False,
    new_axis: bool = False,
    name: str | None = None,
) -> Any:
    """The axis an op works on, checked; every op reads its axis argument through here.

    Takes NumPy/Keras `axis=` or PyTorch `dim=` (not both). `default` is the value `axis` has in
    the op's signature: an axis left there gives way to dim=, and None becomes `default`.
    One axis (many=False): an int in [-ndim, ndim), returned non-negative. Several (many=True,
    reductions): None (every axis), an int, or a tuple or list of ints, returned as a sorted tuple
    of distinct non-negative ints; there a 0-d tensor accepts 0 and -1, as in torch. new_axis=True
    (unsqueeze, stack): a position for a new axis, in [-ndim - 1, ndim]. `name` is the argument
    named in errors (default "dim" when dim= was passed, else "axis").
    """
    name = name or ("axis" if dim is None else "dim")
    if dim is not None:
        if axis is not None and not (type(axis) is type(default) and axis == default):
            raise TypeError(f"{op}: pass either axis= or dim=, not both (got axis={axis!r}, dim={dim!r})")
        axis = dim
    elif axis is None:
        axis = default
    if not many:
        return _one_axis(op, name, axis, axis, ndim, ndim + new_axis, new_axis)
    if axis is None:
        return tuple(range(ndim))
    axes = [axis] if _is_int(axis) else axis
    if not isinstance(axes, (tuple, list)):
        raise TypeError(f"{op}: {name} must be None, an int or a tuple of ints, got {axis!r}")
    out = [_one_axis(op, name, a, axis, ndim, max(ndim, 1)) for a in axes]
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: {name}={axis!r} names the same axis twice (tensor with {ndim} dimensions)")
    return tuple(sorted(out))


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _one_axis(op: str, name: str, value: Any, given: Any, ndim: int, span: int, new: bool = False) -> int:
    """`value` as an axis in [0, span), or an error naming the argument, its value and the range."""
    if not _is_int(value):
        raise TypeError(f"{op}: {name} must be an int, got {given!r}")
    if not -span <= value < span:
        allowed = f"from {-span} to {span - 1}" if span else "none, a 0-d tensor has no axes"
        where = "a new axis of a tensor" if new else "a tensor"
        raise ValueError(
            f"{op}: {name}={given!r} is out of range for {where} with {ndim} dimensions (allowed: {allowed})"
        )
    return int(value) % span


def floating(x: Any) -> Tensor:
    """`x` as a float tensor: integer or boolean data becomes the default float dtype."""
    x = as_tensor(x)
    if x.dtype.kind != "f":
        return Tensor._from_op(x.data.astype(backend.get_default_dtype()), None)
    return x


def pick_keepdims(keepdims: bool, keepdim: bool | None) -> bool:
    """Accept NumPy/Keras `keepdims=` and PyTorch `keepdim=`."""
    return keepdims if keepdim is None else bool(keepdim)
