"""Smooth activations built on exp: selu, celu, mish, logsigmoid, and softmin.

Each keeps exp away from large positive arguments (only min(x, 0) or -|x| reach it), so
extreme inputs give finite values without overflow warnings. Integer input gives the default float.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops import arith
from jaring.ops.activation import _number, sigmoid_array
from jaring.ops.softmax import softmax
from jaring.ops.common import floating

# SELU's constants (Klambauer et al. 2017), to the digits PyTorch uses.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


class CELUFunction(Function):
    """scale * (max(0, x) + alpha * (exp(min(x, 0) / divisor) - 1)): CELU has divisor = alpha and
    scale 1, SELU divisor 1 and its fixed alpha and scale."""

    @staticmethod
    def forward(ctx: Context, x: Any, alpha: float, divisor: float, scale: float) -> Any:
        xp = backend.array_module(x)
        negative = xp.exp(xp.minimum(x, 0) / divisor)  # exp(x / divisor) where x <= 0, 1 elsewhere
        ctx.save_for_backward(x, negative)
        ctx.slope_below, ctx.scale = alpha / divisor, scale
        return scale * (xp.maximum(x, 0) + alpha * (negative - 1))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, negative = ctx.saved
        slope = backend.array_module(x).where(x > 0, 1, negative * ctx.slope_below)
        return grad * (ctx.scale * slope).astype(grad.dtype, copy=False)


class MishFunction(Function):
    """x * tanh(softplus(x)) (Misra 2019)."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        xp = backend.array_module(x)
        softplus = xp.maximum(x, 0) + xp.log1p(xp.exp(-xp.abs(x)))
        t = xp.tanh(softplus)
        ctx.save_for_backward(x, t)
        return x * t

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, t = ctx.saved
        return grad * (t + x * sigmoid_array(x) * (1 - t * t))


class LogSigmoidFunction(Function):
    """log(sigmoid(x)) = min(x, 0) - log(1 + exp(-|x|)), finite for any x."""

    @staticmethod
    def forward(ctx: Context, x: Any) -> Any:
        xp = backend.array_module(x)
        ctx.save_for_backward(x)
        return xp.minimum(x, 0) - xp.log1p(xp.exp(-xp.abs(x)))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (x,) = ctx.saved
        return grad * sigmoid_array(-x)


def celu(x: Any, alpha: float = 1.0) -> Tensor:
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1)), continuously differentiable ELU.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.celu(jaring.tensor([-1.0, 0.0, 2.0]), alpha=2.0)
        tensor([-0.7869,  0.    ,  2.    ])
    """
    alpha = _number("celu", "alpha", alpha)
    if alpha == 0:
        raise ValueError("celu: alpha must not be 0 (it divides x)")
    return CELUFunction.apply(floating(x), alpha=alpha, divisor=alpha, scale=1.0)


def selu(x: Any) -> Tensor:
    """scale * (max(0, x) + min(0, alpha * (exp(x) - 1))) with SELU's fixed alpha and scale.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.selu(jaring.tensor([-1.0, 0.0, 1.0]))
        tensor([-1.1113,  0.    ,  1.0507])
    """
    return CELUFunction.apply(floating(x), alpha=SELU_ALPHA, divisor=1.0, scale=SELU_SCALE)


def mish(x: Any) -> Tensor:
    """x * tanh(softplus(x)).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.mish(jaring.tensor([-1.0, 0.0, 1.0]))
        tensor([-0.3034,  0.    ,  0.8651])
    """
    return MishFunction.apply(floating(x))


def logsigmoid(x: Any) -> Tensor:
    """log(sigmoid(x)), computed without overflow.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.logsigmoid(jaring.tensor([-1.0, 0.0, 1.0]))
        tensor([-1.3133, -0.6931, -0.3133])
    """
    return LogSigmoidFunction.apply(floating(x))


def softmin(x: Any, axis: int | None = None, *, dim: int | None = None) -> Tensor:
    """softmax(-x) along `axis` (`dim`; default -1): weights that favour the smallest values.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.softmin(jaring.tensor([[1.0, 2.0, 3.0]]), dim=-1)
        tensor([[0.6652, 0.2447, 0.09  ]])
    """
    return softmax(arith.neg(floating(x)), axis, dim=dim)
