"""Softmax and log-softmax along one axis, each derivative next to its forward.

Both subtract the row's maximum first, so logits of +-1000 stay finite without overflow warnings;
integer or boolean input is converted to the default float dtype first. Along the last axis of a
C-contiguous NumPy array, both run as compiled row kernels (jaring.kernels.softmax).
"""

from __future__ import annotations

from typing import Any

from jaring import backend, kernels
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating, resolve_axis
from jaring.ops.reduce_options import cast_input


# Rows longer than this go to the array code: its exp is vectorised, the kernels' is not (see
# jaring/kernels/softmax.py; kept here so that deciding does not import Numba).
_KERNEL_MAX_CLASSES = 32


def rows_kernel(x: Any) -> bool:
    """Whether the compiled row kernels take `x`: a 2-D C-contiguous NumPy float array of at most
    32 classes per row (beyond that the array code's vectorised exp is faster)."""
    short_rows = x.ndim == 2 and 0 < x.shape[1] <= _KERNEL_MAX_CLASSES
    return kernels.floats(x) and short_rows and x.flags.c_contiguous


def _rows(x: Any, axis: Any) -> Any:
    """`x` as (rows, classes) for the row kernels when `axis` is its last axis, else None."""
    if axis is None or x.ndim == 0 or x.size == 0 or axis not in (-1, x.ndim - 1):
        return None
    rows = x.reshape(-1, x.shape[-1]) if x.flags.c_contiguous else x
    return rows if rows_kernel(rows) else None


def _forward_rows(name: str, ctx: Context, x: Any, axis: Any) -> Any:
    """The kernel `name`_forward's result for x (also saved for backward), or None when the row
    kernels do not take x; ctx.axis is set either way."""
    ctx.axis = axis
    rows = _rows(x, axis)
    if rows is None:
        return None
    out = getattr(kernels.family("softmax"), f"{name}_forward")(rows).reshape(x.shape)
    ctx.save_for_backward(out)
    return out


def _backward_rows(name: str, out: Any, grad: Any, axis: Any) -> Any:
    """The kernel `name`_backward's input gradient, or None when the row kernels do not take
    out and grad (of one dtype)."""
    rows, grad_rows = _rows(out, axis), _rows(grad, axis)
    if rows is None or grad_rows is None or grad.dtype != out.dtype:
        return None
    return getattr(kernels.family("softmax"), f"{name}_backward")(rows, grad_rows).reshape(out.shape)


def _saved(ctx: Context, out: Any) -> Any:
    ctx.save_for_backward(out)
    return out


class SoftmaxFunction(Function):
    """exp(x - max) / sum(exp(x - max)) along one axis; subtracting the max prevents overflow."""

    @staticmethod
    def forward(ctx: Context, x: Any, axis: Any) -> Any:
        out = _forward_rows("softmax", ctx, x, axis)
        if out is not None:
            return out
        xp = backend.array_module(x)
        if x.size == 0:  # no rows, or rows of no classes: nothing to normalise
            return _saved(ctx, xp.empty_like(x))
        out = xp.subtract(x, x.max(axis=axis, keepdims=True), out=xp.empty_like(x))
        xp.exp(out, out=out)
        out /= out.sum(axis=axis, keepdims=True)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        compiled = _backward_rows("softmax", out, grad, ctx.axis)
        if compiled is not None:
            return compiled
        return out * (grad - (grad * out).sum(axis=ctx.axis, keepdims=True))


class LogSoftmaxFunction(Function):
    """x - max - log(sum(exp(x - max))) along one axis: finite even for logits of +-1000."""

    @staticmethod
    def forward(ctx: Context, x: Any, axis: Any) -> Any:
        out = _forward_rows("log_softmax", ctx, x, axis)
        if out is not None:
            return out
        xp = backend.array_module(x)
        if x.size == 0:
            return _saved(ctx, xp.empty_like(x))
        out = xp.subtract(x, x.max(axis=axis, keepdims=True), out=xp.empty_like(x))
        out -= xp.log(xp.exp(out).sum(axis=axis, keepdims=True))
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        compiled = _backward_rows("log_softmax", out, grad, ctx.axis)
        if compiled is not None:
            return compiled
        xp = backend.array_module(grad)
        return grad - xp.exp(out) * grad.sum(axis=ctx.axis, keepdims=True)


def softmax(x: Any, axis: int | None = None, *, dim: int | None = None, dtype: Any = None) -> Tensor:
    """Probabilities along `axis` (default -1, the last; `dim=` is accepted as in PyTorch).

    `dtype=` (torch's) casts the input first, e.g. to compute float16 logits in float32.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> p = F.softmax(jaring.tensor([[1.0, 2.0, 3.0]]), dim=-1)
        >>> p
        tensor([[0.09  , 0.2447, 0.6652]])
        >>> p.sum(dim=-1)
        tensor([1.])
    """
    x = floating(cast_input(x, dtype))
    axis = resolve_axis("softmax", axis, max(x.ndim, 1), dim=dim, default=-1)
    return SoftmaxFunction.apply(x, axis=axis if x.ndim else None)  # a 0-d tensor is its own single class


def log_softmax(x: Any, axis: int | None = None, *, dim: int | None = None, dtype: Any = None) -> Tensor:
    """log(softmax(x)) along `axis` (default -1), computed stably in one step; `dtype=` casts x first.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.log_softmax(jaring.tensor([[1.0, 2.0, 3.0]]), dim=-1)
        tensor([[-2.4076, -1.4076, -0.4076]])
    """
    x = floating(cast_input(x, dtype))
    axis = resolve_axis("log_softmax", axis, max(x.ndim, 1), dim=dim, default=-1)
    return LogSoftmaxFunction.apply(x, axis=axis if x.ndim else None)
