"""SimpleRNN: h_t = act(W_ih x_t + b + W_hh h_{t-1}) over a whole sequence, as one op."""

from __future__ import annotations

from typing import Any


from jaring import kernels
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.recurrent.sequence import (
    ACTIVATIONS,
    RecurrentSequence,
    carry_grad,
    check_shapes,
    compiled,
    masked,
    raw_mask,
    zeros,
)


class SimpleRNNFunction(Function):
    """h_t = act(W_ih x_t + b + W_hh h_{t-1}) over a whole sequence; returns every h_t
    (batch, time, hidden), or with return_sequences=False the final state (batch, hidden)."""

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
        go_backwards: bool = False,
        return_sequences: bool = True,
    ) -> Any:
        seq = RecurrentSequence(x, w_ih, w_hh, h0, mask, go_backwards, w_hh.shape[1])
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
        ctx.seq, ctx.activation, ctx.w_in, ctx.w_rec, ctx.return_sequences = (
            seq,
            activation,
            w_in,
            w_rec,
            return_sequences,
        )
        return seq.result(return_sequences, seq.hidden)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        seq = ctx.seq
        d_out, dh_next = seq.incoming(grad, ctx.return_sequences)
        d_pre = seq.empty((seq.time, seq.hidden, seq.batch))
        if compiled(seq, grad):
            kernels.family("recurrent").rnn_backward(
                seq.xp.ascontiguousarray(ctx.w_rec.T), seq.z, seq.keep, d_out, dh_next, d_pre, seq.features,
                ACTIVATIONS.index(ctx.activation), seq.go_backwards,
            )  # fmt: skip
        else:
            dh_next = _backward_steps(seq, ctx, d_out, dh_next, d_pre)
        need_x, need_wi, need_wh, need_b, _ = ctx.needs_input_grad
        d = seq.features
        left = seq.gate_major(d_pre)
        dx = seq.input_grad(ctx.w_in, left) if need_x else None
        d_wi = d_b = d_wh = None
        if need_wi or need_wh or need_b:
            dw = seq.weight_grad(left)
            d_wi, d_b, d_wh = dw[:, :d], dw[:, d], dw[:, d + 1 :]
        return dx, d_wi, d_wh, d_b, dh_next.T


def _backward_steps(seq: RecurrentSequence, ctx: Context, d_out: Any, dh_next: Any, d_pre: Any) -> Any:
    """The reference BPTT loop: fills d_pre, returns dh of the first state."""
    xp = seq.xp
    y = seq.outputs()
    deriv = seq.empty(y.shape)  # the activation's derivative, from its output y
    if ctx.activation == "tanh" or ctx.activation == "sigmoid":
        xp.multiply(y, y, deriv)
        xp.subtract(1 if ctx.activation == "tanh" else y, deriv, deriv)
    elif ctx.activation == "relu":
        xp.greater(y, 0, deriv)
    else:
        deriv.fill(1)
    masked(seq, deriv)
    dh, tmp = (xp.empty((seq.hidden, seq.batch), seq.dtype) for _ in range(2))
    w_rec_t = ctx.w_rec.T
    for t in seq.back_steps:
        if d_out is None:
            dh, dh_next = dh_next, dh  # no output gradient: dh is the carried one
        else:
            xp.add(d_out[t], dh_next, dh)
        xp.multiply(dh, deriv[t], d_pre[t])
        xp.matmul(w_rec_t, d_pre[t], dh_next)
        carry_grad(seq, t, dh, dh_next, tmp)
    return dh_next


# LSTM rows inside: (o, i, f, g). The sigmoid gates o, i, f are contiguous for the forward
# activation, and i, f, g (the gates whose gradient is a multiple of dc) for the backward.


def simple_rnn(
    x: Any,
    weight_ih: Any,
    weight_hh: Any,
    bias: Any = None,
    h0: Any = None,
    mask: Any = None,
    activation: str = "tanh",
    go_backwards: bool = False,
    return_sequences: bool = True,
) -> Tensor:
    """Elman RNN over a batch-first sequence: every hidden state (batch, time, hidden), or with
    return_sequences=False only the final one (batch, hidden), which skips the per-step gradients.

    h_t = activation(x_t @ weight_ih.T + bias + h_{t-1} @ weight_hh.T); activation is one of
    "tanh", "relu", "sigmoid", "linear". The final state is out[:, -1] (out[:, 0] when reversed).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.randn(2, 5, 3, seed=0)  # (batch, time, features)
        >>> w_ih, w_hh = jaring.randn(4, 3, seed=1), jaring.randn(4, 4, seed=2)  # hidden size 4
        >>> F.simple_rnn(x, w_ih, w_hh).shape, F.simple_rnn(x, w_ih, w_hh, return_sequences=False).shape
        ((2, 5, 4), (2, 4))
        >>> one = jaring.ones(1, 1)
        >>> F.simple_rnn(jaring.ones(1, 2, 1), one, one, activation="relu").tolist()  # h1 = 1, h2 = 1 + h1
        [[[1.0], [2.0]]]
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"simple_rnn: unknown activation {activation!r}; choose from {list(ACTIVATIONS)}")
    x, weight_ih, weight_hh = as_tensor(x), as_tensor(weight_ih), as_tensor(weight_hh)
    bias, h0 = (None if v is None else as_tensor(v) for v in (bias, h0))
    batch, time, _, hidden = check_shapes(
        "simple_rnn", x, weight_ih, weight_hh, 1, {"bias": bias}, {"h0": h0}
    )
    bias = zeros(weight_hh, (hidden,)) if bias is None else bias
    h0 = zeros(weight_hh, (batch, hidden)) if h0 is None else h0
    mask = raw_mask(mask, batch, time, "simple_rnn")
    return SimpleRNNFunction.apply(
        x,
        weight_ih,
        weight_hh,
        bias,
        h0,
        mask=mask,
        activation=activation,
        go_backwards=bool(go_backwards),
        return_sequences=bool(return_sequences),
    )
