"""jaring/ops/difference.py: diff against PyTorch (n, dim, prepend, append), values and gradients."""

import numpy as np
import pytest
import torch
from hypothesis import given

import jaring
from tests.oracle import FAST, check_gradients, compare_with_torch, nonscalar_shapes, random_array, st


@FAST
@given(shape=nonscalar_shapes, data=st.data())
def test_diff_matches_torch(shape, data):
    dim = data.draw(st.integers(-len(shape), len(shape) - 1))
    n = data.draw(st.integers(0, 3))
    x = random_array(shape, seed=2)
    compare_with_torch(lambda a: jaring.diff(a, n, dim), lambda a: torch.diff(a, n, dim), [x])


@pytest.mark.parametrize("n", [1, 2])
def test_prepend_and_append_match_torch_and_gradcheck(n):
    x, before, after = random_array((2, 3)), random_array((2, 1), seed=1), random_array((2, 2), seed=2)

    def jfn(a, p, q):
        return jaring.diff(a, n, 1, prepend=p, append=q)

    compare_with_torch(jfn, lambda a, p, q: torch.diff(a, n, 1, prepend=p, append=q), [x, before, after])
    compare_with_torch(
        lambda a, p: a.diff(dim=0, prepend=p), lambda a, p: a.diff(dim=0, prepend=p), [x, x[:1]]
    )
    check_gradients(jfn, [x, before, after])


def test_integers_booleans_and_numbers_as_edges():
    ints = np.array([1, 3, 6, 10])
    assert jaring.diff(jaring.tensor(ints)).tolist() == torch.diff(torch.tensor(ints)).tolist()
    flags = np.array([True, False, False, True])
    out = jaring.diff(jaring.tensor(flags))
    assert out.dtype == np.bool_ and out.tolist() == torch.diff(torch.tensor(flags)).tolist()
    assert jaring.diff(jaring.tensor([1.0, 2.0]), prepend=0.0).tolist() == [1.0, 1.0]
    assert jaring.diff(jaring.tensor([1.0, 2.0]), n=5).shape == tuple(
        torch.diff(torch.tensor([1.0, 2.0]), n=5).shape
    )


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="diff: expects input to be at least one-dimensional"):
        jaring.diff(jaring.tensor(1.0))
    with pytest.raises(ValueError, match="order must be an int >= 0"):
        jaring.diff(jaring.zeros(3), n=-1)
    with pytest.raises(ValueError, match="expects prepend to have the same number of dimensions"):
        jaring.diff(jaring.zeros(2, 3), prepend=jaring.zeros(3))
    with pytest.raises(ValueError, match="out of range"):
        jaring.diff(jaring.zeros(2, 3), dim=2)
