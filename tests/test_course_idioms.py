"""The PyTorch course's idioms (issue 17), written as in torch, run on jaring unchanged."""

import numpy as np
import torch

import jaring
import jaring.nn as nn
import jaring.optim as optim


def test_tensors_and_autograd():
    x = jaring.tensor(2.0, requires_grad=True)
    y = x**2 + 3 * x
    assert repr(y.grad_fn).startswith("<") and x.grad_fn is None and x.is_leaf and not y.is_leaf
    y.backward()
    assert x.grad.item() == 7.0
    z = jaring.exp(jaring.relu(jaring.tensor([-1.0, 0.5])))
    values, indices = jaring.max(jaring.tensor([[1.0, 4.0], [3.0, 2.0]]), dim=1)
    assert values.tolist() == [4.0, 3.0] and indices.tolist() == [1, 0]
    assert jaring.maximum(z, jaring.sigmoid(z)).shape == (2,) and jaring.empty(3).shape == (3,)


def _descend(lib):
    X = lib.tensor([1.0, 2.0, 3.0, 4.0])
    Y = 2 * X
    w = lib.tensor(0.0, requires_grad=True)
    for _ in range(20):
        loss = ((w * X - Y) ** 2).mean()
        loss.backward()
        with lib.no_grad():
            w -= 0.01 * w.grad
        w.grad.zero_()
    return w


def test_gradient_descent_by_hand_with_autograd():
    w = _descend(jaring)
    np.testing.assert_allclose(w.item(), _descend(torch).item(), rtol=1e-6)  # 1.92: the course's number
    assert w.is_leaf and w.requires_grad


def test_linear_with_mse_loss_and_sgd():
    X = jaring.tensor([[1.0], [2.0], [3.0], [4.0]])
    Y = 2 * X
    jaring.manual_seed(0)
    model = nn.Linear(1, 1)
    loss_fn = nn.MSELoss()
    optimizer = optim.SGD(model.parameters(), lr=0.05)
    for _ in range(300):
        loss = loss_fn(model(X), Y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    np.testing.assert_allclose(model(jaring.tensor([[5.0]])).item(), 10.0, atol=0.05)
