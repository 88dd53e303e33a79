"""tanhshrink, hardshrink and softshrink: values and gradients against torch, gradcheck, errors."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import away_from, check_gradients, random_array

SHAPES = [(), (1,), (3, 4), (2, 1, 3)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_tanhshrink_matches_torch(shape, dtype):
    compare_in_dtype(F.tanhshrink, torch.nn.functional.tanhshrink, [random_array(shape, seed=1) * 3], dtype)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("name", ["hardshrink", "softshrink"])
@pytest.mark.parametrize("lambd", [0.0, 0.5, 1.5])
def test_shrinks_match_torch(name, lambd, shape, dtype):
    x = away_from(random_array(shape, seed=2), [-lambd, lambd])
    compare_in_dtype(
        lambda x: getattr(F, name)(x, lambd),
        lambda x: getattr(torch.nn.functional, name)(x, lambd),
        [x],
        dtype,
    )


def test_gradcheck_float64():
    x = away_from(random_array((3, 4), seed=3), [-0.5, 0.5])
    check_gradients(F.tanhshrink, [x])
    check_gradients(F.hardshrink, [x])
    check_gradients(F.softshrink, [x])


def test_integers_become_floats_and_bad_lambd():
    assert F.tanhshrink(jaring.tensor([0, 1])).dtype.kind == "f"
    with pytest.raises(ValueError, match="lambda must be >= 0"):
        F.softshrink(jaring.ones(2), -1.0)
    with pytest.raises(TypeError, match="hardshrink: lambd must be a number"):
        F.hardshrink(jaring.ones(2), None)
