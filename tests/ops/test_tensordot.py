"""tensordot against torch: int and list dims, values and gradients."""

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import check_gradients
from tests.ops.dtype_oracle import compare_in_dtype


@pytest.mark.parametrize(
    "a_shape, b_shape, dims",
    [
        ((3, 4, 5), (4, 5, 2), 2),
        ((3, 4), (4, 2), 1),
        ((2, 3), (4,), 0),
        ((3, 4, 5), (5, 2, 4), ([1, 2], [2, 0])),
    ],
)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_matches_torch(a_shape, b_shape, dims, dtype):
    a, b = (np.random.default_rng(i).standard_normal(s) for i, s in enumerate((a_shape, b_shape)))
    compare_in_dtype(
        lambda x, y: jaring.tensordot(x, y, dims), lambda x, y: torch.tensordot(x, y, dims), [a, b], dtype
    )


def test_gradcheck():
    check_gradients(lambda x, y: jaring.tensordot(x, y, ([0], [1])), [np.ones((3, 2)), np.ones((4, 3))])


def test_mismatch_speaks_torch():
    with pytest.raises(
        RuntimeError, match="contracted dimensions need to match, but first has size 3 in dim 1"
    ):
        jaring.tensordot(jaring.ones(2, 3), jaring.ones(2, 3), 1)
