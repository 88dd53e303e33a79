"""jaring/ops/distance.py: cdist against PyTorch for p = 2, 1, inf, 0 and 3, zero distances included."""

import math

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import check_gradients, compare_with_torch, random_array

SHAPES = {
    "matrices": [(4, 3), (5, 3)],
    "one point each": [(1, 2), (1, 2)],
    "batched": [(2, 4, 3), (2, 5, 3)],
    "batch broadcast": [(2, 1, 4, 3), (3, 5, 3)],
    "one column": [(3, 1), (2, 1)],
}


@pytest.mark.parametrize("p", [2.0, 1.0, math.inf, 3.0])
@pytest.mark.parametrize("case", SHAPES)
def test_values_and_gradients_match_torch(case, p):
    a, b = (random_array(s, seed=i) for i, s in enumerate(SHAPES[case]))
    compare_with_torch(
        lambda x, y: jaring.cdist(x, y, p), lambda x, y: torch.cdist(x, y, p), [a, b], rtol=1e-4
    )
    check_gradients(lambda x, y: jaring.cdist(x, y, p), [a.astype(np.float64), b.astype(np.float64) + 0.01])


@pytest.mark.parametrize("p", [2.0, 1.0, math.inf])
def test_zero_distance_has_torchs_gradient(p):
    a = random_array((3, 2))
    b = np.concatenate([a[:2], random_array((1, 2), seed=5)])  # two pairs at distance 0
    compare_with_torch(
        lambda x, y: jaring.cdist(x, y, p), lambda x, y: torch.cdist(x, y, p), [a, b], rtol=1e-4
    )


def test_p0_counts_differing_coordinates():
    a, b = random_array((3, 4)), random_array((2, 4), seed=1)
    b[0, :2] = a[0, :2]
    compare_with_torch(
        lambda x, y: jaring.cdist(x, y, 0), lambda x, y: torch.cdist(x, y, 0), [a, b], grad=False
    )


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="cdist only supports at least 2D tensors, X1 got: 1D"):
        jaring.cdist(jaring.zeros(3), jaring.zeros(2, 3))
    with pytest.raises(ValueError, match="X1 and X2 must have the same number of columns. X1: 3 X2: 4"):
        jaring.cdist(jaring.zeros(2, 3), jaring.zeros(2, 4))
    with pytest.raises(ValueError, match="cdist only supports non-negative p values"):
        jaring.cdist(jaring.zeros(2, 3), jaring.zeros(2, 3), p=-1)
    with pytest.raises(TypeError, match="cdist only supports floating-point dtypes, X2 got: int64"):
        jaring.cdist(jaring.zeros(2, 3), jaring.tensor([[1, 2, 3]]))
