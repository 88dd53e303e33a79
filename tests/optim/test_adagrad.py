"""Adagrad against torch.optim.Adagrad: lr decay, weight decay, initial accumulator, eps."""

import itertools

import numpy as np
import pytest
import torch

import jaring
from jaring.optim import Adagrad
from tests.optim.reference import run_both

COMBOS = [
    dict(lr=0.1, lr_decay=d, weight_decay=w, initial_accumulator_value=a, eps=e)
    for d, w, a, e in itertools.product([0.0, 0.1], [0.0, 0.1], [0.0, 0.5], [1e-10, 1e-2])
]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("options", COMBOS, ids=str)
def test_adagrad_matches_torch(options, dtype):
    run_both(Adagrad, torch.optim.Adagrad, options, dtype)


def test_defaults_match_torch():
    run_both(Adagrad, torch.optim.Adagrad, {}, np.float32, steps=3)


@pytest.mark.parametrize("option", [dict(lr_decay=-0.1), dict(initial_accumulator_value=-1), dict(lr=-1)])
def test_bad_options_raise(option):
    with pytest.raises(ValueError, match=next(iter(option))):
        Adagrad([jaring.tensor([1.0], requires_grad=True)], **option)
