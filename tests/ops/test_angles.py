"""atan2 (arctan2) hypot deg2rad rad2deg: values and gradients against PyTorch in float32 and
float64 with broadcasting, gradcheck, integer input, methods, and the origin (0, 0)."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, broadcast_pairs, check_gradients, random_array, shapes
from tests.ops.dtype_oracle import compare_in_dtype

DTYPES = [np.float32, np.float64]
BINARY = {"atan2": (jaring.atan2, torch.atan2), "hypot": (jaring.hypot, torch.hypot)}
UNARY = {"deg2rad": (jaring.deg2rad, torch.deg2rad), "rad2deg": (jaring.rad2deg, torch.rad2deg)}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(BINARY))
@FAST
@given(pair=broadcast_pairs)
def test_binary_matches_torch_with_broadcasting(name, dtype, pair):
    (sa, sb), _ = pair
    a, b = random_array(sa, seed=1, low=-3, high=3), random_array(sb, seed=2, low=-3, high=3)
    compare_in_dtype(*BINARY[name], [a, b], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(UNARY))
@FAST
@given(shape=shapes)
def test_unary_matches_torch(name, dtype, shape):
    compare_in_dtype(*UNARY[name], [random_array(shape, seed=3, low=-400, high=400)], dtype)


@pytest.mark.parametrize("name", sorted(BINARY))
def test_binary_gradcheck_float64(name):
    check_gradients(
        BINARY[name][0], [random_array((2, 3), seed=4, low=0.2), random_array((3,), seed=5, low=0.2)]
    )


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_gradcheck_float64(name):
    check_gradients(UNARY[name][0], [random_array((2, 3), seed=6)])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(BINARY))
def test_edge_values_follow_torch(name, dtype):
    inf, nan = np.inf, np.nan
    y = np.array([0.0, -0.0, 0.0, -0.0, 1.0, inf, inf, nan, 0.0, 1e30, 1e-30])
    x = np.array([0.0, 0.0, -0.0, -0.0, 0.0, 1.0, -inf, 1.0, nan, 1e30, 1e-30])
    with np.errstate(all="ignore"):
        compare_in_dtype(*BINARY[name], [y, x], dtype)


def test_origin_gradients_are_torchs():
    for fn, expected in ((jaring.atan2, [0.0, 0.0]), (jaring.hypot, [np.nan, np.nan])):
        y, x = jaring.tensor(0.0, requires_grad=True), jaring.tensor(0.0, requires_grad=True)
        fn(y, x).backward()
        np.testing.assert_array_equal([y.grad.item(), x.grad.item()], expected)


def test_aliases_methods_integers_and_numbers():
    ints = torch.tensor([1, -2, 3])
    a = jaring.tensor([1, -2, 3])
    for name in ("atan2", "arctan2", "hypot"):
        torch_fn = getattr(torch, name) if name != "hypot" else lambda p, q: torch.hypot(p.float(), q.float())
        for out in (getattr(jaring, name)(a, a), getattr(a, name)(a)):
            assert out.dtype == np.float32
            np.testing.assert_allclose(out.numpy(), torch_fn(ints, ints).numpy(), rtol=1e-6)
    for name in UNARY:
        for out in (getattr(jaring, name)(a), getattr(a, name)()):
            assert out.dtype == np.float32
            np.testing.assert_allclose(out.numpy(), getattr(torch, name)(ints).numpy(), rtol=1e-6)
    f = jaring.tensor([1.0, 2.0])
    np.testing.assert_allclose(
        f.atan2(1.0).numpy(), torch.tensor([1.0, 2.0]).atan2(torch.tensor(1.0)).numpy()
    )
    assert jaring.hypot(jaring.tensor([3.0], dtype=jaring.float64), 4).dtype == np.float64
    with pytest.raises(ValueError, match="hypot"):
        jaring.hypot(jaring.ones(2), jaring.ones(3))
