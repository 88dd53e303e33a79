"""Conv2D, the Keras-style 2-D convolution layer, on channels-last or channels-first images.

`data_format="channels_last"` (Keras's default) takes and returns (N, H, W, C);
`"channels_first"` (PyTorch's habit) takes and returns (N, C, H, W). Inside, everything is
NCHW: the layer converts at its edges with free transposed views, and the weight is stored
in PyTorch's layout (filters, channels, kh, kw) whatever the data format, so state dicts
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
from jaring.nn.renamed import Renamed
from jaring.ops.geometry import check_window, pair, resolve_padding
from jaring.random import get_rng
from jaring.validation import check_bool


class Conv2D(Module):
    """2-D convolution with Keras's arguments: `filters` outputs, `kernel_size` int or pair.

    padding: "valid" (none), "same" (output ceil(size / stride), TensorFlow's rule: the odd
    pixel goes to the bottom/right), an int or a pair (symmetric, PyTorch's habit).
    input_dim is the number of input channels (the feature axis; the name every lazy layer uses,
    PyTorch's in_channels). When None the weights are created on the first call (or by
    `model.build(input_shape)`); the old keyword and attribute `in_channels` still work for one
    release, with a DeprecationWarning. kernel_initializer / bias_initializer: a name or a callable
    from jaring.nn.init; fans are computed from the PyTorch-layout weight shape.
    activation="relu" runs inside the convolution op (F.conv2d(..., relu=True)), which saves a
    pass over the output and an array per layer in training. groups splits the channels as in
    Keras and PyTorch: weight (filters, input_dim / groups, kh, kw); groups == input_dim ==
    filters is a depthwise convolution.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> conv = nn.Conv2D(8, 3, padding="same", activation="relu", seed=0)
        >>> conv(jaring.ones(2, 28, 28, 1)).shape
        (2, 28, 28, 8)
    """

    in_channels = Renamed("input_dim")

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
        input_dim: int | None = None,
        seed: Any = None,
        dtype: Any = None,
        groups: int = 1,
    ) -> None:
        super().__init__()
        if isinstance(filters, bool) or not isinstance(filters, (int, np.integer)) or filters < 1:
            raise ValueError(f"Conv2D: filters must be a positive integer, got {filters!r}")
        if input_dim is not None and (
            isinstance(input_dim, bool) or not isinstance(input_dim, (int, np.integer)) or input_dim < 1
        ):
            raise ValueError(f"Conv2D: input_dim must be a positive integer or None, got {input_dim!r}")
        if isinstance(groups, bool) or not isinstance(groups, (int, np.integer)) or groups < 1:
            raise ValueError(f"Conv2D: groups must be a positive integer, got {groups!r}")
        if filters % groups:
            raise ValueError(f"Conv2D: filters ({filters}) must divide by groups ({groups})")
        self.filters, self.groups = int(filters), int(groups)
        self.kernel_size = pair(kernel_size, "Conv2D kernel_size")
        self.strides = pair(strides, "Conv2D strides")
        self.dilation = pair(dilation, "Conv2D dilation")
        if isinstance(padding, str) and padding.lower() not in ("valid", "same"):
            raise ValueError(f"Conv2D: padding must be 'valid', 'same', an int or a pair, got {padding!r}")
        self.padding = padding.lower() if isinstance(padding, str) else pair(padding, "Conv2D padding", 0)
        self.data_format = check_data_format("Conv2D", data_format)
        self.use_bias = check_bool("Conv2D", "use_bias", use_bias)
        self.activation = get_activation(activation)
        self._kernel_init = init.resolve(kernel_initializer, argument="Conv2D kernel_initializer")
        self._bias_init = init.resolve(bias_initializer, argument="Conv2D bias_initializer")
        self._rng, self._dtype = get_rng(seed), dtype
        self.input_dim = None
        self.register_parameter("weight", None)
        self.register_parameter("bias", None)
        if input_dim is not None:
            self._create(int(input_dim), dtype)

    def _create(self, channels: int, dtype: Any) -> None:
        if channels % self.groups:
            raise ValueError(f"Conv2D: input_dim ({channels} channels) must divide by groups ({self.groups})")
        self.input_dim = channels
        shape = (self.filters, channels // self.groups) + self.kernel_size
        self.weight = Parameter(self._kernel_init(shape, seed=self._rng, dtype=dtype))
        if self.use_bias:
            self.bias = Parameter(self._bias_init((self.filters,), seed=self._rng, dtype=dtype))

    @property
    def built(self) -> bool:
        """True once the weights exist (input_dim given, or learned from the first input)."""
        return self.input_dim is not None

    def forward(self, x: Any) -> Tensor:
        """The convolution, then the activation."""
        x = to_nchw(self, x, self.data_format, self.input_dim)
        if self.input_dim is None:
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
            out = F.conv2d(
                x, self.weight, self.bias, self.strides, padding, self.dilation, self.groups, relu=True
            )
        else:
            out = self.activation(
                F.conv2d(x, self.weight, self.bias, self.strides, padding, self.dilation, self.groups)
            )
        return from_nchw(out, self.data_format)

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "input_dim": self.input_dim}

    def extra_repr(self) -> str:
        channels = "?" if self.input_dim is None else self.input_dim
        text = f"filters={self.filters}, kernel_size={self.kernel_size}, input_dim={channels}"
        if self.strides != (1, 1):
            text += f", strides={self.strides}"
        if self.padding != "valid":
            text += f", padding={self.padding!r}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text
