"""Recurrent ops: a whole SimpleRNN, LSTM or GRU sequence as one op, with backprop through time inside.

Each op runs the whole sequence: a loop over time for the recurrence, and BPTT's reverse loop
inside its own backward, so the graph holds one node per layer instead of one per step and
gate. Weights use PyTorch's layout and gate order:
weight_ih (gates * hidden, features), weight_hh (gates * hidden, hidden); LSTM gates (i, f, g, o),
GRU gates (r, z, n). Inputs are batch-first (batch, time, features), as in Keras.

Inside, arrays are time-major and feature-major, (time, features, batch): each step is a handful
of small array calls, which run 2-3x faster on contiguous (features, batch) blocks than on
strided batch-major slices. One buffer `z` (time + 1, features + 1 + state, batch) holds for each
step the input x_t, a row of ones (the bias rides in the matmul) and the state the step starts
from, so one matmul gives the input-weight, bias and recurrent-weight gradients together.
Sigmoid gates use sigmoid(a) = (tanh(a / 2) + 1) / 2 with the 1/2 folded into their weight rows,
so one tanh call activates several gates at once.

SimpleRNN and LSTM steps multiply [W_ih | b | W_hh] by z's slot [x_t; 1; h_{t-1}] in one matmul,
input projection included. Projecting all steps up front in one batched matmul was slower here:
NumPy runs (time, 4h, batch) as one small single-threaded GEMM per step (583 us for
Embedding(3000, 64) -> LSTM(64), batch 32, 60 steps), and a (time * batch) GEMM needs a transposing
copy into the feature-major layout (1 ms); the wider per-step matmul costs 5.5 us more per step
(330 us) and saves the per-step add of the projection as well.

mask (batch, time), true at real steps: a masked step leaves the state unchanged (Keras's
mask_zero behaviour), so a padded sequence ends in the same state as the unpadded one, and the
output at a masked step repeats the state. reverse=True runs from the last step to the first
(the backward half of a bidirectional layer); outputs stay aligned with their input steps.

Big arrays come from `_POOL` and are reused from call to call (see _BufferPool). In the step
loops, ufuncs get their output array as a positional argument rather than `out=` or an
augmented assignment: ~0.5 us less per call, over thousands of calls per training step.
"""

from __future__ import annotations

import math
import sys
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor

ACTIVATIONS = ("tanh", "relu", "sigmoid", "linear")


class _BufferPool:
    """Large NumPy arrays kept between calls instead of being handed back to the OS.

    glibc returns big freed blocks to the OS, so without the pool every LSTM training step
    page-faults its buffers back in: measured ~2700 faults and ~6 ms of system time on top of
    ~10 ms of computation (Embedding(3000, 64) -> LSTM(64), batch 32, 60 steps). A pooled
    array is handed out again only when nothing but the pool refers to it (no saved context,
    view, or returned gradient holds it), which CPython's reference count tells exactly.
    """

    MIN_BYTES = 1 << 16  # smaller arrays come from malloc's free lists without page faults

    def __init__(self, limit: int = 32) -> None:
        self.arrays: list = []
        self.limit = limit

    def _free(self, k: int) -> bool:
        return sys.getrefcount(self.arrays[k]) == 2  # the list's reference and the argument's

    def empty(self, xp: Any, shape: tuple, dtype: Any) -> Any:
        dtype = np.dtype(dtype)
        if xp is not np or math.prod(shape) * dtype.itemsize < self.MIN_BYTES:
            return xp.empty(shape, dtype)
        for k in range(len(self.arrays)):
            if self.arrays[k].shape == shape and self.arrays[k].dtype == dtype and self._free(k):
                return self.arrays[k]
        if len(self.arrays) >= self.limit:
            free = [k for k in range(len(self.arrays)) if self._free(k)]
            if free:
                del self.arrays[free[0]]
        self.arrays.append(np.empty(shape, dtype))
        return self.arrays[-1]


_POOL = _BufferPool()


def _blocks(order: tuple, size: int) -> np.ndarray:
    """Row indices that reorder weight blocks of `size` rows: block order[k] goes to position k."""
    return np.concatenate([np.arange(b * size, (b + 1) * size) for b in order])


class _Sequence:
    """Shapes, the z buffer, the step order and the mask, shared by the three ops.

    Slot s of z holds x_t for t = s - offset; the state a step starts from sits in the same slot
    as its input and the state it produces in the next slot (the previous one when reversed).
    """

    def __init__(self, x: Any, w_ih: Any, w_hh: Any, h0: Any, mask: Any, reverse: bool, rows: int) -> None:
        xp = self.xp = backend.array_module(x, w_ih, w_hh)
        self.batch, self.time, self.features = x.shape
        self.hidden = w_hh.shape[1]
        self.dtype = xp.result_type(x.dtype, w_ih.dtype, w_hh.dtype)
        batch, time, d, h = self.batch, self.time, self.features, self.hidden
        self.reverse = reverse
        self.offset = 1 if reverse else 0
        self.z = _POOL.empty(xp, (time + 1, d + 1 + rows, batch), self.dtype)
        self.z[self.offset : self.offset + time, :d] = x.transpose(1, 2, 0)
        self.z[:, d] = 1
        self.start = time if reverse else 0
        self.z[self.start, d + 1 : d + 1 + h] = h0.T
        if mask is None:
            self.keep = self.weight = None
        else:
            valid = xp.ascontiguousarray(mask.T[:, None, :].astype(bool))
            self.keep = ~valid  # (time, 1, batch): where a step carries the state over
            self.weight = valid.astype(self.dtype)

    @property
    def steps(self) -> range:
        return range(self.time - 1, -1, -1) if self.reverse else range(self.time)

    @property
    def back_steps(self) -> range:
        return range(self.time) if self.reverse else range(self.time - 1, -1, -1)

    def inputs(self, stop: int | None = None) -> Any:
        """z's slots that hold inputs, rows up to `stop`: the right-hand side of the weight gradients."""
        return self.z[self.offset : self.offset + self.time, :stop]

    def outputs(self) -> Any:
        """The state rows of the slots each step wrote, (time, rows, batch)."""
        d = self.features
        return self.z[1 - self.offset : self.time + 1 - self.offset, d + 1 :]

    def state(self, t: int) -> tuple[Any, Any]:
        """(state before step t, state after it): views into z of shape (rows, batch)."""
        d = self.features
        return self.z[t + self.offset, d + 1 :], self.z[t + 1 - self.offset, d + 1 :]

    def result(self, all_steps: bool, rows: int) -> Any:
        """The op's output: the first `rows` state rows of every step (batch, time, rows), or of
        the final state only (batch, rows)."""
        if all_steps:
            return self.outputs()[:, :rows].transpose(2, 0, 1)
        return self.z[self.time * (1 - self.offset), self.features + 1 : self.features + 1 + rows].T

    def incoming(self, grad: Any, all_steps: bool) -> tuple[Any, Any]:
        """(per-step output gradients (time, rows, batch) or None, gradient of the final state
        (rows, batch)), both contiguous, from the gradient of `result`."""
        xp = self.xp
        if all_steps:
            d_out = self.empty((self.time, grad.shape[2], self.batch))
            d_out[...] = grad.transpose(1, 2, 0)
            return d_out, xp.zeros((grad.shape[2], self.batch), self.dtype)
        return None, xp.ascontiguousarray(grad.T, dtype=self.dtype)

    def empty(self, shape: tuple) -> Any:
        """A scratch array of the sequence's dtype, from the buffer pool."""
        return _POOL.empty(self.xp, shape, self.dtype)

    def gate_major(self, d_gates: Any) -> Any:
        """Gate gradients (time, gates, batch) copied to (gates, time * batch), the left-hand side
        of the weight-gradient matmul and (transposed) of the input-gradient matmul."""
        gates = d_gates.shape[1]
        out = self.empty((gates, self.time, self.batch))
        out[...] = d_gates.transpose(1, 0, 2)
        return out.reshape(gates, self.time * self.batch)

    def input_grad(self, w_in: Any, left: Any) -> Any:
        """dL/dx (batch, time, features) in one matmul; its memory is (time, batch, features), so
        each row of features is contiguous for the layer below (an embedding sums rows)."""
        dx = self.empty((self.time * self.batch, self.features))
        self.xp.matmul(left.T, w_in[:, : self.features], dx)
        return dx.reshape(self.time, self.batch, self.features).transpose(1, 0, 2)

    def weight_grad(self, left: Any, stop: int | None = None, start: int = 0) -> Any:
        """sum over steps and batch of d_gates_t @ z_t[start:stop].T, (gates, stop - start), as one
        matmul of `left` (from gate_major) with z's rows copied to (rows, time * batch)."""
        rhs = self.z[self.offset : self.offset + self.time, start:stop]
        rows = rhs.shape[1]
        right = self.empty((rows, self.time, self.batch))
        right[...] = rhs.transpose(1, 0, 2)
        return left @ right.reshape(rows, self.time * self.batch).T


def _masked(seq: _Sequence, *factors: Any) -> None:
    """Zero the step factors at masked steps, in place, so no gradient enters the gates there."""
    if seq.weight is not None:
        for factor in factors:
            factor *= seq.weight


def _carry(seq: _Sequence, factor: Any) -> Any:
    """The factor by which the state's gradient carries back a step: 1 at masked steps."""
    out = seq.empty(factor.shape)
    out[...] = factor
    seq.xp.copyto(out, 1, where=seq.keep)
    return out


def _carry_grad(seq: _Sequence, t: int, dh: Any, dh_next: Any, tmp: Any) -> None:
    """At masked steps the state passes through unchanged, so its gradient does too."""
    if seq.keep is not None:
        seq.xp.multiply(dh, seq.keep[t], tmp)
        seq.xp.add(dh_next, tmp, dh_next)


class SimpleRNNFunction(Function):
    """h_t = act(W_ih x_t + b + W_hh h_{t-1}) over a whole sequence; returns every h_t
    (batch, time, hidden), or with all_steps=False the final state (batch, hidden)."""

    @staticmethod
    def forward(
        ctx: Context,
        x: Any,
        w_ih: Any,
        w_hh: Any,
        bias: Any,
        h0: Any,
        mask: Any = None,
        activation: str = "tanh",
        reverse: bool = False,
        all_steps: bool = True,
    ) -> Any:
        seq = _Sequence(x, w_ih, w_hh, h0, mask, reverse, w_hh.shape[1])
        xp, d, h = seq.xp, seq.features, seq.hidden
        w_cat = xp.concatenate([w_ih, bias[:, None], w_hh], axis=1).astype(seq.dtype, copy=False)
        half = 0.5 if activation == "sigmoid" else 1.0  # sigmoid(a) = (tanh(a / 2) + 1) / 2
        w_step = w_cat * half
        z, keep, off, stop = seq.z, seq.keep, seq.offset, d + 1 + h
        matmul, tanh, multiply, add = xp.matmul, xp.tanh, xp.multiply, xp.add
        for t in seq.steps:
            src, dst = t + off, t + 1 - off  # the slots of x_t with h_{t-1}, and of h_t
            a = z[dst, d + 1 :]
            matmul(w_step, z[src, :stop], a)  # input, bias and recurrent terms in one matmul
            if activation == "tanh" or activation == "sigmoid":
                tanh(a, a)
                if activation == "sigmoid":
                    multiply(a, 0.5, a)
                    add(a, 0.5, a)
            elif activation == "relu":
                xp.maximum(a, 0, out=a)
            if keep is not None:
                xp.copyto(a, z[src, d + 1 :], where=keep[t])
        w_in, w_rec = w_cat[:, : d + 1], w_cat[:, d + 1 :]
        ctx.seq, ctx.activation, ctx.w_in, ctx.w_rec, ctx.all_steps = seq, activation, w_in, w_rec, all_steps
        return seq.result(all_steps, seq.hidden)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        seq, xp = ctx.seq, ctx.seq.xp
        y = seq.outputs()
        deriv = seq.empty(y.shape)  # the activation's derivative, from its output y
        if ctx.activation == "tanh" or ctx.activation == "sigmoid":
            xp.multiply(y, y, deriv)
            xp.subtract(1 if ctx.activation == "tanh" else y, deriv, deriv)
        elif ctx.activation == "relu":
            xp.greater(y, 0, deriv)
        else:
            deriv.fill(1)
        _masked(seq, deriv)
        d_out, dh_next = seq.incoming(grad, ctx.all_steps)
        d_pre = seq.empty(deriv.shape)
        dh, tmp = (xp.empty((seq.hidden, seq.batch), seq.dtype) for _ in range(2))
        w_rec_t = ctx.w_rec.T
        for t in seq.back_steps:
            if d_out is None:
                dh, dh_next = dh_next, dh  # no output gradient: dh is the carried one
            else:
                xp.add(d_out[t], dh_next, dh)
            xp.multiply(dh, deriv[t], d_pre[t])
            xp.matmul(w_rec_t, d_pre[t], dh_next)
            _carry_grad(seq, t, dh, dh_next, tmp)
        need_x, need_wi, need_wh, need_b, _ = ctx.needs_input_grad
        d = seq.features
        left = seq.gate_major(d_pre)
        dx = seq.input_grad(ctx.w_in, left) if need_x else None
        d_wi = d_b = d_wh = None
        if need_wi or need_wh or need_b:
            dw = seq.weight_grad(left)
            d_wi, d_b, d_wh = dw[:, :d], dw[:, d], dw[:, d + 1 :]
        return dx, d_wi, d_wh, d_b, dh_next.T


# LSTM rows inside: (o, i, f, g). The sigmoid gates o, i, f are contiguous for the forward
# activation, and i, f, g (the gates whose gradient is a multiple of dc) for the backward.
_LSTM_ORDER = (3, 0, 1, 2)
_LSTM_UNDO = (1, 2, 3, 0)


class LSTMFunction(Function):
    """The LSTM of PyTorch and Keras over a whole sequence; returns (batch, time, 2 * hidden)
    holding every h_t in its first `hidden` features and every c_t in the rest, or with
    all_steps=False the final [h, c] (batch, 2 * hidden).
    """

    @staticmethod
    def forward(
        ctx: Context,
        x: Any,
        w_ih: Any,
        w_hh: Any,
        bias: Any,
        h0: Any,
        c0: Any,
        mask: Any = None,
        reverse: bool = False,
        all_steps: bool = True,
    ) -> Any:
        seq = _Sequence(x, w_ih, w_hh, h0, mask, reverse, 2 * w_hh.shape[1])
        xp, d, h = seq.xp, seq.features, seq.hidden
        seq.z[seq.start, d + 1 + h :] = c0.T
        rows = _blocks(_LSTM_ORDER, h)
        w_cat = xp.concatenate([w_ih[rows], bias[rows, None], w_hh[rows]], axis=1)
        w_cat = w_cat.astype(seq.dtype, copy=False)
        scale = xp.ones((4 * h, 1), seq.dtype)
        scale[: 3 * h] = 0.5
        w_step = w_cat * scale
        gates = seq.empty((seq.time, 4 * h, seq.batch))
        tanh_c = seq.empty((seq.time, h, seq.batch))
        tmp = xp.empty((h, seq.batch), seq.dtype)
        # Views made once, indexed by step below: slicing inside the loop costs more than the
        # small ufuncs it feeds.
        z, keep, off, stop = seq.z, seq.keep, seq.offset, d + 1 + h
        hs, cs, states = z[:, d + 1 : d + 1 + h], z[:, d + 1 + h :], z[:, d + 1 :]
        sig, o, i = gates[:, : 3 * h], gates[:, :h], gates[:, h : 2 * h]
        f, g = gates[:, 2 * h : 3 * h], gates[:, 3 * h :]
        matmul, tanh, multiply, add = xp.matmul, xp.tanh, xp.multiply, xp.add
        for t in seq.steps:
            src, dst = t + off, t + 1 - off  # the slots of x_t with the state before step t, and after
            a = gates[t]
            matmul(w_step, z[src, :stop], a)  # input, bias and recurrent terms in one matmul
            tanh(a, a)
            s = sig[t]
            multiply(s, 0.5, s)
            add(s, 0.5, s)
            c = cs[dst]
            multiply(f[t], cs[src], c)
            multiply(i[t], g[t], tmp)
            add(c, tmp, c)
            tanh(c, tanh_c[t])
            multiply(o[t], tanh_c[t], hs[dst])
            if keep is not None:
                xp.copyto(states[dst], states[src], where=keep[t])
        w_in, w_rec = w_cat[:, : d + 1], w_cat[:, d + 1 :]
        ctx.seq, ctx.gates, ctx.tanh_c, ctx.w_in, ctx.w_rec = seq, gates, tanh_c, w_in, w_rec
        ctx.all_steps = all_steps
        return seq.result(all_steps, 2 * h)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        seq, gates, tanh_c = ctx.seq, ctx.gates, ctx.tanh_c
        xp, d, h, dtype = seq.xp, seq.features, seq.hidden, seq.dtype
        o, i, f, g = gates[:, :h], gates[:, h : 2 * h], gates[:, 2 * h : 3 * h], gates[:, 3 * h :]
        c_prev = seq.inputs()[:, d + 1 + h :]
        # Per-step factors, computed for all steps at once: dA_o = dh * coef_o, dA_{i,f,g} = dc * coef.
        sig = gates[:, : 3 * h]
        dsig = seq.empty(sig.shape)  # sigmoid' = s - s * s
        xp.multiply(sig, sig, dsig)
        xp.subtract(sig, dsig, dsig)
        coef = seq.empty(gates.shape)
        xp.multiply(tanh_c, dsig[:, :h], coef[:, :h])
        xp.multiply(g, dsig[:, h : 2 * h], coef[:, h : 2 * h])
        xp.multiply(c_prev, dsig[:, 2 * h :], coef[:, 2 * h : 3 * h])
        coef_g = coef[:, 3 * h :]  # i * (1 - g * g)
        xp.multiply(g, g, coef_g)
        xp.subtract(1, coef_g, coef_g)
        coef_g *= i
        dc_dh = seq.empty(tanh_c.shape)  # dc_t / dh_t through h_t = o * tanh(c_t)
        xp.multiply(tanh_c, tanh_c, dc_dh)
        xp.subtract(1, dc_dh, dc_dh)
        dc_dh *= o
        _masked(seq, coef, dc_dh)
        carry = f if seq.keep is None else _carry(seq, f)
        d_out, d_final = seq.incoming(grad, ctx.all_steps)
        dh_next, dc_next = d_final[:h], d_final[h:]
        dc_out = None if d_out is None or not d_out[:, h:].any() else d_out[:, h:]
        d_gates = seq.empty(gates.shape)
        dh, dc, tmp = (xp.empty((h, seq.batch), dtype) for _ in range(3))
        # i, f, g rows as (time, 3, h * batch) and dc as (1, h * batch): one broadcast multiply per
        # step whose inner loop runs over h * batch contiguous numbers.
        coef_ifg = coef[:, h:].reshape(seq.time, 3, -1)
        d_ifg = d_gates[:, h:].reshape(seq.time, 3, -1)
        dc_row = dc.reshape(1, -1)
        w_rec_t = ctx.w_rec.T
        for t in seq.back_steps:
            if d_out is None:
                dh, dh_next = dh_next, dh  # no output gradient: dh is the carried one
            else:
                xp.add(d_out[t, :h], dh_next, dh)
            xp.multiply(dh, dc_dh[t], dc)
            xp.add(dc, dc_next, dc)
            if dc_out is not None:
                xp.add(dc, dc_out[t], dc)
            da = d_gates[t]
            xp.multiply(dh, coef[t, :h], da[:h])
            xp.multiply(coef_ifg[t], dc_row, d_ifg[t])
            xp.multiply(dc, carry[t], dc_next)
            xp.matmul(w_rec_t, da, dh_next)
            _carry_grad(seq, t, dh, dh_next, tmp)
        need_x, need_wi, need_wh, need_b = ctx.needs_input_grad[:4]
        left = seq.gate_major(d_gates)
        dx = seq.input_grad(ctx.w_in, left) if need_x else None
        d_wi = d_b = d_wh = None
        if need_wi or need_wh or need_b:
            dw = seq.weight_grad(left, d + 1 + h)[_blocks(_LSTM_UNDO, h)]
            d_wi, d_b, d_wh = dw[:, :d], dw[:, d], dw[:, d + 1 :]
        return dx, d_wi, d_wh, d_b, dh_next.T, dc_next.T


# GRU: the input projection's rows are (n, r, z) and the recurrent rows stay (r, z, n), so the
# gate-gradient buffer (n_input, r, z, n_recurrent) holds both right-hand sides contiguously.
_GRU_INPUT_ORDER = (2, 0, 1)
_GRU_INPUT_UNDO = (1, 2, 0)


class GRUFunction(Function):
    """PyTorch's GRU (Keras's reset_after=True): n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z likewise, h_t = (1 - z) * n + z * h_{t-1}.
    Returns every h_t (batch, time, hidden), or with all_steps=False the final one (batch, hidden).
    """

    @staticmethod
    def forward(
        ctx: Context,
        x: Any,
        w_ih: Any,
        w_hh: Any,
        b_ih: Any,
        b_hh: Any,
        h0: Any,
        mask: Any = None,
        reverse: bool = False,
        all_steps: bool = True,
    ) -> Any:
        seq = _Sequence(x, w_ih, w_hh, h0, mask, reverse, w_hh.shape[1] + 1)
        xp, d, h = seq.xp, seq.features, seq.hidden
        seq.z[:, d + 1 + h] = 1  # the state is [h; 1], so the recurrent bias rides in its matmul
        rows = _blocks(_GRU_INPUT_ORDER, h)
        w_in = xp.concatenate([w_ih[rows], b_ih[rows, None]], axis=1).astype(seq.dtype, copy=False)
        w_rec = xp.concatenate([w_hh, b_hh[:, None]], axis=1).astype(seq.dtype, copy=False)
        scale_in = xp.full((3 * h, 1), 0.5, seq.dtype)
        scale_in[:h] = 1
        scale_rec = xp.full((3 * h, 1), 0.5, seq.dtype)
        scale_rec[2 * h :] = 1
        proj = seq.empty((seq.time, 3 * h, seq.batch))  # n, r, z
        xp.matmul(w_in * scale_in, seq.inputs(d + 1), out=proj)
        w_rec_scaled = w_rec * scale_rec
        acts = seq.empty((seq.time, 3 * h, seq.batch))  # r, z, n
        recs = seq.empty((seq.time, 3 * h, seq.batch))  # W_h h + b_h (r, z rows halved)
        for t in seq.steps:
            prev, cur = seq.state(t)
            p, a, rec = proj[t], acts[t], recs[t]
            xp.matmul(w_rec_scaled, prev, rec)
            rz = a[: 2 * h]
            xp.add(p[h:], rec[: 2 * h], rz)
            xp.tanh(rz, rz)
            xp.multiply(rz, 0.5, rz)
            xp.add(rz, 0.5, rz)
            n = a[2 * h :]
            xp.multiply(a[:h], rec[2 * h :], n)
            xp.add(n, p[:h], n)
            xp.tanh(n, n)
            new = cur[:h]
            xp.subtract(prev[:h], n, new)
            xp.multiply(new, a[h : 2 * h], new)
            xp.add(new, n, new)
            if seq.keep is not None:
                xp.copyto(new, prev[:h], where=seq.keep[t])
        ctx.seq, ctx.acts, ctx.recs, ctx.w_in, ctx.w_rec = seq, acts, recs, w_in, w_rec
        ctx.all_steps = all_steps
        return seq.result(all_steps, h)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        seq, acts = ctx.seq, ctx.acts
        xp, d, h, dtype = seq.xp, seq.features, seq.hidden, seq.dtype
        r, z, n = acts[:, :h], acts[:, h : 2 * h], acts[:, 2 * h :]
        h_prev = seq.inputs()[:, d + 1 : d + 1 + h]
        coef_n, coef_z, coef_r, tmp_all = (seq.empty(n.shape) for _ in range(4))
        xp.multiply(n, n, coef_n)  # dA_n = dh * (1 - z) * (1 - n * n)
        xp.subtract(1, coef_n, coef_n)
        xp.subtract(1, z, tmp_all)
        coef_n *= tmp_all
        xp.multiply(z, tmp_all, tmp_all)  # z * (1 - z)
        xp.subtract(h_prev, n, coef_z)  # dA_z = dh * (h_prev - n) * z * (1 - z)
        coef_z *= tmp_all
        xp.multiply(r, r, coef_r)  # dA_r = dA_n * (W_hn h + b_hn) * r * (1 - r)
        xp.subtract(r, coef_r, coef_r)
        coef_r *= ctx.recs[:, 2 * h :]
        _masked(seq, coef_n, coef_z)
        carry = z if seq.keep is None else _carry(seq, z)
        d_out, dh_next = seq.incoming(grad, ctx.all_steps)
        d_gates = seq.empty((seq.time, 4 * h, seq.batch))  # n (input side), r, z, n (recurrent)
        dh, tmp = (xp.empty((h, seq.batch), dtype) for _ in range(2))
        w_rec_t = ctx.w_rec[:, :h].T
        for t in seq.back_steps:
            if d_out is None:
                dh, dh_next = dh_next, dh  # no output gradient: dh is the carried one
            else:
                xp.add(d_out[t], dh_next, dh)
            da = d_gates[t]
            xp.multiply(dh, coef_n[t], da[:h])
            xp.multiply(da[:h], coef_r[t], da[h : 2 * h])
            xp.multiply(dh, coef_z[t], da[2 * h : 3 * h])
            xp.multiply(da[:h], r[t], da[3 * h :])
            xp.matmul(w_rec_t, da[h:], dh_next)
            xp.multiply(dh, carry[t], tmp)
            seq.xp.add(dh_next, tmp, dh_next)
        need_x, need_wi, need_wh, need_bi, need_bh = ctx.needs_input_grad[:5]
        left = seq.gate_major(d_gates)
        d_input, d_rec = left[: 3 * h], left[h:]
        dx = seq.input_grad(ctx.w_in, d_input) if need_x else None
        d_wi = d_bi = d_wh = d_bh = None
        if need_wi or need_bi:
            dw = seq.weight_grad(d_input, d + 1)[_blocks(_GRU_INPUT_UNDO, h)]
            d_wi, d_bi = dw[:, :d], dw[:, d]
        if need_wh or need_bh:
            dw = seq.weight_grad(d_rec, None, d + 1)
            d_wh, d_bh = dw[:, :h], dw[:, h]
        return dx, d_wi, d_wh, d_bi, d_bh, dh_next.T


# ----- the functional forms (re-exported by jaring.functional) ------------------------------


def _raw_mask(mask: Any, batch: int, time: int, name: str) -> Any:
    if mask is None:
        return None
    mask = mask.data if isinstance(mask, Tensor) else mask
    shape = tuple(getattr(mask, "shape", np.shape(mask)))
    if shape != (batch, time):
        raise ValueError(f"{name}: mask must have shape (batch, time) = {(batch, time)}, got {shape}")
    return mask if hasattr(mask, "astype") else np.asarray(mask)


def _check(
    name: str, x: Tensor, w_ih: Tensor, w_hh: Tensor, gates: int, biases: dict, states: dict
) -> tuple[int, int, int, int]:
    """Validate shapes before the op runs; errors name the op, the expected and the received shape."""
    if x.ndim != 3:
        raise ValueError(f"{name}: expected input of shape (batch, time, features), got shape {x.shape}")
    if x.dtype.kind != "f":
        raise TypeError(f"{name}: the input must be floating point, got {x.dtype} (embed token ids first)")
    batch, time, features = x.shape
    if time < 1:
        raise ValueError(f"{name}: the sequence needs at least one time step, got shape {x.shape}")
    if w_hh.ndim != 2 or w_hh.shape[0] != gates * w_hh.shape[1]:
        raise ValueError(f"{name}: weight_hh must have shape ({gates} * hidden, hidden), got {w_hh.shape}")
    hidden = w_hh.shape[1]
    if w_ih.shape != (gates * hidden, features):
        raise ValueError(
            f"{name}: input has {features} features per step, so weight_ih must have shape "
            f"{(gates * hidden, features)}; got {w_ih.shape}"
        )
    for label, b in biases.items():
        if b is not None and b.shape != (gates * hidden,):
            raise ValueError(f"{name}: {label} must have shape {(gates * hidden,)}, got {b.shape}")
    for label, s in states.items():
        if s is not None and s.shape != (batch, hidden):
            raise ValueError(
                f"{name}: {label} must have shape (batch, hidden) = {(batch, hidden)}, got {s.shape}"
            )
    return batch, time, features, hidden


def _zeros(like: Tensor, shape: tuple) -> Tensor:
    return Tensor._from_op(backend.array_module(like.data).zeros(shape, like.dtype), None)


def simple_rnn(
    x: Any,
    weight_ih: Any,
    weight_hh: Any,
    bias: Any = None,
    h0: Any = None,
    mask: Any = None,
    activation: str = "tanh",
    reverse: bool = False,
    return_sequences: bool = True,
) -> Tensor:
    """Elman RNN over a batch-first sequence: every hidden state (batch, time, hidden), or with
    return_sequences=False only the final one (batch, hidden), which skips the per-step gradients.

    h_t = activation(x_t @ weight_ih.T + bias + h_{t-1} @ weight_hh.T); activation is one of
    "tanh", "relu", "sigmoid", "linear". The final state is out[:, -1] (out[:, 0] when reversed).
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"simple_rnn: unknown activation {activation!r}; choose from {list(ACTIVATIONS)}")
    x, weight_ih, weight_hh = as_tensor(x), as_tensor(weight_ih), as_tensor(weight_hh)
    bias, h0 = (None if v is None else as_tensor(v) for v in (bias, h0))
    batch, time, _, hidden = _check("simple_rnn", x, weight_ih, weight_hh, 1, {"bias": bias}, {"h0": h0})
    bias = _zeros(weight_hh, (hidden,)) if bias is None else bias
    h0 = _zeros(weight_hh, (batch, hidden)) if h0 is None else h0
    mask = _raw_mask(mask, batch, time, "simple_rnn")
    return SimpleRNNFunction.apply(
        x,
        weight_ih,
        weight_hh,
        bias,
        h0,
        mask=mask,
        activation=activation,
        reverse=bool(reverse),
        all_steps=bool(return_sequences),
    )


def lstm(
    x: Any,
    weight_ih: Any,
    weight_hh: Any,
    bias: Any = None,
    h0: Any = None,
    c0: Any = None,
    mask: Any = None,
    reverse: bool = False,
    return_sequences: bool = True,
) -> tuple[Tensor, Tensor]:
    """LSTM over a batch-first sequence: (every hidden state (batch, time, hidden), final c), or
    with return_sequences=False (final h, final c), which skips the per-step gradients.

    Gates (i, f, g, o) as in PyTorch and Keras; `bias` is one vector (PyTorch's bias_ih + bias_hh,
    Keras's bias). The final hidden state is h[:, -1] (h[:, 0] when reversed).
    """
    x, weight_ih, weight_hh = as_tensor(x), as_tensor(weight_ih), as_tensor(weight_hh)
    bias, h0, c0 = (None if v is None else as_tensor(v) for v in (bias, h0, c0))
    batch, time, _, hidden = _check("lstm", x, weight_ih, weight_hh, 4, {"bias": bias}, {"h0": h0, "c0": c0})
    bias = _zeros(weight_hh, (4 * hidden,)) if bias is None else bias
    h0 = _zeros(weight_hh, (batch, hidden)) if h0 is None else h0
    c0 = _zeros(weight_hh, (batch, hidden)) if c0 is None else c0
    mask = _raw_mask(mask, batch, time, "lstm")
    out = LSTMFunction.apply(
        x,
        weight_ih,
        weight_hh,
        bias,
        h0,
        c0,
        mask=mask,
        reverse=bool(reverse),
        all_steps=bool(return_sequences),
    )
    if not return_sequences:
        return out[:, :hidden], out[:, hidden:]
    last = 0 if reverse else time - 1
    return out[:, :, :hidden], out[:, last, hidden:]


def gru(
    x: Any,
    weight_ih: Any,
    weight_hh: Any,
    bias_ih: Any = None,
    bias_hh: Any = None,
    h0: Any = None,
    mask: Any = None,
    reverse: bool = False,
    return_sequences: bool = True,
) -> Tensor:
    """GRU over a batch-first sequence (PyTorch's equations, Keras's reset_after=True): every
    hidden state (batch, time, hidden), or with return_sequences=False the final one (batch, hidden).

    Gates (r, z, n) as in PyTorch.
    """
    x, weight_ih, weight_hh = as_tensor(x), as_tensor(weight_ih), as_tensor(weight_hh)
    bias_ih, bias_hh, h0 = (None if v is None else as_tensor(v) for v in (bias_ih, bias_hh, h0))
    batch, time, _, hidden = _check(
        "gru", x, weight_ih, weight_hh, 3, {"bias_ih": bias_ih, "bias_hh": bias_hh}, {"h0": h0}
    )
    bias_ih = _zeros(weight_hh, (3 * hidden,)) if bias_ih is None else bias_ih
    bias_hh = _zeros(weight_hh, (3 * hidden,)) if bias_hh is None else bias_hh
    h0 = _zeros(weight_hh, (batch, hidden)) if h0 is None else h0
    mask = _raw_mask(mask, batch, time, "gru")
    return GRUFunction.apply(
        x,
        weight_ih,
        weight_hh,
        bias_ih,
        bias_hh,
        h0,
        mask=mask,
        reverse=bool(reverse),
        all_steps=bool(return_sequences),
    )
