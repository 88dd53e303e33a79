"""jaring/ops/common.py: lifting numbers to tensors, float conversion, axis arguments."""

import numpy as np
import pytest

import jaring
from jaring.ops.common import as_tensor, floating, normalize_axes, pick_axis


def test_python_numbers_take_the_dtype_of_their_partner():
    like = jaring.zeros(2, dtype=np.float64)
    assert as_tensor(1.5, like).dtype == np.float64
    assert as_tensor(2, jaring.zeros(2, dtype=np.int64)).dtype == np.int64
    assert as_tensor(0.5, jaring.zeros(2, dtype=np.int64)).dtype == np.float32  # int tensor, float number
    t = jaring.ones(2)
    assert as_tensor(t) is t


def test_floating_turns_integers_and_booleans_into_the_default_float():
    assert floating(np.array([1, 2])).dtype == np.float32
    assert floating(np.array([True])).dtype == np.float32
    x = jaring.zeros(2, dtype=np.float64)
    assert floating(x) is x


def test_axis_arguments():
    assert pick_axis([0, 1], None) == (0, 1) and pick_axis(None, 1) == 1
    with pytest.raises(TypeError, match="either axis= or dim="):
        pick_axis(0, 1)
    assert normalize_axes(None, 3) == (0, 1, 2) and normalize_axes(-1, 3) == (2,)
    with pytest.raises(ValueError, match="axis 3 is out of range"):
        normalize_axes(3, 3)
    with pytest.raises(ValueError, match="repeated axis"):
        normalize_axes((0, -3), 3)
