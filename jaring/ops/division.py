"""Division with whole-number quotients: fmod, remainder (Python's %) and floor_divide (//).

Dtypes promote as in PyTorch (int with int stays int). An integer divisor of 0 raises, as
torch does, instead of NumPy's silent 0 with a warning.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.arith import broadcast_error
from jaring.ops.promotion import promote


def _check_divisor(name: str, b: Any) -> None:
    if b.dtype.kind != "f" and (b == 0).any():
        raise ZeroDivisionError(f"{name}: integer division by zero")


class Fmod(Function):
    """a - trunc(a / b) * b, the sign of a (C's fmod); d/db = -trunc(a / b)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        try:
            return backend.array_module(a, b).fmod(a, b)
        except ValueError:
            raise broadcast_error("fmod", a, b) from None

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b = ctx.saved
        xp = backend.array_module(grad)
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad, -grad * xp.trunc(a / b)


class Remainder(Function):
    """a - floor(a / b) * b, the sign of b (Python's %); d/db = -floor(a / b)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        try:
            return backend.array_module(a, b).remainder(a, b)
        except ValueError:
            raise broadcast_error("remainder", a, b) from None

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b = ctx.saved
        xp = backend.array_module(grad)
        with np.errstate(divide="ignore", invalid="ignore"):
            return grad, -grad * xp.floor(a / b)


class FloorDivide(Function):
    """floor(a / b); piecewise constant, so the gradient is 0 (torch has no derivative at all)."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        try:
            return backend.array_module(a, b).floor_divide(a, b)
        except ValueError:
            raise broadcast_error("floor_divide", a, b) from None

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        return grad * 0, grad * 0


def _apply(op: type, name: str, a: Any, b: Any) -> Tensor:
    a, b = promote(a, b)
    if a.dtype == bool:
        raise TypeError(f"{name} is not defined for boolean tensors")
    _check_divisor(name, b.data)
    with np.errstate(divide="ignore", invalid="ignore"):  # float x / 0 gives inf or nan, as torch
        return op.apply(a, b)


def fmod(a: Any, b: Any) -> Tensor:
    """The remainder of a / b with the sign of a (C's fmod), elementwise with broadcasting.

    Examples:
        >>> import jaring
        >>> jaring.fmod(jaring.tensor([-7, 7]), 3)
        tensor([-1,  1])
    """
    return _apply(Fmod, "fmod", a, b)


def remainder(a: Any, b: Any) -> Tensor:
    """The remainder of a / b with the sign of b (Python's a % b), elementwise.

    Examples:
        >>> import jaring
        >>> jaring.remainder(jaring.tensor([-7, 7]), 3)
        tensor([2, 1])
    """
    return _apply(Remainder, "remainder", a, b)


def floor_divide(a: Any, b: Any) -> Tensor:
    """floor(a / b) (Python's a // b), elementwise; the gradient is 0.

    Examples:
        >>> import jaring
        >>> jaring.floor_divide(jaring.tensor([-7, 7]), 2)
        tensor([-4,  3])
    """
    return _apply(FloorDivide, "floor_divide", a, b)
