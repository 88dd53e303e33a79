"""max_unpool2d: the partial inverse of max_pool2d, as torch.nn.functional.max_unpool2d.

Each pooled value goes back to the pixel its index names (max_pool2d(..., return_indices=True)),
every other pixel is zero; the backward reads the gradient at those pixels. Indices are flat
positions h * W + w in each (N, C) plane of the output, PyTorch's convention.
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.geometry import pair
from jaring.ops.pool_general import PlaneScatter


def unpooled_size(size: int, kernel: int, stride: int, padding: int) -> int:
    """PyTorch's default output size: (size - 1) * stride - 2 * padding + kernel."""
    return (size - 1) * stride - 2 * padding + kernel


def max_unpool2d(
    input: Any,
    indices: Any,
    kernel_size: Any,
    stride: Any = None,
    padding: Any = 0,
    output_size: Any = None,
) -> Tensor:
    """Zeros of the unpooled size with input[n, c, i, j] at flat position indices[n, c, i, j].

    output_size: (H, W) or a full shape ending in (H, W), for the input sizes a strided pool
    maps to the same pooled size; by default (size - 1) * stride - 2 * padding + kernel.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.arange(16.0).reshape(1, 1, 4, 4)  # (N, C, H, W)
        >>> pooled, indices = F.max_pool2d(x, 2, return_indices=True)
        >>> F.max_unpool2d(pooled, indices, 2).numpy()  # each maximum back in its place
        array([[[[ 0.,  0.,  0.,  0.],
                 [ 0.,  5.,  0.,  7.],
                 [ 0.,  0.,  0.,  0.],
                 [ 0., 13.,  0., 15.]]]], dtype=float32)
    """
    op = "max_unpool2d"
    x, idx = as_tensor(input), as_tensor(indices)
    if x.ndim != 4 or idx.shape != x.shape:
        raise ValueError(
            f"{op}: expected input (N, C, H, W) and indices of its shape, got {x.shape} and {idx.shape}"
        )
    if idx.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: indices must be integers (from max_pool2d(..., return_indices=True)), got {idx.dtype}"
        )
    kernel = pair(kernel_size, "kernel_size")
    stride = kernel if stride is None else pair(stride, "stride")
    padding = pair(padding, "padding", 0)
    if output_size is None:
        size = tuple(unpooled_size(n, k, s, p) for n, k, s, p in zip(x.shape[2:], kernel, stride, padding))
    else:
        size = tuple(int(v) for v in tuple(output_size)[-2:])
        if len(tuple(output_size)) not in (2, 4) or min(size) < 1:
            raise ValueError(
                f"{op}: output_size must be (H, W) or (N, C, H, W) with positive sizes, got {output_size!r}"
            )
    data = idx.data
    if data.size and (int(data.min()) < 0 or int(data.max()) >= size[0] * size[1]):
        raise ValueError(
            f"{op}: indices must be in [0, {size[0] * size[1] - 1}] for an output of {size[0]}x{size[1]}, "
            f"got {int(data.min())} to {int(data.max())}"
        )
    return PlaneScatter.apply(x, indices=data, shape=x.shape[:2] + size)
