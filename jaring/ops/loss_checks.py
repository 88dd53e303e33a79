"""Value checks on loss inputs that would otherwise give a loss with no meaning, not an error.

A binary cross-entropy with a target of 2 is negative; a categorical cross-entropy on scores
that are not probabilities measures nothing. Each check costs one pass over the data.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import kernels
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, floating

REDUCTIONS = ("mean", "sum", "none")


def check_unit_interval(op: str, target: Tensor, what: str) -> None:
    """Targets that are probabilities (0/1 labels, soft labels) must lie in [0, 1]; others give a
    loss with no meaning (a negative binary cross-entropy, for one) instead of an error."""
    data = target.data
    if data.size and (data.min() < 0 or data.max() > 1):
        raise ValueError(
            f"{op} needs {what} in [0, 1], got values from {float(data.min()):.4g} to {float(data.max()):.4g}"
        )


def check_sums_to_one(op: str, probs: Tensor) -> None:
    """Each sample's probabilities must sum to 1 over the class axis (the last), within rounding.

    Keras renormalises such input silently; jaring refuses it, since it nearly always means the
    softmax was left out (or applied over the wrong axis), and renormalising would hide that.
    """
    data = probs.data
    if not data.size:
        return
    sums = data.sum(axis=-1, dtype=np.float64)
    tolerance = max(1e-3, 100 * float(np.finfo(data.dtype).eps)) * data.shape[-1] ** 0.5
    worst = float(np.abs(sums - 1).max())
    if worst > tolerance:
        raise ValueError(
            f"{op} needs each sample's probabilities to sum to 1 over the last axis, got sums from "
            f"{float(sums.min()):.4g} to {float(sums.max()):.4g}; apply softmax first (over the class "
            "axis), or pass raw scores to cross_entropy"
        )


def check_reduction(op: str, reduction: Any) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{op}: unknown reduction {reduction!r}; choose one of 'mean', 'sum', 'none'")
    return reduction


def check_eps(op: str, eps: Any) -> float:
    if isinstance(eps, bool) or not isinstance(eps, (int, float, np.floating)) or not 0 <= eps < 0.5:
        raise ValueError(f"{op}: eps must be a number in [0, 0.5), got {eps!r}")
    return float(eps)


def float_pair(op: str, pred: Any, target: Any, pred_name: str = "prediction") -> tuple:
    """pred as a float tensor and target as a tensor of the same shape and float dtype."""
    pred = floating(pred)
    target = as_tensor(target)
    if target.shape != pred.shape:
        hint = ""
        if pred.shape == target.shape + (1,) or target.shape == pred.shape + (1,):
            hint = " (one has an extra size-1 axis: reshape it, e.g. pred.reshape(-1))"
        raise ValueError(
            f"{op}: {pred_name} of shape {pred.shape} and target of shape {target.shape} differ; "
            f"they must have the same shape{hint}"
        )
    if target.dtype != pred.dtype and not target.requires_grad:
        target = Tensor._from_op(target.data.astype(pred.dtype), None)
    return pred, target


def check_probabilities(op: str, probs: Tensor, logits_op: str) -> None:
    data = probs.data
    if data.size and (data.min() < 0 or data.max() > 1):
        raise ValueError(
            f"{op} expects probabilities in [0, 1], got values from {float(data.min()):.4g} to "
            f"{float(data.max()):.4g}; for raw scores (logits) use {logits_op}"
        )


def label_bounds(data: Any) -> tuple[int, int]:
    """(smallest, largest) of a non-empty integer array: one compiled pass for NumPy data, else
    min() and max()."""
    if kernels.enabled(data) and data.dtype.kind in "iu":
        low, high = kernels.family("softmax").label_bounds(data)
        return int(low), int(high)
    return int(data.min()), int(data.max())


def check_labels(op: str, scores: Tensor, labels: Tensor, scores_name: str) -> None:
    """Integer class labels of shape scores.shape minus axis 1, each in [0, classes)."""
    if scores.ndim == 0:
        raise ValueError(f"{op}: {scores_name} need a class axis, got a 0-d tensor")
    expected = scores.shape[:1] + scores.shape[2:] if scores.ndim > 1 else ()
    classes = scores.shape[1] if scores.ndim > 1 else scores.shape[0]
    if labels.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: class labels must be integers, got dtype {labels.dtype}; convert them with "
            f".long() (or pass one-hot/probability targets of the {scores_name}' shape {scores.shape})"
        )
    if labels.shape != expected:
        raise ValueError(
            f"{op}: {scores_name} of shape {scores.shape} need labels of shape {expected} "
            f"(classes on axis {1 if scores.ndim > 1 else 0}), got labels of shape {labels.shape}"
        )
    data = labels.data
    if data.size:
        low, high = label_bounds(data)
        if low < 0 or high >= classes:
            raise ValueError(
                f"{op}: labels must be in [0, {classes - 1}] for {classes} classes, "
                f"got {low if low < 0 else high}"
            )
