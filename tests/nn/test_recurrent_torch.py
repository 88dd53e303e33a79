"""nn.RNN, nn.LSTM and nn.GRU with torch's arguments against torch.nn's modules holding the same
weights (a torch state_dict loaded into jaring): outputs, final states and the gradients of the
input, the initial states and every parameter, float32 and float64, over layer counts, directions,
batch_first, bias, batch 1, size-1 dims and unbatched input; float64 finite differences; dropout
between layers; torch's errors, init, repr and state_dict keys; the Keras-style dispatch; save/load."""

import warnings

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from jaring.io import from_torch, load, save, to_torch
from jaring.nn import recurrent_torch
from tests.nn.helpers import check_module_gradients
from tests.oracle import CASES

KINDS = {
    "rnn_tanh": (nn.RNN, torch.nn.RNN, {"nonlinearity": "tanh"}),
    "rnn_relu": (nn.RNN, torch.nn.RNN, {"nonlinearity": "relu"}),
    "lstm": (nn.LSTM, torch.nn.LSTM, {}),
    "gru": (nn.GRU, torch.nn.GRU, {}),
}
TOL = {np.float32: dict(rtol=1e-4, atol=2e-5), np.float64: dict(rtol=1e-10, atol=1e-12)}
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}
CONFIGS = {
    "one_layer": {},
    "two_layers_bidirectional": dict(num_layers=2, bidirectional=True),
    "three_layers_batch_first_no_bias": dict(num_layers=3, batch_first=True, bias=False),
    "bidirectional_batch_first": dict(bidirectional=True, batch_first=True),
}
# (batch or None for unbatched, sequence length, input_size, hidden_size)
SHAPES = [(3, 4, 5, 6), (1, 4, 5, 6), (2, 1, 1, 1), (1, 1, 3, 2), (None, 4, 5, 6), (None, 1, 2, 3)]


def _twins(kind, input_size, hidden_size, dtype=np.float32, **config):
    """A torch module with torch's init and a jaring module loaded from its state_dict."""
    ours, theirs, kwargs = KINDS[kind]
    torch.manual_seed(0)
    torch_rnn = theirs(input_size, hidden_size, **kwargs, **config).to(TORCH_DTYPE[dtype])
    rnn = ours(input_size, hidden_size, dtype=dtype, seed=1, **kwargs, **config)
    assert isinstance(rnn, recurrent_torch.RNNBase)
    rnn.load_state_dict({k: v.detach().numpy() for k, v in torch_rnn.state_dict().items()})
    return rnn, torch_rnn


def _flat(result):
    out, state = result
    return [out, *state] if isinstance(state, tuple) else [out, state]


def _compare(kind, shape, dtype, given, **config):
    batch, length, input_size, hidden_size = shape
    rnn, torch_rnn = _twins(kind, input_size, hidden_size, dtype, **config)
    rng = np.random.default_rng(7)
    lead = (length,) if batch is None else ((batch, length) if config.get("batch_first") else (length, batch))
    x = rng.uniform(-2, 2, lead + (input_size,)).astype(dtype)
    layers = config.get("num_layers", 1) * (2 if config.get("bidirectional") else 1)
    state_shape = (layers, hidden_size) if batch is None else (layers, batch, hidden_size)
    states = [rng.uniform(-1, 1, state_shape).astype(dtype) for _ in range(2 if kind == "lstm" else 1)]
    leaves = [x, *states] if given else [x]
    jx = [jaring.tensor(a, requires_grad=True) for a in leaves]
    tx = [torch.tensor(a, requires_grad=True) for a in leaves]

    def call(module, ts):
        if not given:
            return module(ts[0])
        return module(ts[0], tuple(ts[1:]) if kind == "lstm" else ts[1])

    jouts, touts = _flat(call(rnn, jx)), _flat(call(torch_rnn, tx))
    for j, t in zip(jouts, touts):
        assert j.shape == tuple(t.shape) and j.dtype == dtype
        np.testing.assert_allclose(j.numpy(), t.detach().numpy(), **TOL[dtype], err_msg="forward")
    upstream = [rng.standard_normal(tuple(t.shape)).astype(dtype) for t in touts]
    sum((j * jaring.tensor(u)).sum() for j, u in zip(jouts, upstream)).backward()
    sum((t * torch.tensor(u)).sum() for t, u in zip(touts, upstream)).backward()
    for k, (j, t) in enumerate(zip(jx, tx)):
        np.testing.assert_allclose(j.grad.numpy(), t.grad.numpy(), **TOL[dtype], err_msg=f"grad of leaf {k}")
    torch_params = dict(torch_rnn.named_parameters())
    assert [name for name, _ in rnn.named_parameters()] == list(torch_params)
    for name, p in rnn.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), torch_params[name].grad.numpy(), **TOL[dtype], err_msg=f"grad of {name}"
        )
    CASES["torch"] += 1


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("given", [True, False], ids=["hx", "no_hx"])
@pytest.mark.parametrize("config", list(CONFIGS))
@pytest.mark.parametrize("shape", SHAPES, ids=[f"n{n}_l{length}_i{i}_h{h}" for n, length, i, h in SHAPES])
@pytest.mark.parametrize("kind", list(KINDS))
def test_modules_match_torch(kind, shape, config, given, dtype):
    _compare(kind, shape, dtype, given, **CONFIGS[config])


def test_a_long_wide_sequence_matches_torch():
    _compare("lstm", (8, 50, 16, 32), np.float32, True, num_layers=2, bidirectional=True)
    _compare("gru", (8, 50, 16, 32), np.float32, False, num_layers=2, batch_first=True)


class _Output(nn.Module):
    """The module's output plus its final hidden state, one tensor (for finite differences)."""

    def __init__(self, rnn):
        super().__init__()
        self.rnn = rnn

    def forward(self, x):
        out, state = self.rnn(x)
        h = state[0] if isinstance(state, tuple) else state
        return (out * out).sum(axis=0).sum(axis=-1) + h.sum(axis=0).sum(axis=-1)  # (batch,)


@pytest.mark.parametrize("kind", list(KINDS))
def test_float64_gradcheck(kind):
    rnn, _ = _twins(kind, 3, 4, np.float64, num_layers=2, bidirectional=True)
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (3, 2, 3))
    states = [rng.uniform(-1, 1, (4, 2, 4)) for _ in range(2 if kind == "lstm" else 1)]

    def run(x, *states):
        out, state = rnn(x, tuple(states) if kind == "lstm" else states[0])
        return out.sum() * 0.5 + (state[0] * state[1] if kind == "lstm" else state * 2.0)

    assert jaring.gradcheck(run, [x, *states])
    check_module_gradients(_Output(rnn), x)


def test_dropout_acts_between_layers_in_training_only():
    rnn, torch_rnn = _twins("lstm", 3, 4, num_layers=2, dropout=1.0)
    x = np.random.default_rng(0).standard_normal((5, 2, 3)).astype(np.float32)
    for training in (True, False):  # dropout=1 zeroes layer 1's output in both frameworks
        rnn.train(training), torch_rnn.train(training)
        for j, t in zip(_flat(rnn(x)), _flat(torch_rnn(torch.tensor(x)))):
            np.testing.assert_allclose(j.numpy(), t.detach().numpy(), rtol=1e-5, atol=1e-6)
    a, b = (nn.GRU(3, 8, num_layers=3, dropout=0.5, seed=4) for _ in range(2))
    first, second = a(x)[0].numpy(), b(x)[0].numpy()
    np.testing.assert_array_equal(first, second)  # the same seed draws the same masks
    assert not np.allclose(a(x)[0].numpy(), first)  # the next call draws new ones
    a.eval(), b.eval()
    np.testing.assert_array_equal(a(x)[0].numpy(), b(x)[0].numpy())
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1"):
        one = nn.RNN(3, 4, dropout=0.5, seed=0)
    np.testing.assert_array_equal(one(x)[0].numpy(), one.eval()(x)[0].numpy())  # nothing after the last


@pytest.mark.parametrize("kind", list(KINDS))
@pytest.mark.parametrize("config", list(CONFIGS))
def test_state_dict_keys_repr_and_init_equal_torchs(kind, config):
    ours, theirs, kwargs = KINDS[kind]
    settings = {**kwargs, **CONFIGS[config]}
    rnn, torch_rnn = ours(3, 16, seed=0, **settings), theirs(3, 16, **settings)
    mine, torchs = rnn.state_dict(), torch_rnn.state_dict()
    assert list(mine) == list(torchs)
    assert all(mine[k].shape == tuple(torchs[k].shape) and mine[k].dtype == np.float32 for k in mine)
    bound = 1 / np.sqrt(16)
    for name, value in mine.items():
        assert 0.5 * bound < np.abs(value).max() <= bound, name
    again = ours(3, 16, seed=0, **settings).state_dict()
    assert all(np.array_equal(mine[k], again[k]) for k in mine)
    if kind != "rnn_relu":
        assert repr(rnn) == repr(torch_rnn)
    torch_rnn.load_state_dict({k: torch.tensor(v) for k, v in mine.items()})  # and jaring's into torch
    x = np.random.default_rng(0).standard_normal((2, 4, 3)).astype(np.float32)
    np.testing.assert_allclose(rnn(x)[0].numpy(), torch_rnn(torch.tensor(x))[0].detach().numpy(), atol=1e-6)
    assert len(rnn.all_weights) == len(torch_rnn.all_weights)
    rnn.flatten_parameters()


def test_nn_lstm_and_gru_dispatch_on_torchs_or_keras_arguments():
    assert type(nn.LSTM(8)) is nn.recurrent.LSTM and type(nn.GRU(8, "tanh")) is nn.recurrent.GRU
    assert type(nn.LSTM(8, return_sequences=True)) is nn.recurrent.LSTM
    assert type(nn.LSTM(4, 8)) is recurrent_torch.LSTM and type(nn.GRU(4, 8)) is recurrent_torch.GRU
    assert type(nn.LSTM(input_size=4, hidden_size=8)) is recurrent_torch.LSTM
    assert type(nn.GRU(4, hidden_size=8, batch_first=True)) is recurrent_torch.GRU
    assert type(nn.RNN(4, 8)) is recurrent_torch.RNN
    bi = nn.Bidirectional(nn.LSTM(8, seed=0))  # its copy of the Keras layer stays Keras
    assert type(bi.backward_layer) is nn.recurrent.LSTM


def test_save_and_load_keep_the_module(tmp_path):
    rnn = nn.LSTM(3, 4, num_layers=2, bias=False, batch_first=True, bidirectional=True, seed=0)
    loaded = load(save(rnn, tmp_path / "lstm.jaring"))
    assert type(loaded) is recurrent_torch.LSTM and repr(loaded) == repr(rnn)
    x = np.ones((2, 5, 3), dtype=np.float32)
    for a, b in zip(_flat(loaded(x)), _flat(rnn(x))):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    relu = load(save(nn.RNN(2, 3, nonlinearity="relu", dtype=np.float64, seed=0), tmp_path / "rnn.jaring"))
    assert relu.nonlinearity == "relu" and relu.weight_ih_l0.dtype == np.float64


@pytest.mark.parametrize("kind", list(KINDS))
def test_to_torch_and_from_torch_round_trip(kind):
    ours, theirs, kwargs = KINDS[kind]
    rnn = ours(3, 4, num_layers=2, bidirectional=True, batch_first=True, seed=0, **kwargs)
    x = np.random.default_rng(0).standard_normal((2, 5, 3)).astype(np.float32)
    torch_rnn = to_torch(rnn)
    assert type(torch_rnn) is theirs
    for a, b in zip(_flat(rnn(x)), _flat(torch_rnn(torch.tensor(x)))):
        np.testing.assert_allclose(a.numpy(), b.detach().numpy(), rtol=1e-5, atol=1e-6)
    back = from_torch(torch_rnn)
    assert type(back) is type(rnn) and repr(back) == repr(rnn)
    for a, b in zip(_flat(back(x)), _flat(rnn(x))):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_input_that_is_not_a_tensor_takes_the_weights_dtype():
    gru = nn.GRU(2, 3, dtype=np.float64, seed=0)
    out, h = gru([[1.0, 2.0], [3.0, 4.0]])
    assert out.dtype == h.dtype == np.float64 and out.shape == (2, 3) and h.shape == (1, 3)


@pytest.mark.parametrize(
    "call,error,message",
    [
        (lambda: nn.LSTM(4, 5, proj_size=2), NotImplementedError, "proj_size=2"),
        (lambda: nn.LSTM(4, 5, proj_size=-1), ValueError, "proj_size should be a positive integer or zero"),
        (lambda: nn.RNN(4, 5, nonlinearity="sigmoid"), ValueError, "Unknown nonlinearity 'sigmoid'"),
        (lambda: nn.GRU(4, 5, dropout=1.5), ValueError, r"dropout should be a number in range \[0, 1\]"),
        (lambda: nn.GRU(4, 5, dropout="0.1"), ValueError, "dropout should be a number"),
        (lambda: nn.LSTM(0, 5), ValueError, "input_size must be a positive integer"),
        (lambda: nn.RNN(4, 2.5), ValueError, "hidden_size must be a positive integer"),
        (lambda: nn.GRU(4, 5, num_layers=0), ValueError, "num_layers must be a positive integer"),
        (lambda: nn.LSTM(4, 5, batch_first="yes"), TypeError, "batch_first must be True or False"),
        (lambda: nn.RNN(4, 5)(jaring.ones(2, 3, 4, 4)), ValueError, "Expected input to be 2D or 3D, got 4D"),
        (lambda: nn.GRU(4, 5)(jaring.ones(2, 3, 3)), ValueError, "Expected 4, got 3"),
        (
            lambda: nn.GRU(4, 5, num_layers=2)(jaring.ones(2, 3, 4), jaring.ones(1, 3, 5)),
            ValueError,
            r"Expected hidden size \(2, 3, 5\), got \[1, 3, 5\]",
        ),
        (
            lambda: nn.RNN(4, 5)(jaring.ones(2, 3, 4), jaring.ones(3, 5)),
            ValueError,
            "For batched 3-D input, hidden should also be 3-D but got 2-D",
        ),
        (
            lambda: nn.RNN(4, 5)(jaring.ones(2, 4), jaring.ones(1, 1, 5)),
            ValueError,
            "For unbatched 2-D input, hidden should also be 2-D but got 3-D",
        ),
        (
            lambda: nn.RNN(4, 5)(jaring.ones(2, 4), jaring.ones(1, 6)),
            ValueError,
            r"Expected hidden size \(1, 5\), got \[1, 6\]",
        ),
        (lambda: nn.LSTM(4, 5)(jaring.ones(2, 3, 4), jaring.ones(1, 3, 5)), TypeError, r"tuple \(h_0, c_0\)"),
        (
            lambda: nn.LSTM(4, 5, bidirectional=True)(
                jaring.ones(2, 3, 4), (jaring.ones(2, 3, 5), jaring.ones(1, 3, 5))
            ),
            ValueError,
            r"Expected hidden\[1\] size \(2, 3, 5\), got \[1, 3, 5\]",
        ),
    ],
)
def test_bad_arguments_raise_torchs_errors(call, error, message):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with pytest.raises(error, match=message):
            call()
