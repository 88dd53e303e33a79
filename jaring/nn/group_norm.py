"""torch.nn.GroupNorm: normalise the channels of (N, C, *) in groups, per sample, then scale and shift.

Unlike batch normalisation it keeps no running statistics and behaves the same in training and
evaluation, so it works with any batch size (detection and segmentation models use it with
batches of one or two). Its state dict is torch's: weight and bias of shape (C,).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.init import weight_dtype
from jaring.nn.module import Module, Parameter
from jaring.validation import check_bool, check_int, check_real


class GroupNorm(Module):
    """Split num_channels into num_groups groups and normalise each sample's group over its
    channels and positions; affine=True adds a per-channel weight (ones) and bias (zeros).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> norm = nn.GroupNorm(2, 6)  # 2 groups of 3 channels
        >>> out = norm(jaring.randn(4, 6, 8, 8, seed=0) * 3 + 1)
        >>> out.shape, sorted(norm.state_dict())
        ((4, 6, 8, 8), ['bias', 'weight'])
        >>> round(float(out.numpy()[0, :3].mean()), 5), round(float(out.numpy()[0, :3].std()), 3)
        (0.0, 1.0)
    """

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        dtype: Any = None,
        *,
        bias: bool = True,
    ) -> None:
        super().__init__()
        self.num_groups = check_int("GroupNorm", "num_groups", num_groups, 1)
        self.num_channels = check_int("GroupNorm", "num_channels", num_channels, 1)
        if self.num_channels % self.num_groups:
            raise ValueError(
                f"num_channels ({self.num_channels}) must be divisible by num_groups ({self.num_groups})"
            )
        self.eps = check_real("GroupNorm", "eps", eps, 0.0, low_open=True)
        self.affine = check_bool("GroupNorm", "affine", affine)
        bias = check_bool("GroupNorm", "bias", bias)
        dtype = weight_dtype(dtype)
        channels = self.num_channels
        self.register_parameter("weight", Parameter(np.ones(channels, dtype)) if affine else None)
        self.register_parameter("bias", Parameter(np.zeros(channels, dtype)) if affine and bias else None)

    def forward(self, x: Any) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x)
        if x.ndim < 2 or x.shape[1] != self.num_channels:
            raise ValueError(
                f"GroupNorm({self.extra_repr()}) expected input (N, C, *) with C = {self.num_channels}, "
                f"got shape {x.shape}"
            )
        return F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
