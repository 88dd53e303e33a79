"""Flatten: merge every axis after the batch axis into one, in the tensor's own order.

A channels-last model's feature maps are (N, H, W, C), so Flatten yields Keras's order and
Keras Dense weights load unchanged; a channels-first model's are (N, C, H, W), PyTorch's order.
"""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.validation import check_int


class Flatten(Module):
    """(N, d1, d2, ...) -> (N, d1*d2*...); start_dim / end_dim choose other axes, as in torch.

    Keras's Flatten takes no axes, so the choice of axes takes PyTorch's words.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Flatten()(jaring.ones(2, 3, 4)).shape
        (2, 12)
    """

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = check_int("Flatten", "start_dim", start_dim)
        self.end_dim = check_int("Flatten", "end_dim", end_dim)

    def forward(self, x: Any) -> Tensor:
        x = x if isinstance(x, Tensor) else Tensor(x)
        try:
            return F.flatten(x, self.start_dim, self.end_dim)
        except ValueError as exc:
            raise ValueError(
                f"Flatten({self.extra_repr()}) cannot flatten input of shape {x.shape}: {exc}"
            ) from None

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Flatten":
        """Also reads files saved when the axes were called start_axis and end_axis."""
        config = dict(config)
        for old, new in (("start_axis", "start_dim"), ("end_axis", "end_dim")):
            if old in config:
                config[new] = config.pop(old)
        return super().from_config(config)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"
