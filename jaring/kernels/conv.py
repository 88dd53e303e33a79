"""2-D convolution's loops around its GEMMs, on channels-last (N, H, W, C) arrays.

Row (b * Ho + y) * Wo + x of the im2col matrix is output pixel (b, y, x); its column
(i * kw + j) * C + c holds input pixel (b, y * sh + i * dh - top, x * sw + j * dw - left, c), or
a zero where that falls in the padding: the layout jaring/ops/conv.py multiplies with its
weight matrix. The kernels fill arrays the caller allocates with NumPy, which asks the
operating system for huge pages on large arrays; Numba's own allocation faults in every 4 KiB
page of a fresh, many-megabyte matrix, which made a kernel that allocated its result slower
than NumPy's copy. They run on one thread: prange lost to the plain loops on the 2-core
machines this was tuned on, its threads competing with BLAS's for the same cores.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def im2col(x, cols, kh, kw, sh, sw, dh, dw, top, left, ho, wo):  # pragma: no cover
    """Fill cols (N*Ho*Wo, kh*kw*C) with every window of x (N, H, W, C), zeros for padding.

    Reads the unpadded input in place: no padded copy first."""
    n, h, w, c = x.shape
    for b in range(n):
        for y in range(ho):
            for xo in range(wo):
                row = (b * ho + y) * wo + xo
                for i in range(kh):
                    r = y * sh + i * dh - top
                    for j in range(kw):
                        q = xo * sw + j * dw - left
                        first = (i * kw + j) * c
                        if 0 <= r < h and 0 <= q < w:
                            for k in range(c):
                                cols[row, first + k] = x[b, r, q, k]
                        else:
                            for k in range(c):
                                cols[row, first + k] = 0


@njit(cache=True)
def col2im(cols, out, kh, kw, sh, sw, dh, dw, top, left, ho, wo):  # pragma: no cover
    """Fill out (N, H, W, C), the input gradient, from the columns' gradient (N*Ho*Wo, kh*kw*C):
    each input pixel gathers the share of every window that read it.

    A gather, not a scatter: each pixel is written once, from a running sum, so out needs no
    zeroing and no read-modify-write."""
    n, h, w, c = out.shape
    total = np.empty(c, cols.dtype)
    for b in range(n):
        for row in range(h):
            for col in range(w):
                total[:] = 0
                for i in range(kh):
                    # output row y read this pixel through kernel row i if y * sh + i * dh - top == row
                    t = row + top - i * dh
                    y = t // sh
                    if t < 0 or t % sh or y >= ho:
                        continue
                    for j in range(kw):
                        u = col + left - j * dw
                        xo = u // sw
                        if u < 0 or u % sw or xo >= wo:
                            continue
                        src = (b * ho + y) * wo + xo
                        first = (i * kw + j) * c
                        for k in range(c):
                            total[k] += cols[src, first + k]
                for k in range(c):
                    out[b, row, col, k] = total[k]


@njit(cache=True)
def bias_relu(out, bias):  # pragma: no cover
    """out (M, O) <- max(out + bias, 0) in place: the bias and the fused ReLU in one pass."""
    m, o = out.shape
    for p in range(m):
        for k in range(o):
            v = out[p, k] + bias[k]
            out[p, k] = v if v > 0 or v != v else 0  # NaN stays NaN, as with np.maximum


@njit(cache=True)
def relu_backward(g, out, masked, bias_grad):  # pragma: no cover
    """masked (M, O) <- g * (out > 0), the fused ReLU's gradient, and when bias_grad (O,) is not
    empty, its column sums (the bias gradient) from the same pass, summed in float64."""
    m, o = g.shape
    total = np.zeros(o, np.float64)
    for p in range(m):
        grad_row, out_row, masked_row = g[p], out[p], masked[p]
        for k in range(o):
            masked_row[k] = grad_row[k] if out_row[k] > 0 else grad_row[k] * 0  # NaN stays NaN
        for k in range(o):
            total[k] += masked_row[k]
    if bias_grad.size:
        for k in range(o):
            bias_grad[k] = total[k]
