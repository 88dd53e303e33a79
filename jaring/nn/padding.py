"""PyTorch's padding layers: ZeroPad2d, ConstantPad1d/2d, ReflectionPad1d/2d, ReplicationPad1d/2d,
CircularPad1d/2d, each a thin call into F.pad.

padding is an int (every side) or PyTorch's tuple, last axis first: (left, right) for 1-d,
(left, right, top, bottom) for 2-d.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module


class _Pad(Module):
    """Pads the last `dims` axes with `mode`; subclasses fix dims and mode."""

    dims = 2
    mode = "constant"

    def __init__(self, padding: int | tuple) -> None:
        super().__init__()
        sides = 2 * self.dims
        widths = (padding,) * sides if isinstance(padding, (int, np.integer)) else tuple(padding)
        if len(widths) != sides or not all(isinstance(p, (int, np.integer)) and p >= 0 for p in widths):
            raise ValueError(
                f"{type(self).__name__}: padding must be an int or {sides} non-negative ints "
                f"(last axis first), got {padding!r}"
            )
        self.padding = tuple(int(p) for p in widths)

    def _flat(self) -> tuple:
        """The widths in F.pad's flat form (4+ entries), extended by zeros for the 1-d layers."""
        return self.padding + (0, 0) * max(0, 2 - self.dims)

    def forward(self, x: Any) -> Tensor:
        return F.pad(x, self._flat(), mode=self.mode)


class ConstantPad1d(_Pad):
    """Pad the last axis with `value`."""

    dims = 1

    def __init__(self, padding: int | tuple, value: float) -> None:
        super().__init__(padding)
        self.value = float(value)

    def forward(self, x: Any) -> Tensor:
        return F.pad(x, self._flat(), mode="constant", value=self.value)


class ConstantPad2d(ConstantPad1d):
    """Pad the last two axes with `value`."""

    dims = 2


class ZeroPad2d(_Pad):
    """Pad the last two axes with zeros."""


class ReflectionPad1d(_Pad):
    """Mirror the last axis without repeating its edge."""

    dims, mode = 1, "reflect"


class ReflectionPad2d(_Pad):
    """Mirror the last two axes without repeating their edges."""

    mode = "reflect"


class ReplicationPad1d(_Pad):
    """Repeat the edge values of the last axis."""

    dims, mode = 1, "replicate"


class ReplicationPad2d(_Pad):
    """Repeat the edge values of the last two axes."""

    mode = "replicate"


class CircularPad1d(_Pad):
    """Wrap the last axis around."""

    dims, mode = 1, "circular"


class CircularPad2d(_Pad):
    """Wrap the last two axes around."""

    mode = "circular"
