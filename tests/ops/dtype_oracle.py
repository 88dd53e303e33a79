"""compare_with_torch in a chosen dtype: the same data in jaring and torch as float32 or float64,
forward values, then every float input's gradient for one random upstream gradient."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import torch

import jaring
from tests.oracle import CASES

TOLERANCE = {np.float32: 1e-4, np.float64: 1e-10}
WORST = {np.float32: 0.0, np.float64: 0.0}  # the largest difference seen, for reports


def compare_in_dtype(
    jaring_fn: Callable[..., Any],
    torch_fn: Callable[..., Any],
    inputs: Sequence[np.ndarray],
    dtype: Any,
    tol: float | None = None,
) -> float:
    """Assert equal outputs and input gradients in `dtype`; returns the worst absolute difference."""
    tol = TOLERANCE[dtype] if tol is None else tol
    arrays = [a.astype(dtype) for a in inputs]
    jx = [jaring.tensor(a, requires_grad=True) for a in arrays]
    tx = [torch.tensor(a, requires_grad=True) for a in arrays]
    jout, tout = jaring_fn(*jx), torch_fn(*tx)
    expected = tout.detach().numpy()
    assert jout.shape == expected.shape and jout.dtype == expected.dtype
    np.testing.assert_allclose(jout.numpy(), expected, rtol=tol, atol=tol, err_msg="forward")
    worst = float(np.abs(jout.numpy() - expected).max(initial=0))
    upstream = np.random.default_rng(7).standard_normal(expected.shape).astype(dtype)
    jout.backward(upstream)
    tout.backward(torch.tensor(upstream))
    for i, (j, t) in enumerate(zip(jx, tx)):
        want = t.grad.numpy() if t.grad is not None else np.zeros(t.shape, dtype)
        got = j.grad.numpy() if j.grad is not None else np.zeros(j.shape, dtype)
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol, err_msg=f"gradient of input {i}")
        worst = max(worst, float(np.abs(got - want).max(initial=0)))
    CASES["torch"] += 1
    WORST[dtype] = max(WORST[dtype], worst)
    return worst
