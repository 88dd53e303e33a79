"""1-D convolution on (N, C, L) as a 2-D convolution of height 1.

conv2d already handles stride, padding, dilation and groups along the width; a signal of length
L is an image of height 1, so conv1d reshapes (free views) and calls it, and the backward comes
with it.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.conv import conv2d
from jaring.ops.shape import reshape


def _single(value: Any, name: str, minimum: int) -> int:
    """An int, or a 1-tuple of one int as PyTorch also accepts."""
    if isinstance(value, (tuple, list)) and len(value) == 1:
        value = value[0]
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        raise ValueError(f"conv1d: {name} must be an int >= {minimum} (or a 1-tuple), got {value!r}")
    return int(value)


def conv1d(
    input: Any,
    weight: Any,
    bias: Any = None,
    stride: Any = 1,
    padding: Any = 0,
    dilation: Any = 1,
    groups: int = 1,
) -> Tensor:
    """1-D convolution as torch.nn.functional.conv1d: input (N, C, L), weight (O, C / groups, k).

    padding: an int (both ends), "valid" or "same" (output ceil(L / stride), the odd pixel at
    the end, which is PyTorch's "same" for stride 1).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.randn(2, 3, 10, seed=0)  # (N, C, L)
        >>> w = jaring.randn(5, 3, 3, seed=1)  # (out, in, k)
        >>> F.conv1d(x, w).shape, F.conv1d(x, w, padding="same").shape
        ((2, 5, 8), (2, 5, 10))
        >>> F.conv1d(jaring.ones(1, 1, 5), jaring.ones(1, 1, 3)).tolist()
        [[[3.0, 3.0, 3.0]]]
    """
    x, weight = as_tensor(input), as_tensor(weight)
    if x.ndim != 3:
        raise ValueError(f"conv1d: expected input of shape (N, C, L), got shape {x.shape}")
    if weight.ndim != 3:
        raise ValueError(f"conv1d: expected weight of shape (out, in / groups, k), got shape {weight.shape}")
    stride, dilation = _single(stride, "stride", 1), _single(dilation, "dilation", 1)
    if not isinstance(padding, str):
        p = _single(padding, "padding", 0)
        padding = (0, 0, p, p)
    n, c, length = x.shape
    o, ci, k = weight.shape
    out = conv2d(
        reshape(x, n, c, 1, length),
        reshape(weight, o, ci, 1, k),
        bias,
        (1, stride),
        padding,
        (1, dilation),
        groups,
    )
    return reshape(out, n, o, out.shape[3])
