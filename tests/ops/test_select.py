"""Elementwise choices (clamp, maximum, minimum, where): values and gradients against PyTorch."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, away_from, broadcast_pairs, compare_with_torch, random_array, shapes


@FAST
@given(shape=shapes)
def test_clamp_matches_torch(shape):
    a = away_from(random_array(shape, seed=5), [-0.5, 1.0])
    compare_with_torch(lambda x: F.clamp(x, -0.5, 1.0), lambda x: torch.clamp(x, -0.5, 1.0), [a])
    compare_with_torch(lambda x: x.clamp(min=0.0), lambda x: x.clamp(min=0.0), [a])


@FAST
@given(pair=broadcast_pairs)
def test_where_matches_torch(pair):
    a_shape, b_shape = pair.input_shapes
    cond = random_array(pair.result_shape, seed=6) > 0
    a, b = random_array(a_shape, seed=7), random_array(b_shape, seed=8)
    compare_with_torch(F.where, torch.where, [cond, a, b])


def test_ties_split_gradient_like_torch():
    a = np.array([1.0, 2.0, 3.0], np.float32)
    b = np.array([1.0, 1.0, 4.0], np.float32)
    compare_with_torch(F.maximum, torch.maximum, [a, b])
    compare_with_torch(F.minimum, torch.minimum, [a, b])


def test_clamp_rejects_bad_bounds():
    with pytest.raises(ValueError, match="at least one"):
        F.clamp(jaring.ones(2))
    with pytest.raises(ValueError, match="larger than max"):
        F.clamp(jaring.ones(2), 1.0, 0.0)


def test_where_needs_boolean_condition():
    with pytest.raises(TypeError, match="boolean"):
        F.where(jaring.ones(2), jaring.ones(2), jaring.zeros(2))
