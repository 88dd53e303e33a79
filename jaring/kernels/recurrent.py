"""Recurrent cells over a whole sequence, forward and backpropagation through time, one call each.

The kernels run the time loop of jaring/ops/recurrent on the op's own buffers (sequence.py there
describes them): z (time + 1, features + 1 + state, batch) holds in slot s the input x_t, a row of
ones and the state step t starts from, for t = s - offset (offset 1 when go_backwards), and the
step writes its state into slot t + 1 - offset. Each step is a BLAS matmul (Numba's np.dot on
contiguous arrays, which calls SciPy's BLAS) and one pass over (hidden, batch) that applies the
cell's equations, instead of a dozen small array calls from Python per step.

sigmoid and tanh are built on `exp` below, a polynomial times a power of two built from its bits,
which LLVM turns into vector code: Numba's np.exp and np.tanh call the C library once per number,
which costs more than the rest of a step.
The forward computes in the data's dtype; the backward's few products per number widen to float64
before they are stored. A masked step (keep true) carries its state over unchanged and passes no
gradient into its gates.

The GRU's input projection stays one array matmul over all steps, before its kernel (as in the
reference). SimpleRNN has only its backward here: its reference forward is two array calls per
step (the matmul and the activation), and this module's tanh is no faster than NumPy's.
"""

from __future__ import annotations

import math

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.extending import intrinsic, overload

# 1, 2 and 1/2 as float32: with the literals, Numba would widen float32 arithmetic to float64
ONE, TWO, HALF = np.float32(1), np.float32(2), np.float32(0.5)
_LIMIT = 80  # |x| beyond which exp(x) is clamped: sigmoid and tanh are flat to float64 there
# tanh's Taylor series x * (1 - x**2 / 3 + 2 * x**4 / 15 - ...), used for |x| < 1/8, where
# (e**2x - 1) / (e**2x + 1) would lose relative precision
_TANH_SERIES = (1, -1 / 3, 2 / 15, -17 / 315, 62 / 2835, -1382 / 155925, 21844 / 6081075, -929569 / 638512875)


def _constants(dtype: type, degree: int, ln2_hi: float, ln2_lo: float, tanh_terms: int) -> tuple:
    """exp's and tanh's constants in one dtype, so that float32 data is computed in float32 (twice
    the numbers per vector instruction, shorter polynomials) and float64 data in float64:
    (limit, 1 / ln(2), ln(2) split in two as in Cephes, e**r's Taylor coefficients and tanh's,
    highest first for Horner's rule)."""
    return (
        dtype(_LIMIT),
        dtype(1 / math.log(2)),
        dtype(ln2_hi),  # few bits, so n * ln2_hi is exact for the n that occur
        dtype(ln2_lo),
        tuple(dtype(1 / math.factorial(k)) for k in range(degree, -1, -1)),
        tuple(dtype(c) for c in _TANH_SERIES[:tanh_terms][::-1]),
    )


# degrees that reach each dtype's rounding: e**r for |r| <= ln(2) / 2, tanh for |x| < 1/8
_F32 = _constants(np.float32, 7, 0.693359375, -2.12194440e-4, 4)
_F64 = _constants(np.float64, 13, 6.93145751953125e-1, 1.42860682030941723212e-6, 8)


def constants(x):
    """exp's and tanh's constants in x's dtype: compiled code only (see the overload below)."""


@overload(constants, inline="always")
def _constants_for(x):
    chosen = _F32 if x == types.float32 else _F64
    return lambda x: chosen


@intrinsic
def power_of_two(typingctx, n):
    """2**n for a float n holding an integer within its dtype's normal exponents (|n| <= 116 here),
    in n's dtype: the number whose exponent field is n plus the bias and whose mantissa is zero.
    Built from its bits, in an integer as wide as n (float32 to int32, so that a vector keeps its
    lanes), it vectorizes, where a table lookup or ldexp would not."""
    width, bias, mantissa = (32, 127, 23) if n == types.float32 else (64, 1023, 52)

    def codegen(context, builder, signature, args):
        exponent = builder.fptosi(args[0], ir.IntType(width))
        biased = builder.add(exponent, ir.Constant(ir.IntType(width), bias))
        bits = builder.shl(biased, ir.Constant(ir.IntType(width), mantissa))
        return builder.bitcast(bits, context.get_value_type(n))

    return n(n), codegen


# Numba inlines exp, sigmoid and tanh into their callers' IR, which then compiles with the
# caller's flags, not theirs: every kernel that calls them takes these too, so that their
# polynomials run as fused multiply-adds, as when exp runs alone (the precision its tests measure).
CALLS_EXP = {"contract"}


@njit(cache=True, inline="always", error_model="numpy", fastmath=CALLS_EXP)
def exp(x):
    """e**x in x's dtype, branch-free so that the loops calling it vectorize; |x| > 80 is clamped
    (NaN stays NaN). e**x = 2**n * e**r, n the integer nearest x / ln(2), |r| <= ln(2) / 2."""
    limit, inv_ln2, ln2_hi, ln2_lo, taylor, _ = constants(x)
    y = x if -limit <= x <= limit else (limit if x > 0 else -limit)
    n = np.floor(y * inv_ln2 + HALF)
    r = (y - n * ln2_hi) - n * ln2_lo
    p = taylor[0]
    for c in taylor[1:]:
        p = p * r + c
    return p * power_of_two(n) if x == x else x


@njit(cache=True, inline="always", error_model="numpy")
def sigmoid(x):
    return ONE / (ONE + exp(-x))


@njit(cache=True, inline="always", error_model="numpy", fastmath=CALLS_EXP)
def tanh(x):
    e = exp(TWO * x)
    series = constants(x)[-1]
    x2, p = x * x, series[0]
    for c in series[1:]:
        p = p * x2 + c
    return x * p if abs(x) < 0.125 else (e - ONE) / (e + ONE)


@njit(cache=True, error_model="numpy", fastmath=CALLS_EXP)
def lstm_forward(w, z, gates, tanh_c, keep, features, go_backwards):
    """The LSTM's time loop. Per step, gates (o, i, f, g) = w @ [x_t; 1; h_{t-1}] (gates[t],
    activated in place), c_t = f * c_{t-1} + i * g into z and tanh_c[t], h_t = o * tanh(c_t) into z.

    The matmul runs as two products of half the rows each: OpenBLAS runs products of up to about
    a million multiply-adds with its small-matrix kernels, and at hidden 64, batch 32 the two
    halves take well under the whole's time.

    w (4 * hidden, features + 1 + hidden), gates (time, 4 * hidden, batch), tanh_c (time, hidden,
    batch), keep (time, 1, batch) bool or None."""
    time, h, batch = tanh_c.shape
    d = features
    stop = d + 1 + h  # z's rows: x_t, 1, h_{t-1} up to stop, then c_{t-1}
    off = 1 if go_backwards else 0
    half = 2 * h
    for step in range(time):
        t = time - 1 - step if go_backwards else step
        src, dst = t + off, t + 1 - off
        a, rhs = gates[t], z[src, :stop]
        np.dot(w[:half], rhs, a[:half])  # rows o, i; then f, g
        np.dot(w[half:], rhs, a[half:])
        for j in range(h):
            for b in range(batch):
                o = sigmoid(a[j, b])
                i = sigmoid(a[h + j, b])
                f = sigmoid(a[2 * h + j, b])
                g = tanh(a[3 * h + j, b])
                c = f * z[src, stop + j, b] + i * g
                tc = tanh(c)
                a[j, b], a[h + j, b], a[2 * h + j, b], a[3 * h + j, b] = o, i, f, g
                tanh_c[t, j, b] = tc
                z[dst, stop + j, b] = c
                z[dst, d + 1 + j, b] = o * tc
        if keep is not None:
            for j in range(d + 1, d + 1 + 2 * h):
                for b in range(batch):
                    if keep[t, 0, b]:
                        z[dst, j, b] = z[src, j, b]


@njit(cache=True, error_model="numpy")
def lstm_backward(w_rec_t, z, gates, tanh_c, keep, d_out, dh_next, dc_next, d_gates, features, go_backwards):
    """Backpropagation through the LSTM's time loop: fills d_gates (time, 4 * hidden, batch), the
    gradients of the gates before activation (rows o, i, f, g), and leaves in dh_next and dc_next
    the gradients of the first state.

    w_rec_t (hidden, 4 * hidden) is the recurrent weight transposed; d_out (time, 2 * hidden,
    batch) the gradients of every step's [h_t; c_t], or None when only the final state was used;
    dh_next and dc_next (hidden, batch) start as the final state's gradients."""
    time, h, batch = tanh_c.shape
    stop = features + 1 + h
    off = 1 if go_backwards else 0
    dh_all = np.empty((h, batch), dh_next.dtype)  # dL/dh_t, kept for masked steps' pass-through
    for step in range(time):
        t = step if go_backwards else time - 1 - step
        src = t + off
        da = d_gates[t]
        for j in range(h):
            for b in range(batch):
                dh = dh_next[j, b]
                dc = dc_next[j, b]
                if d_out is not None:
                    dh += d_out[t, j, b]
                    dc += d_out[t, h + j, b]
                dh_all[j, b] = dh
                if keep is not None and keep[t, 0, b]:  # the state was carried over, and so is its gradient
                    dc_next[j, b] = dc
                    da[j, b] = da[h + j, b] = da[2 * h + j, b] = da[3 * h + j, b] = 0
                    continue
                o, i, f, g = (
                    gates[t, j, b],
                    gates[t, h + j, b],
                    gates[t, 2 * h + j, b],
                    gates[t, 3 * h + j, b],
                )
                tc = tanh_c[t, j, b]
                dc += dh * o * (1 - tc * tc)  # through h_t = o * tanh(c_t)
                da[j, b] = dh * tc * o * (1 - o)
                da[h + j, b] = dc * g * i * (1 - i)
                da[2 * h + j, b] = dc * z[src, stop + j, b] * f * (1 - f)
                da[3 * h + j, b] = dc * i * (1 - g * g)
                dc_next[j, b] = dc * f
        np.dot(w_rec_t, da, dh_next)
        if keep is not None:
            for j in range(h):
                for b in range(batch):
                    if keep[t, 0, b]:
                        dh_next[j, b] += dh_all[j, b]


TANH, RELU, SIGMOID, LINEAR = 0, 1, 2, 3  # SimpleRNN's activations, in ops.recurrent.ACTIVATIONS' order


@njit(cache=True, error_model="numpy")
def rnn_backward(w_rec_t, z, keep, d_out, dh_next, d_pre, features, activation, go_backwards):
    """Backpropagation through SimpleRNN's time loop: fills d_pre (time, hidden, batch), the
    gradients before the activation, and leaves in dh_next the gradient of the first state.

    The activation's derivative comes from its output y: 1 - y**2 (tanh), y > 0 (relu),
    y * (1 - y) (sigmoid), 1 (linear). d_out (time, hidden, batch) or None, as for the LSTM."""
    time, h, batch = d_pre.shape
    d = features
    off = 1 if go_backwards else 0
    dh_all = np.empty((h, batch), dh_next.dtype)
    for step in range(time):
        t = step if go_backwards else time - 1 - step
        dst = t + 1 - off
        da = d_pre[t]
        for j in range(h):
            for b in range(batch):
                dh = dh_next[j, b]
                if d_out is not None:
                    dh += d_out[t, j, b]
                dh_all[j, b] = dh
                y = z[dst, d + 1 + j, b]
                if activation == TANH:
                    slope = 1 - y * y
                elif activation == RELU:
                    slope = 1.0 if y > 0 else 0.0
                elif activation == SIGMOID:
                    slope = y * (1 - y)
                else:
                    slope = 1.0
                masked = keep is not None and keep[t, 0, b]
                da[j, b] = 0 if masked else dh * slope
        np.dot(w_rec_t, da, dh_next)
        if keep is not None:
            for j in range(h):
                for b in range(batch):
                    if keep[t, 0, b]:
                        dh_next[j, b] += dh_all[j, b]


@njit(cache=True, error_model="numpy", fastmath=CALLS_EXP)
def gru_forward(w_rec, proj, z, acts, recs, keep, features, go_backwards):
    """The GRU's time loop (PyTorch's equations). Per step rec = w_rec @ [h_{t-1}; 1] into recs[t]
    (rows r, z, n), then with the input projection proj[t] (rows n, r, z):
    r = sigmoid(p_r + rec_r), z = sigmoid(p_z + rec_z), n = tanh(p_n + r * rec_n) into acts[t]
    (rows r, z, n), and h_t = (1 - z) * n + z * h_{t-1} into z's next slot.

    w_rec (3 * hidden, hidden + 1), proj, acts and recs (time, 3 * hidden, batch)."""
    time, rows, batch = acts.shape
    h, d = rows // 3, features
    off = 1 if go_backwards else 0
    for step in range(time):
        t = time - 1 - step if go_backwards else step
        src, dst = t + off, t + 1 - off
        rec, p, a = recs[t], proj[t], acts[t]
        np.dot(w_rec, z[src, d + 1 :], rec)
        for j in range(h):
            for b in range(batch):
                r = sigmoid(p[h + j, b] + rec[j, b])
                u = sigmoid(p[2 * h + j, b] + rec[h + j, b])  # the update gate z
                n = tanh(p[j, b] + r * rec[2 * h + j, b])
                a[j, b], a[h + j, b], a[2 * h + j, b] = r, u, n
                h_prev = z[src, d + 1 + j, b]
                carried = keep is not None and keep[t, 0, b]
                z[dst, d + 1 + j, b] = h_prev if carried else (ONE - u) * n + u * h_prev


@njit(cache=True, error_model="numpy")
def gru_backward(w_rec_t, z, acts, recs, keep, d_out, dh_next, d_gates, features, go_backwards):
    """Backpropagation through the GRU's time loop: fills d_gates (time, 4 * hidden, batch), rows
    (n on the input side, r, z, n on the recurrent side: r * dn), and leaves in dh_next the
    gradient of the first state.

    w_rec_t (hidden, 3 * hidden) is the recurrent weight without its bias column, transposed;
    d_out (time, hidden, batch) or None, as for the LSTM."""
    time, rows, batch = acts.shape
    h, d = rows // 3, features
    off = 1 if go_backwards else 0
    through = np.empty((h, batch), dh_next.dtype)  # dh_t * dh_t / dh_{t-1} along the z path
    for step in range(time):
        t = step if go_backwards else time - 1 - step
        src = t + off
        da = d_gates[t]
        for j in range(h):
            for b in range(batch):
                dh = dh_next[j, b]
                if d_out is not None:
                    dh += d_out[t, j, b]
                if keep is not None and keep[t, 0, b]:  # the state was carried over, and so is its gradient
                    through[j, b] = dh
                    da[j, b] = da[h + j, b] = da[2 * h + j, b] = da[3 * h + j, b] = 0
                    continue
                r, u, n = acts[t, j, b], acts[t, h + j, b], acts[t, 2 * h + j, b]
                dn = dh * (1 - u) * (1 - n * n)
                da[j, b] = dn
                da[h + j, b] = dn * recs[t, 2 * h + j, b] * r * (1 - r)
                da[2 * h + j, b] = dh * (z[src, d + 1 + j, b] - n) * u * (1 - u)
                da[3 * h + j, b] = dn * r
                through[j, b] = dh * u
        np.dot(w_rec_t, da[h:], dh_next)
        for j in range(h):
            for b in range(batch):
                dh_next[j, b] += through[j, b]
