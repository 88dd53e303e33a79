"""jaring.max / jaring.min: torch's (values, indices) with a dim, a value without, maximum with a tensor."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, compare_with_torch, random_array, shapes, st


@pytest.mark.parametrize("name", ["max", "min"])
@FAST
@given(shape=shapes, data=st.data(), keepdim=st.booleans())
def test_values_and_indices_match_torch(name, shape, data, keepdim):
    dim = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    x = random_array(shape, seed=26)  # continuous draws: no ties
    compare_with_torch(
        lambda t: getattr(jaring, name)(t, dim, keepdim).values,
        lambda t: getattr(torch, name)(t, dim, keepdim).values,
        [x],
    )
    got = getattr(jaring, name)(jaring.tensor(x), dim=dim, keepdim=keepdim)
    expected = getattr(torch, name)(torch.tensor(x), dim=dim, keepdim=keepdim)
    assert got.indices.dtype == np.int64
    np.testing.assert_array_equal(got.indices.numpy(), expected.indices.numpy())
    values, indices = got  # unpacks as torch's named tuple does
    assert values is got.values and indices is got.indices


@pytest.mark.parametrize("name", ["max", "min"])
def test_without_dim_and_with_a_tensor(name):
    x = random_array((3, 4), seed=27)
    y = random_array((4,), seed=28)
    compare_with_torch(getattr(jaring, name), getattr(torch, name), [x])
    compare_with_torch(getattr(jaring, name), getattr(torch, name), [x, y])


def test_gradient_goes_to_the_first_tie_only_as_torch():
    data = np.array([[1.0, 3.0, 3.0]], np.float32)
    compare_with_torch(lambda t: jaring.max(t, 1).values, lambda t: torch.max(t, 1).values, [data])


def test_errors_name_the_problem():
    with pytest.raises(TypeError, match="dim must be a single int"):
        jaring.max(jaring.tensor([1.0]), (0,))
    with pytest.raises(IndexError, match="is empty"):
        jaring.min(jaring.zeros(0, 2), 0)
