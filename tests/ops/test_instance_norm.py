"""instance_norm: values, gradients and running-statistics updates against torch, gradcheck, errors."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import check_gradients, random_array

SHAPES = [(1, 3, 5), (2, 4, 3, 2), (3, 1, 2), (1, 2, 1, 4), (2, 2, 2, 2, 3)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("affine", [False, True])
@pytest.mark.parametrize("shape", SHAPES)
def test_input_statistics_match_torch(shape, affine, dtype):
    c = shape[1]
    inputs = [random_array(shape, seed=1) * 2 - 1]
    if affine:
        inputs += [random_array((c,), seed=2), random_array((c,), seed=3)]
    compare_in_dtype(
        lambda x, *p: F.instance_norm(x, None, None, *p, eps=1e-3),
        lambda x, *p: torch.nn.functional.instance_norm(x, None, None, *p, eps=1e-3),
        inputs,
        dtype,
    )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("use_input_stats", [True, False])
@pytest.mark.parametrize("shape", [(2, 3, 4), (1, 2, 3, 3)])
def test_running_statistics_match_torch(shape, use_input_stats, dtype):
    c, tol = shape[1], 1e-5 if dtype == np.float32 else 1e-12
    rng = np.random.default_rng(0)
    mean, var = rng.standard_normal(c).astype(dtype), rng.uniform(0.5, 2, c).astype(dtype)
    ours = [jaring.tensor(mean.copy()), jaring.tensor(var.copy())]
    theirs = [torch.tensor(mean.copy()), torch.tensor(var.copy())]
    w, b = random_array((c,), seed=4), random_array((c,), seed=5)
    compare_in_dtype(
        lambda x, w, b: F.instance_norm(x, *ours, w, b, use_input_stats, momentum=0.3),
        lambda x, w, b: torch.nn.functional.instance_norm(x, *theirs, w, b, use_input_stats, momentum=0.3),
        [random_array(shape, seed=6) * 3 + 2, w, b],
        dtype,
    )
    for got, want in zip(ours, theirs):
        np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=tol, atol=tol)
    if not use_input_stats:
        np.testing.assert_array_equal(ours[0].numpy(), mean)  # evaluation leaves them alone


@pytest.mark.parametrize("use_input_stats", [True, False])
def test_gradcheck_float64(use_input_stats):
    x, w, b = random_array((2, 3, 4), seed=7), random_array((3,), seed=8), random_array((3,), seed=9)
    stats = (np.zeros(3), np.ones(3) * 2)
    check_gradients(lambda x, w, b: F.instance_norm(x, *stats, w, b, use_input_stats, 0.0), [x, w, b])


def test_errors():
    with pytest.raises(ValueError, match="more than 1 spatial element"):
        F.instance_norm(jaring.ones(2, 3, 1))
    with pytest.raises(ValueError, match="more than 1 spatial element"):
        F.instance_norm(jaring.ones(3, 4))  # (N, C) has no positions
    with pytest.raises(ValueError, match=r"running_mean must have shape \(C,\) = \(3,\), got \(4,\)"):
        F.instance_norm(jaring.ones(2, 3, 4), jaring.zeros(4), jaring.ones(4))
    with pytest.raises(ValueError, match=r"weight must have shape \(C,\) = \(3,\), got \(4,\)"):
        F.instance_norm(jaring.ones(2, 3, 4), weight=jaring.ones(4))
    with pytest.raises(ValueError, match="Expected running_mean and running_var to be defined"):
        F.instance_norm(jaring.ones(2, 3, 4), use_input_stats=False)
    with pytest.raises(ValueError, match="momentum"):
        F.instance_norm(jaring.ones(2, 3, 4), momentum=2.0)
    with pytest.raises(ValueError, match=r"\(N, C, \*\)"):
        F.instance_norm(jaring.ones(4))
