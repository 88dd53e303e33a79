"""Activation functions: elementwise nonlinearities, each derivative next to its forward (softmax
and log_softmax are in ops/softmax.py).

All of them are written to stay finite for extreme inputs (sigmoid(+-1000), exp of large
values) without NumPy overflow warnings, and they return floats: integer or boolean input is
converted to the default float dtype first.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating

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


def erfc_array(y: Any) -> Any:
    """The complementary error function 1 - erf(y), elementwise, keeping y's float dtype.

    SciPy's (or, for CuPy arrays, cupyx's) erfc ufunc; float16 and integers compute in float32.
    """
    if y.dtype not in (np.float32, np.float64):
        return erfc_array(y.astype(np.float32)).astype(y.dtype if y.dtype.kind == "f" else np.float32)
    if backend.is_cupy_array(y):
        from cupyx.scipy.special import erfc
    else:
        from scipy.special import erfc  # loaded on the first GELU only
    return erfc(y)


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


class ReLUFunction(Function):
    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        out = backend.array_module(x).maximum(x, 0)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad * (ctx.saved[0] > 0)


class LeakyReLUFunction(Function):
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


class ELUFunction(Function):
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


class SigmoidFunction(Function):
    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        out = sigmoid_array(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        return grad * out * (1 - out)


class TanhFunction(Function):
    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        out = backend.array_module(x).tanh(x)
        ctx.save_for_backward(out)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (out,) = ctx.saved
        return grad * (1 - out * out)


class SiLUFunction(Function):
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


class GELUFunction(Function):
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


class SoftplusFunction(Function):
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


class BinaryStepFunction(Function):
    """1 where x >= 0, else 0. Its derivative is zero everywhere (undefined at 0), which is why
    networks of step units cannot be trained by gradient descent."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        return (x >= 0).astype(x.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.array_module(grad).zeros_like(grad)


# ----- the functional forms (re-exported by jaring.functional) ------------------------------


def _number(op: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{op}: {name} must be a number, got {value!r}")
    return float(value)


def relu(x: Any) -> Tensor:
    """max(x, 0): the default hidden activation.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.relu(jaring.tensor([-1.0, 0.0, 2.0]))
        tensor([0., 0., 2.])
    """
    return ReLUFunction.apply(floating(x))


def leaky_relu(x: Any, negative_slope: float = 0.01) -> Tensor:
    """x for x > 0, negative_slope * x otherwise (keeps a small gradient for negative inputs).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.leaky_relu(jaring.tensor([-2.0, 3.0]), negative_slope=0.1)
        tensor([-0.2,  3. ])
    """
    return LeakyReLUFunction.apply(
        floating(x), negative_slope=_number("leaky_relu", "negative_slope", negative_slope)
    )


def elu(x: Any, alpha: float = 1.0) -> Tensor:
    """x for x > 0, alpha * (exp(x) - 1) otherwise: smooth, saturating at -alpha.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.elu(jaring.tensor([-1.0, 0.0, 2.0]))
        tensor([-0.6321,  0.    ,  2.    ])
    """
    return ELUFunction.apply(floating(x), alpha=_number("elu", "alpha", alpha))


def sigmoid(x: Any) -> Tensor:
    """1 / (1 + exp(-x)), computed without overflow for any input.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.sigmoid(jaring.tensor([-1.0, 0.0, 1.0]))
        tensor([0.2689, 0.5   , 0.7311])
    """
    return SigmoidFunction.apply(floating(x))


def tanh(x: Any) -> Tensor:
    """Hyperbolic tangent, in (-1, 1).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.tanh(jaring.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.7616,  0.    ,  0.7616])
    """
    return TanhFunction.apply(floating(x))


def silu(x: Any) -> Tensor:
    """x * sigmoid(x) (SiLU, also called swish).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.silu(jaring.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.2689,  0.    ,  0.7311])
    """
    return SiLUFunction.apply(floating(x))


swish = silu


def gelu(x: Any, approximate: str = "none") -> Tensor:
    """x * Phi(x), Phi the standard normal CDF; approximate="tanh" uses the tanh formula instead.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([-1.0, 0.0, 1.0])
        >>> F.gelu(x)
        tensor([-0.1587,  0.    ,  0.8413])
        >>> F.gelu(x, approximate="tanh")
        tensor([-0.1588,  0.    ,  0.8412])
    """
    if approximate == "none":
        return GELUFunction.apply(floating(x))
    if approximate == "tanh":
        return GELUTanh.apply(floating(x))
    raise ValueError(f"gelu: unknown approximate={approximate!r}; choose 'none' or 'tanh'")


def softplus(x: Any, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + exp(beta * x)) / beta, a smooth relu; linear where beta * x > threshold (as PyTorch).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.softplus(jaring.tensor([-1.0, 0.0, 1.0]))
        tensor([0.3133, 0.6931, 1.3133])
    """
    beta = _number("softplus", "beta", beta)
    if beta <= 0:
        raise ValueError(f"softplus: beta must be positive, got {beta}")
    return SoftplusFunction.apply(
        floating(x), beta=beta, threshold=_number("softplus", "threshold", threshold)
    )


def binary_step(x: Any) -> Tensor:
    """1 where x >= 0, else 0 (the perceptron's activation); its gradient is zero everywhere.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.binary_step(jaring.tensor([-0.5, 0.0, 2.0]))
        tensor([0., 1., 1.])
    """
    return BinaryStepFunction.apply(floating(x))
