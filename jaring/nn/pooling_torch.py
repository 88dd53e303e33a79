"""PyTorch-style pooling layers on (N, C, H, W): MaxPool2d, AvgPool2d, MaxUnpool2d, and the
adaptive AdaptiveAvgPool2d and AdaptiveMaxPool2d (the output size given, the windows derived).

They take torch.nn's arguments in its order (kernel_size, stride, padding, dilation,
return_indices, ceil_mode, ...); the Keras-style MaxPool2D and AvgPool2D (pool_size, strides,
data_format) stay in jaring/nn/pooling.py.
"""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.ops.pool_adaptive import resolve_output_size


class MaxPool2d(Module):
    """torch.nn.MaxPool2d: max over each window; with return_indices, (values, indices).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.arange(16.0).reshape(1, 1, 4, 4)  # (N, C, H, W)
        >>> nn.MaxPool2d(2)(x).numpy()
        array([[[[ 5.,  7.],
                 [13., 15.]]]], dtype=float32)
        >>> nn.MaxPool2d(3, stride=2, padding=1)(jaring.ones(2, 3, 32, 32)).shape
        (2, 3, 16, 16)
    """

    def __init__(
        self,
        kernel_size: int | tuple,
        stride: int | tuple | None = None,
        padding: int | tuple = 0,
        dilation: int | tuple = 1,
        return_indices: bool = False,
        ceil_mode: bool = False,
    ) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding, self.dilation = kernel_size, stride, padding, dilation
        self.return_indices, self.ceil_mode = bool(return_indices), bool(ceil_mode)

    def forward(self, x: Any) -> Tensor | tuple:
        return F.max_pool2d(
            x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode, self.return_indices
        )


class AvgPool2d(Module):
    """torch.nn.AvgPool2d: mean over each window (count_include_pad=True counts padded zeros).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.arange(16.0).reshape(1, 1, 4, 4)  # (N, C, H, W)
        >>> nn.AvgPool2d(2)(x).numpy()
        array([[[[ 2.5,  4.5],
                 [10.5, 12.5]]]], dtype=float32)
    """

    def __init__(
        self,
        kernel_size: int | tuple,
        stride: int | tuple | None = None,
        padding: int | tuple = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
        divisor_override: int | None = None,
    ) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad = bool(ceil_mode), bool(count_include_pad)
        self.divisor_override = divisor_override

    def forward(self, x: Any) -> Tensor:
        return F.avg_pool2d(
            x,
            self.kernel_size,
            self.stride,
            self.padding,
            self.ceil_mode,
            self.count_include_pad,
            self.divisor_override,
        )


class MaxUnpool2d(Module):
    """torch.nn.MaxUnpool2d: forward(input, indices, output_size=None) puts values back.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.arange(16.0).reshape(1, 1, 4, 4)  # (N, C, H, W)
        >>> pooled, indices = nn.MaxPool2d(2, return_indices=True)(x)
        >>> nn.MaxUnpool2d(2)(pooled, indices).numpy()  # zeros except at each maximum
        array([[[[ 0.,  0.,  0.,  0.],
                 [ 0.,  5.,  0.,  7.],
                 [ 0.,  0.,  0.,  0.],
                 [ 0., 13.,  0., 15.]]]], dtype=float32)
    """

    def __init__(
        self, kernel_size: int | tuple, stride: int | tuple | None = None, padding: int | tuple = 0
    ) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding

    def forward(self, x: Any, indices: Any, output_size: Any = None) -> Tensor:
        return F.max_unpool2d(x, indices, self.kernel_size, self.stride, self.padding, output_size)


class AdaptiveAvgPool2d(Module):
    """torch.nn.AdaptiveAvgPool2d: mean over windows chosen so the output is `output_size`.

    output_size: an int or a pair (None keeps that axis); AdaptiveAvgPool2d(1) is global
    average pooling that keeps (N, C, 1, 1), as at the end of a ResNet.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.AdaptiveAvgPool2d((1, 1))(jaring.ones(2, 64, 7, 7)).shape
        (2, 64, 1, 1)
    """

    def __init__(self, output_size: int | tuple) -> None:
        super().__init__()
        self.output_size = output_size
        resolve_output_size("AdaptiveAvgPool2d", output_size, (1, 1))  # checks it

    def forward(self, x: Any) -> Tensor:
        return F.adaptive_avg_pool2d(x, self.output_size)


class AdaptiveMaxPool2d(Module):
    """torch.nn.AdaptiveMaxPool2d: max over windows chosen so the output is `output_size`.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.AdaptiveMaxPool2d(2)(jaring.arange(16.0).reshape(1, 1, 4, 4)).tolist()
        [[[[5.0, 7.0], [13.0, 15.0]]]]
    """

    def __init__(self, output_size: int | tuple) -> None:
        super().__init__()
        self.output_size = output_size
        resolve_output_size("AdaptiveMaxPool2d", output_size, (1, 1))  # checks it

    def forward(self, x: Any) -> Tensor:
        return F.adaptive_max_pool2d(x, self.output_size)
