"""log2 log10 log1p exp2 expm1 rsqrt erf logaddexp logaddexp2: values and gradients against PyTorch."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, broadcast_pairs, check_gradients, compare_with_torch, random_array, shapes
from tests.ops.dtype_oracle import compare_in_dtype

OPS = {
    "log2": (0.2, 4),
    "log10": (0.2, 4),
    "log1p": (-0.8, 3),
    "exp2": (-3, 3),
    "expm1": (-3, 3),
    "rsqrt": (0.2, 4),
    "erf": (-3, 3),
}


@pytest.mark.parametrize("name", sorted(OPS))
@FAST
@given(shape=shapes)
def test_matches_torch(name, shape):
    low, high = OPS[name]
    x = random_array(shape, seed=3, low=low, high=high)
    compare_with_torch(getattr(F, name), getattr(torch, name), [x], rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize("name", sorted(OPS))
def test_gradcheck_float64(name):
    low, high = OPS[name]
    check_gradients(getattr(F, name), [random_array((2, 3), seed=4, low=low, high=high)])


@pytest.mark.parametrize("name", sorted(OPS))
def test_method_top_level_and_integer_input(name):
    ints = np.array([1, 2, 3])
    expected = getattr(torch, name)(torch.tensor(ints)).numpy()
    for fn in (getattr(F, name), getattr(jaring, name), lambda t: getattr(t, name)()):
        out = fn(jaring.tensor(ints))
        assert out.dtype == np.float32
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


@FAST
@given(pair=broadcast_pairs)
def test_logaddexp_matches_torch_with_broadcasting(pair):
    (sa, sb), _ = pair
    a, b = random_array(sa, seed=5, low=-30, high=30), random_array(sb, seed=6, low=-30, high=30)
    compare_with_torch(F.logaddexp, torch.logaddexp, [a, b], rtol=1e-5, atol=1e-5)


def test_logaddexp_gradcheck_extremes_and_dtypes():
    check_gradients(F.logaddexp, [random_array((3,), seed=7), random_array((2, 3), seed=8)])
    big = F.logaddexp(jaring.tensor([1000.0]), jaring.tensor([1000.0]))
    np.testing.assert_allclose(big.numpy(), [1000 + np.log(2)], rtol=1e-6)
    assert F.logaddexp(jaring.tensor([1, 2]), 3).dtype == np.float32
    assert jaring.tensor([1.0]).logaddexp(jaring.tensor([2.0])).shape == (1,)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@FAST
@given(pair=broadcast_pairs)
def test_logaddexp2_matches_torch_in_both_dtypes(dtype, pair):
    (sa, sb), _ = pair
    a, b = random_array(sa, seed=9, low=-30, high=30), random_array(sb, seed=10, low=-30, high=30)
    compare_in_dtype(jaring.logaddexp2, torch.logaddexp2, [a, b], dtype)


def test_logaddexp2_gradcheck_edges_integers_and_method():
    check_gradients(jaring.logaddexp2, [random_array((3,), seed=11), random_array((2, 3), seed=12)])
    inf = np.inf
    a = np.array([1000.0, -inf, inf, 0.0, -1000.0, np.nan])
    b = np.array([1000.0, 0.0, 1.0, -inf, -1000.0, 0.0])
    with np.errstate(all="ignore"):
        compare_in_dtype(jaring.logaddexp2, torch.logaddexp2, [a, b], np.float64)
    assert jaring.logaddexp2(jaring.tensor([1, 2]), 3).dtype == np.float32  # torch raises for ints
    np.testing.assert_allclose(jaring.tensor([1.0]).logaddexp2(jaring.tensor([1.0])).numpy(), [2.0])
