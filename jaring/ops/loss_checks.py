"""Value checks on loss inputs that would otherwise give a loss with no meaning, not an error.

A binary cross-entropy with a target of 2 is negative; a categorical cross-entropy on scores
that are not probabilities measures nothing. Each check costs one pass over the data.
"""

from __future__ import annotations

import numpy as np

from jaring.autograd.tensor import Tensor


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
