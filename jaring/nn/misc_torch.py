"""Four small torch.nn layers without weights: LocalResponseNorm, Softmax2d, RReLU, ChannelShuffle.

LocalResponseNorm normalises each channel by its neighbours' energy (AlexNet); Softmax2d is a
softmax over the channels of every pixel; RReLU is a leaky ReLU with random slopes in training
and their mean in eval; ChannelShuffle interleaves channel groups (ShuffleNet). Like nn.Dropout,
RReLU's int `seed` gives the layer its own Generator; seed=None draws from jaring's global one.
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.ops.channel_shuffle import channel_shuffle, check_groups
from jaring.ops.common import as_tensor
from jaring.ops.local_response_norm import local_response_norm
from jaring.ops.rrelu import rrelu
from jaring.ops.softmax import softmax
from jaring.random import get_rng


class LocalResponseNorm(Module):
    """torch.nn.LocalResponseNorm over the channels of (N, C, *): x / (k + alpha/size * sum x^2)^beta.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> lrn = nn.LocalResponseNorm(2, alpha=1.0, beta=1.0, k=1.0)
        >>> lrn(jaring.ones(1, 3, 2))[0, :, 0].numpy().round(4).tolist()
        [0.6667, 0.5, 0.5]
    """

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75, k: float = 1.0) -> None:
        super().__init__()
        self.size, self.alpha, self.beta, self.k = size, alpha, beta, k

    def forward(self, x: Any) -> Tensor:
        return local_response_norm(x, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class Softmax2d(Module):
    """torch.nn.Softmax2d: softmax over the channels of each pixel of (N, C, H, W) or (C, H, W).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> out = nn.Softmax2d()(jaring.zeros(1, 4, 2, 2))
        >>> out[0, :, 0, 0].tolist()
        [0.25, 0.25, 0.25, 0.25]
    """

    def forward(self, x: Any) -> Tensor:
        x = as_tensor(x)
        if x.ndim not in (3, 4):
            raise ValueError(f"Softmax2d: expected input of 3 or 4 dimensions, got shape {x.shape}")
        return softmax(x, dim=-3)


class RReLU(Module):
    """torch.nn.RReLU: slopes drawn from [lower, upper) for x <= 0 in training, their mean in eval.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> layer = nn.RReLU(0.1, 0.3, seed=0).eval()
        >>> layer(jaring.tensor([-1.0, 2.0])).tolist()  # the mean slope 0.2
        [-0.20000000298023224, 2.0]
    """

    def __init__(
        self, lower: float = 1.0 / 8, upper: float = 1.0 / 3, inplace: bool = False, seed: Any = None
    ) -> None:
        super().__init__()
        if not lower <= upper:
            raise ValueError(f"RReLU: lower bound {lower} must not exceed the upper bound {upper}")
        self.lower, self.upper, self.inplace = lower, upper, inplace
        self._rng = None if seed is None else get_rng(seed)

    def forward(self, x: Any) -> Tensor:
        return rrelu(x, self.lower, self.upper, training=self.training, seed=self._rng)

    def extra_repr(self) -> str:
        return f"lower={self.lower}, upper={self.upper}"


class ChannelShuffle(Module):
    """torch.nn.ChannelShuffle: interleave the channels of (N, C, *) across `groups` groups.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.arange(4.0).reshape(1, 4, 1, 1)
        >>> nn.ChannelShuffle(2)(x).reshape(4).tolist()
        [0.0, 2.0, 1.0, 3.0]
    """

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = check_groups(groups)

    def forward(self, x: Any) -> Tensor:
        return channel_shuffle(x, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"
