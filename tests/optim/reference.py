"""Shared oracle for the optimizer tests: the same parameters and gradients through jaring and torch.optim."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import jaring
from jaring import kernels

# A matrix, a size-1 vector, a scalar and a 3-d tensor with a size-1 axis.
SHAPES = [(3, 4), (1,), (), (2, 1, 3)]
TOLERANCE = {np.float64: dict(rtol=1e-9, atol=1e-12), np.float32: dict(rtol=1e-6, atol=1e-6)}


def make_problem(dtype: Any, steps: int, seed: int = 0) -> tuple[list, list]:
    """Initial parameters and a fresh random gradient per step (so the state really evolves)."""
    rng = np.random.default_rng(seed)
    init = [rng.standard_normal(s).astype(dtype) for s in SHAPES]
    grads = [[rng.standard_normal(s).astype(dtype) for s in SHAPES] for _ in range(steps)]
    return init, grads


def run_both(
    jaring_cls: type,
    torch_cls: type,
    options: dict,
    dtype: Any = np.float64,
    steps: int = 5,
    skip: tuple[int, int] | None = (2, 1),
) -> None:
    """Step both optimizers `steps` times and compare every parameter after each step, once with
    jaring's compiled kernels and once with its NumPy reference code.

    `skip=(step, index)` leaves that parameter without a gradient at that step: both
    libraries must leave it (and its state) untouched.
    """
    for mode in kernels.MODES:
        with kernels.use(mode):
            _run_both(jaring_cls, torch_cls, options, dtype, steps, skip)


def _run_both(
    jaring_cls: type, torch_cls: type, options: dict, dtype: Any, steps: int, skip: tuple[int, int] | None
) -> None:
    init, grads = make_problem(dtype, steps)
    jp = [jaring.tensor(a.copy(), requires_grad=True) for a in init]
    tp = [torch.tensor(a.copy(), requires_grad=True) for a in init]
    jopt, topt = jaring_cls(jp, **options), torch_cls(tp, **options)
    for k in range(steps):
        for i, (j, t, g) in enumerate(zip(jp, tp, grads[k])):
            missing = skip is not None and (k, i) == skip
            j.grad = None if missing else jaring.tensor(g.copy())
            t.grad = None if missing else torch.tensor(g.copy())
        jopt.step()
        topt.step()
        for i, (j, t) in enumerate(zip(jp, tp)):
            assert j.dtype == dtype, f"parameter {i} changed dtype to {j.dtype}"
            np.testing.assert_allclose(
                j.numpy(),
                t.detach().numpy(),
                **TOLERANCE[dtype],
                err_msg=f"{kernels.mode()}: step {k + 1}, parameter {i}",
            )
            if j.grad is not None:  # the step must not touch the gradient
                np.testing.assert_array_equal(j.grad.numpy(), grads[k][i])
    for state in jopt.state.values():
        for name, value in state.items():
            if hasattr(value, "dtype"):
                assert value.dtype == dtype, f"state {name!r} is {value.dtype}"
