"""group_norm: values and gradients against torch in float32 and float64, gradcheck, bad input."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import check_gradients, random_array

SHAPES = [  # (input shape, num_groups)
    ((1, 4), 2),  # batch 1, no positions
    ((3, 6, 5), 3),
    ((2, 6, 4, 3), 2),
    ((2, 4, 1, 1), 4),  # size-1 dims, one channel per group
    ((1, 3, 2, 2, 2), 1),  # one group: layer norm over (C, D, H, W)
    ((2, 8, 1, 5), 8),
]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("affine", ["none", "weight", "both"])
@pytest.mark.parametrize("shape, groups", SHAPES)
def test_matches_torch(shape, groups, affine, dtype):
    inputs = [random_array(shape, seed=1) * 3 + 1]
    if affine != "none":
        inputs.append(random_array(shape[1:2], seed=2))
    if affine == "both":
        inputs.append(random_array(shape[1:2], seed=3))
    compare_in_dtype(
        lambda x, *p: F.group_norm(x, groups, *p, eps=1e-3),
        lambda x, *p: torch.nn.functional.group_norm(x, groups, *p, eps=1e-3),
        inputs,
        dtype,
    )


def test_bias_without_weight_matches_torch():
    # torch 2.13's backward fails for a bias without a weight ("tensor does not have a device"),
    # so its side gets a weight of ones that takes no gradient
    x, b = random_array((2, 4, 3), seed=4), random_array((4,), seed=5)
    compare_in_dtype(
        lambda x, b: F.group_norm(x, 2, None, b),
        lambda x, b: torch.nn.functional.group_norm(x, 2, torch.ones(4, dtype=b.dtype), b),
        [x, b],
        np.float64,
    )


@pytest.mark.parametrize("shape, groups", [((2, 4, 3), 2), ((1, 6, 2, 2), 3), ((3, 2), 1)])
def test_gradcheck_float64(shape, groups):
    x, w, b = random_array(shape, seed=6), random_array(shape[1:2], seed=7), random_array(shape[1:2], seed=8)
    check_gradients(lambda x, w, b: F.group_norm(x, groups, w, b), [x, w, b])


def test_large_offset_stays_accurate_and_dtype_is_kept():
    x = jaring.tensor(random_array((2, 4, 16), seed=9) + 1e4)
    y = F.group_norm(x, 2)
    assert y.dtype == np.float32
    grouped = y.numpy().reshape(2, 2, -1)
    np.testing.assert_allclose(grouped.mean(axis=2), 0, atol=1e-3)
    np.testing.assert_allclose(grouped.var(axis=2), 1, atol=2e-2)


def test_bad_input_in_torchs_words():
    with pytest.raises(RuntimeError, match="Expected at least 2 dimensions for input tensor but received 1"):
        F.group_norm(jaring.ones(4), 2)
    with pytest.raises(RuntimeError, match=r"divisible by num_groups, but got input of shape \[2, 5, 3\]"):
        F.group_norm(jaring.ones(2, 5, 3), 2)
    with pytest.raises(RuntimeError, match=r"weight of shape \[4\] and input of shape \[2, 6, 3\]"):
        F.group_norm(jaring.ones(2, 6, 3), 2, jaring.ones(4))
    with pytest.raises(ValueError, match="num_groups must be a positive integer"):
        F.group_norm(jaring.ones(2, 6, 3), 0)
    with pytest.raises(TypeError, match="floating-point"):
        F.group_norm(jaring.tensor(np.ones((2, 2, 2), np.int64)), 1)
