"""NAdam against torch.optim.NAdam: betas, momentum_decay, coupled and decoupled weight decay."""

import itertools

import numpy as np
import pytest
import torch

from jaring.optim import NAdam
from tests.optim.side_by_side import run_side_by_side

COMBOS = [
    dict(lr=0.01, betas=b, momentum_decay=m, weight_decay=w, decoupled_weight_decay=d)
    for b, m, w, d in itertools.product([(0.9, 0.999), (0.5, 0.9)], [4e-3, 0.5], [0.0, 0.1], [False, True])
    if w or not d
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_nadam_matches_torch(options, dtype):
    run_side_by_side(NAdam, torch.optim.NAdam, options, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_defaults_and_a_group_with_its_own_options_match_torch(dtype):
    second = dict(lr=0.05, eps=1e-3, weight_decay=0.2, decoupled_weight_decay=True)
    run_side_by_side(NAdam, torch.optim.NAdam, {}, dtype, second=second)
