"""Alpha dropout, as torch.nn.functional.alpha_dropout and feature_alpha_dropout: dropout for SELU nets.

Plain dropout's zeros shift a SELU network's activations away from mean 0 and variance 1. Alpha
dropout sets dropped units to SELU's negative saturation value -scale * alpha instead, then applies
the affine map a * x + b that restores mean 0 and variance 1 (Klambauer et al. 2017):
a = 1 / sqrt((alpha'^2 p + 1)(1 - p)), b = a * alpha' * p, alpha' = scale * alpha = 1.7581.
feature_alpha_dropout drops whole channels, as dropout2d does. Both are the identity when not
training (which is torch's default for these two functions).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.channel_dropout import check_channel_probability
from jaring.ops.common import as_tensor
from jaring.ops.dropout import _keep_mask
from jaring.random import get_rng

SELU_SATURATION = 1.7580993408473766  # SELU's scale * alpha: its output tends to minus this


class AlphaDropoutFunction(Function):
    """a * x where kept, a * (-alpha') elsewhere, plus a * alpha' * p; the mask broadcasts."""

    @staticmethod
    def forward(ctx: Context, x: Any, p: float, rng: np.random.Generator, mask_shape: tuple) -> Any:
        xp = backend.array_module(x)
        keep = _keep_mask(mask_shape, p, xp, rng).astype(x.dtype)
        a = 1.0 / ((SELU_SATURATION**2 * p + 1) * (1 - p)) ** 0.5
        shift = (keep - 1) * (SELU_SATURATION * a) + SELU_SATURATION * a * p
        keep *= a
        ctx.save_for_backward(keep)
        return x * keep + shift

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (scale,) = ctx.saved
        return grad * scale


def _alpha(x: Tensor, p: float, training: bool, seed: Any, mask_shape: tuple) -> Tensor:
    if not training or p == 0.0:
        return x
    if x.dtype.kind != "f":
        raise TypeError(f"alpha_dropout needs a floating-point tensor, got dtype {x.dtype}")
    if p == 1.0:  # torch: every unit dropped gives zeros, not the saturation value
        return x * 0.0
    return AlphaDropoutFunction.apply(x, p=p, rng=get_rng(seed), mask_shape=mask_shape)


def alpha_dropout(input: Any, p: float = 0.5, training: bool = False, seed: Any = None) -> Tensor:
    """Drop elements to SELU's saturation value and rescale so mean 0 and variance 1 survive.

    `seed` is an int or a NumPy Generator, as for F.dropout; training defaults to False, as in torch.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.randn(200_000, seed=0)
        >>> out = F.alpha_dropout(x, 0.2, training=True, seed=1).numpy()
        >>> round(float(out.mean()), 2), round(float(out.std()), 2)
        (0.0, 1.0)
    """
    p, x = check_channel_probability(p), as_tensor(input)
    return _alpha(x, p, training, seed, x.shape)


def feature_alpha_dropout(input: Any, p: float = 0.5, training: bool = False, seed: Any = None) -> Tensor:
    """alpha_dropout with one draw per (sample, channel) of (N, C, *), as torch's.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> out = F.feature_alpha_dropout(jaring.ones(4, 6, 3), 0.5, training=True, seed=0).numpy()
        >>> bool((out.min(axis=2) == out.max(axis=2)).all())
        True
    """
    p, x = check_channel_probability(p), as_tensor(input)
    if x.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    return _alpha(x, p, training, seed, x.shape[:2] + (1,) * (x.ndim - 2))
