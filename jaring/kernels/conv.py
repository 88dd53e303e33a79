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
from numba import carray, njit, types
from numba.core import cgutils
from numba.extending import intrinsic


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
def im2col_rows(xrows, cols, kh, run, sh, step, dh, ho, wo):  # pragma: no cover
    """Fill cols (N*Ho*Wo, kh*run) with every window of the padded rows xrows (N, Hp, Wp*C) when
    each window row is `run` = kw*C contiguous values (no dilation across a row): one copy of
    that run per window row, where im2col copies C values at a time. step = sw*C is the
    distance between neighbouring windows in a row; for few channels this beats NumPy's copy of
    the window view, which runs its inner loop over C values."""
    n = xrows.shape[0]
    for b in range(n):
        for y in range(ho):
            for i in range(kh):
                source = xrows[b, y * sh + i * dh]
                for xo in range(wo):
                    target = cols[(b * ho + y) * wo + xo, i * run : (i + 1) * run]
                    start = np.uint64(xo * step)  # unsigned: no wraparound test in the copy
                    for k in range(run):
                        target[k] = source[start + np.uint64(k)]


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


@intrinsic
def stack_pointer(typingctx, count, dtype):
    """A pointer to `count` (a literal int) uninitialised values of `dtype` on the stack, valid
    until the calling kernel returns. LLVM keeps such a buffer in registers when every index into
    it is a constant, which a buffer from np.empty (on the heap, possibly aliasing the arrays the
    kernel writes) never gets."""
    if not isinstance(count, types.IntegerLiteral):
        return None  # Numba retries with the literal
    size = count.literal_value

    def codegen(context, builder, signature, args):
        return cgutils.alloca_once(builder, context.get_value_type(signature.return_type.dtype), size=size)

    return types.CPointer(dtype.dtype)(count, dtype), codegen


# The direct convolution's register tile: PIXELS output pixels of one row times LANES output
# channels, accumulated across all of a window's taps before anything is stored. Callers lay out
# the weights in blocks of LANES and send only outputs at least PIXELS wide.
PIXELS, LANES = 4, 32
TILE = PIXELS * LANES


@njit(cache=True, fastmath={"contract"})
def direct_conv(xrows, blocks, bias, out, taps, kh, c, sh, sw, dh, ho, wo, floor):  # pragma: no cover
    """out (N*Ho*Wo, O) <- max(convolution + bias, floor) of the padded rows xrows (N, Hp, Wp*C),
    without an im2col matrix: for inputs with few channels. floor is 0 for a fused ReLU, -inf for
    none; NaN stays NaN, as with np.maximum. Needs Wo >= PIXELS and O a multiple of LANES.

    blocks (O / 32, kh*kw*C, 32) and bias (O / 32, 32): the weights and the bias, output channels
    in blocks of 32 (stores of that constant length vectorize; a last, partial block's stores of
    its true length made the kernel 20% slower). taps (kw*C,): where each of a window row's kw*C
    values lies relative to its first one, (j * dw) * C + ci. Each step of the innermost loop
    multiplies one tap's 32 weights by four pixels' inputs into 4 x 32 accumulators, which stay in
    registers until the tile is stored."""
    n, run = xrows.shape[0], taps.shape[0]
    acc = carray(stack_pointer(TILE, blocks.dtype), TILE)
    step = sw * c  # between neighbouring output pixels' windows, in a row of xrows
    # unsigned offsets, so that indexing skips the wraparound for negative indices
    steps = (np.uint64(step), np.uint64(2 * step), np.uint64(3 * step))
    for b in range(n):
        for y in range(ho):
            first = (b * ho + y) * wo
            for kb in range(blocks.shape[0]):
                for x0 in range(0, wo, PIXELS):
                    # The row's last tile overlaps the one before, when 4 does not divide Wo: a
                    # second loop for the last pixels kept the accumulators from staying in registers.
                    x0 = min(x0, wo - PIXELS)
                    for p in range(PIXELS):
                        for k in range(LANES):
                            acc[p * LANES + k] = bias[kb, k]
                    for i in range(kh):
                        xrow = xrows[b, y * sh + i * dh]
                        for u in range(run):
                            weights = blocks[kb, i * run + u]
                            start = np.uint64(x0 * step + taps[u])
                            v0 = xrow[start]
                            v1 = xrow[start + steps[0]]
                            v2 = xrow[start + steps[1]]
                            v3 = xrow[start + steps[2]]
                            for k in range(LANES):
                                acc[k] += v0 * weights[k]
                                acc[LANES + k] += v1 * weights[k]
                                acc[2 * LANES + k] += v2 * weights[k]
                                acc[3 * LANES + k] += v3 * weights[k]
                    for k in range(TILE):  # in the registers: a select on stores came out scalar
                        v = acc[k]
                        acc[k] = floor if v < floor else v
                    for p in range(PIXELS):
                        row = out[first + x0 + p, kb * LANES : (kb + 1) * LANES]
                        for k in range(LANES):
                            row[k] = acc[p * LANES + k]
