"""jaring.max / jaring.min: torch's (values, indices) with a dim, a value without, maximum with a tensor."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, compare_with_torch, random_array, shapes, st


@pytest.mark.parametrize("name", ["max", "min"])
@FAST
@given(shape=shapes, data=st.data(), keepdim=st.booleans())
def test_values_and_indices_match_torch(name, shape, data, keepdim):
    dim = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    x = random_array(shape, seed=26)  # continuous draws: no ties
    compare_with_torch(
        lambda t: getattr(jaring, name)(t, dim, keepdim).values,
        lambda t: getattr(torch, name)(t, dim, keepdim).values,
        [x],
    )
    got = getattr(jaring, name)(jaring.tensor(x), dim=dim, keepdim=keepdim)
    expected = getattr(torch, name)(torch.tensor(x), dim=dim, keepdim=keepdim)
    assert got.indices.dtype == np.int64
    np.testing.assert_array_equal(got.indices.numpy(), expected.indices.numpy())
    values, indices = got  # unpacks as torch's named tuple does
    assert values is got.values and indices is got.indices


@pytest.mark.parametrize("name", ["max", "min"])
def test_without_dim_and_with_a_tensor(name):
    x = random_array((3, 4), seed=27)
    y = random_array((4,), seed=28)
    compare_with_torch(getattr(jaring, name), getattr(torch, name), [x])
    compare_with_torch(getattr(jaring, name), getattr(torch, name), [x, y])


def test_gradient_goes_to_the_first_tie_only_as_torch():
    data = np.array([[1.0, 3.0, 3.0]], np.float32)
    compare_with_torch(lambda t: jaring.max(t, 1).values, lambda t: torch.max(t, 1).values, [data])


def test_errors_name_the_problem():
    with pytest.raises(TypeError, match="dim must be a single int"):
        jaring.max(jaring.tensor([1.0]), (0,))
    with pytest.raises(IndexError, match="is empty"):
        jaring.min(jaring.zeros(0, 2), 0)


def test_the_methods_are_torchs_max_and_min_and_amax_gives_the_values_alone():
    x = random_array((3, 4), seed=40)
    t = torch.tensor(x)
    _, predicted = jaring.tensor(x).max(1)  # the idiom of torch's tutorials
    np.testing.assert_array_equal(predicted.numpy(), t.max(1).indices.numpy())
    got = jaring.tensor(x).min(dim=0, keepdim=True)
    np.testing.assert_array_equal(got.values.numpy(), t.min(dim=0, keepdim=True).values.numpy())
    assert jaring.tensor(x).max().item() == t.max().item()
    compare_with_torch(lambda a: a.amax((0, 1), keepdim=True), lambda a: a.amax((0, 1), keepdim=True), [x])
    compare_with_torch(lambda a: jaring.amin(a, dim=1), lambda a: torch.amin(a, dim=1), [x])
    # NumPy's spelling keeps working: keepdims= is keepdim=
    assert jaring.max(jaring.tensor(x), 1, keepdims=True).values.shape == (3, 1)


@pytest.mark.parametrize("name", ["argmax", "argmin"])
@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 4), (2, 1, 3)])
def test_argmax_and_argmin_match_torch(name, shape):
    x = random_array(shape, seed=41)
    t = torch.tensor(x)
    for kwargs in ({}, {"keepdim": True}):
        got, expected = getattr(jaring, name)(jaring.tensor(x), **kwargs), getattr(torch, name)(t, **kwargs)
        assert got.dtype == np.int64 and got.shape == tuple(expected.shape)
        np.testing.assert_array_equal(got.numpy(), expected.numpy())
    for dim in range(-max(len(shape), 1), max(len(shape), 1)):
        for keepdim in (False, True):
            got = getattr(jaring.tensor(x), name)(dim=dim, keepdim=keepdim)
            expected = getattr(t, name)(dim=dim, keepdim=keepdim)
            assert got.shape == tuple(expected.shape)
            np.testing.assert_array_equal(got.numpy(), expected.numpy())


def test_argmax_picks_a_nan_and_refuses_an_empty_tensor():
    x = jaring.tensor([1.0, float("nan"), 3.0])
    assert jaring.argmax(x).item() == 1 == torch.argmax(torch.tensor(x.numpy())).item()
    with pytest.raises(IndexError, match=r"argmax: the tensor of shape \(0, 2\) is empty"):
        jaring.zeros(0, 2).argmax()
    with pytest.raises(TypeError, match="either axis= or dim="):
        jaring.argmin(x, dim=0, axis=0)
