"""Flatten: merge every axis after the batch axis into one, in the tensor's own order.

A channels-last model's feature maps are (N, H, W, C), so Flatten yields Keras's order and
Keras Dense weights load unchanged; a channels-first model's are (N, C, H, W), PyTorch's order.
"""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module


class Flatten(Module):
    """(N, d1, d2, ...) -> (N, d1*d2*...); start_axis / end_axis choose other axes, as in torch."""

    def __init__(self, start_axis: int = 1, end_axis: int = -1) -> None:
        super().__init__()
        self.start_axis, self.end_axis = int(start_axis), int(end_axis)

    def forward(self, x: Any) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x)
        try:
            return F.flatten(x, self.start_axis, self.end_axis)
        except ValueError as exc:
            raise ValueError(
                f"Flatten({self.extra_repr()}) cannot flatten input of shape {x.shape}: {exc}"
            ) from None

    def extra_repr(self) -> str:
        return f"start_axis={self.start_axis}, end_axis={self.end_axis}"
