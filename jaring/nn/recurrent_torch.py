"""PyTorch's multi-layer recurrent modules: RNN, LSTM and GRU over whole sequences.

torch's constructor words, forward and state_dict; underneath, each layer and direction is one
call of jaring's fused recurrent ops (jaring/ops/recurrent), which run the sequence with
backpropagation through time inside and keep the Numba kernels' speed. The ops already take
torch's weight layout and gate order (LSTM (i, f, g, o), GRU (r, z, n)); SimpleRNN and LSTM take
one bias, torch's bias_ih + bias_hh, added with a jaring op so both Parameters get the gradient.

    weight_ih_l{k}{_reverse} (gates * hidden_size, input size of layer k)
    weight_hh_l{k}{_reverse} (gates * hidden_size, hidden_size)
    bias_ih_l{k}{_reverse}, bias_hh_l{k}{_reverse} (gates * hidden_size), all U(+-1/sqrt(hidden_size))

Input (L, N, H_in), (N, L, H_in) with batch_first=True, or unbatched (L, H_in); h_0 (and the
LSTM's c_0) (D * num_layers, N, hidden_size), or (D * num_layers, hidden_size) unbatched, zeros
when not given. forward returns (output, h_n), the LSTM (output, (h_n, c_n)); output holds the
last layer's states of every step, both directions side by side. A PackedSequence input (from
pack_padded_sequence) is padded out and run with the ops' mask, so each sequence stops at its own
last step and the reverse direction starts there, as in torch; output is then a PackedSequence
and h_n each sequence's state at its last step, both in the input's batch order. `nn.LSTM` and `nn.GRU` called
with torch's arguments (two sizes, or a keyword such as batch_first) build these classes; called
with Keras's (units, ...) they build the Keras-style layers of jaring/nn/recurrent.py.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.recurrent_torch_base import RNNBase, torch_style_call

__all__ = ["GRU", "LSTM", "RNN", "RNNBase", "torch_style_call"]


def _last(hs: Tensor, go_backwards: bool) -> Tensor:
    """The state a direction ends in: the last step's, or the first step's when run backwards."""
    return hs[:, 0] if go_backwards else hs[:, -1]


class RNN(RNNBase):
    """torch.nn.RNN, a stack of Elman layers: h_t = nonlinearity(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh).

    nonlinearity "tanh" (default) or "relu". forward(input, hx=None) -> (output, h_n).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> rnn = nn.RNN(10, 20, num_layers=2, seed=0)
        >>> output, h_n = rnn(jaring.randn(5, 3, 10, seed=0))  # (L, N, H_in)
        >>> output.shape, h_n.shape
        ((5, 3, 20), (2, 3, 20))
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"RNN: Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        self.nonlinearity = nonlinearity
        self._mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        self._setup(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, seed, dtype
        )

    def forward(self, input: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        x, unbatched, packed = self._input(input)
        h0 = self._state(hx, x.shape[0], unbatched, "hidden")
        out, finals = self._run(x, [h0], packed)
        out, (h_n,) = self._finish(out, finals, unbatched, packed)
        return out, h_n

    def _direction(
        self, x: Tensor, suffix: str, start: list, go_backwards: bool, mask: Any
    ) -> tuple[Tensor, list]:
        w_ih, w_hh, _, _ = self._weights(suffix)
        hs = F.simple_rnn(
            x, w_ih, w_hh, self._summed_bias(suffix), start[0], mask, self.nonlinearity, go_backwards, True
        )
        return hs, [_last(hs, go_backwards)]

    def extra_repr(self) -> str:
        s = super().extra_repr()
        return s if self.nonlinearity == "tanh" else s + f", nonlinearity={self.nonlinearity!r}"


class LSTM(RNNBase):
    """torch.nn.LSTM: c_t = f * c_{t-1} + i * g, h_t = o * tanh(c_t), gates (i, f, g, o).

    forward(input, hx=None) -> (output, (h_n, c_n)); hx is the tuple (h_0, c_0).
    proj_size > 0 (LSTM with projections) is not supported.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> lstm = nn.LSTM(10, 20, batch_first=True, seed=0)
        >>> output, (h_n, c_n) = lstm(jaring.randn(3, 5, 10, seed=0))  # (N, L, H_in)
        >>> output.shape, h_n.shape, c_n.shape
        ((3, 5, 20), (1, 3, 20), (1, 3, 20))
    """

    _mode = "LSTM"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        proj_size: int = 0,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        if isinstance(proj_size, bool) or not isinstance(proj_size, (int, np.integer)) or proj_size < 0:
            raise ValueError(
                "LSTM: proj_size should be a positive integer or zero to disable projections, "
                f"got {proj_size!r}"
            )
        if proj_size > 0:
            raise NotImplementedError(
                f"LSTM: proj_size={proj_size} (an LSTM with projections) is not supported by jaring; use "
                "proj_size=0 and an nn.Linear on the output"
            )
        self.proj_size = 0
        self._setup(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, seed, dtype
        )

    def forward(self, input: Any, hx: Any = None) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        x, unbatched, packed = self._input(input)
        h0 = c0 = None
        if hx is not None:
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise TypeError(f"LSTM: hx must be a tuple (h_0, c_0), got {type(hx).__name__}")
            h0 = self._state(hx[0], x.shape[0], unbatched, "hidden[0]")
            c0 = self._state(hx[1], x.shape[0], unbatched, "hidden[1]")
        out, finals = self._run(x, [h0, c0], packed)
        out, (h_n, c_n) = self._finish(out, finals, unbatched, packed)
        return out, (h_n, c_n)

    def _direction(
        self, x: Tensor, suffix: str, start: list, go_backwards: bool, mask: Any
    ) -> tuple[Tensor, list]:
        w_ih, w_hh, _, _ = self._weights(suffix)
        hs, c = F.lstm(x, w_ih, w_hh, self._summed_bias(suffix), start[0], start[1], mask, go_backwards, True)
        return hs, [_last(hs, go_backwards), c]


class GRU(RNNBase):
    """torch.nn.GRU: n = tanh(W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn)), h_t = (1 - z) * n + z * h_{t-1}.

    Gates (r, z, n). forward(input, hx=None) -> (output, h_n).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> gru = nn.GRU(10, 20, bidirectional=True, seed=0)
        >>> output, h_n = gru(jaring.randn(5, 10, seed=0))  # unbatched (L, H_in)
        >>> output.shape, h_n.shape
        ((5, 40), (2, 20))
    """

    _mode = "GRU"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        super().__init__()
        self._setup(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, seed, dtype
        )

    def forward(self, input: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        x, unbatched, packed = self._input(input)
        h0 = self._state(hx, x.shape[0], unbatched, "hidden")
        out, finals = self._run(x, [h0], packed)
        out, (h_n,) = self._finish(out, finals, unbatched, packed)
        return out, h_n

    def _direction(
        self, x: Tensor, suffix: str, start: list, go_backwards: bool, mask: Any
    ) -> tuple[Tensor, list]:
        w_ih, w_hh, b_ih, b_hh = self._weights(suffix)
        hs = F.gru(x, w_ih, w_hh, b_ih, b_hh, start[0], mask, go_backwards, True)
        return hs, [_last(hs, go_backwards)]
