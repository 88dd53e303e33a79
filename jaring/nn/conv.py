"""Conv2D, the Keras-style 2-D convolution layer, on channels-last or channels-first images.

`data_format="channels_last"` (Keras's default) takes and returns (N, H, W, C);
`"channels_first"` (PyTorch's habit) takes and returns (N, C, H, W). Inside, everything is
NCHW: the layer converts at its edges with free transposed views, and the weight is stored
in PyTorch's layout (filters, in_channels, kh, kw) whatever the data format, so state dicts
load into torch.nn.Conv2d as they are.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.activation import ReLU, get_activation
from jaring.nn.layout import check_data_format, from_nchw, to_nchw
from jaring.nn.module import Module, Parameter
from jaring.ops.geometry import check_window, pair, resolve_padding
from jaring.random import get_rng
from jaring.validation import check_bool


class Conv2D(Module):
    """2-D convolution with Keras's arguments: `filters` outputs, `kernel_size` int or pair.

    padding: "valid" (none), "same" (output ceil(size / stride), TensorFlow's rule: the odd
    pixel goes to the bottom/right), an int or a pair (symmetric, PyTorch's habit).
    When in_channels is None the weights are created on the first call (or by
    `model.build(input_shape)`). kernel_initializer / bias_initializer: a name or a callable
    from jaring.nn.init; fans are computed from the PyTorch-layout weight shape.
    activation="relu" runs inside the convolution op (F.conv2d(..., relu=True)), which saves a
    pass over the output and an array per layer in training.
    """

    def __init__(
        self,
        filters: int,
        kernel_size: int | tuple,
        strides: int | tuple = 1,
        padding: str | int | tuple = "valid",
        dilation: int | tuple = 1,
        use_bias: bool = True,
        activation: Any = None,
        kernel_initializer: str | Callable = "glorot_uniform",
        bias_initializer: str | Callable = "zeros",
        data_format: str = "channels_last",
        in_channels: int | None = None,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if isinstance(filters, bool) or not isinstance(filters, (int, np.integer)) or filters < 1:
            raise ValueError(f"Conv2D: filters must be a positive integer, got {filters!r}")
        if in_channels is not None and (not isinstance(in_channels, (int, np.integer)) or in_channels < 1):
            raise ValueError(f"Conv2D: in_channels must be a positive integer or None, got {in_channels!r}")
        self.filters = int(filters)
        self.kernel_size = pair(kernel_size, "Conv2D kernel_size")
        self.strides = pair(strides, "Conv2D strides")
        self.dilation = pair(dilation, "Conv2D dilation")
        if isinstance(padding, str) and padding.lower() not in ("valid", "same"):
            raise ValueError(f"Conv2D: padding must be 'valid', 'same', an int or a pair, got {padding!r}")
        self.padding = padding.lower() if isinstance(padding, str) else pair(padding, "Conv2D padding", 0)
        self.data_format = check_data_format("Conv2D", data_format)
        self.use_bias = check_bool("Conv2D", "use_bias", use_bias)
        self.activation = get_activation(activation)
        self._kernel_init = init.resolve(kernel_initializer)
        self._bias_init = init.resolve(bias_initializer)
        self._rng, self._dtype = get_rng(seed), dtype
        self.in_channels = None
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        if in_channels is not None:
            self._create(int(in_channels), dtype)

    def _create(self, in_channels: int, dtype: Any) -> None:
        self.in_channels = in_channels
        shape = (self.filters, in_channels) + self.kernel_size
        self.weight = Parameter(self._kernel_init(shape, seed=self._rng, dtype=dtype))
        if self.use_bias:
            self.bias = Parameter(self._bias_init((self.filters,), seed=self._rng, dtype=dtype))

    @property
    def built(self) -> bool:
        """True once the weights exist (in_channels given, or learned from the first input)."""
        return self.in_channels is not None

    def forward(self, x: Any) -> Tensor:
        """The convolution, then the activation."""
        x = to_nchw(self, x, self.data_format, self.in_channels)
        if self.in_channels is None:
            self._create(int(x.shape[1]), self._dtype)
            if backend.device_of(x.data) != "cpu":
                self.to(backend.device_of(x.data))
        if x.dtype != self.weight.dtype:
            x = F.cast(x, self.weight.dtype)
        padding = resolve_padding(self.padding, self.kernel_size, self.strides, self.dilation, x.shape[2:])
        check_window(
            f"{type(self).__name__}({self.extra_repr()})", x.shape, self.kernel_size, padding, self.dilation
        )
        if type(self.activation) is ReLU:  # one fused op instead of conv then ReLU
            out = F.conv2d(x, self.weight, self.bias, self.strides, padding, self.dilation, relu=True)
        else:
            out = self.activation(F.conv2d(x, self.weight, self.bias, self.strides, padding, self.dilation))
        return from_nchw(out, self.data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "in_channels": self.in_channels}

    def extra_repr(self) -> str:
        channels = "?" if self.in_channels is None else self.in_channels
        text = f"filters={self.filters}, kernel_size={self.kernel_size}, in_channels={channels}"
        if self.strides != (1, 1):
            text += f", strides={self.strides}"
        if self.padding != "valid":
            text += f", padding={self.padding!r}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        return text
