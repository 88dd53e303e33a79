"""Winograd's F(4x4, 3x3) convolution transforms, on channels-last (N, H, W, C) arrays.

Each 4x4 block of output pixels (a tile) comes from the 6x6 block of input pixels around it,
with 36 products per input and output channel instead of 144: V = B^T d B of the input tile d,
U = G g G^T of the 3x3 kernel g, and the output tile A^T (U * V) A, summed over input channels
as 36 GEMMs (tiles, C) @ (C, O), 4 times fewer multiply-adds than im2col's GEMM, on transformed
inputs 2.25 times the input's size instead of im2col's 9 (Lavin and Gray, "Fast Algorithms for
Convolutional Neural Networks", 2015). B and A hold small integers and G fractions of 24, so
float32 results differ from direct convolution's by about 1e-5 of the outputs' scale, where
F(2x2, 3x3) stays within a few ulps.

Layout: v (36, tiles, C) and the GEMMs' results m (36, tiles, O), element (6 * a + b) of a
tile's 6x6 matrix in plane 6 * a + b, tiles in (image, tile row, tile column) order. Row r of
a tile reads input row 4 * tile_row - top + r, column c input column 4 * tile_column - left + c;
what falls outside the input is padding (zero). The loops run along whole rows of tiles
(tiles_w * C values), so that they vectorise: a tile's columns are 4 pixels apart from the next
tile's, so each padded row is first split into its 4 phases (columns 4u + k, k = 0..3).
"""

from __future__ import annotations

import numpy as np
from numba import njit

# G (6x3); U = G g G^T for each (input, output) channel pair is, over all pairs at once,
# kron(G, G) (36x9) times the 3x3 kernels as (9, C*O).
G = np.array(
    [
        [1 / 4, 0, 0],
        [-1 / 6, -1 / 6, -1 / 6],
        [-1 / 6, 1 / 6, -1 / 6],
        [1 / 24, 1 / 12, 1 / 6],
        [1 / 24, -1 / 12, 1 / 6],
        [0, 0, 1],
    ]
)
WEIGHT_TRANSFORM = np.kron(G, G)
# B^T (6x6) and A^T (4x6), which the kernels below write out term by term
B_T = np.array(
    [
        [4, 0, -5, 0, 1, 0],
        [0, -4, -4, 1, 1, 0],
        [0, 4, -4, -1, 1, 0],
        [0, -2, -1, 2, 1, 0],
        [0, 2, -1, -2, 1, 0],
        [0, 4, 0, -5, 0, 1],
    ]
)
A_T = np.array([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]])


@njit(cache=True, inline="always")
def _b_transpose(d0, d1, d2, d3, d4, d5, o0, o1, o2, o3, o4, o5):  # pragma: no cover
    """B^T applied to six equally long rows d0..d5, element by element, into o0..o5."""
    for z in range(d0.size):
        o0[z] = 4 * d0[z] - 5 * d2[z] + d4[z]
    for z in range(d0.size):
        o1[z] = d3[z] + d4[z] - 4 * (d1[z] + d2[z])
    for z in range(d0.size):
        o2[z] = d4[z] - d3[z] + 4 * (d1[z] - d2[z])
    for z in range(d0.size):
        o3[z] = d4[z] - d2[z] + 2 * (d3[z] - d1[z])
    for z in range(d0.size):
        o4[z] = d4[z] - d2[z] + 2 * (d1[z] - d3[z])
    for z in range(d0.size):
        o5[z] = 4 * d1[z] - 5 * d3[z] + d5[z]


@njit(cache=True, inline="always")
def _a_transpose(m0, m1, m2, m3, m4, m5, o0, o1, o2, o3):  # pragma: no cover
    """A^T applied to six equally long rows m0..m5, element by element, into o0..o3."""
    for z in range(m0.size):
        o0[z] = m0[z] + m1[z] + m2[z] + m3[z] + m4[z]
    for z in range(m0.size):
        o1[z] = m1[z] - m2[z] + 2 * (m3[z] - m4[z])
    for z in range(m0.size):
        o2[z] = m1[z] + m2[z] + 4 * (m3[z] + m4[z])
    for z in range(m0.size):
        o3[z] = m1[z] - m2[z] + 8 * (m3[z] - m4[z]) + m5[z]


@njit(cache=True)
def transform_input(x, v, top, left, tiles_h, tiles_w):  # pragma: no cover
    """Fill v (36, N * tiles_h * tiles_w, C) with B^T d B of every 6x6 input tile d of x (N, H, W, C):
    along each padded input row first (to the tile columns), then down the rows."""
    n, h, w, c = x.shape
    span = tiles_w * c  # one row of tiles, one of their 6 columns
    planes = v.reshape(36, -1)
    rows = np.empty((4 * tiles_h + 2, 6, span), x.dtype)  # the column transform of each padded row
    phases = np.empty((4, (tiles_w + 1) * c), x.dtype)  # padded columns 4u + k in phases[k]
    for b in range(n):
        for rp in range(4 * tiles_h + 2):
            r = rp - top
            f = rows[rp]
            if r < 0 or r >= h:
                f[:] = 0
                continue
            pixels = x[b, r].reshape(-1)  # the row's (W, C) values
            for u in range(tiles_w + 1):
                for k in range(4):
                    q = 4 * u + k - left
                    target = phases[k, u * c : (u + 1) * c]
                    if 0 <= q < w:
                        source = pixels[q * c : (q + 1) * c]
                        for z in range(c):
                            target[z] = source[z]
                    else:
                        target[:] = 0
            # tile column tx reads padded columns 4tx .. 4tx + 5: phases 0..3 at tx, then 0, 1 at tx + 1
            p0, p1, p2, p3 = phases[0], phases[1], phases[2], phases[3]
            _b_transpose(
                p0[:span], p1[:span], p2[:span], p3[:span], p0[c:], p1[c:], f[0], f[1], f[2], f[3], f[4], f[5]
            )
        for ty in range(tiles_h):
            start = (b * tiles_h + ty) * span
            stop = start + span
            r = rows[4 * ty : 4 * ty + 6]
            for j in range(6):
                _b_transpose(
                    r[0, j], r[1, j], r[2, j], r[3, j], r[4, j], r[5, j],
                    planes[j, start:stop], planes[6 + j, start:stop], planes[12 + j, start:stop],
                    planes[18 + j, start:stop], planes[24 + j, start:stop], planes[30 + j, start:stop],
                )  # fmt: skip


@njit(cache=True)
def transform_output(m, out, bias, relu, tiles_h, tiles_w):  # pragma: no cover
    """Write out (N, Ho, Wo, O) from m (36, N * tiles_h * tiles_w, O), the GEMMs' results: each
    tile's A^T m A, plus bias (O,) unless it is empty, and max(., 0) when relu (NaN stays NaN,
    as with np.maximum). The last tile row and column are cut where Ho or Wo is not a multiple
    of 4."""
    n, ho, wo, o = out.shape
    span = tiles_w * o
    planes = m.reshape(36, -1)
    s = np.empty((4, 6, span), m.dtype)  # A^T m: the four output rows of each tile column
    t = np.empty((4, span), m.dtype)  # one output row's four pixels of each tile
    zero = m.dtype.type(0)
    for b in range(n):
        for ty in range(tiles_h):
            start = (b * tiles_h + ty) * span
            stop = start + span
            for j in range(6):
                _a_transpose(
                    planes[j, start:stop], planes[6 + j, start:stop], planes[12 + j, start:stop],
                    planes[18 + j, start:stop], planes[24 + j, start:stop], planes[30 + j, start:stop],
                    s[0, j], s[1, j], s[2, j], s[3, j],
                )  # fmt: skip
            for a in range(4):
                y = 4 * ty + a
                if y >= ho:
                    break
                row = s[a]
                _a_transpose(row[0], row[1], row[2], row[3], row[4], row[5], t[0], t[1], t[2], t[3])
                for tx in range(tiles_w):
                    for dx in range(4):
                        xo = 4 * tx + dx
                        if xo >= wo:
                            break
                        pixel = out[b, y, xo]
                        source = t[dx, tx * o : (tx + 1) * o]
                        for k in range(o):
                            value = source[k]
                            if bias.size:
                                value += bias[k]
                            if relu:
                                value = value if value > 0 or value != value else zero
                            pixel[k] = value
