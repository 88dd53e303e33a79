"""scaled_dot_product_attention against PyTorch: plain, causal, bool and float masks (a fully
masked row included), custom scale, grouped-query heads; gradients; seeded dropout."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF
from hypothesis import given
from hypothesis import strategies as st

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

SHAPES = [(2, 3, 4, 5), (2, 3, 6, 5), (2, 3, 6, 7)]
MASK = np.random.default_rng(0).random((4, 6)) > 0.5
MASK[1] = False  # a query that may attend to nothing gives zeros, as in torch


@pytest.mark.parametrize(
    "mine,theirs",
    [
        ({}, {}),
        (dict(is_causal=True), dict(is_causal=True)),
        (dict(attn_mask=MASK), dict(attn_mask=torch.tensor(MASK))),
        (
            dict(attn_mask=random_array((3, 4, 6), 1), scale=0.3),
            dict(attn_mask=torch.tensor(random_array((3, 4, 6), 1)), scale=0.3),
        ),
    ],
)
def test_attention_matches_torch(mine, theirs):
    inputs = [random_array(s, i + 2) for i, s in enumerate(SHAPES)]
    compare_with_torch(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, **mine),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, **theirs),
        inputs,
    )


@FAST
@given(length=st.integers(1, 5), source=st.integers(1, 5), e=st.integers(1, 4), causal=st.booleans())
def test_random_shapes_match_torch(length, source, e, causal):
    inputs = [
        random_array((1, length, e), 5),
        random_array((1, source, e), 6),
        random_array((1, source, 3), 7),
    ]
    compare_with_torch(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=causal),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, is_causal=causal),
        inputs,
    )


def test_grouped_query_heads_match_torch():
    inputs = [random_array((2, 4, 3, 5), 8), random_array((2, 2, 6, 5), 9), random_array((2, 2, 6, 7), 10)]
    compare_with_torch(
        lambda q, k, v: F.scaled_dot_product_attention(q, k, v, enable_gqa=True),
        lambda q, k, v: TF.scaled_dot_product_attention(q, k, v, enable_gqa=True),
        inputs,
    )


def test_gradients_float64():
    inputs = [random_array((2, 3, 4), 11), random_array((2, 5, 4), 12), random_array((2, 5, 3), 13)]
    check_gradients(lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=MASK[:3, :5]), inputs)


def test_dropout_is_reproducible_with_a_seed():
    x = jaring.tensor(random_array((2, 3, 4), 14))
    first = F.scaled_dot_product_attention(x, x, x, dropout_p=0.5, seed=3).numpy()
    np.testing.assert_array_equal(
        first, F.scaled_dot_product_attention(x, x, x, dropout_p=0.5, seed=3).numpy()
    )
    assert not np.allclose(first, F.scaled_dot_product_attention(x, x, x).numpy())


def test_bad_arguments_are_named():
    q = random_array((1, 2, 4))
    with pytest.raises(ValueError, match="not both"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=np.ones((2, 2), bool), is_causal=True)
    with pytest.raises(ValueError, match=r"\(\.\.\., L, E\)"):
        F.scaled_dot_product_attention(q, random_array((1, 2, 3)), q)
    with pytest.raises(ValueError, match="does not broadcast"):
        F.scaled_dot_product_attention(q, q, q, attn_mask=np.ones((3, 3), bool))
