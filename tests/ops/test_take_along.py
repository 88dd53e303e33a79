"""jaring/ops/take_along.py: take_along_dim against PyTorch, values and gradients."""

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import check_gradients, compare_with_torch, random_array

CASES = [
    ((3, 4), (3, 2), 1),
    ((3, 4), (1, 5), 1),
    ((3, 4), (3, 1), -1),
    ((3, 1), (2, 3), 0),
    ((2, 3, 4), (2, 1, 4), 1),
    ((1, 4), (3, 4), 0),
    ((5,), (7,), 0),
    ((3, 4), (6,), None),
    ((2, 3), (2, 2, 2), None),
    ((), (), None),
    ((), (1,), None),
]


@pytest.mark.parametrize("x_shape, index_shape, dim", CASES, ids=str)
def test_take_along_dim_matches_torch(x_shape, index_shape, dim):
    x = random_array(x_shape, seed=1)
    high = x.size if dim is None else (x.shape[dim] if x.ndim else 1)
    index = np.random.default_rng(2).integers(0, high, size=index_shape)
    compare_with_torch(
        lambda a: jaring.take_along_dim(a, jaring.tensor(index), dim),
        lambda a: torch.take_along_dim(a, torch.tensor(index), dim),
        [x],
    )
    compare_with_torch(
        lambda a: a.take_along_dim(jaring.tensor(index), dim=dim),
        lambda a: a.take_along_dim(torch.tensor(index), dim=dim),
        [x],
    )
    check_gradients(lambda a: jaring.take_along_dim(a, jaring.tensor(index), dim), [x])


def test_sorting_with_argsort_indices():
    x = random_array((3, 5), seed=3)
    got = jaring.take_along_dim(jaring.tensor(x), jaring.argsort(jaring.tensor(x), dim=1), dim=1)
    np.testing.assert_array_equal(got.numpy(), np.sort(x, axis=1))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="should have the same number of dimensions"):
        jaring.take_along_dim(jaring.zeros(3, 2), jaring.tensor([0, 0, 0]), 1)
    with pytest.raises(TypeError, match="dtype of indices should be Long"):
        jaring.take_along_dim(jaring.zeros(3, 2), jaring.zeros(3, 1), 1)
    with pytest.raises(ValueError, match="cannot be broadcast together"):
        jaring.take_along_dim(jaring.zeros(2, 3), jaring.tensor(np.zeros((3, 2), dtype=np.int64)), 1)
    with pytest.raises(ValueError, match="out of range"):
        jaring.take_along_dim(jaring.tensor(2.0), jaring.tensor(0), 0)
    with pytest.raises(IndexError, match="out of range"):
        jaring.take_along_dim(jaring.zeros(3, 2), jaring.tensor([[5]]), 1)
