"""ASGD against torch.optim.ASGD: the eta schedule, averaging from t0 on, weight decay, the state `ax`."""

import itertools

import numpy as np
import pytest
import torch

from jaring.optim import ASGD
from tests.optim.side_by_side import run_side_by_side

# t0 = 5 starts averaging within the run; the default 1e6 never does (ax follows the parameter).
COMBOS = [
    dict(lr=0.05, lambd=lambd, alpha=alpha, t0=t0, weight_decay=w)
    for lambd, alpha, t0, w in itertools.product([1e-4, 0.5], [0.75, 1.0], [5, 1e6], [0.0, 0.1])
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_asgd_matches_torch(options, dtype):
    run_side_by_side(ASGD, torch.optim.ASGD, options, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_defaults_and_a_group_with_its_own_t0_match_torch(dtype):
    run_side_by_side(ASGD, torch.optim.ASGD, {}, dtype, second=dict(lr=0.1, t0=2, lambd=0.1))
