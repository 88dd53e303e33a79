"""Running (cumulative) ops along one axis: cumsum, cummax, cummin and logcumsumexp (cumprod lives
with prod in ops/product.py, because both need the same care with zeros).

A 0-d input is accepted with dim 0 or -1 and comes back 0-d, as in torch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, floating, resolve_axis
from jaring.ops.gather import Gather
from jaring.ops.reduce_options import cast_input
from jaring.ops.sort import ValuesIndices


def reverse_cumsum(grad: Any, axis: int) -> Any:
    """sum over i >= k of grad[i], for every k: the backward of a running sum."""
    xp = backend.array_module(grad)
    return xp.flip(xp.flip(grad, axis).cumsum(axis), axis)


class CumSum(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, axis: int) -> Any:
        ctx.axis = axis
        return a.cumsum(axis)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return reverse_cumsum(grad, ctx.axis)


class LogCumSumExp(Function):
    """log(cumsum(exp(x))), stably: a running logaddexp never forms exp(x).

    Where the running value is still -inf (only -inf so far), the gradient is 0; torch gives nan.
    """

    @staticmethod
    def forward(ctx: Context, a: Any, axis: int) -> Any:
        out = backend.array_module(a).logaddexp.accumulate(a, axis=axis)
        ctx.axis = axis
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        # d/dx_k = sum_{i>=k} g_i exp(x_k - out_i); the sum is done in log space for the positive
        # and the negative parts of g separately, so no exp overflows (torch's method).
        a, out = ctx.saved
        xp = backend.array_module(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            total = xp.zeros_like(a)
            for sign in (1, -1):
                log_part = xp.where(sign * grad > 0, xp.log(xp.abs(grad)), -xp.inf) - out
                rev = xp.flip(xp.logaddexp.accumulate(xp.flip(log_part, ctx.axis), axis=ctx.axis), ctx.axis)
                total = total + sign * xp.exp(rev + a)
        return xp.where(xp.isnan(total), 0, total).astype(a.dtype, copy=False)


def running_axis(op: str, x: Tensor, dim: Any) -> int:
    """`dim` checked against x's rank (a 0-d tensor counts as 1-D here, as torch does)."""
    if dim is None:
        raise TypeError(f"{op} needs dim, the axis to run along")
    return resolve_axis(op, dim, max(x.ndim, 1))


def _run(op: type, name: str, x: Any, dim: Any, to_float: bool = False) -> Tensor:
    x = floating(x) if to_float else as_tensor(x)
    axis = running_axis(name, x, dim)
    if x.ndim == 0:
        return op.apply(x.reshape(1), axis=0).reshape(())
    return op.apply(x, axis=axis)


def cumsum(x: Any, dim: int, *, dtype: Any = None) -> Tensor:
    """Running sum along `dim`: out[i] = x[0] + ... + x[i]; `dtype=` (torch's) casts x first.

    Examples:
        >>> import jaring
        >>> jaring.cumsum(jaring.tensor([1, 2, 3, 4]), dim=0).tolist()
        [1, 3, 6, 10]
        >>> jaring.cumsum(jaring.tensor([[1, 2], [3, 4]]), dim=1).tolist()
        [[1, 3], [3, 7]]
    """
    return _run(CumSum, "cumsum", cast_input(x, dtype), dim)


def logcumsumexp(x: Any, dim: int) -> Tensor:
    """Running log(sum(exp(x))) along `dim`, computed without overflow.

    Examples:
        >>> import jaring
        >>> out = jaring.logcumsumexp(jaring.tensor([0.0, 0.0, 0.0]), dim=0)
        >>> [round(v, 4) for v in out.tolist()]  # log 1, log 2, log 3
        [0.0, 0.6931, 1.0986]
    """
    return _run(LogCumSumExp, "logcumsumexp", x, dim, to_float=True)


def _running_extreme(name: str, x: Any, dim: Any, accumulate: str) -> ValuesIndices:
    x = as_tensor(x)
    axis = running_axis(name, x, dim)
    if x.ndim == 0:
        values, indices = _running_extreme(name, x.reshape(1), 0, accumulate)
        return ValuesIndices(values.reshape(()), Tensor._from_op(indices.data.reshape(()), None))
    xp = backend.array_module(x.data)
    best = getattr(xp, accumulate).accumulate(x.data, axis=axis)
    # The index of the latest element equal to the running extreme (torch picks the last tie);
    # NaN propagates, and its position is where the running value first became NaN.
    shape = [1] * x.ndim
    shape[axis] = x.shape[axis]
    positions = xp.arange(x.shape[axis]).reshape(shape)
    hit = (x.data == best) | (xp.isnan(x.data) if x.dtype.kind == "f" else False)
    indices = xp.maximum.accumulate(xp.where(hit, positions, 0), axis=axis)
    return ValuesIndices(
        Gather.apply(x, index=indices, axis=axis), Tensor._from_op(indices.astype(np.int64), None)
    )


def cummax(x: Any, dim: int) -> ValuesIndices:
    """Running maximum along `dim` and the index it came from (the gradient goes there).

    Examples:
        >>> import jaring
        >>> values, indices = jaring.cummax(jaring.tensor([1, 3, 2, 5, 4]), dim=0)
        >>> values.tolist(), indices.tolist()
        ([1, 3, 3, 5, 5], [0, 1, 1, 3, 3])
    """
    return _running_extreme("cummax", x, dim, "maximum")


def cummin(x: Any, dim: int) -> ValuesIndices:
    """Running minimum along `dim` and the index it came from (the gradient goes there).

    Examples:
        >>> import jaring
        >>> values, indices = jaring.cummin(jaring.tensor([5, 3, 4, 1, 2]), dim=0)
        >>> values.tolist(), indices.tolist()
        ([5, 3, 3, 1, 1], [0, 1, 1, 3, 3])
    """
    return _running_extreme("cummin", x, dim, "minimum")
