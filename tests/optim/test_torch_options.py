"""torch.optim's extra keywords on jaring's optimizers: maximize (really implemented, in the
compiled kernels and the array path) and foreach/fused/capturable/differentiable (checked, kept
in param_groups and state_dict, changing nothing)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import jaring
from jaring import optim

CASES = [
    ("SGD", dict(lr=0.1)),
    ("SGD", dict(lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01)),
    ("Adam", dict(lr=0.05, weight_decay=0.01)),
    ("Adam", dict(lr=0.05, amsgrad=True)),
    ("AdamW", dict(lr=0.05)),
    ("Adagrad", dict(lr=0.1, weight_decay=0.01)),
    ("RMSprop", dict(lr=0.01, momentum=0.5, centered=True)),
    ("Adamax", dict(lr=0.05)),
    ("NAdam", dict(lr=0.05)),
    ("RAdam", dict(lr=0.05)),
    ("Adadelta", dict(lr=1.0, weight_decay=0.01)),
    ("ASGD", dict(lr=0.05, t0=2)),
    ("Rprop", dict(lr=0.05)),
]
TORCH_KEYS = {
    "SGD": {"maximize", "foreach", "differentiable", "fused"},
    "Adagrad": {"maximize", "foreach", "differentiable", "fused"},
    "Adam": {"maximize", "foreach", "capturable", "differentiable", "fused"},
    "AdamW": {"maximize", "foreach", "capturable", "differentiable", "fused"},
}


def _trajectory(module, name: str, options: dict, maximize: bool, steps: int = 6) -> np.ndarray:
    start = np.array([[0.3, -1.2, 2.0, 0.7], [1.5, -0.4, 0.1, -2.2]], dtype=np.float64)
    w = module.tensor(start.copy(), requires_grad=True)
    opt = getattr(module.optim, name)([w], maximize=maximize, **options)
    for _ in range(steps):
        opt.zero_grad()
        loss = ((w - 0.5) ** 2).sum() + (w**3).sum() * 0.1
        loss.backward()
        opt.step()
    return w.detach().numpy().copy()


@pytest.mark.parametrize("mode", ["numpy", "default"])
@pytest.mark.parametrize("maximize", [False, True])
@pytest.mark.parametrize(("name", "options"), CASES)
def test_trajectory_matches_torch(name, options, maximize, mode):
    expected = _trajectory(torch, name, options, maximize)
    if mode == "numpy":
        with jaring.kernels.use("numpy"):
            got = _trajectory(jaring, name, options, maximize)
    else:
        got = _trajectory(jaring, name, options, maximize)
    np.testing.assert_allclose(got, expected, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("mode", ["numpy", "default"])
def test_maximize_runs_the_kernel_path_on_float32(mode):
    """float32 contiguous parameters take jaring's compiled kernels by default."""
    values = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    results = []
    for module in (torch, jaring):
        w = module.tensor(values.copy(), requires_grad=True)
        opt = module.optim.Adam([w], lr=0.1, maximize=True)
        for _ in range(4):
            opt.zero_grad()
            (w * w).sum().backward()
            opt.step()
        results.append(w.detach().numpy().copy())
    if mode == "numpy":
        with jaring.kernels.use("numpy"):
            w = jaring.tensor(values.copy(), requires_grad=True)
            opt = optim.Adam([w], lr=0.1, maximize=True)
            for _ in range(4):
                opt.zero_grad()
                (w * w).sum().backward()
                opt.step()
            results[1] = w.detach().numpy().copy()
    np.testing.assert_allclose(results[1], results[0], rtol=1e-5, atol=1e-6)
    assert (np.abs(results[1]) > np.abs(values)).all()  # ascending x^2 moves away from 0


def test_maximize_leaves_the_gradient_alone():
    w = jaring.tensor([1.0, 2.0], requires_grad=True)
    opt = optim.SGD([w], lr=0.1, maximize=True)
    (w * w).sum().backward()
    opt.step()
    assert w.grad.tolist() == [2.0, 4.0]
    assert w.tolist() == pytest.approx([1.2, 2.4])


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_param_groups_hold_torch_keys(name):
    w = jaring.zeros(2, requires_grad=True)
    tw = torch.zeros(2, requires_grad=True)
    group = getattr(optim, name)([w]).param_groups[0]
    torch_group = getattr(torch.optim, name)([tw]).param_groups[0]
    keys = {"maximize", "foreach", "capturable", "differentiable", "fused"}
    assert {k for k in group if k in keys} == {k for k in torch_group if k in keys}
    for key in keys & set(group):
        assert group[key] == torch_group[key]


def test_state_dict_keeps_the_options_and_maximize_resumes():
    w = jaring.tensor([1.0, -1.0], requires_grad=True)
    opt = optim.Adam([w], lr=0.1, maximize=True, foreach=False, capturable=True)
    saved = opt.state_dict()["param_groups"][0]
    assert saved["maximize"] is True and saved["foreach"] is False and saved["capturable"] is True
    other = optim.Adam([jaring.tensor([1.0, -1.0], requires_grad=True)], lr=0.1)
    other.load_state_dict(opt.state_dict())
    assert other.param_groups[0]["maximize"] is True


def test_a_group_may_maximize_alone():
    a, b = jaring.tensor([1.0], requires_grad=True), jaring.tensor([1.0], requires_grad=True)
    opt = optim.SGD([{"params": [a], "maximize": True}, {"params": [b]}], lr=0.1)
    (a * a + b * b).sum().backward()
    opt.step()
    assert a.item() == pytest.approx(1.2) and b.item() == pytest.approx(0.8)


def test_fused_and_foreach_together_is_torch_error():
    w = jaring.zeros(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="`fused` and `foreach` cannot be `True` together"):
        optim.Adam([w], foreach=True, fused=True)
    with pytest.raises(RuntimeError, match="cannot be `True` together"):
        optim.SGD([w], lr=0.1, foreach=True, fused=True)


@pytest.mark.parametrize(
    ("name", "keyword"),
    [("RMSprop", "fused"), ("Rprop", "fused"), ("SGD", "capturable"), ("LBFGS", "maximize")],
)
def test_keywords_torch_does_not_take_are_refused(name, keyword):
    w = jaring.zeros(2, requires_grad=True)
    with pytest.raises(TypeError, match=f"unexpected keyword argument '{keyword}'"):
        getattr(optim, name)([w], **{keyword: True})


@pytest.mark.parametrize(
    ("keyword", "value"),
    [("maximize", None), ("maximize", 1), ("foreach", "yes"), ("fused", 0), ("differentiable", None)],
)
def test_option_values_are_checked(keyword, value):
    w = jaring.zeros(2, requires_grad=True)
    with pytest.raises(TypeError, match=keyword):
        optim.Adam([w], **{keyword: value})


def test_foreach_and_fused_change_nothing():
    results = []
    for options in ({}, {"foreach": True}, {"fused": True}, {"capturable": True, "differentiable": True}):
        w = jaring.tensor([0.5, -1.5, 2.0], requires_grad=True)
        opt = optim.Adam([w], lr=0.1, **options)
        for _ in range(3):
            opt.zero_grad()
            (w**2).sum().backward()
            opt.step()
        results.append(w.tolist())
    assert all(r == results[0] for r in results)
