"""Image layouts at a layer's edge: channels-last (Keras) or channels-first (PyTorch) to NCHW and back.

Conv2D, the pooling layers and BatchNorm2D take either layout and compute in NCHW inside.
"""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module

DATA_FORMATS = ("channels_last", "channels_first")


def check_data_format(layer: str, data_format: str) -> str:
    """The data format, or an error listing the two valid ones."""
    if data_format not in DATA_FORMATS:
        raise ValueError(f"{layer}: data_format must be one of {DATA_FORMATS}, got {data_format!r}")
    return data_format


def to_nchw(layer: Module, x: Any, data_format: str, channels: int | None = None) -> Tensor:
    """A 4-D input in the layer's data format as an NCHW tensor (a view), with clear shape errors."""
    x = x if isinstance(x, Tensor) else Tensor(x)
    layout = "(N, H, W, C)" if data_format == "channels_last" else "(N, C, H, W)"
    name = f"{type(layer).__name__}({layer.extra_repr()})"
    if x.ndim != 4:
        raise ValueError(f"{name} expected input of shape {layout}, got {x.shape}")
    received = x.shape
    if data_format == "channels_last":
        x = F.permute(x, (0, 3, 1, 2))
    if channels is not None and x.shape[1] != channels:
        raise ValueError(
            f"{name} expected {channels} input channels, i.e. shape {layout.replace('C', f'C={channels}')} "
            f"(data_format={data_format!r}), got shape {received}"
        )
    return x


def from_nchw(x: Tensor, data_format: str) -> Tensor:
    """An NCHW result back in the layer's data format."""
    return F.permute(x, (0, 2, 3, 1)) if data_format == "channels_last" else x
