"""Reductions over an axis, a tuple of axes or everything, with keepdims: sum, mean, max, min,
var, std and logsumexp. Backward re-expands the gradient over the reduced axes."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, pick_keepdims, resolve_axis
from jaring.ops.reduce_options import cast_input, pick_correction


def _kept_shape(shape: tuple, axes: tuple) -> tuple:
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _expand(grad: Any, ctx: Context) -> Any:
    """The reduced gradient reshaped with size-1 axes and broadcast (as a view) to the input shape."""
    return backend.array_module(grad).broadcast_to(grad.reshape(ctx.kept), ctx.shape)


def _prod(values: Any) -> int:
    out = 1
    for v in values:
        out *= v
    return out


class Sum(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, axes: tuple, keepdims: bool) -> Any:
        ctx.shape, ctx.kept = a.shape, _kept_shape(a.shape, axes)
        return a.sum(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _expand(grad, ctx)


class Mean(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, axes: tuple, keepdims: bool) -> Any:
        ctx.shape, ctx.kept = a.shape, _kept_shape(a.shape, axes)
        ctx.count = _prod(a.shape[i] for i in axes)
        return a.mean(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _expand(grad / ctx.count, ctx)


class _Extreme(Function):
    """Shared max/min: the gradient is split evenly among tied extremes (torch.amax's rule).

    A NaN is the extreme of its reduction, so the gradient goes to the NaNs there, as torch.max(x)
    does: comparing with == would find no extreme, and 0 / 0 would make every gradient NaN.
    """

    @staticmethod
    def pick(a: Any, axes: tuple) -> Any:
        raise NotImplementedError

    @classmethod
    def forward(cls, ctx: Context, a: Any, axes: tuple, keepdims: bool) -> Any:
        if a.size == 0 and any(a.shape[i] == 0 for i in axes):
            raise ValueError(f"max/min over an empty axis (length 0) has no value (input shape {a.shape})")
        out = cls.pick(a, axes)
        ctx.axes, ctx.kept = axes, _kept_shape(a.shape, axes)
        ctx.save_for_backward(a, out)
        return out if keepdims else out.reshape([n for i, n in enumerate(a.shape) if i not in axes])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, out = ctx.saved
        xp = backend.array_module(a)
        hits = a == out
        if a.dtype.kind in "fc" and xp.isnan(out).any():
            hits |= xp.isnan(a)
        hits = hits.astype(grad.dtype)
        hits /= hits.sum(axis=ctx.axes, keepdims=True)
        return hits * grad.reshape(ctx.kept)


class Max(_Extreme):
    @staticmethod
    def pick(a: Any, axes: tuple) -> Any:
        return a.max(axis=axes, keepdims=True)


class Min(_Extreme):
    @staticmethod
    def pick(a: Any, axes: tuple) -> Any:
        return a.min(axis=axes, keepdims=True)


class Var(Function):
    """Variance with `correction` (1 = unbiased, PyTorch's default; 0 = NumPy's and Keras')."""

    @staticmethod
    def forward(ctx: Context, a: Any, axes: tuple, keepdims: bool, correction: int) -> Any:
        count = _prod(a.shape[i] for i in axes)
        centered = a - a.mean(axis=axes, keepdims=True)
        ctx.shape, ctx.kept = a.shape, _kept_shape(a.shape, axes)
        # N <= correction divides by zero as torch does: inf, or nan for 0/0 (no ZeroDivisionError)
        ctx.scale = 1.0 / (count - correction) if count > correction else float("inf")
        ctx.save_for_backward(centered)
        with np.errstate(invalid="ignore"):
            return (centered * centered).sum(axis=axes, keepdims=keepdims) * ctx.scale

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (centered,) = ctx.saved
        with np.errstate(invalid="ignore"):
            return centered * (grad.reshape(ctx.kept) * (2.0 * ctx.scale)).astype(centered.dtype)


class Std(Function):
    """sqrt(Var), one op so that a zero deviation gets torch's gradient 0 instead of 0 / 0."""

    @staticmethod
    def forward(ctx: Context, a: Any, axes: tuple, keepdims: bool, correction: int) -> Any:
        variance = Var.forward(ctx, a, axes, True, correction)
        out = backend.array_module(a).sqrt(variance)
        ctx.saved = (*ctx.saved, out)
        return out if keepdims else out.reshape([n for i, n in enumerate(a.shape) if i not in axes])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        centered, out = ctx.saved
        xp = backend.array_module(grad)
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = xp.where(out == 0, 0, grad.reshape(ctx.kept) * ctx.scale / out)
        return centered * slope.astype(centered.dtype)


class LogSumExp(Function):
    """log(sum(exp(x))) computed stably by factoring out the maximum."""

    @staticmethod
    def forward(ctx: Context, a: Any, axes: tuple, keepdims: bool) -> Any:
        xp = backend.array_module(a)
        ctx.shape, ctx.kept = a.shape, _kept_shape(a.shape, axes)
        if a.size == 0:  # the log of an empty sum is -inf, as in PyTorch
            out = xp.full(ctx.kept, -np.inf, dtype=a.dtype)
        else:
            peak = a.max(axis=axes, keepdims=True)
            peak = xp.where(xp.isfinite(peak), peak, 0)
            with np.errstate(divide="ignore"):  # all -inf along an axis gives -inf, as it should
                out = xp.log(xp.exp(a - peak).sum(axis=axes, keepdims=True)) + peak
        ctx.save_for_backward(a, out)
        return out if keepdims else out.reshape([n for i, n in enumerate(a.shape) if i not in axes])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, out = ctx.saved
        return backend.array_module(a).exp(a - out) * grad.reshape(ctx.kept)


def _reduce(
    op: type, x: Any, axis: Any, keepdims: bool, dim: Any, keepdim: bool | None, **extra: Any
) -> Tensor:
    """op over `axis` or torch's `dim`, keeping the reduced axes with `keepdims` or torch's `keepdim`."""
    keepdims = pick_keepdims(keepdims, keepdim)
    x = as_tensor(x)
    axes = resolve_axis(op.__name__.lower(), axis, x.ndim, dim=dim, many=True)
    if x.ndim == 0:  # axis 0 or -1 of a scalar is accepted (as torch does) and reduces nothing
        axes = ()
    return op.apply(x, axes=axes, keepdims=keepdims, **extra)


def sum(
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: bool | None = None,
    dtype: Any = None,
) -> Tensor:
    """Sum over `axis` (int, tuple, or None for all); PyTorch's `dim=` and `keepdim=` work too.

    `dtype=` (torch's) casts the input first: `sum(ints, dtype=jaring.int64)` cannot overflow int32.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        >>> jaring.sum(x).item(), jaring.sum(x, dim=1).tolist()
        (21.0, [6.0, 15.0])
        >>> jaring.sum(x, axis=0, keepdims=True).tolist()
        [[5.0, 7.0, 9.0]]
    """
    return _reduce(Sum, cast_input(x, dtype), axis, keepdims, dim, keepdim)


def mean(
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: bool | None = None,
    dtype: Any = None,
) -> Tensor:
    """Arithmetic mean over `axis` (an int, a tuple, or None for all); `dim=` works too.

    `dtype=` (torch's) casts the input first, e.g. the mean of float32 values in float64.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        >>> jaring.mean(x).item(), jaring.mean(x, dim=0).tolist()
        (3.5, [2.5, 3.5, 4.5])
    """
    return _reduce(Mean, cast_input(x, dtype), axis, keepdims, dim, keepdim)


def max(
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: bool | None = None
) -> Tensor:
    """Maximum over `axis`; tied maxima share the gradient evenly.

    This is `jaring.functional.max`, NumPy-style (`axis`, `keepdims`, values only); `jaring.max`
    is torch.max, which with a dim also returns the indices.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])
        >>> F.max(x).item(), F.max(x, axis=1).tolist()
        (6.0, [5.0, 6.0])
        >>> F.max(x, axis=(0, 1), keepdims=True).shape
        (1, 1)
    """
    return _reduce(Max, x, axis, keepdims, dim, keepdim)


def min(
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: bool | None = None
) -> Tensor:
    """Minimum over `axis`; tied minima share the gradient evenly.

    This is `jaring.functional.min`, NumPy-style (`axis`, `keepdims`, values only); `jaring.min`
    is torch.min, which with a dim also returns the indices.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[1.0, 5.0, 2.0], [4.0, 3.0, 6.0]])
        >>> F.min(x).item(), F.min(x, axis=0).tolist()
        (1.0, [1.0, 3.0, 2.0])
    """
    return _reduce(Min, x, axis, keepdims, dim, keepdim)


def var(
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    correction: int | None = None,
    *,
    dim: Any = None,
    keepdim: bool | None = None,
    unbiased: bool | None = None,
) -> Tensor:
    """Variance over `axis` divided by (N - correction); correction=1 is unbiased, as in PyTorch.

    torch's older `unbiased=` works too (True: correction 1, False: 0), but not with `correction=`.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, 2.0, 3.0, 4.0])
        >>> round(jaring.var(x).item(), 4), jaring.var(x, correction=0).item()
        (1.6667, 1.25)
    """
    if isinstance(axis, bool):  # torch's var(x, unbiased) spelled positionally
        axis, unbiased = None, axis
    correction = pick_correction("var", correction, unbiased)
    return _reduce(Var, x, axis, keepdims, dim, keepdim, correction=correction)


def logsumexp(
    x: Any, axis: Any = None, keepdims: bool = False, *, dim: Any = None, keepdim: bool | None = None
) -> Tensor:
    """log(sum(exp(x))) over `axis`, without overflow for large x.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[0.0, 0.0], [1000.0, 1000.0]])
        >>> [round(v, 4) for v in jaring.logsumexp(x, dim=1).tolist()]
        [0.6931, 1000.6932]
    """
    return _reduce(LogSumExp, x, axis, keepdims, dim, keepdim)


def std(
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    correction: int | None = None,
    *,
    dim: Any = None,
    keepdim: bool | None = None,
    unbiased: bool | None = None,
) -> Tensor:
    """Standard deviation: the square root of var(x, axis, keepdims, correction) (torch.std).

    `dim=`, `keepdim=` and `unbiased=` (True: correction 1, False: 0) are accepted for PyTorch
    users. Where it is 0 (all values equal) the gradient is 0, as in torch, not the nan of sqrt's slope.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0])
        >>> jaring.std(x, correction=0).item(), round(jaring.std(x).item(), 4)
        (2.0, 2.1381)
    """
    if isinstance(axis, bool):  # torch's std(x, unbiased) spelled positionally
        axis, unbiased = None, axis
    correction = pick_correction("std", correction, unbiased)
    return _reduce(Std, x, axis, keepdims, dim, keepdim, correction=correction)
