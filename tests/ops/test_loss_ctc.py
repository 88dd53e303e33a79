"""jaring/ops/loss_ctc.py: ctc_loss against torch.nn.functional.ctc_loss (values and log_probs
gradients for several (T, N, C, S), padded and concatenated targets, blanks other than 0, repeated
labels, impossible alignments with and without zero_infinity, every reduction, unbatched input,
float32 and float64), a float64 gradcheck through log_softmax, and the errors."""

import numpy as np
import pytest
import torch
import torch.nn.functional as TF

import jaring
import jaring.functional as F
from tests.oracle import CASES, check_gradients, random_array


def _log_probs(shape, seed, dtype=np.float32):
    return torch.tensor(random_array(shape, seed) * 2).log_softmax(-1).numpy().astype(dtype)


def _targets(n, s, classes, blank, seed):
    """Random labels in [0, classes) other than blank, a repeat in the first row."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, classes - 1, size=(n, s))
    labels = labels + (labels >= blank)
    if s >= 2:
        labels[0, 1] = labels[0, 0]
    return labels


def _compare(lp, targets, input_lengths, target_lengths, rtol=1e-5, atol=1e-5, seed=0, **kwargs):
    """ctc_loss in jaring and torch on the same data: the loss, then the gradient of a random
    weighting of it w.r.t. log_probs (nan where torch's is nan)."""
    jx = jaring.tensor(lp, requires_grad=True)
    tx = torch.tensor(lp, requires_grad=True)
    got = F.ctc_loss(jx, targets, input_lengths, target_lengths, **kwargs)
    want = TF.ctc_loss(
        tx, torch.tensor(targets), torch.tensor(input_lengths), torch.tensor(target_lengths), **kwargs
    )
    assert got.shape == tuple(want.shape) and got.dtype == lp.dtype
    np.testing.assert_allclose(got.numpy(), want.detach().numpy(), rtol=rtol, atol=atol, err_msg="forward")
    upstream = np.random.default_rng(seed).standard_normal(got.shape).astype(lp.dtype)
    with np.errstate(invalid="ignore"):  # inf losses of both signs sum to nan
        (got * jaring.tensor(upstream)).sum().backward()
    (want * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(jx.grad.numpy(), tx.grad.numpy(), rtol=rtol, atol=atol, err_msg="gradient")
    CASES["torch"] += 1
    return got


SIZES = [  # T, N, C, S, input_lengths, target_lengths
    (1, 1, 2, 1, [1], [1]),
    (5, 2, 4, 2, [5, 4], [2, 1]),
    (8, 3, 5, 3, [8, 6, 7], [3, 0, 2]),
    (12, 4, 6, 5, [12, 12, 9, 5], [5, 4, 3, 2]),
    (20, 2, 3, 8, [20, 17], [8, 6]),
]


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("blank", [0, "last"])
def test_ctc_loss_matches_torch_with_padded_targets(size, reduction, blank):
    t, n, c, s, il, tl = size
    blank = c - 1 if blank == "last" else blank
    lp = _log_probs((t, n, c), seed=t)
    _compare(lp, _targets(n, s, c, blank, seed=n), il, tl, blank=blank, reduction=reduction)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("size", SIZES[1:])
def test_ctc_loss_matches_torch_with_concatenated_targets(size, reduction):
    t, n, c, s, il, tl = size
    padded = _targets(n, s, c, 2, seed=3)
    flat = np.concatenate([row[:k] for row, k in zip(padded, tl)]).astype(np.int64)
    lp = _log_probs((t, n, c), seed=5)
    got = _compare(lp, flat, il, tl, blank=2, reduction=reduction)
    padded_loss = F.ctc_loss(jaring.tensor(lp), padded, il, tl, blank=2, reduction=reduction)
    np.testing.assert_allclose(got.numpy(), padded_loss.numpy(), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_repeated_labels_need_a_blank_between_them(dtype):
    lp = _log_probs((6, 3, 3), seed=7, dtype=dtype)
    targets = np.array([[1, 1, 1], [2, 2, 1], [1, 2, 1]])
    # [1, 1, 1] needs 5 frames, so 4 is impossible and 5 allows exactly one alignment
    _compare(lp, targets, [6, 5, 4], [3, 3, 3], reduction="none")
    got = _compare(lp, targets, [6, 4, 5], [3, 3, 3], reduction="sum")
    assert np.isfinite(got.item())


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("zero_infinity", [False, True])
def test_impossible_alignments_cost_inf_or_zero(reduction, zero_infinity):
    lp = _log_probs((4, 3, 4), seed=8)
    targets = np.array([[1, 2, 3, 1, 2], [1, 1, 1, 0, 0], [3, 2, 0, 0, 0]])
    got = _compare(lp, targets, [4, 4, 4], [5, 3, 2], reduction=reduction, zero_infinity=zero_infinity)
    if reduction == "none":
        assert (np.isinf(got.numpy()[:2]).all() != zero_infinity) and np.isfinite(got.numpy()[2])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_unbatched_input(reduction):
    lp = _log_probs((7, 5), seed=9)
    got = _compare(lp, np.array([1, 4, 4]), 6, 3, reduction=reduction, blank=0)
    assert got.shape == ()
    padded = F.ctc_loss(lp, np.array([1, 4, 4, 2]), 6, 3, reduction=reduction)  # extra labels unused
    np.testing.assert_allclose(padded.numpy(), got.numpy())


def test_float64_and_long_sequences_match_torch():
    lp = _log_probs((60, 3, 10), seed=10, dtype=np.float64)
    _compare(lp, _targets(3, 20, 10, 0, seed=11), [60, 45, 50], [20, 15, 10], rtol=1e-10, atol=1e-10)


def test_lengths_as_tensors_and_lists_and_zero_length_targets():
    lp = _log_probs((5, 2, 3), seed=12)
    _compare(lp, np.zeros((2, 0), dtype=np.int64), [5, 3], [0, 0], reduction="none")
    a = F.ctc_loss(
        jaring.tensor(lp), jaring.tensor(np.array([[1, 2], [2, 2]])), jaring.tensor([5, 4]), (2, 1)
    )
    b = F.ctc_loss(lp, [[1, 2], [2, 2]], np.array([5, 4]), [2, 1])
    np.testing.assert_allclose(a.numpy(), b.numpy())


@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_gradcheck_through_log_softmax(reduction):
    # torch's (and so jaring's) gradient is the derivative w.r.t. the logits behind a log_softmax
    targets, il, tl = np.array([[1, 1, 2], [2, 0, 0]]), [6, 4], [3, 1]

    def loss(logits):
        return F.ctc_loss(F.log_softmax(logits, axis=2), targets, il, tl, blank=0, reduction=reduction)

    check_gradients(loss, [random_array((6, 2, 3), 13)])


def test_the_gradient_vanishes_beyond_each_input_length():
    lp = jaring.tensor(_log_probs((6, 2, 3), seed=14), requires_grad=True)
    F.ctc_loss(lp, [[1, 2], [2, 1]], [6, 3], [2, 2], reduction="sum").backward()
    assert not lp.grad.numpy()[3:, 1].any() and lp.grad.numpy()[:3, 1].any()


def test_errors_are_clear():
    lp = _log_probs((5, 2, 4), seed=0)
    with pytest.raises(ValueError, match=r"\(T, N, C\)"):
        F.ctc_loss(lp[0, 0], [1], [1], [1])
    with pytest.raises(ValueError, match="reduction"):
        F.ctc_loss(lp, [[1], [2]], [5, 5], [1, 1], reduction="batchmean")
    with pytest.raises(ValueError, match="input_lengths to have value at most 5"):
        F.ctc_loss(lp, [[1], [2]], [6, 5], [1, 1])
    with pytest.raises(ValueError, match="one length per sample"):
        F.ctc_loss(lp, [[1], [2]], [5], [1, 1])
    with pytest.raises(ValueError, match=">= 0"):
        F.ctc_loss(lp, [[1], [2]], [5, 5], [1, -1])
    with pytest.raises(ValueError, match="target_lengths to have value at most 1"):
        F.ctc_loss(lp, [[1], [2]], [5, 5], [2, 1])
    with pytest.raises(ValueError, match="concatenated targets hold 2 labels"):
        F.ctc_loss(lp, [1, 2], [5, 5], [2, 1])
    with pytest.raises(ValueError, match=r"class indices in \[0, 4\)"):
        F.ctc_loss(lp, [[1], [4]], [5, 5], [1, 1])
    with pytest.raises(ValueError, match="blank"):
        F.ctc_loss(lp, [[1], [2]], [5, 5], [1, 1], blank=4)
    with pytest.raises(TypeError, match="integer class indices"):
        F.ctc_loss(lp, [[1.0], [2.0]], [5, 5], [1, 1])
    with pytest.raises(TypeError, match="input_lengths must be integers"):
        F.ctc_loss(lp, [[1], [2]], [5.0, 5.0], [1, 1])


@pytest.mark.parametrize("target_lengths", [[0, 1], [1, 0]])
def test_an_empty_input_fits_only_an_empty_target(target_lengths):
    _compare(_log_probs((4, 2, 3), seed=15), np.array([[1], [2]]), [0, 4], target_lengths, reduction="none")
