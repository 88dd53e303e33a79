"""PyTorch-style batch normalisation: BatchNorm1d on (N, C) or (N, C, L), BatchNorm2d on (N, C, H, W).

They take torch.nn's words and conventions: num_features, eps, `momentum` as the weight of the
new batch (0.1; None for a cumulative average over all batches), affine, track_running_stats,
and torch's state dict (weight, bias, running_mean, running_var, num_batches_tracked), so
`load_state_dict` takes a torch model's state dict as it is. The Keras-style BatchNorm2D
(momentum as the weight of the running average, channels-last images, input size learned at
the first call) is the other spelling of the same computation; both run F.batch_norm.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module, Parameter
from jaring.validation import check_bool, check_real


class _BatchNormTorch(Module):
    """Parameters, buffers and the forward pass shared by BatchNorm1d and BatchNorm2d."""

    _dims: tuple = ()
    _layout = ""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        if (
            isinstance(num_features, bool)
            or not isinstance(num_features, (int, np.integer))
            or num_features < 1
        ):
            raise ValueError(f"{name}: num_features must be a positive integer, got {num_features!r}")
        self.num_features = int(num_features)
        self.eps = check_real(name, "eps", eps, 0.0, low_open=True)
        self.momentum = None if momentum is None else check_real(name, "momentum", momentum, 0.0, 1.0)
        self.affine = check_bool(name, "affine", affine)
        self.track_running_stats = check_bool(name, "track_running_stats", track_running_stats)
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        channels = self.num_features
        self.register_parameter("weight", Parameter(np.ones(channels, dtype)) if affine else None)
        self.register_parameter("bias", Parameter(np.zeros(channels, dtype)) if affine else None)
        tracked = self.track_running_stats
        self.register_buffer("running_mean", np.zeros(channels, dtype) if tracked else None)
        self.register_buffer("running_var", np.ones(channels, dtype) if tracked else None)
        self.register_buffer("num_batches_tracked", np.zeros((), np.int64) if tracked else None)

    def reset_running_stats(self) -> None:
        """Running mean 0, running variance 1 and no batches counted, as after construction."""
        if self.track_running_stats:
            self.running_mean.data[...] = 0
            self.running_var.data[...] = 1
            self.num_batches_tracked.data[...] = 0

    def forward(self, x: Any) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x, dtype=self.running_dtype())
        if x.ndim not in self._dims or x.shape[1] != self.num_features:
            raise ValueError(
                f"{type(self).__name__}({self.num_features}) expected input {self._layout} with "
                f"C = {self.num_features}, got shape {x.shape}"
            )
        momentum = 0.0 if self.momentum is None else self.momentum
        if self.training and self.track_running_stats:
            self.num_batches_tracked.data += 1
            if self.momentum is None:  # torch's cumulative moving average
                momentum = 1.0 / float(self.num_batches_tracked.data)
        # torch normalises by the batch's statistics in training, and always when it keeps none
        use_batch = self.training or not self.track_running_stats
        keep = not self.training or self.track_running_stats
        return F.batch_norm(
            x,
            self.running_mean if keep else None,
            self.running_var if keep else None,
            self.weight,
            self.bias,
            training=use_batch,
            momentum=momentum,
            eps=self.eps,
        )

    def running_dtype(self) -> Any:
        """The dtype that plain arrays are converted to: that of the weights or running stats."""
        for array in (self.weight, self.running_mean):
            if array is not None:
                return array.dtype
        return backend.get_default_dtype()


class BatchNorm1d(_BatchNormTorch):
    """torch.nn.BatchNorm1d: normalise each feature C of (N, C) or (N, C, L) over the batch.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> norm = nn.BatchNorm1d(3)
        >>> out = norm(jaring.randn(16, 3, seed=0) * 5 + 2)  # training: batch statistics
        >>> [round(v, 4) for v in out.numpy().mean(axis=0).tolist()]
        [0.0, 0.0, -0.0]
        >>> norm.running_mean.shape, int(norm.num_batches_tracked.item())
        ((3,), 1)
    """

    _dims = (2, 3)
    _layout = "(N, C) or (N, C, L)"


class BatchNorm2d(_BatchNormTorch):
    """torch.nn.BatchNorm2d: normalise each channel C of (N, C, H, W) over batch, height and width.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> norm = nn.BatchNorm2d(8).eval()  # evaluation: the running statistics (0 and 1 at first)
        >>> norm(jaring.ones(2, 8, 4, 4)).shape
        (2, 8, 4, 4)
    """

    _dims = (4,)
    _layout = "(N, C, H, W)"
