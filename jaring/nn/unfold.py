"""torch.nn.Unfold and torch.nn.Fold: im2col and col2im as layers, with torch's arguments.

Unfold turns (N, C, H, W) into (N, C * kh * kw, L) columns of sliding windows; Fold sums such
columns back into (N, C, *output_size). The work is in jaring/ops/unfold.py.
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.ops import unfold as F


class Unfold(Module):
    """torch.nn.Unfold: sliding windows of (N, C, H, W) as columns, (N, C * kh * kw, L).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Unfold(kernel_size=(2, 3))(jaring.ones(2, 5, 3, 4)).shape  # 5 * 2 * 3 rows, 2 * 2 windows
        (2, 30, 4)
    """

    def __init__(
        self,
        kernel_size: int | tuple,
        dilation: int | tuple = 1,
        padding: int | tuple = 0,
        stride: int | tuple = 1,
    ) -> None:
        super().__init__()
        self.kernel_size, self.dilation, self.padding, self.stride = kernel_size, dilation, padding, stride

    def forward(self, x: Any) -> Tensor:
        return F.unfold(x, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"kernel_size={self.kernel_size}, dilation={self.dilation}, padding={self.padding}, "
            f"stride={self.stride}"
        )


class Fold(Module):
    """torch.nn.Fold: columns (N, C * kh * kw, L) summed back into (N, C, *output_size).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> fold = nn.Fold(output_size=(4, 5), kernel_size=(2, 2))
        >>> fold(jaring.ones(1, 3 * 2 * 2, 12)).shape
        (1, 3, 4, 5)
    """

    def __init__(
        self,
        output_size: int | tuple,
        kernel_size: int | tuple,
        dilation: int | tuple = 1,
        padding: int | tuple = 0,
        stride: int | tuple = 1,
    ) -> None:
        super().__init__()
        self.output_size, self.kernel_size = output_size, kernel_size
        self.dilation, self.padding, self.stride = dilation, padding, stride

    def forward(self, x: Any) -> Tensor:
        return F.fold(x, self.output_size, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (
            f"output_size={self.output_size}, kernel_size={self.kernel_size}, dilation={self.dilation}, "
            f"padding={self.padding}, stride={self.stride}"
        )
