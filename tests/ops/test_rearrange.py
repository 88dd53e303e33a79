"""flip, roll, repeat, repeat_interleave, unflatten and meshgrid against PyTorch."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, nonscalar_shapes, random_array, shapes, st


@st.composite
def shape_and_dims(draw):
    shape = draw(shapes)
    ndim = len(shape)
    if ndim == 0:
        return shape, draw(st.sampled_from([(0,), (-1,)]))
    dims = draw(
        st.lists(st.integers(-ndim, ndim - 1), min_size=1, max_size=ndim, unique_by=lambda d: d % ndim)
    )
    return shape, tuple(dims)


@FAST
@given(case=shape_and_dims())
def test_flip_matches_torch(case):
    shape, dims = case
    compare_with_torch(lambda x: x.flip(dims), lambda x: torch.flip(x, dims), [random_array(shape, seed=51)])


@FAST
@given(case=shape_and_dims(), shift=st.integers(-7, 7))
def test_roll_matches_torch(case, shift):
    shape, dims = case
    shifts = tuple(shift + i for i in range(len(dims)))
    a = random_array(shape, seed=52)
    if shape:  # torch refuses dims on a 0-d tensor; jaring rolls it into itself
        compare_with_torch(lambda x: F.roll(x, shifts, dims), lambda x: torch.roll(x, shifts, dims), [a])
    compare_with_torch(lambda x: F.roll(x, shift), lambda x: torch.roll(x, shift), [a])


@FAST
@given(shape=shapes, data=st.data())
def test_repeat_matches_torch(shape, data):
    extra = data.draw(st.integers(0, 2))
    reps = tuple(data.draw(st.integers(0, 3)) for _ in range(len(shape) + extra))
    if not reps:
        reps = (2,)
    compare_with_torch(lambda x: x.repeat(*reps), lambda x: x.repeat(*reps), [random_array(shape, seed=53)])


@FAST
@given(shape=nonscalar_shapes, data=st.data())
def test_repeat_interleave_matches_torch(shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    counts = np.array(data.draw(st.lists(st.integers(0, 3), min_size=shape[dim], max_size=shape[dim])))
    a = random_array(shape, seed=54)
    compare_with_torch(
        lambda x: F.repeat_interleave(x, jaring.tensor(counts), dim),
        lambda x: torch.repeat_interleave(x, torch.tensor(counts), dim),
        [a],
    )
    compare_with_torch(lambda x: x.repeat_interleave(2, dim), lambda x: x.repeat_interleave(2, dim), [a])
    compare_with_torch(lambda x: jaring.repeat_interleave(x, 3), lambda x: torch.repeat_interleave(x, 3), [a])


@pytest.mark.parametrize(
    ("shape", "dim", "sizes"),
    [((6,), 0, (2, 3)), ((2, 12), -1, (3, -1, 2)), ((4, 5), 0, (1, 4)), ((3,), 0, (3,))],
)
def test_unflatten_matches_torch(shape, dim, sizes):
    compare_with_torch(
        lambda x: x.unflatten(dim, sizes), lambda x: x.unflatten(dim, sizes), [random_array(shape, seed=55)]
    )


@pytest.mark.parametrize("indexing", ["ij", "xy"])
@pytest.mark.parametrize("sizes", [(3,), (2, 4), (2, 3, 4), (1, 5, 2)])
def test_meshgrid_matches_torch(indexing, sizes):
    inputs = [random_array((n,), seed=56 + i) for i, n in enumerate(sizes)]
    compare_with_torch(
        lambda *xs: jaring.meshgrid(*xs, indexing=indexing),
        lambda *xs: torch.meshgrid(*xs, indexing=indexing),
        inputs,
    )


def test_gradcheck():
    a = random_array((3, 4), seed=57)
    check_gradients(
        lambda x: F.roll(x.flip(0), (1, -2), (0, 1)) * F.repeat(x, 1, 1) * F.repeat_interleave(x, 1, 1), [a]
    )
    check_gradients(lambda x: F.repeat(x, 2, 1, 3).sum(0) * 1.5, [a])


def test_bad_arguments_are_named():
    x = jaring.zeros(2, 3)
    with pytest.raises(ValueError, match=r"flip: axis=2 .* \(allowed: from -2 to 1\)"):
        F.flip(x, 2)
    with pytest.raises(ValueError, match="repeat: sizes .* at least one entry per dim"):
        x.repeat(2)
    with pytest.raises(ValueError, match="repeat_interleave: repeats has 2 counts"):
        F.repeat_interleave(x, jaring.tensor([1, 2]), 1)
    with pytest.raises(ValueError, match="unflatten: sizes"):
        F.unflatten(x, 1, (2, 2))
    with pytest.raises(ValueError, match='meshgrid: indexing must be "ij" or "xy"'):
        F.meshgrid(jaring.zeros(2), indexing="ji")
