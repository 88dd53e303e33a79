"""Tests for jaring/training/arrays.py: the arrays fit, evaluate and predict are given."""

import numpy as np
import pytest

from jaring import nn
from jaring.training.arrays import all_finite, check_arrays, model_dtype


def test_huge_but_finite_inputs_are_accepted():
    # Their sum overflows float32 to inf; the finiteness check must then look element by element.
    x = np.full((30, 4), 3e38, np.float32)
    assert all_finite(x) and not all_finite(np.append(x, np.nan))
    assert not all_finite(np.array([np.inf, -np.inf], np.float32))


def test_x_is_cast_to_the_model_dtype_and_finite_float64_beyond_float32_is_refused():
    model = nn.Linear(2, 1)
    x, y = check_arrays("fit", model, np.ones((3, 2), np.float64), None, None)
    assert x.dtype == model_dtype(model) == np.float32 and y is None
    with pytest.raises(ValueError, match="beyond the range of the model's float32"):
        check_arrays("fit", model, np.full((3, 2), 1e39), None, None)


def test_lengths_must_match_and_empty_x_is_refused():
    model = nn.Linear(2, 1)
    with pytest.raises(ValueError, match="x has 3 samples but y has 2"):
        check_arrays("fit", model, np.ones((3, 2)), np.ones(2), None)
    with pytest.raises(ValueError, match="empty"):
        check_arrays("fit", model, np.ones((0, 2)), None, None)
