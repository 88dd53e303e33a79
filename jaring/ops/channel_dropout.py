"""Channel dropout, as torch.nn.functional.dropout1d / dropout2d / dropout3d: zero whole channels.

Neighbouring positions of a feature map are strongly correlated, so zeroing single elements
barely regularises a convolution; these zero each (sample, channel) map entirely with
probability p and scale the kept ones by 1 / (1 - p). The mask has shape (N, C, 1, ..., 1) and
the op is the identity when not training. The input ranks follow torch 2.13, warnings included:
dropout1d takes (N, C, L) or (C, L); dropout3d takes (N, C, D, H, W) or (C, D, H, W), and treats any
other rank as unbatched; dropout2d takes (N, C, H, W) and, for historical reasons, reads a 3-D input
as (N, C, L), not as unbatched (C, H, W).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.dropout import _keep_mask
from jaring.random import get_rng


def check_channel_probability(p: Any) -> float:
    """p as a float in [0, 1] (1 drops every channel), or torch's ValueError."""
    if isinstance(p, bool) or not isinstance(p, (int, float, np.floating, np.integer)) or not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p!r}")
    return float(p)


class ChannelDropoutFunction(Function):
    """x * keep / (1 - p) with keep drawn once per (sample, channel) and broadcast over positions."""

    @staticmethod
    def forward(ctx: Context, x: Any, p: float, rng: np.random.Generator) -> Any:
        xp = backend.array_module(x)
        shape = x.shape[:2] + (1,) * (x.ndim - 2)
        keep = _keep_mask(shape, p, xp, rng).astype(x.dtype)
        if p < 1:
            keep *= 1.0 / (1.0 - p)
        ctx.save_for_backward(keep)
        return x * keep

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        (scale,) = ctx.saved
        return grad * scale


def feature_dropout(x: Tensor, p: float, training: bool, seed: Any) -> Tensor:
    """Zero whole slices x[n, c] with probability p (the shared step of dropout1d/2d/3d)."""
    if not training or p == 0.0:
        return x
    if x.dtype.kind != "f":
        raise TypeError(f"dropout needs a floating-point tensor, got dtype {x.dtype}")
    return ChannelDropoutFunction.apply(x, p=p, rng=get_rng(seed))


def _unbatched(x: Tensor, batched: bool, p: float, training: bool, seed: Any) -> Tensor:
    if batched or not training or p == 0.0:
        return feature_dropout(x, p, training, seed)
    return feature_dropout(x.unsqueeze(0), p, training, seed).squeeze(0)


def dropout1d(input: Any, p: float = 0.5, training: bool = True, seed: Any = None) -> Tensor:
    """Zero whole channels of (N, C, L) or unbatched (C, L) with probability p, scale the rest.

    `seed` is an int or a NumPy Generator, as for F.dropout.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.dropout1d(jaring.ones(1, 4, 3), 0.5, seed=0).numpy()[0]  # a channel is all 0 or all 2
        array([[2., 2., 2.],
               [2., 2., 2.],
               [2., 2., 2.],
               [0., 0., 0.]], dtype=float32)
    """
    p, x = check_channel_probability(p), as_tensor(input)
    if x.ndim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {x.ndim}D input. Note that dropout1d "
            "exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel "
            "dimension, and an optional batch dimension (i.e. 2D or 3D inputs)."
        )
    return _unbatched(x, x.ndim == 3, p, training, seed)


def dropout2d(input: Any, p: float = 0.5, training: bool = True, seed: Any = None) -> Tensor:
    """Zero whole channels of (N, C, H, W) with probability p, scale the rest by 1 / (1 - p).

    As in torch, a 3-D input is read as (N, C, L) with a warning (use dropout1d for that).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> out = F.dropout2d(jaring.ones(8, 16, 5, 5), 0.25, seed=0).numpy()
        >>> bool((out.min(axis=(2, 3)) == out.max(axis=(2, 3))).all())  # constant per channel
        True
    """
    p, x = check_channel_probability(p), as_tensor(input)
    if x.ndim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {x.ndim}-D input to dropout2d, which is deprecated and will result "
            "in an error in a future release. To retain the behavior and silence this warning, please "
            "use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs "
            "with 2 spatial dimensions, a channel dimension, and an optional batch "
            "dimension (i.e. 3D or 4D inputs).",
            stacklevel=2,
        )
    if x.ndim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D dropout "
            "behavior is desired - input is interpreted as shape (N, C, L), where C is the channel dim. "
            "This behavior will change in a future release to interpret the input as one without a "
            "batch dimension, i.e. shape (C, H, W). To maintain the 1D channel-wise dropout behavior, "
            "please switch to using dropout1d instead.",
            stacklevel=2,
        )
    if x.ndim < 2:
        raise RuntimeError("dropout2d: Feature dropout requires at least 2 dimensions in the input")
    return feature_dropout(x, p, training, seed)


def dropout3d(input: Any, p: float = 0.5, training: bool = True, seed: Any = None) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or unbatched (C, D, H, W) with probability p.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.dropout3d(jaring.ones(2, 3, 2, 2, 2), 0.5, training=False).shape  # identity in eval
        (2, 3, 2, 2, 2)
    """
    p, x = check_channel_probability(p), as_tensor(input)
    if x.ndim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {x.ndim}-D input to dropout3d, which is deprecated and will result "
            "in an error in a future release. To retain the behavior and silence this warning, please "
            "use dropout instead. Note that dropout3d exists to provide channel-wise dropout on inputs "
            "with 3 spatial dimensions, a channel dimension, and an optional batch "
            "dimension (i.e. 4D or 5D inputs).",
            stacklevel=2,
        )
    if x.ndim < 1:
        raise RuntimeError("dropout3d: Feature dropout requires at least 2 dimensions in the input")
    return _unbatched(x, x.ndim == 5, p, training, seed)
