"""3x3, stride-1 convolutions of NumPy data by Winograd's F(2x2, 3x3) (see jaring/kernels/winograd.py).

Conv2dFunction's forward takes this path for 3x3 kernels with stride 1, dilation 1 and at least
_CHANNELS input channels (the seed's CNNs: every convolution after the first): 16 GEMMs of
(tiles, C) @ (C, O) on transformed tiles instead of one im2col GEMM with 2.25 times their
multiply-adds. Its backward is the im2col one (the weight gradient from columns rebuilt from
the saved input, the input gradient by col2im), so gradients are unchanged.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import kernels

# Fewer channels make the GEMMs too thin to gain on im2col's (the first layer's 3 channels).
_CHANNELS = 16

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
