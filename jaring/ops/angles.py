"""Angles and lengths in the plane: atan2 (arctan2), hypot, deg2rad and rad2deg.

Integer input gives the default float dtype; two operands broadcast and promote as in PyTorch.
At the origin atan2's gradient is 0 and hypot's is nan, as PyTorch gives them.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops import arith
from jaring.ops.arith import broadcast_error
from jaring.ops.common import floating
from jaring.ops.promotion import promote


class Atan2(Function):
    """The angle of the point (x, y), in (-pi, pi]; d/dy = x / r^2, d/dx = -y / r^2, 0 at r = 0."""

    @staticmethod
    def forward(ctx: Context, y: Any, x: Any) -> Any:
        try:
            out = backend.array_module(y, x).arctan2(y, x)
        except ValueError:
            raise broadcast_error("atan2", y, x) from None
        ctx.save_for_backward(y, x)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        y, x = ctx.saved
        xp = backend.array_module(grad)
        with np.errstate(divide="ignore", over="ignore"):
            inverse = 1 / (y * y + x * x)
        inverse = xp.where(xp.isinf(inverse), xp.asarray(0, dtype=inverse.dtype), inverse)
        return grad * x * inverse, grad * -y * inverse


class Hypot(Function):
    """sqrt(a^2 + b^2) without overflow; d/da = a / out, nan at the origin as torch."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            out = backend.array_module(a, b).hypot(a, b)
        except ValueError:
            raise broadcast_error("hypot", a, b) from None
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b, out = ctx.saved
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad * a / out, grad * b / out


def atan2(input: Any, other: Any) -> Tensor:
    """The angle of the point (other, input), that is atan(input / other) in the right quadrant.

    Examples:
        >>> import jaring
        >>> jaring.atan2(jaring.tensor([1.0, 1.0, -1.0]), jaring.tensor([1.0, -1.0, 0.0]))
        tensor([ 0.7854,  2.3562, -1.5708])
    """
    return Atan2.apply(*promote(input, other, floating=True))


arctan2 = atan2  # torch's alias


def hypot(input: Any, other: Any) -> Tensor:
    """sqrt(input^2 + other^2), elementwise with broadcasting, without overflow.

    Examples:
        >>> import jaring
        >>> jaring.hypot(jaring.tensor([3.0, 1e30]), jaring.tensor([4.0, 1e30]))
        tensor([5.0000e+00, 1.4142e+30])
    """
    return Hypot.apply(*promote(input, other, floating=True))


def deg2rad(x: Any) -> Tensor:
    """Degrees to radians (x * pi / 180).

    Examples:
        >>> import jaring
        >>> jaring.deg2rad(jaring.tensor([180, 90]))
        tensor([3.1416, 1.5708])
    """
    return arith.mul(floating(x), math.pi / 180)


def rad2deg(x: Any) -> Tensor:
    """Radians to degrees (x * 180 / pi).

    Examples:
        >>> import jaring
        >>> jaring.rad2deg(jaring.tensor([1.0, 0.5]))
        tensor([57.2958, 28.6479])
    """
    return arith.mul(floating(x), 180 / math.pi)
