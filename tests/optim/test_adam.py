"""Adam and AdamW against torch.optim: betas, eps, coupled/decoupled weight decay, amsgrad."""

import itertools

import numpy as np
import pytest
import torch

import jaring
from jaring.optim import Adam, AdamW
from tests.optim.reference import run_both

COMBOS = [
    dict(lr=0.01, betas=b, eps=e, weight_decay=w, amsgrad=a)
    for b, e, w, a in itertools.product([(0.9, 0.999), (0.5, 0.9)], [1e-8, 1e-2], [0.0, 0.1], [False, True])
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_adam_matches_torch(options, dtype):
    run_both(Adam, torch.optim.Adam, options, dtype)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_adamw_matches_torch(options, dtype):
    run_both(AdamW, torch.optim.AdamW, options, dtype)


def test_defaults_match_torch():
    run_both(Adam, torch.optim.Adam, {}, np.float32, steps=3)
    run_both(AdamW, torch.optim.AdamW, {}, np.float32, steps=3)
    assert AdamW([jaring.tensor([1.0], requires_grad=True)]).param_groups[0]["weight_decay"] == 1e-2


@pytest.mark.parametrize("betas", [(1.0, 0.999), (0.9, 1.0), (-0.1, 0.9), (0.9,), "0.9"])
def test_bad_betas_raise(betas):
    w = jaring.tensor([1.0], requires_grad=True)
    with pytest.raises((ValueError, TypeError), match="beta"):
        Adam([w], betas=betas)


def test_negative_eps_raises():
    with pytest.raises(ValueError, match="eps"):
        Adam([jaring.tensor([1.0], requires_grad=True)], eps=-1e-8)
