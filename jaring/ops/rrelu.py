"""Randomized leaky ReLU as torch.nn.functional.rrelu: a random negative slope per element.

In training each element x <= 0 gets its own slope drawn uniformly from [lower, upper) (the
gradient there is that slope); out of training the slope is the mean (lower + upper) / 2, a leaky
ReLU, as torch. The draw takes `seed=` (an int or a NumPy Generator, jaring.random's rule).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import floating
from jaring.random import get_rng


def _slopes(xp: Any, shape: tuple, lower: float, upper: float, rng: np.random.Generator) -> Any:
    if xp is np:
        return rng.uniform(lower, upper, size=shape)
    # A GPU array gets a GPU generator seeded from the NumPy one, so runs stay reproducible.
    return xp.random.default_rng(int(rng.integers(2**63))).uniform(lower, upper, size=shape)


class RReLUFunction(Function):
    """x * noise, noise the slope where x <= 0 (random in training, the mean otherwise) and 1 elsewhere."""

    @staticmethod
    def forward(ctx: Context, x: Any, lower: float, upper: float, training: bool, rng: Any) -> Any:
        xp = backend.array_module(x)
        if training:
            noise = xp.where(x <= 0, _slopes(xp, x.shape, lower, upper, rng).astype(x.dtype), 1).astype(
                x.dtype
            )
        else:
            noise = xp.where(x > 0, 1, (lower + upper) / 2).astype(x.dtype)
        ctx.save_for_backward(noise)
        return x * noise

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (noise,) = ctx.saved
        return grad * noise


def rrelu(
    input: Any,
    lower: float = 1.0 / 8,
    upper: float = 1.0 / 3,
    training: bool = False,
    inplace: bool = False,
    seed: Any = None,
) -> Tensor:
    """torch.nn.functional.rrelu: random slopes in [lower, upper) when training, else their mean.

    As in torch, training defaults to False for the function (nn.RReLU passes its own mode);
    inplace is accepted for torch's signature and returns a new tensor.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.rrelu(jaring.tensor([-2.0, 3.0]), 0.1, 0.3).tolist()  # the mean slope, 0.2
        [-0.4000000059604645, 3.0]
        >>> out = F.rrelu(jaring.tensor([-2.0, -2.0, 1.0]), training=True, seed=0)
        >>> bool(((out[:2] >= -2 / 3) & (out[:2] <= -0.25)).all()), out[2].item()
        (True, 1.0)
    """
    del inplace
    if not lower <= upper:
        raise ValueError(f"rrelu: lower bound {lower} must not exceed the upper bound {upper}")
    x = floating(input)
    return RReLUFunction.apply(
        x,
        lower=float(lower),
        upper=float(upper),
        training=bool(training),
        rng=get_rng(seed) if training else None,
    )
