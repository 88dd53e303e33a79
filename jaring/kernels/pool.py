"""Max and average pooling on channels-last (N, H, W, C) arrays, forward and backward.

Window (y, x) covers input rows y * sh + i - top and columns x * sw + j - left for i < kh,
j < kw; pixels outside the input are padding: never the maximum, and zeros for the average.
Kernel offset (i, j) is numbered i * kw + j, the order in which the first maximum is taken,
so ties go to the earliest offset (row-major), as in PyTorch; callers keep kh * kw <= 256 for
the one-byte offsets. One pass over each window,
instead of one array pass per offset.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def max_pool_forward(x, kh, kw, sh, sw, top, left, ho, wo, track):
    """(max over each window (N, Ho, Wo, C), offset of its first maximum as uint8, or an empty
    array when not track)."""
    n, h, w, c = x.shape
    out = np.empty((n, ho, wo, c), x.dtype)
    where = np.empty((n, ho, wo, c) if track else (0, 0, 0, 0), np.uint8)
    best = np.empty(c, x.dtype)
    # int32, as wide as a float32, so that the per-channel selects below compile to vector code;
    # a uint8 here (or a branch per channel) keeps the loop scalar and several times slower
    first = np.empty(c, np.int32)
    for b in range(n):
        for y in range(ho):
            for xo in range(wo):
                seen = False
                for i in range(kh):
                    row = y * sh + i - top
                    if row < 0 or row >= h:
                        continue
                    for j in range(kw):
                        col = xo * sw + j - left
                        if col < 0 or col >= w:
                            continue
                        offset = i * kw + j
                        if not seen:
                            for k in range(c):
                                best[k] = x[b, row, col, k]
                                first[k] = offset
                            seen = True
                        else:
                            for k in range(c):
                                value = x[b, row, col, k]
                                better = (value > best[k]) | (value != value)  # NaN wins, as in PyTorch
                                best[k] = value if better else best[k]
                                first[k] = offset if better else first[k]
                for k in range(c):
                    out[b, y, xo, k] = best[k]
                if track:
                    for k in range(c):
                        where[b, y, xo, k] = first[k]
    return out, where


@njit(cache=True)
def max_pool_backward(g, where, h, w, kh, kw, sh, sw, top, left, tiles):
    """Gradient of the input (N, H, W, C): each output's gradient added onto its window's first maximum.

    tiles: the windows cover the padded input exactly once each (the caller knows), so every
    input pixel is written once: no zeroing, no read-modify-write."""
    n, ho, wo, c = g.shape
    out = np.empty((n, h, w, c), g.dtype) if tiles else np.zeros((n, h, w, c), g.dtype)
    first = np.empty(c, np.int32)  # widened once per window, so the selects below vectorize
    for b in range(n):
        for y in range(ho):
            for xo in range(wo):
                for k in range(c):
                    first[k] = where[b, y, xo, k]
                # every offset of the window in turn, adding the gradient where it held the
                # maximum: contiguous channel loops instead of one scattered add per channel
                for i in range(kh):
                    row = y * sh + i - top
                    if row < 0 or row >= h:
                        continue
                    for j in range(kw):
                        col = xo * sw + j - left
                        if col < 0 or col >= w:
                            continue
                        offset = i * kw + j
                        if tiles:
                            for k in range(c):
                                out[b, row, col, k] = g[b, y, xo, k] if first[k] == offset else 0
                        else:
                            for k in range(c):
                                out[b, row, col, k] += g[b, y, xo, k] if first[k] == offset else 0
    return out


@njit(cache=True)
def avg_pool_forward(x, kh, kw, sh, sw, top, left, ho, wo, divisor):
    """Sum over each window divided by divisor[y, x] (N, Ho, Wo, C); padding adds zeros."""
    n, h, w, c = x.shape
    out = np.zeros((n, ho, wo, c), x.dtype)
    for b in range(n):
        for y in range(ho):
            for xo in range(wo):
                for i in range(kh):
                    row = y * sh + i - top
                    if row < 0 or row >= h:
                        continue
                    for j in range(kw):
                        col = xo * sw + j - left
                        if 0 <= col < w:
                            for k in range(c):
                                out[b, y, xo, k] += x[b, row, col, k]
                scale = 1.0 / divisor[y, xo]
                for k in range(c):
                    out[b, y, xo, k] *= scale
    return out


@njit(cache=True)
def avg_pool_backward(g, h, w, kh, kw, sh, sw, top, left, divisor):
    """Gradient of the input (N, H, W, C): each output's gradient / divisor spread over its window."""
    n, ho, wo, c = g.shape
    out = np.zeros((n, h, w, c), g.dtype)
    for b in range(n):
        for y in range(ho):
            for xo in range(wo):
                scale = 1.0 / divisor[y, xo]
                for i in range(kh):
                    row = y * sh + i - top
                    if row < 0 or row >= h:
                        continue
                    for j in range(kw):
                        col = xo * sw + j - left
                        if 0 <= col < w:
                            for k in range(c):
                                out[b, row, col, k] += g[b, y, xo, k] * scale
    return out
