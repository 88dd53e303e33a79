"""torch's shape layers: Unflatten (one dim split into several) and PixelShuffle / PixelUnshuffle
(channels traded for resolution, jaring/ops/pixel_shuffle.py). Their errors are torch's words."""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Any

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.ops.pixel_shuffle import check_factor
from jaring.validation import check_int


def _check_sizes(sizes: Any) -> None:
    """torch's check of unflattened_size: a tuple or list of ints."""
    if not isinstance(sizes, (tuple, list)):
        raise TypeError(f"unflattened_size must be a tuple of ints, but found type {type(sizes).__name__}")
    for pos, n in enumerate(sizes):
        if isinstance(n, bool) or not isinstance(n, numbers.Integral):
            raise TypeError(
                "unflattened_size must be tuple of ints, "
                f"but found element of type {type(n).__name__} at pos {pos}"
            )


def unflattened_sizes(shape: tuple, dim: int, sizes: Sequence[int]) -> tuple[int, tuple[int, ...]]:
    """The axis `dim` names in `shape` and `sizes` with its -1 worked out, or torch's error."""
    if not shape:
        raise RuntimeError(f"unflatten: Dimension specified as {dim} but tensor has no dimensions")
    ndim = len(shape)
    if not -ndim <= dim < ndim:
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{-ndim}, {ndim - 1}], but got {dim})"
        )
    axis, sizes = dim % ndim, tuple(int(n) for n in sizes)
    if not sizes:
        raise RuntimeError("unflatten: sizes must be non-empty")
    shown = f"[{', '.join(map(str, sizes))}]"
    if sizes.count(-1) > 1:
        raise RuntimeError("unflatten: only one dimension can be inferred")
    bad = [(i, n) for i, n in enumerate(sizes) if n < -1]
    if bad:
        raise RuntimeError(
            f"unflatten: invalid shape dimension {bad[0][1]} at index {bad[0][0]} of shape {shown}"
        )
    known, size = math.prod(n for n in sizes if n != -1), shape[axis]
    if -1 in sizes and known == 0 and size == 0:
        raise RuntimeError(
            f"unflatten: cannot reshape tensor of 0 elements into shape {shown} because the unspecified "
            "dimension size -1 can be any value and is ambiguous"
        )
    if (known != size) if -1 not in sizes else (known == 0 or size % known):
        raise RuntimeError(
            f"unflatten: Provided sizes {shown} don't multiply up to the size of dim {dim} ({size}) "
            "in the input tensor"
        )
    return axis, tuple(size // known if n == -1 else n for n in sizes)


class Unflatten(Module):
    """Split dim `dim` into `unflattened_size` (one entry may be -1), as torch's nn.Unflatten:
    (N, 12) -> (N, 3, 4) with Unflatten(1, (3, 4)); the inverse of Flatten.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.Unflatten(1, (2, -1))(jaring.ones(5, 12)).shape
        (5, 2, 6)
        >>> nn.Unflatten(-1, [3, 4])
        Unflatten(dim=-1, unflattened_size=[3, 4])
    """

    def __init__(self, dim: int, unflattened_size: Sequence[int]) -> None:
        super().__init__()
        _check_sizes(unflattened_size)
        self.dim = check_int("Unflatten", "dim", dim)
        sizes = [int(n) for n in unflattened_size]  # NumPy ints too; a tuple stays a tuple
        self.unflattened_size = tuple(sizes) if isinstance(unflattened_size, tuple) else sizes

    def forward(self, input: Any) -> Tensor:
        x = input if isinstance(input, Tensor) else Tensor(input)
        _, sizes = unflattened_sizes(x.shape, self.dim, self.unflattened_size)
        return F.unflatten(x, self.dim, sizes)

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


class PixelShuffle(Module):
    """(*, C*r*r, H, W) -> (*, C, H*r, W*r) with r = upscale_factor, as torch's nn.PixelShuffle.

    A factor that is not a positive int is refused here, with the error torch gives at the first call.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.PixelShuffle(3)(jaring.ones(1, 18, 4, 4)).shape
        (1, 2, 12, 12)
    """

    def __init__(self, upscale_factor: int) -> None:
        super().__init__()
        self.upscale_factor = check_factor("pixel_shuffle", "upscale_factor", upscale_factor)

    def forward(self, input: Any) -> Tensor:
        return F.pixel_shuffle(input, self.upscale_factor)

    def extra_repr(self) -> str:
        return f"upscale_factor={self.upscale_factor}"


class PixelUnshuffle(Module):
    """(*, C, H*r, W*r) -> (*, C*r*r, H, W) with r = downscale_factor, as torch's nn.PixelUnshuffle.

    A factor that is not a positive int is refused here, with the error torch gives at the first call.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> nn.PixelUnshuffle(2)(jaring.ones(1, 3, 8, 8)).shape
        (1, 12, 4, 4)
    """

    def __init__(self, downscale_factor: int) -> None:
        super().__init__()
        self.downscale_factor = check_factor("pixel_unshuffle", "downscale_factor", downscale_factor)

    def forward(self, input: Any) -> Tensor:
        return F.pixel_unshuffle(input, self.downscale_factor)

    def extra_repr(self) -> str:
        return f"downscale_factor={self.downscale_factor}"
