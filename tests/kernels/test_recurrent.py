"""jaring/kernels/recurrent.py: the LSTM and GRU kernels and SimpleRNN's backward against the
array reference and torch.nn.LSTM / GRU / RNN, values and gradients of every input, both dtypes,
and that the ops really call them."""

import numpy as np
import pytest
import torch
from numba import njit

import jaring
import jaring.functional as F
from jaring import kernels, nn
from jaring.kernels import recurrent
from jaring.ops.recurrent import LSTMFunction
from tests.kernels.counting import count_calls
from tests.ops.test_recurrent import _inputs, _torch_module, _torch_run

# (batch, time, features, hidden): batch 1, time 1 and hidden 1 included
SHAPES = [(3, 5, 4, 6), (1, 1, 1, 1), (1, 4, 2, 1)]
TOLERANCE = {np.float32: dict(rtol=2e-5, atol=2e-6), np.float64: dict(rtol=1e-12, atol=1e-13)}
TORCH_TOLERANCE = {np.float32: dict(rtol=1e-4, atol=1e-5), np.float64: dict(rtol=1e-10, atol=1e-12)}


@pytest.fixture
def calls(monkeypatch):
    """How often each kernel ran."""
    names = ["lstm_forward", "lstm_backward", "gru_forward", "gru_backward", "rnn_backward"]
    return count_calls(monkeypatch, recurrent, names)


def _ran(calls, cell, times):
    """Whether each of `cell`'s kernels ran `times` times, and no other kernel ran."""
    return all(n == (times if name.startswith(cell) else 0) for name, n in calls.items())


def _arrays(shape, dtype, seed=0):
    x, w_ih, w_hh, b_ih, b_hh, h0, c0 = _inputs("lstm", *shape, seed=seed)
    return [a.astype(dtype) for a in (x, w_ih, w_hh, b_ih + b_hh, h0, c0)]


def _jaring(arrays, mode, mask=None, reverse=False, return_sequences=True):
    """(h output, final c, gradients of x, w_ih, w_hh, bias, h0, c0) under `mode`, for fixed
    cosine and sine upstream gradients."""
    with kernels.use(mode):
        tensors = [jaring.tensor(a, requires_grad=True) for a in arrays]
        h, c = F.lstm(*tensors, mask=mask, go_backwards=reverse, return_sequences=return_sequences)
        up_h, up_c = (
            fn(np.arange(t.size)).reshape(t.shape).astype(t.dtype) for fn, t in ((np.cos, h), (np.sin, c))
        )
        ((h * jaring.tensor(up_h)).sum() + (c * jaring.tensor(up_c)).sum()).backward()
        return [h.numpy(), c.numpy()] + [t.grad.numpy() for t in tensors], (up_h, up_c)


def _torch(arrays, upstream, reverse, return_sequences):
    x, w_ih, w_hh, bias, h0, c0 = (torch.tensor(a, requires_grad=True) for a in arrays)
    module = _torch_module("lstm", x.shape[2], w_hh.shape[1]).to(x.dtype)
    out, h_final, c_final = _torch_run(
        "lstm", module, x, w_ih, w_hh, bias, torch.zeros_like(bias), h0, c0, reverse
    )
    h = out if return_sequences else h_final
    ((h * torch.tensor(upstream[0])).sum() + (c_final * torch.tensor(upstream[1])).sum()).backward()
    return [h.detach().numpy(), c_final.detach().numpy()] + [
        t.grad.numpy() for t in (x, w_ih, w_hh, bias, h0, c0)
    ]


NAMES = ["h", "c", "dx", "dw_ih", "dw_hh", "dbias", "dh0", "dc0"]


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_lstm_kernels_match_reference_and_torch(shape, dtype, reverse, return_sequences, calls):
    arrays = _arrays(shape, dtype)
    compiled, upstream = _jaring(arrays, "numba", reverse=reverse, return_sequences=return_sequences)
    assert _ran(calls, "lstm", 1)
    reference, _ = _jaring(arrays, "numpy", reverse=reverse, return_sequences=return_sequences)
    assert _ran(calls, "lstm", 1)  # the reference never calls them
    expected = _torch(arrays, upstream, reverse, return_sequences)
    for name, got, ref, want in zip(NAMES, compiled, reference, expected):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, ref, **TOLERANCE[dtype], err_msg=name)
        np.testing.assert_allclose(got, want, **TORCH_TOLERANCE[dtype], err_msg=name)


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_lstm_kernels_match_reference_with_a_mask(dtype, reverse, return_sequences, calls):
    """Masked steps leading, trailing and in between, and a sequence with none."""
    arrays = _arrays((4, 7, 3, 5), dtype, seed=1)
    mask = np.ones((4, 7), bool)
    mask[0, 5:] = mask[1, :2] = mask[2, 3] = mask[3, 1::2] = False
    compiled, _ = _jaring(arrays, "numba", mask, reverse, return_sequences)
    reference, _ = _jaring(arrays, "numpy", mask, reverse, return_sequences)
    assert _ran(calls, "lstm", 1)
    for name, got, ref in zip(NAMES, compiled, reference):
        np.testing.assert_allclose(got, ref, **TOLERANCE[dtype], err_msg=name)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_steps_cell_state_gradient_flows_as_in_the_reference(dtype, calls):
    """The op's full output holds c_t of every step; an upstream gradient on all of them, masked."""
    arrays = _arrays((3, 6, 2, 4), dtype, seed=2)
    mask = np.array([[1, 1, 0, 1, 1, 1], [0, 1, 1, 1, 1, 0], [1, 1, 1, 1, 1, 1]], bool)
    results = []
    for mode in kernels.MODES:
        with kernels.use(mode):
            tensors = [jaring.tensor(a, requires_grad=True) for a in arrays]
            out = LSTMFunction.apply(*tensors, mask=mask)
            up = np.cos(np.arange(out.size)).reshape(out.shape).astype(dtype)
            (out * jaring.tensor(up)).sum().backward()
            results.append([out.numpy()] + [t.grad.numpy() for t in tensors])
    assert _ran(calls, "lstm", 1)
    for got, ref in zip(*results):
        np.testing.assert_allclose(got, ref, **TOLERANCE[dtype])


def test_bidirectional_lstm_with_a_padding_mask_matches_the_reference(calls):
    model = nn.Sequential(
        nn.Embedding(20, 6, mask_zero=True, seed=0), nn.Bidirectional(nn.LSTM(5, seed=1)), nn.Dense(2, seed=2)
    )
    ids = np.array([[3, 4, 5, 0, 0], [7, 1, 2, 9, 4]])
    results = []
    for mode in kernels.MODES:
        with kernels.use(mode):
            model.zero_grad()
            out = model(jaring.tensor(ids))
            (out * out).sum().backward()
            results.append([out.numpy()] + [p.grad.numpy() for p in model.parameters()])
    assert _ran(calls, "lstm", 2)  # one per direction
    for got, ref in zip(*results):
        np.testing.assert_allclose(got, ref, rtol=2e-5, atol=2e-6)


def test_float16_and_kernels_off_use_the_reference(calls):
    x, w_ih, w_hh = (jaring.tensor(a.astype(np.float16)) for a in _arrays((2, 3, 2, 2), np.float32)[:3])
    F.lstm(x, w_ih, w_hh)
    with kernels.use("numpy"):
        F.lstm(*(jaring.tensor(a) for a in _arrays((2, 3, 2, 2), np.float32)[:3]))
    assert _ran(calls, "lstm", 0)


def _rnn(arrays, mode, activation, mask=None, reverse=False, return_sequences=True):
    """(output, gradients of x, w_ih, w_hh, bias, h0) of F.simple_rnn under `mode`."""
    with kernels.use(mode):
        tensors = [jaring.tensor(a, requires_grad=True) for a in arrays]
        out = F.simple_rnn(*tensors, mask, activation, reverse, return_sequences)
        up = np.cos(np.arange(out.size)).reshape(out.shape).astype(out.dtype)
        (out * jaring.tensor(up)).sum().backward()
        return [out.numpy()] + [t.grad.numpy() for t in tensors], up


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES[:2])
def test_rnn_kernels_match_reference_and_torch(shape, dtype, reverse, activation, calls):
    x, w_ih, w_hh, b_ih, b_hh, h0 = (a.astype(dtype) for a in _inputs("rnn_tanh", *shape, seed=3))
    arrays = [x, w_ih, w_hh, b_ih + b_hh, h0]
    compiled, up = _rnn(arrays, "numba", activation, reverse=reverse)
    reference, _ = _rnn(arrays, "numpy", activation, reverse=reverse)
    assert _ran(calls, "rnn", 1)
    for got, ref in zip(compiled, reference):
        np.testing.assert_allclose(got, ref, **TOLERANCE[dtype])
    if activation in ("tanh", "relu"):  # the activations torch.nn.RNN has
        tensors = [torch.tensor(a, requires_grad=True) for a in (x, w_ih, w_hh, b_ih, b_hh, h0)]
        module = _torch_module(f"rnn_{activation}", shape[2], shape[3]).to(tensors[0].dtype)
        out, _ = _torch_run(f"rnn_{activation}", module, *tensors, reverse=reverse)
        (out * torch.tensor(up)).sum().backward()
        bias_grad = tensors[3].grad.numpy()
        expected = (
            [out.detach().numpy()]
            + [t.grad.numpy() for t in tensors[:3]]
            + [bias_grad, tensors[5].grad.numpy()]
        )
        for got, want in zip(compiled, expected):
            np.testing.assert_allclose(got, want, **TORCH_TOLERANCE[dtype])


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid", "linear"])
def test_rnn_kernels_match_reference_with_a_mask(activation, reverse, return_sequences, calls):
    x, w_ih, w_hh, b_ih, b_hh, h0 = _inputs("rnn_tanh", 4, 7, 3, 5, seed=4)
    mask = np.ones((4, 7), bool)
    mask[0, 5:] = mask[1, :2] = mask[2, 3] = mask[3, 1::2] = False
    arrays = [x, w_ih, w_hh, b_ih + b_hh, h0]
    compiled, _ = _rnn(arrays, "numba", activation, mask, reverse, return_sequences)
    reference, _ = _rnn(arrays, "numpy", activation, mask, reverse, return_sequences)
    assert _ran(calls, "rnn", 1)
    for got, ref in zip(compiled, reference):
        np.testing.assert_allclose(got, ref, **TOLERANCE[np.float32])


def _gru(arrays, mode, mask=None, reverse=False, return_sequences=True):
    """(output, gradients of x, w_ih, w_hh, b_ih, b_hh, h0) of F.gru under `mode`."""
    with kernels.use(mode):
        tensors = [jaring.tensor(a, requires_grad=True) for a in arrays]
        out = F.gru(*tensors, mask, reverse, return_sequences)
        up = np.cos(np.arange(out.size)).reshape(out.shape).astype(out.dtype)
        (out * jaring.tensor(up)).sum().backward()
        return [out.numpy()] + [t.grad.numpy() for t in tensors], up


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", SHAPES)
def test_gru_kernels_match_reference_and_torch(shape, dtype, reverse, return_sequences, calls):
    arrays = [a.astype(dtype) for a in _inputs("gru", *shape, seed=5)]
    compiled, up = _gru(arrays, "numba", reverse=reverse, return_sequences=return_sequences)
    reference, _ = _gru(arrays, "numpy", reverse=reverse, return_sequences=return_sequences)
    assert _ran(calls, "gru", 1)
    tensors = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, final = _torch_run(
        "gru", _torch_module("gru", shape[2], shape[3]).to(tensors[0].dtype), *tensors, reverse=reverse
    )
    ((out if return_sequences else final) * torch.tensor(up)).sum().backward()
    expected = [(out if return_sequences else final).detach().numpy()] + [t.grad.numpy() for t in tensors]
    for got, ref, want in zip(compiled, reference, expected):
        np.testing.assert_allclose(got, ref, **TOLERANCE[dtype])
        np.testing.assert_allclose(got, want, **TORCH_TOLERANCE[dtype])


@pytest.mark.parametrize("return_sequences", [True, False])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_gru_kernels_match_reference_with_a_mask(dtype, reverse, return_sequences, calls):
    arrays = [a.astype(dtype) for a in _inputs("gru", 4, 7, 3, 5, seed=6)]
    mask = np.ones((4, 7), bool)
    mask[0, 5:] = mask[1, :2] = mask[2, 3] = mask[3, 1::2] = False
    compiled, _ = _gru(arrays, "numba", mask, reverse, return_sequences)
    reference, _ = _gru(arrays, "numpy", mask, reverse, return_sequences)
    assert _ran(calls, "gru", 1)
    for got, ref in zip(compiled, reference):
        np.testing.assert_allclose(got, ref, **TOLERANCE[dtype])


@njit(cache=True, error_model="numpy")
def _apply(fn_id, x, out):
    for k in range(x.size):
        out[k] = (
            recurrent.exp(x[k])
            if fn_id == 0
            else (recurrent.sigmoid(x[k]) if fn_id == 1 else recurrent.tanh(x[k]))
        )


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_are_accurate_to_the_dtype_and_keep_nan_and_infinities(dtype):
    x = np.concatenate(
        [np.linspace(-90, 90, 20001), np.geomspace(1e-30, 1, 300), -np.geomspace(1e-30, 1, 300)]
    )
    x = x.astype(dtype)
    wide, eps = x.astype(np.float64), np.finfo(dtype).eps
    out = np.empty_like(x)
    inside = np.abs(wide) <= 80
    _apply(0, x, out)
    np.testing.assert_allclose(out[inside], np.exp(wide[inside]), rtol=4 * eps)
    _apply(1, x, out)
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-wide)), rtol=4 * eps, atol=1e-34)
    _apply(2, x, out)
    np.testing.assert_allclose(out, np.tanh(wide), rtol=4 * eps)  # relative, so small |x| too
    special = np.array([np.nan, np.inf, -np.inf, 0.0], dtype)
    out = np.empty_like(special)
    _apply(1, special, out)
    assert np.isnan(out[0]) and out[1] == 1 and out[2] < 1e-30 and out[3] == 0.5
    _apply(2, special, out)
    assert np.isnan(out[0]) and list(out[1:]) == [1, -1, 0]
