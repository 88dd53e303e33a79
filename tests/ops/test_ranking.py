"""jaring/ops/ranking.py: kthvalue, mode and msort against PyTorch, values, indices and gradients."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, check_gradients, compare_with_torch, nonscalar_shapes, random_array, shapes, st


@FAST
@given(shape=nonscalar_shapes, data=st.data(), keepdim=st.booleans())
def test_kthvalue_matches_torch(shape, data, keepdim):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    k = data.draw(st.integers(1, shape[dim]))
    x = random_array(shape, seed=1)  # distinct values: the index is then the only one
    compare_with_torch(
        lambda a: tuple(jaring.kthvalue(a, k, dim, keepdim)),
        lambda a: tuple(torch.kthvalue(a, k, dim, keepdim)),
        [x],
    )


def test_kthvalue_of_0d_nan_method_default_dim_and_gradcheck():
    compare_with_torch(lambda a: tuple(a.kthvalue(1)), lambda a: tuple(a.kthvalue(1)), [random_array(())])
    compare_with_torch(
        lambda a: tuple(a.kthvalue(1, 0, True)), lambda a: tuple(a.kthvalue(1, 0, True)), [random_array(())]
    )
    x = np.array([[2.0, math.nan, 1.0], [0.5, 3.0, -1.0]], dtype=np.float32)  # NaN ranks last
    for k in (1, 2, 3):
        compare_with_torch(lambda a, k=k: tuple(a.kthvalue(k)), lambda a, k=k: tuple(a.kthvalue(k)), [x])
    result = jaring.kthvalue(jaring.tensor([5, 1, 4]), 2)
    assert type(result).__name__ == "ValuesIndices" and (result.values.item(), result.indices.item()) == (
        4,
        2,
    )
    check_gradients(lambda a: jaring.kthvalue(a, 2, dim=0).values, [random_array((3, 4), seed=2)])


@FAST
@given(shape=shapes, data=st.data(), keepdim=st.booleans())
def test_mode_matches_torch_on_repeated_values(shape, data, keepdim):
    dim = data.draw(st.integers(-max(len(shape), 1), max(len(shape), 1) - 1))
    x = np.random.default_rng(len(shape)).integers(0, 3, size=shape).astype(np.float32)
    compare_with_torch(
        lambda a: tuple(jaring.mode(a, dim, keepdim)), lambda a: tuple(torch.mode(a, dim, keepdim)), [x]
    )


def test_mode_takes_the_smallest_most_frequent_value_at_its_last_index():
    x = np.array([[3, 1, 3, 1, 2], [1, 2, 2, 1, 9], [7, 7, 7, 0, 0], [4, 5, 6, 7, 8]])
    values, indices = jaring.tensor(x).mode()
    expected = torch.tensor(x).mode()
    assert values.tolist() == expected.values.tolist() == [1, 1, 7, 4]
    assert indices.tolist() == expected.indices.tolist() == [3, 3, 2, 0]
    assert indices.dtype == np.int64
    # distinct values (each occurs once: the mode is the least); repeats are checked against torch above
    check_gradients(lambda a: jaring.mode(a, 0).values, [random_array((3, 2), seed=4)])


@pytest.mark.parametrize("shape", [(), (1,), (5,), (3, 2), (2, 3, 4)], ids=str)
def test_msort_matches_torch(shape):
    x = random_array(shape, seed=3)
    compare_with_torch(jaring.msort, torch.msort, [x])
    compare_with_torch(lambda a: a.msort(), lambda a: a.msort(), [x])
    if shape:
        check_gradients(jaring.msort, [x])


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="selected number k out of range"):
        jaring.kthvalue(jaring.zeros(3), 4)
    with pytest.raises(ValueError, match="selected number k out of range"):
        jaring.kthvalue(jaring.zeros(3), 0)
    with pytest.raises(TypeError, match="kthvalue: k must be an int"):
        jaring.kthvalue(jaring.zeros(3), 1.0)
    with pytest.raises(TypeError, match="mode: dim must be a single int"):
        jaring.mode(jaring.zeros(3), (0,))
    with pytest.raises(ValueError, match="out of range"):
        jaring.mode(jaring.zeros(3), 1)
    with pytest.raises(IndexError, match="Expected reduction dim 0 to have non-zero size"):
        jaring.mode(jaring.zeros(0))
