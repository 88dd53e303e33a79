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


@pytest.mark.parametrize(
    "a_shape, b_shape",
    [
        ((4,), (4,)),  # the dot product: a 0-d result whose backward once crashed
        ((1,), (1,)),
        ((3, 4), (4,)),
        ((4,), (2, 4, 3)),
        ((2, 3, 4), (2, 4, 5)),
        ((2, 3, 4), (4, 5)),
        ((2, 1, 3, 4), (5, 4, 2)),
        ((1, 3, 4), (6, 4, 2)),
    ],
)
def test_matmul_vectors_batches_and_broadcast_match_torch(a_shape, b_shape):
    compare_with_torch(F.matmul, torch.matmul, [random_array(a_shape, 3), random_array(b_shape, 4)])


def test_dot_product_gradients_are_the_other_vector():
    a = jaring.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = jaring.tensor([4.0, 5.0, 6.0], requires_grad=True)
    out = a @ b
    assert out.shape == () and out.item() == 32.0
    out.backward()
    np.testing.assert_array_equal(a.grad.numpy(), [4.0, 5.0, 6.0])
    np.testing.assert_array_equal(b.grad.numpy(), [1.0, 2.0, 3.0])
    check_gradients(lambda x, y: x @ y, [random_array((5,), 1), random_array((5,), 2)])
