"""Arrays given to fit, evaluate and predict: numbers with a sample axis, finite, matching in length,
cast to the model's dtype (and checked to stay finite there), targets as the loss wants them."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.training import checks
from jaring.training.objective import Objective


def model_dtype(model: Any) -> np.dtype:
    for _, p in model.named_parameters():  # not parameters(): a model still to be built has none yet
        return p.dtype
    return backend.get_default_dtype()


def as_numpy(what: str, name: str, value: Any) -> np.ndarray:
    if isinstance(value, Tensor):
        value = value.data
    array = backend.to_numpy(value) if backend.is_cupy_array(value) else checks.as_array(what, name, value)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"{what}: {name} must hold numbers, got an array of dtype {array.dtype}")
    if array.ndim == 0:
        raise ValueError(f"{what}: {name} must have a sample axis, got a scalar")
    return array


def all_finite(a: np.ndarray) -> bool:
    """Whether a float array holds no NaN or inf.

    NaN or inf anywhere makes the sum NaN or inf, so a finite sum settles it in one pass with
    no temporary; np.isfinite(a).all() needs a boolean array as big as the data (for MNIST's
    47M pixels, 0.1 s of each fit() call, most of it page faults). Only a sum that is not
    finite (a bad value, or finite values that overflow) is checked element by element.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        if np.isfinite(a.sum()):
            return True
    return bool(np.isfinite(a).all())


def check_arrays(what: str, model: Any, x: Any, y: Any, objective: Objective | None) -> tuple:
    """x in the model's dtype and y as the loss wants it, after the checks that need no model run.

    The feature count is the model's own boundary check (its first layer's); the label range
    and target shape are checked against the model's outputs on the first batch (TargetCheck).
    """
    x = as_numpy(what, "x", x)
    if len(x) == 0:
        task = "nothing to learn from" if what == "fit" else "give it at least one sample"
        raise ValueError(f"{what}: x is empty (0 samples); {task}")
    if y is not None:
        y = as_numpy(what, "y", y)
        if len(y) != len(x):
            raise ValueError(f"{what}: x has {len(x)} samples but y has {len(y)}; they must match")
    dtype = model_dtype(model)
    if x.dtype.kind == "f" and not all_finite(x):
        bad = np.argwhere(~np.isfinite(x))[0]
        raise ValueError(f"{what}: x contains NaN or inf (first at index {tuple(int(i) for i in bad)})")
    if y is not None and y.dtype.kind == "f" and not all_finite(y):
        raise ValueError(
            f"{what}: y contains NaN or inf (first at sample {int(np.argwhere(~np.isfinite(y))[0][0])})"
        )
    with np.errstate(over="ignore"):  # values beyond the dtype's range are reported just below
        original, x = x, x.astype(dtype, copy=False)
    checks.check_cast(what, "x", original, x)
    if objective is None or y is None:
        return x, y
    original, y = y, objective.prepare_targets(y, dtype)
    checks.check_cast(what, "y", original, y)
    return x, y
