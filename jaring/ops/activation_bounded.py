"""Piecewise-linear and bounded activations: hardtanh, relu6, hardsigmoid, hardswish, softsign.

The gradient of a clipped region is 0, with PyTorch's choice at the corners (hardtanh passes
the gradient only strictly inside (min_val, max_val)). Integer input gives the default float.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.activation import _number
from jaring.ops.common import floating


class HardtanhFunction(Function):
    """x clipped to [low, high]; the gradient passes strictly inside."""

    @staticmethod
    def forward(ctx: Context, x: Any, low: float, high: float) -> Any:
        ctx.save_for_backward(x)
        ctx.low, ctx.high = low, high
        return backend.array_module(x).clip(x, low, high).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        return grad * ((x > ctx.low) & (x < ctx.high))


class HardsigmoidFunction(Function):
    """relu6(x + 3) / 6: 0 below -3, 1 above 3, a line between."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return backend.array_module(x).clip(x / 6 + 0.5, 0, 1).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        return grad * ((x > -3) & (x < 3)) / 6


class HardswishFunction(Function):
    """x * relu6(x + 3) / 6 (MobileNetV3); the slope is x/3 + 1/2 strictly inside (-3, 3), 0 at -3
    and 1 at 3 (PyTorch's corners)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        ctx.save_for_backward(x)
        return x * backend.array_module(x).clip(x / 6 + 0.5, 0, 1).astype(x.dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        xp = backend.array_module(x)
        slope = xp.where(x <= -3, 0, xp.where(x < 3, x / 3 + 0.5, 1)).astype(grad.dtype, copy=False)
        return grad * slope


class SoftsignFunction(Function):
    """x / (1 + |x|), a slow-saturating tanh look-alike."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        denom = 1 + backend.array_module(x).abs(x)
        ctx.save_for_backward(denom)
        return x / denom

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (denom,) = ctx.saved
        return grad / (denom * denom)


def hardtanh(x: Any, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """x clipped to [min_val, max_val].

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.hardtanh(jaring.tensor([-2.0, 0.5, 3.0]))
        tensor([-1. ,  0.5,  1. ])
    """
    low, high = _number("hardtanh", "min_val", min_val), _number("hardtanh", "max_val", max_val)
    if low > high:
        raise ValueError(f"hardtanh: min_val ({low}) must not exceed max_val ({high})")
    return HardtanhFunction.apply(floating(x), low=low, high=high)


def relu6(x: Any) -> Tensor:
    """min(max(x, 0), 6).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.relu6(jaring.tensor([-1.0, 3.0, 8.0]))
        tensor([0., 3., 6.])
    """
    return hardtanh(x, 0.0, 6.0)


def hardsigmoid(x: Any) -> Tensor:
    """relu6(x + 3) / 6, a cheap sigmoid.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.hardsigmoid(jaring.tensor([-4.0, 0.0, 1.5, 4.0]))
        tensor([0.  , 0.5 , 0.75, 1.  ])
    """
    return HardsigmoidFunction.apply(floating(x))


def hardswish(x: Any) -> Tensor:
    """x * relu6(x + 3) / 6, a cheap swish.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.hardswish(jaring.tensor([-1.0, 0.0, 1.5, 4.0]))
        tensor([-0.3333,  0.    ,  1.125 ,  4.    ])
    """
    return HardswishFunction.apply(floating(x))


def softsign(x: Any) -> Tensor:
    """x / (1 + |x|).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.softsign(jaring.tensor([-3.0, 0.0, 1.0]))
        tensor([-0.75,  0.  ,  0.5 ])
    """
    return SoftsignFunction.apply(floating(x))
