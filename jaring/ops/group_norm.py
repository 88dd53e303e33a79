"""Group normalisation, as torch.nn.functional.group_norm: one fused op with its closed-form backward.

The C channels of an (N, C, *) input are split into num_groups groups of C / num_groups channels;
each sample's group is normalised over its channels and positions together (two-pass mean and
biased variance, so large offsets stay accurate), then scaled and shifted per channel. With one
group per channel it is instance normalisation, with one group for all channels layer norm over
(C, *).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor


class GroupNormFunction(Function):
    """y = (x - mean) / sqrt(var + eps) * weight + bias, statistics per (sample, group)."""

    @staticmethod
    def forward(
        ctx: Context, x: Any, *params: Any, num_groups: int, eps: float, with_weight: bool, with_bias: bool
    ) -> Any:
        grouped = x.reshape(x.shape[0], num_groups, -1)
        centred = grouped - grouped.mean(axis=2, keepdims=True)
        var = (centred * centred).mean(axis=2, keepdims=True)
        rstd = 1.0 / (var + eps) ** 0.5
        xhat = (centred * rstd).reshape(x.shape)
        channel = (1, x.shape[1]) + (1,) * (x.ndim - 2)
        weight = params[0].reshape(channel) if with_weight else None
        ctx.save_for_backward(xhat, rstd, weight)
        ctx.num_groups, ctx.with_weight, ctx.with_bias = num_groups, with_weight, with_bias
        out = xhat * weight if with_weight else xhat.copy()
        if with_bias:
            out += params[-1].reshape(channel)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        xhat, rstd, weight = ctx.saved
        needs = ctx.needs_input_grad
        grads = [None]
        if needs[0]:
            g = (grad * weight if weight is not None else grad).reshape(grad.shape[0], ctx.num_groups, -1)
            h = xhat.reshape(g.shape)
            mean_g = g.mean(axis=2, keepdims=True)
            mean_gh = (g * h).mean(axis=2, keepdims=True)
            grads[0] = ((g - mean_g - h * mean_gh) * rstd).reshape(grad.shape)
        others = (0,) + tuple(range(2, grad.ndim))
        if ctx.with_weight:
            grads.append((grad * xhat).sum(axis=others) if needs[len(grads)] else None)
        if ctx.with_bias:
            grads.append(grad.sum(axis=others) if needs[len(grads)] else None)
        return tuple(grads)


def group_norm(
    input: Any, num_groups: int, weight: Any = None, bias: Any = None, eps: float = 1e-5
) -> Tensor:
    """torch.nn.functional.group_norm: normalise (N, C, *) over groups of C / num_groups channels.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[[1.0], [3.0], [10.0], [20.0]]])  # (N, C, L) = (1, 4, 1)
        >>> F.group_norm(x, 2).numpy().ravel().round(4)  # channels (0, 1) and (2, 3) normalised apart
        array([-1., 1., -1., 1.], dtype=float32)
    """
    x = as_tensor(input)
    if x.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {x.ndim}")
    if x.dtype.kind != "f":
        raise TypeError(f"group_norm needs a floating-point input, got dtype {x.dtype}")
    if isinstance(num_groups, bool) or not isinstance(num_groups, (int, np.integer)) or num_groups < 1:
        raise ValueError(f"group_norm: num_groups must be a positive integer, got {num_groups!r}")
    channels = x.shape[1]
    if channels % num_groups:
        raise RuntimeError(
            "Expected number of channels in input to be divisible by num_groups, but got input of "
            f"shape {list(x.shape)} and num_groups={num_groups}"
        )
    params = []
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None:
            value = as_tensor(value, x)
            if value.shape != (channels,):
                raise RuntimeError(
                    f"Expected {name} to be a vector of size equal to the number of channels in input, "
                    f"but got {name} of shape {list(value.shape)} and input of shape {list(x.shape)}"
                )
            params.append(value)
    return GroupNormFunction.apply(
        x,
        *params,
        num_groups=int(num_groups),
        eps=float(eps),
        with_weight=weight is not None,
        with_bias=bias is not None,
    )
