"""One comparison for every distribution test: the same parameters in jaring and in torch.

`compare` builds both distributions from identical arrays (requiring grad), applies `method` to
each, checks the values, backpropagates one fixed upstream gradient and checks every parameter's
gradient. COUNT records how many comparisons ran.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np
import torch

import jaring

COUNT = {"torch": 0}
TOLERANCE = {np.float32: dict(rtol=2e-4, atol=2e-5), np.float64: dict(rtol=1e-9, atol=1e-11)}


def compare(
    jaring_class: Any,
    torch_class: Any,
    params: dict,
    method: Callable[[Any, Any], Any],
    dtype: Any = np.float32,
    grads: bool = True,
) -> float:
    """Run `method(distribution, library)` in both; return the worst relative difference seen."""
    arrays = {k: np.asarray(v, dtype=dtype) for k, v in params.items()}
    jp = {k: jaring.tensor(v, requires_grad=grads) for k, v in arrays.items()}
    tp = {k: torch.tensor(v, requires_grad=grads) for k, v in arrays.items()}
    jout = method(jaring_class(**jp), jaring)
    tout = method(torch_class(**tp), torch)
    expected = tout.detach().numpy()
    tol = TOLERANCE[np.dtype(dtype).type]
    assert jout.shape == tuple(tout.shape)
    assert jout.dtype == expected.dtype
    np.testing.assert_allclose(jout.numpy(), expected, **tol)
    worst = _difference(jout.numpy(), expected)
    if grads and tout.requires_grad:
        upstream = np.random.default_rng(1).uniform(0.5, 1.5, expected.shape).astype(dtype)
        finite = np.isfinite(expected)
        upstream = np.where(finite, upstream, 0).astype(dtype)
        (jout * jaring.tensor(upstream)).sum().backward()
        (tout * torch.tensor(upstream)).nan_to_num(0.0, 0.0, 0.0).sum().backward()
        for k in arrays:
            want = tp[k].grad
            got = jp[k].grad
            want = np.zeros_like(arrays[k]) if want is None else want.numpy()
            got = np.zeros_like(arrays[k]) if got is None else got.numpy()
            np.testing.assert_allclose(got, want, **tol, err_msg=f"gradient of {k}")
            worst = max(worst, _difference(got, want))
    COUNT["torch"] += 1
    return worst


def _difference(a: np.ndarray, b: np.ndarray) -> float:
    finite = np.isfinite(b)
    if not finite.any():
        return 0.0
    return float(np.max(np.abs(a[finite] - b[finite]) / (np.abs(b[finite]) + 1e-6)))


def value(array: Any, lib: Any, dtype: Any = None) -> Any:
    """`array` as the given library's tensor (no gradient)."""
    return lib.tensor(np.asarray(array, dtype=dtype))
