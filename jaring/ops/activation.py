"""Activation functions: elementwise nonlinearities and softmax, each derivative next to its forward.

All of them are written to stay finite for extreme inputs (sigmoid(+-1000), softmax of large
logits) without NumPy overflow warnings, and they return floats: integer or boolean input is
converted to the default float dtype first.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating, normalize_axes, pick_axis

# ----- raw-array helpers (shared with the losses) ------------------------------------------


def sigmoid_array(x: Any) -> Any:
    """1 / (1 + exp(-x)) without overflow: exp only ever sees -|x|, so it lies in (0, 1].

    The result is max(e, [x >= 0]) / (1 + e) with e = exp(-|x|): 1 / (1 + e) for x >= 0 and
    e / (1 + e) for x < 0, which keeps full relative precision far in the negative tail.
    (Arithmetic instead of np.where: where with a random mask is many times slower on big arrays.)
    """
    xp = backend.array_module(x)
    e = xp.abs(x, out=xp.empty_like(x))  # out= keeps 0-d input an array, so in-place ops work
    xp.negative(e, out=e)
    xp.exp(e, out=e)
    out = xp.empty_like(x)
    out[...] = x >= 0
    xp.maximum(out, e, out=out)
    e += 1
    out /= e
    return out


# erfc by the rational approximations of fdlibm's s_erf.c: relative error below 1e-15 in
# float64; in float32 a few ulps (up to 5e-6 relative only in the far tail, erfc < 1e-16).
# NumPy has no erf and SciPy is not a dependency; math.erf element by element is far too slow.
# The coefficients come with this notice: "Copyright (C) 1993 by Sun Microsystems, Inc. All
# rights reserved. Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use,
# copy, modify, and distribute this software is freely granted, provided that this notice
# is preserved."
_ERX = 8.45062911510467529297e-01
_PP = (1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02,
       -5.77027029648944159157e-03, -2.37630166566501626084e-05)  # fmt: skip
_QQ = (1.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03,
       1.32494738004321644526e-04, -3.96022827877536812320e-06)  # fmt: skip
_PA = (-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01,
       3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02,
       -2.16637559486879084300e-03)  # fmt: skip
_QA = (1.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02,
       1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02)  # fmt: skip
_RA = (-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e01,
       -6.23753324503260060396e01, -1.62396669462573470355e02, -1.84605092906711035994e02,
       -8.12874355063065934246e01, -9.81432934416914548592e00)  # fmt: skip
_SA = (1.0, 1.96512716674392571292e01, 1.37657754143519042600e02, 4.34565877475229228821e02,
       6.45387271733267880336e02, 4.29008140027567833386e02, 1.08635005541779435134e02,
       6.57024977031928170135e00, -6.04244152148580987438e-02)  # fmt: skip
_RB = (-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e01,
       -1.60636384855821916062e02, -6.37566443368389627722e02, -1.02509513161107724954e03,
       -4.83519191608651397019e02)  # fmt: skip
_SB = (1.0, 3.03380607434824582924e01, 3.25792512996573918826e02, 1.53672958608443695994e03,
       3.19985821950859553908e03, 2.55305040643316442583e03, 4.74528541206955367215e02,
       -2.24409524465858183362e01)  # fmt: skip


def _horner(coefficients: tuple, z: Any) -> Any:
    """sum(c[k] * z**k), in place on one temporary array."""
    out = coefficients[-1] * z
    out += coefficients[-2]
    for c in coefficients[-3::-1]:
        out *= z
        out += c
    return out


def _clear_low_bits(z: Any) -> Any:
    """z with the low half of its mantissa zeroed (float32 or float64)."""
    if z.dtype == np.float64:
        return (z.view(np.uint64) & np.uint64(0xFFFFFFFF00000000)).view(np.float64)
    return (z.view(np.uint32) & np.uint32(0xFFFFF000)).view(z.dtype)


def erfc_array(y: Any) -> Any:
    """The complementary error function 1 - erf(y), elementwise, keeping y's float dtype.

    erfc(|y|) is evaluated by fdlibm's formula for each range of |y| on that range's elements
    only (gathered by index, much faster than boolean masks); then erfc(y) = 2 - erfc(|y|) for
    negative y. NaN falls into the last range and stays NaN.
    """
    if y.dtype not in (np.float32, np.float64):  # float16 and integers: compute in float32
        return erfc_array(y.astype(np.float32)).astype(y.dtype if y.dtype.kind == "f" else np.float32)
    xp = backend.array_module(y)
    a = xp.abs(y.reshape(-1))
    out = xp.empty_like(a)

    idx = xp.flatnonzero(a < 0.84375)  # erfc = 1 - a - a * P(a^2) / Q(a^2)
    z = a[idx]
    zz = z * z
    out[idx] = (1 - z) - z * (_horner(_PP, zz) / _horner(_QQ, zz))

    idx = xp.flatnonzero((a >= 0.84375) & (a < 1.25))  # erf = erx + P(a - 1) / Q(a - 1)
    s = a[idx] - 1
    out[idx] = (1 - _ERX) - _horner(_PA, s) / _horner(_QA, s)

    # erfc = exp(-a^2 - 0.5625 + R(1/a^2) / S(1/a^2)) / a, with two sets of coefficients.
    near = a < 1 / 0.35
    _erfc_tail(xp, out, a, xp.flatnonzero((a >= 1.25) & near), _RA, _SA)
    _erfc_tail(xp, out, a, xp.flatnonzero(~near), _RB, _SB)

    negative = (y.reshape(-1) < 0).astype(out.dtype)
    out += negative * (2 - 2 * out)  # 2 - erfc(|y|) where y < 0
    return out.reshape(y.shape)


def _erfc_tail(xp: Any, out: Any, a: Any, idx: Any, r: tuple, s: tuple) -> None:
    """Fill out[idx] with erfc(a[idx]) for a >= 1.25 using the rational pair r / s."""
    z = xp.minimum(a[idx], 30)  # erfc(30) underflows even float64; the cap avoids overflow in z*z
    w = 1 / (z * z)
    ratio = _horner(r, w) / _horner(s, w)
    # exp(-z^2) as exp(-hi^2) * exp((hi - z)(hi + z)), hi = z with its low mantissa bits cleared so
    # hi^2 is exact (fdlibm's trick): rounding z^2 would cost relative precision in the far tail.
    hi = _clear_low_bits(z)
    out[idx] = xp.exp(-hi * hi - 0.5625) * xp.exp((hi - z) * (hi + z) + ratio) / z


def normal_cdf_array(x: Any) -> Any:
    """Phi(x), the standard normal CDF, via erfc so that the far left tail keeps its precision."""
    return 0.5 * erfc_array(x * -_SQRT_HALF)


_SQRT_HALF = math.sqrt(0.5)
_INV_SQRT_2PI = 1 / math.sqrt(2 * math.pi)
_SQRT_2_OVER_PI = math.sqrt(2 / math.pi)
_GELU_CUBIC = 0.044715


# ----- elementwise activations ---------------------------------------------------------------


def _select(condition: Any, dtype: Any, yes: Any, no: Any) -> Any:
    """yes where condition else no (finite values), as c * yes + (1 - c) * no: exact, and much
    faster than np.where, which slows down many times on large arrays with a random mask."""
    c = condition.astype(dtype)
    return c * yes + (1 - c) * no


class ReLU(Function):
    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        out = backend.array_module(x).maximum(x, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad * (ctx.saved[0] > 0)


class LeakyReLU(Function):
    """x for x > 0, negative_slope * x otherwise (the gradient at 0 is the slope, as in PyTorch)."""

    @staticmethod
    def forward(ctx: Context, x: Any, negative_slope: float) -> Any:
        xp = backend.array_module(x)
        ctx.save_for_backward(x)
        ctx.slope = negative_slope
        # max(x, slope * x) is the same function for slopes up to 1, min(...) above 1.
        pick = xp.maximum if negative_slope <= 1 else xp.minimum
        return pick(x, x * negative_slope)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        return grad * _select(x > 0, grad.dtype, 1.0, ctx.slope)


class ELU(Function):
    """x for x > 0, alpha * (exp(x) - 1) otherwise; exp only sees non-positive values."""

    @staticmethod
    def forward(ctx: Context, x: Any, alpha: float) -> Any:
        xp = backend.array_module(x)
        out = xp.maximum(x, 0) + alpha * xp.expm1(xp.minimum(x, 0))  # one of the two terms is 0
        ctx.save_for_backward(x, out)
        ctx.alpha = alpha
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, out = ctx.saved
        # For x <= 0 the derivative alpha * exp(x) equals out + alpha; min(out, 0) keeps it finite.
        slope = backend.array_module(out).minimum(out, 0) + ctx.alpha
        return grad * _select(x > 0, grad.dtype, 1.0, slope)


class Sigmoid(Function):
    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        out = sigmoid_array(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        return grad * out * (1 - out)


class Tanh(Function):
    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        out = backend.array_module(x).tanh(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        return grad * (1 - out * out)


class SiLU(Function):
    """x * sigmoid(x), also called swish."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        s = sigmoid_array(x)
        ctx.save_for_backward(x, s)
        return x * s

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, s = ctx.saved
        return grad * s * (1 + x * (1 - s))


class GELU(Function):
    """x * Phi(x) with the exact normal CDF."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        cdf = normal_cdf_array(x)
        ctx.save_for_backward(x, cdf)
        return x * cdf

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, cdf = ctx.saved
        pdf = backend.array_module(x).exp(-0.5 * x * x) * _INV_SQRT_2PI
        return grad * (cdf + x * pdf)


class GELUTanh(Function):
    """0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))), the approximation used by GPT-2."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        t = backend.array_module(x).tanh(_SQRT_2_OVER_PI * (x + _GELU_CUBIC * x * x * x))
        ctx.save_for_backward(x, t)
        return 0.5 * x * (1 + t)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, t = ctx.saved
        inner = _SQRT_2_OVER_PI * (1 + 3 * _GELU_CUBIC * x * x)
        return grad * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * inner)


class Softplus(Function):
    """log(1 + exp(beta x)) / beta, and plain x where beta x > threshold (as PyTorch)."""

    @staticmethod
    def forward(ctx: Context, x: Any, beta: float, threshold: float) -> Any:
        xp = backend.array_module(x)
        bx = x * beta if beta != 1 else x
        linear = bx > threshold
        z = xp.exp(xp.minimum(bx, threshold))  # capped: the linear part never overflows exp
        out = xp.log1p(z)
        if beta != 1:
            out = out / beta
        ctx.any_linear = bool(linear.any())  # usually False: skip the (slow) select entirely
        ctx.save_for_backward(linear, z)
        return xp.where(linear, x, out) if ctx.any_linear else out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        linear, z = ctx.saved
        slope = z / (1 + z)
        if ctx.any_linear:
            slope = backend.array_module(z).where(linear, 1, slope)
        return grad * slope


class BinaryStep(Function):
    """1 where x >= 0, else 0. Its derivative is zero everywhere (undefined at 0), which is why
    networks of step units cannot be trained by gradient descent."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return (x >= 0).astype(x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.array_module(grad).zeros_like(grad)


# ----- softmax family ------------------------------------------------------------------------


class Softmax(Function):
    """exp(x - max) / sum(exp(x - max)) along one axis; subtracting the max prevents overflow."""

    @staticmethod
    def forward(ctx: Context, x: Any, axis: Any) -> Any:
        xp = backend.array_module(x)
        out = xp.subtract(x, x.max(axis=axis, keepdims=True), out=xp.empty_like(x))
        xp.exp(out, out=out)
        out /= out.sum(axis=axis, keepdims=True)
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        return out * (grad - (grad * out).sum(axis=ctx.axis, keepdims=True))


class LogSoftmax(Function):
    """x - max - log(sum(exp(x - max))) along one axis: finite even for logits of +-1000."""

    @staticmethod
    def forward(ctx: Context, x: Any, axis: Any) -> Any:
        xp = backend.array_module(x)
        out = xp.subtract(x, x.max(axis=axis, keepdims=True), out=xp.empty_like(x))
        out -= xp.log(xp.exp(out).sum(axis=axis, keepdims=True))
        ctx.save_for_backward(out)
        ctx.axis = axis
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        xp = backend.array_module(grad)
        return grad - xp.exp(out) * grad.sum(axis=ctx.axis, keepdims=True)


# ----- the functional forms (re-exported by jaring.functional) ------------------------------


def _number(op: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}: {name} must be a number, got {value!r}")
    return float(value)


def _softmax_axis(op: str, x: Tensor, axis: Any, dim: Any) -> Any:
    axis = pick_axis(axis, dim)
    if axis is None:
        axis = -1
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(f"{op}: axis must be a single int, got {axis!r}")
    (axis,) = normalize_axes(axis, x.ndim)
    return axis if x.ndim else None  # a 0-d tensor is its own single class


def relu(x: Any) -> Tensor:
    """max(x, 0): the default hidden activation."""
    return ReLU.apply(floating(x))


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Tensor:
    """x for x > 0, negative_slope * x otherwise (keeps a small gradient for negative inputs)."""
    return LeakyReLU.apply(
        floating(x), negative_slope=_number("leaky_relu", "negative_slope", negative_slope)
    )


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """x for x > 0, alpha * (exp(x) - 1) otherwise: smooth, saturating at -alpha."""
    return ELU.apply(floating(x), alpha=_number("elu", "alpha", alpha))


def sigmoid(x: Any) -> Tensor:
    """1 / (1 + exp(-x)), computed without overflow for any input."""
    return Sigmoid.apply(floating(x))


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent, in (-1, 1)."""
    return Tanh.apply(floating(x))


def silu(x: Any) -> Tensor:
    """x * sigmoid(x) (SiLU, also called swish)."""
    return SiLU.apply(floating(x))


swish = silu


def gelu(x: Any, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF; approximate="tanh" uses the tanh formula instead."""
    if approximate == "none":
        return GELU.apply(floating(x))
    if approximate == "tanh":
        return GELUTanh.apply(floating(x))
    raise ValueError(f"gelu: unknown approximate={approximate!r}; choose 'none' or 'tanh'")


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta * x)) / beta, a smooth relu; linear where beta * x > threshold (as PyTorch)."""
    beta = _number("softplus", "beta", beta)
    if beta <= 0:
        raise ValueError(f"softplus: beta must be positive, got {beta}")
    return Softplus.apply(floating(x), beta=beta, threshold=_number("softplus", "threshold", threshold))


def binary_step(x: Any) -> Tensor:
    """1 where x >= 0, else 0 (the perceptron's activation); its gradient is zero everywhere."""
    return BinaryStep.apply(floating(x))


def softmax(x: Any, axis: int | None = None, *, dim: int | None = None) -> Tensor:
    """Probabilities along `axis` (default -1, the last; `dim=` is accepted as in PyTorch)."""
    x = floating(x)
    return Softmax.apply(x, axis=_softmax_axis("softmax", x, axis, dim))


def log_softmax(x: Any, axis: int | None = None, *, dim: int | None = None) -> Tensor:
    """log(softmax(x)) along `axis` (default -1), computed stably in one step."""
    x = floating(x)
    return LogSoftmax.apply(x, axis=_softmax_axis("log_softmax", x, axis, dim))
