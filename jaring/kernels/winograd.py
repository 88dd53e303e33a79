"""Winograd's F(2x2, 3x3) and F(4x4, 3x3) convolution transforms, on channels-last (N, H, W, C) arrays.

A 3x3 convolution with stride 1 computes each m x m block of output pixels (a tile, m = 2 or 4)
from the (m + 2) x (m + 2) block of input pixels around it. Winograd's minimal filtering
algorithm (Lavin and Gray, "Fast Algorithms for Convolutional Neural Networks", 2015) does it
with (m + 2)**2 products per input and output channel instead of 9 * m**2: the input tile d goes
to V = B^T d B, the 3x3 kernel g to U = G g G^T, and the output tile is A^T (U * V) A, where *
multiplies element by element and sums over input channels. Summed over channels, the products
are (m + 2)**2 GEMMs (tiles, C) @ (C, O): for F(2x2, 3x3) 16 of them with 2.25 times fewer
multiply-adds than im2col's single GEMM, on transformed inputs 4 times the input's size; for
F(4x4, 3x3) 36 with 4 times fewer, on 2.25 times the input's size (im2col's columns: 9 times).
F(2x2, 3x3)'s transforms only add and subtract (B and A hold 0 and +-1; G also 1/2), so float32
results stay within a few ulps of direct convolution's; F(4x4, 3x3)'s hold small integers and
fractions of 24, and its results differ by about 1e-5 of the outputs' scale.

Layout: the transformed inputs v are (size**2, tiles, C) and the GEMMs' results (size**2,
tiles, O), size = m + 2, element (size * a + b) of a tile's matrix in plane size * a + b, tiles
in (image, tile row, tile column) order. Row r of a tile reads input row m * tile_row - top + r,
and column c input column m * tile_column - left + c; what falls outside the input is padding
(zero). The loops run along whole rows of tiles (tiles_w * C values), not tile by tile, so that
they vectorise: a tile's columns are m pixels apart from the next tile's, so each padded row is
first split into its m phases (columns m * u + k, k < m). Each tile size has its own entry
points (transform_input_2 and transform_output_2, transform_input_4 and transform_output_4), so
that a program compiles only the sizes it uses.
"""

from __future__ import annotations

import numpy as np
from numba import njit

# G of F(2x2, 3x3) (4x3) and of F(4x4, 3x3) (6x3), by tile size; the weight transform
# U = G g G^T for each (input, output) channel pair is, over all pairs at once, kron(G, G)
# ((m + 2)**2 x 9) times the 3x3 kernels as (9, C*O).
G = {
    2: np.array([[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]]),
    4: np.array(
        [
            [1 / 4, 0, 0],
            [-1 / 6, -1 / 6, -1 / 6],
            [-1 / 6, 1 / 6, -1 / 6],
            [1 / 24, 1 / 12, 1 / 6],
            [1 / 24, -1 / 12, 1 / 6],
            [0, 0, 1],
        ]
    ),
}
WEIGHT_TRANSFORM = {tile: np.kron(g, g) for tile, g in G.items()}
# B^T and A^T, which the kernels below write out term by term
B_T = {
    2: np.array([[1, 0, -1, 0], [0, 1, 1, 0], [0, -1, 1, 0], [0, 1, 0, -1]]),
    4: np.array(
        [
            [4, 0, -5, 0, 1, 0],
            [0, -4, -4, 1, 1, 0],
            [0, 4, -4, -1, 1, 0],
            [0, -2, -1, 2, 1, 0],
            [0, 2, -1, -2, 1, 0],
            [0, 4, 0, -5, 0, 1],
        ]
    ),
}
A_T = {
    2: np.array([[1, 1, 1, 0], [0, 1, -1, -1]]),
    4: np.array([[1, 1, 1, 1, 1, 0], [0, 1, -1, 2, -2, 0], [0, 1, 1, 4, 4, 0], [0, 1, -1, 8, -8, 1]]),
}


@njit(cache=True, inline="always")
def _b_transpose_2(d0, d1, d2, d3, o0, o1, o2, o3):  # pragma: no cover
    """F(2x2, 3x3)'s B^T applied to four equally long rows d0..d3, element by element, into
    o0..o3: each its own loop, so that each vectorises."""
    for z in range(d0.size):
        o0[z] = d0[z] - d2[z]
    for z in range(d0.size):
        o1[z] = d1[z] + d2[z]
    for z in range(d0.size):
        o2[z] = d2[z] - d1[z]
    for z in range(d0.size):
        o3[z] = d1[z] - d3[z]


@njit(cache=True, inline="always")
def _b_transpose_4(d0, d1, d2, d3, d4, d5, o0, o1, o2, o3, o4, o5):  # pragma: no cover
    """F(4x4, 3x3)'s B^T applied to six equally long rows d0..d5, element by element, into o0..o5."""
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
def _a_transpose_2(m0, m1, m2, m3, o0, o1):  # pragma: no cover
    """F(2x2, 3x3)'s A^T applied to four equally long rows m0..m3, element by element, into o0, o1."""
    for z in range(m0.size):
        o0[z] = m0[z] + m1[z] + m2[z]
    for z in range(m0.size):
        o1[z] = m1[z] - m2[z] - m3[z]


@njit(cache=True, inline="always")
def _a_transpose_4(m0, m1, m2, m3, m4, m5, o0, o1, o2, o3):  # pragma: no cover
    """F(4x4, 3x3)'s A^T applied to six equally long rows m0..m5, element by element, into o0..o3."""
    for z in range(m0.size):
        o0[z] = m0[z] + m1[z] + m2[z] + m3[z] + m4[z]
    for z in range(m0.size):
        o1[z] = m1[z] - m2[z] + 2 * (m3[z] - m4[z])
    for z in range(m0.size):
        o2[z] = m1[z] + m2[z] + 4 * (m3[z] + m4[z])
    for z in range(m0.size):
        o3[z] = m1[z] - m2[z] + 8 * (m3[z] - m4[z]) + m5[z]


@njit(cache=True, inline="always")
def _split_phases(pixels, phases, left, width, c, stride):  # pragma: no cover
    """Spread one input row's pixels (W * C values, W = width) over the tile size's phases:
    phases[k] (k < stride, the tile size) holds padded columns k, stride + k, 2 * stride + k, ...
    (zero outside the row), so that each of a tile's columns is one contiguous run across all
    tiles. stride is passed, not read from phases.shape, so that it is a compile-time constant in
    each entry point's inlined copy and its loop unrolls."""
    for u in range(phases.shape[1] // c):
        for k in range(stride):
            q = stride * u + k - left
            target = phases[k, u * c : (u + 1) * c]
            if 0 <= q < width:
                source = pixels[q * c : (q + 1) * c]
                for z in range(c):
                    target[z] = source[z]
            else:
                target[:] = 0


@njit(cache=True, inline="always")
def _write_row(row, t, bias, relu):  # pragma: no cover
    """One output row (Wo, O) from t (tile, tiles_w * O), the row's pixels of every tile: pixel
    tile * tx + dx is t[dx] at tile column tx, plus bias[k] (no bias when it is empty), then
    max(., 0) when relu, with NaN kept as np.maximum keeps it. Pixels past Wo are cut."""
    wo, o = row.shape
    tile = t.shape[0]
    zero = row.dtype.type(0)
    for tx in range(t.shape[1] // o):
        for dx in range(min(tile, wo - tile * tx)):
            pixel, values = row[tile * tx + dx], t[dx, tx * o : (tx + 1) * o]
            for k in range(o):
                value = values[k]
                if bias.size:
                    value += bias[k]
                if relu:
                    value = value if value > 0 or value != value else zero
                pixel[k] = value


@njit(cache=True)
def transform_input_2(x, v, top, left, tiles_h, tiles_w):  # pragma: no cover
    """Fill v (16, N * tiles_h * tiles_w, C) with F(2x2, 3x3)'s B^T d B of every 4x4 input tile d of
    x (N, H, W, C): along each padded input row first (to the tile columns), then down the rows."""
    _transform_input(x, v, top, left, tiles_h, tiles_w, 4)


@njit(cache=True)
def transform_input_4(x, v, top, left, tiles_h, tiles_w):  # pragma: no cover
    """transform_input_2 for F(4x4, 3x3): v (36, N * tiles_h * tiles_w, C) from 6x6 input tiles."""
    _transform_input(x, v, top, left, tiles_h, tiles_w, 6)


@njit(cache=True, inline="always")
def _transform_input(x, v, top, left, tiles_h, tiles_w, size):  # pragma: no cover
    """The input transforms' loops, for tiles of size x size input pixels: a constant in each
    entry point's inlined copy, so that the compiler drops the other size's code. The rows the
    transforms take and fill are one-dimensional slices of contiguous arrays, which Numba knows
    to be contiguous, so that their loops vectorise."""
    n, h, w, c = x.shape
    tile = size - 2
    span = tiles_w * c  # one row of tiles, one of their columns
    planes = v.reshape(size * size, -1)
    rows = np.empty((tile * tiles_h + 2, size, span), x.dtype)  # the column transform of each padded row
    phases = np.empty((tile, (tiles_w + 1) * c), x.dtype)  # padded columns tile * u + k in phases[k]
    for b in range(n):
        for rp in range(tile * tiles_h + 2):
            r = rp - top
            f = rows[rp]
            if r < 0 or r >= h:
                f[:] = 0
                continue
            _split_phases(x[b, r].reshape(-1), phases, left, w, c, tile)
            # tile column tx reads padded columns tile * tx + k, k < size: phase k % tile at tx + k // tile
            p0, p1 = phases[0], phases[1]
            if size == 4:
                _b_transpose_2(p0[:span], p1[:span], p0[c:], p1[c:], f[0], f[1], f[2], f[3])
            else:
                p2, p3 = phases[2], phases[3]
                _b_transpose_4(
                    p0[:span], p1[:span], p2[:span], p3[:span], p0[c : c + span], p1[c : c + span],
                    f[0], f[1], f[2], f[3], f[4], f[5],
                )  # fmt: skip
        for ty in range(tiles_h):
            start = (b * tiles_h + ty) * span
            stop = start + span
            tile_rows = rows[tile * ty : tile * ty + size]
            for j in range(size):
                if size == 4:
                    _b_transpose_2(
                        tile_rows[0, j], tile_rows[1, j], tile_rows[2, j], tile_rows[3, j],
                        planes[j, start:stop], planes[4 + j, start:stop], planes[8 + j, start:stop],
                        planes[12 + j, start:stop],
                    )  # fmt: skip
                else:
                    _b_transpose_4(
                        tile_rows[0, j], tile_rows[1, j], tile_rows[2, j], tile_rows[3, j], tile_rows[4, j],
                        tile_rows[5, j],
                        planes[j, start:stop], planes[6 + j, start:stop], planes[12 + j, start:stop],
                        planes[18 + j, start:stop], planes[24 + j, start:stop], planes[30 + j, start:stop],
                    )  # fmt: skip


@njit(cache=True)
def transform_output_2(m, out, bias, relu, tiles_h, tiles_w):  # pragma: no cover
    """Write out (N, Ho, Wo, O) from m (16, N * tiles_h * tiles_w, O), F(2x2, 3x3)'s GEMM results:
    each tile's A^T m A, plus bias (O,) unless it is empty, and max(., 0) when relu (NaN stays
    NaN, as with np.maximum). The last tile row and column are cut where Ho or Wo is odd."""
    _transform_output(m, out, bias, relu, tiles_h, tiles_w, 4)


@njit(cache=True)
def transform_output_4(m, out, bias, relu, tiles_h, tiles_w):  # pragma: no cover
    """transform_output_2 for F(4x4, 3x3): m (36, N * tiles_h * tiles_w, O), 4x4 output tiles, the
    last tile row and column cut where Ho or Wo is not a multiple of 4."""
    _transform_output(m, out, bias, relu, tiles_h, tiles_w, 6)


@njit(cache=True, inline="always")
def _transform_output(m, out, bias, relu, tiles_h, tiles_w, size):  # pragma: no cover
    """The output transforms' loops, for tiles of (size - 2) x (size - 2) output pixels (a
    constant, as in _transform_input)."""
    n, ho, wo, o = out.shape
    tile = size - 2
    span = tiles_w * o
    planes = m.reshape(size * size, -1)
    s = np.empty((tile, size, span), m.dtype)  # A^T m: the output rows of each tile column
    t = np.empty((tile, span), m.dtype)  # one output row's pixels of each tile
    for b in range(n):
        for ty in range(tiles_h):
            start = (b * tiles_h + ty) * span
            stop = start + span
            for j in range(size):
                if size == 4:
                    _a_transpose_2(
                        planes[j, start:stop], planes[4 + j, start:stop], planes[8 + j, start:stop],
                        planes[12 + j, start:stop], s[0, j], s[1, j],
                    )  # fmt: skip
                else:
                    _a_transpose_4(
                        planes[j, start:stop], planes[6 + j, start:stop], planes[12 + j, start:stop],
                        planes[18 + j, start:stop], planes[24 + j, start:stop], planes[30 + j, start:stop],
                        s[0, j], s[1, j], s[2, j], s[3, j],
                    )  # fmt: skip
            for a in range(min(tile, ho - tile * ty)):
                row = s[a]
                if size == 4:
                    _a_transpose_2(row[0], row[1], row[2], row[3], t[0], t[1])
                else:
                    _a_transpose_4(row[0], row[1], row[2], row[3], row[4], row[5], t[0], t[1], t[2], t[3])
                _write_row(out[b, tile * ty + a], t, bias, relu)
