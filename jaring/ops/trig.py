"""Trigonometric and hyperbolic functions and their inverses, each derivative next to its forward.

Integer and boolean input gives the default float dtype, as in PyTorch. Outside an inverse's
domain (asin(2), acosh(0)) the value is nan, as in NumPy and PyTorch, without a warning.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating


class _Unary(Function):
    """An elementwise op that saves its input: `value(xp, a)` forward, `slope(xp, a)` its derivative."""

    @staticmethod
    def value(xp: Any, a: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def slope(xp: Any, a: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def forward(cls, ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        with np.errstate(invalid="ignore", divide="ignore"):
            return cls.value(backend.array_module(a), a)

    @classmethod
    def backward(cls, ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        with np.errstate(invalid="ignore", divide="ignore"):
            return grad * cls.slope(backend.array_module(a), a)


class Sin(_Unary):
    value = staticmethod(lambda xp, a: xp.sin(a))
    slope = staticmethod(lambda xp, a: xp.cos(a))


class Cos(_Unary):
    value = staticmethod(lambda xp, a: xp.cos(a))
    slope = staticmethod(lambda xp, a: -xp.sin(a))


class Tan(_Unary):
    value = staticmethod(lambda xp, a: xp.tan(a))
    slope = staticmethod(lambda xp, a: 1 + xp.tan(a) ** 2)


class Asin(_Unary):
    value = staticmethod(lambda xp, a: xp.arcsin(a))
    slope = staticmethod(lambda xp, a: 1 / xp.sqrt(1 - a * a))


class Acos(_Unary):
    value = staticmethod(lambda xp, a: xp.arccos(a))
    slope = staticmethod(lambda xp, a: -1 / xp.sqrt(1 - a * a))


class Atan(_Unary):
    value = staticmethod(lambda xp, a: xp.arctan(a))
    slope = staticmethod(lambda xp, a: 1 / (1 + a * a))


class Sinh(_Unary):
    value = staticmethod(lambda xp, a: xp.sinh(a))
    slope = staticmethod(lambda xp, a: xp.cosh(a))


class Cosh(_Unary):
    value = staticmethod(lambda xp, a: xp.cosh(a))
    slope = staticmethod(lambda xp, a: xp.sinh(a))


class Asinh(_Unary):
    value = staticmethod(lambda xp, a: xp.arcsinh(a))
    slope = staticmethod(lambda xp, a: 1 / xp.sqrt(a * a + 1))


class Acosh(_Unary):
    value = staticmethod(lambda xp, a: xp.arccosh(a))
    slope = staticmethod(lambda xp, a: 1 / xp.sqrt(a * a - 1))


class Atanh(_Unary):
    value = staticmethod(lambda xp, a: xp.arctanh(a))
    slope = staticmethod(lambda xp, a: 1 / (1 - a * a))


def sin(x: Any) -> Tensor:
    """Sine, elementwise (radians).

    Examples:
        >>> import jaring
        >>> jaring.sin(jaring.tensor([0.0, 1.0]))
        tensor([0.    , 0.8415])
    """
    return Sin.apply(floating(x))


def cos(x: Any) -> Tensor:
    """Cosine, elementwise (radians).

    Examples:
        >>> import jaring
        >>> jaring.cos(jaring.tensor([0.0, 1.0]))
        tensor([1.    , 0.5403])
    """
    return Cos.apply(floating(x))


def tan(x: Any) -> Tensor:
    """Tangent, elementwise (radians).

    Examples:
        >>> import jaring
        >>> jaring.tan(jaring.tensor([0.0, 1.0]))
        tensor([0.    , 1.5574])
    """
    return Tan.apply(floating(x))


def asin(x: Any) -> Tensor:
    """Inverse sine; nan outside [-1, 1].

    Examples:
        >>> import jaring
        >>> jaring.asin(jaring.tensor([0.0, 1.0, 2.0]))
        tensor([0.    , 1.5708,    nan])
    """
    return Asin.apply(floating(x))


def acos(x: Any) -> Tensor:
    """Inverse cosine; nan outside [-1, 1].

    Examples:
        >>> import jaring
        >>> jaring.acos(jaring.tensor([1.0, 0.0]))
        tensor([0.    , 1.5708])
    """
    return Acos.apply(floating(x))


def atan(x: Any) -> Tensor:
    """Inverse tangent.

    Examples:
        >>> import jaring
        >>> jaring.atan(jaring.tensor([0.0, 1.0]))
        tensor([0.    , 0.7854])
    """
    return Atan.apply(floating(x))


def sinh(x: Any) -> Tensor:
    """Hyperbolic sine.

    Examples:
        >>> import jaring
        >>> jaring.sinh(jaring.tensor([0.0, 1.0]))
        tensor([0.    , 1.1752])
    """
    return Sinh.apply(floating(x))


def cosh(x: Any) -> Tensor:
    """Hyperbolic cosine.

    Examples:
        >>> import jaring
        >>> jaring.cosh(jaring.tensor([0.0, 1.0]))
        tensor([1.    , 1.5431])
    """
    return Cosh.apply(floating(x))


def asinh(x: Any) -> Tensor:
    """Inverse hyperbolic sine.

    Examples:
        >>> import jaring
        >>> jaring.asinh(jaring.tensor([0.0, 1.0]))
        tensor([0.    , 0.8814])
    """
    return Asinh.apply(floating(x))


def acosh(x: Any) -> Tensor:
    """Inverse hyperbolic cosine; nan below 1.

    Examples:
        >>> import jaring
        >>> jaring.acosh(jaring.tensor([1.0, 2.0, 0.0]))
        tensor([0.   , 1.317,   nan])
    """
    return Acosh.apply(floating(x))


def atanh(x: Any) -> Tensor:
    """Inverse hyperbolic tangent; nan outside [-1, 1].

    Examples:
        >>> import jaring
        >>> jaring.atanh(jaring.tensor([0.0, 0.5]))
        tensor([0.    , 0.5493])
    """
    return Atanh.apply(floating(x))


# torch's aliases
arcsin, arccos, arctan, arcsinh, arccosh, arctanh = asin, acos, atan, asinh, acosh, atanh
