"""PyTorch's recurrent cells: RNNCell, LSTMCell and GRUCell, one time step per call.

Tutorials (seq2seq, char-RNN) call a cell in a Python loop, one step at a time, so each step is
composed from a few existing ops (two linears, sigmoid/tanh/relu, slices of the gate blocks)
rather than fused: the per-step overhead stays small and every gradient comes from the ops. For
a whole sequence in one fused op with backpropagation through time inside it, use
jaring.nn.SimpleRNN / LSTM / GRU (jaring/nn/recurrent.py).

Weights and their names are torch's, so a torch cell's state_dict loads as it is:
    weight_ih (gates * hidden_size, input_size), weight_hh (gates * hidden_size, hidden_size),
    bias_ih and bias_hh (gates * hidden_size), all drawn U(-1/sqrt(hidden_size), 1/sqrt(hidden_size)).
Gate blocks in torch's order: LSTMCell (i, f, g, o), GRUCell (r, z, n).
Input (batch, input_size) or unbatched (input_size,); the hidden state matches it, and is zeros
when not given.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.module import Module, Parameter
from jaring.random import get_rng
from jaring.validation import check_bool

_NONLINEARITIES = ("tanh", "relu")


def _positive(layer: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{layer}: {name} must be a positive integer, got {value!r}")
    return int(value)


class _Cell(Module):
    """What the three cells share: torch's weights and init, and torch's checks of input and state."""

    _gates = 1

    def _init_cell(self, input_size: int, hidden_size: int, bias: bool, seed: Any, dtype: Any) -> None:
        name = type(self).__name__
        self.input_size = _positive(name, "input_size", input_size)
        self.hidden_size = _positive(name, "hidden_size", hidden_size)
        self.bias = check_bool(name, "bias", bias)
        rng, bound = get_rng(seed), 1.0 / math.sqrt(self.hidden_size)
        uniform = init.resolve("uniform", lower=-bound, upper=bound)
        rows = self._gates * self.hidden_size
        self.weight_ih = Parameter(uniform((rows, self.input_size), seed=rng, dtype=dtype))
        self.weight_hh = Parameter(uniform((rows, self.hidden_size), seed=rng, dtype=dtype))
        for key in ("bias_ih", "bias_hh"):
            self.register_parameter(key, Parameter(uniform((rows,), seed=rng, dtype=dtype)) if bias else None)

    def _tensor(self, value: Any) -> Tensor:
        dtype = self.weight_ih.dtype
        value = value if isinstance(value, Tensor) else Tensor(value, dtype=dtype)
        return value if value.dtype == dtype else F.cast(value, dtype)

    def _input(self, x: Any) -> Tensor:
        x = self._tensor(x)
        if x.ndim not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got {x.ndim}D instead")
        if x.shape[-1] != self.input_size:
            raise ValueError(
                f"{type(self).__name__}: input has inconsistent input_size: "
                f"got {x.shape[-1]} expected {self.input_size}"
            )
        return x

    def _state(self, h: Any, x: Tensor, which: str, k: int) -> Tensor:
        """The hidden state `which` (torch's hidden{k}) checked against x, or zeros when None."""
        name = type(self).__name__
        if h is None:
            xp = backend.array_module(x.data)
            return Tensor(xp.zeros(x.shape[:-1] + (self.hidden_size,), dtype=x.dtype))
        h = self._tensor(h)
        if h.ndim not in (1, 2):
            raise ValueError(f"{name}: Expected {which} to be 1D or 2D, got {h.ndim}D instead")
        if h.ndim != x.ndim:
            form = "(batch, hidden_size)" if x.ndim == 2 else "(hidden_size,)"
            raise ValueError(
                f"{name}: {which} of shape {h.shape} does not match the input of shape {x.shape}; "
                f"expected {form}"
            )
        if x.ndim == 2 and h.shape[0] != x.shape[0]:
            raise ValueError(
                f"{name}: Input batch size {x.shape[0]} doesn't match hidden{k} batch size {h.shape[0]}"
            )
        if h.shape[-1] != self.hidden_size:
            raise ValueError(
                f"{name}: hidden{k} has inconsistent hidden_size: "
                f"got {h.shape[-1]}, expected {self.hidden_size}"
            )
        return h

    def _projections(self, x: Tensor, h: Tensor) -> tuple[Tensor, Tensor]:
        """(W_ih x + b_ih, W_hh h + b_hh), each (..., gates * hidden_size)."""
        return F.linear(x, self.weight_ih, self.bias_ih), F.linear(h, self.weight_hh, self.bias_hh)


def _block(t: Tensor, start: int, stop: int) -> Tensor:
    """t[..., start:stop] through the cheap int/slice path of getitem."""
    return t[(slice(None),) * (t.ndim - 1) + (slice(start, stop),)]


class RNNCell(_Cell):
    """torch.nn.RNNCell, an Elman cell: h' = nonlinearity(W_ih x + b_ih + W_hh h + b_hh).

    nonlinearity: "tanh" (default) or "relu". forward(input, hx=None) -> h'; input
    (batch, input_size) or (input_size,), hx the same layout with hidden_size (zeros if None).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> cell = nn.RNNCell(10, 20, seed=0)
        >>> h = None
        >>> for x in jaring.randn(6, 3, 10, seed=0):  # six steps of a batch of three
        ...     h = cell(x, h)
        >>> h.shape
        (3, 20)
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if nonlinearity not in _NONLINEARITIES:
            raise ValueError(f"RNNCell: Unknown nonlinearity: {nonlinearity!r}; choose 'tanh' or 'relu'")
        self.nonlinearity = nonlinearity
        self._init_cell(input_size, hidden_size, bias, seed, dtype)

    def forward(self, input: Any, hx: Any = None) -> Tensor:
        x = self._input(input)
        h = self._state(hx, x, "hidden", 0)
        gi, gh = self._projections(x, h)
        return F.tanh(gi + gh) if self.nonlinearity == "tanh" else F.relu(gi + gh)


class LSTMCell(_Cell):
    """torch.nn.LSTMCell, gates (i, f, g, o) of W_ih x + b_ih + W_hh h + b_hh:

    c' = f * c + i * g,  h' = o * tanh(c'),  with i, f, o sigmoid and g tanh.
    forward(input, hx=None) -> (h', c'); hx is the pair (h, c), zeros if None.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> cell = nn.LSTMCell(10, 20, seed=0)
        >>> h, c = cell(jaring.randn(3, 10, seed=0))  # state starts at zeros
        >>> h, c = cell(jaring.randn(3, 10, seed=1), (h, c))
        >>> h.shape, c.shape, cell.weight_ih.shape  # torch's (4 * hidden_size, input_size)
        ((3, 20), (3, 20), (80, 10))
    """

    _gates = 4

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self._init_cell(input_size, hidden_size, bias, seed, dtype)

    def forward(self, input: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        x = self._input(input)
        if hx is None:
            hx = (None, None)
        elif not isinstance(hx, (tuple, list)):
            raise TypeError(f"LSTMCell: hx must be a tuple (h_0, c_0), got {type(hx).__name__}")
        if len(hx) != 2:
            raise ValueError(f"LSTMCell: hx must hold two hidden states (h_0, c_0), got {len(hx)}")
        h = self._state(hx[0], x, "hx[0]", 0)
        c = self._state(hx[1], x, "hx[1]", 1)
        gi, gh = self._projections(x, h)
        gates = gi + gh
        size = self.hidden_size
        sig = F.sigmoid(gates)  # i, f and o are read from it; its g block goes unused
        i, f, o = _block(sig, 0, size), _block(sig, size, 2 * size), _block(sig, 3 * size, 4 * size)
        g = F.tanh(_block(gates, 2 * size, 3 * size))
        c_next = f * c + i * g
        return o * F.tanh(c_next), c_next


class GRUCell(_Cell):
    """torch.nn.GRUCell, gates (r, z, n):

    r, z = sigmoid(W_i{r,z} x + b_i{r,z} + W_h{r,z} h + b_h{r,z}),
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)),  h' = (1 - z) * n + z * h.
    forward(input, hx=None) -> h'; hx zeros if None.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> cell = nn.GRUCell(10, 20, seed=0)
        >>> h = cell(jaring.randn(10, seed=0))  # unbatched (input_size,) gives (hidden_size,)
        >>> cell(jaring.randn(10, seed=1), h).shape
        (20,)
    """

    _gates = 3

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self._init_cell(input_size, hidden_size, bias, seed, dtype)

    def forward(self, input: Any, hx: Any = None) -> Tensor:
        x = self._input(input)
        h = self._state(hx, x, "hidden", 0)
        gi, gh = self._projections(x, h)
        size = self.hidden_size
        rz = F.sigmoid(_block(gi, 0, 2 * size) + _block(gh, 0, 2 * size))
        r, z = _block(rz, 0, size), _block(rz, size, 2 * size)
        n = F.tanh(_block(gi, 2 * size, 3 * size) + r * _block(gh, 2 * size, 3 * size))
        return n + z * (h - n)
