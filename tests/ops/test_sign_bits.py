"""copysign signbit heaviside nextafter sgn against PyTorch: values (and copysign's gradients) in
float32 and float64, broadcasting, -0.0 and nan, integer input, methods, no gradient for steps."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import CASES, FAST, broadcast_pairs, check_gradients, random_array, shapes
from tests.ops.dtype_oracle import compare_in_dtype

DTYPES = [np.float32, np.float64]
SPECIAL = np.array([0.0, -0.0, 1.0, -2.5, np.inf, -np.inf, np.nan, -np.nan, 1e-45, -3e38])


def _same(out, expected, steps=True):
    """Equal values, signs of zero included; a step or bit op's result never requires grad."""
    assert out.dtype == expected.numpy().dtype and out.shape == tuple(expected.shape)
    assert not (steps and out.requires_grad)
    np.testing.assert_array_equal(out.numpy(), expected.numpy())
    np.testing.assert_array_equal(np.signbit(out.numpy()), np.signbit(expected.numpy()))
    CASES["torch"] += 1


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(pair=broadcast_pairs)
def test_copysign_matches_torch_with_broadcasting(dtype, pair):
    (sa, sb), _ = pair
    a, b = random_array(sa, seed=1), random_array(sb, seed=2)
    a[np.abs(a) < 0.3] = 0.0  # the gradient is 0 at a == 0, as torch
    compare_in_dtype(jaring.copysign, torch.copysign, [a, b], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_copysign_edge_values(dtype):
    a = np.concatenate([SPECIAL, SPECIAL])
    b = np.concatenate([np.full(10, -0.0), np.roll(SPECIAL, 3)])
    with np.errstate(all="ignore"):
        compare_in_dtype(jaring.copysign, torch.copysign, [a, b], dtype)


def test_copysign_gradcheck_integers_and_method():
    check_gradients(jaring.copysign, [random_array((2, 3), seed=3) + 3, random_array((3,), seed=4)])
    ints = torch.tensor([1, -2, 0])
    out = jaring.tensor([1, -2, 0]).copysign(-1)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.numpy(), torch.copysign(ints, -1).numpy())


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(shape=shapes)
def test_signbit_and_sgn_match_torch(dtype, shape):
    x = random_array(shape, seed=5).astype(dtype)
    x[np.abs(x) < 0.5] = -0.0
    for name in ("signbit", "sgn"):
        out = getattr(jaring, name)(jaring.tensor(x, requires_grad=True))
        _same(out, getattr(torch, name)(torch.tensor(x)), steps=name == "signbit")


def test_sgn_has_a_zero_gradient_as_torch():
    x = jaring.tensor([-2.0, 0.0, 3.0], requires_grad=True)
    jaring.sgn(x).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 0.0]


@pytest.mark.parametrize("data", [SPECIAL, np.array([-3, 0, 2]), np.array([True, False])])
def test_signbit_and_sgn_edge_values_integers_and_booleans(data):
    for name in ("signbit", "sgn"):
        if name == "sgn" and data.dtype == bool:
            continue
        _same(getattr(jaring, name)(jaring.tensor(data)), getattr(torch, name)(torch.tensor(data)))
        _same(getattr(jaring.tensor(data), name)(), getattr(torch, name)(torch.tensor(data)))


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int64])
@FAST
@given(pair=broadcast_pairs)
def test_heaviside_matches_torch(dtype, pair):
    (sa, sb), _ = pair
    a = np.round(random_array(sa, seed=6)).astype(dtype)  # many exact zeros
    v = random_array(sb, seed=7).astype(dtype)
    _same(
        jaring.heaviside(jaring.tensor(a), jaring.tensor(v)),
        torch.heaviside(torch.tensor(a), torch.tensor(v)),
    )


def test_heaviside_edges_method_numbers_and_dtype_check():
    values = torch.tensor([0.5])
    special = SPECIAL.astype(np.float32)
    _same(
        jaring.tensor(special).heaviside(jaring.tensor([0.5])), torch.heaviside(torch.tensor(special), values)
    )
    x = jaring.tensor([-1.0, 0.0, 1.0], requires_grad=True)
    assert jaring.heaviside(x, 0.25).tolist() == [0.0, 0.25, 1.0]
    with pytest.raises(TypeError, match="same dtype"):
        jaring.heaviside(x, jaring.tensor([0.5], dtype=jaring.float64))


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(pair=broadcast_pairs)
def test_nextafter_matches_torch(dtype, pair):
    (sa, sb), _ = pair
    a, b = random_array(sa, seed=8).astype(dtype), random_array(sb, seed=9).astype(dtype)
    _same(
        jaring.nextafter(jaring.tensor(a, requires_grad=True), jaring.tensor(b)),
        torch.nextafter(torch.tensor(a), torch.tensor(b)),
    )


def test_nextafter_edges_promotion_and_method():
    a, b = SPECIAL.astype(np.float32), np.roll(SPECIAL, 4).astype(np.float32)
    _same(jaring.tensor(a).nextafter(jaring.tensor(b)), torch.nextafter(torch.tensor(a), torch.tensor(b)))
    mixed = jaring.nextafter(jaring.tensor([1.0]), jaring.tensor([2.0], dtype=jaring.float64))
    _same(mixed, torch.nextafter(torch.tensor([1.0]), torch.tensor([2.0], dtype=torch.float64)))
