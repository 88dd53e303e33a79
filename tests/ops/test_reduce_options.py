"""torch's extra reduction keywords against torch 2.13: `dtype=` (cast first, gradients through the
cast), var/std's `unbiased=`, and where's one-argument form."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from tests.oracle import compare_with_torch, random_array

X = random_array((3, 4, 5), seed=3)


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("unbiased", [True, False])
@pytest.mark.parametrize("dim", [None, 0, 1, (0, 2), -1])
@pytest.mark.parametrize("keepdim", [False, True])
def test_unbiased_matches_torch(name, unbiased, dim, keepdim):
    compare_with_torch(
        lambda x: getattr(jaring, name)(x, dim=dim, keepdim=keepdim, unbiased=unbiased),
        lambda x: getattr(torch, name)(x, dim=dim, keepdim=keepdim, unbiased=unbiased),
        [X],
    )
    compare_with_torch(
        lambda x: getattr(x, name)(dim=dim, keepdim=keepdim, unbiased=unbiased),
        lambda x: getattr(x, name)(dim=dim, keepdim=keepdim, unbiased=unbiased),
        [X],
    )


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("unbiased", [True, False])
def test_unbiased_positional_alone(name, unbiased):
    compare_with_torch(lambda x: getattr(x, name)(unbiased), lambda x: getattr(x, name)(unbiased), [X])
    compare_with_torch(
        lambda x: getattr(jaring, name)(x, unbiased), lambda x: getattr(torch, name)(x, unbiased), [X]
    )


@pytest.mark.parametrize("name", ["var_mean", "std_mean"])
@pytest.mark.parametrize("unbiased", [True, False])
@pytest.mark.parametrize("dim", [None, 1])
def test_var_mean_std_mean_unbiased(name, unbiased, dim):
    compare_with_torch(
        lambda x: getattr(jaring, name)(x, dim=dim, unbiased=unbiased, keepdim=True),
        lambda x: getattr(torch, name)(x, dim=dim, unbiased=unbiased, keepdim=True),
        [X],
    )


@pytest.mark.parametrize("name", ["var", "std", "var_mean", "std_mean"])
def test_unbiased_with_correction_is_refused(name):
    x = jaring.tensor(X)
    with pytest.raises(TypeError):
        getattr(torch, name)(torch.tensor(X), unbiased=False, correction=0)
    with pytest.raises(TypeError, match="not both"):
        getattr(jaring, name)(x, unbiased=False, correction=0)
    with pytest.raises(TypeError, match="unbiased must be a bool"):
        getattr(jaring, name)(x, unbiased=1)


def test_correction_still_works():
    x = jaring.tensor(X)
    np.testing.assert_allclose(
        x.var(correction=0).item(), torch.tensor(X).var(correction=0).item(), rtol=1e-6
    )
    np.testing.assert_allclose(
        jaring.std(x, dim=1, correction=2).numpy(),
        torch.std(torch.tensor(X), dim=1, correction=2).numpy(),
        rtol=1e-5,
    )


INTS = np.arange(-5, 7, dtype=np.int32).reshape(3, 4)


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("sum", {}),
        ("sum", {"dim": 1}),
        ("prod", {"dim": 0}),
        ("cumsum", {"dim": 1}),
        ("cumprod", {"dim": 0}),
        ("nansum", {"dim": 1}),
    ],
)
@pytest.mark.parametrize("dtype", ["int64", "float64", "float32"])
def test_dtype_on_integer_input(name, kwargs, dtype):
    got = getattr(jaring, name)(jaring.tensor(INTS), dtype=getattr(jaring, dtype), **kwargs)
    expected = getattr(torch, name)(torch.tensor(INTS), dtype=getattr(torch, dtype), **kwargs)
    assert got.dtype == np.dtype(dtype)
    assert str(expected.dtype) == f"torch.{dtype}"
    np.testing.assert_allclose(got.numpy(), expected.numpy())


@pytest.mark.parametrize(
    ("name", "kwargs"),
    [
        ("sum", {"dim": (0, 2)}),
        ("mean", {}),
        ("mean", {"dim": 1, "keepdim": True}),
        ("prod", {"dim": 2}),
        ("cumsum", {"dim": 1}),
        ("cumprod", {"dim": -1}),
        ("nansum", {"dim": 0}),
        ("nanmean", {"dim": 2}),
        ("softmax", {"dim": 1}),
        ("log_softmax", {"dim": -1}),
    ],
)
@pytest.mark.parametrize("method", [False, True])
def test_dtype_float32_to_float64_values_and_gradients(name, kwargs, method):
    x = X.astype(np.float32)

    def call(module):
        def fn(t):
            if method:
                return getattr(t, name)(dtype=module.float64, **kwargs)
            return getattr(module, name)(t, dtype=module.float64, **kwargs)

        return fn

    compare_with_torch(call(jaring), call(torch), [x], rtol=1e-6, atol=1e-7)
    out = call(jaring)(jaring.tensor(x, requires_grad=True))
    assert out.dtype == np.float64


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
def test_functional_softmax_dtype(name):
    x = X.astype(np.float32)
    compare_with_torch(
        lambda t: getattr(F, name)(t, dim=1, dtype=jaring.float64),
        lambda t: getattr(torch.nn.functional, name)(t, dim=1, dtype=torch.float64),
        [x],
    )


def test_gradient_comes_back_in_the_input_dtype():
    x = jaring.tensor(X.astype(np.float32), requires_grad=True)
    jaring.mean(x, dtype=jaring.float64).backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.numpy(), np.full(X.shape, 1 / X.size, np.float32), rtol=1e-6)


def test_mean_of_ints_with_a_float_dtype():
    got = jaring.mean(jaring.tensor(INTS), dtype=jaring.float64)
    expected = torch.mean(torch.tensor(INTS), dtype=torch.float64)
    assert got.dtype == np.float64 and got.item() == pytest.approx(expected.item())


@pytest.mark.parametrize(
    "values", [[[0, 1], [2, 0]], [0.0, 3.0, 0.0, -1.0], [[[True, False]], [[False, True]]], 5]
)
def test_where_with_the_condition_alone_is_nonzero_as_tuple(values):
    got = jaring.where(jaring.tensor(values))
    expected = torch.where(torch.tensor(values))
    assert isinstance(got, tuple) and len(got) == len(expected)
    for g, e in zip(got, expected):
        assert g.dtype == np.int64
        assert g.tolist() == e.tolist()


def test_where_with_two_arguments_is_an_error():
    with pytest.raises(TypeError, match="condition alone"):
        jaring.where(jaring.tensor([True]), jaring.tensor([1.0]))


def test_where_three_arguments_unchanged():
    x = jaring.tensor([1.0, -2.0, 3.0])
    assert jaring.where(x > 0, x, 0.0).tolist() == [1.0, 0.0, 3.0]
