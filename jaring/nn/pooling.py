"""Pooling layers with Keras's arguments: MaxPool2D, AvgPool2D, GlobalMaxPool2D, GlobalAvgPool2D.

Like Conv2D they take `data_format` ("channels_last", Keras's default, or "channels_first")
and pool in NCHW inside. AvgPool2D(padding="same") averages over the real pixels only, as
Keras does (F.avg_pool2d's count_include_pad=False); PyTorch's functional default counts the
padded zeros. Keras's long names (MaxPooling2D, ...) are aliases.
"""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.layout import check_data_format, from_nchw, to_nchw
from jaring.nn.module import Module
from jaring.ops.geometry import pair


class _Pool2D(Module):
    """Shared arguments and checks of the windowed pooling layers."""

    def __init__(
        self,
        pool_size: int | tuple = 2,
        strides: int | tuple | None = None,
        padding: str = "valid",
        data_format: str = "channels_last",
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.pool_size = pair(pool_size, f"{name} pool_size")
        self.strides = self.pool_size if strides is None else pair(strides, f"{name} strides")
        if not isinstance(padding, str) or padding.lower() not in ("valid", "same"):
            raise ValueError(f"{name}: padding must be 'valid' or 'same', got {padding!r}")
        self.padding = padding.lower()
        self.data_format = check_data_format(name, data_format)

    def extra_repr(self) -> str:
        text = f"pool_size={self.pool_size}"
        if self.strides != self.pool_size:
            text += f", strides={self.strides}"
        return text + (f", padding={self.padding!r}" if self.padding != "valid" else "")


class MaxPool2D(_Pool2D):
    """Maximum over each pool_size window, moving by strides (default: pool_size).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.MaxPool2D(2)(jaring.ones(1, 4, 4, 3)).shape
        (1, 2, 2, 3)
    """

    def forward(self, x: Any) -> Tensor:
        x = to_nchw(self, x, self.data_format)
        out = F.max_pool2d(x, self.pool_size, self.strides, self.padding)
        return from_nchw(out, self.data_format)


class AvgPool2D(_Pool2D):
    """Mean over each pool_size window; with padding="same" the padded pixels do not count.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.AvgPool2D(2)(jaring.arange(16.0).reshape(1, 4, 4, 1)).numpy()[0, :, :, 0]
        array([[ 2.5,  4.5],
               [10.5, 12.5]], dtype=float32)
    """

    def forward(self, x: Any) -> Tensor:
        x = to_nchw(self, x, self.data_format)
        out = F.avg_pool2d(x, self.pool_size, self.strides, self.padding, count_include_pad=False)
        return from_nchw(out, self.data_format)


class GlobalMaxPool2D(Module):
    """Maximum over height and width: one value per channel, output (N, C).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.GlobalMaxPool2D()(jaring.ones(2, 5, 5, 4)).shape
        (2, 4)
    """

    def __init__(self, data_format: str = "channels_last") -> None:
        super().__init__()
        self.data_format = check_data_format("GlobalMaxPool2D", data_format)

    def forward(self, x: Any) -> Tensor:
        return F.global_max_pool2d(to_nchw(self, x, self.data_format))


class GlobalAvgPool2D(Module):
    """Mean over height and width: one value per channel, output (N, C).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.GlobalAvgPool2D()(jaring.ones(2, 5, 5, 4)).shape
        (2, 4)
    """

    def __init__(self, data_format: str = "channels_last") -> None:
        super().__init__()
        self.data_format = check_data_format("GlobalAvgPool2D", data_format)

    def forward(self, x: Any) -> Tensor:
        return F.global_avg_pool2d(to_nchw(self, x, self.data_format))


MaxPooling2D = MaxPool2D
AveragePooling2D = AvgPool2D
GlobalMaxPooling2D = GlobalMaxPool2D
GlobalAveragePooling2D = GlobalAvgPool2D
