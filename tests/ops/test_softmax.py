"""Softmax and log-softmax: values against PyTorch on every axis, float64 gradchecks, dim= and the
Tensor methods, rows that sum to one (extreme logits are in test_activation.py's extreme cases)."""

import numpy as np
import pytest
import torch.nn.functional as TF
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array, shapes, st


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@FAST
@given(shape=shapes, data=st.data())
def test_softmax_family_matches_torch_on_every_axis(name, shape, data):
    axis = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    x = random_array(shape, seed=13, low=-5, high=5)
    compare_with_torch(
        lambda t: getattr(F, name)(t, axis), lambda t: getattr(TF, name)(t, dim=axis), [x], atol=2e-5
    )


@pytest.mark.parametrize("axis", [0, 1, -1])
@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_softmax_family_gradcheck_float64(name, axis):
    x = random_array((3, 4), seed=14, low=-3, high=3).astype(np.float64)
    check_gradients(lambda t: getattr(F, name)(t, axis=axis), [x])


def test_dim_is_an_alias_of_axis_and_methods_call_the_ops():
    x = jaring.tensor(random_array((2, 3), seed=15))
    np.testing.assert_allclose(F.softmax(x, dim=0).numpy(), F.softmax(x, axis=0).numpy())
    np.testing.assert_allclose(F.log_softmax(x, dim=0).numpy(), F.log_softmax(x, 0).numpy())
    np.testing.assert_allclose(x.softmax(0).numpy(), F.softmax(x, 0).numpy())
    np.testing.assert_allclose(x.log_softmax().numpy(), F.log_softmax(x, -1).numpy())
    assert not np.allclose(F.softmax(x, 0).numpy(), F.softmax(x).numpy())
    for method in ("relu", "sigmoid", "tanh"):
        np.testing.assert_array_equal(getattr(x, method)().numpy(), getattr(F, method)(x).numpy())


def test_softmax_rows_sum_to_one_and_zero_dim_input_is_one_class():
    p = F.softmax(jaring.tensor(random_array((4, 7), seed=16, low=-50, high=50)))
    np.testing.assert_allclose(p.numpy().sum(axis=-1), 1.0, rtol=1e-6)
    assert F.softmax(jaring.tensor(3.0)).item() == 1.0
    assert F.log_softmax(jaring.tensor(3.0)).item() == 0.0


@pytest.mark.parametrize("shape", [(3, 0), (0, 4), (2, 0, 5), (0,)])
@pytest.mark.parametrize("fn", ["softmax", "log_softmax"])
def test_empty_rows_or_classes_match_torch(fn, shape):
    # no rows, or rows of no classes: an empty result and an empty gradient, as in PyTorch
    compare_with_torch(
        lambda x: getattr(F, fn)(x, dim=-1), lambda x: getattr(TF, fn)(x, dim=-1), [random_array(shape, 26)]
    )
