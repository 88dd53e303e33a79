"""selu celu mish logsigmoid softmin: values and gradients against PyTorch, extreme inputs."""

import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, away_from, check_gradients, compare_with_torch, random_array, shapes, st

OPS = {
    "selu": (F.selu, TF.selu),
    "celu": (F.celu, TF.celu),
    "celu_0.5": (lambda x: F.celu(x, 0.5), lambda x: TF.celu(x, 0.5)),
    "mish": (F.mish, TF.mish),
    "logsigmoid": (F.logsigmoid, TF.logsigmoid),
}


@pytest.mark.parametrize("name", sorted(OPS))
@FAST
@given(shape=shapes)
def test_matches_torch(name, shape):
    x = away_from(random_array(shape, seed=22, low=-6, high=6), [0.0])
    compare_with_torch(*OPS[name], [x])


@pytest.mark.parametrize("name", sorted(OPS))
def test_gradcheck_float64(name):
    x = away_from(random_array((3, 4), seed=23, low=-4, high=4).astype(np.float64), [0.0])
    check_gradients(OPS[name][0], [x])


@pytest.mark.parametrize("name", sorted(OPS))
def test_extreme_inputs_stay_finite_without_warnings(name):
    x = np.array([-1000.0, -50.0, 50.0, 1000.0], np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        compare_with_torch(*OPS[name], [x], rtol=1e-5, atol=1e-5)


@FAST
@given(shape=shapes, data=st.data())
def test_softmin_matches_torch_on_every_axis(shape, data):
    dim = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    x = random_array(shape, seed=24, low=-5, high=5)
    compare_with_torch(lambda t: F.softmin(t, dim=dim), lambda t: TF.softmin(t, dim=dim), [x])


def test_softmin_gradcheck_top_level_and_errors():
    check_gradients(lambda t: F.softmin(t, 0), [random_array((3, 2), seed=25)])
    np.testing.assert_allclose(
        jaring.selu(jaring.tensor([-1, 2])).numpy(), torch.selu(torch.tensor([-1.0, 2.0])).numpy(), rtol=1e-6
    )
    assert jaring.celu(jaring.tensor([1])).dtype == np.float32
    with pytest.raises(ValueError, match="alpha must not be 0"):
        F.celu(jaring.tensor([1.0]), 0)
