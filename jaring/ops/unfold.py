"""im2col and col2im as torch.nn.functional.unfold and fold, each the other's adjoint.

unfold copies every sliding (dilated, strided) window of a zero-padded (N, C, H, W) batch into a
column: (N, C * kh * kw, L), row c * kh * kw + i * kw + j holding channel c through kernel offset
(i, j), column l the window at output position l (row-major over the oh x ow positions). fold puts
such columns back into an image of output_size, summing where windows overlap. Both loop over the
kh * kw kernel offsets, one strided slice each, never over pixels; the backward of one is the other.
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.geometry import pair


def _grid(size: tuple, kernel: tuple, dilation: tuple, padding: tuple, stride: tuple) -> tuple:
    """The number of window positions (oh, ow) along each axis of a (H, W) image."""
    return tuple(
        (size[a] + 2 * padding[a] - dilation[a] * (kernel[a] - 1) - 1) // stride[a] + 1 for a in range(2)
    )


def _taps(i: int, j: int, geometry: tuple) -> tuple:
    """The slice of the padded image that kernel offset (i, j) reads across all windows."""
    _, kernel, dilation, _, stride, grid = geometry
    top, left = i * dilation[0], j * dilation[1]
    return (
        slice(top, top + stride[0] * (grid[0] - 1) + 1, stride[0]),
        slice(left, left + stride[1] * (grid[1] - 1) + 1, stride[1]),
    )


def _to_columns(x: Any, geometry: tuple) -> Any:
    """(N, C, H, W) -> (N, C * kh * kw, L)."""
    size, kernel, _, padding, _, grid = geometry
    xp = backend.array_module(x)
    n, c = x.shape[:2]
    padded = xp.zeros((n, c, size[0] + 2 * padding[0], size[1] + 2 * padding[1]), dtype=x.dtype)
    padded[:, :, padding[0] : padding[0] + size[0], padding[1] : padding[1] + size[1]] = x
    cols = xp.empty((n, c, kernel[0], kernel[1], grid[0], grid[1]), dtype=x.dtype)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            rows, columns = _taps(i, j, geometry)
            cols[:, :, i, j] = padded[:, :, rows, columns]
    return cols.reshape(n, c * kernel[0] * kernel[1], grid[0] * grid[1])


def _to_image(cols: Any, geometry: tuple) -> Any:
    """(N, C * kh * kw, L) -> (N, C, H, W), overlapping windows summed."""
    size, kernel, _, padding, _, grid = geometry
    xp = backend.array_module(cols)
    n = cols.shape[0]
    c = cols.shape[1] // (kernel[0] * kernel[1])
    blocks = cols.reshape(n, c, kernel[0], kernel[1], grid[0], grid[1])
    padded = xp.zeros((n, c, size[0] + 2 * padding[0], size[1] + 2 * padding[1]), dtype=cols.dtype)
    for i in range(kernel[0]):
        for j in range(kernel[1]):
            rows, columns = _taps(i, j, geometry)
            padded[:, :, rows, columns] += blocks[:, :, i, j]
    return padded[:, :, padding[0] : padding[0] + size[0], padding[1] : padding[1] + size[1]]


class UnfoldFunction(Function):
    """Sliding windows as columns; the backward folds the gradient's columns back (col2im)."""

    @staticmethod
    def forward(ctx: Context, x: Any, geometry: tuple) -> Any:
        ctx.geometry = geometry
        return _to_columns(x, geometry)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _to_image(grad, ctx.geometry)


class FoldFunction(Function):
    """Columns summed into an image; the backward unfolds the gradient (im2col)."""

    @staticmethod
    def forward(ctx: Context, cols: Any, geometry: tuple) -> Any:
        ctx.geometry = geometry
        return _to_image(cols, geometry)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return _to_columns(grad, ctx.geometry)


def _geometry(op: str, size: tuple, kernel_size: Any, dilation: Any, padding: Any, stride: Any) -> tuple:
    kernel = pair(kernel_size, "kernel_size")
    dilation = pair(dilation, "dilation")
    padding = pair(padding, "padding", minimum=0)
    stride = pair(stride, "stride")
    grid = _grid(size, kernel, dilation, padding, stride)
    if min(grid) < 1:
        raise RuntimeError(
            f"{op}: the dilated kernel {kernel} (dilation {dilation}) does not fit the padded input "
            f"of spatial size {size} with padding {padding}: it gives {grid[0]} x {grid[1]} blocks"
        )
    return size, kernel, dilation, padding, stride, grid


def unfold(input: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1) -> Tensor:
    """torch.nn.functional.unfold (im2col): (N, C, H, W) -> (N, C * kh * kw, L); (C, H, W) works too.

    L = oh * ow windows; a convolution is then weight.view(O, -1) @ unfold(x).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(9.0).reshape(1, 1, 3, 3)
        >>> F.unfold(x, 2).tolist()  # 4 windows of 2x2, one per column
        [[[0.0, 1.0, 3.0, 4.0], [1.0, 2.0, 4.0, 5.0], [3.0, 4.0, 6.0, 7.0], [4.0, 5.0, 7.0, 8.0]]]
        >>> F.unfold(jaring.ones(2, 3, 8, 8), 3, padding=1, stride=2).shape
        (2, 27, 16)
    """
    x = as_tensor(input)
    if x.ndim not in (3, 4):
        raise ValueError(
            f"unfold: Input Error: Only 3D or 4D input Tensors are supported (got {x.ndim}D), shape {x.shape}"
        )
    unbatched = x.ndim == 3
    x = x[None] if unbatched else x
    geometry = _geometry("unfold", tuple(x.shape[2:]), kernel_size, dilation, padding, stride)
    out = UnfoldFunction.apply(x, geometry=geometry)
    return out[0] if unbatched else out


def fold(
    input: Any, output_size: Any, kernel_size: Any, dilation: Any = 1, padding: Any = 0, stride: Any = 1
) -> Tensor:
    """torch.nn.functional.fold (col2im): (N, C * kh * kw, L) -> (N, C, *output_size), sums overlaps.

    The adjoint of unfold with the same arguments; (C * kh * kw, L) gives (C, H, W).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> cols = F.unfold(jaring.ones(1, 1, 3, 3), 2)
        >>> F.fold(cols, (3, 3), 2).tolist()  # how many windows cover each pixel
        [[[[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]]]
    """
    cols = as_tensor(input)
    if cols.ndim not in (2, 3):
        raise ValueError(
            f"fold: Input Error: Only unbatched (2D) or batched (3D) input Tensors are supported "
            f"(got {cols.ndim}D), shape {cols.shape}"
        )
    unbatched = cols.ndim == 2
    cols = cols[None] if unbatched else cols
    size = pair(output_size, "output_size")
    geometry = _geometry("fold", size, kernel_size, dilation, padding, stride)
    kernel, grid = geometry[1], geometry[5]
    per_window = kernel[0] * kernel[1]
    if cols.shape[1] % per_window:
        raise RuntimeError(
            f"fold: Expected size of input's dimension 1 to be divisible by the product of kernel_size, "
            f"but got input.size(1)={cols.shape[1]} and kernel_size={kernel}"
        )
    if cols.shape[2] != grid[0] * grid[1]:
        raise RuntimeError(
            f"fold: Given output_size={size}, kernel_size={kernel}, dilation={geometry[2]}, "
            f"padding={geometry[3]}, stride={geometry[4]}, expected size of input's dimension 2 to match "
            f"the calculated number of sliding blocks {grid[0]} * {grid[1]} = {grid[0] * grid[1]}, "
            f"but got input.size(2)={cols.shape[2]}."
        )
    out = FoldFunction.apply(cols, geometry=geometry)
    return out[0] if unbatched else out
