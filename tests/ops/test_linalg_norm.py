"""vector_norm, matrix_norm and linalg.norm against torch: values and gradients over ords and dims."""

import math

import numpy as np
import pytest
import torch

from jaring.ops import linalg_norm as N
from tests.oracle import check_gradients
from tests.ops.dtype_oracle import compare_in_dtype

DTYPES = [np.float32, np.float64]
A = np.random.default_rng(0).standard_normal((2, 3, 4))


@pytest.mark.parametrize("ord", [2, 1, 3, 0.5, 1.5, math.inf, -math.inf])
@pytest.mark.parametrize("dim, keepdim", [(None, False), (-1, False), ((0, 2), True)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_vector_norm(ord, dim, keepdim, dtype):
    compare_in_dtype(
        lambda x: N.vector_norm(x, ord, dim, keepdim),
        lambda x: torch.linalg.vector_norm(x, ord, dim, keepdim),
        [A],
        dtype,
    )


@pytest.mark.parametrize("ord", ["fro", "nuc", 1, -1, 2, -2, math.inf, -math.inf])
@pytest.mark.parametrize("shape", [(1, 1), (3, 4), (2, 4, 3)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_matrix_norm(ord, shape, dtype):
    a = np.random.default_rng(1).standard_normal(shape)
    compare_in_dtype(lambda x: N.matrix_norm(x, ord), lambda x: torch.linalg.matrix_norm(x, ord), [a], dtype)
    compare_in_dtype(
        lambda x: N.matrix_norm(x, ord, (-1, 0), True),
        lambda x: torch.linalg.matrix_norm(x, ord, (-1, 0), True),
        [a],
        dtype,
    )


@pytest.mark.parametrize(
    "ord, dim, shape",
    [(None, None, (2, 3)), (2, None, (3, 4)), (1, None, (4,)), (None, 1, (2, 3)), ("nuc", (0, 1), (2, 3))],
)
def test_norm_picks_like_torch(ord, dim, shape):
    a = np.random.default_rng(2).standard_normal(shape)
    compare_in_dtype(lambda x: N.norm(x, ord, dim), lambda x: torch.linalg.norm(x, ord, dim), [a], np.float64)


def test_zero_vector_gets_zero_gradient_as_torch():
    compare_in_dtype(N.vector_norm, torch.linalg.vector_norm, [np.zeros(3)], np.float64)


@pytest.mark.parametrize(
    "fn",
    [
        N.vector_norm,
        lambda x: N.vector_norm(x, 3, 1),
        lambda x: N.matrix_norm(x, "nuc"),
        lambda x: N.matrix_norm(x, 1),
    ],
)
def test_gradcheck(fn):
    check_gradients(fn, [A])


def test_errors_speak_torch():
    with pytest.raises(RuntimeError, match="linalg.matrix_norm: Order 3 not supported."):
        N.matrix_norm(A, 3)
    with pytest.raises(RuntimeError, match="must have at least 2 dimensions"):
        N.matrix_norm(A[0, 0])
