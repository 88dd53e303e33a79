"""jaring/ops/embedding_bag.py: F.embedding_bag against torch, every mode, 1-d input with offsets
and 2-d input, padding_idx, per_sample_weights (with their gradient), include_last_offset, errors."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, random_array
from tests.ops.dtype_oracle import compare_in_dtype

DTYPES = [np.float32, np.float64]
MODES = ["sum", "mean", "max"]


def _both(ids, offsets=None, **kwargs):
    """jaring and torch calls of embedding_bag with fixed ids and offsets, the weight as input."""
    t_off = None if offsets is None else torch.tensor(offsets)
    return (
        lambda w, *p: F.embedding_bag(ids, w, offsets, per_sample_weights=p[0] if p else None, **kwargs),
        lambda w, *p: torch.nn.functional.embedding_bag(
            torch.tensor(ids), w, t_off, per_sample_weights=p[0] if p else None, **kwargs
        ),
    )


@FAST
@given(
    bags=st.lists(st.integers(0, 4), min_size=1, max_size=4),
    vocab=st.integers(1, 6),
    dim=st.integers(1, 4),
    mode=st.sampled_from(MODES),
    padded=st.booleans(),
)
def test_offsets_match_torch(bags, vocab, dim, mode, padded):
    rng = np.random.default_rng(sum(bags) + vocab)
    ids = rng.integers(0, vocab, sum(bags))
    offsets = np.concatenate([[0], np.cumsum(bags)[:-1]]).astype(np.int64)
    padding_idx = 0 if padded else None
    for dtype in DTYPES:
        ours, theirs = _both(ids, offsets, mode=mode, padding_idx=padding_idx)
        compare_in_dtype(ours, theirs, [random_array((vocab, dim), seed=dim)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape", [(1, 1), (1, 4), (3, 2), (4, 1)])
def test_two_dimensional_input_matches_torch(dtype, mode, shape):
    ids = np.random.default_rng(shape[0]).integers(0, 6, shape)
    ours, theirs = _both(ids, mode=mode)
    compare_in_dtype(ours, theirs, [random_array((6, 3), seed=4)], dtype)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize(
    "ids,offsets", [(np.array([1, 2, 4, 4, 3]), np.array([0, 2, 2])), (np.array([[1, 2], [3, 1]]), None)]
)
def test_per_sample_weights_get_gradients_like_torch(dtype, ids, offsets):
    ours, theirs = _both(ids, offsets, mode="sum")
    weights = random_array(ids.shape, seed=5)
    compare_in_dtype(ours, theirs, [random_array((5, 3), seed=6), weights], dtype)
    ours, theirs = _both(ids, offsets, mode="sum", padding_idx=4)
    compare_in_dtype(ours, theirs, [random_array((5, 3), seed=6), weights], dtype)


@pytest.mark.parametrize("mode", MODES)
def test_include_last_offset_and_empty_bags_match_torch(mode):
    ids = np.array([1, 2, 4, 3, 0])
    for offsets in (np.array([0, 2, 3, 5]), np.array([0, 0, 2, 5]), np.array([0, 5])):
        ours, theirs = _both(ids, offsets, mode=mode, include_last_offset=True)
        compare_in_dtype(ours, theirs, [random_array((5, 2), seed=7)], np.float64)
    ours, theirs = _both(ids, np.array([0, 2, 2, 5]), mode=mode)  # an empty bag in the middle
    compare_in_dtype(ours, theirs, [random_array((5, 2), seed=8)], np.float32)


@pytest.mark.parametrize("mode", ["sum", "mean"])
def test_scale_grad_by_freq_divides_by_each_ids_count_and_max_norm_matches_torch(mode):
    """As F.embedding (and torch's F.embedding) define it. torch 2.13's CPU embedding_bag divides some
    rows by another id's count (ids [2, 2, 2, 4, 4] give row 4 two thirds of its gradient), so the
    oracle here is torch's unscaled gradient divided by the counts."""
    ids, offsets = np.array([1, 1, 3, 1, 0, 3]), np.array([0, 4])
    table = random_array((5, 3), seed=9).astype(np.float64)
    ours = jaring.tensor(table, requires_grad=True)
    theirs = torch.tensor(table, requires_grad=True)
    F.embedding_bag(ids, ours, offsets, mode=mode, scale_grad_by_freq=True).sum().backward()
    torch.nn.functional.embedding_bag(
        torch.tensor(ids), theirs, torch.tensor(offsets), mode=mode
    ).sum().backward()
    counts = np.maximum(np.bincount(ids, minlength=5), 1)[:, None]
    np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy() / counts, rtol=1e-12, atol=1e-12)
    table = random_array((5, 3), seed=10, low=-3, high=3)
    mine, yours = jaring.tensor(table.copy()), torch.tensor(table.copy())
    got = F.embedding_bag(ids, mine, offsets, max_norm=1.0, mode=mode)
    want = torch.nn.functional.embedding_bag(
        torch.tensor(ids), yours, torch.tensor(offsets), max_norm=1.0, mode=mode
    )
    np.testing.assert_allclose(got.numpy(), want.numpy(), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(mine.numpy(), yours.numpy(), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("mode", MODES)
def test_gradcheck_float64(mode):
    ids, offsets = np.array([2, 0, 2, 1, 3]), np.array([0, 3, 3])
    check_gradients(
        lambda w: F.embedding_bag(ids, w, offsets, mode=mode) ** 2, [random_array((4, 3), seed=11)]
    )


def test_gradcheck_float64_per_sample_weights():
    ids = np.array([[2, 0, 2], [1, 3, 3]])
    check_gradients(
        lambda w, p: F.embedding_bag(ids, w, mode="sum", per_sample_weights=p) ** 2,
        [random_array((4, 2), seed=12), random_array((2, 3), seed=13)],
    )


def test_errors_in_torchs_words():
    w = jaring.randn(5, 3, seed=0)
    ids = np.array([1, 2, 4])
    with pytest.raises(RuntimeError, match="offsets\\[0\\] has to be 0"):
        F.embedding_bag(ids, w, np.array([1, 2]))
    with pytest.raises(NotImplementedError, match="only supported for mode='sum' \\(got mode='mean'\\)"):
        F.embedding_bag(ids, w, np.array([0]), per_sample_weights=np.ones(3, np.float32))
    with pytest.raises(ValueError, match="if input is 2D, then offsets has to be None"):
        F.embedding_bag(ids[None], w, np.array([0]))
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor but got None"):
        F.embedding_bag(ids, w)
    with pytest.raises(ValueError, match="mode has to be one of sum, mean or max"):
        F.embedding_bag(ids, w, np.array([0]), mode="min")
    with pytest.raises(IndexError, match="index 5 is out of range"):
        F.embedding_bag(np.array([5]), w, np.array([0]))
    with pytest.raises(TypeError, match="integers"):
        F.embedding_bag(np.array([1.0]), w, np.array([0]))
    with pytest.raises(NotImplementedError, match="sparse"):
        F.embedding_bag(ids, w, np.array([0]), sparse=True)
    with pytest.raises(RuntimeError, match="non-decreasing"):
        F.embedding_bag(ids, w, np.array([0, 2, 1]))
