"""Winograd's F(2x2, 3x3) convolution transforms, on channels-last (N, H, W, C) arrays.

A 3x3 convolution with stride 1 computes each 2x2 block of output pixels (a tile) from the
4x4 block of input pixels around it. Winograd's minimal filtering algorithm (Lavin and Gray,
"Fast Algorithms for Convolutional Neural Networks", 2015) does it with 16 products per input
and output channel instead of 36: the input tile d goes to V = B^T d B, the 3x3 kernel g to
U = G g G^T, and the output tile is A^T (U * V) A, where * multiplies element by element and
sums over input channels. Summed over channels, the 16 elementwise products are 16 GEMMs
(tiles, C) @ (C, O), 2.25 times fewer multiply-adds than im2col's single GEMM, on transformed
inputs 4 times the input's size instead of im2col's 9. The transforms only add and subtract
(B and A hold 0 and +-1; G also 1/2), so float32 results stay within a few ulps of direct
convolution's.

Layout: the transformed inputs v are (16, tiles, C) and the GEMMs' results m (16, tiles, O),
element (4 * a + b) of a tile's 4x4 matrix in plane 4 * a + b, tiles in (image, tile row, tile
column) order. Row r of a tile reads input row 2 * tile_row - top + r, and column c input
column 2 * tile_column - left + c; what falls outside the input is padding (zero). The loops run
along whole rows of tiles (tiles_w * C values), not tile by tile, so that they vectorise: a
tile's 4 columns are 2 pixels apart, so each row is first split into its even and odd pixels.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# G (4x3) of F(2x2, 3x3); the weight transform U = G g G^T for each (input, output) channel pair
# is, over all pairs at once, kron(G, G) (16x9) times the 3x3 kernels as (9, C*O).
G = np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]])
WEIGHT_TRANSFORM = np.kron(G, G)


@njit(cache=True, inline="always")
def _b_transpose(d0, d1, d2, d3, out0, out1, out2, out3):  # pragma: no cover
    """B^T applied to four equally long rows d0..d3, element by element, into out0..out3: each its
    own loop, so that each vectorises."""
    for z in range(d0.size):
        out0[z] = d0[z] - d2[z]
    for z in range(d0.size):
        out1[z] = d1[z] + d2[z]
    for z in range(d0.size):
        out2[z] = d2[z] - d1[z]
    for z in range(d0.size):
        out3[z] = d1[z] - d3[z]


@njit(cache=True)
def transform_input(x, v, top, left, tiles_h, tiles_w):  # pragma: no cover
    """Fill v (16, N * tiles_h * tiles_w, C) with B^T d B of every 4x4 input tile d of x (N, H, W, C).

    B^T = [[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]], applied along each
    padded input row first (to the tile columns), then down the rows."""
    n, h, w, c = x.shape
    span = tiles_w * c  # one row of tiles, one of their 4 columns
    planes = v.reshape(16, -1)
    rows = np.empty((2 * tiles_h + 2, 4, span), x.dtype)  # the column transform of each padded row
    even = np.empty((tiles_w + 1) * c, x.dtype)  # padded columns 0, 2, 4, ...
    odd = np.empty((tiles_w + 1) * c, x.dtype)  # padded columns 1, 3, 5, ...
    for b in range(n):
        for rp in range(2 * tiles_h + 2):
            r = rp - top
            f = rows[rp]
            if r < 0 or r >= h:
                f[:] = 0
                continue
            pixels = x[b, r].reshape(-1)  # the row's (W, C) values
            for u in range(tiles_w + 1):
                q = 2 * u - left
                target = even[u * c : (u + 1) * c]
                if 0 <= q < w:
                    source = pixels[q * c : (q + 1) * c]
                    for k in range(c):
                        target[k] = source[k]
                else:
                    target[:] = 0
                q += 1
                target = odd[u * c : (u + 1) * c]
                if 0 <= q < w:
                    source = pixels[q * c : (q + 1) * c]
                    for k in range(c):
                        target[k] = source[k]
                else:
                    target[:] = 0
            # tile column tx reads padded columns 2tx .. 2tx + 3: even[tx], odd[tx], even[tx + 1], odd[tx + 1]
            _b_transpose(even[:span], odd[:span], even[c:], odd[c:], f[0], f[1], f[2], f[3])
        for ty in range(tiles_h):
            start = (b * tiles_h + ty) * span
            r0, r1, r2, r3 = rows[2 * ty], rows[2 * ty + 1], rows[2 * ty + 2], rows[2 * ty + 3]
            stop = start + span
            for j in range(4):
                p0, p1 = planes[j, start:stop], planes[4 + j, start:stop]
                p2, p3 = planes[8 + j, start:stop], planes[12 + j, start:stop]
                _b_transpose(r0[j], r1[j], r2[j], r3[j], p0, p1, p2, p3)


@njit(cache=True)
def transform_output(m, out, bias, relu, tiles_h, tiles_w):  # pragma: no cover
    """Write out (N, Ho, Wo, O) from m (16, N * tiles_h * tiles_w, O), the GEMMs' results: each
    tile's A^T m A, A^T = [[1, 1, 1, 0], [0, 1, -1, -1]], plus bias (O,) unless it is empty, and
    max(., 0) when relu (NaN stays NaN, as with np.maximum). The last tile row and column are
    cut where Ho or Wo is odd."""
    n, ho, wo, o = out.shape
    span = tiles_w * o
    planes = m.reshape(16, -1)
    s = np.empty((2, 4, span), m.dtype)  # A^T m: the two output rows of each tile column
    zero = m.dtype.type(0)
    for b in range(n):
        for ty in range(tiles_h):
            start = (b * tiles_h + ty) * span
            stop = start + span
            for j in range(4):
                m0, m1 = planes[j, start:stop], planes[4 + j, start:stop]
                m2, m3 = planes[8 + j, start:stop], planes[12 + j, start:stop]
                top_row, bottom_row = s[0, j], s[1, j]
                for z in range(span):
                    top_row[z] = m0[z] + m1[z] + m2[z]
                for z in range(span):
                    bottom_row[z] = m1[z] - m2[z] - m3[z]
            for a in range(2):
                y = 2 * ty + a
                if y >= ho:
                    continue
                s0, s1, s2, s3 = s[a, 0], s[a, 1], s[a, 2], s[a, 3]
                for tx in range(tiles_w):
                    for dx in range(2):
                        xo = 2 * tx + dx
                        if xo >= wo:
                            continue
                        pixel = out[b, y, xo]
                        t0, t1 = s0[tx * o : (tx + 1) * o], s1[tx * o : (tx + 1) * o]
                        t2, t3 = s2[tx * o : (tx + 1) * o], s3[tx * o : (tx + 1) * o]
                        for k in range(o):
                            value = t0[k] + t1[k] + t2[k] if dx == 0 else t1[k] - t2[k] - t3[k]
                            if bias.size:
                                value += bias[k]
                            if relu:
                                value = value if value > 0 or value != value else zero
                            pixel[k] = value
