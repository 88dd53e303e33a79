"""unfold (im2col) and fold (col2im) against PyTorch: values, gradients, adjointness, errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.ops.dtype_oracle import compare_in_dtype
from tests.oracle import check_gradients, random_array

DTYPES = [np.float32, np.float64]
ARGS = [
    dict(kernel_size=2),
    dict(kernel_size=(2, 3), stride=(1, 2)),
    dict(kernel_size=3, padding=1),
    dict(kernel_size=3, padding=(1, 0), stride=2, dilation=(1, 2)),
    dict(kernel_size=1),
]
SHAPES = [(2, 3, 5, 7), (1, 1, 4, 5), (1, 2, 3, 6), (3, 5, 6)]  # batch 1, size-1 dims, unbatched


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("args", ARGS)
@pytest.mark.parametrize("shape", SHAPES)
def test_unfold_matches_torch(shape, args, dtype):
    compare_in_dtype(
        lambda x: F.unfold(x, **args), lambda x: TF.unfold(x, **args), [random_array(shape, 1)], dtype
    )


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("args", ARGS)
@pytest.mark.parametrize("shape", SHAPES)
def test_fold_matches_torch(shape, args, dtype):
    size = shape[-2:]
    cols_shape = tuple(TF.unfold(torch.zeros((1, *shape[-3:])), **args).shape)[1:]
    lead = (shape[0],) if len(shape) == 4 else ()
    x = random_array(lead + cols_shape, 2)
    compare_in_dtype(lambda t: F.fold(t, size, **args), lambda t: TF.fold(t, size, **args), [x], dtype)


def test_fold_is_the_adjoint_of_unfold():
    x = random_array((2, 3, 6, 5), 3).astype(np.float64)
    args = dict(kernel_size=3, padding=1, stride=2, dilation=1)
    cols = F.unfold(jaring.tensor(x), **args).numpy()
    y = np.random.default_rng(4).standard_normal(cols.shape)
    folded = F.fold(jaring.tensor(y), (6, 5), **args).numpy()
    np.testing.assert_allclose((cols * y).sum(), (x * folded).sum(), rtol=1e-12)


def test_unfold_then_matmul_is_conv2d():
    x, w = random_array((2, 3, 6, 6), 5), random_array((4, 3, 3, 3), 6)
    cols = F.unfold(jaring.tensor(x), 3, padding=1)
    out = (jaring.tensor(w.reshape(4, -1)) @ cols).reshape(2, 4, 6, 6)
    want = TF.conv2d(torch.tensor(x), torch.tensor(w), padding=1).numpy()
    np.testing.assert_allclose(out.numpy(), want, rtol=1e-5, atol=1e-5)


def test_gradients_by_finite_differences():
    check_gradients(
        lambda t: F.unfold(t, (2, 3), padding=1, stride=(2, 1), dilation=(2, 1)),
        [random_array((2, 2, 5, 4), 7)],
    )
    check_gradients(lambda t: F.fold(t, (4, 5), 2, stride=1), [random_array((2, 8, 12), 8)])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="3D or 4D"):
        F.unfold(jaring.ones(2, 3), 2)
    with pytest.raises(ValueError, match="kernel_size"):
        F.unfold(jaring.ones(1, 1, 4, 4), 0)
    with pytest.raises(RuntimeError, match="does not fit"):
        F.unfold(jaring.ones(1, 1, 2, 2), 3)
    with pytest.raises(ValueError, match="2D"):
        F.fold(jaring.ones(1, 1, 4, 4), (3, 3), 2)
    with pytest.raises(RuntimeError, match="divisible by the product of kernel_size"):
        F.fold(jaring.ones(1, 5, 4), (3, 3), 2)
    with pytest.raises(RuntimeError, match="sliding blocks"):
        F.fold(jaring.ones(1, 4, 5), (3, 3), 2)
