"""The oracle every op test uses: run the same computation in jaring and in PyTorch.

`compare_with_torch` feeds identical float32 data to both, checks forward values, then
backpropagates the same random upstream gradient and checks every input's gradient.
`check_gradients` runs jaring's own finite-difference gradcheck in float64.
Each comparison is counted, so the suite can report how many op-and-shape cases it checked.
"""

from __future__ import annotations

import os
from typing import Any
from collections.abc import Callable, Sequence

import numpy as np
import torch
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import jaring

CASES = {"torch": 0, "gradcheck": 0}

# Few examples per property keep the suite fast; shapes still cover scalars and size-1 axes.
# `make test-fast` asks for fewer still (JARING_TEST_EXAMPLES=5); `make test` runs the 25.
EXAMPLES = int(os.environ.get("JARING_TEST_EXAMPLES", "25"))
FAST = settings(max_examples=EXAMPLES, deadline=None, derandomize=True)

shapes = hnp.array_shapes(min_dims=0, max_dims=4, min_side=1, max_side=5)
nonscalar_shapes = hnp.array_shapes(min_dims=1, max_dims=4, min_side=1, max_side=5)
broadcast_pairs = hnp.mutually_broadcastable_shapes(num_shapes=2, min_dims=0, max_dims=4, max_side=4)


def random_array(shape: Sequence[int], seed: int = 0, low: float = -2.0, high: float = 2.0) -> np.ndarray:
    """float32 data with a fixed seed (uniform in [low, high))."""
    rng = np.random.default_rng(seed)
    return rng.uniform(low, high, size=shape).astype(np.float32)


def _to_list(out: Any) -> list:
    return list(out) if isinstance(out, (list, tuple)) else [out]


def compare_with_torch(
    jaring_fn: Callable[..., Any],
    torch_fn: Callable[..., Any],
    inputs: Sequence[np.ndarray],
    rtol: float = 1e-5,
    atol: float = 1e-5,
    seed: int = 0,
    grad: bool = True,
) -> None:
    """Assert equal outputs and input gradients; float inputs require grad, others don't."""
    jx = [jaring.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in inputs]
    tx = [torch.tensor(a, requires_grad=grad and a.dtype.kind == "f") for a in inputs]
    jouts = _to_list(jaring_fn(*jx))
    touts = _to_list(torch_fn(*tx))
    assert len(jouts) == len(touts)
    rng = np.random.default_rng(seed + 1)
    upstream = []
    for j, t in zip(jouts, touts):
        expected = t.detach().numpy()
        assert j.shape == tuple(expected.shape), f"shape {j.shape} != torch {tuple(expected.shape)}"
        np.testing.assert_allclose(j.numpy(), expected, rtol=rtol, atol=atol, err_msg="forward")
        upstream.append(rng.standard_normal(expected.shape).astype(expected.dtype))
    CASES["torch"] += 1
    if not grad or not any(x.requires_grad for x in jx):
        return
    jaring_total = sum((j * u).sum() for j, u in zip(jouts, upstream) if j.requires_grad)
    torch_total = sum((t * torch.tensor(u)).sum() for t, u in zip(touts, upstream) if t.requires_grad)
    if isinstance(jaring_total, int):  # nothing differentiable came out
        return
    jaring_total.backward()
    torch_total.backward()
    for i, (j, t) in enumerate(zip(jx, tx)):
        if not t.requires_grad:
            continue
        expected = t.grad.numpy() if t.grad is not None else np.zeros(t.shape, np.float32)
        got = j.grad.numpy() if j.grad is not None else np.zeros(j.shape, np.float32)
        np.testing.assert_allclose(got, expected, rtol=rtol, atol=atol, err_msg=f"gradient of input {i}")


def check_gradients(fn: Callable[..., Any], inputs: Sequence[np.ndarray], **kwargs: Any) -> None:
    """jaring.gradcheck in float64 on `inputs` (float arrays are checked, others passed as is)."""
    tensors = [
        jaring.tensor(a.astype(np.float64), requires_grad=True) if a.dtype.kind == "f" else jaring.tensor(a)
        for a in inputs
    ]
    assert jaring.gradcheck(fn, tensors, **kwargs)
    CASES["gradcheck"] += 1


def away_from(values: np.ndarray, points: Sequence[float], margin: float = 1e-2) -> np.ndarray:
    """Nudge values off kinks (e.g. 0 for relu/abs) where finite differences are undefined."""
    out = values.copy()
    for p in points:
        close = np.abs(out - p) < margin
        out[close] = p + margin * np.where(out[close] >= p, 1, -1) * 2
    return out


__all__ = [
    "CASES",
    "FAST",
    "away_from",
    "broadcast_pairs",
    "check_gradients",
    "compare_with_torch",
    "nonscalar_shapes",
    "random_array",
    "shapes",
    "st",
]
