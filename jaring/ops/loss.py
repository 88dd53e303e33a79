"""Loss functions, each one fused op: the per-element loss, its reduction and its gradient together.

Every loss takes reduction="mean" (average over samples, the default), "sum" or "none" (the
per-sample losses). Cross-entropy from logits does log-softmax and the negative log-likelihood
in one stable step, with the classes on axis 1 as in PyTorch. Losses on probabilities clip them
to [eps, 1 - eps] first, as Keras does, so log(0) never happens. NaN inputs give NaN losses.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend, kernels
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.activation import sigmoid_array
from jaring.ops.common import as_tensor, floating
from jaring.ops.loss_checks import (
    check_eps,
    check_labels,
    check_probabilities,
    check_reduction,
    check_sums_to_one,
    check_unit_interval,
    float_pair,
)
from jaring.ops.softmax import rows_kernel


def _reduce(per: Any, reduction: str) -> Any:
    if reduction == "none":
        return per
    if reduction == "sum":
        return per.sum()
    if per.size and per.dtype.itemsize >= 4:
        # what ndarray.mean computes for float32 and float64 (same value and dtype), without its
        # Python layer; float16 (summed in float32 by mean) and empty arrays (NaN) go to mean
        return per.sum() / per.size
    return per.mean()


def _per_element(grad: Any, reduction: str, count: int) -> Any:
    """The upstream gradient of each per-element loss: a 0-d array, or grad itself for 'none'."""
    return grad / count if reduction == "mean" else grad


def _unclipped(probs: Any, eps: float) -> Any:
    """1 where eps <= probs <= 1 - eps, else 0: clipped entries get no gradient. Multiplying by it
    (rather than np.where, slow on large random masks) keeps NaN gradients NaN."""
    return ((probs >= eps) & (probs <= 1 - eps)).astype(probs.dtype)


class MSELossFunction(Function):
    @staticmethod
    def forward(ctx: Context, pred: Any, target: Any, reduction: str) -> Any:
        diff = pred - target
        ctx.save_for_backward(diff)
        ctx.reduction = reduction
        return _reduce(diff * diff, reduction)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        (diff,) = ctx.saved
        g = diff * (2 * _per_element(grad, ctx.reduction, diff.size))
        need_pred, need_target = ctx.needs_input_grad
        return (g if need_pred else None), (-g if need_target else None)


class BinaryCrossEntropy(Function):
    """-(t log p + (1 - t) log(1 - p)) with p clipped to [eps, 1 - eps]."""

    @staticmethod
    def forward(ctx: Context, probs: Any, target: Any, reduction: str, eps: float) -> Any:
        xp = backend.array_module(probs)
        p = xp.clip(probs, eps, 1 - eps)
        log_p, log_q = xp.log(p), xp.log1p(-p)
        ctx.save_for_backward(probs, target, p)
        ctx.reduction, ctx.eps = reduction, eps
        return _reduce(-(log_q + target * (log_p - log_q)), reduction)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        probs, target, p = ctx.saved
        xp = backend.array_module(p)
        up = _per_element(grad, ctx.reduction, p.size)
        need_probs, need_target = ctx.needs_input_grad
        grad_probs = grad_target = None
        if need_probs:
            grad_probs = up * (p - target) / (p * (1 - p)) * _unclipped(probs, ctx.eps)
        if need_target:
            grad_target = up * (xp.log1p(-p) - xp.log(p))
        return grad_probs, grad_target


class BinaryCrossEntropyWithLogits(Function):
    """Sigmoid + binary cross-entropy as max(x, 0) - x t + log(1 + exp(-|x|)): never overflows."""

    @staticmethod
    def forward(ctx: Context, logits: Any, target: Any, reduction: str) -> Any:
        xp = backend.array_module(logits)
        per = xp.maximum(logits, 0) - logits * target + xp.log1p(xp.exp(-xp.abs(logits)))
        ctx.save_for_backward(logits, target)
        ctx.reduction = reduction
        return _reduce(per, reduction)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        logits, target = ctx.saved
        up = _per_element(grad, ctx.reduction, logits.size)
        need_logits, need_target = ctx.needs_input_grad
        grad_logits = (sigmoid_array(logits) - target) * up if need_logits else None
        return grad_logits, (-logits * up if need_target else None)


class CategoricalCrossEntropyFunction(Function):
    """-sum(t log p) over the last axis with p clipped to [eps, 1 - eps] (Keras' formula)."""

    @staticmethod
    def forward(ctx: Context, probs: Any, target: Any, reduction: str, eps: float) -> Any:
        xp = backend.array_module(probs)
        p = xp.clip(probs, eps, 1 - eps)
        ctx.save_for_backward(probs, target, p)
        ctx.reduction, ctx.eps = reduction, eps
        return _reduce(-(target * xp.log(p)).sum(axis=-1), reduction)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        probs, target, p = ctx.saved
        xp = backend.array_module(p)
        up = _per_element(grad, ctx.reduction, p.size // max(p.shape[-1], 1))
        up = up[..., None] if ctx.reduction == "none" else up
        need_probs, need_target = ctx.needs_input_grad
        grad_probs = grad_target = None
        if need_probs:
            grad_probs = -(up * target) / p * _unclipped(probs, ctx.eps)
        if need_target:
            grad_target = -up * xp.log(p)
        return grad_probs, grad_target


def class_view(scores: Any, labels: Any) -> tuple:
    """scores as (N, C), or (N, C, M) when there are extra axes, and labels as (N,) or (N, M)."""
    n, c = (scores.shape[0], scores.shape[1]) if scores.ndim > 1 else (1, scores.shape[0])
    if scores.ndim <= 2:  # the common case stays 2-D: reductions over the last axis are faster
        return scores.reshape(n, c), labels.reshape(n)
    return scores.reshape(n, c, -1), labels.reshape(n, -1)


def label_index(xp: Any, labels: Any) -> tuple:
    """Fancy index of entry [i, labels[i]] (or [i, labels[i, j], j]) of the class view."""
    if labels.ndim == 1:
        return xp.arange(labels.shape[0]), labels
    n, m = labels.shape
    return xp.arange(n)[:, None], labels, xp.arange(m)[None, :]


class CrossEntropy(Function):
    """log-softmax over axis 1 + negative log-likelihood of integer labels, in one op.

    Forward keeps only exp(x - max) and its sum. Backward is softmax * upstream with the
    upstream subtracted at each label, indexed in place: no one-hot matrix is ever built.
    """

    @staticmethod
    def forward(ctx: Context, logits: Any, labels: Any, reduction: str, smoothing: float) -> Any:
        xp = backend.array_module(logits)
        x, lab = class_view(logits, xp.asarray(labels))  # labels may come from the CPU
        ctx.shape, ctx.reduction, ctx.smoothing = logits.shape, reduction, smoothing
        if rows_kernel(x) and kernels.enabled(lab):
            probs, per = kernels.family("softmax").cross_entropy_forward(x, lab, smoothing)
            ctx.save_for_backward(probs, None, lab)  # no total: the kernel saves the softmax itself
            return _reduce(per.reshape(labels.shape), reduction)
        top = x.max(axis=1, keepdims=True)
        e = xp.subtract(x, top, out=xp.empty_like(x))
        xp.exp(e, out=e)
        total = e.sum(axis=1, keepdims=True)
        lse = (xp.log(total) + top)[:, 0]
        per = lse - x[label_index(xp, lab)]
        if smoothing:
            # Smoothed target (1 - s) * onehot + s / C: its loss adds s * (lse - mean of logits).
            per = (1 - smoothing) * per + smoothing * (lse - x.mean(axis=1))
        ctx.save_for_backward(e, total, lab)
        return _reduce(per.reshape(labels.shape), reduction)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        e, total, lab = ctx.saved
        xp = backend.array_module(e)
        up = _per_element(grad, ctx.reduction, lab.size)
        if total is None:  # the kernel's forward: e holds the softmax
            rows = xp.asarray(up, dtype=e.dtype).reshape(-1)
            g = kernels.family("softmax").cross_entropy_backward(e, lab, rows, ctx.smoothing)
            return g.reshape(ctx.shape), None
        if ctx.reduction == "none":
            up = up.reshape(total.shape)
        g = e * (up / total)
        if ctx.smoothing:
            g -= up * (ctx.smoothing / e.shape[1])
        g[label_index(xp, lab)] -= (up[:, 0] if up.ndim else up) * (1 - ctx.smoothing)
        return g.reshape(ctx.shape), None


class SoftCrossEntropy(Function):
    """Cross-entropy from logits against one-hot or probability targets of the logits' shape."""

    @staticmethod
    def forward(ctx: Context, logits: Any, target: Any, reduction: str, smoothing: float) -> Any:
        xp = backend.array_module(logits)
        axis = 1 if logits.ndim > 1 else 0
        if smoothing:
            target = target * (1 - smoothing) + smoothing / logits.shape[axis]
        logp = xp.subtract(logits, logits.max(axis=axis, keepdims=True), out=xp.empty_like(logits))
        logp -= xp.log(xp.exp(logp).sum(axis=axis, keepdims=True))
        per = -(target * logp).sum(axis=axis)
        ctx.save_for_backward(target, logp)
        ctx.axis, ctx.reduction, ctx.smoothing = axis, reduction, smoothing
        return _reduce(per, reduction)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        target, logp = ctx.saved
        xp = backend.array_module(logp)
        axis = ctx.axis
        up = _per_element(grad, ctx.reduction, logp.size // max(logp.shape[axis], 1))
        if ctx.reduction == "none":
            up = xp.expand_dims(up, axis)
        need_logits, need_target = ctx.needs_input_grad
        grad_logits = grad_target = None
        if need_logits:
            grad_logits = (xp.exp(logp) * target.sum(axis=axis, keepdims=True) - target) * up
        if need_target:
            grad_target = -logp * (up * (1 - ctx.smoothing))
        return grad_logits, grad_target


class NLLLossFunction(Function):
    """-log_probs[label] per sample, classes on axis 1; the gradient is scattered to the labels."""

    @staticmethod
    def forward(ctx: Context, log_probs: Any, labels: Any, reduction: str) -> Any:
        xp = backend.array_module(log_probs)
        x, lab = class_view(log_probs, xp.asarray(labels))  # labels may come from the CPU
        per = -x[label_index(xp, lab)]
        ctx.save_for_backward(lab)
        ctx.shape, ctx.view, ctx.dtype, ctx.reduction = log_probs.shape, x.shape, log_probs.dtype, reduction
        return _reduce(per.reshape(labels.shape), reduction)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        (lab,) = ctx.saved
        xp = backend.array_module(grad)
        up = _per_element(grad, ctx.reduction, lab.size)
        g = xp.zeros(ctx.view, dtype=ctx.dtype)
        g[label_index(xp, lab)] = -(up.reshape(lab.shape) if ctx.reduction == "none" else up)
        return g.reshape(ctx.shape), None


# ----- the functional forms (re-exported by jaring.functional) ------------------------------


def mse_loss(pred: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Mean squared error (pred - target)^2; pred and target must have the same shape.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> pred, target = jaring.tensor([1.0, 2.0, 3.0]), jaring.tensor([1.0, 2.0, 5.0])
        >>> round(F.mse_loss(pred, target).item(), 4), F.mse_loss(pred, target, reduction="sum").item()
        (1.3333, 4.0)
    """
    check_reduction("mse_loss", reduction)
    pred, target = float_pair("mse_loss", pred, target)
    return MSELossFunction.apply(pred, target, reduction=reduction)


def binary_cross_entropy(probs: Any, target: Any, reduction: str = "mean", eps: float = 1e-7) -> Tensor:
    """Binary cross-entropy on probabilities (after a sigmoid), clipped to [eps, 1 - eps] like Keras.

    The clipping bounds each loss by -log(eps) (about 16.1) and gives clipped entries zero gradient.
    For raw scores prefer binary_cross_entropy_with_logits: it is exact and stable.
    """
    check_reduction("binary_cross_entropy", reduction)
    eps = check_eps("binary_cross_entropy", eps)
    probs, target = float_pair("binary_cross_entropy", probs, target, "probs")
    check_probabilities("binary_cross_entropy", probs, "binary_cross_entropy_with_logits")
    check_unit_interval("binary_cross_entropy", target, "targets (0/1 labels or probabilities)")
    return BinaryCrossEntropy.apply(probs, target, reduction=reduction, eps=eps)


def binary_cross_entropy_with_logits(logits: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Sigmoid followed by binary cross-entropy, fused and stable for any logit."""
    check_reduction("binary_cross_entropy_with_logits", reduction)
    logits, target = float_pair("binary_cross_entropy_with_logits", logits, target, "logits")
    check_unit_interval("binary_cross_entropy_with_logits", target, "targets (0/1 labels or probabilities)")
    return BinaryCrossEntropyWithLogits.apply(logits, target, reduction=reduction)


def categorical_cross_entropy(probs: Any, target: Any, reduction: str = "mean", eps: float = 1e-7) -> Tensor:
    """Cross-entropy on probabilities (after a softmax) with one-hot or soft targets, classes last.

    Probabilities are clipped to [eps, 1 - eps] as Keras does; "mean" averages over samples.
    Unlike Keras, probabilities that do not sum to 1 over the last axis are refused (ValueError)
    rather than renormalised. For raw scores or integer labels use cross_entropy.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> probs = jaring.tensor([[0.7, 0.2, 0.1], [0.1, 0.8, 0.1]])
        >>> one_hot = jaring.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]])
        >>> round(F.categorical_cross_entropy(probs, one_hot).item(), 4)  # -(log 0.7 + log 0.8) / 2
        0.2899
    """
    op = "categorical_cross_entropy"
    check_reduction(op, reduction)
    eps = check_eps(op, eps)
    probs_t, target_t = floating(probs), as_tensor(target)
    if probs_t.ndim == 0:
        raise ValueError(f"{op}: probs need a class axis (the last), got a 0-d tensor")
    if target_t.dtype.kind in "iu" and target_t.shape == probs_t.shape[:-1]:
        raise ValueError(
            f"{op}: target of shape {target_t.shape} looks like integer labels; this loss needs one-hot "
            f"targets of the probs' shape {probs_t.shape} (or use cross_entropy on logits with the labels)"
        )
    probs_t, target_t = float_pair(op, probs_t, target_t, "probs")
    check_probabilities(op, probs_t, "cross_entropy")
    check_sums_to_one(op, probs_t)
    check_unit_interval(op, target_t, "one-hot or probability targets")
    return CategoricalCrossEntropyFunction.apply(probs_t, target_t, reduction=reduction, eps=eps)


def cross_entropy(logits: Any, target: Any, reduction: str = "mean", label_smoothing: float = 0.0) -> Tensor:
    """Softmax cross-entropy from raw scores, fused and stable, as torch.nn.functional.cross_entropy.

    logits: (N, C) or (N, C, d1, ...) with classes on axis 1, or (C,) for one sample.
    target: integer labels of shape (N,) or (N, d1, ...), or one-hot/probabilities of the logits'
    shape. label_smoothing in [0, 1] mixes the target with the uniform distribution.
    """
    op = "cross_entropy"
    check_reduction(op, reduction)
    if isinstance(label_smoothing, bool) or not isinstance(label_smoothing, (int, float, np.floating)):
        raise TypeError(f"{op}: label_smoothing must be a number in [0, 1], got {label_smoothing!r}")
    if not 0 <= label_smoothing <= 1:
        raise ValueError(f"{op}: label_smoothing must be in [0, 1], got {label_smoothing}")
    logits, target = floating(logits), as_tensor(target)
    if logits.ndim and target.shape == logits.shape:
        logits, target = float_pair(op, logits, target, "logits")
        check_unit_interval(op, target, "one-hot or probability targets")
        return SoftCrossEntropy.apply(logits, target, reduction=reduction, smoothing=float(label_smoothing))
    if target.dtype.kind == "f" and logits.ndim and target.ndim == logits.ndim:
        raise ValueError(
            f"{op}: one-hot/probability targets must have the logits' shape {logits.shape}, "
            f"got {target.shape}"
        )
    check_labels(op, logits, target, "logits")
    return CrossEntropy.apply(logits, target, reduction=reduction, smoothing=float(label_smoothing))


def nll_loss(log_probs: Any, labels: Any, reduction: str = "mean") -> Tensor:
    """Negative log-likelihood of integer labels given log-probabilities (after log_softmax).

    Shapes as cross_entropy: (N, C) or (N, C, d1, ...) with labels (N,) or (N, d1, ...).
    """
    check_reduction("nll_loss", reduction)
    log_probs, labels = floating(log_probs), as_tensor(labels)
    check_labels("nll_loss", log_probs, labels, "log_probs")
    return NLLLossFunction.apply(log_probs, labels, reduction=reduction)
