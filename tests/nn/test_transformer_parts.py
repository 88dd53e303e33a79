"""The transformer layers' shared pieces: activation by name, size and mask checks, the causal
mask, and the stack of copies whose dropouts get child Generators."""

import numpy as np
import pytest

import jaring
from jaring import functional as F
from jaring.nn.dropout import Dropout
from jaring.nn.linear import Linear
from jaring.nn.module import Module
from jaring.nn.transformer_parts import (
    check_mask,
    check_sizes,
    clones,
    feedforward_activation,
    square_subsequent_mask,
)


class _Block(Module):
    def __init__(self, seed=None):
        super().__init__()
        rng = None if seed is None else np.random.default_rng(seed)
        self.linear = Linear(2, 2, seed=rng)
        self.drop_a, self.drop_b = Dropout(0.5, seed=rng), Dropout(0.5, seed=rng)


def test_activation_by_name_or_callable():
    assert feedforward_activation("L", "relu") is F.relu and feedforward_activation("L", "gelu") is F.gelu
    assert feedforward_activation("L", F.tanh) is F.tanh
    with pytest.raises(ValueError, match="L: activation should be relu/gelu, not elu"):
        feedforward_activation("L", "elu")


def test_sizes_and_masks():
    check_sizes("L", 8, 2, 16)
    with pytest.raises(ValueError, match="nhead must be a positive integer"):
        check_sizes("L", 8, True, 16)
    assert check_mask("L", "m", None) is None
    assert check_mask("L", "m", jaring.tensor([True, False])) is not None
    with pytest.raises(TypeError, match="only bool and floating types of m"):
        check_mask("L", "m", np.arange(3))


def test_square_subsequent_mask():
    mask = square_subsequent_mask(3).numpy()
    np.testing.assert_array_equal(np.isinf(mask), ~np.tril(np.ones((3, 3), bool)))
    assert mask.dtype == np.float32 and (mask[np.tril_indices(3)] == 0).all()


def test_clones_copy_weights_and_give_each_copy_its_own_child_generator():
    block = _Block(seed=0)
    stack = clones(block, 3, "Stack")
    assert len(stack) == 3
    for copy in stack:
        np.testing.assert_array_equal(copy.linear.weight.numpy(), block.linear.weight.numpy())
        assert copy.drop_a._rng is copy.drop_b._rng  # shared inside one copy, as in the original
    assert len({id(copy.drop_a._rng) for copy in stack}) == 3
    draws = [copy.drop_a._rng.random() for copy in stack]
    assert len(set(draws)) == 3
    again = [copy.drop_a._rng.random() for copy in clones(_Block(seed=0), 3, "Stack")]
    assert [copy.drop_a._rng.random() for copy in clones(_Block(seed=0), 3, "Stack")] == again
    unseeded = clones(_Block(), 2, "Stack")
    assert all(copy.drop_a._rng is None for copy in unseeded)
    with pytest.raises(ValueError, match="Stack: num_layers must be a positive integer"):
        clones(block, 0, "Stack")
