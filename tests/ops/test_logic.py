"""& | ^ ~, logical_*, isnan/isinf/isfinite/isclose and any/all against PyTorch, over dtypes."""

import operator

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, broadcast_pairs, shapes, st

# the Python operator and the torch function it stands for
BITWISE = {
    "&": (operator.and_, "bitwise_and"),
    "|": (operator.or_, "bitwise_or"),
    "^": (operator.xor, "bitwise_xor"),
}
DTYPES = [bool, np.int64, np.int32, np.uint8]


def _data(shape, dtype, seed):
    values = np.random.default_rng(seed).integers(0, 4, size=shape)
    return values.astype(dtype)


@pytest.mark.parametrize("op", sorted(BITWISE))
@pytest.mark.parametrize(
    "dtypes", [(bool, bool), (np.int64, np.int64), (bool, np.int32), (np.uint8, np.int64)]
)
@FAST
@given(pair=broadcast_pairs)
def test_bitwise_operators_match_torch(op, dtypes, pair):
    (sa, sb), _ = pair
    a, b = _data(sa, dtypes[0], 1), _data(sb, dtypes[1], 2)
    apply, name = BITWISE[op]
    expected = getattr(torch, name)(torch.tensor(a), torch.tensor(b)).numpy()
    for got in (
        getattr(F, name)(jaring.tensor(a), jaring.tensor(b)),
        apply(jaring.tensor(a), jaring.tensor(b)),
    ):
        assert got.dtype == expected.dtype
        np.testing.assert_array_equal(got.numpy(), expected)


def test_invert_reflected_operators_and_float_refusal():
    mask = jaring.tensor([True, False])
    assert (~mask).tolist() == [False, True]
    assert (~jaring.tensor([0, 5])).tolist() == (~torch.tensor([0, 5])).tolist()
    assert (True & mask).tolist() == [True, False] and (3 | jaring.tensor([4])).tolist() == [7]
    with pytest.raises(TypeError, match="bitwise_and takes boolean or integer tensors, got float32"):
        jaring.tensor([1.0]) & jaring.tensor([1.0])
    with pytest.raises(TypeError, match="bitwise_not takes boolean or integer"):
        ~jaring.tensor([1.0])


@pytest.mark.parametrize("name", ["logical_and", "logical_or", "logical_xor"])
@FAST
@given(pair=broadcast_pairs, dtype=st.sampled_from([bool, np.int64, np.float32]))
def test_logical_functions_match_torch(name, pair, dtype):
    (sa, sb), _ = pair
    a, b = _data(sa, dtype, 3), _data(sb, np.float32, 4)
    expected = getattr(torch, name)(torch.tensor(a), torch.tensor(b)).numpy()
    np.testing.assert_array_equal(getattr(jaring, name)(jaring.tensor(a), jaring.tensor(b)).numpy(), expected)
    np.testing.assert_array_equal(getattr(jaring.tensor(a), name)(jaring.tensor(b)).numpy(), expected)
    assert F.logical_not(jaring.tensor(a)).tolist() == torch.logical_not(torch.tensor(a)).tolist()


@pytest.mark.parametrize("name", ["isnan", "isinf", "isfinite"])
def test_float_tests_match_torch(name):
    data = np.array([[0.0, np.nan, np.inf], [-np.inf, -1.5, 3.0]], np.float32)
    expected = getattr(torch, name)(torch.tensor(data)).numpy()
    np.testing.assert_array_equal(getattr(F, name)(jaring.tensor(data)).numpy(), expected)
    np.testing.assert_array_equal(getattr(jaring.tensor(data), name)().numpy(), expected)
    ints = torch.tensor([1, 2])
    assert getattr(jaring, name)(jaring.tensor([1, 2])).tolist() == getattr(torch, name)(ints).tolist()


def test_isclose_matches_torch():
    a = np.array([1.0, 1.0001, np.nan, 2.0], np.float32)
    b = np.array([1.0, 1.0, np.nan, 2.1], np.float32)
    for kwargs in ({}, {"rtol": 1e-3}, {"atol": 0.2}, {"equal_nan": True}):
        expected = torch.isclose(torch.tensor(a), torch.tensor(b), **kwargs).numpy()
        np.testing.assert_array_equal(
            F.isclose(jaring.tensor(a), jaring.tensor(b), **kwargs).numpy(), expected
        )
    assert jaring.tensor([1.0]).isclose(jaring.tensor([1.0])).tolist() == [True]


@pytest.mark.parametrize("name", ["any", "all"])
@FAST
@given(shape=shapes, data=st.data(), keepdims=st.booleans(), dtype=st.sampled_from(DTYPES + [np.float32]))
def test_any_all_along_an_axis_match_torch(name, shape, data, keepdims, dtype):
    x = _data(shape, dtype, 5) % 2
    dim = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    expected = getattr(torch.tensor(x), name)(dim=dim, keepdim=keepdims).numpy()
    got = getattr(jaring.tensor(x), name)(dim=dim, keepdims=keepdims)
    assert got.dtype == bool and got.shape == expected.shape
    np.testing.assert_array_equal(got.numpy(), expected)
    whole = getattr(jaring, name)(jaring.tensor(x))
    assert whole.shape == () and bool(whole) == bool(getattr(torch.tensor(x), name)())
