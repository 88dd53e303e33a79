"""PyTorch's loss options: class `weight`, `ignore_index` and label smoothing together for
cross_entropy and nll_loss, `pos_weight` and `weight` for the binary cross-entropies.

These wrap the fused losses of ops/loss.py: without options a call goes straight to them (the
fast path fit uses); with options it runs here. Class-weighted NLL is linear in the
log-probabilities, loss_i = -sum_c coef[i, c] * logp[i, c], so one coefficient array carries
the weights, the ignored samples and the smoothing, and it is also the gradient (times -1).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops import loss
from jaring.ops.activation import sigmoid_array
from jaring.ops.softmax import log_softmax
from jaring.ops.arith import mul
from jaring.ops.common import as_tensor, floating
from jaring.ops import loss_checks
from jaring.ops.loss_checks import check_unit_interval
from jaring.ops.reduce import mean, sum
from jaring.ops.shape import reshape

_reduce_tensor = {"mean": mean, "sum": sum, "none": lambda t: t}


class WeightedNLL(Function):
    """-sum_c coef * logp over the class axis per sample, then the reduction (mean: / divisor)."""

    @staticmethod
    def forward(ctx: Context, logp: Any, coef: Any, divisor: Any, shape: tuple, reduction: str) -> Any:
        per = -(coef * logp).sum(axis=1)
        ctx.coef, ctx.divisor, ctx.reduction, ctx.shape = coef, divisor, reduction, logp.shape
        if reduction == "none":
            return per.reshape(shape)
        total = per.sum()
        with np.errstate(invalid="ignore", divide="ignore"):  # every sample ignored: nan, as torch
            return total / divisor if reduction == "mean" else total

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        coef = ctx.coef
        if ctx.reduction == "none":
            up = grad.reshape((coef.shape[0], 1) + coef.shape[2:])
        elif ctx.reduction == "mean":
            # every sample ignored: the loss is nan but the gradient is 0, as in PyTorch
            up = grad / ctx.divisor if ctx.divisor else 0 * grad
        else:
            up = grad
        return (-coef * up).reshape(ctx.shape)


def _weight_array(op: str, weight: Any, classes: int, like: Tensor) -> Any:
    if weight is None:
        return None
    w = weight.data if isinstance(weight, Tensor) else np.asarray(weight)
    if w.shape != (classes,):
        raise ValueError(f"{op}: weight must have one entry per class, shape ({classes},), got {w.shape}")
    return backend.array_module(like.data).asarray(w, dtype=like.dtype)


def _class_nll(
    op: str, logp: Tensor, labels: Tensor, weight: Any, ignore_index: int, reduction: str, smoothing: float
) -> Tensor:
    """Weighted, ignoring, smoothed NLL of integer labels given log-probabilities (classes on axis 1)."""
    xp = backend.array_module(logp.data)
    lab_all = xp.asarray(labels.data)
    ignored = lab_all == ignore_index
    loss_checks.check_labels(
        op, logp, Tensor._from_op(xp.where(ignored, 0, lab_all), None), "log-probabilities"
    )
    x, lab = loss.class_view(logp.data, xp.where(ignored, 0, lab_all))
    valid = ~ignored.reshape(lab.shape)
    classes = x.shape[1]
    w = _weight_array(op, weight, classes, logp)
    w = xp.ones(classes, dtype=x.dtype) if w is None else w
    picked = w[lab] * valid  # each sample's weight, 0 where ignored
    coef = xp.zeros(x.shape, dtype=x.dtype)
    coef[loss.label_index(xp, lab)] = (1 - smoothing) * picked
    if smoothing:
        class_w = w.reshape((1, classes) + (1,) * (x.ndim - 2))
        coef += (smoothing / classes) * class_w * xp.expand_dims(valid, 1).astype(x.dtype)
    view = logp if logp.data.shape == x.shape else reshape(logp, *x.shape)
    # mean divides by the summed weights of the kept samples, as PyTorch (0 of them gives nan)
    return WeightedNLL.apply(view, coef=coef, divisor=picked.sum(), shape=labels.shape, reduction=reduction)


class BCEWithLogitsPosWeight(Function):
    """(1 - t) x + (1 + (pos_weight - 1) t) softplus(-x) per element, PyTorch's stable form."""

    @staticmethod
    def forward(ctx: Context, logits: Any, target: Any, pos_weight: Any) -> Any:
        xp = backend.array_module(logits)
        soft = xp.maximum(-logits, 0) + xp.log1p(xp.exp(-xp.abs(logits)))  # softplus(-x)
        scale = 1 + (pos_weight - 1) * target
        ctx.save_for_backward(logits, target, pos_weight, soft)
        return (1 - target) * logits + scale * soft

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        logits, target, pos_weight, soft = ctx.saved
        needs = ctx.needs_input_grad
        scale = 1 + (pos_weight - 1) * target
        grad_x = grad * ((1 - target) - scale * sigmoid_array(-logits)) if needs[0] else None
        grad_t = grad * (-logits + (pos_weight - 1) * soft) if needs[1] else None
        grad_p = grad * target * soft if needs[2] else None
        return grad_x, grad_t, grad_p


def _elementwise_weight(op: str, per: Tensor, weight: Any, reduction: str) -> Tensor:
    """per-element losses times a weight that broadcasts to them, then the reduction."""
    if weight is not None:
        w = as_tensor(weight, per)
        try:
            np.broadcast_shapes(w.shape, per.shape)
        except ValueError:
            raise ValueError(
                f"{op}: weight of shape {w.shape} does not broadcast to the loss shape {per.shape}"
            ) from None
        per = mul(per, w)
    return _reduce_tensor[reduction](per)


# ----- the functional forms (re-exported by jaring.functional) ------------------------------


def cross_entropy(
    input: Any,
    target: Any,
    reduction: str = "mean",
    label_smoothing: float = 0.0,
    *,
    weight: Any = None,
    ignore_index: int = -100,
) -> Tensor:
    """torch.nn.functional.cross_entropy with weight, ignore_index and label_smoothing.

    input: logits (N, C) or (N, C, d1, ...), or (C,); target: integer labels (N,) or (N, d1, ...),
    or probabilities of the input's shape. weight (C,) rescales each class; "mean" then divides
    by the summed weights of the kept samples (PyTorch's rule). Labels equal to ignore_index
    (default -100) add nothing and count nowhere. label_smoothing mixes the target with the
    uniform distribution. Unlike torch, reduction comes third (jaring's earlier order) and
    weight and ignore_index are keyword-only.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> logits = jaring.tensor([[2.0, 0.0, 0.0], [0.0, 3.0, 0.0]])  # (N, C), no softmax
        >>> labels = jaring.tensor([0, 1])
        >>> round(F.cross_entropy(logits, labels).item(), 4)
        0.1672
        >>> F.cross_entropy(logits, labels, reduction="none").numpy().round(4)
        array([0.2395, 0.0949], dtype=float32)
    """
    op = "cross_entropy"
    loss_checks.check_reduction(op, reduction)
    logits, target_t = floating(input), as_tensor(target)
    soft = logits.ndim and target_t.shape == logits.shape
    ignoring = not soft and target_t.dtype.kind in "iu" and _holds(target_t.data, ignore_index)
    if weight is None and not ignoring:
        return loss.cross_entropy(logits, target_t, reduction, label_smoothing)
    smoothing = _smoothing(op, label_smoothing)
    axis = 1 if logits.ndim > 1 else 0
    logp = log_softmax(logits, axis=axis)
    if soft:
        _, target_t = loss_checks.float_pair(op, logits, target_t, "logits")
        check_unit_interval(op, target_t, "one-hot or probability targets")
        w = _weight_array(op, weight, logits.shape[axis], logits)
        probs = target_t if not smoothing else target_t * (1 - smoothing) + smoothing / logits.shape[axis]
        terms = mul(logp, probs)
        if w is not None:
            terms = mul(terms, Tensor._from_op(w.reshape((-1,) + (1,) * (logits.ndim - axis - 1)), None))
        return _reduce_tensor[reduction](-sum(terms, axis=axis))
    return _class_nll(op, logp, target_t, weight, ignore_index, reduction, smoothing)


def _holds(labels: Any, value: int) -> bool:
    """Whether integer `labels` hold `value` (ignore_index): a look at their range first, since
    the default -100 lies outside every valid range."""
    if not labels.size:
        return False
    low, high = loss_checks.label_bounds(labels)
    return low <= value <= high and bool((labels == value).any())


def _smoothing(op: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)) or not 0 <= value <= 1:
        raise ValueError(f"{op}: label_smoothing must be a number in [0, 1], got {value!r}")
    return float(value)


def nll_loss(
    input: Any, target: Any, reduction: str = "mean", *, weight: Any = None, ignore_index: int = -100
) -> Tensor:
    """torch.nn.functional.nll_loss with weight and ignore_index (see cross_entropy).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> log_probs = F.log_softmax(jaring.tensor([[2.0, 0.0, 0.0], [0.0, 3.0, 0.0]]), axis=1)
        >>> round(F.nll_loss(log_probs, jaring.tensor([0, 1])).item(), 4)  # = cross_entropy of the logits
        0.1672
        >>> round(F.nll_loss(log_probs, jaring.tensor([0, -100])).item(), 4)  # the second is ignored
        0.2395
    """
    op = "nll_loss"
    loss_checks.check_reduction(op, reduction)
    log_probs, labels = floating(input), as_tensor(target)
    ignoring = labels.dtype.kind in "iu" and bool((labels.data == ignore_index).any())
    if weight is None and not ignoring:
        return loss.nll_loss(log_probs, labels, reduction)
    if labels.dtype.kind not in "iu":
        loss_checks.check_labels(op, log_probs, labels, "log_probs")
    return _class_nll(op, log_probs, labels, weight, ignore_index, reduction, 0.0)


def binary_cross_entropy_with_logits(
    input: Any, target: Any, reduction: str = "mean", *, weight: Any = None, pos_weight: Any = None
) -> Tensor:
    """torch.nn.functional.binary_cross_entropy_with_logits with weight and pos_weight.

    pos_weight (broadcast along the last axis, e.g. one per class) multiplies the loss of the
    positive targets: > 1 raises recall, < 1 precision. weight rescales each element's loss.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> logits, target = jaring.tensor([2.0, -1.0]), jaring.tensor([1.0, 0.0])
        >>> round(F.binary_cross_entropy_with_logits(logits, target).item(), 4)
        0.2201
        >>> loss = F.binary_cross_entropy_with_logits(logits, target, pos_weight=jaring.tensor([2.0]))
        >>> round(loss.item(), 4)  # the positive's loss counts twice
        0.2836
    """
    op = "binary_cross_entropy_with_logits"
    if weight is None and pos_weight is None:
        return loss.binary_cross_entropy_with_logits(input, target, reduction)
    loss_checks.check_reduction(op, reduction)
    logits, target_t = loss_checks.float_pair(op, input, target, "logits")
    if pos_weight is None:
        per = loss.binary_cross_entropy_with_logits(logits, target_t, "none")
    else:
        check_unit_interval(op, target_t, "targets (0/1 labels or probabilities)")
        pw = as_tensor(pos_weight, logits)
        try:
            np.broadcast_shapes(pw.shape, logits.shape)
        except ValueError:
            raise ValueError(
                f"{op}: pos_weight of shape {pw.shape} does not broadcast to {logits.shape}"
            ) from None
        per = BCEWithLogitsPosWeight.apply(logits, target_t, pw)
    return _elementwise_weight(op, per, weight, reduction)


def binary_cross_entropy(
    input: Any, target: Any, reduction: str = "mean", eps: float = 1e-7, *, weight: Any = None
) -> Tensor:
    """torch.nn.functional.binary_cross_entropy with a per-element weight (clipped as ops/loss.py).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> probs, target = jaring.tensor([0.9, 0.2]), jaring.tensor([1.0, 0.0])  # after a sigmoid
        >>> round(F.binary_cross_entropy(probs, target).item(), 4)  # -(log 0.9 + log 0.8) / 2
        0.1643
    """
    if weight is None:
        return loss.binary_cross_entropy(input, target, reduction, eps)
    loss_checks.check_reduction("binary_cross_entropy", reduction)
    per = loss.binary_cross_entropy(input, target, "none", eps)
    return _elementwise_weight("binary_cross_entropy", per, weight, reduction)
