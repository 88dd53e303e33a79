"""jaring/nn/utils_rnn_packed.py and the packed half of jaring.nn.utils.rnn against torch 2's
torch.nn.utils.rnn: PackedSequence fields, pack/pad round trips (batch_first, enforce_sorted,
total_length, padding_value, trailing shapes) with the gradients back to the padded input, and
torch-style nn.RNN, nn.LSTM and nn.GRU on packed input (torch's state_dict loaded into jaring):
packed outputs, h_n / c_n, and the gradients of the input, h_0 / c_0 and every parameter."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from jaring.nn.utils.rnn import (
    PackedSequence,
    invert_permutation,
    pack_padded_sequence,
    pack_sequence,
    pad_packed_sequence,
    unpack_sequence,
)

TU = torch.nn.utils.rnn
TOL = {np.float32: dict(rtol=1e-4, atol=1e-5), np.float64: dict(rtol=1e-10, atol=1e-12)}
LENGTHS = {"sorted": [5, 4, 4, 2, 1], "unsorted": [2, 5, 1, 4, 4], "equal": [3, 3, 3], "one": [4]}


def _same(ours, theirs, tol=TOL[np.float32], what=""):
    if theirs is None:
        assert ours is None, what
        return
    theirs = theirs.detach().numpy()
    assert tuple(ours.shape) == theirs.shape, what
    np.testing.assert_allclose(ours.numpy(), theirs, **tol, err_msg=what)


def _same_packed(ours, theirs, tol=TOL[np.float32]):
    assert isinstance(ours, PackedSequence)
    for field, a, b in zip(theirs._fields, ours, theirs):
        _same(a, b, tol, what=field)
        if b is not None:
            assert a.dtype == b.detach().numpy().dtype, field


def _padded(lengths, tail, batch_first, seed=0):
    time, batch = max(lengths), len(lengths)
    shape = (batch, time + 1, *tail) if batch_first else (time + 1, batch, *tail)
    x = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    return jaring.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)


@pytest.mark.parametrize("lengths", LENGTHS.values(), ids=LENGTHS.keys())
@pytest.mark.parametrize("batch_first", [False, True])
@pytest.mark.parametrize("tail", [(), (3,), (2, 1)])
def test_pack_then_pad_is_torchs_with_gradients(lengths, batch_first, tail):
    enforce_sorted = lengths == sorted(lengths, reverse=True)
    for enforce in sorted({enforce_sorted, False}):
        jx, tx = _padded(lengths, tail, batch_first)
        jp = pack_padded_sequence(jx, lengths, batch_first=batch_first, enforce_sorted=enforce)
        tp = TU.pack_padded_sequence(
            tx, torch.tensor(lengths), batch_first=batch_first, enforce_sorted=enforce
        )
        _same_packed(jp, tp)
        for total, value in ((None, 0.0), (max(lengths) + 2, -1.5)):
            jy, jl = pad_packed_sequence(jp, batch_first, padding_value=value, total_length=total)
            ty, tl = TU.pad_packed_sequence(tp, batch_first, padding_value=value, total_length=total)
            _same(jy, ty), _same(jl, tl)
            assert jl.dtype == np.int64
        up = np.random.default_rng(1).standard_normal(tuple(ty.shape)).astype(np.float32)
        (jy * jaring.tensor(up)).sum().backward()
        (ty * torch.tensor(up)).sum().backward()
        _same(jx.grad, tx.grad, what="gradient of the padded input")


@pytest.mark.parametrize("enforce_sorted", [True, False])
def test_pack_sequence_and_unpack_sequence_are_torchs(enforce_sorted):
    rng = np.random.default_rng(2)
    lengths = [4, 3, 1] if enforce_sorted else [1, 4, 3, 4]
    arrays = [rng.standard_normal((n, 2)).astype(np.float32) for n in lengths]
    js = [jaring.tensor(a, requires_grad=True) for a in arrays]
    ts = [torch.tensor(a, requires_grad=True) for a in arrays]
    jp, tp = pack_sequence(js, enforce_sorted), TU.pack_sequence(ts, enforce_sorted)
    _same_packed(jp, tp)
    up = rng.standard_normal(tuple(tp.data.shape)).astype(np.float32)
    (jp.data * jaring.tensor(up)).sum().backward()
    (tp.data * torch.tensor(up)).sum().backward()
    for j, t in zip(js, ts):
        _same(j.grad, t.grad)
    for j, t in zip(unpack_sequence(jp), TU.unpack_sequence(tp)):
        _same(j, t)


def test_packed_sequence_is_a_named_tuple_with_torchs_constructor():
    data, sizes = jaring.tensor([1.0, 2.0, 3.0]), jaring.tensor([2, 1])
    by_hand = PackedSequence(data, sizes, jaring.tensor([1, 0]))
    theirs = TU.PackedSequence(torch.tensor([1.0, 2.0, 3.0]), torch.tensor([2, 1]), torch.tensor([1, 0]))
    _same_packed(by_hand, theirs)
    assert by_hand.unsorted_indices.tolist() == [1, 0]
    d, b, s, u = PackedSequence((data, sizes))
    assert d is data and b is sizes and s is None and u is None
    assert repr(by_hand).startswith("PackedSequence(data=tensor(")
    assert by_hand.float() is by_hand and not by_hand.is_cuda
    double = by_hand.double()
    assert double.data.dtype == np.float64 and double.batch_sizes is sizes
    assert double.sorted_indices.tolist() == [1, 0]
    assert (
        invert_permutation(jaring.tensor([2, 0, 1])).tolist() == [1, 2, 0]
        and invert_permutation(None) is None
    )


def test_jaring_as_torch_spelling():
    torch_like = jaring
    packed = torch_like.nn.utils.rnn.pack_padded_sequence(
        jaring.ones(2, 3, 4), torch_like.tensor([3, 1]), batch_first=True
    )
    out, h_n = torch_like.nn.GRU(4, 5, batch_first=True, seed=0)(packed)
    padded, lengths = torch_like.nn.utils.rnn.pad_packed_sequence(out, batch_first=True)
    assert padded.shape == (2, 3, 5) and lengths.tolist() == [3, 1] and h_n.shape == (1, 2, 5)
    np.testing.assert_array_equal(padded.numpy()[1, 1:], 0.0)
    np.testing.assert_array_equal(h_n.numpy()[0, 1], padded.numpy()[1, 0])


KINDS = {
    "rnn_tanh": (nn.RNN, torch.nn.RNN, {}),
    "rnn_relu": (nn.RNN, torch.nn.RNN, {"nonlinearity": "relu"}),
    "lstm": (nn.LSTM, torch.nn.LSTM, {}),
    "gru": (nn.GRU, torch.nn.GRU, {}),
}


def _layer_case(kind, num_layers, bidirectional, batch_first, enforce_sorted, given, dtype=np.float32):
    ours, theirs, extra = KINDS[kind]
    config = dict(num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first, **extra)
    torch.manual_seed(0)
    torch_rnn = theirs(3, 4, **config).to(torch.float64 if dtype == np.float64 else torch.float32)
    rnn = ours(3, 4, seed=1, dtype=dtype, **config)
    rnn.load_state_dict({k: v.detach().numpy() for k, v in torch_rnn.state_dict().items()})
    lengths = [5, 4, 2, 2, 1] if enforce_sorted else [2, 5, 1, 4, 2]
    rng = np.random.default_rng(3)
    x = rng.standard_normal((5, 6, 3) if batch_first else (6, 5, 3)).astype(
        dtype
    )  # one step past the longest
    states = [rng.uniform(-1, 1, (num_layers * (1 + bidirectional), 5, 4)).astype(dtype) for _ in range(2)]
    states = states[: (2 if kind == "lstm" else 1) if given else 0]
    jl = [jaring.tensor(a, requires_grad=True) for a in [x, *states]]
    tl = [torch.tensor(a, requires_grad=True) for a in [x, *states]]

    def call(module, leaves, pack, lens):
        packed = pack(leaves[0], lens, batch_first=batch_first, enforce_sorted=enforce_sorted)
        hx = None if not given else (tuple(leaves[1:]) if kind == "lstm" else leaves[1])
        out, final = module(packed, hx)
        return [out, *(final if kind == "lstm" else (final,))]

    jouts = call(rnn, jl, pack_padded_sequence, lengths)
    touts = call(torch_rnn, tl, TU.pack_padded_sequence, torch.tensor(lengths))
    _same_packed(jouts[0], touts[0], TOL[dtype])
    for j, t in zip(jouts[1:], touts[1:]):
        _same(j, t, TOL[dtype], what="final state")
    ups = [rng.standard_normal(tuple(t.shape)).astype(dtype) for t in [touts[0].data, *touts[1:]]]
    sum((j * jaring.tensor(u)).sum() for j, u in zip([jouts[0].data, *jouts[1:]], ups)).backward()
    sum((t * torch.tensor(u)).sum() for t, u in zip([touts[0].data, *touts[1:]], ups)).backward()
    for k, (j, t) in enumerate(zip(jl, tl)):
        _same(j.grad, t.grad, TOL[dtype], what=f"gradient of leaf {k}")
    params = dict(rnn.named_parameters())
    for name, p in torch_rnn.named_parameters():
        _same(params[name].grad, p.grad, TOL[dtype], what=f"gradient of {name}")


@pytest.mark.parametrize("kind", ["rnn_tanh", "lstm", "gru"])
@pytest.mark.parametrize("num_layers", [1, 2])
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("batch_first", [False, True])
def test_layers_on_packed_input_are_torchs(kind, num_layers, bidirectional, batch_first):
    for enforce_sorted, given in ((False, False), (True, True)):
        _layer_case(kind, num_layers, bidirectional, batch_first, enforce_sorted, given)


@pytest.mark.parametrize("kind", ["rnn_relu", "lstm"])
def test_layers_on_packed_input_float64_unsorted_with_states(kind):
    _layer_case(kind, 2, True, True, False, True, dtype=np.float64)


@pytest.mark.parametrize(
    "call,error,message",
    [
        (
            lambda: pack_padded_sequence(jaring.ones(4, 3), [2, 4, 1]),
            RuntimeError,
            "sorted in decreasing order",
        ),
        (lambda: pack_padded_sequence(jaring.ones(4, 3), [4, 2, 0]), RuntimeError, "greater than 0"),
        (lambda: pack_padded_sequence(jaring.ones(4, 3), [5, 2, 1]), RuntimeError, "at most the input's 4"),
        (lambda: pack_padded_sequence(jaring.ones(4, 3), [4, 2]), RuntimeError, r"got 2 \(batch_size=3\)"),
        (lambda: pack_padded_sequence(jaring.ones(4, 3), [[4, 2, 1]]), RuntimeError, "1D CPU int64"),
        (lambda: pack_padded_sequence(jaring.ones(4, 3), [4, 2.5, 1]), TypeError, "whole numbers"),
        (lambda: pack_padded_sequence(jaring.ones(0, 3), [1, 1, 1]), RuntimeError, "Cannot pack empty"),
        (lambda: pack_padded_sequence(jaring.ones(4), [4]), ValueError, "at least 2-d"),
        (lambda: pad_packed_sequence(jaring.ones(3)), TypeError, "expected a PackedSequence"),
        (
            lambda: pad_packed_sequence(pack_sequence([jaring.ones(3)]), total_length=2),
            ValueError,
            "total_length=2 and max sequence length being 3",
        ),
        (lambda: PackedSequence(jaring.ones(3), [2, 2]), ValueError, "sum to data's first size"),
        (lambda: PackedSequence(jaring.ones(3)), TypeError, "the pair"),
        (lambda: nn.GRU(4, 5)(pack_sequence([jaring.ones(2, 3)])), ValueError, "Expected 4, got 3"),
        (lambda: nn.RNN(1, 5)(pack_sequence([jaring.ones(2, 3, 1)])), ValueError, "must have 2 dimensions"),
        (
            lambda: nn.LSTM(3, 5)(pack_sequence([jaring.ones(2, 3)]), (jaring.zeros(1, 2, 5),) * 2),
            ValueError,
            r"Expected hidden\[0\] size \(1, 1, 5\)",
        ),
    ],
)
def test_errors_in_torchs_words(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_lengths_may_be_an_integer_tensor_of_any_width():
    x = jaring.ones(3, 2, 1)
    for lengths in (jaring.tensor(np.array([3, 1], np.int32)), jaring.tensor([3.0, 1.0]), np.array([3, 1])):
        assert pack_padded_sequence(x, lengths).batch_sizes.tolist() == [2, 1, 1]
