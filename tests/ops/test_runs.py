"""jaring/ops/runs.py: unique_consecutive against PyTorch: values, inverse and counts."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import CASES, FAST, shapes, st


def _same(got, expected):
    got, expected = (got, expected) if isinstance(expected, tuple) else ((got,), (expected,))
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.shape == tuple(e.shape) and g.dtype == e.numpy().dtype
        np.testing.assert_array_equal(g.numpy(), e.numpy())
    CASES["torch"] += 1


@FAST
@given(shape=shapes, data=st.data(), inverse=st.booleans(), counts=st.booleans())
def test_unique_consecutive_matches_torch(shape, data, inverse, counts):
    dim = data.draw(st.none() | st.integers(-len(shape), len(shape) - 1)) if shape else None
    x = np.random.default_rng(len(shape)).integers(0, 2, size=shape)
    keywords = {"return_inverse": inverse, "return_counts": counts, "dim": dim}  # torch misreads positions
    _same(
        jaring.unique_consecutive(jaring.tensor(x), **keywords),
        torch.unique_consecutive(torch.tensor(x), **keywords),
    )
    _same(
        jaring.tensor(x).unique_consecutive(return_inverse=inverse, return_counts=counts, dim=dim),
        torch.tensor(x).unique_consecutive(return_inverse=inverse, return_counts=counts, dim=dim),
    )


@pytest.mark.parametrize("data", [[], [1.0, 1.0, np.nan, np.nan, 2.0], [[1, 1], [1, 1], [2, 2]]], ids=str)
def test_empty_nan_and_rows_match_torch(data):
    x = np.array(data)
    _same(
        jaring.unique_consecutive(jaring.tensor(x), True, True),
        torch.unique_consecutive(torch.tensor(x), True, True),
    )
    if x.ndim == 2:
        _same(
            jaring.unique_consecutive(jaring.tensor(x), True, True, dim=0),
            torch.unique_consecutive(torch.tensor(x), True, True, dim=0),
        )


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="There are 0 sized dimensions, and they aren't selected"):
        jaring.unique_consecutive(jaring.zeros(0, 2), dim=1)
    with pytest.raises(ValueError, match="out of range"):
        jaring.unique_consecutive(jaring.zeros(2), dim=1)
