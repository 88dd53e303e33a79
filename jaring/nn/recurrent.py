"""Recurrent layers in Keras's style: SimpleRNN, LSTM and GRU, one fused op per sequence (Bidirectional:
jaring/nn/bidirectional.py).

Input (batch, time, features). The output is the final hidden state (batch, units), or every
state (batch, time, units) with return_sequences=True; return_state=True adds the final
states after the output, in Keras's order: (output, h) or, for LSTM, (output, h, c).
Masks: see jaring.nn.embedding (Embedding(mask_zero=True) hands its mask to these layers).

Weights are stored in PyTorch's layout, so weights from either framework map directly:
    weight_ih (gates * units, features) = torch weight_ih_l0 = Keras kernel.T
    weight_hh (gates * units, units)    = torch weight_hh_l0 = Keras recurrent_kernel.T
    bias (gates * units), SimpleRNN and LSTM = torch bias_ih_l0 + bias_hh_l0 = Keras bias
    bias_ih, bias_hh, GRU = torch's two biases = Keras GRU(reset_after=True) bias[0], bias[1]
Gate order: LSTM (i, f, g, o) in both frameworks (Keras calls g "c"). GRU (r, z, n) as in
PyTorch; Keras's GRU stores blocks (z, r, h), so swap its first two blocks when importing.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.embedding import get_mask, with_mask
from jaring.nn.module import Module, Parameter
from jaring.nn import recurrent_torch
from jaring.validation import check_bool
from jaring.ops.recurrent import ACTIVATIONS
from jaring.random import get_rng


def raw_mask(mask: Any) -> Any:
    if mask is None:
        return None
    mask = mask.data if isinstance(mask, Tensor) else mask
    mask = mask if hasattr(mask, "astype") else np.asarray(mask)
    return mask.astype(bool, copy=False)


class Recurrent(Module):
    """What SimpleRNN, LSTM and GRU share: weights (created on first call when input_dim is None),
    input checks, and turning the op's sequence of states into Keras's outputs."""

    _gates = 1

    def __init__(
        self,
        units: int,
        return_sequences: bool,
        return_state: bool,
        go_backwards: bool,
        initializers: tuple,
        input_dim: int | None,
        seed: Any,
        dtype: Any,
    ) -> None:
        super().__init__()
        for what, value in (("units", units), ("input_dim", input_dim)):
            if value is None and what == "input_dim":
                continue
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
                raise ValueError(f"{type(self).__name__}: {what} must be a positive integer, got {value!r}")
        self.units = int(units)
        owner = type(self).__name__
        self.return_sequences = check_bool(owner, "return_sequences", return_sequences)
        self.return_state = check_bool(owner, "return_state", return_state)
        self.go_backwards = check_bool(owner, "go_backwards", go_backwards)
        names = ("kernel_initializer", "recurrent_initializer", "bias_initializer")
        self._inits = tuple(
            init.resolve(spec, argument=f"{owner} {name}") for spec, name in zip(initializers, names)
        )
        self._rng, self._dtype = get_rng(seed), dtype
        self.input_dim: int | None = None
        for name in self._parameter_names():
            self.register_parameter(name, None)
        self._pending_input_dim = input_dim

    def _build_if_known(self) -> None:
        """Create the weights now when input_dim was given (subclasses call it last in __init__)."""
        if self._pending_input_dim is not None:
            self._create(int(self._pending_input_dim))

    def _parameter_names(self) -> tuple:
        return ("weight_ih", "weight_hh", "bias")

    def _create(self, input_dim: int) -> None:
        rows = self._gates * self.units
        kernel, recurrent, bias = self._inits
        self.input_dim = input_dim
        self.weight_ih = Parameter(kernel((rows, input_dim), seed=self._rng, dtype=self._dtype))
        self.weight_hh = Parameter(recurrent((rows, self.units), seed=self._rng, dtype=self._dtype))
        self._create_bias(bias, rows)

    @property
    def built(self) -> bool:
        """True once the weights exist (input_dim given, or learned from the first input)."""
        return self.input_dim is not None

    def _create_bias(self, bias: Callable, rows: int) -> None:
        self.bias = Parameter(bias((rows,), seed=self._rng, dtype=self._dtype))

    def _label(self) -> str:
        return f"{type(self).__name__}(units={self.units})"

    def _input(self, x: Any) -> Tensor:
        shape = tuple(x.shape) if hasattr(x, "shape") else np.shape(x)
        if len(shape) != 3:
            raise ValueError(f"{self._label()} expects input of shape (batch, time, features), got {shape}")
        if self.input_dim is None:
            self._create(int(shape[2]))
        if shape[2] != self.input_dim:
            raise ValueError(
                f"{self._label()} expected input of shape (batch, time, {self.input_dim}), got {shape}"
            )
        dtype = self.weight_ih.dtype
        if not isinstance(x, Tensor):
            return Tensor(x, dtype=dtype)
        return x if x.dtype == dtype else F.cast(x, dtype)

    def _states(self, initial_state: Any, count: int) -> list:
        if initial_state is None:
            return [None] * count
        states = list(initial_state) if isinstance(initial_state, (list, tuple)) else [initial_state]
        if len(states) != count:
            raise ValueError(f"{self._label()} takes {count} initial state(s), got {len(states)}")
        return states

    def run(self, x: Any, mask: Any = None, initial_state: Any = None) -> tuple[Tensor | None, list]:
        """(every state (batch, time, units) aligned with the input steps, or None when the layer
        does not return sequences, [final states])."""
        raise NotImplementedError

    def _finals(self, hs: Tensor) -> tuple[Tensor | None, Tensor]:
        """(the sequence if the layer returns it, the final hidden state) from the op's output."""
        if not self.return_sequences:
            return None, hs
        return hs, hs[:, 0 if self.go_backwards else -1]

    def forward(self, x: Any, mask: Any = None, initial_state: Any = None) -> Any:
        mask = raw_mask(get_mask(x) if mask is None else mask)
        states, finals = self.run(x, mask, initial_state)
        if self.return_sequences:
            out = states
            if self.go_backwards:  # Keras returns the backward pass's outputs in processing order
                out, mask = out[:, ::-1], None if mask is None else mask[:, ::-1]
            out = with_mask(out, mask)
        else:
            out = finals[0]
        return (out, *finals) if self.return_state else out

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), "input_dim": self.input_dim}

    def extra_repr(self) -> str:
        dim = "?" if self.input_dim is None else self.input_dim
        flags = "".join(
            f", {name}=True"
            for name in ("return_sequences", "return_state", "go_backwards")
            if getattr(self, name)
        )
        return f"units={self.units}, input_dim={dim}{flags}"


class SimpleRNN(Recurrent):
    """Keras's SimpleRNN (Elman RNN): h_t = activation(W_ih x_t + b + W_hh h_{t-1}).

    activation: "tanh" (default), "relu", "sigmoid", or "linear"/None.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> rnn = nn.SimpleRNN(16, return_sequences=True, seed=0)
        >>> rnn(jaring.ones(2, 5, 3)).shape
        (2, 5, 16)
    """

    def __init__(
        self,
        units: int,
        activation: str | None = "tanh",
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        kernel_initializer: str | Callable = "glorot_uniform",
        recurrent_initializer: str | Callable = "orthogonal",
        bias_initializer: str | Callable = "zeros",
        input_dim: int | None = None,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        activation = "linear" if activation is None else activation
        if activation not in ACTIVATIONS:
            raise ValueError(
                f"SimpleRNN: unknown activation {activation!r}; choose from {list(ACTIVATIONS)} or None"
            )
        super().__init__(
            units,
            return_sequences,
            return_state,
            go_backwards,
            (kernel_initializer, recurrent_initializer, bias_initializer),
            input_dim,
            seed,
            dtype,
        )
        self.activation = activation
        self._build_if_known()

    def run(self, x: Any, mask: Any = None, initial_state: Any = None) -> tuple[Tensor, list]:
        x = self._input(x)
        (h0,) = self._states(initial_state, 1)
        out = F.simple_rnn(
            x,
            self.weight_ih,
            self.weight_hh,
            self.bias,
            h0,
            mask,
            self.activation,
            self.go_backwards,
            self.return_sequences,
        )
        hs, h = self._finals(out)
        return hs, [h]


class LSTM(Recurrent):
    """Keras's LSTM (the same equations as torch.nn.LSTM), gates (i, f, g, o):

    c_t = f * c_{t-1} + i * g,  h_t = o * tanh(c_t),  i, f, o sigmoid and g tanh of
    W_ih x_t + b + W_hh h_{t-1}. unit_forget_bias=True starts the forget bias at 1 (Keras).
    Only activation="tanh" is supported (the fused op hard-wires tanh and sigmoid).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> lstm = nn.LSTM(16, seed=0)
        >>> lstm(jaring.ones(2, 5, 3)).shape
        (2, 16)
    """

    _gates = 4

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        """With torch's arguments (input_size, hidden_size, ..., batch_first...) nn.LSTM builds
        torch's LSTM (jaring/nn/recurrent_torch.py); with Keras's (units, ...) this layer."""
        if cls is LSTM and recurrent_torch.torch_style_call(args, kwargs):
            return recurrent_torch.LSTM(*args, **kwargs)
        return super().__new__(cls)

    def __init__(
        self,
        units: int,
        activation: str = "tanh",
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        kernel_initializer: str | Callable = "glorot_uniform",
        recurrent_initializer: str | Callable = "orthogonal",
        bias_initializer: str | Callable = "zeros",
        unit_forget_bias: bool = True,
        input_dim: int | None = None,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        _tanh_only("LSTM", activation)
        super().__init__(
            units,
            return_sequences,
            return_state,
            go_backwards,
            (kernel_initializer, recurrent_initializer, bias_initializer),
            input_dim,
            seed,
            dtype,
        )
        self.unit_forget_bias = check_bool("LSTM", "unit_forget_bias", unit_forget_bias)
        self._build_if_known()

    def _create_bias(self, bias: Callable, rows: int) -> None:
        values = bias((rows,), seed=self._rng, dtype=self._dtype)
        if self.unit_forget_bias:
            values[self.units : 2 * self.units] = 1
        self.bias = Parameter(values)

    def run(self, x: Any, mask: Any = None, initial_state: Any = None) -> tuple[Tensor, list]:
        x = self._input(x)
        h0, c0 = self._states(initial_state, 2)
        out, c = F.lstm(
            x,
            self.weight_ih,
            self.weight_hh,
            self.bias,
            h0,
            c0,
            mask,
            self.go_backwards,
            self.return_sequences,
        )
        hs, h = self._finals(out)
        return hs, [h, c]


class GRU(Recurrent):
    """GRU in PyTorch's formulation, which is Keras's GRU(reset_after=True), gates (r, z, n):

    n = tanh(W_in x_t + b_in + r * (W_hn h_{t-1} + b_hn)),  h_t = (1 - z) * n + z * h_{t-1}.
    Only activation="tanh" is supported (the fused op hard-wires tanh and sigmoid).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> out, state = nn.GRU(8, return_state=True, seed=0)(jaring.ones(2, 5, 3))
        >>> out.shape, state.shape
        ((2, 8), (2, 8))
    """

    _gates = 3

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        """With torch's arguments (input_size, hidden_size, ..., batch_first...) nn.GRU builds
        torch's GRU (jaring/nn/recurrent_torch.py); with Keras's (units, ...) this layer."""
        if cls is GRU and recurrent_torch.torch_style_call(args, kwargs):
            return recurrent_torch.GRU(*args, **kwargs)
        return super().__new__(cls)

    def __init__(
        self,
        units: int,
        activation: str = "tanh",
        return_sequences: bool = False,
        return_state: bool = False,
        go_backwards: bool = False,
        kernel_initializer: str | Callable = "glorot_uniform",
        recurrent_initializer: str | Callable = "orthogonal",
        bias_initializer: str | Callable = "zeros",
        input_dim: int | None = None,
        seed: Any = None,
        dtype: Any = None,
    ) -> None:
        _tanh_only("GRU", activation)
        super().__init__(
            units,
            return_sequences,
            return_state,
            go_backwards,
            (kernel_initializer, recurrent_initializer, bias_initializer),
            input_dim,
            seed,
            dtype,
        )
        self._build_if_known()

    def _parameter_names(self) -> tuple:
        return ("weight_ih", "weight_hh", "bias_ih", "bias_hh")

    def _create_bias(self, bias: Callable, rows: int) -> None:
        self.bias_ih = Parameter(bias((rows,), seed=self._rng, dtype=self._dtype))
        self.bias_hh = Parameter(bias((rows,), seed=self._rng, dtype=self._dtype))

    def run(self, x: Any, mask: Any = None, initial_state: Any = None) -> tuple[Tensor, list]:
        x = self._input(x)
        (h0,) = self._states(initial_state, 1)
        out = F.gru(
            x,
            self.weight_ih,
            self.weight_hh,
            self.bias_ih,
            self.bias_hh,
            h0,
            mask,
            self.go_backwards,
            self.return_sequences,
        )
        hs, h = self._finals(out)
        return hs, [h]


def _tanh_only(layer: str, activation: str) -> None:
    if activation != "tanh":
        raise ValueError(f"{layer}: only activation='tanh' is supported, got {activation!r}")
