"""LSTM over a whole sequence as one op, gates (i, f, g, o) as in PyTorch and Keras."""

from __future__ import annotations

from typing import Any

from jaring import kernels
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.recurrent.sequence import (
    RecurrentSequence,
    blocks,
    carry_factor,
    carry_grad,
    check_shapes,
    compiled,
    masked,
    raw_mask,
    zeros,
)


_LSTM_ORDER = (3, 0, 1, 2)
_LSTM_UNDO = (1, 2, 3, 0)


class LSTMFunction(Function):
    """The LSTM of PyTorch and Keras over a whole sequence; returns (batch, time, 2 * hidden)
    holding every h_t in its first `hidden` features and every c_t in the rest, or with
    return_sequences=False the final [h, c] (batch, 2 * hidden).
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
        go_backwards: bool = False,
        return_sequences: bool = True,
    ) -> Any:
        seq = RecurrentSequence(x, w_ih, w_hh, h0, mask, go_backwards, 2 * w_hh.shape[1])
        xp, d, h = seq.xp, seq.features, seq.hidden
        seq.z[seq.start, d + 1 + h :] = c0.T
        rows = blocks(_LSTM_ORDER, h)
        w_cat = xp.concatenate([w_ih[rows], bias[rows, None], w_hh[rows]], axis=1)
        w_cat = w_cat.astype(seq.dtype, copy=False)
        gates = seq.empty((seq.time, 4 * h, seq.batch))
        tanh_c = seq.empty((seq.time, h, seq.batch))
        if compiled(seq, w_cat):
            kernels.family("recurrent").lstm_forward(
                w_cat, seq.z, gates, tanh_c, seq.keep, d, seq.go_backwards
            )
        else:
            _forward_steps(seq, w_cat, gates, tanh_c)
        w_in, w_rec = w_cat[:, : d + 1], w_cat[:, d + 1 :]
        ctx.seq, ctx.gates, ctx.tanh_c, ctx.w_in, ctx.w_rec = seq, gates, tanh_c, w_in, w_rec
        ctx.return_sequences = return_sequences
        return seq.result(return_sequences, 2 * h)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        seq, d, h = ctx.seq, ctx.seq.features, ctx.seq.hidden
        d_out, d_final = seq.incoming(grad, ctx.return_sequences)
        dh_next, dc_next = seq.xp.ascontiguousarray(d_final[:h]), seq.xp.ascontiguousarray(d_final[h:])
        d_gates = seq.empty(ctx.gates.shape)
        if compiled(seq, grad):
            kernels.family("recurrent").lstm_backward(
                seq.xp.ascontiguousarray(ctx.w_rec.T), seq.z, ctx.gates, ctx.tanh_c, seq.keep, d_out,
                dh_next, dc_next, d_gates, d, seq.go_backwards,
            )  # fmt: skip
        else:
            dh_next = _backward_steps(seq, ctx, d_out, dh_next, dc_next, d_gates)
        need_x, need_wi, need_wh, need_b = ctx.needs_input_grad[:4]
        left = seq.gate_major(d_gates)
        dx = seq.input_grad(ctx.w_in, left) if need_x else None
        d_wi = d_b = d_wh = None
        if need_wi or need_wh or need_b:
            dw = seq.weight_grad(left, d + 1 + h)[blocks(_LSTM_UNDO, h)]
            d_wi, d_b, d_wh = dw[:, :d], dw[:, d], dw[:, d + 1 :]
        return dx, d_wi, d_wh, d_b, dh_next.T, dc_next.T


def _backward_steps(seq: RecurrentSequence, ctx: Context, d_out: Any, dh_next: Any, dc_next: Any,
                    d_gates: Any) -> Any:  # fmt: skip
    """The reference BPTT loop: fills d_gates, updates dc_next in place, returns dh of the first state.

    The per-step factors are computed for all steps at once: dA_o = dh * coef_o, dA_{i,f,g} = dc * coef.
    """
    gates, tanh_c = ctx.gates, ctx.tanh_c
    xp, d, h, dtype = seq.xp, seq.features, seq.hidden, seq.dtype
    o, i, f, g = gates[:, :h], gates[:, h : 2 * h], gates[:, 2 * h : 3 * h], gates[:, 3 * h :]
    c_prev = seq.inputs()[:, d + 1 + h :]
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
    masked(seq, coef, dc_dh)
    carry = f if seq.keep is None else carry_factor(seq, f)
    dc_out = None if d_out is None or not d_out[:, h:].any() else d_out[:, h:]
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
        carry_grad(seq, t, dh, dh_next, tmp)
    return dh_next


def _forward_steps(seq: RecurrentSequence, w_cat: Any, gates: Any, tanh_c: Any) -> None:
    """The reference time loop (NumPy or CuPy): the LSTM equations, one array call each.

    Views are made once and indexed by step: slicing inside the loop costs more than the small
    ufuncs it feeds. Ufuncs get their output positionally, a little cheaper than out=.
    """
    xp, d, h = seq.xp, seq.features, seq.hidden
    z, keep, off, stop = seq.z, seq.keep, seq.offset, d + 1 + h
    hs, cs, states = z[:, d + 1 : d + 1 + h], z[:, d + 1 + h :], z[:, d + 1 :]
    sig, o, i = gates[:, : 3 * h], gates[:, :h], gates[:, h : 2 * h]
    f, g = gates[:, 2 * h : 3 * h], gates[:, 3 * h :]
    tmp = xp.empty((h, seq.batch), seq.dtype)
    for t in seq.steps:
        src, dst = t + off, t + 1 - off  # the slots of x_t with the state before step t, and after
        xp.matmul(w_cat, z[src, :stop], gates[t])  # input, bias and recurrent terms in one matmul
        s = sig[t]  # o, i, f = sigmoid(a) = 1 / (1 + exp(-a))
        xp.negative(s, s)
        xp.exp(s, s)
        xp.add(s, 1, s)
        xp.reciprocal(s, s)
        xp.tanh(g[t], g[t])
        c = cs[dst]
        xp.multiply(f[t], cs[src], c)  # c_t = f * c_{t-1} + i * g
        xp.multiply(i[t], g[t], tmp)
        xp.add(c, tmp, c)
        xp.tanh(c, tanh_c[t])
        xp.multiply(o[t], tanh_c[t], hs[dst])  # h_t = o * tanh(c_t)
        if keep is not None:
            xp.copyto(states[dst], states[src], where=keep[t])


# GRU: the input projection's rows are (n, r, z) and the recurrent rows stay (r, z, n), so the
# gate-gradient buffer (n_input, r, z, n_recurrent) holds both right-hand sides contiguously.


def lstm(
    x: Any,
    weight_ih: Any,
    weight_hh: Any,
    bias: Any = None,
    h0: Any = None,
    c0: Any = None,
    mask: Any = None,
    go_backwards: bool = False,
    return_sequences: bool = True,
) -> tuple[Tensor, Tensor]:
    """LSTM over a batch-first sequence: (every hidden state (batch, time, hidden), final c), or
    with return_sequences=False (final h, final c), which skips the per-step gradients.

    Gates (i, f, g, o) as in PyTorch and Keras; `bias` is one vector (PyTorch's bias_ih + bias_hh,
    Keras's bias). The final hidden state is h[:, -1] (h[:, 0] when reversed).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.randn(2, 5, 3, seed=0)  # (batch, time, features)
        >>> w_ih, w_hh = jaring.randn(16, 3, seed=1), jaring.randn(16, 4, seed=2)  # 4 gates x hidden 4
        >>> h, c = F.lstm(x, w_ih, w_hh)
        >>> h.shape, c.shape
        ((2, 5, 4), (2, 4))
    """
    x, weight_ih, weight_hh = as_tensor(x), as_tensor(weight_ih), as_tensor(weight_hh)
    bias, h0, c0 = (None if v is None else as_tensor(v) for v in (bias, h0, c0))
    batch, time, _, hidden = check_shapes(
        "lstm", x, weight_ih, weight_hh, 4, {"bias": bias}, {"h0": h0, "c0": c0}
    )
    bias = zeros(weight_hh, (4 * hidden,)) if bias is None else bias
    h0 = zeros(weight_hh, (batch, hidden)) if h0 is None else h0
    c0 = zeros(weight_hh, (batch, hidden)) if c0 is None else c0
    mask = raw_mask(mask, batch, time, "lstm")
    out = LSTMFunction.apply(
        x,
        weight_ih,
        weight_hh,
        bias,
        h0,
        c0,
        mask=mask,
        go_backwards=bool(go_backwards),
        return_sequences=bool(return_sequences),
    )
    if not return_sequences:
        return out[:, :hidden], out[:, hidden:]
    last = 0 if go_backwards else time - 1
    return out[:, :, :hidden], out[:, last, hidden:]
