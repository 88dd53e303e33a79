"""jaring/ops/order_stats.py: median and aminmax against PyTorch, values, indices and gradients."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, check_gradients, compare_with_torch, nonscalar_shapes, random_array, shapes, st


@FAST
@given(shape=shapes)
def test_global_median_matches_torch(shape):
    x = random_array(shape, seed=3)
    compare_with_torch(jaring.median, torch.median, [x])
    compare_with_torch(lambda a: a.median(), lambda a: a.median(), [x])


@FAST
@given(shape=nonscalar_shapes, data=st.data(), keepdim=st.booleans())
def test_median_along_a_dim_matches_torch(shape, data, keepdim):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    x = random_array(shape, seed=4)
    compare_with_torch(
        lambda a: tuple(jaring.median(a, dim, keepdim)), lambda a: tuple(torch.median(a, dim, keepdim)), [x]
    )


def test_median_of_0d_even_counts_and_gradcheck():
    compare_with_torch(lambda a: tuple(a.median(0)), lambda a: tuple(a.median(0)), [random_array(())])
    x = np.array([[4.0, 1.0, 3.0, 2.0], [0.0, 8.0, 6.0, 5.0]], dtype=np.float32)  # even: lower middle
    compare_with_torch(lambda a: tuple(a.median(1)), lambda a: tuple(a.median(1)), [x])
    compare_with_torch(jaring.median, torch.median, [x])
    check_gradients(lambda a: jaring.median(a, 1).values, [random_array((3, 4), seed=5)])
    check_gradients(jaring.median, [random_array((2, 3), seed=6)])


def test_median_nan_and_integers_as_torch():
    x = np.array([[1.0, math.nan, 0.0], [3.0, 2.0, 1.0]], dtype=np.float32)
    values, indices = jaring.median(jaring.tensor(x), 1)
    expected = torch.median(torch.tensor(x), 1)
    np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
    np.testing.assert_array_equal(indices.numpy(), expected.indices.numpy())
    assert math.isnan(jaring.median(jaring.tensor(x)).item())
    ints = np.array([5, 1, 4, 2], dtype=np.int64)
    assert jaring.median(jaring.tensor(ints)).item() == torch.median(torch.tensor(ints)).item() == 2
    assert math.isnan(jaring.median(jaring.zeros(0)).item())


@FAST
@given(shape=shapes, data=st.data(), keepdim=st.booleans())
def test_aminmax_matches_torch(shape, data, keepdim):
    dim = data.draw(st.none() | st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    x = random_array(shape, seed=7)
    compare_with_torch(
        lambda a: tuple(jaring.aminmax(a, dim=dim, keepdim=keepdim)),
        lambda a: tuple(torch.aminmax(a, dim=dim, keepdim=keepdim)),
        [x],
    )


def test_aminmax_names_method_and_gradcheck():
    result = jaring.tensor([[1.0, 5.0], [4.0, 2.0]]).aminmax(dim=1)
    assert (
        type(result).__name__ == "MinMax"
        and result.min.tolist() == [1.0, 2.0]
        and result.max.tolist() == [5.0, 4.0]
    )
    check_gradients(
        lambda a: jaring.aminmax(a, dim=0).min * 2 + jaring.aminmax(a, dim=0).max, [random_array((3, 2))]
    )


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="out of range"):
        jaring.median(jaring.zeros(2, 3), 2)
    with pytest.raises(TypeError, match="median: dim must be a single int"):
        jaring.median(jaring.zeros(2, 3), (0, 1))
    with pytest.raises(IndexError, match="Expected reduction dim 0 to have non-zero size"):
        jaring.median(jaring.zeros(0, 2), 0)
    with pytest.raises(ValueError, match="cannot compute aminmax over an empty dimension"):
        jaring.aminmax(jaring.zeros(0))
