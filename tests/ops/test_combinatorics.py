"""jaring/ops/combinatorics.py: cartesian_prod and combinations against PyTorch, values and gradients."""

import numpy as np
import pytest
import torch

import jaring
from tests.oracle import check_gradients, compare_with_torch, random_array


@pytest.mark.parametrize("sizes", [[3], [2, 3], [1, 4], [2, 1, 3], [2, 0]], ids=str)
def test_cartesian_prod_matches_torch(sizes):
    inputs = [random_array((n,), seed=i) for i, n in enumerate(sizes)]
    compare_with_torch(jaring.cartesian_prod, torch.cartesian_prod, inputs)
    if all(sizes):
        check_gradients(jaring.cartesian_prod, inputs)


@pytest.mark.parametrize("with_replacement", [False, True])
@pytest.mark.parametrize("n, r", [(4, 2), (4, 3), (3, 1), (1, 2), (2, 3), (3, 0), (0, 2), (5, 5)])
def test_combinations_match_torch(n, r, with_replacement):
    x = random_array((n,), seed=1)
    compare_with_torch(
        lambda a: jaring.combinations(a, r, with_replacement),
        lambda a: torch.combinations(a, r, with_replacement),
        [x],
    )


def test_combinations_gradcheck_and_integers():
    check_gradients(lambda a: jaring.combinations(a, 3, with_replacement=True), [random_array((3,), seed=2)])
    got = jaring.combinations(jaring.tensor([1, 2, 3]), r=2)
    assert got.dtype == np.int64 and got.tolist() == torch.combinations(torch.tensor([1, 2, 3])).tolist()


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match=r"cartesian_prod: Expect a 1D vector, but got shape \[2, 2\]"):
        jaring.cartesian_prod(jaring.zeros(2, 2))
    with pytest.raises(ValueError, match=r"Expect a 1D vector, but got shape \[\]"):
        jaring.cartesian_prod(jaring.tensor(1.0), jaring.zeros(2))
    with pytest.raises(TypeError, match="same dtype"):
        jaring.cartesian_prod(jaring.tensor([1, 2]), jaring.tensor([1.5]))
    with pytest.raises(TypeError, match="at least one tensor"):
        jaring.cartesian_prod()
    with pytest.raises(ValueError, match="combinations: Expect a 1D vector"):
        jaring.combinations(jaring.zeros(2, 2))
    with pytest.raises(ValueError, match="Expect a non-negative number, but got -1"):
        jaring.combinations(jaring.zeros(2), -1)
