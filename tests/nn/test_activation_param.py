"""PReLU, Threshold, GLU, Tanhshrink, Hardshrink and Softshrink layers against torch.nn: values,
input and weight gradients, torch state dicts, model files and argument checks."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from jaring.io import load, save
from tests.nn.helpers import check_module_gradients, compare_module_with_torch
from tests.oracle import away_from, random_array


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "num, shape", [(1, ()), (1, (5,)), (3, (1, 3)), (1, (2, 4, 3)), (4, (2, 4, 3, 3)), (2, (1, 2, 1, 1, 3))]
)
def test_prelu_matches_torch(num, shape, dtype):
    layer = nn.PReLU(num, init=0.1)
    layer.weight.data[...] = np.random.default_rng(0).uniform(-0.5, 0.5, num)
    tol = 1e-5 if dtype == np.float32 else 1e-12
    x = away_from(random_array(shape, seed=1), [0.0])
    compare_module_with_torch(layer, torch.nn.PReLU(num), x, rtol=tol, atol=tol, dtype=dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize(
    "make",
    [
        lambda m: m.Threshold(0.1, 20.0),
        lambda m: m.GLU(),
        lambda m: m.GLU(dim=1),
        lambda m: m.Tanhshrink(),
        lambda m: m.Hardshrink(0.3),
        lambda m: m.Softshrink(0.7),
    ],
)
def test_other_layers_match_torch(make, dtype):
    tol = 1e-5 if dtype == np.float32 else 1e-12
    x = away_from(random_array((2, 4, 6), seed=2), [0.1, -0.3, 0.3, -0.7, 0.7])
    compare_module_with_torch(make(nn), make(torch.nn), x, rtol=tol, atol=tol, dtype=dtype)


def test_prelu_gradients_float64_and_torch_weights(tmp_path):
    check_module_gradients(nn.PReLU(3), away_from(random_array((2, 3, 2), seed=3), [0.0]))
    twin = torch.nn.PReLU(3, init=0.3)
    layer = nn.PReLU(3)
    layer.load_state_dict({k: v.detach().numpy() for k, v in twin.state_dict().items()})
    x = random_array((2, 3, 4), seed=4)
    expected = twin(torch.tensor(x)).detach().numpy()
    np.testing.assert_allclose(layer(jaring.tensor(x)).numpy(), expected, rtol=1e-6)
    reloaded = load(save(nn.Sequential(layer, nn.GLU(1), nn.Threshold(0.0, -1.0)), tmp_path / "m"))
    np.testing.assert_allclose(reloaded[0](jaring.tensor(x)).numpy(), expected, rtol=1e-6)
    assert reloaded[1].dim == 1 and reloaded[2].value == -1.0


def test_prelu_learns_its_slope():
    layer = nn.PReLU()
    layer(jaring.tensor([-2.0, 3.0])).sum().backward()
    assert layer.weight.grad.tolist() == [-2.0]


def test_reprs_and_names():
    assert repr(nn.PReLU()) == repr(torch.nn.PReLU())
    assert repr(nn.Threshold(0.1, 20.0)) == "Threshold(threshold=0.1, value=20.0)"
    assert repr(nn.GLU()) == repr(torch.nn.GLU())
    assert repr(nn.Tanhshrink()) == repr(torch.nn.Tanhshrink())
    assert repr(nn.Softshrink()) == repr(torch.nn.Softshrink())
    assert type(nn.get_activation("tanhshrink")).__name__ == "Tanhshrink"


def test_bad_arguments():
    with pytest.raises(ValueError, match="num_parameters"):
        nn.PReLU(0)
    with pytest.raises(TypeError, match="init"):
        nn.PReLU(1, init="a")
    with pytest.raises(RuntimeError, match="parameter numbers = 3 and channel size = 4"):
        nn.PReLU(3)(jaring.ones(2, 4))
    with pytest.raises(TypeError, match="Threshold: value"):
        nn.Threshold(0.0, None)
    with pytest.raises(ValueError, match="Softshrink: lambd"):
        nn.Softshrink(-1.0)
    with pytest.raises(RuntimeError, match="Halving dimension must be even"):
        nn.GLU()(jaring.ones(2, 3))
