"""F.pixel_shuffle and F.pixel_unshuffle, as torch's: channels traded for resolution in (*, C, H, W).

pixel_shuffle moves an (r*r)-channel block of (*, C*r*r, H, W) onto an r-by-r patch of pixels,
giving (*, C, H*r, W*r) (the sub-pixel convolution of super-resolution models); pixel_unshuffle
is its inverse. Both are one reshape, one permute and one reshape, so the gradient is those ops'
and flows back exactly. Any number of leading dims is allowed (none: one unbatched image), and
the errors are torch's, word for word.
"""

from __future__ import annotations

import numbers
from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.shape import permute, reshape


def check_factor(op: str, name: str, factor: Any, x: Tensor | None = None) -> int:
    """The upscale / downscale factor: a positive int, else torch's TypeError or RuntimeError;
    given the input `x`, its dimensions are checked between the two, in torch's order."""
    if isinstance(factor, bool) or not isinstance(factor, numbers.Integral):
        raise TypeError(f"{op}(): argument '{name}' (position 2) must be int, not {type(factor).__name__}")
    if x is not None and x.ndim < 3:
        raise RuntimeError(
            f"{op} expects input to have at least 3 dimensions, but got input with {x.ndim} dimension(s)"
        )
    if factor <= 0:
        raise RuntimeError(f"{op} expects a positive {name}, but got {int(factor)}")
    return int(factor)


def pixel_shuffle(input: Any, upscale_factor: int) -> Tensor:
    """(*, C*r*r, H, W) -> (*, C, H*r, W*r), with r = upscale_factor, as torch's.

    Output pixel (c, h*r + i, w*r + j) is input channel c*r*r + i*r + j at (h, w).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(8.0).reshape(1, 4, 1, 2)
        >>> F.pixel_shuffle(x, 2).tolist()
        [[[[0.0, 2.0, 1.0, 3.0], [4.0, 6.0, 5.0, 7.0]]]]
    """
    x = as_tensor(input)
    r = check_factor("pixel_shuffle", "upscale_factor", upscale_factor, x)
    *lead, c, h, w = x.shape
    if c % (r * r):
        raise RuntimeError(
            "pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of "
            f"upscale_factor, but input.size(-3)={c} is not divisible by {r * r}"
        )
    n = len(lead)
    split = reshape(x, (*lead, c // (r * r), r, r, h, w))
    moved = permute(split, (*range(n), n, n + 3, n + 1, n + 4, n + 2))
    return reshape(moved, (*lead, c // (r * r), h * r, w * r))


def pixel_unshuffle(input: Any, downscale_factor: int) -> Tensor:
    """(*, C, H*r, W*r) -> (*, C*r*r, H, W), with r = downscale_factor: pixel_shuffle's inverse.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(8.0).reshape(1, 1, 2, 4)
        >>> F.pixel_unshuffle(x, 2).reshape(4, 2).tolist()
        [[0.0, 2.0], [1.0, 3.0], [4.0, 6.0], [5.0, 7.0]]
    """
    x = as_tensor(input)
    r = check_factor("pixel_unshuffle", "downscale_factor", downscale_factor, x)
    *lead, c, h, w = x.shape
    for name, size, axis in (("height", h, -2), ("width", w, -1)):
        if size % r:
            raise RuntimeError(
                f"pixel_unshuffle expects {name} to be divisible by downscale_factor, but "
                f"input.size({axis})={size} is not divisible by {r}"
            )
    n = len(lead)
    split = reshape(x, (*lead, c, h // r, r, w // r, r))
    moved = permute(split, (*range(n), n, n + 2, n + 4, n + 1, n + 3))
    return reshape(moved, (*lead, c * r * r, h // r, w // r))
