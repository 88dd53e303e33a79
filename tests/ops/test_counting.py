"""jaring/ops/counting.py: count_nonzero and bincount against PyTorch (int64 results)."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import CASES, FAST, shapes, st


def _same(got, expected):
    expected = expected.numpy()
    assert got.dtype == expected.dtype and got.shape == expected.shape
    np.testing.assert_array_equal(got.numpy(), expected)
    CASES["torch"] += 1


@FAST
@given(shape=shapes, data=st.data())
def test_count_nonzero_matches_torch(shape, data):
    x = np.random.default_rng(0).integers(-1, 2, size=shape).astype(np.float32)
    n = max(len(shape), 1)
    dim = data.draw(st.none() | st.integers(-n, n - 1) | st.just(tuple(range(len(shape)))))
    _same(jaring.count_nonzero(jaring.tensor(x), dim), torch.count_nonzero(torch.tensor(x), dim))
    _same(jaring.tensor(x).count_nonzero(dim=dim), torch.tensor(x).count_nonzero(dim=dim))


def test_count_nonzero_of_booleans_and_empty():
    x = np.array([[True, False], [True, True]])
    _same(jaring.count_nonzero(jaring.tensor(x), 1), torch.count_nonzero(torch.tensor(x), 1))
    _same(jaring.count_nonzero(jaring.zeros(0)), torch.count_nonzero(torch.zeros(0)))


@pytest.mark.parametrize("values", [[0, 2, 2, 3], [5], [], [1, 1, 1]])
@pytest.mark.parametrize("minlength", [0, 3, 8])
def test_bincount_matches_torch(values, minlength):
    x = np.array(values, dtype=np.int64)
    _same(
        jaring.bincount(jaring.tensor(x), minlength=minlength),
        torch.bincount(torch.tensor(x), minlength=minlength),
    )
    for dtype in (np.float32, np.float64):
        w = np.linspace(0.5, 2.0, len(values)).astype(dtype)
        _same(
            jaring.tensor(x).bincount(jaring.tensor(w), minlength),
            torch.tensor(x).bincount(torch.tensor(w), minlength),
        )


def test_bad_arguments_are_refused():
    for bad in ([-1], [[1]], [1.0]):
        with pytest.raises(ValueError, match="bincount only supports 1-d non-negative integral inputs"):
            jaring.bincount(jaring.tensor(bad))
    with pytest.raises(ValueError, match="weights should be 1-d and have the same length as input"):
        jaring.bincount(jaring.tensor([1]), weights=jaring.tensor([1.0, 2.0]))
    with pytest.raises(ValueError, match="minlength should be an int >= 0"):
        jaring.bincount(jaring.tensor([1]), minlength=-1)
    with pytest.raises(ValueError, match="out of range"):
        jaring.count_nonzero(jaring.zeros(2, 3), dim=2)
