"""Compiled pooling kernels against the array reference and PyTorch: values and gradients, both dtypes."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from jaring import kernels
from tests.ops.test_pool import CASES

CASES_WITH_CHANNELS_LAST = CASES + [((1, 16, 8, 8), 2, 2, 0), ((3, 7, 9, 9), 3, 3, 1)]


def _run(op, x, mode):
    """op's output and input gradient under `mode`, for a fixed cosine upstream gradient."""
    with kernels.use(mode):
        t = jaring.tensor(x, requires_grad=True)
        out = op(t)
        weights = np.cos(np.arange(out.size)).reshape(out.shape).astype(x.dtype)
        (out * jaring.tensor(weights)).sum().backward()
        return out.numpy(), t.grad.numpy(), weights


def _torch(op, x, weights):
    t = torch.tensor(x, requires_grad=True)
    out = op(t)
    (out * torch.tensor(weights)).sum().backward()
    return out.detach().numpy(), t.grad.numpy()


def _inputs(shape, dtype, channels_last):
    x = np.random.default_rng(sum(shape)).standard_normal(shape).astype(dtype)
    x[..., ::3, ::2] = x[..., :1, :1]  # repeated values: ties go to the first maximum
    if channels_last:  # the layout convolutions produce
        x = np.ascontiguousarray(x.transpose(0, 2, 3, 1)).transpose(0, 3, 1, 2)
    return x


@pytest.mark.parametrize("channels_last", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,k,s,p", CASES_WITH_CHANNELS_LAST)
def test_max_pool_kernel_matches_reference_and_torch(shape, k, s, p, dtype, channels_last):
    x = _inputs(shape, dtype, channels_last)
    compiled, reference = (
        _run(lambda t: F.max_pool2d(t, k, s, p), x, "numba"),
        _run(lambda t: F.max_pool2d(t, k, s, p), x, "numpy"),
    )
    expected = _torch(lambda t: TF.max_pool2d(t, k, s, p), x, compiled[2])
    tol = 1e-6 if dtype == np.float32 else 1e-14  # overlapping windows add in different orders
    for got in (compiled, reference):
        np.testing.assert_array_equal(got[0], expected[0])
        np.testing.assert_allclose(got[1], expected[1], rtol=tol, atol=tol)


@pytest.mark.parametrize("include_pad", [True, False])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape,k,s,p", CASES_WITH_CHANNELS_LAST)
def test_avg_pool_kernel_matches_reference_and_torch(shape, k, s, p, dtype, include_pad):
    x = _inputs(shape, dtype, channels_last=shape[0] % 2 == 1)
    tol = 1e-5 if dtype == np.float32 else 1e-12

    def op(t):
        return F.avg_pool2d(t, k, s, p, count_include_pad=include_pad)

    compiled, reference = _run(op, x, "numba"), _run(op, x, "numpy")
    expected = _torch(lambda t: TF.avg_pool2d(t, k, s, p, count_include_pad=include_pad), x, compiled[2])
    for got in (compiled, reference):
        np.testing.assert_allclose(got[0], expected[0], rtol=tol, atol=tol)
        np.testing.assert_allclose(got[1], expected[1], rtol=tol, atol=tol)


def test_max_pool_kernel_lets_nan_win_as_torch_does():
    x = np.arange(32, dtype=np.float32).reshape(1, 2, 4, 4)
    x[0, 1, 1, 2] = np.nan
    with kernels.use("numba"):
        got = F.max_pool2d(jaring.tensor(x), 2).numpy()
    np.testing.assert_array_equal(got, TF.max_pool2d(torch.tensor(x), 2).numpy())


def test_max_pool_kernel_without_tracking_gives_the_same_maxima():
    x = _inputs((2, 3, 8, 8), np.float32, True)
    with kernels.use("numba"), jaring.no_grad():
        fast = F.max_pool2d(jaring.tensor(x), 3, 2, 1).numpy()
    with kernels.use("numpy"), jaring.no_grad():
        np.testing.assert_array_equal(fast, F.max_pool2d(jaring.tensor(x), 3, 2, 1).numpy())
