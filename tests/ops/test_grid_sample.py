"""F.grid_sample against PyTorch: bilinear and nearest, zeros / border / reflection padding,
align_corners both ways; values and gradients (input and grid) over batch 1 and 2, channels 1
and 3, outputs smaller and larger than the input, grids reaching outside [-1, 1], float32 and
float64; float64 gradcheck on random grids; errors in torch's words."""

import numpy as np
import pytest
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.oracle import check_gradients, random_array
from tests.ops.dtype_oracle import compare_in_dtype

# (input shape, grid's H_out, W_out): smaller and larger outputs, 1x1 and one-row inputs
SHAPES = [
    ((1, 1, 4, 5), 2, 3),
    ((2, 3, 3, 4), 6, 7),
    ((2, 1, 1, 1), 2, 2),
    ((1, 3, 1, 4), 3, 5),
]
MODES = ["bilinear", "nearest"]
PADDINGS = ["zeros", "border", "reflection"]


def _grid(n, h_out, w_out, seed, reach=1.6):
    """Random (x, y) points, some outside [-1, 1] (up to `reach`)."""
    return random_array((n, h_out, w_out, 2), seed, -reach, reach)


@pytest.mark.parametrize("shape,h_out,w_out", SHAPES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("corners", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_grid_sample_matches_torch(shape, h_out, w_out, mode, padding, corners, dtype):
    options = dict(mode=mode, padding_mode=padding, align_corners=corners)
    compare_in_dtype(
        lambda x, g: F.grid_sample(x, g, **options),
        lambda x, g: TF.grid_sample(x, g, **options),
        [random_array(shape, 1), _grid(shape[0], h_out, w_out, 2)],
        dtype,
    )


@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("corners", [False, True])
def test_far_outside_grids_match_torch(padding, corners):
    """Points many image widths away: reflection folds several times, zeros reads nothing."""
    options = dict(padding_mode=padding, align_corners=corners)
    compare_in_dtype(
        lambda x, g: F.grid_sample(x, g, **options),
        lambda x, g: TF.grid_sample(x, g, **options),
        [random_array((2, 3, 4, 3), 3), _grid(2, 5, 4, 4, reach=9.0)],
        np.float64,
    )


def test_nearest_gives_no_gradient_to_the_grid():
    x = jaring.tensor(random_array((1, 2, 3, 3), 5), requires_grad=True)
    grid = jaring.tensor(_grid(1, 4, 4, 6), requires_grad=True)
    F.grid_sample(x, grid, mode="nearest").sum().backward()
    assert x.grad is not None and not np.any(grid.grad.numpy())


@pytest.mark.parametrize("padding", PADDINGS)
@pytest.mark.parametrize("corners", [False, True])
def test_bilinear_gradcheck_float64(padding, corners):
    # random points rarely fall on integer pixel positions, where bilinear has kinks
    x, grid = random_array((2, 2, 3, 4), 7), _grid(2, 3, 2, 8, reach=1.3)
    options = dict(padding_mode=padding, align_corners=corners)
    check_gradients(lambda a, g: F.grid_sample(a, g, **options), [x, grid])


def test_nearest_gradcheck_float64_input():
    grid = jaring.tensor(_grid(1, 3, 3, 9).astype(np.float64))
    check_gradients(lambda a: F.grid_sample(a, grid, mode="nearest"), [random_array((1, 2, 3, 4), 10)])


@pytest.mark.parametrize(
    "x,grid,options,error,words",
    [
        ((1, 1, 3, 3), (1, 2, 2, 2), dict(mode="foo"), ValueError, "expected mode"),
        ((1, 1, 3, 3), (1, 2, 2, 2), dict(padding_mode="foo"), ValueError, "expected padding_mode"),
        ((1, 1, 3, 3), (1, 2, 2, 2), dict(mode="bicubic"), NotImplementedError, "bicubic"),
        ((1, 1, 2, 2, 2), (1, 2, 2, 2, 3), {}, NotImplementedError, "volumetric"),
        ((1, 3, 3), (1, 2, 2), {}, RuntimeError, "expected 4D input"),
        ((1, 1, 3, 3), (2, 2, 2, 2), {}, RuntimeError, "same batch size"),
        ((1, 1, 3, 3), (1, 2, 2, 3), {}, RuntimeError, "size 2 in last dimension"),
        ((1, 1, 0, 3), (1, 2, 2, 2), {}, RuntimeError, "dimension 2 being empty"),
    ],
)
def test_grid_sample_errors(x, grid, options, error, words):
    with pytest.raises(error, match=words):
        F.grid_sample(jaring.zeros(*x), jaring.zeros(*grid), **options)


def test_dtype_mismatch_is_refused():
    grid = jaring.tensor(np.zeros((1, 2, 2, 2)))
    with pytest.raises(RuntimeError, match="same dtype"):
        F.grid_sample(jaring.zeros(1, 1, 3, 3), grid)
