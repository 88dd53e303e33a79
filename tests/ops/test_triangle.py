"""tril, triu, diag and diagonal against PyTorch, over batches, offsets and any pair of dims."""

import pytest
import torch
from hypothesis import given

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array, st

matrices = st.lists(st.integers(1, 4), min_size=2, max_size=4).map(tuple)


@FAST
@given(shape=matrices, k=st.integers(-4, 4))
def test_tril_triu_match_torch(shape, k):
    a = random_array(shape, seed=61)
    compare_with_torch(lambda x: F.tril(x, k), lambda x: torch.tril(x, k), [a])
    compare_with_torch(lambda x: x.triu(k), lambda x: x.triu(k), [a])


@FAST
@given(shape=matrices, k=st.integers(-4, 4), data=st.data())
def test_diagonal_matches_torch(shape, k, data):
    ndim = len(shape)
    dim1 = data.draw(st.integers(-ndim, ndim - 1))
    dim2 = data.draw(st.integers(-ndim, ndim - 1).filter(lambda d: d % ndim != dim1 % ndim))
    compare_with_torch(
        lambda x: x.diagonal(k, dim1, dim2),
        lambda x: x.diagonal(k, dim1, dim2),
        [random_array(shape, seed=62)],
    )


@pytest.mark.parametrize("shape", [(4,), (1,), (3, 3), (2, 5), (5, 2)])
@pytest.mark.parametrize("k", [-2, 0, 1])
def test_diag_matches_torch(shape, k):
    compare_with_torch(
        lambda x: jaring.diag(x, k), lambda x: torch.diag(x, k), [random_array(shape, seed=63)]
    )


def test_gradcheck():
    check_gradients(lambda x: F.tril(x, -1) + F.triu(x, 1) * 2, [random_array((2, 3, 3), seed=64)])
    check_gradients(lambda x: F.diag(F.diagonal(x, 1)), [random_array((3, 4), seed=65)])


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="tril: x must have at least 2 dims"):
        F.tril(jaring.zeros(3))
    with pytest.raises(ValueError, match="diag: x must be 1-D or 2-D"):
        F.diag(jaring.zeros(2, 2, 2))
    with pytest.raises(ValueError, match="diagonal: dim1 and dim2 must differ"):
        F.diagonal(jaring.zeros(2, 2), 0, 1, -1)
