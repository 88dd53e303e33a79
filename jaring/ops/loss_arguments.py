"""Argument checks and the reduction shared by pairwise_distance and the margin, multi-class
margin and probabilistic losses (loss_margin.py, loss_multiclass_margin.py, loss_probabilistic.py).

They take torch's loose inputs (targets that broadcast, int targets, Python numbers) and turn a
meaningless argument into a ValueError or TypeError in torch's words.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops import reduce
from jaring.ops.common import as_tensor


def reduced(per: Tensor, reduction: str) -> Tensor:
    """The per-sample losses, their sum or their mean."""
    return per if reduction == "none" else reduce.sum(per) if reduction == "sum" else reduce.mean(per)


def float_like(value: Any, like: Tensor) -> Tensor:
    """`value` (a target, a weight) as a tensor of `like`'s float dtype; one that requires grad
    keeps its dtype and promotes in the ops, as torch's would."""
    t = as_tensor(value, like)
    if t.dtype != like.dtype and not t.requires_grad:
        t = Tensor._from_op(t.data.astype(like.dtype), None)
    return t


def broadcast_shapes(op: str, **named: Tensor) -> tuple:
    """The broadcast shape of the named tensors, or a ValueError naming each shape."""
    try:
        return np.broadcast_shapes(*(t.shape for t in named.values()))
    except ValueError:
        shapes = ", ".join(f"{name} {t.shape}" for name, t in named.items())
        raise ValueError(
            f"{op}: the sizes of the tensors must match or be 1 to broadcast, got {shapes}"
        ) from None


def check_number(op: str, name: str, value: Any) -> float:
    """A real number (not a bool) as a float."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{op}: {name} must be a number, got {type(value).__name__}: {value!r}")
    return float(value)


def check_p(op: str, p: Any) -> float:
    """A norm order p >= 0 (inf included) as a float."""
    value = check_number(op, "p", p)
    if math.isnan(value) or value < 0:
        raise ValueError(f"{op}: p must be a number >= 0 (inf included), got {p!r}")
    return value


def check_class_labels(op: str, target: Tensor) -> None:
    """Class indices must be integers (torch's Long)."""
    if target.dtype.kind not in "iu":
        raise TypeError(
            f"{op}: target must hold integer class indices (torch's Long), got dtype {target.dtype}; "
            "convert it with .long()"
        )
