"""F.affine_grid against PyTorch: values and theta gradients over batch 1 and 2, output sizes
smaller and larger, align_corners both ways, float32 and float64; gradcheck; errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, random_array
from tests.ops.dtype_oracle import compare_in_dtype

SIZES = [(1, 1, 1, 1), (1, 3, 2, 5), (2, 1, 4, 3), (2, 3, 7, 6)]


@pytest.mark.filterwarnings("ignore:Since version 1.3.0")  # torch's note on unit-size grids
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("corners", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_affine_grid_matches_torch(size, corners, dtype):
    theta = random_array((size[0], 2, 3), 1)
    compare_in_dtype(
        lambda t: F.affine_grid(t, size, align_corners=corners),
        lambda t: TF.affine_grid(t, size, align_corners=corners),
        [theta],
        dtype,
    )


def test_affine_grid_gradcheck_float64():
    theta = random_array((2, 2, 3), 2)
    check_gradients(lambda t: F.affine_grid(t, (2, 1, 3, 4)), [theta])
    check_gradients(lambda t: F.affine_grid(t, (2, 1, 2, 5), align_corners=True), [theta])


def test_affine_grid_then_grid_sample_rotates_like_torch():
    angle = 0.3
    theta = np.array(
        [[[np.cos(angle), -np.sin(angle), 0.1], [np.sin(angle), np.cos(angle), -0.2]]], np.float32
    )
    image = random_array((1, 3, 5, 6), 3)
    got = F.grid_sample(jaring.tensor(image), F.affine_grid(jaring.tensor(theta), (1, 3, 4, 8)))
    want = TF.grid_sample(
        torch.tensor(image),
        TF.affine_grid(torch.tensor(theta), (1, 3, 4, 8), align_corners=False),
        align_corners=False,
    )
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize(
    "theta,size,error,words",
    [
        (np.zeros((1, 2, 3), np.int64), (1, 1, 2, 2), ValueError, "floating point"),
        (np.zeros((2, 2, 3), np.float32), (1, 1, 2, 2), ValueError, "Nx2x3"),
        (np.zeros((1, 3, 3), np.float32), (1, 1, 2, 2), ValueError, "Nx2x3"),
        (np.zeros((1, 2, 3), np.float32), (1, 1, 2), NotImplementedError, "4D and 5D"),
        (np.zeros((1, 2, 3), np.float32), (1, 1, 0, 2), ValueError, "positive output size"),
        (np.zeros((1, 3, 4), np.float32), (1, 1, 2, 2, 2), NotImplementedError, "volumetric"),
    ],
)
def test_affine_grid_errors(theta, size, error, words):
    with pytest.raises(error, match=words):
        F.affine_grid(jaring.tensor(theta), size)
