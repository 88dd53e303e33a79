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
    """Pad the last axis with `value`.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.tensor([[[1.0, 2.0, 3.0]]])  # (N, C, L)
        >>> nn.ConstantPad1d((1, 2), 9.0)(x).tolist()  # (left, right)
        [[[9.0, 1.0, 2.0, 3.0, 9.0, 9.0]]]
    """

    dims = 1

    def __init__(self, padding: int | tuple, value: float) -> None:
        super().__init__(padding)
        self.value = float(value)

    def forward(self, x: Any) -> Tensor:
        return F.pad(x, self._flat(), mode="constant", value=self.value)


class ConstantPad2d(ConstantPad1d):
    """Pad the last two axes with `value`.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])  # (N, C, H, W)
        >>> nn.ConstantPad2d((0, 1, 1, 0), -1.0)(x).numpy()  # (left, right, top, bottom)
        array([[[[-1., -1., -1.],
                 [ 1.,  2., -1.],
                 [ 3.,  4., -1.]]]], dtype=float32)
    """

    dims = 2


class ZeroPad2d(_Pad):
    """Pad the last two axes with zeros.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.ZeroPad2d(2)(jaring.ones(8, 3, 28, 28)).shape  # (N, C, H, W), 2 on every side
        (8, 3, 32, 32)
        >>> x = jaring.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
        >>> nn.ZeroPad2d((1, 0, 0, 1))(x).numpy()  # (left, right, top, bottom)
        array([[[[0., 1., 2.],
                 [0., 3., 4.],
                 [0., 0., 0.]]]], dtype=float32)
    """


class ReflectionPad1d(_Pad):
    """Mirror the last axis without repeating its edge.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.tensor([[[1.0, 2.0, 3.0]]])  # (N, C, L)
        >>> nn.ReflectionPad1d(2)(x).tolist()
        [[[3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]]]
    """

    dims, mode = 1, "reflect"


class ReflectionPad2d(_Pad):
    """Mirror the last two axes without repeating their edges.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.arange(9.0).reshape(1, 1, 3, 3)  # (N, C, H, W)
        >>> nn.ReflectionPad2d(1)(x).numpy()
        array([[[[4., 3., 4., 5., 4.],
                 [1., 0., 1., 2., 1.],
                 [4., 3., 4., 5., 4.],
                 [7., 6., 7., 8., 7.],
                 [4., 3., 4., 5., 4.]]]], dtype=float32)
    """

    mode = "reflect"


class ReplicationPad1d(_Pad):
    """Repeat the edge values of the last axis.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.tensor([[[1.0, 2.0, 3.0]]])  # (N, C, L)
        >>> nn.ReplicationPad1d(2)(x).tolist()
        [[[1.0, 1.0, 1.0, 2.0, 3.0, 3.0, 3.0]]]
    """

    dims, mode = 1, "replicate"


class ReplicationPad2d(_Pad):
    """Repeat the edge values of the last two axes.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])  # (N, C, H, W)
        >>> nn.ReplicationPad2d(1)(x).numpy()
        array([[[[1., 1., 2., 2.],
                 [1., 1., 2., 2.],
                 [3., 3., 4., 4.],
                 [3., 3., 4., 4.]]]], dtype=float32)
    """

    mode = "replicate"


class CircularPad1d(_Pad):
    """Wrap the last axis around.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.tensor([[[1.0, 2.0, 3.0]]])  # (N, C, L)
        >>> nn.CircularPad1d(2)(x).tolist()
        [[[2.0, 3.0, 1.0, 2.0, 3.0, 1.0, 2.0]]]
    """

    dims, mode = 1, "circular"


class CircularPad2d(_Pad):
    """Wrap the last two axes around.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> x = jaring.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])  # (N, C, H, W)
        >>> nn.CircularPad2d(1)(x).numpy()
        array([[[[4., 3., 4., 3.],
                 [2., 1., 2., 1.],
                 [4., 3., 4., 3.],
                 [2., 1., 2., 1.]]]], dtype=float32)
    """

    mode = "circular"
