"""GRU over a whole sequence as one op (PyTorch's equations, Keras's reset_after=True)."""

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
    check_shapes,
    compiled,
    masked,
    raw_mask,
    zeros,
)


_GRU_INPUT_ORDER = (2, 0, 1)
_GRU_INPUT_UNDO = (1, 2, 0)


class GRUFunction(Function):
    """PyTorch's GRU (Keras's reset_after=True): n = tanh(W_in x + b_in + r * (W_hn h + b_hn)).

    r = sigmoid(W_ir x + b_ir + W_hr h + b_hr), z likewise, h_t = (1 - z) * n + z * h_{t-1}.
    Returns every h_t (batch, time, hidden), or with return_sequences=False the final one (batch, hidden).
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
        go_backwards: bool = False,
        return_sequences: bool = True,
    ) -> Any:
        seq = RecurrentSequence(x, w_ih, w_hh, h0, mask, go_backwards, w_hh.shape[1] + 1)
        xp, d, h = seq.xp, seq.features, seq.hidden
        seq.z[:, d + 1 + h] = 1  # the state is [h; 1], so the recurrent bias rides in its matmul
        rows = blocks(_GRU_INPUT_ORDER, h)
        w_in = xp.concatenate([w_ih[rows], b_ih[rows, None]], axis=1).astype(seq.dtype, copy=False)
        w_rec = xp.concatenate([w_hh, b_hh[:, None]], axis=1).astype(seq.dtype, copy=False)
        acts = seq.empty((seq.time, 3 * h, seq.batch))  # r, z, n
        recs = seq.empty((seq.time, 3 * h, seq.batch))  # W_h h + b_h
        proj = seq.empty((seq.time, 3 * h, seq.batch))  # n, r, z
        if compiled(seq, w_in, w_rec):
            xp.matmul(w_in, seq.inputs(d + 1), out=proj)
            kernels.family("recurrent").gru_forward(
                w_rec, proj, seq.z, acts, recs, seq.keep, d, seq.go_backwards
            )
        else:
            _forward_steps(seq, w_in, w_rec, proj, acts, recs)
        ctx.seq, ctx.acts, ctx.recs, ctx.w_in, ctx.w_rec = seq, acts, recs, w_in, w_rec
        ctx.return_sequences = return_sequences
        return seq.result(return_sequences, h)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        seq, d, h = ctx.seq, ctx.seq.features, ctx.seq.hidden
        d_out, dh_next = seq.incoming(grad, ctx.return_sequences)
        d_gates = seq.empty((seq.time, 4 * h, seq.batch))  # n (input side), r, z, n (recurrent)
        if compiled(seq, grad):
            kernels.family("recurrent").gru_backward(
                seq.xp.ascontiguousarray(ctx.w_rec[:, :h].T), seq.z, ctx.acts, ctx.recs, seq.keep, d_out,
                dh_next, d_gates, d, seq.go_backwards,
            )  # fmt: skip
        else:
            dh_next = _backward_steps(seq, ctx, d_out, dh_next, d_gates)
        need_x, need_wi, need_wh, need_bi, need_bh = ctx.needs_input_grad[:5]
        left = seq.gate_major(d_gates)
        d_input, d_rec = left[: 3 * h], left[h:]
        dx = seq.input_grad(ctx.w_in, d_input) if need_x else None
        d_wi = d_bi = d_wh = d_bh = None
        if need_wi or need_bi:
            dw = seq.weight_grad(d_input, d + 1)[blocks(_GRU_INPUT_UNDO, h)]
            d_wi, d_bi = dw[:, :d], dw[:, d]
        if need_wh or need_bh:
            dw = seq.weight_grad(d_rec, None, d + 1)
            d_wh, d_bh = dw[:, :h], dw[:, h]
        return dx, d_wi, d_wh, d_bi, d_bh, dh_next.T


def _backward_steps(seq: RecurrentSequence, ctx: Context, d_out: Any, dh_next: Any, d_gates: Any) -> Any:
    """The reference BPTT loop: fills d_gates, returns dh of the first state."""
    acts = ctx.acts
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
    masked(seq, coef_n, coef_z)
    carry = z if seq.keep is None else carry_factor(seq, z)
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
    return dh_next


def _forward_steps(seq: RecurrentSequence, w_in: Any, w_rec: Any, proj: Any, acts: Any, recs: Any) -> None:
    """The reference time loop (NumPy or CuPy); recs' r and z rows hold half of W_h h + b_h."""
    xp, d, h = seq.xp, seq.features, seq.hidden
    scale_in = xp.full((3 * h, 1), 0.5, seq.dtype)
    scale_in[:h] = 1
    scale_rec = xp.full((3 * h, 1), 0.5, seq.dtype)
    scale_rec[2 * h :] = 1
    xp.matmul(w_in * scale_in, seq.inputs(d + 1), out=proj)
    w_rec_scaled = w_rec * scale_rec
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


def gru(
    x: Any,
    weight_ih: Any,
    weight_hh: Any,
    bias_ih: Any = None,
    bias_hh: Any = None,
    h0: Any = None,
    mask: Any = None,
    go_backwards: bool = False,
    return_sequences: bool = True,
) -> Tensor:
    """GRU over a batch-first sequence (PyTorch's equations, Keras's reset_after=True): every
    hidden state (batch, time, hidden), or with return_sequences=False the final one (batch, hidden).

    Gates (r, z, n) as in PyTorch.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.randn(2, 5, 3, seed=0)  # (batch, time, features)
        >>> w_ih, w_hh = jaring.randn(12, 3, seed=1), jaring.randn(12, 4, seed=2)  # 3 gates x hidden 4
        >>> F.gru(x, w_ih, w_hh).shape, F.gru(x, w_ih, w_hh, return_sequences=False).shape
        ((2, 5, 4), (2, 4))
    """
    x, weight_ih, weight_hh = as_tensor(x), as_tensor(weight_ih), as_tensor(weight_hh)
    bias_ih, bias_hh, h0 = (None if v is None else as_tensor(v) for v in (bias_ih, bias_hh, h0))
    batch, time, _, hidden = check_shapes(
        "gru", x, weight_ih, weight_hh, 3, {"bias_ih": bias_ih, "bias_hh": bias_hh}, {"h0": h0}
    )
    bias_ih = zeros(weight_hh, (3 * hidden,)) if bias_ih is None else bias_ih
    bias_hh = zeros(weight_hh, (3 * hidden,)) if bias_hh is None else bias_hh
    h0 = zeros(weight_hh, (batch, hidden)) if h0 is None else h0
    mask = raw_mask(mask, batch, time, "gru")
    return GRUFunction.apply(
        x,
        weight_ih,
        weight_hh,
        bias_ih,
        bias_hh,
        h0,
        mask=mask,
        go_backwards=bool(go_backwards),
        return_sequences=bool(return_sequences),
    )
