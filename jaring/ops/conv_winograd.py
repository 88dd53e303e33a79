"""3x3, stride-1 convolutions of NumPy data by Winograd's F(2x2, 3x3) (see jaring/kernels/winograd.py).

Conv2dFunction's forward takes this path when no gradient will be taken (inference, no_grad)
for 3x3 kernels with stride 1, dilation 1 and at least _CHANNELS input channels (the seed's
CNNs: every convolution after the first): 16 GEMMs of (tiles, C) @ (C, O) on transformed tiles
instead of one im2col GEMM with 2.25 times their multiply-adds. Training keeps the im2col
forward, whose columns its weight gradient needs anyway; its input gradient, a convolution of
the output gradient with the kernel turned by 180 degrees, takes this path in place of col2im.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import kernels

# Fewer channels make the GEMMs too thin to gain on im2col's (the first layer's 3 channels).
_CHANNELS = 16

# Fewest input channels for which the input gradient takes this path (see takes_input_gradient).
_GRADIENT_CHANNELS = 64

# Working-set size of a batch chunk's transformed tiles and products (v and m).
_CHUNK_BYTES = 4 << 20


def applies(kernel: tuple, stride: tuple, dilation: tuple, channels: int) -> bool:
    """Whether a convolution with this geometry takes the Winograd path."""
    return (
        tuple(kernel) == (3, 3)
        and tuple(stride) == (1, 1)
        and tuple(dilation) == (1, 1)
        and channels >= _CHANNELS
    )


def takes_input_gradient(weight_shape: tuple, stride: tuple, dilation: tuple, padding: tuple) -> bool:
    """Whether the input gradient of a convolution with this geometry takes the Winograd path.

    The gradient convolves the O output channels into the C input channels; with fewer than
    _GRADIENT_CHANNELS of the latter its GEMMs are too narrow to beat col2im (64 batch images of
    16x16, 32 -> 64 channels: 10.7 ms against 9.0), with more it wins (64 -> 64 channels of
    32x32: 23 against 35 ms). Padding past 2, beyond the kernel's reach, would need a negative
    padding there."""
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
    out = conv3x3(nhwc, turned, None, False, (2 - top, 2 - bottom, 2 - left, 2 - right), (h, w))
    return out.reshape(n, h, w, c).transpose(0, 3, 1, 2)


def conv3x3(
    nhwc: np.ndarray, wmat: np.ndarray, bias: Any, relu: bool, padding: tuple, out_hw: tuple
) -> np.ndarray:
    """The convolution's (N*Ho*Wo, O) result, rows in (image, row, column) order, of nhwc
    (N, H, W, C) with the im2col weight matrix wmat (9*C, O), plus bias (O,) or None, then ReLU
    when relu. A few images at a time, so that their transformed tiles stay in cache."""
    winograd = kernels.family("winograd")
    n, _, _, c = nhwc.shape
    o, (ho, wo) = wmat.shape[1], out_hw
    tiles_h, tiles_w = (ho + 1) // 2, (wo + 1) // 2
    tiles = tiles_h * tiles_w
    # U = G g G^T for every (input, output) channel pair: (16, 9) @ (9, C*O), then (16, C, O).
    u = (winograd.WEIGHT_TRANSFORM.astype(wmat.dtype) @ wmat.reshape(9, c * o)).reshape(16, c, o)
    out = np.empty((n, ho, wo, o), dtype=nhwc.dtype)
    chunk = max(1, _CHUNK_BYTES // (16 * tiles * (c + o) * nhwc.itemsize))
    # flat buffers, so that a shorter last chunk still gets contiguous (16, tiles, .) views
    v = np.empty(16 * min(chunk, n) * tiles * c, dtype=nhwc.dtype)
    m = np.empty(16 * min(chunk, n) * tiles * o, dtype=nhwc.dtype)
    no_bias = np.empty(0, dtype=nhwc.dtype)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        rows = (stop - start) * tiles
        v_part = v[: 16 * rows * c].reshape(16, rows, c)
        m_part = m[: 16 * rows * o].reshape(16, rows, o)
        winograd.transform_input(nhwc[start:stop], v_part, padding[0], padding[2], tiles_h, tiles_w)
        np.matmul(v_part, u, out=m_part)
        winograd.transform_output(
            m_part, out[start:stop], no_bias if bias is None else bias, relu, tiles_h, tiles_w
        )
    return out.reshape(n * ho * wo, o)
