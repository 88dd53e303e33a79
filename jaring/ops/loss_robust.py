"""Regression losses beside the squared error, and the normalising of vectors: l1_loss,
smooth_l1_loss, huber_loss, normalize and cosine_similarity, with torch.nn.functional's
formulas and defaults.

Each is written with the ops (abs, where, sum, clamp, the p-norm), so its gradient is theirs. The
losses take a prediction and a target of one shape, as mse_loss does (torch broadcasts them
with a warning; a mismatch here is a ValueError that names both shapes).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops import arith, reduce, select, shape
from jaring.ops.common import floating
from jaring.ops.loss_checks import check_reduction, float_pair
from jaring.ops.tensor_methods_torch import norm


def _reduced(per: Tensor, reduction: str) -> Tensor:
    return per if reduction == "none" else reduce.sum(per) if reduction == "sum" else reduce.mean(per)


def _threshold(op: str, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ValueError(f"{op}: {name} must be a number >= 0, got {value!r}")
    return float(value)


def l1_loss(pred: Any, target: Any, reduction: str = "mean") -> Tensor:
    """Mean absolute error |pred - target| (torch's l1_loss; the gradient at 0 is 0).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.l1_loss(jaring.tensor([1.0, 2.0, 3.0]), jaring.tensor([1.0, 4.0, 2.0])).item()
        1.0
    """
    check_reduction("l1_loss", reduction)
    pred, target = float_pair("l1_loss", pred, target)
    return _reduced(arith.abs(pred - target), reduction)


def smooth_l1_loss(pred: Any, target: Any, reduction: str = "mean", beta: float = 1.0) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta, for d = pred - target (torch's
    smooth_l1_loss; beta = 0 is l1_loss).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.smooth_l1_loss(jaring.tensor([0.5, 3.0]), jaring.zeros(2), reduction="none").tolist()
        [0.125, 2.5]
    """
    check_reduction("smooth_l1_loss", reduction)
    beta = _threshold("smooth_l1_loss", "beta", beta)
    pred, target = float_pair("smooth_l1_loss", pred, target)
    size = arith.abs(pred - target)
    if beta == 0:
        return _reduced(size, reduction)
    return _reduced(select.where(size < beta, 0.5 * size * size / beta, size - 0.5 * beta), reduction)


def huber_loss(pred: Any, target: Any, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta), for d = pred - target (torch's
    huber_loss: smooth_l1_loss times delta).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.huber_loss(jaring.tensor([0.5, 3.0]), jaring.zeros(2), reduction="none", delta=2.0).tolist()
        [0.125, 4.0]
    """
    check_reduction("huber_loss", reduction)
    delta = _threshold("huber_loss", "delta", delta)
    if delta == 0:
        raise ValueError("huber_loss: delta must be > 0, got 0")
    pred, target = float_pair("huber_loss", pred, target)
    size = arith.abs(pred - target)
    return _reduced(select.where(size < delta, 0.5 * size * size, delta * (size - 0.5 * delta)), reduction)


def normalize(x: Any, p: float = 2.0, dim: int = 1, eps: float = 1e-12) -> Tensor:
    """x divided by its p-norm along `dim`, the norm held at eps or more (torch's normalize).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.normalize(jaring.tensor([[3.0, 4.0], [0.0, 0.0]])).tolist()
        [[0.6000000238418579, 0.800000011920929], [0.0, 0.0]]
    """
    x = floating(x)
    return x / select.clamp(norm(x, p, dim, keepdim=True), min=eps)


def cosine_similarity(x1: Any, x2: Any, dim: int = 1, eps: float = 1e-8) -> Tensor:
    """x1 . x2 / (|x1| |x2|) along `dim` (the two broadcast), each norm held at eps or more, as
    torch's cosine_similarity computes it: (x1 / |x1|) . (x2 / |x2|).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> a, b = jaring.tensor([[1.0, 0.0], [1.0, 1.0]]), jaring.tensor([[2.0, 0.0], [-1.0, -1.0]])
        >>> F.cosine_similarity(a, b).tolist()
        [1.0, -1.0]
    """
    x1, x2 = floating(x1), floating(x2)
    if x1.shape != x2.shape:  # torch broadcasts first: a size-1 `dim` counts as repeated, not once
        try:
            common = np.broadcast_shapes(x1.shape, x2.shape)
        except ValueError:
            raise ValueError(
                f"cosine_similarity: shapes {x1.shape} and {x2.shape} do not broadcast"
            ) from None
        x1, x2 = shape.broadcast_to(x1, common), shape.broadcast_to(x2, common)
    unit1 = x1 / select.clamp(norm(x1, 2, dim, keepdim=True), min=eps)
    unit2 = x2 / select.clamp(norm(x2, 2, dim, keepdim=True), min=eps)
    return reduce.sum(unit1 * unit2, dim=dim)
