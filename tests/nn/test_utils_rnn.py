"""jaring/nn/utils_rnn.py (jaring.nn.utils.rnn): pad_sequence and unpad_sequence against
torch.nn.utils.rnn, values and gradients back to each sequence (the PackedSequence family:
tests/nn/test_utils_rnn_packed.py)."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

import jaring
from jaring.nn.utils.rnn import pad_sequence, unpad_sequence
from tests.oracle import CASES, FAST, check_gradients, random_array
from tests.ops.dtype_oracle import TOLERANCE, WORST

lengths_lists = st.lists(st.integers(1, 5), min_size=1, max_size=4)
trailing = st.sampled_from([(), (1,), (3,), (2, 1)])


def _compare(lengths, tail, dtype, **kwargs):
    """pad_sequence in jaring and torch on the same data: the output and every sequence's gradient."""
    arrays = [random_array((n, *tail), seed=i).astype(dtype) for i, n in enumerate(lengths)]
    ours = [jaring.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out = pad_sequence(ours, **kwargs)
    want = torch.nn.utils.rnn.pad_sequence(theirs, **kwargs)
    assert out.shape == tuple(want.shape) and out.dtype == want.detach().numpy().dtype
    np.testing.assert_array_equal(out.numpy(), want.detach().numpy())
    upstream = np.random.default_rng(3).standard_normal(out.shape).astype(dtype)
    out.backward(upstream)
    want.backward(torch.tensor(upstream))
    worst = 0.0
    for j, t in zip(ours, theirs):
        np.testing.assert_allclose(
            j.grad.numpy(), t.grad.numpy(), rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype]
        )
        worst = max(worst, float(np.abs(j.grad.numpy() - t.grad.numpy()).max()))
    CASES["torch"] += 1
    WORST[dtype] = max(WORST[dtype], worst)


@FAST
@given(
    lengths=lengths_lists, tail=trailing, batch_first=st.booleans(), side=st.sampled_from(["right", "left"])
)
def test_pad_sequence_matches_torch(lengths, tail, batch_first, side):
    for dtype in (np.float32, np.float64):
        _compare(lengths, tail, dtype, batch_first=batch_first, padding_side=side, padding_value=-1.5)


def test_pad_sequence_batch_of_one_and_equal_lengths():
    _compare([4], (2,), np.float32, batch_first=True)
    _compare([1], (), np.float64)
    _compare([3, 3, 3], (1,), np.float32, padding_side="left")


def test_pad_sequence_gradcheck_float64():
    a, b = random_array((3, 2), seed=1), random_array((1, 2), seed=2)
    check_gradients(lambda x, y: pad_sequence([x, y], batch_first=True, padding_side="left") ** 2, [a, b])


def test_pad_sequence_accepts_a_tensor_and_integer_sequences():
    ids = pad_sequence([jaring.tensor([3, 1, 2]), jaring.tensor([7])], batch_first=True)
    want = torch.nn.utils.rnn.pad_sequence([torch.tensor([3, 1, 2]), torch.tensor([7])], batch_first=True)
    np.testing.assert_array_equal(ids.numpy(), want.numpy())
    stacked = random_array((2, 3))
    np.testing.assert_array_equal(
        pad_sequence(jaring.tensor(stacked)).numpy(),
        torch.nn.utils.rnn.pad_sequence(torch.tensor(stacked)).numpy(),
    )


@pytest.mark.parametrize("batch_first", [False, True])
def test_unpad_sequence_matches_torch_and_passes_gradients(batch_first):
    arrays = [random_array((n, 2), seed=n) for n in (3, 1, 2)]
    padded = torch.nn.utils.rnn.pad_sequence([torch.tensor(a) for a in arrays], batch_first=batch_first)
    lengths = torch.tensor([3, 1, 2])
    want = torch.nn.utils.rnn.unpad_sequence(
        padded.clone(), lengths, batch_first=batch_first
    )  # it transposes in place
    ours = jaring.tensor(padded.numpy(), requires_grad=True)
    got = unpad_sequence(ours, jaring.tensor([3, 1, 2]), batch_first=batch_first)
    assert len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g.numpy(), w.numpy())
    sum((g * g).sum() for g in got).backward()
    mask = np.zeros(padded.shape[:2], bool)
    for i, n in enumerate([3, 1, 2]):
        mask[(i, slice(0, n)) if batch_first else (slice(0, n), i)] = True
    np.testing.assert_allclose(ours.grad.numpy(), 2 * padded.numpy() * mask[..., None])
    CASES["torch"] += 1


def test_round_trip_unpad_of_pad():
    seqs = [jaring.tensor(random_array((n, 3), seed=n)) for n in (2, 5, 1)]
    back = unpad_sequence(pad_sequence(seqs), [2, 5, 1])
    for s, b in zip(seqs, back):
        np.testing.assert_array_equal(s.numpy(), b.numpy())


def test_errors_in_torchs_words():
    with pytest.raises(RuntimeError, match="empty list"):
        pad_sequence([])
    with pytest.raises(ValueError, match="padding_side"):
        pad_sequence([jaring.ones(2)], padding_side="middle")
    with pytest.raises(ValueError, match="trailing shape"):
        pad_sequence([jaring.ones(2, 3), jaring.ones(2, 4)])
    with pytest.raises(TypeError, match="list or tuple"):
        pad_sequence(5)
    with pytest.raises(ValueError, match="3 lengths for a batch of 2"):
        unpad_sequence(jaring.ones(4, 2), [1, 2, 3])
    with pytest.raises(ValueError, match=r"lengths must lie in \[0, 4\]"):
        unpad_sequence(jaring.ones(4, 2), [1, 5])
