"""Channel dropout and alpha dropout layers (torch.nn's names), all the identity after .eval().

Dropout1d / Dropout2d / Dropout3d zero whole channels of convolutional feature maps; AlphaDropout
and FeatureAlphaDropout keep a SELU network's mean 0 and variance 1. p is in [0, 1], as in torch.
Like nn.Dropout, an int `seed` gives the layer its own Generator (a reproducible sequence of
masks); seed=None draws from jaring's process-wide generator (jaring.manual_seed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.ops.channel_dropout import check_channel_probability
from jaring.random import get_rng


class _ChannelDropout(Module):
    """p, the layer's generator and the forward pass; subclasses name their function."""

    _function: Callable[..., Tensor]

    def __init__(self, p: float = 0.5, seed: Any = None) -> None:
        super().__init__()
        self.p = check_channel_probability(p)
        self._rng = None if seed is None else get_rng(seed)

    def forward(self, x: Any) -> Tensor:
        return type(self)._function(x, self.p, training=self.training, seed=self._rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class Dropout1d(_ChannelDropout):
    """torch.nn.Dropout1d: zero whole channels of (N, C, L) or (C, L), scale the rest by 1 / (1 - p).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> out = nn.Dropout1d(0.5, seed=0)(jaring.ones(2, 8, 3)).numpy()
        >>> sorted(set(out.ravel().tolist())), bool((out.min(axis=2) == out.max(axis=2)).all())
        ([0.0, 2.0], True)
    """

    _function = staticmethod(F.dropout1d)


class Dropout2d(_ChannelDropout):
    """torch.nn.Dropout2d: zero whole channels of (N, C, H, W); a 3-D input is read as (N, C, L)
    with torch's warning.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> drop = nn.Dropout2d(0.2, seed=0)
        >>> drop(jaring.ones(4, 3, 2, 2)).shape, drop.eval()(jaring.ones(1, 3, 2, 2)).numpy().min()
        ((4, 3, 2, 2), np.float32(1.0))
    """

    _function = staticmethod(F.dropout2d)


class Dropout3d(_ChannelDropout):
    """torch.nn.Dropout3d: zero whole channels of (N, C, D, H, W) or (C, D, H, W).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Dropout3d(0.5, seed=0)(jaring.ones(2, 4, 2, 2, 2)).shape
        (2, 4, 2, 2, 2)
    """

    _function = staticmethod(F.dropout3d)


class AlphaDropout(_ChannelDropout):
    """torch.nn.AlphaDropout: dropout that keeps SELU activations at mean 0 and variance 1.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> out = nn.AlphaDropout(0.1, seed=0)(jaring.randn(100_000, seed=1)).numpy()
        >>> round(float(out.mean()), 2), round(float(out.std()), 2)
        (0.0, 1.0)
    """

    _function = staticmethod(F.alpha_dropout)


class FeatureAlphaDropout(_ChannelDropout):
    """torch.nn.FeatureAlphaDropout: alpha dropout of whole channels of (N, C, *).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.FeatureAlphaDropout(0.5, seed=0)(jaring.ones(2, 3, 4)).shape
        (2, 3, 4)
    """

    _function = staticmethod(F.feature_alpha_dropout)
