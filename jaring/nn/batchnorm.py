"""BatchNorm2D: per-channel batch normalisation of images, with running statistics.

A Keras-style layer, so it takes Keras's words and meanings: momentum is the weight of the old
running value, running = momentum * running + (1 - momentum) * batch (Keras's momentum=0.9 is
PyTorch's 0.1, the default here); epsilon; center (the learned shift, bias) and scale (the
learned factor, weight). Parameters and buffers carry PyTorch's names (weight, bias,
running_mean, running_var, num_batches_tracked), so state dicts load into torch.nn.BatchNorm2d
as they are.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.allocation import reserve
from jaring.autograd.tensor import Tensor
from jaring.nn.layout import check_data_format, from_nchw, to_nchw
from jaring.nn.module import Module, Parameter
from jaring.nn.renamed import Renamed
from jaring.validation import check_bool, check_real


class BatchNorm2D(Module):
    """Normalise each channel over batch, height and width (train) or by running stats (eval).

    input_dim is the number of channels (the feature axis; the name every lazy layer uses,
    PyTorch's num_features); None learns it from the first input. The old keyword and attribute
    `num_features` still work for one release, with a DeprecationWarning. scale=False drops the
    learned factor (weight), center=False the learned shift (bias).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> norm = nn.BatchNorm2D()
        >>> out = norm(jaring.randn(8, 4, 4, 3, seed=0))
        >>> out.shape, norm.input_dim
        ((8, 4, 4, 3), 3)
    """

    num_features = Renamed("input_dim")

    def __init__(
        self,
        input_dim: int | None = None,
        momentum: float = 0.9,
        epsilon: float = 1e-5,
        center: bool = True,
        scale: bool = True,
        data_format: str = "channels_last",
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if input_dim is not None and (
            isinstance(input_dim, bool) or not isinstance(input_dim, (int, np.integer)) or input_dim < 1
        ):
            raise ValueError(f"BatchNorm2D: input_dim must be a positive integer or None, got {input_dim!r}")
        self.momentum = check_real("BatchNorm2D", "momentum", momentum, 0.0, 1.0)  # Keras's convention
        self.epsilon = check_real("BatchNorm2D", "epsilon", epsilon, 0.0, low_open=True)
        self.center = check_bool("BatchNorm2D", "center", center)
        self.scale = check_bool("BatchNorm2D", "scale", scale)
        self.data_format = check_data_format("BatchNorm2D", data_format)
        self._dtype = dtype
        self.input_dim = None
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        for name in ("running_mean", "running_var", "num_batches_tracked"):
            self.register_buffer(name, None)
        if input_dim is not None:
            self._create(int(input_dim), dtype)

    def _create(self, channels: int, dtype: Any) -> None:
        dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
        self.input_dim = channels
        reserve((2 + self.scale + self.center) * channels)
        if self.scale:
            self.weight = Parameter(np.ones(channels, dtype=dtype))
        if self.center:
            self.bias = Parameter(np.zeros(channels, dtype=dtype))
        self.register_buffer("running_mean", np.zeros(channels, dtype=dtype))
        self.register_buffer("running_var", np.ones(channels, dtype=dtype))
        self.register_buffer("num_batches_tracked", np.zeros((), dtype=np.int64))

    @property
    def built(self) -> bool:
        """True once the statistics and weights exist (input_dim given, or learned from the input)."""
        return self.input_dim is not None

    def forward(self, x: Any) -> Tensor:
        x = to_nchw(self, x, self.data_format, self.input_dim)
        if self.input_dim is None:
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
            momentum=1.0 - self.momentum,  # the op takes PyTorch's momentum, the weight of the batch
            eps=self.epsilon,
        )
        return from_nchw(out, self.data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "input_dim": self.input_dim}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "BatchNorm2D":
        """Also reads files saved with PyTorch's words (momentum of the batch, eps, affine)."""
        config = dict(config)
        if "eps" in config or "affine" in config:
            config["momentum"] = 1.0 - config.pop("momentum", 0.1)
            config["epsilon"] = config.pop("eps", 1e-5)
            config["center"] = config["scale"] = config.pop("affine", True)
        return super().from_config(config)

    def extra_repr(self) -> str:
        features = "?" if self.input_dim is None else self.input_dim
        flags = "" if self.center and self.scale else f", center={self.center}, scale={self.scale}"
        return f"input_dim={features}, momentum={self.momentum}, epsilon={self.epsilon}{flags}"
