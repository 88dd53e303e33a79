"""Exponentials and logarithms beyond exp and log: base 2 and 10, the accurate-near-zero forms
(log1p, expm1), rsqrt, erf, logaddexp and logaddexp2. Integer input gives the default float dtype."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating
from jaring.ops.promotion import promote
from jaring.ops.trig import _Unary

_LN2 = math.log(2)
_LN10 = math.log(10)
_TWO_OVER_SQRT_PI = 2 / math.sqrt(math.pi)


class Log2(_Unary):
    value = staticmethod(lambda xp, a: xp.log2(a))
    slope = staticmethod(lambda xp, a: 1 / (a * _LN2))


class Log10(_Unary):
    value = staticmethod(lambda xp, a: xp.log10(a))
    slope = staticmethod(lambda xp, a: 1 / (a * _LN10))


class Log1p(_Unary):
    value = staticmethod(lambda xp, a: xp.log1p(a))
    slope = staticmethod(lambda xp, a: 1 / (1 + a))


class Exp2(_Unary):
    value = staticmethod(lambda xp, a: xp.exp2(a))
    slope = staticmethod(lambda xp, a: xp.exp2(a) * _LN2)


class Expm1(_Unary):
    value = staticmethod(lambda xp, a: xp.expm1(a))
    slope = staticmethod(lambda xp, a: xp.exp(a))


class Rsqrt(_Unary):
    value = staticmethod(lambda xp, a: 1 / xp.sqrt(a))
    slope = staticmethod(lambda xp, a: -0.5 / (a * xp.sqrt(a)))


def _erf_array(a: Any) -> Any:
    from jaring.ops.activation import erfc_array  # SciPy's erfc, loaded on first use

    return 1 - erfc_array(a) if a.dtype.kind == "f" else 1 - erfc_array(a.astype(np.float32))


class Erf(_Unary):
    value = staticmethod(lambda xp, a: _erf_array(a))
    slope = staticmethod(lambda xp, a: _TWO_OVER_SQRT_PI * xp.exp(-a * a))


class LogAddExp(Function):
    """log(exp(a) + exp(b)) without overflow; the gradient shares 1 between a and b by softmax."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        xp = backend.array_module(a, b)
        out = xp.logaddexp(a, b)
        ctx.save_for_backward(a, b, out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b, out = ctx.saved
        xp = backend.array_module(grad)
        return grad * xp.exp(a - out), grad * xp.exp(b - out)


class LogAddExp2(Function):
    """log2(2^a + 2^b) without overflow; the gradient shares 1 between a and b as 2^a : 2^b,
    written as torch's 1 / (1 + 2^(b - a)) so that an infinite input still gets its share."""

    @staticmethod
    def forward(ctx: Context, a: Any, b: Any) -> Any:
        ctx.save_for_backward(a, b)
        return backend.array_module(a, b).logaddexp2(a, b)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        a, b = ctx.saved
        xp = backend.array_module(grad)
        with np.errstate(over="ignore", invalid="ignore"):
            return grad / (1 + xp.exp2(b - a)), grad / (1 + xp.exp2(a - b))


def log2(x: Any) -> Tensor:
    """Base-2 logarithm.

    Examples:
        >>> import jaring
        >>> jaring.log2(jaring.tensor([1.0, 8.0]))
        tensor([0., 3.])
    """
    return Log2.apply(floating(x))


def log10(x: Any) -> Tensor:
    """Base-10 logarithm.

    Examples:
        >>> import jaring
        >>> jaring.log10(jaring.tensor([1.0, 1000.0]))
        tensor([0., 3.])
    """
    return Log10.apply(floating(x))


def log1p(x: Any) -> Tensor:
    """log(1 + x), accurate for small x.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1e-10])
        >>> jaring.log(1 + x), jaring.log1p(x)
        (tensor([0.]), tensor([1.e-10]))
    """
    return Log1p.apply(floating(x))


def exp2(x: Any) -> Tensor:
    """2 ** x.

    Examples:
        >>> import jaring
        >>> jaring.exp2(jaring.tensor([0.0, 3.0]))
        tensor([1., 8.])
    """
    return Exp2.apply(floating(x))


def expm1(x: Any) -> Tensor:
    """exp(x) - 1, accurate for small x.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1e-10])
        >>> jaring.exp(x) - 1, jaring.expm1(x)
        (tensor([0.]), tensor([1.e-10]))
    """
    return Expm1.apply(floating(x))


def rsqrt(x: Any) -> Tensor:
    """1 / sqrt(x).

    Examples:
        >>> import jaring
        >>> jaring.rsqrt(jaring.tensor([4.0, 16.0]))
        tensor([0.5 , 0.25])
    """
    return Rsqrt.apply(floating(x))


def erf(x: Any) -> Tensor:
    """The error function 2/sqrt(pi) * integral of exp(-t^2) from 0 to x.

    Examples:
        >>> import jaring
        >>> jaring.erf(jaring.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.8427,  0.    ,  0.8427])
    """
    return Erf.apply(floating(x))


def logaddexp(a: Any, b: Any) -> Tensor:
    """log(exp(a) + exp(b)), elementwise with broadcasting, computed without overflow.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([0.0, 100.0])
        >>> jaring.logaddexp(x, x)
        tensor([  0.6931, 100.6931])
    """
    a, b = promote(a, b, floating=True)
    return LogAddExp.apply(a, b)


def logaddexp2(a: Any, b: Any) -> Tensor:
    """log2(2 ** a + 2 ** b), elementwise with broadcasting, computed without overflow.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([0.0, 100.0])
        >>> jaring.logaddexp2(x, x)
        tensor([  1., 101.])
    """
    a, b = promote(a, b, floating=True)
    return LogAddExp2.apply(a, b)
