"""reciprocal float_power ldexp addcmul addcdiv: values and gradients against PyTorch in float32
and float64 with broadcasting, gradcheck, integer input and torch's dtypes, edge values, methods."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis.extra import numpy as hnp

import jaring
from tests.oracle import FAST, broadcast_pairs, check_gradients, random_array, shapes
from tests.ops.dtype_oracle import compare_in_dtype

DTYPES = [np.float32, np.float64]
triples = hnp.mutually_broadcastable_shapes(num_shapes=3, min_dims=0, max_dims=3, max_side=3)

ADDC = {
    "addcmul": (
        lambda a, b, c: jaring.addcmul(a, b, c, value=0.5),
        lambda a, b, c: torch.addcmul(a, b, c, value=0.5),
    ),
    "addcdiv": (lambda a, b, c: a.addcdiv(b, c, value=-2), lambda a, b, c: a.addcdiv(b, c, value=-2)),
    "addcmul_1": (jaring.addcmul, torch.addcmul),
}


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(shape=shapes)
def test_reciprocal_matches_torch(dtype, shape):
    x = random_array(shape, seed=1, low=0.2, high=3) * np.where(random_array(shape, seed=2) > 0, 1, -1)
    compare_in_dtype(jaring.reciprocal, torch.reciprocal, [x], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reciprocal_edge_values(dtype):
    with np.errstate(all="ignore"):
        compare_in_dtype(
            jaring.reciprocal,
            torch.reciprocal,
            [np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 1e-30])],
            dtype,
        )


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(pair=broadcast_pairs)
def test_float_power_and_ldexp_match_torch(dtype, pair):
    (sa, sb), _ = pair
    a, b = random_array(sa, seed=3, low=0.2, high=3), random_array(sb, seed=4, low=-2, high=2)
    compare_in_dtype(jaring.float_power, torch.float_power, [a, b], dtype)
    compare_in_dtype(jaring.ldexp, torch.ldexp, [a, b], dtype)


@pytest.mark.parametrize("name", sorted(ADDC))
@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(shapes3=triples)
def test_addcmul_addcdiv_match_torch_with_broadcasting(name, dtype, shapes3):
    sa, sb, sc = shapes3.input_shapes
    c = random_array(sc, seed=7, low=0.5, high=2)
    compare_in_dtype(*ADDC[name], [random_array(sa, seed=5), random_array(sb, seed=6), c], dtype)


def test_gradcheck_float64():
    a, b = random_array((2, 3), seed=8, low=0.2, high=2), random_array((3,), seed=9, low=0.5, high=2)
    check_gradients(jaring.reciprocal, [a])
    check_gradients(jaring.float_power, [a, b])
    check_gradients(jaring.ldexp, [a, b])
    for name in ADDC:
        check_gradients(ADDC[name][0], [a, b, random_array((2, 1), seed=10, low=0.5, high=2)])


def test_float_power_is_float64_and_its_gradient_keeps_the_input_dtype():
    for args in (([2, 3], 2), ([2, 3], 0.5), ([2, 3], [1, 2]), (2, [1.0, 2.0])):
        j = [jaring.tensor(a) if isinstance(a, list) else a for a in args]
        t = [torch.tensor(a) if isinstance(a, list) else a for a in args]
        out, expected = jaring.float_power(*j), torch.float_power(*t)
        assert out.dtype == np.float64
        np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-12)
    x = jaring.tensor([0.0, 2.0], requires_grad=True)
    e = jaring.tensor([0.0, 0.5], requires_grad=True)
    jaring.float_power(x, e).sum().backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_allclose(x.grad.numpy(), [0.0, 0.35355339], rtol=1e-6)
    np.testing.assert_allclose(e.grad.numpy(), [0.0, 0.98025814], rtol=1e-6)


def test_integer_inputs_take_torchs_dtypes():
    ints = torch.tensor([1, 2, 4])
    j = jaring.tensor([1, 2, 4])
    for out, expected in (
        (jaring.reciprocal(j), torch.reciprocal(ints)),
        (j.reciprocal(), ints.reciprocal()),
        (jaring.ldexp(j, j), torch.ldexp(ints, ints)),
        (j.ldexp(jaring.tensor([1.0, 0.0, -1.0])), ints.ldexp(torch.tensor([1.0, 0.0, -1.0]))),
        (jaring.addcmul(j, j, j, value=2), torch.addcmul(ints, ints, ints, value=2)),
        (jaring.addcmul(j, j, j, value=0.5), torch.addcmul(ints, ints, ints, value=0.5)),
        (jaring.addcmul(j.float(), j, j), torch.addcmul(ints.float(), ints, ints)),
        (jaring.addcdiv(j, j.float(), j), torch.addcdiv(ints, ints.float(), ints)),
        (jaring.reciprocal(jaring.tensor([0, -1])), torch.reciprocal(torch.tensor([0, -1]))),
    ):
        assert out.dtype == expected.numpy().dtype
        np.testing.assert_allclose(out.numpy(), expected.numpy(), rtol=1e-6)
    with pytest.raises(TypeError, match="integer division"):
        jaring.addcdiv(j, j, j)


def test_ldexp_gradients_reach_both_inputs_as_torchs_composition():
    x, e = jaring.tensor([2.0, 0.0], requires_grad=True), jaring.tensor([3.0, 0.0], requires_grad=True)
    jaring.ldexp(x, e).sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), [8.0, 1.0])
    np.testing.assert_allclose(e.grad.numpy(), [16 * np.log(2), 0.0], rtol=1e-6)
