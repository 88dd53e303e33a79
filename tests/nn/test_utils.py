"""jaring/nn/utils.py: gradient clipping by norm and by value against torch.nn.utils, and the
optimizers' zero_grad(set_to_none=False)."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn, optim


def _pairs(seed):
    """The same float32 gradients on jaring and torch parameters of three shapes."""
    rng = np.random.default_rng(seed)
    ours, theirs = [], []
    for shape in ((3, 4), (4,), (2, 2, 2)):
        grad = (rng.standard_normal(shape) * 3).astype(np.float32)
        p, t = jaring.zeros(*shape, requires_grad=True), torch.zeros(shape, requires_grad=True)
        p.grad, t.grad = jaring.tensor(grad), torch.tensor(grad)
        ours.append(p)
        theirs.append(t)
    return ours, theirs


@pytest.mark.parametrize("norm_type", [2.0, 1.0, 3.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.1, 1.0, 100.0])
def test_clip_grad_norm_matches_torch(norm_type, max_norm):
    ours, theirs = _pairs(seed=80)
    total = nn.utils.clip_grad_norm_(ours, max_norm, norm_type)
    expected = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
    assert total.dtype == np.float32 and total.shape == ()
    assert total.item() == pytest.approx(expected.item(), rel=1e-5)
    for p, t in zip(ours, theirs):
        np.testing.assert_allclose(p.grad.numpy(), t.grad.numpy(), rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("clip_value", [0.5, 2.0])
def test_clip_grad_value_matches_torch(clip_value):
    ours, theirs = _pairs(seed=81)
    nn.utils.clip_grad_value_(ours, clip_value)
    torch.nn.utils.clip_grad_value_(theirs, clip_value)
    for p, t in zip(ours, theirs):
        np.testing.assert_array_equal(p.grad.numpy(), t.grad.numpy())


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_a_nonfinite_gradient_scales_as_in_torch_or_raises_on_request(bad):
    grad = np.array([1.0, bad, 2.0], np.float32)
    p, t = jaring.zeros(3, requires_grad=True), torch.zeros(3, requires_grad=True)
    p.grad, t.grad = jaring.tensor(grad.copy()), torch.tensor(grad.copy())
    total = nn.utils.clip_grad_norm_([p], 1.0)
    expected = torch.nn.utils.clip_grad_norm_([t], 1.0)
    np.testing.assert_array_equal(total.numpy(), expected.numpy())
    np.testing.assert_array_equal(p.grad.numpy(), t.grad.numpy())
    p.grad = jaring.tensor(grad.copy())
    with pytest.raises(RuntimeError, match="NaN or inf gradient"):
        nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


def test_clipping_in_a_training_step_and_its_edge_cases():
    model = nn.Sequential(nn.Linear(3, 2, seed=0))
    model(jaring.randn(4, 3, seed=0) * 100).sum().backward()
    assert nn.utils.clip_grad_norm_(model.parameters(), 1.0).item() > 1.0
    total = sum(float((p.grad.numpy().astype(np.float64) ** 2).sum()) for p in model.parameters())
    assert total**0.5 == pytest.approx(1.0, rel=1e-5)
    assert nn.utils.clip_grad_norm_([jaring.zeros(2, requires_grad=True)], 1.0).item() == 0.0  # no grads
    with pytest.raises(ValueError, match="max_norm must be >= 0"):
        nn.utils.clip_grad_norm_(model.parameters(), -1.0)
    with pytest.raises(TypeError, match="must be Tensors"):
        nn.utils.clip_grad_value_([np.zeros(2)], 1.0)


def test_zero_grad_can_keep_the_gradient_objects_as_zeros():
    model = nn.Sequential(nn.Linear(3, 2, seed=0))
    opt = optim.SGD(model.parameters(), lr=0.1)
    model(jaring.randn(2, 3, seed=0)).sum().backward()
    grad = model[0].weight.grad
    opt.zero_grad(set_to_none=False)
    assert model[0].weight.grad is grad and not grad.numpy().any()
    model.zero_grad()
    assert model[0].weight.grad is None
