"""true_divide negative positive fix clamp_min clamp_max: the same values and gradients as torch's,
as functions and as methods, in float32 and float64, and torch's integer and boolean rules."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, broadcast_pairs, check_gradients, random_array, shapes
from tests.ops.dtype_oracle import compare_in_dtype

DTYPES = [np.float32, np.float64]
UNARY = {
    "negative": (jaring.negative, torch.negative),
    "positive": (lambda x: jaring.positive(x) * 1, lambda x: torch.positive(x) * 1),
    "fix": (jaring.fix, torch.fix),
    "clamp_min": (lambda x: jaring.clamp_min(x, -0.5), lambda x: torch.clamp_min(x, -0.5)),
    "clamp_max": (lambda x: x.clamp_max(0.5), lambda x: x.clamp_max(0.5)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("name", sorted(UNARY))
@FAST
@given(shape=shapes)
def test_unary_aliases_match_torch(name, dtype, shape):
    compare_in_dtype(*UNARY[name], [random_array(shape, seed=1, low=-3, high=3)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@FAST
@given(pair=broadcast_pairs)
def test_true_divide_matches_torch(dtype, pair):
    (sa, sb), _ = pair
    b = random_array(sb, seed=3, low=0.5, high=2)
    compare_in_dtype(jaring.true_divide, torch.true_divide, [random_array(sa, seed=2), b], dtype)


def test_gradcheck_float64():
    x = random_array((2, 3), seed=4, low=0.1, high=2) * np.array([1, -1, 1])
    for name in ("negative", "clamp_min", "clamp_max"):
        check_gradients(UNARY[name][0], [x])
    check_gradients(jaring.true_divide, [x, random_array((3,), seed=5, low=0.5, high=2)])


def test_methods_integers_and_booleans_follow_torch():
    ints, j = torch.tensor([-3, 1, 4]), jaring.tensor([-3, 1, 4])
    pairs = [
        (jaring.true_divide(j, 2), torch.true_divide(ints, 2)),
        (j.true_divide(j), ints.true_divide(ints)),
        (j.negative(), ints.negative()),
        (jaring.fix(j), torch.fix(ints)),
        (j.clamp_min(0), ints.clamp_min(0)),
        (jaring.clamp_max(j, 2), torch.clamp_max(ints, 2)),
        (jaring.positive(j), torch.positive(ints)),
    ]
    for out, expected in pairs:
        assert out.dtype == expected.numpy().dtype
        np.testing.assert_array_equal(out.numpy(), expected.numpy())
    x = jaring.tensor([1.0], requires_grad=True)
    assert x.positive() is x and jaring.positive(x) is x
    with pytest.raises(TypeError, match="bool"):
        jaring.positive(jaring.tensor([True]))


def test_clamp_min_max_edge_values():
    x = np.array([np.nan, np.inf, -np.inf, -0.5, 0.5, 0.0], dtype=np.float32)
    with np.errstate(all="ignore"):
        for name in ("clamp_min", "clamp_max"):
            compare_in_dtype(*UNARY[name], [x], np.float32)
