"""Elementwise arithmetic: values and gradients against PyTorch, gradcheck in float64."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import (
    FAST,
    away_from,
    broadcast_pairs,
    check_gradients,
    compare_with_torch,
    random_array,
    shapes,
)

BINARY = {
    "add": (F.add, torch.add),
    "sub": (F.sub, torch.sub),
    "mul": (F.mul, torch.mul),
    "maximum": (F.maximum, torch.maximum),
    "minimum": (F.minimum, torch.minimum),
}


@pytest.mark.parametrize("name", sorted(BINARY))
@FAST
@given(pair=broadcast_pairs)
def test_binary_broadcasting_matches_torch(name, pair):
    jfn, tfn = BINARY[name]
    a_shape, b_shape = pair.input_shapes
    a, b = random_array(a_shape, seed=1), random_array(b_shape, seed=2)
    compare_with_torch(jfn, tfn, [a, b])


@FAST
@given(pair=broadcast_pairs)
def test_div_matches_torch(pair):
    a = random_array(pair.input_shapes[0], seed=1)
    b = away_from(random_array(pair.input_shapes[1], seed=2), [0.0], margin=0.5)
    compare_with_torch(F.div, torch.div, [a, b])


@FAST
@given(pair=broadcast_pairs)
def test_pow_tensor_exponent_matches_torch(pair):
    a = random_array(pair.input_shapes[0], seed=1, low=0.5, high=2.0)
    b = random_array(pair.input_shapes[1], seed=2)
    compare_with_torch(F.pow, torch.pow, [a, b], rtol=1e-4)


@pytest.mark.parametrize("exponent", [2, 3, 0.5, -1, 0, 1.5])
@FAST
@given(shape=shapes)
def test_pow_scalar_matches_torch(exponent, shape):
    a = random_array(shape, seed=3, low=0.5, high=2.0)
    compare_with_torch(lambda x: x**exponent, lambda x: x**exponent, [a], rtol=1e-4)


UNARY = {
    "neg": (F.neg, torch.neg, -2, 2),
    "exp": (F.exp, torch.exp, -2, 2),
    "log": (F.log, torch.log, 0.1, 3),
    "sqrt": (F.sqrt, torch.sqrt, 0.1, 3),
    "abs": (F.abs, torch.abs, -2, 2),
}


@pytest.mark.parametrize("name", sorted(UNARY))
@FAST
@given(shape=shapes)
def test_unary_matches_torch(name, shape):
    jfn, tfn, low, high = UNARY[name]
    a = away_from(random_array(shape, seed=4, low=low, high=high), [0.0])
    compare_with_torch(jfn, tfn, [a])


def test_python_scalars_keep_float32_and_reflected_ops_work():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = 2 - x * 3 + 1 / x + 2**x
    assert y.dtype == np.float32
    y.sum().backward()
    expected = -3 - 1 / np.array([1.0, 4.0]) + np.log(2) * 2 ** np.array([1.0, 2.0])
    np.testing.assert_allclose(x.grad.numpy(), expected, rtol=1e-6)


def test_numpy_array_on_the_left_defers_to_tensor():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = np.array([3.0, 4.0], np.float32) * x
    assert isinstance(y, jaring.Tensor)
    y.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [3.0, 4.0])


def test_cast_passes_gradient_back_in_input_dtype():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = x.double() * 2
    assert y.dtype == np.float64
    y.sum().backward()
    assert x.grad.dtype == np.float32


@pytest.mark.parametrize(
    "fn",
    [
        lambda a, b: a * b + a / b,
        lambda a, b: (a - b) ** 2,
        lambda a, b: F.pow(a.abs() + 1, b),
        lambda a, b: F.exp(a) * F.log(b.abs() + 1) + F.sqrt(a * a + 1),
        lambda a, b: F.maximum(a, b) - F.minimum(a, b),
        lambda a, b: F.where(a > b, a * 2, b * 3),
        lambda a, b: F.clamp(a, -0.5, 0.5) * b,
    ],
)
def test_gradcheck_float64(fn):
    a = away_from(random_array((2, 3), seed=9).astype(np.float64), [-0.5, 0.5, 0.0])
    b = random_array((3,), seed=10, low=0.5, high=2.0).astype(np.float64)
    check_gradients(fn, [a, b])


@pytest.mark.parametrize("fn", [F.add, F.sub, F.mul, F.div, F.maximum, F.minimum, F.pow])
def test_incompatible_shapes_name_both(fn):
    a, b = jaring.ones(2, 3), jaring.ones(4)
    with pytest.raises(ValueError, match=r"\(2, 3\).*\(4,\)"):
        fn(a, b)


def test_tensor_power_gradient_at_zero_to_the_zero_is_zero_as_in_torch():
    base = np.array([0.0, 0.0, 2.0, 0.0], np.float32)
    exponent = np.array([0.0, 2.0, 0.0, 1.0], np.float32)
    compare_with_torch(lambda a, b: a**b, lambda a, b: a**b, [base, exponent])
