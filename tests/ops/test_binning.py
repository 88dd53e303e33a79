"""jaring/ops/binning.py: searchsorted and bucketize against PyTorch (int64 or int32 indices)."""

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import CASES

EDGES = np.array([1.0, 3.0, 3.0, 5.0, 7.0], dtype=np.float32)
VALUES = np.array([[0.0, 1.0, 3.0], [4.0, 7.0, 9.0]], dtype=np.float32)


def _same(got, expected):
    expected = expected.numpy()
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got.numpy(), expected)
    CASES["torch"] += 1


@pytest.mark.parametrize(
    "kwargs", [{}, {"right": True}, {"side": "right"}, {"side": "left"}, {"out_int32": True}]
)
@pytest.mark.parametrize("values", [VALUES, VALUES[0], VALUES[:1, :1], np.float32(3.0)])
def test_searchsorted_with_one_sequence_matches_torch(kwargs, values):
    t_values = torch.tensor(values) if isinstance(values, np.ndarray) else float(values)
    j_values = jaring.tensor(values) if isinstance(values, np.ndarray) else float(values)
    _same(
        jaring.searchsorted(jaring.tensor(EDGES), j_values, **kwargs),
        torch.searchsorted(torch.tensor(EDGES), t_values, **kwargs),
    )


@pytest.mark.parametrize("right", [False, True])
def test_searchsorted_row_by_row_and_with_a_sorter(right):
    rows = np.array([[1, 3, 5], [2, 4, 6]], dtype=np.int64)
    values = np.array([[3, 6], [4, 0]], dtype=np.int64)
    _same(
        jaring.searchsorted(jaring.tensor(rows), jaring.tensor(values), right=right),
        torch.searchsorted(torch.tensor(rows), torch.tensor(values), right=right),
    )
    shuffled = np.array([5.0, 1.0, 3.0], dtype=np.float32)
    sorter = np.argsort(shuffled)
    _same(
        jaring.searchsorted(
            jaring.tensor(shuffled), jaring.tensor(VALUES), right=right, sorter=jaring.tensor(sorter)
        ),
        torch.searchsorted(
            torch.tensor(shuffled), torch.tensor(VALUES), right=right, sorter=torch.tensor(sorter)
        ),
    )


@pytest.mark.parametrize("right", [False, True])
@pytest.mark.parametrize("values", [VALUES, VALUES[0], np.array(3.0, dtype=np.float32)])
def test_bucketize_matches_torch(right, values):
    _same(
        jaring.bucketize(jaring.tensor(values), jaring.tensor(EDGES), right=right),
        torch.bucketize(torch.tensor(values), torch.tensor(EDGES), right=right),
    )
    _same(
        jaring.bucketize(3, jaring.tensor(EDGES), right=right),
        torch.bucketize(3, torch.tensor(EDGES), right=right),
    )


def test_bad_arguments_are_refused():
    with pytest.raises(
        ValueError, match="first N-1 dimensions of boundaries tensor and input value tensor must match"
    ):
        jaring.searchsorted(jaring.tensor([[1, 3, 5]]), jaring.tensor([3, 4]))
    with pytest.raises(ValueError, match="side and right can't be set to opposites"):
        jaring.searchsorted(jaring.tensor([1, 3]), jaring.tensor([3]), right=True, side="left")
    with pytest.raises(ValueError, match="side can only be 'left' or 'right'"):
        jaring.searchsorted(jaring.tensor([1, 3]), jaring.tensor([3]), side="up")
    with pytest.raises(ValueError, match=r"boundaries tensor must be 1 dimension, but got dim\(2\)"):
        jaring.bucketize(jaring.tensor([1]), jaring.tensor([[1]]))
    with pytest.raises(ValueError, match="should not be a scalar"):
        jaring.searchsorted(jaring.tensor(1), jaring.tensor([1]))
