"""Special functions under torch's names: erfinv, lgamma, digamma, logit, sinc and xlogy.

The gamma family and erfinv come from SciPy's ufuncs (cupyx.scipy.special for CuPy data), loaded
on first use. Integer input gives the default float dtype; edge values (poles, the ends of a
domain, nan) and the gradients at singular points follow PyTorch.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating
from jaring.ops.promotion import promote

_HALF_SQRT_PI = math.sqrt(math.pi) / 2


def special_ufunc(name: str, *args: Any) -> Any:
    """scipy.special's `name` (cupyx's for CuPy data) on the last argument, keeping its float dtype;
    float16 computes in float32. Earlier arguments are plain numbers (polygamma's order)."""
    a = args[-1]
    if backend.is_cupy_array(a):
        from cupyx.scipy import special
    else:
        from scipy import special
    work = a if a.dtype in (np.float32, np.float64) else a.astype(np.float32)
    return getattr(special, name)(*args[:-1], work).astype(a.dtype, copy=False)


class Erfinv(Function):
    """The inverse error function; d/dx = sqrt(pi)/2 * exp(erfinv(x)^2), inf at -1 and 1."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        out = special_ufunc("erfinv", a)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        with np.errstate(over="ignore", invalid="ignore"):
            return grad * (_HALF_SQRT_PI * backend.array_module(out).exp(out * out))


class Lgamma(Function):
    """log|Gamma(x)|: inf at the poles (0, -1, ...) and at both infinities, as torch; d/dx = digamma."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        xp = backend.array_module(a)
        ctx.save_for_backward(a)
        out = special_ufunc("gammaln", a)
        return xp.where(xp.isneginf(a), xp.asarray(xp.inf, dtype=out.dtype), out)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        return grad * special_ufunc("psi", a)


class Digamma(Function):
    """d/dx log Gamma(x): -inf at 0, inf at -0, nan at the negative integers; d/dx = trigamma."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        ctx.save_for_backward(a)
        return special_ufunc("psi", a)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        return grad * special_ufunc("polygamma", 1, a)


class Logit(Function):
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given.

    torch's gradient: 1 / (x (1 - x)); without eps nan outside [0, 1], with eps 0 outside
    [eps, 1 - eps] (the clamp's flat parts).
    """

    @staticmethod
    def forward(ctx: Context, a: Any, eps: float | None = None) -> Any:
        xp = backend.array_module(a)
        ctx.save_for_backward(a)
        ctx.eps = eps
        z = a
        if eps is not None:
            low = a.dtype.type(eps)
            ctx.bounds = low, a.dtype.type(1) - low
            z = xp.clip(a, *ctx.bounds)
        with np.errstate(divide="ignore", invalid="ignore"):
            return xp.log(z / (1 - z))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        xp = backend.array_module(a)
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = grad / (a * (1 - a))
        if ctx.eps is None:
            outside, fill = (a < 0) | (a > 1), xp.nan
        else:
            low, high = ctx.bounds
            outside, fill = (a < low) | (a > high), 0
        return xp.where(outside, xp.asarray(fill, dtype=slope.dtype), slope)


class Sinc(Function):
    """sin(pi x) / (pi x), 1 at 0; the derivative (cos(pi x) - sinc(x)) / x, 0 at 0 as torch."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        xp = backend.array_module(a)
        ctx.save_for_backward(a)
        y = a * a.dtype.type(math.pi)
        with np.errstate(divide="ignore", invalid="ignore"):
            return xp.where(a == 0, xp.asarray(1, dtype=a.dtype), xp.sin(y) / y)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (a,) = ctx.saved
        xp = backend.array_module(a)
        y = a * a.dtype.type(math.pi)
        with np.errstate(divide="ignore", invalid="ignore"):
            slope = (y * xp.cos(y) - xp.sin(y)) / (y * a)
        return grad * xp.where(a == 0, xp.asarray(0, dtype=slope.dtype), slope)


def _xlogy_array(xp: Any, x: Any, y: Any) -> Any:
    with np.errstate(divide="ignore", invalid="ignore"):
        out = xp.where(x == 0, xp.asarray(0, dtype=y.dtype), x * xp.log(y))
    return xp.where(xp.isnan(y), y, out)


class Xlogy(Function):
    """x * log(y), 0 where x == 0 (even at y == 0), nan where y is nan, as torch.

    Gradients as torch: xlogy(grad, y) for x, set to 0 where x == 0 and y <= 0; x / y for y
    (nan at x == y == 0).
    """

    @staticmethod
    def forward(ctx: Context, x: Any, y: Any) -> Any:
        ctx.save_for_backward(x, y)
        return _xlogy_array(backend.array_module(x, y), x, y)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        x, y = ctx.saved
        xp = backend.array_module(grad)
        need_x, need_y = ctx.needs_input_grad
        grad_x = grad_y = None
        if need_x:
            grad_x = _xlogy_array(xp, grad, y)
            grad_x = xp.where((x == 0) & (y <= 0), xp.asarray(0, dtype=grad_x.dtype), grad_x)
        if need_y:
            with np.errstate(divide="ignore", invalid="ignore"):
                grad_y = grad * x / y
        return grad_x, grad_y


def erfinv(x: Any) -> Tensor:
    """The inverse of erf on [-1, 1]: -inf and inf at the ends, nan outside.

    Examples:
        >>> import jaring
        >>> jaring.erfinv(jaring.tensor([-1.0, 0.0, 0.5, 1.0]))
        tensor([  -inf,  0.    ,  0.4769,    inf])
    """
    return Erfinv.apply(floating(x))


def lgamma(x: Any) -> Tensor:
    """log|Gamma(x)|, the log of the gamma function's absolute value; inf at 0, -1, -2, ...

    Examples:
        >>> import jaring
        >>> jaring.lgamma(jaring.tensor([0.5, 1.0, 5.0]))
        tensor([0.5724, 0.    , 3.1781])
    """
    return Lgamma.apply(floating(x))


def digamma(x: Any) -> Tensor:
    """The digamma function psi(x), the derivative of lgamma.

    Examples:
        >>> import jaring
        >>> jaring.digamma(jaring.tensor([1.0, 2.0]))
        tensor([-0.5772,  0.4228])
    """
    return Digamma.apply(floating(x))


def logit(x: Any, eps: float | None = None) -> Tensor:
    """log(x / (1 - x)), the inverse of sigmoid; with eps, x is first clamped to [eps, 1 - eps].

    Examples:
        >>> import jaring
        >>> jaring.logit(jaring.tensor([0.0, 0.5, 0.75]))
        tensor([  -inf,  0.    ,  1.0986])
        >>> jaring.logit(jaring.tensor([0.0, 1.0]), eps=0.25)
        tensor([-1.0986,  1.0986])
    """
    if eps is not None:
        eps = float(eps)
    return Logit.apply(floating(x), eps=eps)


def sinc(x: Any) -> Tensor:
    """The normalized sinc function sin(pi x) / (pi x), 1 at 0.

    Examples:
        >>> import jaring
        >>> jaring.sinc(jaring.tensor([0.0, 0.5]))
        tensor([1.    , 0.6366])
    """
    return Sinc.apply(floating(x))


def xlogy(x: Any, y: Any) -> Tensor:
    """x * log(y) with 0 wherever x == 0 (also at y == 0), and nan wherever y is nan; broadcasts.

    Examples:
        >>> import jaring
        >>> jaring.xlogy(jaring.tensor([0.0, 2.0, 1.0]), jaring.tensor([0.0, 1.0, float("nan")]))
        tensor([ 0.,  0., nan])
    """
    return Xlogy.apply(*promote(x, y, floating=True))
