"""jaring/ops/renorm.py: renorm against PyTorch, values and gradients."""

import math

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis.extra import numpy as hnp

import jaring
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array, st


@FAST
@given(
    shape=hnp.array_shapes(min_dims=2, max_dims=4, min_side=1, max_side=4),
    data=st.data(),
    p=st.sampled_from([1, 2, 3.5, math.inf]),
    maxnorm=st.sampled_from([0.0, 0.5, 2.0, 100.0]),
)
def test_renorm_matches_torch(shape, data, p, maxnorm):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    compare_with_torch(
        lambda a: jaring.renorm(a, p, dim, maxnorm),
        lambda a: torch.renorm(a, p, dim, maxnorm),
        [random_array(shape)],
    )


@pytest.mark.parametrize("p", [1.5, 2, 3])
def test_renorm_method_and_gradcheck(p):
    x = random_array((3, 4), seed=2)
    compare_with_torch(lambda a: a.renorm(p, 1, 1.0), lambda a: a.renorm(p, 1, 1.0), [x])
    check_gradients(lambda a: jaring.renorm(a, p, 0, 1.0), [x])
    slices = np.linalg.norm(jaring.renorm(jaring.tensor(x), 2, 0, 1.0).numpy(), axis=1)
    assert (slices <= 1.0 + 1e-6).all()


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="non-positive-norm not supported"):
        jaring.renorm(jaring.zeros(3, 2), 0, 0, 1)
    with pytest.raises(ValueError, match="expected maxnorm to be >= 0 but got -1"):
        jaring.renorm(jaring.zeros(3, 2), 1, 0, -1)
    with pytest.raises(TypeError, match="floating-point input"):
        jaring.renorm(jaring.tensor([[1, 2]]), 1, 0, 1)
    with pytest.raises(ValueError, match="input needs at least 2 dimensions, got 1 dimensions"):
        jaring.renorm(jaring.zeros(3), 1, 0, 1)
    with pytest.raises(ValueError, match="out of range"):
        jaring.renorm(jaring.zeros(3, 2), 1, 2, 1)
