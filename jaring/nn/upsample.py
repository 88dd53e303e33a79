"""Upsample, PyTorch's resizing layer: F.interpolate with fixed size or scale_factor and mode."""

from __future__ import annotations

from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module


class Upsample(Module):
    """torch.nn.Upsample: resize (N, C, L) or (N, C, H, W) by size or scale_factor.

    mode: "nearest" (default), "nearest-exact", "linear" or "bilinear"; align_corners as in
    F.interpolate (linear modes only).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Upsample(scale_factor=2, mode="bilinear")(jaring.ones(1, 3, 16, 16)).shape  # (N, C, H, W)
        (1, 3, 32, 32)
        >>> nn.Upsample(scale_factor=2)(jaring.tensor([[[1.0, 2.0]]])).tolist()  # (N, C, L), nearest
        [[[1.0, 1.0, 2.0, 2.0]]]
    """

    def __init__(
        self,
        size: Any = None,
        scale_factor: Any = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
        recompute_scale_factor: bool | None = None,
    ) -> None:
        super().__init__()
        if (size is None) == (scale_factor is None):
            raise ValueError("Upsample: give exactly one of size and scale_factor")
        self.size, self.scale_factor, self.mode = size, scale_factor, mode
        self.align_corners, self.recompute_scale_factor = align_corners, recompute_scale_factor

    def forward(self, x: Any) -> Tensor:
        return F.interpolate(
            x, self.size, self.scale_factor, self.mode, self.align_corners, self.recompute_scale_factor
        )


class UpsamplingNearest2d(Upsample):
    """torch.nn.UpsamplingNearest2d: nearest-neighbour resizing of (N, C, H, W), Upsample(mode="nearest").

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.UpsamplingNearest2d(scale_factor=2)(jaring.tensor([[[[1.0, 2.0]]]])).tolist()
        [[[[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0]]]]
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="nearest")

    def forward(self, x: Any) -> Tensor:
        _check_4d(self, x)
        return super().forward(x)

    def extra_repr(self) -> str:
        return f"size={self.size!r}, scale_factor={self.scale_factor!r}"


class UpsamplingBilinear2d(Upsample):
    """torch.nn.UpsamplingBilinear2d: bilinear resizing of (N, C, H, W) with align_corners=True
    (the corner pixels' centres map onto each other), as torch's.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.UpsamplingBilinear2d(size=(1, 3))(jaring.tensor([[[[1.0, 2.0]]]])).tolist()
        [[[[1.0, 1.5, 2.0]]]]
    """

    def __init__(self, size: Any = None, scale_factor: Any = None) -> None:
        super().__init__(size, scale_factor, mode="bilinear", align_corners=True)

    def forward(self, x: Any) -> Tensor:
        _check_4d(self, x)
        return super().forward(x)

    def extra_repr(self) -> str:
        return f"size={self.size!r}, scale_factor={self.scale_factor!r}"


def _check_4d(layer: Module, x: Any) -> None:
    ndim = getattr(x, "ndim", None)
    if ndim != 4:
        shape = getattr(x, "shape", None)
        raise ValueError(f"{type(layer).__name__} expects input of shape (N, C, H, W), got {shape}")
