"""SGD against torch.optim.SGD: plain, momentum, dampening, Nesterov and weight decay."""

import itertools

import numpy as np
import pytest
import torch

import jaring
from jaring.optim import SGD
from tests.optim.reference import run_both

COMBOS = [
    dict(lr=0.1, momentum=m, dampening=d, nesterov=n, weight_decay=w)
    for m, d, n, w in itertools.product([0.0, 0.9], [0.0, 0.5], [False, True], [0.0, 0.05])
    if not (n and (m == 0 or d != 0))
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_sgd_matches_torch(options, dtype):
    run_both(SGD, torch.optim.SGD, options, dtype)


def test_plain_sgd_is_gradient_descent():
    w = jaring.tensor([1.0, -2.0], requires_grad=True)
    w.grad = jaring.tensor([0.5, 0.5])
    SGD([w], lr=0.1).step()
    np.testing.assert_allclose(w.numpy(), [0.95, -2.05], rtol=1e-6)


def test_nesterov_needs_momentum_and_no_dampening():
    w = jaring.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="nesterov"):
        SGD([w], nesterov=True)
    with pytest.raises(ValueError, match="dampening"):
        SGD([w], momentum=0.9, dampening=0.1, nesterov=True)
