"""Margin losses over classes, with torch.nn.functional's formulas and defaults:
multilabel_soft_margin_loss (written with logsigmoid), multi_margin_loss and
multilabel_margin_loss (each one Function with its backward).

The hinge terms max(0, z) of the last two get no gradient at z = 0 (a strict z > 0, as torch's
kernels). Scores are (N, C) or (C,) (a 0-d score is one sample of one class).
"""

from __future__ import annotations

from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops import activation_smooth, reduce
from jaring.ops.common import as_tensor, floating
from jaring.ops.loss_arguments import broadcast_shapes, check_class_labels, check_number, float_like, reduced
from jaring.ops.loss_checks import check_reduction
from jaring.ops.shape import reshape


class MultiMarginFunction(Function):
    """sum over j != y of w[y] max(0, margin - x[y] + x[j])^p / C per row of x (N, C)."""

    @staticmethod
    def forward(ctx: Context, x: Any, labels: Any, weight: Any, p: int, margin: float) -> Any:
        xp = backend.array_module(x)
        rows = xp.arange(x.shape[0])
        z = margin - x[rows, labels][:, None] + x
        active = z > 0
        active[rows, labels] = False
        hinge = xp.where(active, z, 0)
        scale = xp.ones((x.shape[0], 1), x.dtype) if weight is None else weight[labels][:, None]
        ctx.save_for_backward(labels, hinge, active, scale)
        ctx.p = p
        return ((hinge if p == 1 else hinge * hinge) * scale).sum(axis=1) / x.shape[1]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        labels, hinge, active, scale = ctx.saved
        xp = backend.array_module(hinge)
        slope = active.astype(hinge.dtype) if ctx.p == 1 else 2 * hinge
        g = slope * scale * (grad[:, None] / hinge.shape[1])
        rows = xp.arange(hinge.shape[0])
        g[rows, labels] = -g.sum(axis=1)
        return g, None


class MultiLabelMarginFunction(Function):
    """sum over listed targets j and non-target classes k of max(0, 1 - x[j] + x[k]) / C per row."""

    @staticmethod
    def forward(ctx: Context, x: Any, target: Any) -> Any:
        xp = backend.array_module(x)
        n, c = x.shape
        listed = xp.cumprod(target != -1, axis=1).astype(bool)  # the labels before the first -1
        labels = xp.where(listed, target, 0)
        onehot = (labels[:, :, None] == xp.arange(c)) & listed[:, :, None]  # (N, J, C)
        is_target = onehot.any(axis=1)
        z = 1 - xp.take_along_axis(x, labels, axis=1)[:, :, None] + x[:, None, :]
        active = (z > 0) & listed[:, :, None] & ~is_target[:, None, :]
        ctx.save_for_backward(active, onehot)
        ctx.dtype = x.dtype
        return (z * active).sum(axis=(1, 2)) / c

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        active, onehot = ctx.saved
        xp = backend.array_module(active)
        m = active.astype(ctx.dtype) * (grad[:, None, None] / active.shape[2])
        g = m.sum(axis=1) - xp.einsum("nj,njc->nc", m.sum(axis=2), onehot.astype(ctx.dtype))
        return g, None


def _rows(op: str, scores: Tensor) -> Tensor:
    """Scores as (N, C): 1-D is one sample and 0-d one sample of one class."""
    if scores.ndim > 2 or (scores.ndim and scores.shape[-1] == 0):
        raise ValueError(
            f"{op}: expected non-empty vector or matrix with optional 0-dim batch size, "
            f"but got: {list(scores.shape)}"
        )
    return scores if scores.ndim == 2 else reshape(scores, 1, -1)


def multilabel_soft_margin_loss(
    input: Any, target: Any, weight: Any = None, *, reduction: str = "mean"
) -> Tensor:
    """-(t logsigmoid(x) + (1 - t) logsigmoid(-x)) averaged over the classes (the last axis),
    one loss per sample (torch's multilabel_soft_margin_loss); weight (C,) or any shape that
    broadcasts rescales each class.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> scores, labels = jaring.tensor([[2.0, -1.0, 0.0]]), jaring.tensor([[1.0, 0.0, 1.0]])
        >>> F.multilabel_soft_margin_loss(scores, labels, reduction="none")
        tensor([0.3778])
    """
    op = "multilabel_soft_margin_loss"
    check_reduction(op, reduction)
    x = floating(input)
    if x.ndim == 0:
        raise ValueError(f"{op}: input needs a class axis (the last), got a 0-d tensor")
    t = float_like(target, x)
    named = {"input": x, "target": t}
    per = -(t * activation_smooth.logsigmoid(x) + (1 - t) * activation_smooth.logsigmoid(-x))
    if weight is not None:
        named["weight"] = w = float_like(weight, x)
        per = per * w
    broadcast_shapes(op, **named)
    return reduced(reduce.sum(per, dim=x.ndim - 1) / x.shape[-1], reduction)  # torch: the input's last axis


def multi_margin_loss(
    input: Any, target: Any, p: int = 1, margin: float = 1.0, weight: Any = None, *, reduction: str = "mean"
) -> Tensor:
    """The multi-class hinge loss of torch's multi_margin_loss: for each sample,
    sum over classes j != y of w[y] max(0, margin - x[y] + x[j])^p / C, for p = 1 or 2.

    input: scores (N, C) or (C,); target: class indices (N,) (or one for a 1-D input);
    weight: one per class, scaling the loss of the samples of that class. "mean" averages the
    samples' weighted losses.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> scores = jaring.tensor([[0.1, 0.2, 0.4, 0.8]])
        >>> round(F.multi_margin_loss(scores, jaring.tensor([3])).item(), 4)  # (0.3 + 0.4 + 0.6) / 4
        0.325
    """
    op = "multi_margin_loss"
    check_reduction(op, reduction)
    if p not in (1, 2) or isinstance(p, bool):
        raise ValueError(f"{op}: only p == 1 and p == 2 supported, got {p!r}")
    margin = check_number(op, "margin", margin)
    x = floating(input)
    rows = _rows(op, x)
    labels = as_tensor(target)
    check_class_labels(op, labels)
    n, c = rows.shape
    if (x.ndim == 2 and labels.shape != (n,)) or (x.ndim < 2 and (labels.ndim > 1 or labels.size != 1)):
        raise ValueError(
            f"{op}: target tensor should be 1-D with size equal to the number of input samples "
            f"(batch size). Expected target size [{n}], but got {list(labels.shape)}. "
            f"Input has shape {list(x.shape)}."
        )
    xp = backend.array_module(x.data)
    lab = xp.asarray(labels.data).reshape(n)
    if lab.size and (int(lab.min()) < 0 or int(lab.max()) >= c):
        raise ValueError(f"{op}: target out of range: class indices must be in [0, {c - 1}] for {c} classes")
    w = None
    if weight is not None:
        w_t = as_tensor(weight)
        if w_t.ndim != 1:
            raise ValueError(f"{op}: weight must be one-dimensional, got shape {w_t.shape}")
        if w_t.shape[0] != c:
            raise ValueError(f"{op}: inconsistent weight size, expected {c} but got {list(w_t.shape)}")
        w = xp.asarray(w_t.data, dtype=x.dtype)
    per = MultiMarginFunction.apply(rows, labels=lab, weight=w, p=int(p), margin=margin)
    return reduced(per if x.ndim == 2 else reshape(per, labels.shape), reduction)


def multilabel_margin_loss(input: Any, target: Any, *, reduction: str = "mean") -> Tensor:
    """The multi-label hinge loss of torch's multilabel_margin_loss: for each sample,
    sum over its target classes j and its other classes k of max(0, 1 - (x[j] - x[k])) / C.

    target has the input's shape, (N, C) or (C,): each row lists the target class indices and
    ends at the first -1 (the rest is ignored), e.g. [3, 0, -1, 1] means classes 3 and 0.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> scores, target = jaring.tensor([[0.1, 0.2, 0.4, 0.8]]), jaring.tensor([[3, 0, -1, 1]])
        >>> round(F.multilabel_margin_loss(scores, target).item(), 4)
        0.85
    """
    op = "multilabel_margin_loss"
    check_reduction(op, reduction)
    x = floating(input)
    rows = _rows(op, x)
    labels = as_tensor(target)
    check_class_labels(op, labels)
    if labels.shape != x.shape:
        raise ValueError(
            f"{op}: inconsistent target size: {list(labels.shape)} for input of size: {list(x.shape)}"
        )
    xp = backend.array_module(x.data)
    lab = xp.asarray(labels.data).reshape(rows.shape)
    c = rows.shape[1]
    if lab.size and (int(lab.min()) < -1 or int(lab.max()) >= c):
        raise ValueError(f"{op}: target is out of range: entries must be class indices in [0, {c - 1}] or -1")
    per = MultiLabelMarginFunction.apply(rows, target=lab)
    return reduced(per if x.ndim == 2 else reshape(per, x.shape[:-1]), reduction)
