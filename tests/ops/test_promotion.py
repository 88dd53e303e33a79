"""jaring/ops/promotion.py: result dtypes of the arithmetic ops against torch over dtype pairs."""

import itertools

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from jaring.ops.promotion import result_type

DTYPES = ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "float32", "float64"]
OPS = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div": (lambda a, b: a / b, lambda a, b: a / b),
    "pow": (lambda a, b: a**b, lambda a, b: a**b),
    "maximum": (F.maximum, torch.maximum),
}
SCALARS = [True, 2, 0.5]


def _data(dtype, shape):
    return np.asarray(np.full(shape, True if dtype == "bool" else 2, dtype=dtype))


def _torch_or_skip(fn, *args):
    """torch's result, or a skip where torch refuses the dtypes (bool - bool, bool ** bool)."""
    try:
        return fn(*args)
    except (RuntimeError, NotImplementedError) as exc:
        pytest.skip(f"torch refuses: {exc}")


@pytest.mark.parametrize("name", OPS)
@pytest.mark.parametrize("left, right", list(itertools.product(DTYPES, DTYPES)))
@pytest.mark.parametrize("shapes", [((3,), (3,)), ((3,), ()), ((), (3,)), ((), ())])
def test_tensor_pairs_promote_as_in_torch(name, left, right, shapes):
    a, b = _data(left, shapes[0]), _data(right, shapes[1])
    jaring_op, torch_op = OPS[name]
    expected = _torch_or_skip(torch_op, torch.from_numpy(a), torch.from_numpy(b))
    got = jaring_op(jaring.tensor(a, dtype=left), jaring.tensor(b, dtype=right))
    assert str(got.dtype) == str(expected.dtype).removeprefix("torch."), (left, right, shapes)
    np.testing.assert_allclose(got.numpy().astype(np.float64), expected.double().numpy(), rtol=1e-3)


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div", "pow"])
@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("scalar", SCALARS, ids=type)
@pytest.mark.parametrize("shape", [(3,), ()])
@pytest.mark.parametrize("scalar_first", [False, True])
def test_tensor_with_a_python_number_promotes_as_in_torch(name, dtype, scalar, shape, scalar_first):
    jaring_op, torch_op = OPS[name]
    data = _data(dtype, shape)
    j, t = jaring.tensor(data, dtype=dtype), torch.from_numpy(data)
    if scalar_first:
        expected, got = _torch_or_skip(torch_op, scalar, t), jaring_op(scalar, j)
    else:
        expected, got = _torch_or_skip(torch_op, t, scalar), jaring_op(j, scalar)
    assert str(got.dtype) == str(expected.dtype).removeprefix("torch."), (dtype, scalar, shape)
    np.testing.assert_allclose(got.numpy().astype(np.float64), expected.double().numpy(), rtol=1e-3)


@pytest.mark.parametrize("name", ["exp", "log", "sqrt", "sigmoid", "tanh"])
@pytest.mark.parametrize("dtype", ["bool", "uint8", "int32", "int64"])
def test_float_functions_of_integer_tensors_give_the_default_float(name, dtype):
    data = _data(dtype, (2,))
    got = getattr(F, name)(jaring.tensor(data, dtype=dtype))
    expected = getattr(torch, name)(torch.from_numpy(data))
    assert got.dtype == np.float32 and expected.dtype == torch.float32
    np.testing.assert_allclose(got.numpy(), expected.numpy(), rtol=1e-6)


def test_the_cases_reported_in_issue_13():
    ints = jaring.tensor([1, 2, 3])
    floats = jaring.tensor([1.0, 2.0, 3.0])
    assert (floats * ints).dtype == np.float32
    assert (ints / ints).dtype == np.float32
    assert (ints**0.5).dtype == np.float32
    assert (jaring.tensor(2.0) + 1.5).dtype == np.float32
    assert (ints + 1.5).dtype == np.float32
    assert (floats + jaring.tensor([1.0], dtype="float64")).dtype == np.float64
    assert (jaring.tensor([True, False]) + ints[:2]).dtype == np.int64
    assert (jaring.tensor([True]) + 1).numpy().tolist() == [2]
    assert result_type(floats, jaring.tensor(1.0, dtype="float64")) == np.float32  # 0-d ranks lower


def test_a_float64_gradient_flows_back_to_a_float32_leaf_as_float32():
    x = jaring.tensor([1.0, 2.0], requires_grad=True)
    y = jaring.tensor([3.0, 4.0], dtype="float64", requires_grad=True)
    out = x * y
    assert out.dtype == np.float64
    out.sum().backward()
    assert x.grad.dtype == np.float32 and y.grad.dtype == np.float64
    np.testing.assert_array_equal(x.grad.numpy(), [3.0, 4.0])
