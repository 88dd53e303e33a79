"""1-D max, average and adaptive pooling against PyTorch: values, gradients, indices, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import check_gradients, compare_with_torch, random_array

DTYPES = [np.float32, np.float64]
SHAPES = [(2, 3, 9), (1, 1, 5), (1, 4, 1), (3, 7)]  # batch 1, size-1 dims, unbatched (C, L)

MAX_ARGS = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=1, dilation=2),
    dict(kernel_size=2, stride=2, ceil_mode=True),
    dict(kernel_size=(3,), stride=(2,), padding=(1,), ceil_mode=True),
]
AVG_ARGS = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
    dict(kernel_size=2, stride=2, ceil_mode=True),
    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True, count_include_pad=False),
]


def _fits(shape, args):
    kernel = args["kernel_size"]
    kernel = kernel[0] if isinstance(kernel, tuple) else kernel
    pad = args.get("padding", 0)
    pad = pad[0] if isinstance(pad, tuple) else pad
    return shape[-1] + 2 * pad >= args.get("dilation", 1) * (kernel - 1) + 1


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("args", MAX_ARGS)
@pytest.mark.parametrize("shape", SHAPES)
def test_max_pool1d_matches_torch(shape, args, dtype):
    if not _fits(shape, args):
        pytest.skip("window larger than the padded input")
    compare_in_dtype(
        lambda x: F.max_pool1d(x, **args), lambda x: TF.max_pool1d(x, **args), [random_array(shape, 1)], dtype
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("args", AVG_ARGS)
@pytest.mark.parametrize("shape", SHAPES)
def test_avg_pool1d_matches_torch(shape, args, dtype):
    if not _fits(shape, args):
        pytest.skip("window larger than the padded input")
    compare_in_dtype(
        lambda x: F.avg_pool1d(x, **args), lambda x: TF.avg_pool1d(x, **args), [random_array(shape, 2)], dtype
    )


@pytest.mark.parametrize("args", MAX_ARGS)
def test_max_pool1d_indices_match_torch(args):
    x = random_array((2, 3, 11), 3)
    values, indices = F.max_pool1d(jaring.tensor(x), **args, return_indices=True)
    want_values, want_indices = TF.max_pool1d(torch.tensor(x), **args, return_indices=True)
    np.testing.assert_array_equal(values.numpy(), want_values.numpy())
    np.testing.assert_array_equal(indices.numpy(), want_indices.numpy())
    assert indices.dtype == np.int64


def test_max_pool1d_ties_send_the_gradient_where_torch_does():
    ties = np.zeros((1, 2, 8), np.float32)
    compare_with_torch(lambda x: F.max_pool1d(x, 3, 1, 1), lambda x: TF.max_pool1d(x, 3, 1, 1), [ties])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("output_size", [1, 2, 3, 5, 7, (4,), None])
@pytest.mark.parametrize("shape", [(2, 3, 5), (1, 1, 6), (1, 2, 1), (3, 7)])
def test_adaptive_pool1d_matches_torch(shape, output_size, dtype):
    size = shape[-1] if output_size is None else output_size
    x = random_array(shape, 4)
    compare_in_dtype(
        lambda t: F.adaptive_avg_pool1d(t, output_size), lambda t: TF.adaptive_avg_pool1d(t, size), [x], dtype
    )
    compare_in_dtype(
        lambda t: F.adaptive_max_pool1d(t, output_size), lambda t: TF.adaptive_max_pool1d(t, size), [x], dtype
    )


@pytest.mark.parametrize("output_size", [1, 2, 3, 4, 9])
def test_adaptive_max_pool1d_indices_match_torch(output_size):
    x = random_array((2, 3, 7), 5)
    x[0, 0, :] = 0.0  # ties: the first maximum, as torch
    values, indices = F.adaptive_max_pool1d(jaring.tensor(x), output_size, return_indices=True)
    want_values, want_indices = TF.adaptive_max_pool1d(torch.tensor(x), output_size, return_indices=True)
    np.testing.assert_array_equal(values.numpy(), want_values.numpy())
    np.testing.assert_array_equal(indices.numpy(), want_indices.numpy())


def test_gradients_by_finite_differences():
    x = random_array((2, 3, 8), 6)
    check_gradients(lambda t: F.max_pool1d(t, 3, 2, 1, ceil_mode=True), [x])
    check_gradients(lambda t: F.avg_pool1d(t, 3, 2, 1, count_include_pad=False), [x])
    check_gradients(lambda t: F.adaptive_avg_pool1d(t, 3), [x])
    check_gradients(lambda t: F.adaptive_max_pool1d(t, 3), [x])


def test_no_graph_under_no_grad_and_dtype_kept():
    x = jaring.tensor(random_array((1, 2, 6)).astype(np.float64), requires_grad=True)
    assert F.avg_pool1d(x, 2).dtype == np.float64
    with jaring.no_grad():
        assert not F.max_pool1d(x, 2).requires_grad
        assert not F.adaptive_max_pool1d(x, 4).requires_grad


def test_bad_arguments_are_named():
    x = jaring.ones(1, 2, 6)
    with pytest.raises(ValueError, match="2D .* or 3D"):
        F.max_pool1d(jaring.ones(1, 1, 2, 6), 2)
    with pytest.raises(ValueError, match="kernel_size"):
        F.avg_pool1d(x, 0)
    with pytest.raises(ValueError, match="kernel_size"):
        F.max_pool1d(x, (2, 2))
    with pytest.raises(ValueError, match="half of effective kernel"):
        F.max_pool1d(x, 2, padding=2)
    with pytest.raises(ValueError, match="output_size"):
        F.adaptive_avg_pool1d(x, 0)
    with pytest.raises(ValueError, match="no positions"):
        F.adaptive_max_pool1d(jaring.ones(1, 2, 0), 2)
    with pytest.raises(ValueError, match="larger than the padded input"):
        F.max_pool1d(x, 7)
