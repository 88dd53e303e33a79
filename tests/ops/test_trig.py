"""Trigonometric and hyperbolic ops: values and gradients against PyTorch, float64 gradcheck, dtypes."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array, shapes

# name -> the open interval the inputs are drawn from (inside each function's domain)
OPS = {
    "sin": (-3, 3),
    "cos": (-3, 3),
    "tan": (-1.2, 1.2),
    "asin": (-0.9, 0.9),
    "acos": (-0.9, 0.9),
    "atan": (-3, 3),
    "sinh": (-3, 3),
    "cosh": (-3, 3),
    "asinh": (-3, 3),
    "acosh": (1.1, 4),
    "atanh": (-0.9, 0.9),
}


@pytest.mark.parametrize("name", sorted(OPS))
@FAST
@given(shape=shapes)
def test_matches_torch(name, shape):
    low, high = OPS[name]
    x = random_array(shape, seed=1, low=low, high=high)
    compare_with_torch(getattr(F, name), getattr(torch, name), [x], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", sorted(OPS))
def test_gradcheck_float64(name):
    low, high = OPS[name]
    check_gradients(getattr(F, name), [random_array((2, 3), seed=2, low=low, high=high)])


@pytest.mark.parametrize("name", sorted(OPS))
def test_method_top_level_and_integer_input(name):
    ints = np.array([1, 2, 3])
    expected = getattr(torch, name)(torch.tensor(ints))
    for fn in (getattr(F, name), getattr(jaring, name), lambda t: getattr(t, name)()):
        out = fn(jaring.tensor(ints))
        assert out.dtype == np.float32  # torch's default float, not NumPy's float64
        np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-6, equal_nan=True)


def test_outside_the_domain_is_nan_without_warnings():
    with np.errstate(all="raise"):
        assert np.isnan(F.asin(jaring.tensor(2.0)).item())
        assert np.isnan(F.acosh(jaring.tensor(0.5)).item())
