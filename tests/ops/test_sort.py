"""sort, argsort and topk against PyTorch: values, int64 indices, gradients, ties and NaN."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array, shapes, st


@st.composite
def shape_and_dim(draw):
    shape = draw(shapes)
    ndim = max(len(shape), 1)
    return shape, draw(st.integers(-ndim, ndim - 1))


@pytest.mark.parametrize("descending", [False, True])
@FAST
@given(case=shape_and_dim())
def test_sort_matches_torch(descending, case):
    shape, dim = case
    compare_with_torch(
        lambda x: F.sort(x, dim, descending),
        lambda x: torch.sort(x, dim=dim, descending=descending, stable=True),
        [random_array(shape, seed=21)],
    )
    compare_with_torch(
        lambda x: F.argsort(x, dim, descending),
        lambda x: torch.argsort(x, dim=dim, descending=descending, stable=True),
        [random_array(shape, seed=22)],
    )


@pytest.mark.parametrize("largest", [False, True])
@FAST
@given(case=shape_and_dim(), data=st.data())
def test_topk_matches_torch(largest, case, data):
    shape, dim = case
    k = data.draw(st.integers(0, shape[dim]) if shape else st.just(1))  # torch keeps 0-d for k=0 on 0-d
    compare_with_torch(
        lambda x: F.topk(x, k, dim, largest),
        lambda x: torch.topk(x, k, dim, largest),
        [random_array(shape, seed=23)],
    )


@pytest.mark.parametrize("descending", [False, True])
def test_stable_with_ties_and_nan_as_in_torch(descending):
    data = np.array([[2.0, 1.0, 2.0, np.nan, 1.0, 0.0], [3.0, 3.0, 3.0, -1.0, 3.0, -1.0]], np.float32)
    values, indices = F.sort(jaring.tensor(data), 1, descending)
    expected = torch.sort(torch.tensor(data), dim=1, descending=descending, stable=True)
    np.testing.assert_array_equal(values.numpy(), expected.values.numpy())
    np.testing.assert_array_equal(indices.numpy(), expected.indices.numpy())


def test_integer_and_boolean_input():
    x = jaring.tensor([3, 1, 2])
    assert x.sort(descending=True).values.tolist() == [3, 2, 1]
    assert F.argsort(jaring.tensor([True, False, True]), descending=True).tolist() == [0, 2, 1]


def test_gradcheck():
    check_gradients(
        lambda x: F.sort(x, 0).values * F.topk(x, 3, 0).values.sum(), [random_array((5, 2), seed=24)]
    )


def test_methods_and_names():
    x = jaring.tensor([[0.5, 2.0, 1.0]])
    values, indices = x.topk(2)
    assert values.tolist() == [[2.0, 1.0]] and indices.tolist() == [[1, 2]] and indices.dtype == np.int64
    assert jaring.argsort(x, dim=1).tolist() == [[0, 2, 1]]


def test_bad_k_and_dim_name_the_allowed_range():
    with pytest.raises(ValueError, match="topk: k must be an integer from 0 to 3"):
        F.topk(jaring.zeros(3), 4)
    with pytest.raises(ValueError, match=r"sort: axis=2 .* \(allowed: from -1 to 0\)"):
        F.sort(jaring.zeros(3), 2)
