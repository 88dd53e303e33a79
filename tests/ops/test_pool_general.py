"""Pooling options against PyTorch: max_pool2d with dilation, ceil_mode and return_indices;
avg_pool2d with ceil_mode, count_include_pad and divisor_override; values, indices, gradients."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

MAX_CASES = [
    # (shape, kernel, stride, padding, dilation, ceil_mode)
    ((1, 1, 1, 1), 1, 1, 0, 1, True),
    ((2, 3, 7, 6), 3, 2, 1, 2, True),
    ((2, 2, 5, 5), 2, 2, 0, 1, True),
    ((1, 2, 6, 7), (2, 3), (1, 2), (1, 1), (2, 1), False),
    ((1, 1, 4, 4), 3, 2, 1, 1, True),
    ((3, 1, 9, 8), 3, 3, 1, 2, False),
]


@pytest.mark.parametrize("shape,k,s,p,d,ceil", MAX_CASES)
def test_max_pool2d_options_match_torch(shape, k, s, p, d, ceil):
    compare_with_torch(
        lambda x: F.max_pool2d(x, k, s, p, d, ceil),
        lambda x: TF.max_pool2d(x, k, s, p, d, ceil),
        [random_array(shape, 1)],
    )
    x = random_array(shape, 2)
    _, indices = F.max_pool2d(jaring.tensor(x), k, s, p, d, ceil, return_indices=True)
    _, expected = TF.max_pool2d(torch.tensor(x), k, s, p, d, ceil, return_indices=True)
    assert indices.dtype == np.int64
    np.testing.assert_array_equal(indices.numpy(), expected.numpy())


@FAST
@given(
    h=st.integers(1, 7),
    w=st.integers(1, 7),
    k=st.integers(1, 3),
    s=st.integers(1, 3),
    ceil=st.booleans(),
    include_pad=st.booleans(),
    pad=st.booleans(),
)
def test_avg_pool2d_options_match_torch(h, w, k, s, ceil, include_pad, pad):
    p = k // 2 if pad else 0
    if h + 2 * p < k or w + 2 * p < k:
        return
    compare_with_torch(
        lambda x: F.avg_pool2d(x, k, s, p, ceil, include_pad),
        lambda x: TF.avg_pool2d(x, k, s, p, ceil, include_pad),
        [random_array((2, 2, h, w), 3)],
    )


@pytest.mark.parametrize("ceil", [False, True])
def test_divisor_override_matches_torch(ceil):
    compare_with_torch(
        lambda x: F.avg_pool2d(x, 3, 2, 1, ceil, divisor_override=4),
        lambda x: TF.avg_pool2d(x, 3, 2, 1, ceil, divisor_override=4),
        [random_array((1, 2, 6, 5), 4)],
    )
    with pytest.raises(ValueError, match="divisor_override"):
        F.avg_pool2d(random_array((1, 1, 4, 4)), 2, divisor_override=0)


def test_gradients_float64():
    x = random_array((2, 2, 5, 6), 5)
    check_gradients(lambda t: F.max_pool2d(t, 3, 2, 1, 2, True), [x])
    check_gradients(lambda t: F.avg_pool2d(t, 3, 2, 1, True, False), [x])


def test_indices_of_minus_inf_windows_stay_on_real_pixels():
    x = np.full((1, 1, 3, 3), -np.inf, np.float32)
    _, indices = F.max_pool2d(jaring.tensor(x), 2, 2, 1, return_indices=True)
    _, expected = TF.max_pool2d(torch.tensor(x), 2, 2, 1, return_indices=True)
    np.testing.assert_array_equal(indices.numpy(), expected.numpy())


@pytest.mark.parametrize("mode", ["numba", "numpy"])
@pytest.mark.parametrize("k,s,p,d", [(3, 2, 1, 1), (2, 1, 0, 2), (3, 3, 1, 1)])
def test_a_nan_takes_the_index_and_gradient_the_last_of_several_as_in_torch(mode, k, s, p, d):
    x = random_array((2, 3, 7, 7), 5)
    x[0, 0, 0, 1] = np.nan
    x[0, 1, 2, 2] = x[0, 1, 2, 3] = x[0, 1, 3, 2] = np.nan  # several in one window
    options = dict(padding=p, dilation=d, ceil_mode=True)
    with jaring.kernels.use(mode):
        compare_with_torch(
            lambda a: F.max_pool2d(a, k, s, return_indices=True, **options),
            lambda a: TF.max_pool2d(a, k, s, return_indices=True, **options),
            [x],
        )


@pytest.mark.parametrize("mode", ["numba", "numpy"])
@pytest.mark.parametrize("shape", [(0, 3, 7, 7), (2, 0, 7, 7), (0, 0, 5, 5)])
@pytest.mark.parametrize(
    "pool",
    [
        lambda x: F.max_pool2d(x, 2, 1, 0, 2),  # dilation: the general path
        lambda x: F.max_pool2d(x, 2, ceil_mode=True),
        lambda x: F.avg_pool2d(x, 2, ceil_mode=True),
        lambda x: F.max_unpool2d(*F.max_pool2d(x, 2, return_indices=True), 2),
    ],
)
def test_empty_batch_or_channels_give_empty_results(mode, shape, pool):
    # no image or no channel: an empty output of the right shape, and an empty gradient
    x = jaring.tensor(np.zeros(shape, np.float32), requires_grad=True)
    with jaring.kernels.use(mode):
        out = pool(x)
        out.sum().backward()
    assert out.shape[:2] == shape[:2] and out.size == 0
    assert x.grad.shape == shape
