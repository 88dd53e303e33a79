"""jaring/ops/distance_pairwise.py: pairwise_distance against PyTorch (values and gradients in
float32 and float64, p in {0, 1, 2, 3, 0.5, inf}, keepdim, broadcasting, 1-D and 0-d inputs,
equal rows), a float64 gradcheck and the errors."""

import numpy as np
import pytest
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, compare_with_torch, random_array


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("keepdim", [False, True])
@pytest.mark.parametrize(
    "shapes",
    [
        ((3, 4), (3, 4)),
        ((3, 4), (4,)),
        ((4,), (4,)),
        ((), ()),
        ((2, 3, 4), (3, 4)),
        ((3, 1), (1, 4)),
        ((1, 4), (1, 4)),
    ],
)
def test_pairwise_distance_matches_torch(shapes, keepdim, dtype):
    x1, x2 = random_array(shapes[0], seed=1).astype(dtype), random_array(shapes[1], seed=2).astype(dtype)
    for p, eps in ((2.0, 1e-6), (1.0, 1e-6), (3.0, 0.1), (0.5, 1e-6), (float("inf"), 1e-6), (0, 1e-6)):
        compare_with_torch(
            lambda a, b, p=p, eps=eps: F.pairwise_distance(a, b, p, eps, keepdim),
            lambda a, b, p=p, eps=eps: TF.pairwise_distance(a, b, p, eps, keepdim),
            [x1, x2],
            rtol=1e-4,
            atol=1e-5,
        )


def test_equal_rows_without_eps_have_a_zero_gradient_as_torch():
    row = np.array([[1.0, 2.0]], np.float32)
    compare_with_torch(
        lambda a, b: F.pairwise_distance(a, b, eps=0.0),
        lambda a, b: TF.pairwise_distance(a, b, eps=0.0),
        [row, row.copy()],
    )


def test_gradient_against_finite_differences_in_float64():
    check_gradients(
        lambda a, b: F.pairwise_distance(a, b, 3.0),
        [random_array((3, 4), seed=3), random_array((4,), seed=4)],
    )


def test_errors():
    with pytest.raises(ValueError, match="broadcast"):
        F.pairwise_distance(jaring.ones(3, 4), jaring.ones(3, 5))
    with pytest.raises(ValueError, match="p must be a number >= 0"):
        F.pairwise_distance(jaring.ones(3, 4), jaring.ones(3, 4), p=-1)
    with pytest.raises(TypeError, match="eps must be a number"):
        F.pairwise_distance(jaring.ones(3, 4), jaring.ones(3, 4), eps="small")
