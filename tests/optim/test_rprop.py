"""Rprop against torch.optim.Rprop: growing, shrinking and clipped step sizes, flipped and zero gradients."""

import itertools

import numpy as np
import pytest
import torch

from jaring.optim import Rprop
from tests.optim.side_by_side import run_side_by_side


def random_sign(g, step):
    return g


def mostly_one_sign(g, step):
    """Same sign for most steps (step sizes grow to the maximum), some exact zeros, a flip at step 7."""
    g = np.array(np.abs(g) * (-1.0 if step == 7 else 1.0))
    g[np.abs(g) < 0.3] = 0.0
    return g


GRADS = {"random": random_sign, "steady": mostly_one_sign}
COMBOS = [
    dict(lr=lr, etas=etas, step_sizes=sizes)
    for lr, etas, sizes in itertools.product([0.01, 0.3], [(0.5, 1.2), (0.3, 1.7)], [(1e-6, 50), (0.02, 0.4)])
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("grad", sorted(GRADS))
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_rprop_matches_torch(options, grad, dtype):
    run_side_by_side(Rprop, torch.optim.Rprop, options, dtype, grad=GRADS[grad])


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_defaults_and_a_group_with_its_own_etas_match_torch(dtype):
    second = dict(lr=0.2, etas=(0.1, 3.0), step_sizes=(0.0, 1.0))
    run_side_by_side(Rprop, torch.optim.Rprop, {}, dtype, second=second, grad=mostly_one_sign)
