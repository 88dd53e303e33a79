"""Gumbel-softmax: a differentiable sample from a categorical distribution (torch's gumbel_softmax).

    y = softmax((logits + g) / tau),  g = -log(E), E ~ Exponential(1)

hard=True returns the one-hot of argmax(y) in the forward pass and y's gradient in the backward
pass (the straight-through estimator, torch's y_hard - y.detach() + y). The noise comes from
`gumbel_noise`, the seam that tests use to give jaring and torch the same draw.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.random import get_rng


def gumbel_noise(shape: tuple, dtype: Any, xp: Any, rng: np.random.Generator) -> Any:
    """Standard Gumbel samples -log(E), E ~ Exponential(1), as torch draws them."""
    if xp is np:
        exponential = rng.standard_exponential(shape)
    else:  # a GPU generator seeded from the NumPy one keeps runs reproducible
        exponential = xp.random.default_rng(int(rng.integers(2**63))).standard_exponential(shape)
    return (-xp.log(exponential)).astype(dtype)


class GumbelSoftmaxFunction(Function):
    """softmax((logits + noise) / tau) along `axis`, or its one-hot with hard=True; backward is the
    softmax's either way, divided by tau (noise gets no gradient)."""

    @staticmethod
    def forward(ctx: Context, logits: Any, noise: Any, tau: float, hard: bool, axis: int) -> Any:
        xp = backend.array_module(logits, noise)
        z = (logits + noise) / logits.dtype.type(tau)
        z = z - z.max(axis=axis, keepdims=True)
        y = xp.exp(z)
        y /= y.sum(axis=axis, keepdims=True)
        ctx.y, ctx.tau, ctx.axis = y, tau, axis
        if not hard:
            return y
        index = xp.expand_dims(y.argmax(axis=axis), axis)
        positions = xp.arange(y.shape[axis]).reshape([-1 if a == axis else 1 for a in range(y.ndim)])
        return (positions == index).astype(y.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        y = ctx.y
        inner = (grad * y).sum(axis=ctx.axis, keepdims=True)
        return y * (grad - inner) / y.dtype.type(ctx.tau), None


def gumbel_softmax(
    logits: Any,
    tau: float = 1.0,
    hard: bool = False,
    eps: float = 1e-10,
    dim: int = -1,
    *,
    seed: Any = None,
    generator: Any = None,
) -> Tensor:
    """Sample from the Gumbel-softmax distribution over `dim` (unnormalised log-probabilities in).

    tau > 0 is the temperature (small: close to one-hot). hard=True: one-hot samples whose
    gradient is the soft sample's. `seed` (or torch's word `generator`) is an int or a NumPy
    Generator; eps is accepted and unused, as in torch.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> logits = jaring.tensor([[1.0, 2.0, 0.5]], requires_grad=True)
        >>> y = F.gumbel_softmax(logits, tau=0.5, hard=True, seed=0)
        >>> y.sum().item(), sorted(y.tolist()[0])
        (1.0, [0.0, 0.0, 1.0])
    """
    if seed is not None and generator is not None:
        raise ValueError("gumbel_softmax: give seed or generator, not both")
    logits = as_tensor(logits)
    if logits.dtype.kind != "f":
        raise TypeError(f"gumbel_softmax: logits must be floating point, got dtype {logits.dtype}")
    if isinstance(tau, bool) or not isinstance(tau, (int, float, np.integer, np.floating)) or not tau > 0:
        raise ValueError(f"gumbel_softmax: tau must be a positive number, got {tau!r}")
    if not isinstance(hard, (bool, np.bool_)):
        raise TypeError(f"gumbel_softmax: hard must be True or False, got {hard!r}")
    if logits.ndim == 0:
        raise ValueError("gumbel_softmax: logits must have at least one dimension (the categories)")
    axis = resolve_axis("gumbel_softmax", dim, logits.ndim)
    rng = get_rng(generator if seed is None else seed)
    xp = backend.array_module(logits.data)
    noise = Tensor(gumbel_noise(logits.shape, logits.dtype, xp, rng))
    return GumbelSoftmaxFunction.apply(logits, noise, tau=float(tau), hard=bool(hard), axis=axis)
