"""RAdam against torch.optim.RAdam: both sides of the rectification switch, coupled and decoupled decay."""

import itertools

import numpy as np
import pytest
import torch

from jaring.optim import RAdam
from tests.optim.side_by_side import run_side_by_side

# beta2 = 0.999 starts rectifying at step 6, 0.99 soon after; beta2 = 0.8 never does (rho_inf = 9).
COMBOS = [
    dict(lr=0.01, betas=b, eps=e, weight_decay=w, decoupled_weight_decay=d)
    for b, e, w, d in itertools.product(
        [(0.9, 0.999), (0.5, 0.99), (0.9, 0.8)], [1e-8], [0.0, 0.1], [False, True]
    )
    if w or not d
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_radam_matches_torch(options, dtype):
    run_side_by_side(RAdam, torch.optim.RAdam, options, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_defaults_and_a_group_with_its_own_options_match_torch(dtype):
    second = dict(lr=0.05, eps=1e-2, weight_decay=0.2, decoupled_weight_decay=True)
    run_side_by_side(RAdam, torch.optim.RAdam, {}, dtype, second=second)
