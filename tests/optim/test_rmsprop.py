"""RMSprop against torch.optim.RMSprop: alpha, weight decay, momentum, centered."""

import itertools

import numpy as np
import pytest
import torch

import jaring
from jaring.optim import RMSprop
from tests.optim.reference import run_both

COMBOS = [
    dict(lr=0.01, alpha=a, eps=1e-8, weight_decay=w, momentum=m, centered=c)
    for a, w, m, c in itertools.product([0.99, 0.5], [0.0, 0.1], [0.0, 0.9], [False, True])
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_rmsprop_matches_torch(options, dtype):
    run_both(RMSprop, torch.optim.RMSprop, options, dtype)


def test_defaults_match_torch():
    run_both(RMSprop, torch.optim.RMSprop, {}, np.float32, steps=3)


@pytest.mark.parametrize("option", [dict(alpha=-0.1), dict(alpha=1.5), dict(momentum=-1), dict(eps=-1)])
def test_bad_options_raise(option):
    with pytest.raises(ValueError, match=next(iter(option))):
        RMSprop([jaring.tensor([1.0], requires_grad=True)], **option)
