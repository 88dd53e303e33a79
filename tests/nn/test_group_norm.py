"""nn.GroupNorm against torch.nn.GroupNorm: values, input and parameter gradients, state dicts,
model files, argument and input checks."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from jaring.io import load, save
from tests.nn.helpers import check_module_gradients, compare_module_with_torch
from tests.oracle import random_array


def _randomised(layer):
    rng = np.random.default_rng(0)
    for p in layer.parameters():
        p.data[...] = rng.standard_normal(p.shape)
    return layer


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("affine, bias", [(True, True), (True, False), (False, True)])
@pytest.mark.parametrize(
    "groups, channels, shape",
    [(2, 4, (1, 4)), (3, 6, (2, 6, 5)), (1, 3, (1, 3, 1, 1)), (4, 4, (2, 4, 3, 2, 2))],
)
def test_matches_torch(groups, channels, shape, affine, bias, dtype):
    layer = _randomised(nn.GroupNorm(groups, channels, affine=affine, bias=bias))
    twin = torch.nn.GroupNorm(groups, channels, affine=affine, bias=bias)
    tol = 1e-4 if dtype == np.float32 else 1e-10
    compare_module_with_torch(
        layer, twin, random_array(shape, seed=1) * 2 + 1, rtol=tol, atol=tol, dtype=dtype
    )


def test_gradients_float64():
    check_module_gradients(_randomised(nn.GroupNorm(2, 4)), random_array((2, 4, 3), seed=2))


def test_loads_a_torch_state_dict_and_survives_a_model_file(tmp_path):
    twin = torch.nn.GroupNorm(2, 6)
    with torch.no_grad():
        twin.weight.normal_()
        twin.bias.normal_()
    layer = nn.GroupNorm(2, 6)
    layer.load_state_dict({k: v.numpy() for k, v in twin.state_dict().items()})
    x = random_array((3, 6, 4, 4), seed=3)
    expected = twin(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(layer(jaring.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-5)
    reloaded = load(save(layer, tmp_path / "norm"))
    assert isinstance(reloaded, nn.GroupNorm) and reloaded.num_groups == 2
    np.testing.assert_allclose(reloaded(jaring.tensor(x)).numpy(), expected, rtol=1e-5, atol=1e-5)


def test_same_in_training_and_evaluation_and_repr():
    layer = nn.GroupNorm(2, 4)
    x = jaring.randn(1, 4, 3, seed=0)
    np.testing.assert_array_equal(layer(x).numpy(), layer.eval()(x).numpy())
    assert repr(layer) == "GroupNorm(2, 4, eps=1e-05, affine=True)"
    assert nn.GroupNorm(2, 4, dtype="float64").weight.dtype == np.float64


def test_bad_arguments_and_input():
    with pytest.raises(ValueError, match=r"num_channels \(4\) must be divisible by num_groups \(3\)"):
        nn.GroupNorm(3, 4)
    with pytest.raises(ValueError, match="num_groups"):
        nn.GroupNorm(0, 4)
    with pytest.raises(ValueError, match="eps"):
        nn.GroupNorm(2, 4, eps=0)
    with pytest.raises(ValueError, match=r"GroupNorm\(2, 4.*C = 4, got shape \(2, 3, 5\)"):
        nn.GroupNorm(2, 4)(jaring.ones(2, 3, 5))
    with pytest.raises(ValueError, match=r"got shape \(4,\)"):
        nn.GroupNorm(2, 4)(jaring.ones(4))
