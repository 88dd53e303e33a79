"""The oracle of the transformer tests: a jaring transformer module against torch's twin holding
the same weights, called with the same arrays and masks; outputs, the gradients of every float
input and of every parameter, in float32 or float64. The worst differences are kept for reports."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import jaring
from tests.oracle import CASES

TOLERANCE = {np.float32: 2e-4, np.float64: 1e-9}
WORST = {np.float32: 0.0, np.float64: 0.0}


def torch_dtype(dtype: Any) -> torch.dtype:
    return torch.float64 if dtype == np.float64 else torch.float32


def copy_weights(module: Any, twin: torch.nn.Module, dtype: Any) -> None:
    """module to dtype, then its state dict into twin (same names), in the same dtype."""
    module.to(dtype)
    twin.to(torch_dtype(dtype))
    twin.load_state_dict({k: torch.tensor(v) for k, v in module.state_dict().items()})


def _assert_close(got: np.ndarray, want: np.ndarray, dtype: Any, what: str) -> None:
    tol = TOLERANCE[dtype]
    np.testing.assert_allclose(got, want, rtol=tol, atol=tol, err_msg=what)
    WORST[dtype] = max(WORST[dtype], float(np.abs(got - want).max(initial=0)))


def as_torch(value: Any) -> Any:
    return torch.tensor(value) if isinstance(value, np.ndarray) else value


def compare_twins(
    module: Any,
    twin: torch.nn.Module,
    inputs: list[np.ndarray],
    dtype: Any,
    kwargs: dict | None = None,
    torch_kwargs: dict | None = None,
) -> None:
    """Call module(*inputs, **kwargs) and twin(*inputs, **torch_kwargs) (kwargs when None); the
    inputs are cast to dtype, float masks too. Compares values, input and parameter gradients."""
    copy_weights(module, twin, dtype)
    kwargs = kwargs or {}
    torch_kwargs = kwargs if torch_kwargs is None else torch_kwargs

    def cast(value: Any) -> Any:
        return value.astype(dtype) if isinstance(value, np.ndarray) and value.dtype.kind == "f" else value

    arrays = [a.astype(dtype) for a in inputs]
    jx = [jaring.tensor(a, requires_grad=True) for a in arrays]
    tx = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = module(*jx, **{k: cast(v) for k, v in kwargs.items()})
    t_out = twin(*tx, **{k: as_torch(cast(v)) for k, v in torch_kwargs.items()})
    want = t_out.detach().numpy()
    assert out.shape == want.shape and out.dtype == want.dtype, (out.shape, out.dtype, want.shape, want.dtype)
    _assert_close(out.numpy(), want, dtype, "forward")
    upstream = np.random.default_rng(7).standard_normal(want.shape).astype(dtype)
    out.backward(upstream)
    t_out.backward(torch.tensor(upstream))
    for i, (j, t) in enumerate(zip(jx, tx)):
        _assert_close(j.grad.numpy(), t.grad.numpy(), dtype, f"gradient of input {i}")
    t_params = dict(twin.named_parameters())
    for name, p in module.named_parameters():
        _assert_close(p.grad.numpy(), t_params[name].grad.numpy(), dtype, f"gradient of {name}")
    CASES["torch"] += 1


def load_from_torch(module: Any, twin: torch.nn.Module) -> None:
    """torch's state dict -> NumPy -> module.load_state_dict, strictly (every key, every shape)."""
    module.load_state_dict({k: v.detach().numpy() for k, v in twin.state_dict().items()})
