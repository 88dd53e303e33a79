"""Shrinking activations: tanhshrink, hardshrink and softshrink, each a small fused op.

They pull values towards zero: tanhshrink(x) = x - tanh(x) is flat near 0; hardshrink zeroes
|x| <= lambd and keeps the rest; softshrink zeroes |x| <= lambd and moves the rest lambd closer
to 0 (the proximal step of the L1 penalty).
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.activation import _number
from jaring.ops.common import floating


class TanhshrinkFunction(Function):
    """x - tanh(x); its derivative is tanh(x)^2."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        t = backend.array_module(x).tanh(x)
        ctx.save_for_backward(t)
        return x - t

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (t,) = ctx.saved
        return grad * (t * t)


class ShrinkFunction(Function):
    """0 where |x| <= lambd, else x - shift * sign(x): hardshrink has shift 0, softshrink lambd."""

    @staticmethod
    def forward(ctx: Context, x: Any, lambd: float, shift: float) -> Any:
        xp = backend.array_module(x)
        outside = xp.abs(x) > lambd
        ctx.save_for_backward(outside)
        out = x - shift * xp.sign(x) if shift else x.copy()
        out *= outside
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (outside,) = ctx.saved
        return grad * outside


def _lambd(op: str, lambd: Any) -> float:
    lambd = _number(op, "lambd", lambd)
    if lambd < 0:
        raise ValueError(f"{op}: lambda must be >= 0, but found {lambd}")
    return lambd


def tanhshrink(input: Any) -> Tensor:
    """x - tanh(x).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.tanhshrink(jaring.tensor([-2.0, 0.0, 2.0]))
        tensor([-1.0360,  0.    ,  1.0360])
    """
    return TanhshrinkFunction.apply(floating(input))


def hardshrink(input: Any, lambd: float = 0.5) -> Tensor:
    """x where |x| > lambd, else 0.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.hardshrink(jaring.tensor([-1.0, 0.3, 0.6]))
        tensor([-1. ,  0. ,  0.6])
    """
    return ShrinkFunction.apply(floating(input), lambd=_lambd("hardshrink", lambd), shift=0.0)


def softshrink(input: Any, lambd: float = 0.5) -> Tensor:
    """x - lambd * sign(x) where |x| > lambd, else 0.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.softshrink(jaring.tensor([-1.0, 0.3, 0.75]))
        tensor([-0.5 ,  0.  ,  0.25])
    """
    lambd = _lambd("softshrink", lambd)
    return ShrinkFunction.apply(floating(input), lambd=lambd, shift=lambd)
