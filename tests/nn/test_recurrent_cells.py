"""RNNCell, LSTMCell and GRUCell against torch.nn's cells holding the same weights (a torch
state_dict loaded into jaring): values and gradients of inputs, initial states and parameters
over a few steps, float32 and float64; float64 finite differences; torch's errors and init."""

import numpy as np
import pytest
import torch

import jaring
import jaring.nn as nn
from jaring.io import load, save
from tests.nn.helpers import check_module_gradients
from tests.oracle import CASES

CELLS = {
    "rnn_tanh": (nn.RNNCell, torch.nn.RNNCell, {"nonlinearity": "tanh"}),
    "rnn_relu": (nn.RNNCell, torch.nn.RNNCell, {"nonlinearity": "relu"}),
    "lstm": (nn.LSTMCell, torch.nn.LSTMCell, {}),
    "gru": (nn.GRUCell, torch.nn.GRUCell, {}),
}
TOL = {np.float32: dict(rtol=1e-4, atol=1e-5), np.float64: dict(rtol=1e-10, atol=1e-12)}
TORCH_DTYPE = {np.float32: torch.float32, np.float64: torch.float64}


def _twins(kind, input_size, hidden_size, bias=True, dtype=np.float32):
    """A torch cell with torch's init and a jaring cell loaded from its state_dict."""
    ours, theirs, kwargs = CELLS[kind]
    torch.manual_seed(0)
    torch_cell = theirs(input_size, hidden_size, bias=bias, **kwargs).to(TORCH_DTYPE[dtype])
    cell = ours(input_size, hidden_size, bias=bias, dtype=dtype, seed=1, **kwargs)
    cell.load_state_dict({k: v.detach().numpy() for k, v in torch_cell.state_dict().items()})
    return cell, torch_cell


def _unroll(cell, xs, state):
    """Every state the cell returns over the steps xs, flattened to a list of tensors."""
    outs = []
    for x in xs:
        state = cell(x, state)
        outs.extend(state if isinstance(state, tuple) else [state])
    return outs


def _leaves(arrays, make):
    return [make(a) for a in arrays]


def _compare(kind, batch, input_size, hidden_size, bias, dtype, given, steps=3):
    cell, torch_cell = _twins(kind, input_size, hidden_size, bias, dtype)
    rng = np.random.default_rng(7)
    lead = () if batch is None else (batch,)
    xs = [rng.uniform(-2, 2, lead + (input_size,)).astype(dtype) for _ in range(steps)]
    count = 2 if kind == "lstm" else 1
    hs = [rng.uniform(-1, 1, lead + (hidden_size,)).astype(dtype) for _ in range(count)] if given else []
    jx = _leaves(xs + hs, lambda a: jaring.tensor(a, requires_grad=True))
    tx = _leaves(xs + hs, lambda a: torch.tensor(a, requires_grad=True))

    def first_state(leaves):
        if not given:
            return None
        return tuple(leaves[steps:]) if kind == "lstm" else leaves[steps]

    jouts = _unroll(cell, jx[:steps], first_state(jx))
    touts = _unroll(torch_cell, tx[:steps], first_state(tx))
    upstream = [rng.standard_normal(t.shape).astype(dtype) for t in touts]
    for j, t in zip(jouts, touts):
        assert j.shape == tuple(t.shape) and j.dtype == dtype
        np.testing.assert_allclose(j.numpy(), t.detach().numpy(), **TOL[dtype], err_msg="forward")
    sum(((j * jaring.tensor(u)).sum() for j, u in zip(jouts, upstream))).backward()
    sum(((t * torch.tensor(u)).sum() for t, u in zip(touts, upstream))).backward()
    for k, (j, t) in enumerate(zip(jx, tx)):
        np.testing.assert_allclose(j.grad.numpy(), t.grad.numpy(), **TOL[dtype], err_msg=f"grad of leaf {k}")
    torch_params = dict(torch_cell.named_parameters())
    assert sorted(torch_params) == sorted(name for name, _ in cell.named_parameters())
    for name, p in cell.named_parameters():
        np.testing.assert_allclose(
            p.grad.numpy(), torch_params[name].grad.numpy(), **TOL[dtype], err_msg=f"grad of {name}"
        )
    CASES["torch"] += 1


SHAPES = [(3, 4, 5), (1, 4, 5), (2, 1, 1), (1, 1, 3), (None, 4, 5), (None, 1, 1)]


@pytest.mark.parametrize("dtype", [np.float32, np.float64], ids=["float32", "float64"])
@pytest.mark.parametrize("given", [True, False], ids=["hx", "no_hx"])
@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no_bias"])
@pytest.mark.parametrize("shape", SHAPES, ids=[f"b{b}_i{i}_h{h}" for b, i, h in SHAPES])
@pytest.mark.parametrize("kind", list(CELLS))
def test_cells_match_torch(kind, shape, bias, given, dtype):
    batch, input_size, hidden_size = shape
    _compare(kind, batch, input_size, hidden_size, bias, dtype, given)


def test_an_empty_batch_and_a_long_loop_match_torch():
    _compare("lstm", 0, 3, 2, True, np.float32, True, steps=2)
    _compare("gru", 4, 6, 8, True, np.float32, False, steps=20)


class _Unrolled(nn.Module):
    """A cell run over the first axis of x, returning the last hidden state (for gradient checks)."""

    def __init__(self, cell):
        super().__init__()
        self.cell = cell

    def forward(self, x):
        state = None
        for t in range(x.shape[0]):
            state = self.cell(x[t], state)
        return state[0] if isinstance(state, tuple) else state


@pytest.mark.parametrize("kind", list(CELLS))
def test_float64_gradcheck(kind):
    cell, _ = _twins(kind, 3, 4, dtype=np.float64)
    rng = np.random.default_rng(3)
    x = rng.uniform(-1, 1, (2, 2, 3))
    hs = [rng.uniform(-1, 1, (2, 4)) for _ in range(2 if kind == "lstm" else 1)]

    def two_steps(x0, x1, *state):
        out = cell(x0, tuple(state) if kind == "lstm" else state[0])
        out = cell(x1, out)
        return out[0] + 2 * out[1] if kind == "lstm" else out

    assert jaring.gradcheck(two_steps, [x[0], x[1], *hs])
    check_module_gradients(_Unrolled(cell), x)


def test_torch_init_bounds_seed_and_dtype():
    for kind in CELLS:
        ours, _, kwargs = CELLS[kind]
        cell = ours(6, 16, seed=0, **kwargs)
        bound = 1 / np.sqrt(16)
        for name, p in cell.named_parameters():
            values = p.numpy()
            assert p.dtype == np.float32
            assert np.abs(values).max() <= bound and np.abs(values).max() > 0.8 * bound, name
        again = ours(6, 16, seed=0, **kwargs)
        for (_, a), (_, b) in zip(cell.named_parameters(), again.named_parameters()):
            np.testing.assert_array_equal(a.numpy(), b.numpy())
        assert ours(2, 3, dtype=np.float64, **kwargs).weight_hh.dtype == np.float64


@pytest.mark.parametrize("kind", list(CELLS))
@pytest.mark.parametrize("bias", [True, False])
def test_state_dict_keys_and_shapes_equal_torchs_both_ways(kind, bias):
    ours, theirs, kwargs = CELLS[kind]
    cell, torch_cell = ours(3, 5, bias=bias, seed=0, **kwargs), theirs(3, 5, bias=bias, **kwargs)
    mine, torchs = cell.state_dict(), torch_cell.state_dict()
    assert list(mine) == list(torchs)
    assert all(mine[k].shape == tuple(torchs[k].shape) for k in mine)
    assert (cell.bias_ih is None) is (not bias)
    torch_cell.load_state_dict({k: torch.tensor(v) for k, v in mine.items()})
    x = np.random.default_rng(0).standard_normal((2, 3)).astype(np.float32)
    out, expected = cell(x), torch_cell(torch.tensor(x))
    out, expected = (out[0], expected[0]) if kind == "lstm" else (out, expected)
    np.testing.assert_allclose(out.numpy(), expected.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_save_and_load_keep_the_cell(tmp_path):
    cell = nn.LSTMCell(3, 4, bias=False, seed=0)
    path = save(cell, tmp_path / "cell.jaring")
    loaded = load(path)
    assert type(loaded) is nn.LSTMCell and loaded.bias is False and loaded.hidden_size == 4
    x = np.ones((2, 3), dtype=np.float32)
    np.testing.assert_array_equal(loaded(x)[1].numpy(), cell(x)[1].numpy())
    relu = load(save(nn.RNNCell(2, 3, nonlinearity="relu", seed=0), tmp_path / "rnn.jaring"))
    assert relu.nonlinearity == "relu"


def test_input_that_is_not_a_tensor_takes_the_weights_dtype():
    cell = nn.GRUCell(2, 3, dtype=np.float64, seed=0)
    assert cell([[1.0, 2.0]]).dtype == np.float64
    assert cell(jaring.ones(2), jaring.zeros(3)).dtype == np.float64


@pytest.mark.parametrize(
    "call,error,message",
    [
        (
            lambda: nn.RNNCell(4, 5)(jaring.ones(2, 3)),
            ValueError,
            "inconsistent input_size: got 3 expected 4",
        ),
        (lambda: nn.GRUCell(4, 5)(jaring.ones(3)), ValueError, "inconsistent input_size: got 3 expected 4"),
        (
            lambda: nn.LSTMCell(4, 5)(jaring.ones(2, 3, 4)),
            ValueError,
            "Expected input to be 1D or 2D, got 3D",
        ),
        (lambda: nn.RNNCell(4, 5)(jaring.ones(2, 4), jaring.ones(3, 5)), ValueError, "batch size 2 doesn't"),
        (
            lambda: nn.RNNCell(4, 5)(jaring.ones(2, 4), jaring.ones(2, 6)),
            ValueError,
            "hidden0 has inconsistent hidden_size: got 6, expected 5",
        ),
        (
            lambda: nn.GRUCell(4, 5)(jaring.ones(2, 4), jaring.ones(1, 2, 5)),
            ValueError,
            "hidden to be 1D or 2D",
        ),
        (
            lambda: nn.GRUCell(4, 5)(jaring.ones(4), jaring.ones(1, 5)),
            ValueError,
            r"expected \(hidden_size,\)",
        ),
        (lambda: nn.RNNCell(4, 5)(jaring.ones(2, 4), jaring.ones(5)), ValueError, r"\(batch, hidden_size\)"),
        (lambda: nn.LSTMCell(4, 5)(jaring.ones(2, 4), jaring.ones(2, 5)), TypeError, r"tuple \(h_0, c_0\)"),
        (lambda: nn.LSTMCell(4, 5)(jaring.ones(2, 4), (jaring.ones(2, 5),)), ValueError, "two hidden states"),
        (
            lambda: nn.LSTMCell(4, 5)(jaring.ones(2, 4), (jaring.ones(2, 5), jaring.ones(3, 5))),
            ValueError,
            "hidden1 batch size 3",
        ),
        (
            lambda: nn.LSTMCell(4, 5)(jaring.ones(2, 4), (jaring.ones(2, 5, 1), jaring.ones(2, 5))),
            ValueError,
            r"hx\[0\] to be 1D or 2D",
        ),
        (lambda: nn.RNNCell(4, 5, nonlinearity="sigmoid"), ValueError, "Unknown nonlinearity"),
        (lambda: nn.LSTMCell(0, 5), ValueError, "input_size must be a positive integer"),
        (lambda: nn.GRUCell(4, 2.5), ValueError, "hidden_size must be a positive integer"),
        (lambda: nn.RNNCell(4, 5, bias="no"), (TypeError, ValueError), "bias"),
    ],
)
def test_bad_arguments_raise_torchs_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
