"""Activations shaped by their arguments: prelu (a learnable negative slope) and threshold.

prelu is leaky ReLU whose slope is a weight: one for the whole input, or one per channel (axis 1
of (N, C, *), as in torch); its backward gives the weight's gradient, summed over the other axes.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.activation import _number
from jaring.ops.common import as_tensor, floating


class PReLUFunction(Function):
    """x where x > 0, weight * x elsewhere; weight has 1 element or one per channel (axis 1)."""

    @staticmethod
    def forward(ctx: Context, x: Any, weight: Any) -> Any:
        xp = backend.array_module(x)
        per_channel = weight.size > 1
        shape = (1, weight.size) + (1,) * (x.ndim - 2) if per_channel else ()
        slope = weight.reshape(shape)
        ctx.save_for_backward(x, slope)
        ctx.weight_shape, ctx.per_channel = weight.shape, per_channel
        return xp.where(x > 0, x, slope * x)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        x, slope = ctx.saved
        xp = backend.array_module(x)
        needs = ctx.needs_input_grad
        positive = x > 0
        grad_x = xp.where(positive, grad, grad * slope) if needs[0] else None
        grad_w = None
        if needs[1]:
            part = xp.where(positive, 0, grad * x)
            others = tuple(i for i in range(x.ndim) if i != 1) if ctx.per_channel else None
            grad_w = part.sum(axis=others).reshape(ctx.weight_shape)
        return grad_x, grad_w


class ThresholdFunction(Function):
    """x where x > threshold, value elsewhere; the gradient passes only where x > threshold."""

    @staticmethod
    def forward(ctx: Context, x: Any, threshold: float, value: float) -> Any:
        xp = backend.array_module(x)
        above = x > threshold
        ctx.save_for_backward(above)
        return xp.where(above, x, xp.asarray(value).astype(x.dtype))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (above,) = ctx.saved
        return grad * above


def prelu(input: Any, weight: Any) -> Tensor:
    """torch.nn.functional.prelu: max(0, x) + weight * min(0, x), weight per channel (axis 1) or single.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[-2.0, -2.0], [1.0, 1.0]])  # (N, C) = (2, 2)
        >>> F.prelu(x, jaring.tensor([0.25, 0.5]))
        tensor([[-0.5, -1. ],
                [ 1. ,  1. ]])
    """
    x = floating(input)
    weight = as_tensor(weight, x)
    if weight.ndim > 1:
        raise RuntimeError(
            f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}"
        )
    channels = x.shape[1] if x.ndim >= 2 else 1
    if weight.size not in (1, channels):
        raise RuntimeError(
            "Mismatch of parameter numbers and input channel size. Found parameter numbers = "
            f"{weight.size} and channel size = {channels}."
        )
    return PReLUFunction.apply(x, weight)


def threshold(input: Any, threshold: float, value: float) -> Tensor:
    """torch.nn.functional.threshold: x where x > threshold, else value.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.threshold(jaring.tensor([0.0, 1.0, 2.0]), 1.0, -5.0)
        tensor([-5., -5.,  2.])
    """
    x = as_tensor(input)
    limit, value = _number("threshold", "threshold", threshold), _number("threshold", "value", value)
    return ThresholdFunction.apply(x, threshold=limit, value=value)
