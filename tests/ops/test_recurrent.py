"""Recurrent ops: values and gradients against torch.nn.RNN / LSTM / GRU, masking, float64 gradcheck."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st
from torch.func import functional_call

import jaring
import jaring.functional as F
from tests.oracle import FAST, check_gradients, compare_with_torch, random_array

GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}


def _torch_module(kind, features, hidden):
    if kind.startswith("rnn"):
        return torch.nn.RNN(features, hidden, nonlinearity=kind[4:], batch_first=True)
    return {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind](features, hidden, batch_first=True)


def _jaring_run(kind, x, w_ih, w_hh, b_ih, b_hh, h0, c0=None, mask=None, reverse=False):
    """Every op with PyTorch's parameters; returns the outputs torch's module returns."""
    if kind == "lstm":
        hs, c = F.lstm(x, w_ih, w_hh, b_ih + b_hh, h0, c0, mask=mask, go_backwards=reverse)
        return hs, hs[:, 0 if reverse else -1], c
    if kind == "gru":
        hs = F.gru(x, w_ih, w_hh, b_ih, b_hh, h0, mask=mask, go_backwards=reverse)
    else:
        act = kind[4:]
        hs = F.simple_rnn(x, w_ih, w_hh, b_ih + b_hh, h0, mask=mask, activation=act, go_backwards=reverse)
    return hs, hs[:, 0 if reverse else -1]


def _torch_run(kind, module, x, w_ih, w_hh, b_ih, b_hh, h0, c0=None, reverse=False):
    params = {"weight_ih_l0": w_ih, "weight_hh_l0": w_hh, "bias_ih_l0": b_ih, "bias_hh_l0": b_hh}
    state = (h0[None], c0[None]) if kind == "lstm" else h0[None]
    xs = x.flip(1) if reverse else x
    out, final = functional_call(module, params, (xs, state))
    out = out.flip(1) if reverse else out
    if kind == "lstm":
        return out, final[0][0], final[1][0]
    return out, final[0]


def _inputs(kind, batch, time, features, hidden, seed=0):
    g = GATES[kind]
    scale = 1 / np.sqrt(hidden)
    arrays = [
        random_array((batch, time, features), seed),
        random_array((g * hidden, features), seed + 1, -scale, scale),
        random_array((g * hidden, hidden), seed + 2, -scale, scale),
        random_array((g * hidden,), seed + 3, -scale, scale),
        random_array((g * hidden,), seed + 4, -scale, scale),
        random_array((batch, hidden), seed + 5, -0.5, 0.5),
    ]
    if kind == "lstm":
        arrays.append(random_array((batch, hidden), seed + 6, -0.5, 0.5))
    return arrays


sizes = st.tuples(st.integers(1, 3), st.sampled_from([1, 2, 7, 20]), st.integers(1, 4), st.integers(1, 5))


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize("reverse", [False, True])
@FAST
@given(size=sizes)
def test_matches_torch(kind, reverse, size):
    batch, time, features, hidden = size
    module = _torch_module(kind, features, hidden)
    compare_with_torch(
        lambda *a: _jaring_run(kind, *a, reverse=reverse),
        lambda *a: _torch_run(kind, module, *a, reverse=reverse),
        _inputs(kind, batch, time, features, hidden),
        rtol=1e-4,
        atol=1e-5,
    )


def _lengths_and_mask(batch, time, seed):
    lengths = np.random.default_rng(seed).integers(1, time + 1, batch)
    lengths[0] = time  # one full sequence, so the padded batch keeps its length
    return lengths, np.arange(time)[None, :] < lengths[:, None]


@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("seed", [0, 1])
def test_right_padding_matches_torch_packed_sequences(kind, reverse, seed):
    """torch packs the real steps; jaring masks the padding: real outputs and final states agree."""
    batch, time, features, hidden = 4, 9, 3, 5
    lengths, mask = _lengths_and_mask(batch, time, seed)
    arrays = _inputs(kind, batch, time, features, hidden, seed)
    arrays[0][~mask] = 7.0  # garbage in the padding must not matter
    module = _torch_module(kind, features, hidden)
    rng = np.random.default_rng(seed + 10)
    up_out = rng.standard_normal((batch, time, hidden)).astype(np.float32) * mask[:, :, None]
    up_final = rng.standard_normal((batch, hidden)).astype(np.float32)

    jx = [jaring.tensor(a, requires_grad=True) for a in arrays]
    outs = _jaring_run(kind, *jx, mask=mask, reverse=reverse)
    j_loss = (outs[0] * jaring.tensor(up_out)).sum() + (outs[1] * jaring.tensor(up_final)).sum()
    j_loss.backward()

    tx = [torch.tensor(a, requires_grad=True) for a in arrays]
    xs = tx[0]
    if reverse:  # reverse only the real steps of each sequence, as torch's bidirectional does
        index = torch.tensor([[(n - 1 - t) if t < n else t for t in range(time)] for n in lengths])
        xs = torch.gather(xs, 1, index[:, :, None].expand(-1, -1, features))
    packed = torch.nn.utils.rnn.pack_padded_sequence(xs, torch.tensor(lengths), True, enforce_sorted=False)
    params = {"weight_ih_l0": tx[1], "weight_hh_l0": tx[2], "bias_ih_l0": tx[3], "bias_hh_l0": tx[4]}
    state = (tx[5][None], tx[6][None]) if kind == "lstm" else tx[5][None]
    out, final = functional_call(module, params, (packed, state))
    out = torch.nn.utils.rnn.pad_packed_sequence(out, True, total_length=time)[0]
    if reverse:
        out = torch.gather(out, 1, index[:, :, None].expand(-1, -1, hidden))
    final_h = final[0][0] if kind == "lstm" else final[0]
    t_loss = (out * torch.tensor(up_out)).sum() + (final_h * torch.tensor(up_final)).sum()
    t_loss.backward()

    np.testing.assert_allclose(outs[0].numpy() * mask[:, :, None], out.detach().numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(outs[1].numpy(), final_h.detach().numpy(), rtol=1e-4, atol=1e-5)
    for i, (j, t) in enumerate(zip(jx, tx)):
        np.testing.assert_allclose(j.grad.numpy(), t.grad.numpy(), rtol=1e-4, atol=1e-5, err_msg=f"input {i}")


@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize("reverse", [False, True])
def test_masked_steps_anywhere_equal_dropping_them(kind, reverse):
    """Keras semantics: a masked step (leading, trailing or in between) leaves the state unchanged."""
    time, features, hidden = 8, 3, 4
    arrays = _inputs(kind, 1, time, features, hidden, seed=3)
    mask = np.array([[False, True, True, False, True, False, True, False]])
    weights = [jaring.tensor(a) for a in arrays[1:]]
    masked = _jaring_run(kind, jaring.tensor(arrays[0]), *weights, mask=mask, reverse=reverse)
    dropped = _jaring_run(kind, jaring.tensor(arrays[0][:, mask[0]]), *weights, reverse=reverse)
    for a, b in zip(masked[1:], dropped[1:]):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)
    real = masked[0].numpy()[:, mask[0]]
    np.testing.assert_allclose(real, dropped[0].numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize("reverse", [False, True])
def test_gradcheck_float64(kind, reverse):
    arrays = _inputs(kind, 2, 3, 2, 2, seed=4)
    mask = np.array([[True, True, True], [False, True, False]])
    check_gradients(lambda *a: _jaring_run(kind, *a, mask=mask, reverse=reverse)[0], arrays)
    if kind == "lstm":  # the final cell state carries its own gradient
        check_gradients(lambda *a: _jaring_run(kind, *a, mask=mask, reverse=reverse)[2], arrays)


def test_sigmoid_and_linear_activations_pass_gradcheck():
    arrays = _inputs("rnn_tanh", 2, 3, 2, 3, seed=5)
    for activation in ("sigmoid", "linear"):
        check_gradients(
            lambda x, wi, wh, b, h0, act=activation: F.simple_rnn(x, wi, wh, b, h0, activation=act),
            [arrays[0], arrays[1], arrays[2], arrays[3], arrays[5]],
        )


def test_float32_stays_float32_and_defaults_are_zero_states():
    x = jaring.randn(2, 3, 4, seed=0)
    w_ih, w_hh = jaring.randn(16, 4, seed=1), jaring.randn(16, 4, seed=2)
    hs, c = F.lstm(x, w_ih, w_hh)
    assert hs.dtype == np.float32 and c.dtype == np.float32
    explicit, _ = F.lstm(x, w_ih, w_hh, jaring.zeros(16), jaring.zeros(2, 4), jaring.zeros(2, 4))
    np.testing.assert_array_equal(hs.numpy(), explicit.numpy())


def test_bad_inputs_raise_clear_errors():
    x = jaring.randn(2, 3, 4, seed=0)
    w_ih, w_hh = jaring.randn(16, 4, seed=1), jaring.randn(16, 4, seed=2)
    with pytest.raises(ValueError, match=r"5 features.*\(16, 5\).*\(16, 4\)"):
        F.lstm(jaring.randn(2, 3, 5, seed=0), w_ih, w_hh)
    with pytest.raises(ValueError, match=r"\(batch, time, features\).*\(3, 4\)"):
        F.gru(jaring.randn(3, 4, seed=0), w_ih[:12], w_hh[:12])
    with pytest.raises(ValueError, match=r"weight_hh.*\(4 \* hidden, hidden\)"):
        F.lstm(x, w_ih, w_hh[:, :3])
    with pytest.raises(ValueError, match=r"mask.*\(2, 3\).*\(3, 2\)"):
        F.lstm(x, w_ih, w_hh, mask=np.ones((3, 2), bool))
    with pytest.raises(ValueError, match=r"h0.*\(2, 4\).*\(1, 4\)"):
        F.lstm(x, w_ih, w_hh, h0=jaring.zeros(1, 4))
    with pytest.raises(ValueError, match=r"bias_hh.*\(12,\)"):
        F.gru(x, w_ih[:12], w_hh[:12], bias_hh=jaring.zeros(16))
    with pytest.raises(ValueError, match=r"unknown activation 'softmax'.*tanh"):
        F.simple_rnn(x, w_ih[:4], w_hh[:4], activation="softmax")
    with pytest.raises(TypeError, match="floating point"):
        F.simple_rnn(jaring.tensor(np.ones((2, 3, 4), np.int64)), w_ih[:4], w_hh[:4])


def _final_only(kind, x, w_ih, w_hh, b_ih, b_hh, h0, c0=None, mask=None, reverse=False):
    """The ops with return_sequences=False: (final h,) or (final h, final c)."""
    if kind == "lstm":
        return F.lstm(x, w_ih, w_hh, b_ih + b_hh, h0, c0, mask, reverse, return_sequences=False)
    if kind == "gru":
        return (F.gru(x, w_ih, w_hh, b_ih, b_hh, h0, mask, reverse, return_sequences=False),)
    act = kind[4:]
    return (F.simple_rnn(x, w_ih, w_hh, b_ih + b_hh, h0, mask, act, reverse, return_sequences=False),)


@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize("reverse", [False, True])
def test_final_state_only_equals_the_last_step(kind, reverse):
    """return_sequences=False takes a faster backward; it must agree with slicing every step."""
    arrays = _inputs(kind, 3, 6, 2, 4, seed=6)
    mask = np.ones((3, 6), bool)
    mask[1, 4:] = mask[2, :2] = False
    compare_with_torch(
        lambda *a: _final_only(kind, *a, mask=mask, reverse=reverse),
        lambda *a: _torch_final_on_unmasked(kind, mask, reverse, *a),
        arrays,
        rtol=1e-4,
        atol=1e-5,
    )
    check_gradients(lambda *a: _final_only(kind, *a, mask=mask, reverse=reverse)[-1], arrays)


def _torch_final_on_unmasked(kind, mask, reverse, x, *params):
    """torch on each sequence with its masked steps removed, one sequence at a time."""
    module = _torch_module(kind, x.shape[2], params[1].shape[1])
    finals = []
    for b in range(x.shape[0]):
        keep = torch.from_numpy(np.flatnonzero(mask[b]))
        state = [p[b : b + 1] for p in params[4:]]
        outs = _torch_run(kind, module, x[b : b + 1, keep], *params[:4], *state, reverse=reverse)
        finals.append(outs[1:])
    return tuple(torch.cat(parts) for parts in zip(*finals))


def test_pooled_buffers_are_not_reused_while_still_referenced():
    """Big arrays are recycled between calls; outputs and saved contexts must keep their own."""
    x1, x2 = jaring.randn(16, 40, 8, seed=0), jaring.randn(16, 40, 8, seed=1)
    w_ih = jaring.tensor(random_array((64, 8), 2, -0.3, 0.3), requires_grad=True)
    w_hh = jaring.tensor(random_array((64, 16), 3, -0.3, 0.3), requires_grad=True)
    hs1, _ = F.lstm(x1, w_ih, w_hh)
    before = hs1.numpy().copy()
    loss1 = (hs1 * hs1).sum()
    F.lstm(x2, w_ih, w_hh)[0].sum().backward()  # same shapes: the pool is asked for the same sizes
    np.testing.assert_array_equal(hs1.numpy(), before)
    w_ih.grad = None
    loss1.backward(retain_graph=True)
    first = w_ih.grad.numpy().copy()
    F.lstm(x2, w_ih, w_hh)[0].sum().backward()  # runs between the two backwards of loss1
    w_ih.grad = None
    loss1.backward()
    np.testing.assert_array_equal(w_ih.grad.numpy(), first)


@pytest.mark.parametrize("kind", sorted(GATES))
@pytest.mark.parametrize("mode", ["numba", "numpy"])
@pytest.mark.parametrize("batch,hidden", [(1, 4), (3, 1), (1, 1)])
def test_final_state_of_one_sequence_or_unit_backpropagates_a_sum(kind, mode, batch, hidden):
    # with one sequence or one unit the final state's gradient is already contiguous when
    # transposed: the backward must copy it before updating it in place, because the gradient
    # of a sum is a read-only broadcast (and another op's gradient must not change)
    arrays = _inputs(kind, batch, 5, 2, hidden, seed=7)
    with jaring.kernels.use(mode):
        tensors = [jaring.tensor(a, requires_grad=True) for a in arrays]
        sum(out.sum() for out in _final_only(kind, *tensors)).backward()
    expected = [torch.tensor(a, requires_grad=True) for a in arrays]
    module = _torch_module(kind, 2, hidden)
    sum(out.sum() for out in _torch_run(kind, module, *expected)[1:]).backward()
    for got, want in zip(tensors, expected):
        np.testing.assert_allclose(got.grad.numpy(), want.grad.numpy(), rtol=1e-4, atol=1e-5)
