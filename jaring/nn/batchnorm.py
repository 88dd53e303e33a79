"""BatchNorm2D: per-channel batch normalisation of images, with running statistics.

Momentum follows PyTorch: running = (1 - momentum) * running + momentum * batch, so
PyTorch's momentum=0.1 is Keras's momentum=0.9. Parameters and buffers carry PyTorch's
names (weight, bias, running_mean, running_var, num_batches_tracked), so state dicts load
into torch.nn.BatchNorm2d as they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.allocation import reserve
from jaring.autograd.tensor import Tensor
from jaring.nn.conv import check_data_format, from_nchw, to_nchw
from jaring.nn.module import Module, Parameter
from jaring.validation import check_bool, check_real


class BatchNorm2D(Module):
    """Normalise each channel over batch, height and width (train) or by running stats (eval).

    num_features=None learns the channel count from the first input. affine=False drops the
    learned scale (weight) and shift (bias).
    """

    def __init__(
        self,
        num_features: int | None = None,
        momentum: float = 0.1,
        eps: float = 1e-5,
        affine: bool = True,
        data_format: str = "channels_last",
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if num_features is not None and (
            isinstance(num_features, bool)
            or not isinstance(num_features, (int, np.integer))
            or num_features < 1
        ):
            raise ValueError(
                f"BatchNorm2D: num_features must be a positive integer or None, got {num_features!r}"
            )
        momentum = check_real("BatchNorm2D", "momentum", momentum, 0.0, 1.0)  # PyTorch's convention
        eps = check_real("BatchNorm2D", "eps", eps, 0.0, low_open=True)
        self.momentum, self.eps = momentum, eps
        self.affine = check_bool("BatchNorm2D", "affine", affine)
        self.data_format = check_data_format("BatchNorm2D", data_format)
        self._dtype = dtype
        self.num_features = None
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            self.register_buffer(name, None)
        if num_features is not None:
            self._create(int(num_features), dtype)

    def _create(self, channels: int, dtype: Any) -> None:
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        self.num_features = channels
        reserve((4 if self.affine else 2) * channels)
        if self.affine:
            self.weight = Parameter(np.ones(channels, dtype=dtype))
            self.bias = Parameter(np.zeros(channels, dtype=dtype))
        self.register_buffer("running_mean", np.zeros(channels, dtype=dtype))
        self.register_buffer("running_var", np.ones(channels, dtype=dtype))
        self.register_buffer("num_batches_tracked", np.zeros((), dtype=np.int64))

    def forward(self, x: Any) -> Tensor:
        x = to_nchw(self, x, self.data_format, self.num_features)
        if self.num_features is None:
            self._create(int(x.shape[1]), self._dtype)
            if backend.device_of(x.data) != "cpu":
                self.to(backend.device_of(x.data))
        if self.training:
            self.num_batches_tracked.data += 1
        out = F.batch_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            training=self.training,
            momentum=self.momentum,
            eps=self.eps,
        )
        return from_nchw(out, self.data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "num_features": self.num_features}

    def extra_repr(self) -> str:
        features = "?" if self.num_features is None else self.num_features
        return f"num_features={features}, momentum={self.momentum}, eps={self.eps}, affine={self.affine}"
