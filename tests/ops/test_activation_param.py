"""prelu and threshold: values and gradients (the weight's too) against torch, gradcheck, errors."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import away_from, check_gradients, random_array

PRELU = [  # (input shape, weight shape)
    ((), (1,)),
    ((5,), (1,)),
    ((1, 3), (3,)),
    ((2, 3), ()),
    ((2, 1, 4), (1,)),
    ((2, 4, 3, 3), (4,)),
    ((1, 2, 1, 1, 2), (2,)),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape, wshape", PRELU)
def test_prelu_matches_torch(shape, wshape, dtype):
    x = away_from(random_array(shape, seed=1), [0.0])
    w = random_array(wshape, seed=2)
    compare_in_dtype(F.prelu, torch.nn.functional.prelu, [x, w], dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(), (4,), (2, 1, 3)])
@pytest.mark.parametrize("limit, value", [(0.0, 0.0), (0.5, -2.0), (-1.0, 20.0)])
def test_threshold_matches_torch(shape, limit, value, dtype):
    x = away_from(random_array(shape, seed=3), [limit])
    compare_in_dtype(
        lambda x: F.threshold(x, limit, value),
        lambda x: torch.nn.functional.threshold(x, limit, value),
        [x],
        dtype,
    )


def test_gradcheck_float64():
    x = away_from(random_array((2, 3, 4), seed=4), [0.0])
    check_gradients(F.prelu, [x, random_array((3,), seed=5)])
    check_gradients(F.prelu, [x, random_array((1,), seed=6)])
    check_gradients(lambda x: F.threshold(x, 0.5, 3.0), [away_from(x, [0.5])])


def test_integer_input():
    assert F.threshold(jaring.tensor([1, 2, 3]), 2, 0).tolist() == [0, 0, 3]
    assert F.prelu(jaring.tensor([-4, 4]), jaring.tensor([0.5])).tolist() == [-2.0, 4.0]


def test_errors_in_torchs_words():
    with pytest.raises(RuntimeError, match="parameter numbers = 2 and channel size = 3"):
        F.prelu(jaring.ones(2, 3), jaring.ones(2))
    with pytest.raises(RuntimeError, match="parameter numbers = 3 and channel size = 1"):
        F.prelu(jaring.ones(3), jaring.ones(3))
    with pytest.raises(RuntimeError, match="scalar or 1D tensor, but got: ndim = 2"):
        F.prelu(jaring.ones(2, 3), jaring.ones(1, 3))
    with pytest.raises(TypeError, match="threshold: value must be a number"):
        F.threshold(jaring.ones(2), 0.0, "zero")
