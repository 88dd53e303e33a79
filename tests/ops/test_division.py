"""fmod, remainder (%) and floor_divide (//): values and gradients against PyTorch, int dtypes."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, broadcast_pairs, check_gradients, compare_with_torch, random_array

OPS = {
    "fmod": (F.fmod, torch.fmod),
    "remainder": (F.remainder, torch.remainder),
    "%": (lambda a, b: a % b, lambda a, b: a % b),
}


def _divisors(shape, seed):
    b = random_array(shape, seed=seed, low=0.5, high=3)
    return np.where(random_array(shape, seed=seed + 1) > 0, b, -b).astype(np.float32)


@pytest.mark.parametrize("name", sorted(OPS))
@FAST
@given(pair=broadcast_pairs)
def test_matches_torch_with_broadcasting(name, pair):
    (sa, sb), _ = pair
    a, b = random_array(sa, seed=10, low=-6, high=6), _divisors(sb, 11)
    # Off the jumps: a / b must not sit on a whole number.
    ratio = a / np.broadcast_to(b, np.broadcast_shapes(sa, sb))
    if np.any(np.abs(ratio - np.round(ratio)) < 1e-3):
        return
    compare_with_torch(*OPS[name], [a, b], rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("name", ["fmod", "remainder"])
def test_gradcheck_float64(name):
    a = np.array([[2.3, -4.1, 5.7]], dtype=np.float64)
    b = np.array([[1.3], [-2.2]], dtype=np.float64)
    check_gradients(getattr(F, name), [a, b])


def test_floor_divide_matches_torch_and_gives_zero_gradient():
    a, b = np.array([7.0, -7.0, 7.5], np.float32), np.array([2.0, 2.0, -2.0], np.float32)
    out = F.floor_divide(jaring.tensor(a), jaring.tensor(b))
    np.testing.assert_array_equal(out.numpy(), torch.floor_divide(torch.tensor(a), torch.tensor(b)).numpy())
    x = jaring.tensor(a, requires_grad=True)
    (x // 2).sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros(3))


@pytest.mark.parametrize("name", ["fmod", "remainder", "floor_divide"])
def test_integers_follow_torch(name):
    a, b = np.array([7, -7, 5]), np.array([2, 3, -3])
    got = getattr(F, name)(jaring.tensor(a), jaring.tensor(b))
    expected = getattr(torch, name)(torch.tensor(a), torch.tensor(b))
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got.numpy(), expected.numpy())
    with pytest.raises(ZeroDivisionError, match=f"{name}: integer division by zero"):
        getattr(F, name)(jaring.tensor(a), 0)


def test_operators_and_reflected_forms():
    x = jaring.tensor([5, -3])
    assert (x % 2).tolist() == [1, 1] and (x // 2).tolist() == [2, -2]
    assert (7 % x).tolist() == (7 % torch.tensor([5, -3])).tolist()
    assert (7 // x).tolist() == (7 // torch.tensor([5, -3])).tolist()
    with pytest.raises(TypeError, match="not defined for boolean"):
        F.fmod(jaring.tensor([True]), jaring.tensor([True]))
