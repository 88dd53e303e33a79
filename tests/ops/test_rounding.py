"""sign floor ceil round trunc: values against PyTorch, zero gradients, integer dtypes kept."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, compare_with_torch, random_array, shapes

NAMES = ["sign", "floor", "ceil", "round", "trunc"]


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(shape=shapes)
def test_values_and_zero_gradients_match_torch(name, shape):
    x = random_array(shape, seed=9, low=-5, high=5)
    compare_with_torch(getattr(F, name), getattr(torch, name), [x])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.int64, np.int32, np.uint8])
def test_integers_keep_dtype_and_values(name, dtype):
    data = np.array([0, 3, 7], dtype=dtype)
    expected = getattr(torch, name)(torch.tensor(data))
    for out in (getattr(F, name)(jaring.tensor(data)), getattr(jaring.tensor(data), name)()):
        assert out.dtype == dtype and str(expected.dtype).endswith(str(np.dtype(dtype)))
        np.testing.assert_array_equal(out.numpy(), expected.numpy())


def test_round_half_to_even_and_decimals():
    x = jaring.tensor([0.5, 1.5, 2.5, -0.5, 2.567])
    np.testing.assert_array_equal(F.round(x).numpy(), torch.round(torch.tensor(x.numpy())).numpy())
    np.testing.assert_allclose(
        jaring.round(x, decimals=2).numpy(), torch.round(torch.tensor(x.numpy()), decimals=2).numpy()
    )
    with pytest.raises(TypeError, match="decimals must be an int"):
        F.round(x, 1.5)


def test_sign_of_booleans_stays_boolean():
    out = F.sign(jaring.tensor([True, False]))
    assert out.dtype == bool and out.tolist() == [True, False]
