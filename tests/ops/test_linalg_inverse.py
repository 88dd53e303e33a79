"""inv, det, slogdet, logdet and solve against torch: values and gradients, batched, 1x1, both dtypes."""

import numpy as np
import pytest
import torch

import jaring
from jaring.ops import linalg_inverse as L
from tests.oracle import check_gradients
from tests.ops.dtype_oracle import compare_in_dtype

SHAPES = [(1, 1), (3, 3), (2, 4, 4), (2, 1, 3, 3)]
DTYPES = [np.float32, np.float64]


def _well_conditioned(shape, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal(shape) + 3 * np.eye(shape[-1])


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "ours, theirs",
    [
        (L.inv, torch.linalg.inv),
        (L.det, torch.linalg.det),
        (lambda a: L.slogdet(a).logabsdet, lambda a: torch.linalg.slogdet(a).logabsdet),
        (L.logdet, torch.logdet),
    ],
)
def test_matches_torch(ours, theirs, shape, dtype):
    compare_in_dtype(
        ours, theirs, [_well_conditioned(shape)], dtype, tol=2e-4 if dtype == np.float32 else None
    )


@pytest.mark.parametrize("left", [True, False])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "a_shape, b_shape", [((3, 3), (3, 2)), ((2, 3, 3), (2, 3, 1)), ((2, 3, 3), (3, 3)), ((1, 1), (1, 1))]
)
def test_solve_matches_torch(a_shape, b_shape, left, dtype):
    b = np.random.default_rng(1).standard_normal(b_shape if left else b_shape[:-2] + b_shape[-2:][::-1])
    compare_in_dtype(
        lambda x, y: L.solve(x, y, left=left), lambda x, y: torch.linalg.solve(x, y, left=left),
        [_well_conditioned(a_shape), b], dtype, tol=2e-4 if dtype == np.float32 else None,
    )  # fmt: skip


@pytest.mark.parametrize("a_shape, b_shape", [((3, 3), (3,)), ((2, 3, 3), (2, 3))])
def test_solve_with_vectors(a_shape, b_shape):
    b = np.random.default_rng(2).standard_normal(b_shape)
    compare_in_dtype(L.solve, torch.linalg.solve, [_well_conditioned(a_shape), b], np.float64)


def test_det_gradient_of_a_singular_matrix_is_the_adjugate():
    """torch 2.13 returns 0 here; the true gradient of det at a singular matrix is adj(A)^T."""
    a = jaring.tensor([[1.0, 2.0], [2.0, 4.0]], dtype=jaring.float64, requires_grad=True)
    L.det(a).backward()
    np.testing.assert_allclose(a.grad.numpy(), [[4.0, -2.0], [-2.0, 1.0]], atol=1e-12)
    check_gradients(L.det, [np.array([[1.0, 2.0], [2.0, 4.0]])])


def test_logdet_of_a_negative_determinant_is_nan_with_zero_gradient():
    a = jaring.tensor([[-2.0, 0.0], [0.0, 3.0]], requires_grad=True)
    out = jaring.logdet(a)
    out.backward()
    assert np.isnan(out.item()) and np.all(a.grad.numpy() == 0)


@pytest.mark.parametrize("fn", [L.inv, L.det, L.logdet, lambda a: L.slogdet(a).logabsdet])
def test_gradcheck(fn):
    check_gradients(fn, [_well_conditioned((2, 3, 3))])


def test_solve_gradcheck():
    check_gradients(
        L.solve, [_well_conditioned((2, 3, 3)), np.random.default_rng(3).standard_normal((2, 3, 2))]
    )


ERRORS = [
    (lambda m: m.linalg.inv(m.ones(2, 3)), "A must be batches of square matrices, but they are 2 by 3"),
    (lambda m: m.linalg.inv(m.ones(3)), "linalg.inv: The input tensor A must have at least 2 dimensions."),
    (
        lambda m: m.linalg.inv(m.ones(2, 2, dtype=m.long)),
        "Expected a floating point or complex tensor as input. Got Long",
    ),
    (
        lambda m: m.linalg.inv(m.tensor([[1.0, 2, 3], [2, 4, 6], [1, 1, 1]])),
        "The diagonal element 3 is zero, the inversion",
    ),
    (
        lambda m: m.linalg.inv(m.stack([m.eye(2), m.zeros(2, 2)])),
        "(Batch element 1): The diagonal element 1 is zero",
    ),
    (
        lambda m: m.linalg.solve(m.zeros(2, 2), m.ones(2)),
        "torch.linalg.solve: The solver failed because the input matrix is singular.",
    ),
    (
        lambda m: m.linalg.solve(m.eye(2), m.ones(3, 1)),
        "Incompatible shapes of A and B for the equation AX = B (2x2 and 3x1)",
    ),
    (lambda m: m.linalg.det(m.ones(2, 3)), "linalg.det: A must be batches of square matrices"),
]


@pytest.mark.parametrize("call, words", ERRORS)
def test_errors_speak_torch(call, words):
    with pytest.raises(RuntimeError) as theirs:
        call(torch)
    with pytest.raises(RuntimeError) as ours:
        call(jaring)
    assert str(ours.value) == str(theirs.value) and words in str(ours.value)


def test_singular_errors_are_linalg_errors():
    with pytest.raises(jaring.linalg.LinAlgError):
        jaring.linalg.inv(jaring.zeros(2, 2))


def test_slogdet_sign_matches_torch():
    a = np.random.default_rng(4).standard_normal((3, 3, 3))
    ours, theirs = L.slogdet(jaring.tensor(a)), torch.linalg.slogdet(torch.tensor(a))
    np.testing.assert_array_equal(ours.sign.numpy(), theirs.sign.numpy())
