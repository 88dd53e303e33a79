"""Activations: values and gradients against PyTorch, gradcheck in float64, extreme inputs, errors."""

import math
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given

import jaring
import jaring.functional as F
from jaring.ops.activation import erfc_array
from tests.oracle import FAST, away_from, check_gradients, compare_with_torch, random_array, shapes

ELEMENTWISE = {
    "relu": (F.relu, torch.relu),
    "leaky_relu": (F.leaky_relu, TF.leaky_relu),
    "leaky_relu_0.2": (lambda x: F.leaky_relu(x, 0.2), lambda x: TF.leaky_relu(x, 0.2)),
    "elu": (F.elu, TF.elu),
    "elu_0.5": (lambda x: F.elu(x, alpha=0.5), lambda x: TF.elu(x, alpha=0.5)),
    "sigmoid": (F.sigmoid, torch.sigmoid),
    "tanh": (F.tanh, torch.tanh),
    "silu": (F.silu, TF.silu),
    "swish": (F.swish, TF.silu),
    "gelu": (F.gelu, TF.gelu),
    "gelu_tanh": (lambda x: F.gelu(x, approximate="tanh"), lambda x: TF.gelu(x, approximate="tanh")),
    "softplus": (F.softplus, TF.softplus),
    "softplus_beta2": (lambda x: F.softplus(x, 2.0, 3.0), lambda x: TF.softplus(x, 2.0, 3.0)),
}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@FAST
@given(shape=shapes)
def test_elementwise_matches_torch(name, shape):
    jfn, tfn = ELEMENTWISE[name]
    # Off the kinks at 0 (relu family) and at the softplus threshold (beta * x = 3).
    x = away_from(random_array(shape, seed=11, low=-4, high=4), [0.0, 1.5])
    compare_with_torch(jfn, tfn, [x])


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
def test_elementwise_gradcheck_float64(name):
    x = away_from(random_array((3, 4), seed=12, low=-3, high=3).astype(np.float64), [0.0, 1.5])
    check_gradients(ELEMENTWISE[name][0], [x])


@pytest.mark.parametrize("slope", [0.0, 1.0, 1.5, -0.5])
def test_leaky_relu_with_unusual_slopes_matches_torch(slope):
    x = away_from(random_array((4, 5), seed=18, low=-3, high=3), [0.0])
    compare_with_torch(lambda t: F.leaky_relu(t, slope), lambda t: TF.leaky_relu(t, slope), [x])


def _fns(name):
    if name in ELEMENTWISE:
        return ELEMENTWISE[name]
    return getattr(F, name), lambda t: getattr(TF, name)(t, dim=-1)


EXTREME = np.array([[-1000.0, -100.0, -20.0, 0.0, 20.0, 100.0, 1000.0]], np.float32)


@pytest.mark.parametrize("name", sorted(ELEMENTWISE) + ["softmax", "log_softmax"])
def test_extreme_inputs_stay_finite_without_warnings_and_match_torch(name):
    jfn, tfn = _fns(name)
    x = jaring.tensor(EXTREME, requires_grad=True)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = jfn(x)
        (out * jaring.tensor(np.arange(1.0, 8.0, dtype=np.float32))).sum().backward()
    assert np.isfinite(out.numpy()).all() and np.isfinite(x.grad.numpy()).all()
    tx = torch.tensor(EXTREME, requires_grad=True)
    tout = tfn(tx)
    (tout * torch.arange(1.0, 8.0)).sum().backward()
    np.testing.assert_allclose(out.numpy(), tout.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(x.grad.numpy(), tx.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_sigmoid_keeps_relative_precision_in_the_far_tail():
    got = F.sigmoid(jaring.tensor([-80.0, -30.0], dtype=np.float64)).numpy()
    np.testing.assert_allclose(got, np.exp([-80.0, -30.0]) / (1 + np.exp([-80.0, -30.0])), rtol=1e-14)


def test_erfc_matches_math_erfc_to_float_precision():
    y = np.concatenate([np.linspace(-7, 7, 14001), [0.0, 0.84375, -0.84375, 1.25, -1.25, 1 / 0.35, 27.0]])
    expected = np.array([math.erfc(v) for v in y])
    got64 = erfc_array(y)
    assert got64.dtype == np.float64
    np.testing.assert_allclose(got64, expected, rtol=1e-13, atol=1e-300)
    y32 = y.astype(np.float32)
    got32 = erfc_array(y32)
    assert got32.dtype == np.float32
    expected32 = np.array([math.erfc(v) for v in y32.astype(np.float64)])
    np.testing.assert_allclose(got32, expected32, rtol=5e-6, atol=1e-37)
    special = erfc_array(np.array([np.nan, np.inf, -np.inf, 1e300]))
    assert np.isnan(special[0]) and list(special[1:]) == [0.0, 2.0, 0.0]


def test_exact_gelu_is_accurate_in_float64_across_the_range():
    x = np.linspace(-12, 12, 4801)
    got = F.gelu(jaring.tensor(x)).numpy()
    # torch computes 1 + erf, which loses the far left tail; the reference here keeps it.
    np.testing.assert_allclose(got, TF.gelu(torch.tensor(x)).numpy(), rtol=1e-13, atol=1e-15)
    expected = np.array([v * 0.5 * math.erfc(-v / math.sqrt(2)) for v in x])
    np.testing.assert_allclose(got, expected, rtol=1e-13, atol=1e-300)


def test_binary_step_values_and_zero_gradient():
    x = jaring.tensor([-2.0, -0.0, 0.0, 0.5], requires_grad=True)
    y = F.binary_step(x)
    np.testing.assert_array_equal(y.numpy(), [0, 1, 1, 1])
    assert y.dtype == np.float32
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), np.zeros(4))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("name", sorted(ELEMENTWISE) + ["softmax", "log_softmax", "binary_step"])
def test_output_keeps_float_dtype(name, dtype):
    fn = ELEMENTWISE[name][0] if name in ELEMENTWISE else getattr(F, name)
    assert fn(jaring.tensor(random_array((2, 3), seed=17), dtype=dtype)).dtype == dtype


def test_integer_input_becomes_default_float():
    out = F.sigmoid(jaring.tensor([0, 1, 2]))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.numpy(), 1 / (1 + np.exp(-np.array([0.0, 1.0, 2.0]))), rtol=1e-6)
    assert F.relu([-1, 2]).dtype == np.float32


def test_bad_arguments_raise_clear_errors():
    x = jaring.ones(2, 3)
    with pytest.raises(ValueError, match="'none' or 'tanh'"):
        F.gelu(x, approximate="fast")
    with pytest.raises(ValueError, match=r"softmax: axis=2 is out of range.*\(allowed: from -2 to 1\)"):
        F.softmax(x, axis=2)
    with pytest.raises(TypeError, match="either axis= or dim="):
        F.log_softmax(x, axis=0, dim=1)
    with pytest.raises(TypeError, match=r"softmax: axis must be an int, got \(0, 1\)"):
        F.softmax(x, axis=(0, 1))
    with pytest.raises(ValueError, match="beta must be positive"):
        F.softplus(x, beta=0)
    with pytest.raises(TypeError, match="negative_slope must be a number"):
        F.leaky_relu(x, "0.1")
    with pytest.raises(TypeError, match="alpha must be a number"):
        F.elu(x, alpha=None)
