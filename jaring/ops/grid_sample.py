"""F.grid_sample: read an image at arbitrary positions, as torch.nn.functional.grid_sample.

Every output pixel reads the input at a grid point (x, y) in [-1, 1]. Bilinear blends the four
neighbouring pixels, gathered at once with flat indices into an (N * H * W, C) table; nearest
reads the closest one. The backward scatter-adds into that table (`add.at`) for the input and,
for bilinear, differentiates the blend weights for the grid. Corners outside the image read
zero; "border" and "reflection" padding move positions inside first (see ops/grid_coords.py).
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, floating
from jaring.ops.grid_coords import PADDING_MODES, source_index

MODES = ("bilinear", "nearest")


def _corners(ix: Any, iy: Any, mode: str) -> list:
    """(x, y, weight, d weight / d x, d weight / d y) for each pixel a grid point reads."""
    xp = backend.array_module(ix)
    if mode == "nearest":
        one = xp.ones_like(ix)
        return [(xp.rint(ix), xp.rint(iy), one, None, None)]
    x0, y0 = xp.floor(ix), xp.floor(iy)
    x1, y1 = x0 + 1, y0 + 1
    wx0, wx1, wy0, wy1 = x1 - ix, ix - x0, y1 - iy, iy - y0
    return [
        (x0, y0, wx0 * wy0, -wy0, -wx0),
        (x1, y0, wx1 * wy0, wy0, -wx1),
        (x0, y1, wx0 * wy1, -wy1, wx0),
        (x1, y1, wx1 * wy1, wy1, wx1),
    ]


def _flat(cx: Any, cy: Any, height: int, width: int) -> tuple:
    """(row in the (N * H * W, C) table, 1 where the pixel lies inside the image else 0)."""
    xp = backend.array_module(cx)
    inside = (cx >= 0) & (cx <= width - 1) & (cy >= 0) & (cy <= height - 1)
    col = xp.clip(cx, 0, width - 1).astype(xp.int64)
    row = xp.clip(cy, 0, height - 1).astype(xp.int64)
    batch = xp.arange(cx.shape[0], dtype=xp.int64).reshape(-1, 1, 1)
    return (batch * height + row) * width + col, inside.astype(cx.dtype)


class GridSample(Function):
    """out[n, c, h, w] = sum over corners of weight * input[n, c, y, x]; gradients to input and grid."""

    @staticmethod
    def forward(ctx: Context, x: Any, grid: Any, mode: str, padding_mode: str, align_corners: bool) -> Any:
        xp = backend.array_module(x, grid)
        n, c, height, width = x.shape
        ix, dx = source_index(grid[..., 0], width, padding_mode, align_corners)
        iy, dy = source_index(grid[..., 1], height, padding_mode, align_corners)
        table = xp.ascontiguousarray(x.transpose(0, 2, 3, 1)).reshape(n * height * width, c)
        corners = []
        out = xp.zeros(grid.shape[:3] + (c,), dtype=x.dtype)
        for cx, cy, weight, wdx, wdy in _corners(ix, iy, mode):
            index, inside = _flat(cx, cy, height, width)
            values = table[index] * inside[..., None]
            out += values * weight[..., None]
            corners.append((index, weight * inside, values, wdx, wdy))
        ctx.corners, ctx.scales, ctx.shape = corners, (dx, dy), x.shape
        return out.transpose(0, 3, 1, 2)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.array_module(grad)
        n, c, height, width = ctx.shape
        g = grad.transpose(0, 2, 3, 1)
        grad_table = xp.zeros((n * height * width, c), dtype=grad.dtype)
        gx = xp.zeros(g.shape[:3], dtype=grad.dtype)
        gy = xp.zeros(g.shape[:3], dtype=grad.dtype)
        for index, weight, values, wdx, wdy in ctx.corners:
            xp.add.at(grad_table, index.reshape(-1), (g * weight[..., None]).reshape(-1, c))
            if wdx is not None:
                dot = (values * g).sum(axis=-1)
                gx += dot * wdx
                gy += dot * wdy
        grad_x = grad_table.reshape(n, height, width, c).transpose(0, 3, 1, 2)
        dx, dy = ctx.scales
        return grad_x, xp.stack([gx * dx, gy * dy], axis=-1)


def _check(x: Tensor, grid: Tensor, mode: str, padding_mode: str) -> None:
    """Raise in torch's words for a mode, padding, dtype or shape grid_sample does not take."""
    if mode not in MODES + ("bicubic",):
        raise ValueError(
            f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or 'bicubic', "
            f"but got: '{mode}'"
        )
    if padding_mode not in PADDING_MODES:
        raise ValueError(
            "nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or 'reflection', "
            f"but got: '{padding_mode}'"
        )
    if mode == "bicubic":
        raise NotImplementedError(
            "grid_sample: mode 'bicubic' is not implemented; use 'bilinear' or 'nearest'"
        )
    sizes = f"input with sizes {list(x.shape)} and grid with sizes {list(grid.shape)}"
    if x.ndim == 5 or grid.ndim == 5:
        raise NotImplementedError(f"grid_sample: volumetric (5-D) input is not implemented; got {sizes}")
    if x.ndim != 4 or grid.ndim != 4:
        raise RuntimeError(
            f"grid_sampler(): expected 4D input and grid with same number of dimensions, but got {sizes}"
        )
    if x.dtype != grid.dtype:
        raise RuntimeError(
            f"grid_sampler(): expected input and grid to have same dtype, but input has {x.dtype} "
            f"and grid has {grid.dtype}"
        )
    if x.shape[0] != grid.shape[0]:
        raise RuntimeError(
            f"grid_sampler(): expected grid and input to have same batch size, but got {sizes}"
        )
    if grid.shape[-1] != 2:
        raise RuntimeError(
            f"grid_sampler(): expected grid to have size 2 in last dimension, but got grid with sizes "
            f"{list(grid.shape)}"
        )
    for dim in (2, 3):
        if x.shape[dim] == 0:
            raise RuntimeError(
                f"grid_sampler(): expected input to have non-empty spatial dimensions, but input has sizes "
                f"{list(x.shape)} with dimension {dim} being empty"
            )


def grid_sample(
    input: Any,
    grid: Any,
    mode: str = "bilinear",
    padding_mode: str = "zeros",
    align_corners: bool | None = None,
) -> Tensor:
    """Sample input (N, C, H_in, W_in) at grid (N, H_out, W_out, 2) points, giving (N, C, H_out, W_out).

    The grid holds (x, y) in [-1, 1], x first, as torch; align_corners=True puts -1 and 1 on
    the corner pixels' centres, False (the default) on their outer edges. mode "bilinear" or
    "nearest" (gradient to the input only); padding_mode "zeros", "border" or "reflection" says
    what points outside the image read. Bicubic and volumetric (5-D) input are not implemented.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])  # (N, C, H, W)
        >>> grid = jaring.tensor([[[[0.0, 0.0], [-1.0, -1.0]]]])  # centre and top-left corner
        >>> F.grid_sample(x, grid, align_corners=True).numpy()
        array([[[[2.5, 1. ]]]], dtype=float32)
    """
    x, grid = floating(input), as_tensor(grid)
    _check(x, grid, mode, padding_mode)
    return GridSample.apply(x, grid, mode=mode, padding_mode=padding_mode, align_corners=bool(align_corners))
