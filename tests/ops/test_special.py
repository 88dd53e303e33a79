"""erfinv lgamma digamma logit sinc xlogy: values and gradients against PyTorch, float32 and float64,
gradcheck, integer input, methods, and torch's edge values (poles, domain ends, nan, x == 0)."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, away_from, broadcast_pairs, check_gradients, random_array, shapes
from tests.ops.dtype_oracle import compare_in_dtype

DTYPES = [np.float32, np.float64]
POLES = [0.0, -1.0, -2.0, -3.0]

# name: (jaring, torch, low, high, points to keep away from)
UNARY = {
    "erfinv": (jaring.erfinv, torch.erfinv, -0.95, 0.95, []),
    "lgamma": (jaring.lgamma, torch.lgamma, -3.5, 5.0, POLES),
    "digamma": (jaring.digamma, torch.digamma, -3.5, 5.0, POLES),
    "logit": (jaring.logit, torch.logit, 0.05, 0.95, []),
    "logit_eps": (
        lambda x: jaring.logit(x, eps=0.2),
        lambda x: torch.logit(x, eps=0.2),
        -0.5,
        1.5,
        [0.2, 0.8],
    ),
    "sinc": (jaring.sinc, torch.sinc, -3.0, 3.0, []),
}


# torch computes trigamma (digamma's derivative) by its own series: ~1e-9 off SciPy in float64
TOL = {("digamma", np.float64): 1e-8}


def _data(name, shape, seed):
    _, _, low, high, avoid = UNARY[name]
    return away_from(random_array(shape, seed=seed, low=low, high=high), avoid, margin=0.05)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(UNARY))
@FAST
@given(shape=shapes)
def test_unary_matches_torch(name, dtype, shape):
    fn, torch_fn = UNARY[name][:2]
    compare_in_dtype(fn, torch_fn, [_data(name, shape, 3)], dtype, tol=TOL.get((name, dtype)))


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_gradcheck_float64(name):
    check_gradients(UNARY[name][0], [_data(name, (2, 3), 4)])


@pytest.mark.parametrize("name", ["erfinv", "lgamma", "digamma", "logit", "sinc"])
def test_integer_input_method_and_top_level(name):
    ints = np.array([0, 1, 2, 3])
    expected = getattr(torch, name)(torch.tensor(ints)).numpy()
    for fn in (getattr(jaring, name), lambda t: getattr(t, name)()):
        out = fn(jaring.tensor(ints))
        assert out.dtype == np.float32
        np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


EDGES = {
    "erfinv": [-1.0, 1.0, 0.0, 2.0, -1.5, np.inf, np.nan],
    "lgamma": [0.0, -0.0, -1.0, -2.0, 1.0, 2.0, np.inf, -np.inf, np.nan, 1e-30],
    "digamma": [0.0, -0.0, -1.5, 1.0, 1e-30, np.inf, np.nan, 200.0],
    "logit": [0.0, 1.0, -0.5, 1.5, 0.5, np.nan],
    "logit_eps": [0.0, 1.0, 0.2, 0.8, -0.5, 1.5, 0.5, np.nan],
    "sinc": [0.0, -0.0, 1.0, -2.0, 0.5, np.inf, np.nan],
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(EDGES))
def test_edge_values_and_their_gradients(name, dtype):
    fn, torch_fn = UNARY[name][:2]
    with np.errstate(all="ignore"):
        compare_in_dtype(fn, torch_fn, [np.array(EDGES[name])], dtype, tol=TOL.get((name, dtype)))


def test_logit_eps_clamps_and_zeroes_the_gradient_outside():
    x = jaring.tensor([-1.0, 0.0, 0.5, 1.0, 2.0], requires_grad=True)
    y = x.logit(eps=0.25)
    np.testing.assert_allclose(y.numpy(), np.log([1 / 3, 1 / 3, 1, 3, 3]), rtol=1e-6)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [0, 0, 4, 0, 0])


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(pair=broadcast_pairs)
def test_xlogy_matches_torch_with_broadcasting(dtype, pair):
    (sa, sb), _ = pair
    x = random_array(sa, seed=5, low=-2, high=2)
    x[np.abs(x) < 0.5] = 0.0  # exact zeros, where the result is 0 whatever y
    y = random_array(sb, seed=6, low=0.1, high=3)
    compare_in_dtype(jaring.xlogy, torch.xlogy, [x, y], dtype)


def test_xlogy_gradcheck_float64():
    check_gradients(jaring.xlogy, [random_array((2, 3), seed=7), random_array((3,), seed=8, low=0.2, high=3)])


@pytest.mark.parametrize("dtype", DTYPES)
def test_xlogy_edge_values_follow_torch(dtype):
    nan, inf = np.nan, np.inf
    x = np.array([0.0, 0.0, 0.0, 0.0, 1.0, 2.0, nan, 0.0, -1.0, 3.0])
    y = np.array([0.0, nan, -1.0, inf, 0.0, -1.0, 2.0, 1.0, inf, 1.0])
    with np.errstate(all="ignore"):
        compare_in_dtype(jaring.xlogy, torch.xlogy, [x, y], dtype)


def test_xlogy_numbers_integers_and_method():
    ints = torch.tensor([1, 2, 3])
    out = jaring.xlogy(jaring.tensor([1, 2, 3]), jaring.tensor([1, 2, 3]))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), torch.xlogy(ints, ints).numpy(), rtol=1e-6)
    y = jaring.tensor([1.0, 2.0])
    np.testing.assert_allclose(jaring.xlogy(2, y).numpy(), torch.xlogy(2, torch.tensor([1.0, 2.0])).numpy())
    np.testing.assert_allclose(y.xlogy(3).numpy(), torch.xlogy(torch.tensor([1.0, 2.0]), 3).numpy())
    assert jaring.xlogy(jaring.tensor([1.0], dtype=jaring.float64), 2.0).dtype == np.float64
