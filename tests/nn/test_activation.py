"""Activation layers against torch.nn's, and get_activation's names and errors."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from jaring import nn
from tests.oracle import FAST, away_from, compare_with_torch, random_array, shapes

PAIRS = {
    "identity": (nn.Identity(), torch.nn.Identity()),
    "relu": (nn.ReLU(), torch.nn.ReLU()),
    "leaky_relu": (nn.LeakyReLU(0.2), torch.nn.LeakyReLU(0.2)),
    "elu": (nn.ELU(0.7), torch.nn.ELU(0.7)),
    "sigmoid": (nn.Sigmoid(), torch.nn.Sigmoid()),
    "tanh": (nn.Tanh(), torch.nn.Tanh()),
    "softmax": (nn.Softmax(dim=-1), torch.nn.Softmax(dim=-1)),
    "log_softmax": (nn.LogSoftmax(axis=-1), torch.nn.LogSoftmax(dim=-1)),
    "silu": (nn.SiLU(), torch.nn.SiLU()),
    "gelu": (nn.GELU(), torch.nn.GELU()),
    "gelu_tanh": (nn.GELU("tanh"), torch.nn.GELU("tanh")),
    "softplus": (nn.Softplus(beta=2.0), torch.nn.Softplus(beta=2.0)),
}


@pytest.mark.parametrize("name", sorted(PAIRS))
@FAST
@given(shape=shapes)
def test_activation_layers_match_torch(name, shape):
    ours, theirs = PAIRS[name]
    x = away_from(random_array(shape, seed=1, low=-3, high=3), [0.0])
    compare_with_torch(ours, theirs, [x], rtol=1e-4, atol=1e-5)


def test_binary_step_and_softmax_axis():
    x = jaring.tensor([[-1.0, 0.0, 2.0]])
    np.testing.assert_array_equal(nn.BinaryStep()(x).numpy(), [[0.0, 1.0, 1.0]])
    probs = nn.Softmax(axis=0)(jaring.randn(3, 2, seed=0)).numpy()
    np.testing.assert_allclose(probs.sum(axis=0), 1.0, rtol=1e-6)


@pytest.mark.parametrize(
    "name, cls",
    [
        ("linear", nn.Identity),
        ("relu", nn.ReLU),
        ("ReLU", nn.ReLU),
        ("leaky-relu", nn.LeakyReLU),
        ("swish", nn.SiLU),
        ("silu", nn.Swish),
        ("gelu", nn.GELU),
        ("softmax", nn.Softmax),
        ("binary_step", nn.BinaryStep),
        (None, nn.Identity),
    ],
)
def test_get_activation_by_name(name, cls):
    assert type(nn.get_activation(name)) is cls


def test_get_activation_other_forms():
    relu = nn.ReLU()
    assert nn.get_activation(relu) is relu
    assert nn.get_activation(nn.LeakyReLU, negative_slope=0.3).negative_slope == 0.3
    assert nn.get_activation("elu", alpha=2.0).alpha == 2.0
    square = nn.get_activation(lambda x: x * x)
    assert isinstance(square, nn.Lambda)
    np.testing.assert_array_equal(square(jaring.tensor([3.0])).numpy(), [9.0])


def test_get_activation_errors_list_the_names():
    with pytest.raises(ValueError, match=r"unknown activation 'relu7'.*'leaky_relu'.*'tanh'"):
        nn.get_activation("relu7")
    with pytest.raises(TypeError, match="name, a Module, a function or None"):
        nn.get_activation(3)
    with pytest.raises(ValueError, match="approximate"):
        nn.GELU("fast")


def test_repr_and_config():
    assert repr(nn.LeakyReLU(0.2)) == "LeakyReLU(negative_slope=0.2)"
    assert repr(nn.ReLU()) == "ReLU()"
    assert nn.Softmax(dim=1).get_config() == {"axis": -1, "dim": 1}
    assert nn.Softmax.from_config({"axis": -1, "dim": 1}).axis == 1
