"""jaring/ops/compare.py: is_tensor, equal and allclose give torch's Python answers."""

import math

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import CASES

PAIRS = {
    "same": ([1.0, 2.0], [1.0, 2.0]),
    "different value": ([1.0, 2.0], [1.0, 2.5]),
    "different shape": ([1.0, 2.0], [[1.0, 2.0]]),
    "nan": ([math.nan], [math.nan]),
    "0-d": (3.0, 3.0),
    "tiny difference": ([1.0, 1000.0], [1.0 + 1e-9, 1000.0 + 1e-6]),
    "empty": ([], []),
}


@pytest.mark.parametrize("case", PAIRS)
def test_equal_and_allclose_match_torch(case):
    a, b = (np.array(v, dtype=np.float64) for v in PAIRS[case])
    ja, jb, ta, tb = jaring.tensor(a), jaring.tensor(b), torch.tensor(a), torch.tensor(b)
    assert jaring.equal(ja, jb) is torch.equal(ta, tb)
    assert ja.equal(jb) is torch.equal(ta, tb)
    if a.shape == b.shape:
        for kwargs in ({}, {"equal_nan": True}, {"rtol": 0.0, "atol": 0.0}, {"atol": 1.0}):
            assert jaring.allclose(ja, jb, **kwargs) is torch.allclose(ta, tb, **kwargs), kwargs
            assert ja.allclose(jb, **kwargs) is torch.allclose(ta, tb, **kwargs)
    CASES["torch"] += 1


def test_allclose_broadcasts_and_equal_ignores_dtype():
    assert jaring.allclose(jaring.ones(2, 3), jaring.ones(3)) is torch.allclose(
        torch.ones(2, 3), torch.ones(3)
    )
    assert jaring.equal(jaring.tensor([1, 2]), jaring.tensor([1.0, 2.0]))
    assert torch.equal(torch.tensor([1, 2]), torch.tensor([1.0, 2.0]))


def test_is_tensor():
    assert jaring.is_tensor(jaring.zeros(1)) and not jaring.is_tensor(np.zeros(1))
    assert not jaring.is_tensor(torch.zeros(1)) and not jaring.is_tensor(1.0)


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="argument 'other' must be Tensor, not list"):
        jaring.equal(jaring.zeros(1), [0.0])
    with pytest.raises(TypeError, match="argument 'input' must be Tensor"):
        jaring.allclose(1.0, jaring.zeros(1))
    with pytest.raises(ValueError, match="cannot be broadcast together"):
        jaring.allclose(jaring.zeros(2), jaring.zeros(3))
