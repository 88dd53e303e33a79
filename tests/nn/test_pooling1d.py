"""MaxPool1d, AvgPool1d, AdaptiveAvgPool1d and AdaptiveMaxPool1d against torch.nn's, and saving."""

import numpy as np
import pytest
import torch

import jaring
from jaring import nn
from jaring.io import load, save
from tests.nn.helpers import compare_module_with_torch
from tests.oracle import random_array

LAYERS = [
    ("MaxPool1d", dict(kernel_size=3, stride=2, padding=1)),
    ("MaxPool1d", dict(kernel_size=2, dilation=2, ceil_mode=True)),
    ("AvgPool1d", dict(kernel_size=3, stride=2, padding=1, count_include_pad=False)),
    ("AvgPool1d", dict(kernel_size=2, ceil_mode=True)),
    ("AdaptiveAvgPool1d", dict(output_size=3)),
    ("AdaptiveMaxPool1d", dict(output_size=4)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(2, 3, 9), (1, 1, 7), (4, 7)])
@pytest.mark.parametrize("name, args", LAYERS)
def test_layers_match_torch(name, args, shape, dtype):
    tol = 1e-5 if dtype == np.float32 else 1e-12
    compare_module_with_torch(
        getattr(nn, name)(**args), getattr(torch.nn, name)(**args), random_array(shape, 1), tol, tol, dtype
    )


def test_return_indices_as_torch():
    x = random_array((2, 3, 10), 2)
    for layer, oracle in [
        (nn.MaxPool1d(3, 2, return_indices=True), torch.nn.MaxPool1d(3, 2, return_indices=True)),
        (nn.AdaptiveMaxPool1d(4, return_indices=True), torch.nn.AdaptiveMaxPool1d(4, return_indices=True)),
    ]:
        (values, indices), (want, want_indices) = layer(jaring.tensor(x)), oracle(torch.tensor(x))
        np.testing.assert_array_equal(values.numpy(), want.numpy())
        np.testing.assert_array_equal(indices.numpy(), want_indices.numpy())


def test_torch_state_dict_loads_and_is_empty():
    for name, args in LAYERS:
        layer = getattr(nn, name)(**args)
        layer.load_state_dict(getattr(torch.nn, name)(**args).state_dict())
        assert layer.state_dict() == {} or len(layer.state_dict()) == 0


def test_save_and_load_round_trip(tmp_path):
    model = nn.Sequential(
        *[getattr(nn, name)(**args) for name, args in LAYERS[:1] + LAYERS[2:3] + LAYERS[4:]]
    )
    reloaded = load(save(model, tmp_path / "model"))
    assert [type(m).__name__ for m in reloaded] == [
        "MaxPool1d",
        "AvgPool1d",
        "AdaptiveAvgPool1d",
        "AdaptiveMaxPool1d",
    ]
    assert reloaded[1].count_include_pad is False and reloaded[0].padding == 1
    x = jaring.tensor(random_array((2, 3, 30), 3))
    np.testing.assert_array_equal(reloaded(x).numpy(), model(x).numpy())
