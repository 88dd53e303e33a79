"""lerp: values and gradients of start, end and weight against PyTorch."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, broadcast_pairs, check_gradients, compare_with_torch, random_array


@FAST
@given(pair=broadcast_pairs)
def test_tensor_weight_matches_torch(pair):
    (sa, sb), out = pair
    start, end = random_array(sa, seed=12), random_array(sb, seed=13)
    weight = random_array(out, seed=14, low=0, high=1)
    compare_with_torch(F.lerp, torch.lerp, [start, end, weight])


@pytest.mark.parametrize("weight", [0.0, 0.3, 1.0, 2])
def test_number_weight_matches_torch(weight):
    start, end = random_array((2, 3), seed=15), random_array((3,), seed=16)
    compare_with_torch(lambda a, b: a.lerp(b, weight), lambda a, b: torch.lerp(a, b, weight), [start, end])


def test_gradcheck_and_errors():
    check_gradients(
        F.lerp, [random_array((2, 3), seed=17), random_array((3,), seed=18), random_array((2, 1), seed=19)]
    )
    assert jaring.lerp(jaring.tensor([0, 10]), jaring.tensor([10, 20]), 0.5).tolist() == [5.0, 15.0]
    with pytest.raises(TypeError, match="weight must be a number or a Tensor"):
        F.lerp(jaring.tensor([1.0]), jaring.tensor([2.0]), "half")
    assert np.float32 == F.lerp(jaring.tensor([1]), jaring.tensor([2]), 0.5).dtype
