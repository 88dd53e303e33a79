"""masked_fill, masked_select, nonzero and one_hot against PyTorch."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, broadcast_pairs, check_gradients, compare_with_torch, random_array, shapes


def _mask(shape, seed):
    return np.random.default_rng(seed).random(shape) < 0.4


@FAST
@given(pair=broadcast_pairs)
def test_masked_select_matches_torch(pair):
    (x_shape, m_shape), _ = pair
    mask = _mask(m_shape, 41)
    compare_with_torch(
        lambda x: F.masked_select(x, jaring.tensor(mask)),
        lambda x: torch.masked_select(x, torch.tensor(mask)),
        [random_array(x_shape, seed=42)],
    )


@FAST
@given(shape=shapes)
def test_masked_fill_matches_torch(shape):
    mask = _mask(shape[1:], 43)  # the mask broadcasts to x
    compare_with_torch(
        lambda x: x.masked_fill(jaring.tensor(mask), -1.5),
        lambda x: x.masked_fill(torch.tensor(mask), -1.5),
        [random_array(shape, seed=44)],
    )
    compare_with_torch(  # a 0-d tensor value receives the gradient of every filled place
        lambda x, v: F.masked_fill(x, jaring.tensor(mask), v),
        lambda x, v: torch.masked_fill(x, torch.tensor(mask), v),
        [random_array(shape, seed=45), np.float32(0.25)],
    )


@FAST
@given(shape=shapes)
def test_nonzero_matches_torch(shape):
    data = np.where(_mask(shape, 46), 0.0, 1.0).astype(np.float32)
    compare_with_torch(lambda x: F.nonzero(x), lambda x: torch.nonzero(x), [data], grad=False)
    compare_with_torch(
        lambda x: jaring.nonzero(x, as_tuple=True),
        lambda x: torch.nonzero(x, as_tuple=True),
        [data],
        grad=False,
    )


@pytest.mark.parametrize("num_classes", [-1, 5])
def test_one_hot_matches_torch(num_classes):
    labels = np.array([[0, 3], [1, 1]], np.int64)
    got = F.one_hot(jaring.tensor(labels), num_classes)
    expected = torch.nn.functional.one_hot(torch.tensor(labels), num_classes)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got.numpy(), expected.numpy())


def test_gradcheck():
    mask = jaring.tensor(_mask((3, 4), 47))
    check_gradients(
        lambda x: F.masked_fill(x, mask, 0.0) * F.masked_select(x, mask).sum(), [random_array((3, 4))]
    )


def test_bad_input_names_the_argument():
    with pytest.raises(ValueError, match=r"one_hot: label 3 is out of range \(allowed: 0 to 2\)"):
        F.one_hot(jaring.tensor([0, 3]), 3)
    with pytest.raises(TypeError, match="one_hot: labels must be integers"):
        F.one_hot(jaring.tensor([0.0]))
    with pytest.raises(TypeError, match="masked_fill: mask must be boolean"):
        F.masked_fill(jaring.zeros(2), jaring.tensor([1, 0]), 0.0)
    with pytest.raises(ValueError, match="masked_fill: mask of shape"):
        F.masked_fill(jaring.zeros(2), jaring.tensor([True, False, True]), 0.0)
