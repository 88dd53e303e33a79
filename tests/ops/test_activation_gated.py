"""glu: values and gradients against torch over each dim, gradcheck, errors in torch's words."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import check_gradients, random_array

CASES = [((2,), -1), ((4, 6), -1), ((4, 6), 0), ((1, 2, 3), 1), ((2, 1, 4, 2), -2), ((3, 2, 1), -3)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape, dim", [c for c in CASES if c[0][c[1]] % 2 == 0])
def test_glu_matches_torch(shape, dim, dtype):
    compare_in_dtype(
        lambda x: F.glu(x, dim),
        lambda x: torch.nn.functional.glu(x, dim),
        [random_array(shape, seed=1) * 4],
        dtype,
    )


def test_gradcheck_float64():
    check_gradients(lambda x: F.glu(x, 1), [random_array((2, 4, 3), seed=2)])


def test_errors():
    with pytest.raises(RuntimeError, match="Halving dimension must be even, but dimension 1 is size 3"):
        F.glu(jaring.ones(2, 3))
    with pytest.raises(RuntimeError, match="does not support scalars"):
        F.glu(jaring.tensor(2.0))
    with pytest.raises(ValueError, match="out of range"):
        F.glu(jaring.ones(2, 4), 2)
