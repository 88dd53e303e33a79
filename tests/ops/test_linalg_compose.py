"""matrix_power, pinv, multi_dot and linalg.cross against torch."""

import numpy as np
import pytest
import torch

from jaring.ops import linalg_compose as C
from tests.oracle import check_gradients
from tests.ops.dtype_oracle import compare_in_dtype

DTYPES = [np.float32, np.float64]


@pytest.mark.parametrize("n", [-3, -1, 1, 2, 5])
@pytest.mark.parametrize("shape", [(1, 1), (2, 3, 3)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_matrix_power(n, shape, dtype):
    a = np.random.default_rng(0).standard_normal(shape) + 2 * np.eye(shape[-1])
    compare_in_dtype(
        lambda x: C.matrix_power(x, n),
        lambda x: torch.linalg.matrix_power(x, n),
        [a],
        dtype,
        tol=1e-3 if dtype == np.float32 else 1e-9,
    )


@pytest.mark.parametrize("shape", [(1, 1), (3, 5), (5, 3), (2, 4, 4)])
@pytest.mark.parametrize("dtype", DTYPES)
def test_pinv(shape, dtype):
    a = np.random.default_rng(1).standard_normal(shape)
    compare_in_dtype(C.pinv, torch.linalg.pinv, [a], dtype, tol=1e-3 if dtype == np.float32 else 1e-9)


@pytest.mark.parametrize("shapes", [[(3,), (3, 4), (4,)], [(2, 3), (3, 4), (4, 5)]])
def test_multi_dot(shapes):
    arrays = [np.random.default_rng(i).standard_normal(s) for i, s in enumerate(shapes)]
    compare_in_dtype(lambda *t: C.multi_dot(t), lambda *t: torch.linalg.multi_dot(t), arrays, np.float64)


def test_cross():
    a, b = (np.random.default_rng(i).standard_normal((2, 3)) for i in range(2))
    compare_in_dtype(C.cross, torch.linalg.cross, [a, b], np.float64)


@pytest.mark.parametrize("fn", [lambda a: C.matrix_power(a, -2), C.pinv])
def test_gradcheck(fn):
    check_gradients(fn, [np.random.default_rng(2).standard_normal((2, 3, 3)) + 2 * np.eye(3)])


def test_multi_dot_needs_two():
    with pytest.raises(RuntimeError, match="expected at least 2 tensors but got 1"):
        C.multi_dot([np.ones((2, 2))])
