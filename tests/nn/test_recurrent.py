"""Recurrent layers: stacks of SimpleRNN / LSTM / GRU, uni- and bidirectional, against torch.nn."""

import numpy as np
import pytest
import torch

import jaring
import jaring.functional as F
from jaring import nn
from jaring.nn.embedding import with_mask

LAYERS = {
    "rnn": (nn.SimpleRNN, torch.nn.RNN),
    "lstm": (nn.LSTM, torch.nn.LSTM),
    "gru": (nn.GRU, torch.nn.GRU),
}
FEATURES, HIDDEN, BATCH = 3, 4, 3


def _stack(kind, depth, bidirectional, return_sequences, seed=0):
    """A jaring Sequential stack and the torch module with the same weights (set after jaring's run)."""
    cls, torch_cls = LAYERS[kind]
    layers = []
    for k in range(depth):
        cell = cls(HIDDEN, return_sequences=return_sequences or k < depth - 1, seed=seed + k)
        layers.append(nn.Bidirectional(cell) if bidirectional else cell)
    torch_model = torch_cls(FEATURES, HIDDEN, depth, batch_first=True, bidirectional=bidirectional)
    return nn.Sequential(*layers), torch_model


def _pairs(jmodel, tmodel, kind, bidirectional):
    """(jaring parameter, torch parameter) pairs, with jaring's values copied into torch."""
    pairs = []
    for k, layer in enumerate(jmodel):
        directions = (
            [(layer.forward_layer, ""), (layer.backward_layer, "_reverse")]
            if bidirectional
            else [(layer, "")]
        )
        for cell, suffix in directions:

            def get(name, k=k, suffix=suffix):
                return getattr(tmodel, f"{name}_l{k}{suffix}")

            pairs += [(cell.weight_ih, get("weight_ih")), (cell.weight_hh, get("weight_hh"))]
            if kind == "gru":
                pairs += [(cell.bias_ih, get("bias_ih")), (cell.bias_hh, get("bias_hh"))]
            else:
                pairs.append((cell.bias, get("bias_ih")))
                with torch.no_grad():
                    get("bias_hh").zero_()
    with torch.no_grad():
        for j, t in pairs:
            t.copy_(torch.from_numpy(j.numpy()))
    return pairs


def _torch_outputs(tmodel, kind, x, lengths, bidirectional, return_sequences):
    if lengths is None:
        out, final = tmodel(x)
    else:
        packed = torch.nn.utils.rnn.pack_padded_sequence(x, torch.tensor(lengths), True, enforce_sorted=False)
        out, final = tmodel(packed)
        out = torch.nn.utils.rnn.pad_packed_sequence(out, True, total_length=x.shape[1])[0]
    if return_sequences:
        return out
    h = final[0] if kind == "lstm" else final
    return torch.cat([h[-2], h[-1]], dim=-1) if bidirectional else h[-1]


def _check_grads(pairs, rtol=2e-4, atol=2e-5):
    for i, (j, t) in enumerate(pairs):
        np.testing.assert_allclose(
            j.grad.numpy(), t.grad.numpy(), rtol=rtol, atol=atol, err_msg=f"parameter {i}"
        )


CASES = [(1, 1), (2, 7), (3, 20)]  # (stacked layers, time steps)


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(LAYERS))
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("depth,time", CASES)
def test_stack_matches_torch(kind, bidirectional, return_sequences, depth, time):
    jmodel, tmodel = _stack(kind, depth, bidirectional, return_sequences)
    x = np.random.default_rng(depth).standard_normal((BATCH, time, FEATURES)).astype(np.float32)
    jx, tx = jaring.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    jout = jmodel(jx)
    pairs = _pairs(jmodel, tmodel, kind, bidirectional)
    tout = _torch_outputs(tmodel, kind, tx, None, bidirectional, return_sequences)
    np.testing.assert_allclose(jout.numpy(), tout.detach().numpy(), rtol=1e-4, atol=1e-5)
    upstream = np.random.default_rng(9).standard_normal(jout.shape).astype(np.float32)
    (jout * jaring.tensor(upstream)).sum().backward()
    (tout * torch.tensor(upstream)).sum().backward()
    np.testing.assert_allclose(jx.grad.numpy(), tx.grad.numpy(), rtol=2e-4, atol=2e-5)
    _check_grads(pairs)


@pytest.mark.parametrize("kind", sorted(LAYERS))
@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("return_sequences", [False, True])
@pytest.mark.parametrize("depth,time", CASES[1:])
def test_masked_embedding_stack_matches_torch_on_unpadded_sequences(
    kind, bidirectional, return_sequences, depth, time
):
    """Embedding(mask_zero=True) hands its mask through the stack; torch runs packed sequences."""
    rng = np.random.default_rng(time)
    lengths = rng.integers(1, time + 1, BATCH)
    lengths[0] = time
    ids = rng.integers(1, 10, (BATCH, time)) * (np.arange(time) < lengths[:, None])
    embedding = nn.Embedding(10, FEATURES, mask_zero=True, seed=5)
    stack, tmodel = _stack(kind, depth, bidirectional, return_sequences)
    jout = stack(embedding(ids))
    pairs = _pairs(stack, tmodel, kind, bidirectional)
    t_table = torch.tensor(embedding.weight.numpy(), requires_grad=True)
    tout = _torch_outputs(
        tmodel, kind, t_table[torch.from_numpy(ids)], lengths, bidirectional, return_sequences
    )
    real = (ids != 0)[:, :, None] if return_sequences else np.ones((1, 1))
    np.testing.assert_allclose(jout.numpy() * real, tout.detach().numpy(), rtol=1e-4, atol=1e-5)
    upstream = np.random.default_rng(9).standard_normal(jout.shape).astype(np.float32) * real
    (jout * jaring.tensor(upstream.astype(np.float32))).sum().backward()
    (tout * torch.tensor(upstream.astype(np.float32))).sum().backward()
    np.testing.assert_allclose(embedding.weight.grad.numpy(), t_table.grad.numpy(), rtol=2e-4, atol=2e-5)
    _check_grads(pairs)


@pytest.mark.parametrize("padding", ["post", "pre"])
def test_padded_and_unpadded_sequences_end_in_the_same_state(padding):
    tokens = np.array([[4, 2, 7]])
    pad = np.zeros((1, 4), np.int64)
    padded = np.concatenate([tokens, pad] if padding == "post" else [pad, tokens], axis=1)
    model = nn.Sequential(nn.Embedding(8, 3, mask_zero=True, seed=0), nn.Bidirectional(nn.LSTM(5, seed=1)))
    np.testing.assert_allclose(model(padded).numpy(), model(tokens).numpy(), rtol=1e-6, atol=1e-7)


def test_return_state_and_sequences_follow_keras():
    x = jaring.randn(2, 5, 3, seed=0)
    lstm = nn.LSTM(4, return_sequences=True, return_state=True, seed=0)
    out, h, c = lstm(x)
    assert out.shape == (2, 5, 4) and h.shape == (2, 4) and c.shape == (2, 4)
    np.testing.assert_array_equal(out.numpy()[:, -1], h.numpy())
    hs, c_ref = F.lstm(x, lstm.weight_ih, lstm.weight_hh, lstm.bias)
    np.testing.assert_array_equal(c.numpy(), c_ref.numpy())
    gru = nn.GRU(4, return_state=True, seed=0)
    last, h = gru(x)
    np.testing.assert_array_equal(last.numpy(), h.numpy())


@pytest.mark.parametrize("kind", [nn.SimpleRNN, nn.LSTM, nn.GRU])
def test_masked_sequences_and_states_backpropagate_together(kind):
    """With a mask, the returned sequence carries it as a second Tensor object of the op's output,
    and the final state is cut from the first: one backward through both raised 'backward
    through the graph a second time'. With every step real, the gradient is the unmasked call's."""
    x = np.random.default_rng(0).standard_normal((3, 6, 4)).astype(np.float32)
    mask = np.ones((3, 6), bool)
    grads = []
    for given in (mask, None):
        layer = kind(5, return_sequences=True, return_state=True, seed=0)
        xt = jaring.tensor(x, requires_grad=True)
        sequence, *states = layer(xt, mask=None if given is None else jaring.tensor(given))
        (sequence.sum() + sum(s.sum() for s in states)).backward()
        grads.append(xt.grad.numpy())
    np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6)


def test_go_backwards_returns_outputs_in_processing_order():
    x = jaring.randn(2, 5, 3, seed=0)
    back = nn.SimpleRNN(4, return_sequences=True, go_backwards=True, seed=0)
    out = back(x)
    expected = F.simple_rnn(x, back.weight_ih, back.weight_hh, back.bias, go_backwards=True)
    np.testing.assert_allclose(out.numpy(), expected.numpy()[:, ::-1])
    last = nn.SimpleRNN(4, go_backwards=True, seed=0)(x)
    np.testing.assert_allclose(last.numpy(), out.numpy()[:, -1])


def test_initial_state_is_used():
    x = jaring.randn(2, 5, 3, seed=0)
    lstm = nn.LSTM(4, seed=0)
    h0, c0 = jaring.randn(2, 4, seed=1), jaring.randn(2, 4, seed=2)
    out = lstm(x, initial_state=[h0, c0])
    hs, _ = F.lstm(x, lstm.weight_ih, lstm.weight_hh, lstm.bias, h0, c0)
    np.testing.assert_allclose(out.numpy(), hs.numpy()[:, -1])
    with pytest.raises(ValueError, match="takes 2 initial state"):
        lstm(x, initial_state=[h0])


def test_initializers_and_forget_bias():
    lstm = nn.LSTM(3, input_dim=2, bias_initializer="ones", seed=0)
    assert lstm.weight_ih.shape == (12, 2) and lstm.weight_hh.shape == (12, 3) and lstm.bias.shape == (12,)
    np.testing.assert_array_equal(lstm.bias.numpy(), np.ones(12))
    lstm = nn.LSTM(3, input_dim=2, seed=0)
    np.testing.assert_array_equal(lstm.bias.numpy(), [0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0])
    rnn = nn.SimpleRNN(6, input_dim=2, seed=0)
    w = rnn.weight_hh.numpy().astype(np.float64)
    np.testing.assert_allclose(w @ w.T, np.eye(6), atol=1e-5)  # orthogonal recurrent kernel
    bound = np.sqrt(6 / (2 + 6))
    assert np.abs(rnn.weight_ih.numpy()).max() <= bound
    again = nn.SimpleRNN(6, input_dim=2, seed=0)
    np.testing.assert_array_equal(rnn.weight_ih.numpy(), again.weight_ih.numpy())


def test_lazy_build_and_state_dict():
    model = nn.Sequential(nn.Embedding(20, 4, mask_zero=True, seed=0), nn.GRU(3, seed=1), nn.Dense(2, seed=2))
    assert model[1].weight_ih is None
    model.build((None, 6))
    assert model[1].weight_ih.shape == (9, 4) and model[1].input_dim == 4
    names = [name for name, _ in model.named_parameters()]
    assert names[:5] == ["0.weight", "1.weight_ih", "1.weight_hh", "1.bias_ih", "1.bias_hh"]
    copy = nn.Sequential(nn.Embedding(20, 4, seed=3), nn.GRU(3, input_dim=4, seed=4), nn.Dense(2, seed=5))
    copy.build((None, 6))
    copy.load_state_dict(model.state_dict())
    ids = np.array([[1, 5, 0, 0, 0, 0]])
    assert np.allclose(copy(ids[:, :2]).numpy(), model(ids).numpy(), atol=1e-6)


def test_layer_errors_speak_the_users_language():
    lstm = nn.LSTM(8, input_dim=4)
    with pytest.raises(
        ValueError, match=r"LSTM\(units=8\) expected input of shape \(batch, time, 4\), got \(2, 3, 5\)"
    ):
        lstm(jaring.randn(2, 3, 5, seed=0))
    with pytest.raises(ValueError, match=r"GRU\(units=2\) expects input of shape \(batch, time, features\)"):
        nn.GRU(2)(jaring.randn(3, 4, seed=0))
    with pytest.raises(ValueError, match="units must be a positive integer"):
        nn.SimpleRNN(0)
    with pytest.raises(ValueError, match=r"unknown activation 'gelu'.*tanh"):
        nn.SimpleRNN(2, activation="gelu")
    with pytest.raises(ValueError, match="only activation='tanh'"):
        nn.LSTM(2, activation="relu")
    with pytest.raises(ValueError, match=r"unknown merge_mode 'max'.*concat"):
        nn.Bidirectional(nn.LSTM(2), merge_mode="max")
    with pytest.raises(TypeError, match="SimpleRNN, LSTM or GRU"):
        nn.Bidirectional(nn.Dense(2))
    with pytest.raises(ValueError, match=r"mask must have shape \(batch, time\)"):
        lstm(jaring.randn(2, 3, 4, seed=0), mask=np.ones((3, 2), bool))


def test_explicit_mask_overrides_and_masked_tensor_is_passed_on():
    x = jaring.randn(2, 4, 3, seed=0)
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    first = nn.LSTM(5, return_sequences=True, seed=0)
    out = first(with_mask(x, mask))
    assert isinstance(out, nn.MaskedTensor) and np.array_equal(out.mask, mask)
    np.testing.assert_array_equal(first(x, mask=mask).numpy(), out.numpy())
    assert not np.allclose(first(x).numpy(), out.numpy())
