"""Products: prod over axes and the running product cumprod, with exact gradients at zeros.

The gradient of a product with respect to one factor is the product of the others. Dividing the
output by the factor gives that only when the factor is not 0, so both ops treat zeros apart:
with one zero in a product, only the zero's position gets a gradient (the product of the rest);
with two or more, every gradient is 0.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import pick_keepdims, resolve_axis
from jaring.ops.reduce_options import cast_input
from jaring.ops.scan import reverse_cumsum, running_axis


class Prod(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, axes: tuple, keepdims: bool) -> Any:
        ctx.axes = axes
        ctx.save_for_backward(a)
        return a.prod(axis=axes, keepdims=keepdims)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        xp = backend.array_module(a)
        kept = tuple(1 if i in ctx.axes else n for i, n in enumerate(a.shape))
        grad = grad.reshape(kept)
        zero = a == 0
        zeros = zero.sum(axis=ctx.axes, keepdims=True)
        others = xp.where(zero, 1, a).prod(axis=ctx.axes, keepdims=True)  # product of the non-zeros
        with np.errstate(divide="ignore", invalid="ignore"):
            no_zero = others / xp.where(zero, 1, a)
        one_zero = xp.where(zero, others, 0)
        return grad * xp.where(zeros == 0, no_zero, xp.where(zeros == 1, one_zero, 0))


class CumProd(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, axis: int) -> Any:
        out = a.cumprod(axis)
        ctx.axis = axis
        ctx.save_for_backward(a, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, out = ctx.saved
        xp = backend.array_module(a)
        axis = ctx.axis
        if a.size == 0:
            return xp.zeros_like(a)
        shape = [1] * a.ndim
        shape[axis] = a.shape[axis]
        positions = xp.arange(a.shape[axis]).reshape(shape)
        zero = a == 0
        # z: the first zero along the axis (the axis length where there is none)
        z = xp.where(zero.any(axis=axis, keepdims=True), zero.argmax(axis=axis, keepdims=True), a.shape[axis])
        before = positions < z
        # k < z: sum_{i>=k} g_i out_i / x_k, where out_i = 0 from z on, so the sum stops there
        with np.errstate(divide="ignore", invalid="ignore"):
            grad_before = reverse_cumsum(grad * out, axis) / xp.where(before, a, 1)
        # k == z: sum_{i>=z} g_i prod_{j<=i, j!=z} x_j, the running product with x_z set to 1;
        # k > z: every term holds x_z = 0
        at_z = positions == z
        skip_z = xp.where(at_z, 1, a).cumprod(axis)
        grad_z = xp.where(positions >= z, grad * skip_z, 0).sum(axis=axis, keepdims=True)
        return xp.where(before, grad_before, xp.where(at_z, grad_z, 0)).astype(a.dtype, copy=False)


def prod(
    x: Any,
    axis: Any = None,
    keepdims: bool = False,
    *,
    dim: Any = None,
    keepdim: bool | None = None,
    dtype: Any = None,
) -> Tensor:
    """Product over `axis` (an int, a tuple, or None for all); the gradient is exact at zeros.

    `dim=` and `keepdim=` are accepted for PyTorch users; `dtype=` casts the input first.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1.0, 2.0], [3.0, 4.0]])
        >>> jaring.prod(x).item(), jaring.prod(x, dim=1).tolist()
        (24.0, [2.0, 12.0])
    """
    x = cast_input(x, dtype)
    axes = () if x.ndim == 0 else resolve_axis("prod", axis, x.ndim, dim=dim, many=True)
    return Prod.apply(x, axes=axes, keepdims=pick_keepdims(keepdims, keepdim))


def cumprod(x: Any, dim: int, *, dtype: Any = None) -> Tensor:
    """Running product along `dim`: out[i] = x[0] * ... * x[i]; the gradient is exact at zeros.

    `dtype=` (torch's) casts the input first.

    Examples:
        >>> import jaring
        >>> jaring.cumprod(jaring.tensor([1.0, 2.0, 3.0, 4.0]), dim=0).tolist()
        [1.0, 2.0, 6.0, 24.0]
    """
    x = cast_input(x, dtype)
    axis = running_axis("cumprod", x, dim)
    if x.ndim == 0:
        return CumProd.apply(x.reshape(1), axis=0).reshape(())
    return CumProd.apply(x, axis=axis)
