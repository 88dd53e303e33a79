"""Inverted dropout: mask statistics, scaling, gradient, seeds and argument checks."""

import numpy as np
import pytest
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, nonscalar_shapes, random_array


@pytest.mark.parametrize("p", [0.1, 0.5, 0.9])
def test_drop_fraction_and_scaling(p):
    x = jaring.ones(200, 500)
    out = F.dropout(x, p, seed=0).numpy()
    dropped = np.mean(out == 0)
    assert abs(dropped - p) < 0.01
    np.testing.assert_allclose(out[out != 0], 1 / (1 - p), rtol=1e-6)
    assert abs(out.mean() - 1.0) < 0.03  # inverted dropout keeps the expected value


@FAST
@given(shape=nonscalar_shapes)
def test_gradient_is_the_same_mask_and_scale(shape):
    x = jaring.tensor(random_array(shape, seed=1, low=0.5, high=2.0), requires_grad=True)
    out = F.dropout(x, 0.4, seed=3)
    upstream = random_array(shape, seed=2)
    out.backward(upstream)
    factor = out.numpy() / x.numpy()  # 0 where dropped, 1/(1-p) where kept
    assert np.all((factor == 0) | np.isclose(factor, 1 / 0.6, rtol=1e-6))
    np.testing.assert_allclose(x.grad.numpy(), upstream * factor, rtol=1e-6)


def test_gradcheck_with_a_fixed_mask():
    check_gradients(lambda x: F.dropout(x, 0.3, seed=5) * x, [random_array((3, 4), seed=4)])


def test_int_seed_repeats_and_generator_advances():
    x = jaring.ones(50)
    np.testing.assert_array_equal(F.dropout(x, 0.5, seed=7).numpy(), F.dropout(x, 0.5, seed=7).numpy())
    rng = np.random.default_rng(7)
    first, second = F.dropout(x, 0.5, seed=rng).numpy(), F.dropout(x, 0.5, seed=rng).numpy()
    assert not np.array_equal(first, second)
    np.testing.assert_array_equal(first, F.dropout(x, 0.5, seed=7).numpy())


def test_identity_when_not_training_or_p_zero():
    x = jaring.randn(3, 4, seed=0)
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_keeps_dtype(dtype):
    assert F.dropout(jaring.ones(4, 4, dtype=dtype), 0.5, seed=0).dtype == dtype


@pytest.mark.parametrize("p", [-0.1, 1.0, 1.5, "0.5", None, True])
def test_bad_probability_is_rejected(p):
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        F.dropout(jaring.ones(3), p)


def test_integer_input_is_rejected():
    with pytest.raises(TypeError, match="floating"):
        F.dropout(jaring.tensor([1, 2, 3]), 0.5)
