"""jaring/ops/integration.py: trapezoid, trapz and cumulative_trapezoid against PyTorch, values, gradients."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, check_gradients, compare_with_torch, nonscalar_shapes, random_array, st

NAMES = ["trapezoid", "trapz", "cumulative_trapezoid"]


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(shape=nonscalar_shapes, data=st.data())
def test_spacing_dx_matches_torch(name, shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    dx = data.draw(st.sampled_from([None, 1, 0.5, -2.0]))
    keywords = {"dim": dim} if dx is None else {"dim": dim, "dx": dx}
    compare_with_torch(
        lambda y: getattr(jaring, name)(y, **keywords),
        lambda y: getattr(torch, name)(y, **keywords),
        [random_array(shape, seed=1)],
    )


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "y_shape, x_shape, dim",
    [((5,), (5,), -1), ((3, 4), (4,), 1), ((3, 4), (3,), 0), ((3, 4), (3, 4), 0), ((2, 3, 4), (3, 4), -1),
     ((3, 4), (1, 4), -1), ((1,), (1,), 0), ((2, 3), (3,), -1)],
)  # fmt: skip
def test_sample_points_x_match_torch(name, y_shape, x_shape, dim):
    y, x = random_array(y_shape, seed=2), np.sort(random_array(x_shape, seed=3), axis=-1)
    compare_with_torch(
        lambda a, b: getattr(jaring, name)(a, b, dim=dim),
        lambda a, b: getattr(torch, name)(a, b, dim=dim),
        [y, x],
    )
    check_gradients(lambda a, b: getattr(jaring, name)(a, b, dim=dim), [y, x])


@pytest.mark.parametrize("name", NAMES)
def test_no_samples_integers_and_gradcheck(name):
    compare_with_torch(
        lambda y: getattr(jaring, name)(y, dim=1),
        lambda y: getattr(torch, name)(y, dim=1),
        [random_array((2, 0))],
    )
    ints = np.array([[1, 2, 4], [0, 3, 3]])
    got, expected = getattr(jaring, name)(jaring.tensor(ints)), getattr(torch, name)(torch.tensor(ints))
    assert got.dtype == np.float32 and np.allclose(got.numpy(), expected.numpy())
    check_gradients(lambda y: getattr(jaring, name)(y, dx=0.3, dim=0), [random_array((4, 2), seed=4)])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="There must be one `x` value for each sample point"):
        jaring.trapezoid(jaring.zeros(3), jaring.zeros(2))
    with pytest.raises(TypeError, match="pass either x or dx"):
        jaring.cumulative_trapezoid(jaring.zeros(3), jaring.zeros(3), dx=1)
    with pytest.raises(TypeError, match="bool"):
        jaring.trapezoid(jaring.tensor([True, False]))
    with pytest.raises(TypeError, match="dx must be a number"):
        jaring.trapz(jaring.zeros(3), dx=jaring.tensor(1.0))
    with pytest.raises(ValueError, match="out of range"):
        jaring.trapezoid(jaring.tensor(2.0))
