"""Windowed pooling: max and average against PyTorch, ties, NaN, padding rules, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

import jaring
import jaring.functional as F
from jaring import kernels
from jaring.ops.pool import MaxPool2dFunction
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

CASES = [
    # (shape, kernel, stride, padding)
    ((1, 1, 4, 4), 2, None, 0),
    ((2, 3, 8, 8), 2, 2, 0),
    ((4, 2, 7, 9), 3, 2, 1),
    ((2, 8, 6, 6), 3, 1, 1),
    ((3, 2, 9, 8), (2, 3), (1, 2), (1, 1)),
    ((2, 4, 5, 7), 1, 1, 0),
    ((1, 3, 12, 12), 4, 4, 2),
    ((2, 2, 10, 11), 5, 3, 2),
    ((2, 5, 7, 7), 6, 1, 3),
    ((2, 3, 6, 5), (3, 1), (2, 1), (1, 0)),
    ((1, 2, 4, 6), (1, 2), None, 0),
]


@pytest.mark.parametrize("shape,k,s,p", CASES)
def test_max_pool2d_matches_torch(shape, k, s, p):
    compare_with_torch(
        lambda x: F.max_pool2d(x, k, s, p), lambda x: TF.max_pool2d(x, k, s, p), [random_array(shape, 1)]
    )


@pytest.mark.parametrize("include_pad", [True, False])
@pytest.mark.parametrize("shape,k,s,p", CASES)
def test_avg_pool2d_matches_torch(shape, k, s, p, include_pad):
    compare_with_torch(
        lambda x: F.avg_pool2d(x, k, s, p, count_include_pad=include_pad),
        lambda x: TF.avg_pool2d(x, k, s, p, count_include_pad=include_pad),
        [random_array(shape, 2)],
    )


@pytest.mark.slow
@FAST
@given(
    n=st.integers(1, 4),
    c=st.integers(1, 8),
    k=st.integers(1, 4),
    s=st.integers(1, 3),
    extra=st.integers(0, 5),
    pad=st.integers(0, 2),
)
def test_pooling_random_geometry_matches_torch(n, c, k, s, extra, pad):
    pad = min(pad, k // 2)
    x = random_array((n, c, k + extra, k + extra + 1), 3)
    compare_with_torch(lambda a: F.max_pool2d(a, k, s, pad), lambda a: TF.max_pool2d(a, k, s, pad), [x])
    compare_with_torch(lambda a: F.avg_pool2d(a, k, s, pad), lambda a: TF.avg_pool2d(a, k, s, pad), [x])


@pytest.mark.parametrize("k,s", [(2, 2), (3, 1), (2, 1)])
def test_max_pool_ties_route_gradient_to_first_maximum(k, s):
    """After a ReLU whole windows are 0: PyTorch gives the gradient to the first one only."""
    x = np.maximum(random_array((2, 3, 6, 6), 4), 0)
    x[:, :, :2, :2] = 0.0
    x[0, 0, 3:5, 3:5] = 1.5
    compare_with_torch(lambda a: F.max_pool2d(a, k, s), lambda a: TF.max_pool2d(a, k, s), [x])


@pytest.mark.parametrize("mode", kernels.MODES)
@pytest.mark.parametrize("k,s", [(2, 2), (3, 1), (3, 2)])
def test_max_pool_sends_the_gradient_to_a_nan_as_torch_does(mode, k, s):
    """A NaN wins its window (the last one, where there are several), in kernel and reference."""
    x = random_array((2, 3, 7, 7), 5)
    x[0, 0, 0, 1] = np.nan  # not the window's first pixel: `greater` alone would keep pixel 0
    x[0, 1, 2, 2] = x[0, 1, 2, 3] = np.nan  # two NaNs in one window
    x[1, 2, 6, 6] = np.nan
    with kernels.use(mode):
        compare_with_torch(lambda a: F.max_pool2d(a, k, s), lambda a: TF.max_pool2d(a, k, s), [x])


def _torch_same_avg(x, k, s):
    """Keras's "same" average pooling in torch: sums over zero padding / counts of real pixels."""
    size = x.shape[2]
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    pads = (total // 2, total - total // 2) * 2
    summed = TF.avg_pool2d(TF.pad(x, pads), k, s) * k * k
    counts = TF.avg_pool2d(TF.pad(torch.ones_like(x), pads), k, s) * k * k
    return summed / counts


@pytest.mark.parametrize("k,s", [(2, 1), (3, 2), (2, 2), (3, 1)])
def test_same_padding_excludes_padded_pixels_like_keras(k, s):
    x = random_array((2, 3, 7, 7), 5)
    compare_with_torch(
        lambda a: F.avg_pool2d(a, k, s, "same", count_include_pad=False),
        lambda a: _torch_same_avg(a, k, s),
        [x],
    )
    expected_side = -(-7 // s)
    assert F.max_pool2d(jaring.tensor(x), k, s, "same").shape == (2, 3, expected_side, expected_side)


@pytest.mark.parametrize(
    "fn",
    [
        lambda a: F.max_pool2d(a, 2, 1, 1),
        lambda a: F.avg_pool2d(a, 3, 2, 1),
        lambda a: F.avg_pool2d(a, 2, 1, "same", count_include_pad=False),
        lambda a: F.max_pool2d(a, (2, 3), (2, 1)),
        F.global_max_pool2d,
        F.global_avg_pool2d,
    ],
)
def test_pool_gradcheck_float64(fn):
    check_gradients(fn, [random_array((2, 2, 5, 5), 7).astype(np.float64)])


def test_max_pool_inference_skips_the_argmax_and_matches_training():
    x = jaring.tensor(random_array((2, 3, 7, 9), 3), requires_grad=True)
    trained = F.max_pool2d(x, 3, 2, 1)
    with jaring.no_grad():
        inferred = F.max_pool2d(x, 3, 2, 1)
    np.testing.assert_array_equal(inferred.numpy(), trained.numpy())
    untracked = MaxPool2dFunction.apply(x, kernel=(2, 2), stride=(2, 2), padding=(0, 0, 0, 0), track=False)
    with pytest.raises(RuntimeError, match="track=False"):
        untracked.sum().backward()


def test_max_pool_offsets_beyond_a_byte():
    # 17 x 17 = 289 kernel offsets: the argmax no longer fits in uint8.
    x = random_array((1, 2, 17, 17), 5)
    compare_with_torch(lambda a: F.max_pool2d(a, 17), lambda a: TF.max_pool2d(a, 17), [x])


def test_pool_keeps_float32():
    x = jaring.ones(1, 2, 4, 4)
    for out in (F.max_pool2d(x, 2), F.avg_pool2d(x, 2, padding=1), F.global_avg_pool2d(x)):
        assert out.dtype == np.float32


def test_bad_pooling_arguments_are_refused():
    x = jaring.ones(1, 1, 4, 4)
    with pytest.raises(ValueError, match="at most half the kernel"):
        F.max_pool2d(x, 2, padding=2)
    with pytest.raises(ValueError, match=r"window 6x6 is larger than the padded input 4x4"):
        F.avg_pool2d(x, 6)
    with pytest.raises(ValueError, match="kernel_size must be at least 1"):
        F.max_pool2d(x, 0)
    with pytest.raises(ValueError, match=r"'valid', 'same'"):
        F.max_pool2d(x, 2, padding="full")
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        F.max_pool2d(jaring.ones(4, 4), 2)
    with pytest.raises(ValueError, match=r"\(N, C, H, W\)"):
        F.global_avg_pool2d(jaring.ones(2, 4, 4))


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8])
def test_max_pool_pads_integer_input_without_overflow(dtype):
    low = 0 if dtype == np.uint8 else -9  # all-negative windows show a wrapped padding value
    data = np.arange(low, low + 18).reshape(1, 2, 3, 3).astype(dtype)
    out = F.max_pool2d(jaring.tensor(data), 2, stride=2, padding=1)
    expected = TF.max_pool2d(torch.tensor(data.astype(np.int64)), 2, stride=2, padding=1)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.numpy(), expected.numpy())


@pytest.mark.parametrize("dtype", [np.int8, np.int32, np.int64, np.uint8])
@pytest.mark.parametrize("args", [(2,), (3, 1, 1), (3, 2, 1, True), (2, 2, 0, False, False)])
def test_avg_pool_of_integers_truncates_like_torch_int64(dtype, args):
    """Summed wide (a uint8 window of 255s must not wrap), divided, truncated toward zero, and
    kept in the input's dtype; it raised a NumPy casting error on the plain path before."""
    low = 0 if dtype == np.uint8 else -100
    data = np.random.default_rng(0).integers(low, 100, (2, 3, 7, 7)).astype(dtype)
    data[0, 0, :3, :3] = min(np.iinfo(dtype).max, 10**6)
    out = F.avg_pool2d(jaring.tensor(data), *args)
    expected = TF.avg_pool2d(torch.tensor(data.astype(np.int64)), *args)
    assert out.dtype == dtype
    np.testing.assert_array_equal(out.numpy().astype(np.int64), expected.numpy())
