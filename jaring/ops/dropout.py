"""Inverted dropout: zero each element with probability p and scale the rest by 1 / (1 - p).

Scaling at training time keeps the expected activation unchanged, so evaluation needs no
correction: the op is the identity when not training.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.random import get_rng


def check_probability(p: Any, where: str = "dropout") -> float:
    """p as a float, or a ValueError saying the valid range."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating, np.integer)) or not 0 <= p < 1:
        raise ValueError(
            f"{where}: p is the probability of dropping an element and must be in [0, 1), got {p!r}"
        )
    return float(p)


def _keep_mask(shape: tuple, p: float, xp: Any, rng: np.random.Generator) -> Any:
    if xp is np:
        return rng.random(shape, dtype=np.float32) >= p
    # A GPU array gets a GPU generator seeded from the NumPy one, so runs stay reproducible.
    gpu_rng = xp.random.default_rng(int(rng.integers(2**63)))
    return gpu_rng.random(shape, dtype=np.float32) >= p


class DropoutFunction(Function):
    @staticmethod
    def forward(ctx: Context, x: Any, p: float, rng: np.random.Generator) -> Any:
        keep = _keep_mask(x.shape, p, backend.array_module(x), rng)
        ctx.save_for_backward(keep)
        ctx.scale = 1.0 / (1.0 - p)
        out = x * keep
        out *= ctx.scale
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (keep,) = ctx.saved
        out = grad * keep
        out *= ctx.scale
        return out


def dropout(x: Any, p: float = 0.5, training: bool = True, seed: Any = None) -> Tensor:
    """Inverted dropout; returns x itself when not training or when p == 0.

    `seed` is an int or a NumPy Generator (pass a Generator to get a fresh mask every call).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.dropout(jaring.ones(8), 0.5, seed=0).tolist()  # survivors scaled by 1 / (1 - p)
        [2.0, 2.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0]
        >>> F.dropout(jaring.ones(3), 0.5, training=False).tolist()
        [1.0, 1.0, 1.0]
    """
    p = check_probability(p)
    x = as_tensor(x)
    if not training or p == 0.0:
        return x
    if x.dtype.kind != "f":
        raise TypeError(f"dropout needs a floating-point tensor, got dtype {x.dtype}")
    return DropoutFunction.apply(x, p=p, rng=get_rng(seed))
