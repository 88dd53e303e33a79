"""einsum against PyTorch: contractions, implicit outputs, ellipses, broadcasting, diagonals."""

import pytest
import torch

import jaring
import jaring.functional as F
from hypothesis import given

from tests.oracle import FAST, broadcast_pairs, check_gradients, compare_with_torch, random_array, st

CASES = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),  # implicit output: letters used once, in order
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("i,i->", [(4,), (4,)]),
    ("i,j->ij", [(3,), (4,)]),
    ("ij->ji", [(2, 3)]),
    ("ij->i", [(2, 3)]),  # j only in the operand: its gradient is broadcast back
    ("ij->", [(2, 3)]),
    ("ii->i", [(3, 3)]),  # a diagonal
    ("ii", [(3, 3)]),  # the trace
    ("iij->j", [(2, 2, 3)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),  # ellipsis with broadcasting
    ("...i,i", [(2, 3, 4), (4,)]),
    ("b...,b->b", [(2, 3, 4), (2,)]),
    ("ij,ij->ij", [(1, 3), (2, 3)]),  # a size-1 letter broadcast against a larger one
    ("ab,bc,cd->ad", [(2, 3), (3, 4), (4, 2)]),
    ("bhqd,bhkd->bhqk", [(2, 2, 3, 4), (2, 2, 5, 4)]),  # attention scores
    ("i,i,i->i", [(3,), (3,), (3,)]),
]
BIG = ("ij,ij->ij", [(1, 3000), (2, 3000)])  # big enough for the planned (BLAS) path; torch is its oracle


@pytest.mark.parametrize(("equation", "shapes"), [*CASES, BIG])
def test_einsum_matches_torch(equation, shapes):
    inputs = [random_array(s, seed=70 + i) for i, s in enumerate(shapes)]
    compare_with_torch(
        lambda *xs: jaring.einsum(equation, *xs), lambda *xs: torch.einsum(equation, *xs), inputs
    )


@FAST
@given(pair=broadcast_pairs, sizes=st.tuples(*[st.integers(1, 4)] * 3))
def test_batched_matmul_with_broadcast_batches_matches_torch(pair, sizes):
    (batch_a, batch_b), _ = pair
    i, j, k = sizes
    inputs = [random_array(batch_a + (i, j), seed=90), random_array(batch_b + (j, k), seed=91)]
    equation = "...ij,...jk->...ik"
    compare_with_torch(lambda *xs: F.einsum(equation, *xs), lambda *xs: torch.einsum(equation, *xs), inputs)


@pytest.mark.parametrize(("equation", "shapes"), CASES[::3])
def test_gradcheck(equation, shapes):
    check_gradients(
        lambda *xs: F.einsum(equation, *xs), [random_array(s, seed=80 + i) for i, s in enumerate(shapes)]
    )


def test_operands_as_a_list_and_spaces():
    a, b = jaring.ones(2, 3), jaring.ones(3)
    assert F.einsum("ij, j -> i", [a, b]).tolist() == [3.0, 3.0]


def test_unsupported_and_bad_equations_are_named():
    with pytest.raises(ValueError, match="names 2 operands, but 1 were given"):
        F.einsum("ij,jk->ik", jaring.ones(2, 2))
    with pytest.raises(ValueError, match=r"subscripts 'ijk' do not fit an operand with 2 dims"):
        F.einsum("ijk->i", jaring.ones(2, 2))
    with pytest.raises(ValueError, match=r"holds the characters \['1'\]"):
        F.einsum("i1->i", jaring.ones(2, 2))
    with pytest.raises(ValueError, match=r"output letters \['k'\] appear in no operand"):
        F.einsum("ij->k", jaring.ones(2, 2))
    with pytest.raises(ValueError, match="letter 'i' repeats in 'ii' over dims of different sizes"):
        F.einsum("ii->i", jaring.ones(2, 3))
