"""Adadelta against torch.optim.Adadelta: rho, eps, weight decay, two groups, state after every step."""

import itertools

import numpy as np
import pytest
import torch

from jaring.optim import Adadelta
from tests.optim.side_by_side import run_side_by_side

COMBOS = [
    dict(lr=lr, rho=rho, eps=eps, weight_decay=wd)
    for lr, rho, eps, wd in itertools.product([1.0, 0.3], [0.9, 0.5], [1e-6, 1e-2], [0.0, 0.1])
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_adadelta_matches_torch(options, dtype):
    run_side_by_side(Adadelta, torch.optim.Adadelta, options, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_defaults_and_a_group_with_its_own_rho_match_torch(dtype):
    run_side_by_side(
        Adadelta, torch.optim.Adadelta, {}, dtype, second=dict(lr=0.5, rho=0.0, weight_decay=0.2)
    )


def test_rho_of_one_is_allowed_as_in_torch():
    run_side_by_side(Adadelta, torch.optim.Adadelta, dict(rho=1.0), np.float64, steps=4)
