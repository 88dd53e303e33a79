"""Adamax against torch.optim.Adamax: betas, eps, weight decay, two groups, state after every step."""

import itertools

import numpy as np
import pytest
import torch

from jaring.optim import Adamax
from tests.optim.side_by_side import run_side_by_side

COMBOS = [
    dict(lr=0.01, betas=b, eps=e, weight_decay=w)
    for b, e, w in itertools.product([(0.9, 0.999), (0.3, 0.9)], [1e-8, 1e-1], [0.0, 0.1])
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_adamax_matches_torch(options, dtype):
    run_side_by_side(Adamax, torch.optim.Adamax, options, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_defaults_and_a_group_with_its_own_betas_match_torch(dtype):
    run_side_by_side(
        Adamax, torch.optim.Adamax, {}, dtype, second=dict(lr=0.1, betas=(0.5, 0.5), weight_decay=0.1)
    )
