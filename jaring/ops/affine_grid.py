"""F.affine_grid: the sampling grid of a batch of 2-D affine maps, as torch.nn.functional.affine_grid.

Each output pixel's normalised position (x, y, 1) in [-1, 1] is multiplied by theta (N, 2, 3),
giving where grid_sample should read it from. The grid is linear in theta, so the backward is
one product of the upstream gradient with the base grid.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor


def _linspace(xp: Any, steps: int, align_corners: bool, dtype: Any) -> Any:
    """Pixel centres in [-1, 1] (align_corners) or shrunk by (steps - 1) / steps, as torch."""
    if steps <= 1:
        return xp.zeros(1, dtype=dtype)
    line = xp.linspace(-1, 1, steps, dtype=dtype)
    return line if align_corners else line * (steps - 1) / steps


def base_grid(xp: Any, height: int, width: int, align_corners: bool, dtype: Any) -> Any:
    """(H, W, 3) array of (x, y, 1) for every output pixel."""
    grid = xp.ones((height, width, 3), dtype=dtype)
    grid[..., 0] = _linspace(xp, width, align_corners, dtype)[None, :]
    grid[..., 1] = _linspace(xp, height, align_corners, dtype)[:, None]
    return grid


class AffineGrid(Function):
    """grid[n, h, w] = theta[n] @ (x_w, y_h, 1); gradient to theta only."""

    @staticmethod
    def forward(ctx: Context, theta: Any, height: int, width: int, align_corners: bool) -> Any:
        xp = backend.array_module(theta)
        base = base_grid(xp, height, width, align_corners, theta.dtype).reshape(height * width, 3)
        ctx.base, ctx.shape = base, (height, width)
        out = xp.matmul(base[None], xp.swapaxes(theta, 1, 2))
        return out.reshape(theta.shape[0], height, width, 2)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.array_module(grad)
        flat = grad.reshape(grad.shape[0], -1, 2)
        return xp.matmul(xp.swapaxes(flat, 1, 2), ctx.base[None])


def affine_grid(theta: Any, size: Any, align_corners: bool | None = None) -> Tensor:
    """Sampling grid (N, H, W, 2) for grid_sample from affine matrices theta (N, 2, 3).

    size is the output's (N, C, H, W); the grid holds (x, y) in [-1, 1] coordinates of the
    input, x first, as torch. align_corners=True puts -1 and 1 on the corner pixels' centres,
    False (the default) on their outer edges. Volumetric (5-D) sizes are not implemented.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> theta = jaring.tensor([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]])  # the identity
        >>> F.affine_grid(theta, (1, 1, 2, 2), align_corners=True).numpy()[0]
        array([[[-1., -1.],
                [ 1., -1.]],
        <BLANKLINE>
               [[-1.,  1.],
                [ 1.,  1.]]], dtype=float32)
    """
    theta = as_tensor(theta)
    if theta.dtype.kind != "f":
        raise ValueError(f"Expected theta to have floating point type, but got {theta.dtype}")
    size = tuple(int(s) for s in size)
    if len(size) == 5:
        raise NotImplementedError("affine_grid: volumetric (5-D) sizes are not implemented; use a 4-D size")
    if len(size) != 4:
        raise NotImplementedError(
            f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, respectively. "
            f"Got size {size}."
        )
    if theta.ndim != 3 or tuple(theta.shape[1:]) != (2, 3) or theta.shape[0] != size[0]:
        raise ValueError(
            f"Expected a batch of 2D affine matrices of shape Nx2x3 for size {size}. "
            f"Got {tuple(theta.shape)}."
        )
    if min(size) <= 0:
        raise ValueError(f"Expected non-zero, positive output size. Got {size}")
    return AffineGrid.apply(theta, height=size[2], width=size[3], align_corners=bool(align_corners))
