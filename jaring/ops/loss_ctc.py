"""ctc_loss: the connectionist temporal classification loss, as torch.nn.functional.ctc_loss.

The forward-backward algorithm of Graves et al. (2006) in log space. Each target is extended
with blanks, l' = (blank, l1, blank, l2, ..., blank), of length 2 S + 1; alpha_t(s) is the
log-probability of the paths through l'(s) at time t from the start, beta_t(s) that from the end
(both include frame t's emission). Both recursions are vectorised over the batch and over l',
looping only over time; a sample shorter than T keeps its alpha from its last frame.

The backward is torch's: exp(log_probs) - sum over the s with l'(s) = c of the posterior
exp(alpha + beta - log_probs + nll), per frame t < input_length (0 beyond). That is the
gradient w.r.t. the logits behind a log_softmax folded into the log_probs' gradient: through
log_softmax (how log_probs are meant to be made) it is exactly the derivative, and on any input
it equals torch's, which is what matters to code that comes from torch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops import arith, reduce
from jaring.ops.common import floating
from jaring.ops.loss_checks import check_reduction
from jaring.ops.shape import reshape


def _logsumexp(xp: Any, *terms: Any) -> Any:
    """log(sum(exp(terms))) elementwise, -inf where every term is -inf."""
    top = terms[0]
    for term in terms[1:]:
        top = xp.maximum(top, term)
    shift = xp.where(xp.isfinite(top), top, 0)
    with np.errstate(divide="ignore"):
        return shift + xp.log(sum(xp.exp(term - shift) for term in terms))


def _shift(xp: Any, a: Any, by: int, fill: Any) -> Any:
    """a moved `by` places along the last axis (right for by > 0), the gap filled with `fill`."""
    out = xp.full_like(a, fill)
    if by > 0:
        out[:, by:] = a[:, :-by]
    else:
        out[:, :by] = a[:, -by:]
    return out


def _extended(xp: Any, labels: Any, target_lengths: Any, blank: int) -> tuple:
    """(l' of shape (N, 2 S + 1), the mask of its positions each target uses, the skip mask:
    where alpha may come from s - 2, a label that differs from the one two places back)."""
    n, s = labels.shape
    ext = xp.full((n, 2 * s + 1), blank, dtype=np.int64)
    ext[:, 1::2] = labels
    valid = xp.arange(2 * s + 1)[None, :] < (2 * target_lengths + 1)[:, None]
    skip = xp.zeros(ext.shape, dtype=bool)
    skip[:, 3::2] = ext[:, 3::2] != ext[:, 1:-2:2]
    return ext, valid, skip


class CTCLossFunction(Function):
    """Per-sample negative log-likelihood of the targets, from (T, N, C) log-probabilities."""

    @staticmethod
    def forward(ctx: Context, lp: Any, labels: Any, lengths: Any, blank: int, zero_infinity: bool) -> Any:
        xp = backend.array_module(lp)
        input_lengths, target_lengths = lengths
        t_max, n, _ = lp.shape
        ext, valid, skip = _extended(xp, labels, target_lengths, blank)
        rows = xp.arange(n)[:, None]
        neg = xp.asarray(-np.inf, dtype=lp.dtype)
        emit = lp[:, rows, ext]  # (T, N, L): log-probability of l'(s) at each frame
        alpha = xp.full(emit.shape, neg, dtype=lp.dtype)
        if t_max:
            start = xp.arange(ext.shape[1])[None, :] < 2
            alpha[0] = xp.where(start & valid, emit[0], neg)
        for t in range(1, t_max):
            prev = alpha[t - 1]
            two_back = xp.where(skip, _shift(xp, prev, 2, neg), neg)
            new = _logsumexp(xp, prev, _shift(xp, prev, 1, neg), two_back) + emit[t]
            new = xp.where(valid, new, neg)
            alpha[t] = xp.where((t < input_lengths)[:, None], new, prev)
        last = alpha[xp.maximum(input_lengths - 1, 0), xp.arange(n)]  # (N, L) at each sample's end
        end = 2 * target_lengths
        final = _logsumexp(
            xp, last[xp.arange(n), end], xp.where(end > 0, last[xp.arange(n), xp.maximum(end - 1, 0)], neg)
        )
        empty = input_lengths == 0  # no frame: only the empty target has probability 1
        final = xp.where(empty, xp.where(target_lengths == 0, 0, neg), final)
        nll = -final
        ctx.save_for_backward(lp, alpha, nll)
        ctx.ext, ctx.valid, ctx.skip, ctx.lengths = ext, valid, skip, lengths
        ctx.zero_infinity = zero_infinity
        if zero_infinity:
            nll = xp.where(xp.isinf(nll), 0, nll)
        return nll

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        lp, alpha, nll = ctx.saved
        xp = backend.array_module(lp)
        ext, valid, skip = ctx.ext, ctx.valid, ctx.skip
        input_lengths, target_lengths = ctx.lengths
        t_max, n, c = lp.shape
        rows = xp.arange(n)[:, None]
        neg = xp.asarray(-np.inf, dtype=lp.dtype)
        emit = lp[:, rows, ext]
        span = xp.arange(ext.shape[1])[None, :]
        end = (2 * target_lengths)[:, None]
        at_end = valid & ((span == end) | (span == end - 1))
        skip_ahead = _shift(xp, skip, -2, False)  # beta may come from s + 2 where s + 2 may skip back
        posterior = xp.zeros(emit.shape, dtype=lp.dtype)
        beta = xp.full((n, ext.shape[1]), neg, dtype=lp.dtype)
        for t in range(t_max - 1, -1, -1):
            ahead = xp.where(skip_ahead, _shift(xp, beta, -2, neg), neg)
            new = _logsumexp(xp, beta, _shift(xp, beta, -1, neg), ahead) + emit[t]
            first = (t == input_lengths - 1)[:, None]
            new = xp.where(first, xp.where(at_end, emit[t], neg), xp.where(valid, new, neg))
            beta = xp.where((t < input_lengths)[:, None], new, neg)
            with np.errstate(invalid="ignore", over="ignore"):
                posterior[t] = xp.exp(alpha[t] + beta - emit[t] + nll[:, None])
        onehot = ext[:, :, None] == xp.arange(c)[None, None, :]  # (N, L, C)
        per_class = xp.einsum("tnl,nlc->tnc", posterior, onehot.astype(lp.dtype))
        used = (xp.arange(t_max)[:, None] < input_lengths[None, :])[:, :, None]
        out = xp.where(used, xp.exp(lp) - per_class, 0) * grad[None, :, None]
        if ctx.zero_infinity:
            out = xp.where(xp.isinf(nll)[None, :, None], 0, out)
        return out


def _host(value: Any) -> np.ndarray:
    """Targets or lengths (a Tensor, an array, a list or a number) as a NumPy array."""
    data = value.data if isinstance(value, Tensor) else value
    return backend.to_numpy(data) if backend.is_cupy_array(data) else np.asarray(data)


def _lengths(value: Any, name: str, n: int, limit: int | None, limit_name: str) -> np.ndarray:
    """input_lengths or target_lengths as N non-negative int64 values, checked against `limit`."""
    array = _host(value)
    if array.dtype.kind not in "iu" or array.ndim > 1:
        raise TypeError(f"ctc_loss: {name} must be integers (one per sample), got {value!r:.80}")
    array = array.reshape(-1).astype(np.int64)
    if array.size != n:
        raise ValueError(f"ctc_loss: {name} must have one length per sample ({n}), got {array.size}")
    if array.size and array.min() < 0:
        raise ValueError(f"ctc_loss: {name} must be >= 0, got {array.tolist()}")
    if limit is not None and array.size and array.max() > limit:
        raise ValueError(
            f"ctc_loss: Expected {name} to have value at most {limit} ({limit_name}), "
            f"but got value {int(array.max())}"
        )
    return array


def _padded_labels(targets: np.ndarray, target_lengths: np.ndarray, n: int) -> np.ndarray:
    """Targets as (N, max target length): padded (N, S) targets cut, concatenated ones split."""
    width = int(target_lengths.max(initial=0))
    if targets.ndim == 2:
        if targets.shape[0] != n or targets.shape[1] < width:
            raise ValueError(
                f"ctc_loss: padded targets must have shape (N={n}, S >= {width}), got {targets.shape}"
            )
        return targets[:, :width]
    if targets.size < target_lengths.sum():
        raise ValueError(
            f"ctc_loss: concatenated targets hold {targets.size} labels, but target_lengths "
            f"sum to {int(target_lengths.sum())}"
        )
    out = np.zeros((n, width), dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(target_lengths)[:-1]]).astype(np.int64)
    for i, (start, size) in enumerate(zip(starts, target_lengths)):
        out[i, :size] = targets[start : start + size]
    return out


def ctc_loss(
    log_probs: Any,
    targets: Any,
    input_lengths: Any,
    target_lengths: Any,
    blank: int = 0,
    reduction: str = "mean",
    zero_infinity: bool = False,
) -> Tensor:
    """The CTC loss of label sequences given per-frame log-probabilities, as torch's ctc_loss.

    log_probs: (T, N, C) (or unbatched (T, C)), log_softmax over the C classes, `blank` among
    them. targets: padded (N, S) or all targets concatenated (sum(target_lengths),), class
    indices other than blank. input_lengths / target_lengths: one length per sample (ints,
    lists or integer tensors). reduction "mean" divides each loss by its target length (at
    least 1) and averages, as torch; "sum" or "none" (per sample). An impossible alignment (a
    target that needs more frames than the input has) costs inf, or 0 (and no gradient) with
    zero_infinity=True. The gradient is torch's (see the module docstring).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> log_probs = F.log_softmax(jaring.zeros(3, 1, 2), axis=2)  # (T, N, C): 1/2 everywhere
        >>> round(F.ctc_loss(log_probs, [[1]], [3], [1], reduction="sum").item(), 4)  # 6 of 8 paths
        0.2877
    """
    op = "ctc_loss"
    check_reduction(op, reduction)
    x = floating(log_probs)
    if x.ndim not in (2, 3):
        raise ValueError(f"{op}: log_probs must be (T, N, C) or unbatched (T, C), got shape {x.shape}")
    unbatched = x.ndim == 2
    if unbatched:
        x = reshape(x, x.shape[0], 1, x.shape[1])
    t_max, n, classes = x.shape
    if isinstance(blank, bool) or not isinstance(blank, (int, np.integer)) or not 0 <= blank < classes:
        raise ValueError(f"{op}: blank must be a class index in [0, {classes}), got {blank!r}")
    labels = _host(targets)
    if labels.size and labels.dtype.kind not in "iu":
        raise TypeError(f"{op}: targets must be integer class indices, got dtype {labels.dtype}")
    labels = labels.astype(np.int64)
    if unbatched:
        labels = labels.reshape(1, -1)
    if labels.ndim not in (1, 2):
        raise ValueError(
            f"{op}: targets must be padded (N, S) or concatenated (sum of lengths,), got {labels.shape}"
        )
    input_lengths = _lengths(input_lengths, "input_lengths", n, t_max, "the input length T")
    width = labels.shape[1] if labels.ndim == 2 else None
    target_lengths = _lengths(target_lengths, "target_lengths", n, width, "the padded target length S")
    labels = _padded_labels(labels, target_lengths, n)
    used = np.arange(labels.shape[1])[None, :] < target_lengths[:, None]
    if used.any() and (labels[used].min() < 0 or labels[used].max() >= classes):
        raise ValueError(
            f"{op}: target labels must be class indices in [0, {classes}), got {labels[used].tolist()}"
        )
    xp = backend.array_module(x.data)
    lengths = (xp.asarray(input_lengths), xp.asarray(target_lengths))
    per = CTCLossFunction.apply(
        x, labels=xp.asarray(labels), lengths=lengths, blank=int(blank), zero_infinity=bool(zero_infinity)
    )
    if reduction == "none":
        return reshape(per, ()) if unbatched else per
    if reduction == "sum":
        return reduce.sum(per)
    divisor = xp.asarray(np.maximum(target_lengths, 1), dtype=x.dtype)
    return reduce.mean(arith.div(per, Tensor(divisor)))
