"""torch.nn.InstanceNorm1d / 2d / 3d: normalise each channel of each sample over its own positions.

torch's defaults: affine=False (no weight, no bias) and track_running_stats=False (no buffers,
the input's statistics in training and evaluation alike). With track_running_stats=True the
running mean and variance move in training (momentum is the new value's weight; None counts as 0)
and evaluation normalises by them. Unbatched input, (C, L) for 1d, (C, H, W) for 2d, is treated
as a batch of one. The state dict is torch's: weight, bias, running_mean, running_var,
num_batches_tracked (which, as in torch, instance norm never advances).
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.init import weight_dtype
from jaring.nn.module import Module, Parameter
from jaring.validation import check_bool, check_int, check_real


class _InstanceNorm(Module):
    """Parameters, buffers and the forward pass shared by InstanceNorm1d, 2d and 3d."""

    _spatial = 0  # the number of position axes; unbatched input has 1 + _spatial axes

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = False,
        track_running_stats: bool = False,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.num_features = check_int(name, "num_features", num_features, 1)
        self.eps = check_real(name, "eps", eps, 0.0, low_open=True)
        self.momentum = None if momentum is None else check_real(name, "momentum", momentum, 0.0, 1.0)
        self.affine = check_bool(name, "affine", affine)
        self.track_running_stats = check_bool(name, "track_running_stats", track_running_stats)
        bias = check_bool(name, "bias", bias)
        dtype = weight_dtype(dtype)
        channels, tracked = self.num_features, self.track_running_stats
        self.register_parameter("weight", Parameter(np.ones(channels, dtype)) if affine else None)
        self.register_parameter("bias", Parameter(np.zeros(channels, dtype)) if affine and bias else None)
        self.register_buffer("running_mean", np.zeros(channels, dtype) if tracked else None)
        self.register_buffer("running_var", np.ones(channels, dtype) if tracked else None)
        self.register_buffer("num_batches_tracked", np.zeros((), np.int64) if tracked else None)

    def reset_running_stats(self) -> None:
        """Running mean 0 and running variance 1, as after construction."""
        if self.track_running_stats:
            self.running_mean.data[...] = 0
            self.running_var.data[...] = 1
            self.num_batches_tracked.data[...] = 0

    def forward(self, x: Any) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x)
        name, unbatched = type(self).__name__, 1 + self._spatial
        if x.ndim not in (unbatched, unbatched + 1):
            raise ValueError(
                f"{name}: expected {unbatched}D or {unbatched + 1}D input "
                f"(got {x.ndim}D input of shape {x.shape})"
            )
        feature_dim = x.ndim - unbatched
        if x.shape[feature_dim] != self.num_features:
            if self.affine or self.track_running_stats:
                raise ValueError(
                    f"{name}: expected input's size at dim={feature_dim} to match num_features "
                    f"({self.num_features}), but got: {x.shape[feature_dim]}."
                )
            warnings.warn(
                f"{name}: input's size at dim={feature_dim} does not match num_features. You can "
                "silence this warning by not passing in num_features, which is not used because affine=False",
                stacklevel=2,
            )
        if x.ndim == unbatched:
            return self._normalise(x.unsqueeze(0)).squeeze(0)
        return self._normalise(x)

    def _normalise(self, x: Tensor) -> Tensor:
        return F.instance_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            use_input_stats=self.training or not self.track_running_stats,
            momentum=0.0 if self.momentum is None else self.momentum,
            eps=self.eps,
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, affine={self.affine}, "
            f"track_running_stats={self.track_running_stats}"
        )


class InstanceNorm1d(_InstanceNorm):
    """torch.nn.InstanceNorm1d: normalise each channel of (N, C, L) or unbatched (C, L) over L.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> out = nn.InstanceNorm1d(2)(jaring.tensor([[1.0, 3.0], [10.0, 30.0]]))  # (C, L)
        >>> out.numpy().round(4)
        array([[-1.,  1.],
               [-1.,  1.]], dtype=float32)
    """

    _spatial = 1


class InstanceNorm2d(_InstanceNorm):
    """torch.nn.InstanceNorm2d: normalise each channel of (N, C, H, W) or (C, H, W) over H and W.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> norm = nn.InstanceNorm2d(3, affine=True, track_running_stats=True)
        >>> norm(jaring.randn(2, 3, 4, 4, seed=0) + 5).shape, sorted(norm.state_dict())
        ((2, 3, 4, 4), ['bias', 'num_batches_tracked', 'running_mean', 'running_var', 'weight'])
        >>> bool((norm.running_mean.numpy() > 0.4).all())  # moved 10% of the way towards 5
        True
    """

    _spatial = 2


class InstanceNorm3d(_InstanceNorm):
    """torch.nn.InstanceNorm3d: normalise each channel of (N, C, D, H, W) or (C, D, H, W) over D, H, W.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.InstanceNorm3d(2)(jaring.randn(1, 2, 3, 4, 4, seed=0)).shape
        (1, 2, 3, 4, 4)
    """

    _spatial = 3
