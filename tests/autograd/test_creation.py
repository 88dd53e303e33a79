"""jaring/autograd/creation.py: tensor factories with jaring's dtype rules and seeds."""

import numpy as np
import pytest

import jaring


def test_factories_make_the_default_float_dtype_and_honour_requires_grad():
    for t in (jaring.zeros(2, 3), jaring.ones((2, 3)), jaring.full((2, 3), 1.5), jaring.eye(2, 3)):
        assert t.shape == (2, 3) and t.dtype == np.float32
    assert jaring.zeros(2, requires_grad=True).requires_grad
    np.testing.assert_array_equal(jaring.full((2,), 1.5).numpy(), [1.5, 1.5])
    like = jaring.ones_like(jaring.zeros(4, dtype=np.float64))
    assert like.dtype == np.float64 and like.numpy().sum() == 4


def test_arange_keeps_integers_and_random_tensors_follow_their_seed():
    assert jaring.arange(3).dtype == np.int64 and jaring.arange(0.0, 1.0, 0.5).dtype == np.float32
    np.testing.assert_array_equal(jaring.randn(3, seed=1).numpy(), jaring.randn(3, seed=1).numpy())
    u = jaring.rand(1000, seed=0).numpy()
    assert 0 <= u.min() and u.max() < 1


def test_bad_shapes_are_refused():
    with pytest.raises((TypeError, ValueError)):
        jaring.zeros(2, -1)
