"""Integrals of sampled functions by the trapezoidal rule: trapezoid (and its old name trapz) and
cumulative_trapezoid, along one dim, with spacing `dx` or sample points `x`, as torch's.

Each is composed from slices, sums and products, so gradients reach y and x.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops import reduce
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.index import getitem
from jaring.ops.scan import cumsum
from jaring.ops.shape import reshape


def _along(t: Tensor, axis: int, part: Any) -> Tensor:
    return getitem(t, (slice(None),) * axis + (part,))


def _prepare(op: str, y: Any, x: Any, dx: Any, dim: Any) -> tuple:
    """y, its axis, and the spacing: a number, or the differences of x shaped to broadcast with y."""
    y = as_tensor(y)
    if x is not None and dx is not None:
        raise TypeError(f"{op}: pass either x or dx, not both")
    axis = resolve_axis(op, dim, y.ndim, name="dim")
    if x is None:
        if dx is None:
            dx = 1
        if isinstance(dx, Tensor) or not isinstance(dx, (int, float, np.number)) or isinstance(dx, bool):
            raise TypeError(f"{op}: dx must be a number, got {dx!r}")
        if y.dtype.kind == "b":
            raise TypeError(f"{op}: received a bool input for `y`, but bool is not supported")
        return y, axis, dx
    x = as_tensor(x)
    if y.dtype.kind == "b" or x.dtype.kind == "b":
        raise TypeError(f"{op}: received a bool input for `x` or `y`, but bool is not supported")
    if x.ndim == 1:
        if x.shape[0] != y.shape[axis]:
            raise ValueError(
                f"{op}: There must be one `x` value for each sample point (x has {x.shape[0]}, "
                f"y has {y.shape[axis]} along dim {dim})"
            )
        x = reshape(x, tuple(x.shape[0] if d == axis else 1 for d in range(y.ndim)))
    elif x.ndim < y.ndim:
        x = reshape(x, (1,) * (y.ndim - x.ndim) + x.shape)
    return y, axis, _along(x, axis, slice(1, None)) - _along(x, axis, slice(0, -1))


def trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The integral of the samples y along `dim` by the trapezoidal rule: spacing `dx` (default
    1) between samples, or the sample points `x` (1-D along dim, or broadcasting with y), as
    torch.trapezoid; no samples integrate to 0.

    Examples:
        >>> import jaring
        >>> jaring.trapezoid(jaring.tensor([1.0, 2.0, 3.0])).item()
        4.0
        >>> jaring.trapezoid(jaring.tensor([1.0, 2.0, 3.0]), jaring.tensor([0.0, 1.0, 3.0])).item()
        6.5
    """
    y, axis, spacing = _prepare("trapezoid", y, x, dx, dim)
    if y.shape[axis] == 0:
        shape = y.shape[:axis] + y.shape[axis + 1 :]
        return Tensor._from_op(backend.array_module(y.data).zeros(shape, dtype=y.dtype), None)
    if not isinstance(spacing, Tensor):
        ends = _along(y, axis, 0) + _along(y, axis, -1)
        return (reduce.sum(y, axis) - ends * 0.5) * spacing
    pairs = _along(y, axis, slice(1, None)) + _along(y, axis, slice(0, -1))
    return reduce.sum(spacing * pairs, axis) / 2.0


def trapz(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """torch's older name of `trapezoid` (torch.trapz), with the same arguments.

    Examples:
        >>> import jaring
        >>> jaring.trapz(jaring.tensor([1.0, 2.0, 3.0]), dx=2).item()
        8.0
    """
    return trapezoid(y, x, dx=dx, dim=dim)


def cumulative_trapezoid(y: Any, x: Any = None, *, dx: Any = None, dim: int = -1) -> Tensor:
    """The running integral of y along `dim` by the trapezoidal rule (one value fewer than the
    samples: out[i] integrates samples 0 to i + 1), with spacing `dx` or sample points `x`, as
    torch.cumulative_trapezoid.

    Examples:
        >>> import jaring
        >>> jaring.cumulative_trapezoid(jaring.tensor([1.0, 2.0, 3.0])).tolist()
        [1.5, 4.0]
    """
    y, axis, spacing = _prepare("cumulative_trapezoid", y, x, dx, dim)
    pairs = _along(y, axis, slice(0, -1)) + _along(y, axis, slice(1, None))
    half = spacing / 2.0
    return cumsum(half * pairs, axis)
