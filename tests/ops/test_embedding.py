"""Embedding lookup: values and gradients against torch.nn.functional.embedding, padding, bad ids."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

id_shapes = st.lists(st.integers(1, 6), min_size=0, max_size=3).map(tuple)


@FAST
@given(shape=id_shapes, vocab=st.integers(1, 9), dim=st.integers(1, 5))
def test_matches_torch_with_repeated_ids(shape, vocab, dim):
    ids = np.random.default_rng(len(shape) + vocab).integers(0, vocab, shape)
    weight = random_array((vocab, dim), seed=1)
    compare_with_torch(
        lambda w, i: F.embedding(i, w), lambda w, i: torch.nn.functional.embedding(i, w), [weight, ids]
    )


@pytest.mark.parametrize("padding_idx", [0, 3, -1])
def test_padding_row_gets_no_gradient_like_torch(padding_idx):
    ids = np.array([[0, 3, 4, 3], [4, 4, 0, 1]])
    weight = random_array((5, 3), seed=2)
    compare_with_torch(
        lambda w, i: F.embedding(i, w, padding_idx=padding_idx),
        lambda w, i: torch.nn.functional.embedding(i, w, padding_idx=padding_idx),
        [weight, ids],
    )


def test_gradient_sums_every_occurrence():
    weight = jaring.zeros(4, 2, requires_grad=True)
    out = F.embedding(np.array([1, 1, 3, 1]), weight)
    (out * jaring.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]])).sum().backward()
    np.testing.assert_array_equal(weight.grad.numpy(), [[0, 0], [11, 14], [0, 0], [5, 6]])
    assert weight.grad.dtype == np.float32


def test_gradcheck_float64():
    ids = np.array([[2, 0, 2], [1, 2, 0]])
    check_gradients(lambda w: F.embedding(ids, w) ** 2, [random_array((3, 4), seed=3)])


def test_accepts_a_tensor_of_ids():
    weight = jaring.randn(5, 2, seed=0)
    ids = jaring.tensor([[4, 0]])
    np.testing.assert_array_equal(F.embedding(ids, weight).numpy(), weight.numpy()[[[4, 0]]])


def test_bad_ids_and_weights_raise_clear_errors():
    weight = jaring.randn(5, 2, seed=0)
    with pytest.raises(IndexError, match=r"token id 5 is out of range for a vocabulary of 5.*\[0, 4\]"):
        F.embedding(np.array([1, 5]), weight)
    with pytest.raises(IndexError, match="token id -1"):
        F.embedding(np.array([-1, 2]), weight)
    with pytest.raises(TypeError, match="integers"):
        F.embedding(np.array([1.0, 2.0]), weight)
    with pytest.raises(ValueError, match=r"\(vocab_size, dim\)"):
        F.embedding(np.array([1]), jaring.randn(5, seed=0))
    with pytest.raises(ValueError, match="padding_idx 7"):
        F.embedding(np.array([1]), weight, padding_idx=7)
