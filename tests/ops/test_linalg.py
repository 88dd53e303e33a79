"""jaring/ops/linalg.py: matmul and the fused linear op against PyTorch, and their shape errors."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, compare_with_torch, random_array


@pytest.mark.parametrize(
    "a_shape, b_shape", [((3, 4), (4, 2)), ((4,), (4, 2)), ((2, 3, 4), (4,)), ((5, 2, 3), (3, 2))]
)
def test_matmul_matches_torch(a_shape, b_shape):
    compare_with_torch(F.matmul, torch.matmul, [random_array(a_shape, 1), random_array(b_shape, 2)])


@pytest.mark.parametrize("bias", [True, False])
def test_linear_matches_torch_with_and_without_bias(bias):
    x, w, b = random_array((5, 3), 1), random_array((4, 3), 2), random_array((4,), 3)
    if bias:
        compare_with_torch(F.linear, torch.nn.functional.linear, [x, w, b])
    else:
        compare_with_torch(F.linear, torch.nn.functional.linear, [x, w])


def test_gradcheck_float64():
    check_gradients(
        lambda x, w, b: F.linear(x, w, b) @ w,
        [random_array((2, 3), 1), random_array((3, 3), 2), random_array((3,), 3)],
    )


def test_shape_errors_name_both_shapes():
    with pytest.raises(ValueError, match=r"\(3, 4\).*\(5, 2\)"):
        F.matmul(jaring.ones(3, 4), jaring.ones(5, 2))
    assert "grad_fn=<LinearFunction>" in repr(
        F.linear(jaring.ones(1, 2), jaring.ones(3, 2, requires_grad=True))
    )
    assert F.linear(jaring.ones(1, 2), jaring.ones(3, 2)).shape == (1, 3)
    np.testing.assert_array_equal(F.matmul(jaring.eye(2), jaring.ones(2)).numpy(), [1.0, 1.0])
