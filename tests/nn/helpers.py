"""Layer-level oracles: a jaring module against the PyTorch module holding the same weights,
and a float64 finite-difference check of a module's input and parameter gradients."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

import jaring
from tests.oracle import CASES


def compare_module_with_torch(
    module: Any,
    torch_module: torch.nn.Module,
    x: np.ndarray,
    rtol: float = 1e-5,
    atol: float = 1e-5,
    dtype: Any = np.float32,
) -> None:
    """Copy module's weights into torch_module (same state_dict names), then compare the
    output, the input gradient and every parameter gradient for a random upstream gradient.
    dtype=np.float64 compares the formulas without float32 rounding (ill-conditioned cases)."""
    module.to(dtype)
    torch_module.to(torch.float64 if dtype == np.float64 else torch.float32)
    x = x.astype(dtype)
    torch_module.load_state_dict({k: torch.tensor(v) for k, v in module.state_dict().items()})
    jx = jaring.tensor(x, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    jout, tout = module(jx), torch_module(tx)
    expected = tout.detach().numpy()
    assert jout.shape == expected.shape, f"shape {jout.shape} != torch {expected.shape}"
    np.testing.assert_allclose(jout.numpy(), expected, rtol=rtol, atol=atol, err_msg="forward")
    upstream = np.random.default_rng(1).standard_normal(expected.shape).astype(dtype)
    jout.backward(upstream)
    tout.backward(torch.tensor(upstream))
    np.testing.assert_allclose(jx.grad.numpy(), tx.grad.numpy(), rtol=rtol, atol=atol, err_msg="input grad")
    torch_params = dict(torch_module.named_parameters())
    for name, p in module.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), torch_params[name].grad.numpy(), rtol=rtol, atol=atol, err_msg=f"grad of {name}"
        )
    CASES["torch"] += 1


def check_module_gradients(module: Any, x: np.ndarray, eps: float = 1e-6, tol: float = 1e-6) -> None:
    """Central differences in float64 for the input and every parameter of `module`."""
    module.double().zero_grad()
    xt = jaring.tensor(x.astype(np.float64), requires_grad=True)
    out = module(xt)
    direction = np.random.default_rng(0).standard_normal(out.shape)
    out.backward(direction)
    targets = [("input", xt), *module.named_parameters()]
    for name, tensor in targets:
        data, numeric = tensor.data, np.zeros(tensor.shape)
        for index in np.ndindex(data.shape):
            original = data[index].item()
            values = []
            for shifted in (original + eps, original - eps):
                data[index] = shifted
                with jaring.no_grad():
                    values.append(float(np.sum(module(xt).numpy() * direction)))
            data[index] = original
            numeric[index] = (values[0] - values[1]) / (2 * eps)
        np.testing.assert_allclose(
            tensor.grad.numpy(), numeric, rtol=1e-4, atol=tol, err_msg=f"gradient of {name}"
        )
    CASES["gradcheck"] += 1
