"""The new activation layers: same values as torch.nn's modules, found by name, in a Sequential."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from tests.oracle import compare_with_torch, random_array

LAYERS = {
    "SELU": ((), "selu"),
    "CELU": ((0.7,), "celu"),
    "Mish": ((), "mish"),
    "LogSigmoid": ((), "logsigmoid"),
    "Softmin": ((0,), "softmin"),
    "Hardtanh": ((-0.5, 2.0), "hardtanh"),
    "ReLU6": ((), "relu6"),
    "Hardsigmoid": ((), "hardsigmoid"),
    "Hardswish": ((), "hardswish"),
    "Softsign": ((), "softsign"),
}


@pytest.mark.parametrize("name", sorted(LAYERS))
def test_layer_matches_torch_module(name):
    args, key = LAYERS[name]
    x = random_array((3, 4), seed=30, low=-5, high=5)
    compare_with_torch(getattr(nn, name)(*args), getattr(torch.nn, name)(*args), [x])
    assert type(nn.get_activation(key)) is getattr(nn, name)


def test_layers_train_inside_sequential():
    model = nn.Sequential(nn.Linear(3, 4), nn.Hardswish(), nn.Linear(4, 1), nn.SELU())
    model(jaring.tensor(random_array((2, 3), seed=31))).sum().backward()
    assert all(p.grad is not None and np.isfinite(p.grad.numpy()).all() for p in model.parameters())
    with pytest.raises(TypeError, match="alpha"):
        nn.CELU("big")
