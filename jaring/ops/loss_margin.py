"""Margin losses on scores and embeddings, with torch.nn.functional's formulas and defaults:
margin_ranking_loss, hinge_embedding_loss, soft_margin_loss, cosine_embedding_loss and
triplet_margin_loss.

Each is written with the ops (clamp, where, logsigmoid, sum, sqrt, pairwise_distance), so its
gradient is theirs; max(0, z) is clamp(z, min=0), whose gradient at z = 0 passes, as torch's
clamp_min. Targets in {-1, 1} are not checked (torch does not): other values give torch's
values. Inputs broadcast as in torch; `reduction` is "mean" (default), "sum" or "none".
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops import activation_smooth, arith, reduce, select
from jaring.ops.common import floating
from jaring.ops.distance_pairwise import pairwise_distance
from jaring.ops.loss_arguments import broadcast_shapes, check_number, float_like, reduced
from jaring.ops.loss_checks import check_reduction

_EPSILON = 1e-12  # torch's cosine_embedding_loss adds it to each squared norm


def margin_ranking_loss(
    input1: Any, input2: Any, target: Any, margin: float = 0.0, *, reduction: str = "mean"
) -> Tensor:
    """max(0, -target (input1 - input2) + margin): target 1 asks input1 to rank higher, -1 lower
    (torch's margin_ranking_loss; the three must have the same number of dims, and broadcast).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x1, x2, y = jaring.tensor([2.0, 0.0]), jaring.tensor([1.0, 1.0]), jaring.tensor([1.0, 1.0])
        >>> F.margin_ranking_loss(x1, x2, y, margin=0.5, reduction="none").tolist()
        [0.0, 1.5]
    """
    op = "margin_ranking_loss"
    check_reduction(op, reduction)
    margin = check_number(op, "margin", margin)
    x1 = floating(input1)
    x2, y = float_like(input2, x1), float_like(target, x1)
    if not x1.ndim == x2.ndim == y.ndim:
        raise ValueError(
            f"{op}: all input tensors should have the same dimension but got sizes: "
            f"input1: {x1.shape}, input2: {x2.shape}, target: {y.shape}"
        )
    broadcast_shapes(op, input1=x1, input2=x2, target=y)
    return reduced(select.clamp(-y * (x1 - x2) + margin, min=0.0), reduction)


def hinge_embedding_loss(input: Any, target: Any, margin: float = 1.0, *, reduction: str = "mean") -> Tensor:
    """input where target is 1, max(0, margin - input) where it is -1 (torch's
    hinge_embedding_loss; input is usually a distance). A target that is neither adds both.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> dist, y = jaring.tensor([0.3, 0.4, 1.5]), jaring.tensor([1.0, -1.0, -1.0])
        >>> F.hinge_embedding_loss(dist, y, reduction="none").tolist()
        [0.30000001192092896, 0.6000000238418579, 0.0]
    """
    op = "hinge_embedding_loss"
    check_reduction(op, reduction)
    margin = check_number(op, "margin", margin)
    x = floating(input)
    y = float_like(target, x)
    broadcast_shapes(op, input=x, target=y)
    far = select.where(y != 1, select.clamp(margin - x, min=0.0), 0.0)
    return reduced(far + select.where(y != -1, x, 0.0), reduction)


def soft_margin_loss(input: Any, target: Any, *, reduction: str = "mean") -> Tensor:
    """log(1 + exp(-target input)), the logistic loss of targets in {-1, 1} (torch's
    soft_margin_loss), computed as -logsigmoid(target input): finite where torch's overflows.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.soft_margin_loss(jaring.tensor([0.0, 2.0]), jaring.tensor([1.0, -1.0]), reduction="none")
        tensor([0.6931, 2.1269])
    """
    op = "soft_margin_loss"
    check_reduction(op, reduction)
    x = floating(input)
    y = float_like(target, x)
    shape = broadcast_shapes(op, input=x, target=y)
    if shape != x.shape:  # torch writes the loss into a tensor of the input's shape
        raise ValueError(f"{op}: output with shape {x.shape} doesn't match the broadcast shape {shape}")
    return reduced(-activation_smooth.logsigmoid(y * x), reduction)


def cosine_embedding_loss(
    input1: Any, input2: Any, target: Any, margin: float = 0.0, *, reduction: str = "mean"
) -> Tensor:
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1, 0 elsewhere
    (torch's cosine_embedding_loss). Inputs (N, D) with target (N,), or (D,) with a 0-d target;
    each squared norm gets 1e-12 added, as torch's, so a zero vector gives a finite loss.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> a, b = jaring.tensor([[1.0, 0.0], [1.0, 1.0]]), jaring.tensor([[1.0, 1.0], [-1.0, -1.0]])
        >>> F.cosine_embedding_loss(a, b, jaring.tensor([1.0, -1.0]), reduction="none").tolist()
        [0.29289323091506958, 0.0]
    """
    op = "cosine_embedding_loss"
    check_reduction(op, reduction)
    margin = check_number(op, "margin", margin)
    x1 = floating(input1)
    x2, y = float_like(input2, x1), float_like(target, x1)
    if y.ndim > 1:
        raise ValueError(f"{op}: 0D or 1D target tensor expected, multi-target not supported, got {y.shape}")
    if x1.ndim != y.ndim + 1 or x2.ndim != y.ndim + 1:
        raise ValueError(
            f"{op}: {y.ndim}D target tensor expects {y.ndim + 1}D input tensors, but found inputs "
            f"with sizes {x1.shape} and {x2.shape}"
        )
    broadcast_shapes(op, input1=x1, input2=x2)
    dim = y.ndim
    dot = reduce.sum(x1 * x2, dim=dim)
    squares = (reduce.sum(x1 * x1, dim=dim) + _EPSILON) * (reduce.sum(x2 * x2, dim=dim) + _EPSILON)
    cos = dot / arith.sqrt(squares)
    broadcast_shapes(op, cosine=cos, target=y)
    similar = select.where(y == 1, 1 - cos, 0.0)
    return reduced(similar + select.where(y == -1, select.clamp(cos - margin, min=0.0), 0.0), reduction)


def triplet_margin_loss(
    anchor: Any,
    positive: Any,
    negative: Any,
    margin: float = 1.0,
    p: float = 2.0,
    eps: float = 1e-6,
    swap: bool = False,
    *,
    reduction: str = "mean",
) -> Tensor:
    """max(0, margin + d(anchor, positive) - d(anchor, negative)) with d = pairwise_distance(p,
    eps) (torch's triplet_margin_loss). swap=True uses min(d(a, n), d(p, n)) as the negative
    distance (the distance swap of Balntas et al.). margin must be > 0.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> a, pos = jaring.tensor([[0.0, 0.0]]), jaring.tensor([[1.0, 0.0]])
        >>> neg = jaring.tensor([[0.0, 1.5]])
        >>> round(F.triplet_margin_loss(a, pos, neg, eps=0.0).item(), 4)  # 1 + 1 - 1.5
        0.5
    """
    op = "triplet_margin_loss"
    check_reduction(op, reduction)
    margin = check_number(op, "margin", margin)
    if margin <= 0:
        raise ValueError(f"{op}: margin must be greater than 0, got {margin}")
    a = floating(anchor)
    pos, neg = float_like(positive, a), float_like(negative, a)
    if not a.ndim == pos.ndim == neg.ndim:
        raise ValueError(
            f"{op}: the anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {a.ndim}D, positive {pos.ndim}D, and negative {neg.ndim}D inputs"
        )
    broadcast_shapes(op, anchor=a, positive=pos, negative=neg)
    d_pos = pairwise_distance(a, pos, p, eps)
    d_neg = pairwise_distance(a, neg, p, eps)
    if swap:
        d_neg = select.minimum(d_neg, pairwise_distance(pos, neg, p, eps))
    return reduced(select.clamp(margin + d_pos - d_neg, min=0.0), reduction)
