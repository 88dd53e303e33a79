"""PyTorch-style 1-D pooling layers on (N, C, L) or unbatched (C, L): MaxPool1d, AvgPool1d and the
adaptive AdaptiveAvgPool1d and AdaptiveMaxPool1d (the output length given, the windows derived).

They take torch.nn's arguments in its order and hold no weights; the work is in
jaring/ops/pool1d.py.
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.ops import pool1d as F


class MaxPool1d(Module):
    """torch.nn.MaxPool1d: max over each window of L; with return_indices, (values, indices).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.tensor([[[1.0, 3.0, 2.0, 5.0, 4.0, 0.0]]])  # (N, C, L)
        >>> nn.MaxPool1d(2)(x).tolist()
        [[[3.0, 5.0, 4.0]]]
        >>> nn.MaxPool1d(3, stride=2, padding=1)(jaring.ones(2, 16, 50)).shape
        (2, 16, 25)
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
        return F.max_pool1d(
            x, self.kernel_size, self.stride, self.padding, self.dilation, self.ceil_mode, self.return_indices
        )

    def extra_repr(self) -> str:
        stride = self.kernel_size if self.stride is None else self.stride
        return (
            f"kernel_size={self.kernel_size}, stride={stride}, padding={self.padding}, "
            f"dilation={self.dilation}, ceil_mode={self.ceil_mode}"
        )


class AvgPool1d(Module):
    """torch.nn.AvgPool1d: mean over each window of L (count_include_pad=True counts padded zeros).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.AvgPool1d(2)(jaring.tensor([[[1.0, 3.0, 2.0, 6.0]]])).tolist()
        [[[2.0, 4.0]]]
    """

    def __init__(
        self,
        kernel_size: int | tuple,
        stride: int | tuple | None = None,
        padding: int | tuple = 0,
        ceil_mode: bool = False,
        count_include_pad: bool = True,
    ) -> None:
        super().__init__()
        self.kernel_size, self.stride, self.padding = kernel_size, stride, padding
        self.ceil_mode, self.count_include_pad = bool(ceil_mode), bool(count_include_pad)

    def forward(self, x: Any) -> Tensor:
        return F.avg_pool1d(
            x, self.kernel_size, self.stride, self.padding, self.ceil_mode, self.count_include_pad
        )

    def extra_repr(self) -> str:
        stride = self.kernel_size if self.stride is None else self.stride
        return f"kernel_size={self.kernel_size}, stride={stride}, padding={self.padding}"


class AdaptiveAvgPool1d(Module):
    """torch.nn.AdaptiveAvgPool1d: mean over windows chosen so that L becomes `output_size`.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.AdaptiveAvgPool1d(1)(jaring.ones(2, 8, 13)).shape  # global average over L
        (2, 8, 1)
    """

    def __init__(self, output_size: int | tuple) -> None:
        super().__init__()
        self.output_size = output_size

    def forward(self, x: Any) -> Tensor:
        return F.adaptive_avg_pool1d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(Module):
    """torch.nn.AdaptiveMaxPool1d: max over windows chosen so that L becomes `output_size`.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.AdaptiveMaxPool1d(2)(jaring.tensor([[[1.0, 3.0, 2.0, 6.0, 4.0]]])).tolist()
        [[[3.0, 6.0]]]
    """

    def __init__(self, output_size: int | tuple, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size, self.return_indices = output_size, bool(return_indices)

    def forward(self, x: Any) -> Tensor | tuple:
        return F.adaptive_max_pool1d(x, self.output_size, self.return_indices)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
