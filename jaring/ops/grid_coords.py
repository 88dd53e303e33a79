"""Where grid_sample reads: normalised [-1, 1] grid coordinates to pixel positions, with padding.

Each function returns the source position and its derivative with respect to the grid value,
as PyTorch's grid_sampler_compute_source_index_set_grad does: unnormalise, then clip
("border") or reflect and clip ("reflection"); "zeros" leaves positions outside the image.
"""

from __future__ import annotations

from typing import Any

from jaring import backend

PADDING_MODES = ("zeros", "border", "reflection")


def _clip(coord: Any, size: int) -> tuple:
    """Clip into [0, size - 1]; the border itself counts as outside (derivative 0), as torch."""
    xp = backend.array_module(coord)
    inside = (coord > 0) & (coord < size - 1)
    return xp.clip(coord, 0, size - 1), inside.astype(coord.dtype)


def _reflect(coord: Any, twice_low: int, twice_high: int) -> tuple:
    """Fold the line at low and high (given doubled) until the position lands between them."""
    xp = backend.array_module(coord)
    if twice_low == twice_high:
        return xp.zeros_like(coord), xp.zeros_like(coord)
    low, span = twice_low / 2, (twice_high - twice_low) / 2
    shifted = coord - low
    sign = xp.where(shifted < 0, -1, 1).astype(coord.dtype)
    shifted = xp.abs(shifted)
    extra = xp.fmod(shifted, span)
    even = xp.floor(shifted / span) % 2 == 0
    return xp.where(even, extra + low, span - extra + low), xp.where(even, sign, -sign)


def source_index(coord: Any, size: int, padding_mode: str, align_corners: bool) -> tuple:
    """(pixel position, d position / d coord) along one axis of `size` pixels."""
    if align_corners:
        scale = (size - 1) / 2
        position = (coord + 1) / 2 * (size - 1)
    else:
        scale = size / 2
        position = ((coord + 1) * size - 1) / 2
    derivative = backend.array_module(coord).full_like(coord, scale)
    if padding_mode == "border":
        position, clip = _clip(position, size)
        derivative = derivative * clip
    elif padding_mode == "reflection":
        bounds = (0, 2 * (size - 1)) if align_corners else (-1, 2 * size - 1)
        position, flip = _reflect(position, *bounds)
        position, clip = _clip(position, size)
        derivative = derivative * flip * clip
    return position, derivative
