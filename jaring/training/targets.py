"""Targets against the model's outputs: label range and shape, checked once, on the first batch.

fit and evaluate learn the outputs' shape from the first batch they run (no extra forward
pass), then check every array target whole, or a DataLoader's first batch of targets.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.training.objective import BINARY_LOSSES, CLASS_LABEL_LOSSES, Objective


def check_targets(what: str, objective: Objective, y: Any, out_shape: tuple) -> None:
    n_out = out_shape[1] if len(out_shape) == 2 else None
    y = objective.fit_targets(y, out_shape)
    if objective.kind in CLASS_LABEL_LOSSES and y.ndim == 1 and n_out is not None:
        low, high = int(y.min()), int(y.max())
        if low < 0 or high >= n_out:
            raise ValueError(
                f"{what}: labels must be in [0, {n_out - 1}] because the model has {n_out} outputs, "
                f"got label {low if low < 0 else high}"
            )
    elif objective.kind is not None and y.shape[1:] != tuple(out_shape[1:]):
        raise ValueError(
            f"{what}: targets of shape {tuple(y.shape)} do not match the model's outputs of shape "
            f"(N, {', '.join(map(str, out_shape[1:]))}) for loss {objective.kind!r}"
        )
    if objective.kind in BINARY_LOSSES and (y.min() < 0 or y.max() > 1):
        raise ValueError(f"{what}: binary cross-entropy needs targets in [0, 1], got {y.min()} to {y.max()}")


class TargetCheck:
    """Checks targets against the model's outputs once, when the first batch has been run.

    Array targets are checked whole (every label, before any step is taken); a DataLoader's
    targets by their first batch. No extra forward pass: the outputs are the first batch's own.
    """

    def __init__(self, objective: Objective) -> None:
        self.objective = objective
        self.pending: list[tuple[str, Any]] = []
        self.done = objective.kind is None

    def add(self, what: str, y: Any) -> None:
        if y is not None:
            self.pending.append((what, y))

    def first_batch(self, what: str, yb: Any, out_shape: tuple) -> None:
        first = backend.to_numpy(yb.data) if isinstance(yb, Tensor) else np.asarray(yb)
        for name, y in self.pending or [(what, first)]:
            check_targets(name, self.objective, y, out_shape)
        self.done = True
