"""3x3, stride-1 convolutions of NumPy data by Winograd's minimal filtering, F(2x2, 3x3) or F(4x4, 3x3)
(jaring/kernels/winograd.py).

Conv2dFunction's forward takes this path when no gradient will be taken (inference, no_grad)
for 3x3 kernels with stride 1, dilation 1 and at least _CHANNELS input channels (the seed's
CNNs: every convolution after the first): GEMMs of (tiles, C) @ (C, O) on transformed tiles
instead of one im2col GEMM, with 2.25 (F(2x2)) or 4 (F(4x4)) times fewer multiply-adds. The
forward takes F(4x4, 3x3) on outputs of 8 or more pixels a side, whose 6x6 tiles then waste
little on padding, at the price of rounding errors near 1e-5 of the outputs' scale instead of
a few ulps. Training keeps the im2col forward, whose columns its weight gradient needs anyway;
its input gradient, a convolution of the output gradient with the kernel turned by 180 degrees,
takes F(2x2, 3x3) in place of col2im, so that gradients keep float32's precision.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import kernels

# Fewer channels make the GEMMs too thin to gain on im2col's (the first layer's 3 channels).
_CHANNELS = 16

# Fewest input channels for which the input gradient takes this path (see takes_input_gradient).
_GRADIENT_CHANNELS = 64

# Smallest output side for which the forward takes F(4x4, 3x3) (see forward_tile).
_LARGE_TILE_FROM = 8

# Working-set size of a batch chunk's transformed tiles and products (v and m): big enough that
# the GEMMs are not thin, small enough to stay in the caches.
_CHUNK_BYTES = 8 << 20


def applies(kernel: tuple, stride: tuple, dilation: tuple, channels: int) -> bool:
    """Whether a convolution with this geometry takes the Winograd path."""
    return (
        tuple(kernel) == (3, 3)
        and tuple(stride) == (1, 1)
        and tuple(dilation) == (1, 1)
        and channels >= _CHANNELS
    )


def forward_tile(out_hw: tuple) -> int:
    """The tile size m of the forward's F(m x m, 3x3): 4 where the output is at least
    _LARGE_TILE_FROM pixels a side, else 2 (on smaller outputs the 4x4 tiles' cut-off rows and
    columns cost more than F(4x4) saves)."""
    return 4 if min(out_hw) >= _LARGE_TILE_FROM else 2


def takes_input_gradient(weight_shape: tuple, stride: tuple, dilation: tuple, padding: tuple) -> bool:
    """Whether the input gradient of a convolution with this geometry takes the Winograd path.

    The gradient convolves the O output channels into the C input channels; with fewer than
    _GRADIENT_CHANNELS of the latter its GEMMs are too narrow for the default CNN's train step
    to gain on col2im, with more they win. Padding past 2, beyond the kernel's reach, would need
    a negative padding there."""
    o, c = weight_shape[:2]
    return (
        applies(weight_shape[2:], stride, dilation, o)
        and c >= _GRADIENT_CHANNELS
        and all(0 <= p <= 2 for p in padding)
    )


def input_gradient(g: np.ndarray, weight: np.ndarray, padding: tuple, x_shape: tuple, out_hw: tuple) -> Any:
    """The input gradient (N, C, H, W) of a 3x3, stride-1 convolution, from the output gradient g
    (N*Ho*Wo, O) in (image, row, column) order: grad_x[r, q] = sum over i, j of
    g[r + top - i, q + left - j] @ weight[:, :, i, j], that is g padded by 2 - top, 2 - bottom, ...
    correlated with the kernel turned by 180 degrees, input and output channels swapped."""
    n, c, h, w = x_shape
    o = weight.shape[0]
    turned = weight[:, :, ::-1, ::-1].transpose(2, 3, 0, 1).reshape(9 * o, c)  # rows (i, j, o)
    nhwc = np.ascontiguousarray(g).reshape(n, *out_hw, o)
    top, bottom, left, right = padding
    out = conv3x3(nhwc, turned, None, False, (2 - top, 2 - bottom, 2 - left, 2 - right), (h, w), tile=2)
    return out.reshape(n, h, w, c).transpose(0, 3, 1, 2)


def conv3x3(
    nhwc: np.ndarray, wmat: np.ndarray, bias: Any, relu: bool, padding: tuple, out_hw: tuple, tile: int = 2
) -> np.ndarray:
    """The convolution's (N*Ho*Wo, O) result, rows in (image, row, column) order, of nhwc
    (N, H, W, C) with the im2col weight matrix wmat (9*C, O), plus bias (O,) or None, then ReLU
    when relu, by F(tile x tile, 3x3), tile 2 or 4. A few images at a time, so that their
    transformed tiles stay in cache."""
    winograd = kernels.family("winograd")
    transform_input = winograd.transform_input_2 if tile == 2 else winograd.transform_input_4
    transform_output = winograd.transform_output_2 if tile == 2 else winograd.transform_output_4
    planes = (tile + 2) ** 2
    n, _, _, c = nhwc.shape
    o, (ho, wo) = wmat.shape[1], out_hw
    tiles_h, tiles_w = -(-ho // tile), -(-wo // tile)
    tiles = tiles_h * tiles_w
    # U = G g G^T for every (input, output) channel pair: (planes, 9) @ (9, C*O), then (planes, C, O).
    u = (winograd.WEIGHT_TRANSFORM[tile].astype(wmat.dtype) @ wmat.reshape(9, c * o)).reshape(planes, c, o)
    out = np.empty((n, ho, wo, o), dtype=nhwc.dtype)
    chunk = max(1, _CHUNK_BYTES // (planes * tiles * (c + o) * nhwc.itemsize))
    # flat buffers, so that a shorter last chunk still gets contiguous (planes, tiles, .) views
    v = np.empty(planes * min(chunk, n) * tiles * c, dtype=nhwc.dtype)
    m = np.empty(planes * min(chunk, n) * tiles * o, dtype=nhwc.dtype)
    no_bias = np.empty(0, dtype=nhwc.dtype)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        rows = (stop - start) * tiles
        v_part = v[: planes * rows * c].reshape(planes, rows, c)
        m_part = m[: planes * rows * o].reshape(planes, rows, o)
        transform_input(nhwc[start:stop], v_part, padding[0], padding[2], tiles_h, tiles_w)
        np.matmul(v_part, u, out=m_part)
        transform_output(m_part, out[start:stop], no_bias if bias is None else bias, relu, tiles_h, tiles_w)
    return out.reshape(n * ho * wo, o)
