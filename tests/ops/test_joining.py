"""jaring/ops/joining.py: hstack, vstack and broadcast_tensors against PyTorch, values and gradients."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, broadcast_pairs, check_gradients, compare_with_torch, random_array

CASES = {
    "hstack of vectors": ("hstack", [(2,), (3,)]),
    "hstack of 0-d": ("hstack", [(), ()]),
    "hstack of a 0-d and a vector": ("hstack", [(), (2,)]),
    "hstack of matrices": ("hstack", [(2, 1), (2, 3)]),
    "hstack of 3-d": ("hstack", [(2, 1, 3), (2, 2, 3)]),
    "vstack of vectors": ("vstack", [(3,), (3,)]),
    "vstack of 0-d": ("vstack", [(), ()]),
    "vstack of a matrix and a vector": ("vstack", [(2, 3), (3,)]),
    "vstack of 3-d": ("vstack", [(1, 2, 3), (2, 2, 3)]),
    "vstack of one": ("vstack", [(1,)]),
}


@pytest.mark.parametrize("case", CASES)
def test_values_and_gradients_match_torch(case):
    name, shapes = CASES[case]
    inputs = [random_array(s, seed=i) for i, s in enumerate(shapes)]
    compare_with_torch(
        lambda *xs: getattr(jaring, name)(list(xs)), lambda *xs: getattr(torch, name)(list(xs)), inputs
    )
    check_gradients(lambda *xs: getattr(jaring, name)(list(xs)), inputs)


def test_integers_join_as_torch():
    a, b = np.array([1, 2]), np.array([3])
    out = jaring.hstack([jaring.tensor(a), jaring.tensor(b)])
    assert out.dtype == np.int64 and out.tolist() == torch.hstack([torch.tensor(a), torch.tensor(b)]).tolist()


@FAST
@given(pair=broadcast_pairs)
def test_broadcast_tensors_matches_torch(pair):
    inputs = [random_array(s, seed=i) for i, s in enumerate(pair.input_shapes)]
    compare_with_torch(jaring.broadcast_tensors, torch.broadcast_tensors, inputs)


def test_broadcast_tensors_gradcheck_and_list_form():
    inputs = [random_array((2, 1)), random_array((3,), seed=1), random_array((), seed=2)]
    check_gradients(lambda *xs: jaring.broadcast_tensors(*xs)[0] * jaring.broadcast_tensors(*xs)[2], inputs)
    a, b = jaring.broadcast_tensors([jaring.zeros(2, 1), jaring.zeros(4)])
    assert a.shape == b.shape == (2, 4)


def test_bad_arguments_are_refused():
    with pytest.raises(TypeError, match="hstack: expects a list or tuple of tensors"):
        jaring.hstack(jaring.zeros(2))
    with pytest.raises(ValueError, match="vstack: expects a non-empty list"):
        jaring.vstack([])
    with pytest.raises(ValueError, match="same shape except along axis 1"):
        jaring.hstack([jaring.zeros(2, 1), jaring.zeros(3, 1)])
    with pytest.raises(ValueError, match=r"broadcast_tensors: shapes \(2,\), \(3,\) cannot be broadcast"):
        jaring.broadcast_tensors(jaring.zeros(2), jaring.zeros(3))
