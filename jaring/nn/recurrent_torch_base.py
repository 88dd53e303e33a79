"""What torch's RNN, LSTM and GRU share (jaring/nn/recurrent_torch.py): torch's settings,
Parameters and init, the checks of the input and the initial states, and the loop over layers and
directions, each layer and direction one call of a fused recurrent op.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn import init
from jaring.nn.module import Module, Parameter
from jaring.nn.utils_rnn_packed import PackedSequence, pack_like, pad_packed_sequence, step_mask
from jaring.random import get_rng
from jaring.validation import check_bool

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}
_TORCH_WORDS = frozenset(
    (
        "input_size",
        "hidden_size",
        "num_layers",
        "bias",
        "batch_first",
        "dropout",
        "bidirectional",
        "proj_size",
    )
)


def torch_style_call(args: tuple, kwargs: dict) -> bool:
    """Whether nn.LSTM / nn.GRU was called with torch's arguments: a second size given by position
    (Keras's second argument is the activation) or one of torch's keywords."""
    second_is_size = (
        len(args) >= 2 and isinstance(args[1], (int, np.integer)) and not isinstance(args[1], bool)
    )
    return second_is_size or bool(_TORCH_WORDS & kwargs.keys())


def _positive(layer: str, name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{layer}: {name} must be a positive integer, got {value!r}")
    return int(value)


class RNNBase(Module):
    """What RNN, LSTM and GRU share: torch's settings, Parameters and init, the checks of the input
    and the initial state, and the loop over layers and directions."""

    _mode = "RNN_TANH"

    def _setup(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int,
        bias: bool,
        batch_first: bool,
        dropout: float,
        bidirectional: bool,
        seed: Any,
        dtype: Any,
    ) -> None:
        name = type(self).__name__
        self.input_size = _positive(name, "input_size", input_size)
        self.hidden_size = _positive(name, "hidden_size", hidden_size)
        self.num_layers = _positive(name, "num_layers", num_layers)
        self.bias = check_bool(name, "bias", bias)
        self.batch_first = check_bool(name, "batch_first", batch_first)
        self.bidirectional = check_bool(name, "bidirectional", bidirectional)
        if (
            isinstance(dropout, bool)
            or not isinstance(dropout, (int, float, np.number))
            or not 0 <= dropout <= 1
        ):
            raise ValueError(
                f"{name}: dropout should be a number in range [0, 1] representing the probability of an "
                f"element being zeroed, got {dropout!r}"
            )
        self.dropout = float(dropout)
        if self.dropout > 0 and self.num_layers == 1:
            warnings.warn(
                "dropout option adds dropout after all but last recurrent layer, so non-zero dropout "
                f"expects num_layers greater than 1, but got dropout={self.dropout} and "
                f"num_layers={self.num_layers}",
                UserWarning,
                stacklevel=3,
            )
        self._rng = None if seed is None else get_rng(seed)
        bound = 1.0 / math.sqrt(self.hidden_size)
        uniform = init.resolve("uniform", lower=-bound, upper=bound)
        rng, rows = get_rng(seed) if self._rng is None else self._rng, _GATES[self._mode] * self.hidden_size
        for k in range(self.num_layers):
            features = self.input_size if k == 0 else self.hidden_size * self.directions
            for suffix in self._suffixes(k):
                self.register_parameter(
                    f"weight_ih{suffix}", Parameter(uniform((rows, features), seed=rng, dtype=dtype))
                )
                self.register_parameter(
                    f"weight_hh{suffix}", Parameter(uniform((rows, self.hidden_size), seed=rng, dtype=dtype))
                )
                for key in ("bias_ih", "bias_hh"):
                    value = Parameter(uniform((rows,), seed=rng, dtype=dtype)) if self.bias else None
                    self.register_parameter(f"{key}{suffix}", value)

    @property
    def directions(self) -> int:
        return 2 if self.bidirectional else 1

    def _suffixes(self, k: int) -> tuple[str, ...]:
        return (f"_l{k}", f"_l{k}_reverse")[: self.directions]

    def flatten_parameters(self) -> None:
        """Does nothing: torch packs its weights for cuDNN here; jaring's ops take them as they are."""

    @property
    def all_weights(self) -> list[list[Parameter]]:
        """torch's all_weights: for each layer and direction [weight_ih, weight_hh(, bias_ih, bias_hh)]."""
        keys = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")[: 4 if self.bias else 2]
        return [
            [getattr(self, key + s) for key in keys]
            for k in range(self.num_layers)
            for s in self._suffixes(k)
        ]

    def _tensor(self, value: Any) -> Tensor:
        dtype = self.weight_ih_l0.dtype
        value = value if isinstance(value, Tensor) else Tensor(value, dtype=dtype)
        return value if value.dtype == dtype else F.cast(value, dtype)

    def _input(self, x: Any) -> tuple[Tensor, bool, PackedSequence | None]:
        """(x batch-first (N, L, H_in), whether it came unbatched, the PackedSequence it came as or
        None). A PackedSequence is padded out in its original batch order."""
        name, packed = type(self).__name__, None
        if isinstance(x, PackedSequence):
            packed = x
            if packed.data.ndim != 2:
                raise ValueError(
                    f"{name}: input must have 2 dimensions, got {packed.data.ndim} (a PackedSequence's "
                    "data is (sum of lengths, input_size))"
                )
            x = pad_packed_sequence(packed, batch_first=True)[0]
        x = self._tensor(x)
        if x.ndim not in (2, 3):
            raise ValueError(f"{name}: Expected input to be 2D or 3D, got {x.ndim}D tensor instead")
        if x.shape[-1] != self.input_size:
            raise ValueError(
                f"{name}: input.size(-1) must be equal to input_size. "
                f"Expected {self.input_size}, got {x.shape[-1]}"
            )
        if x.ndim == 2:
            return F.unsqueeze(x, 0), True, None
        return (x if self.batch_first or packed is not None else F.swapaxes(x, 0, 1)), False, packed

    def _state(self, h: Any, batch: int, unbatched: bool, label: str) -> Tensor | None:
        """The initial state checked against torch's shape and made (layers * D, N, hidden), or None."""
        if h is None:
            return None
        name, h = type(self).__name__, self._tensor(h)
        want = 2 if unbatched else 3
        if h.ndim != want:
            kind = "unbatched 2-D" if unbatched else "batched 3-D"
            raise ValueError(
                f"{name}: For {kind} input, {label} should also be {want}-D but got {h.ndim}-D tensor"
            )
        h = F.unsqueeze(h, 1) if unbatched else h
        expected = (self.num_layers * self.directions, batch, self.hidden_size)
        if tuple(h.shape) != expected:
            shown = expected if not unbatched else (expected[0], expected[2])
            got = list(h.shape) if not unbatched else [h.shape[0], h.shape[2]]
            raise ValueError(f"{name}: Expected {label} size {shown}, got {got}")
        return h

    def _run(
        self, x: Tensor, states: list, packed: PackedSequence | None = None
    ) -> tuple[Tensor, list[list[Tensor]]]:
        """(the last layer's outputs (N, L, D * hidden), per state kind the finals of every layer
        and direction in torch's order). With a packed input the ops skip each sequence's padded
        steps (their mask), so the reverse direction starts at each sequence's own last step."""
        finals: list[list[Tensor]] = [[] for _ in states]
        mask = None if packed is None else backend.array_module(x.data).asarray(step_mask(packed))
        for k in range(self.num_layers):
            outputs = []
            for d, suffix in enumerate(self._suffixes(k)):
                index = k * self.directions + d
                start = [None if s is None else s[index] for s in states]
                out, ends = self._direction(x, suffix, start, d == 1, mask)
                outputs.append(out)
                for kind, end in zip(finals, ends):
                    kind.append(end)
            x = outputs[0] if len(outputs) == 1 else F.concat(outputs, axis=-1)
            if k < self.num_layers - 1 and self.training and self.dropout > 0:
                x = x * 0 if self.dropout == 1 else F.dropout(x, self.dropout, training=True, seed=self._rng)
        return x, finals

    def _direction(
        self, x: Tensor, suffix: str, start: list, go_backwards: bool, mask: Any
    ) -> tuple[Tensor, list]:
        """One layer in one direction, skipping the steps where mask (N, L) is false, or none when
        it is None: (every state (N, L, hidden), [final states])."""
        raise NotImplementedError

    def _weights(self, suffix: str) -> tuple:
        return tuple(
            getattr(self, f"{key}{suffix}") for key in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
        )

    def _summed_bias(self, suffix: str) -> Tensor | None:
        """torch's two biases as the one bias the SimpleRNN and LSTM ops take."""
        _, _, b_ih, b_hh = self._weights(suffix)
        return None if b_ih is None else b_ih + b_hh

    def _finish(
        self, out: Tensor, finals: list[list[Tensor]], unbatched: bool, packed: PackedSequence | None = None
    ) -> tuple[Any, list[Tensor]]:
        """torch's output layout (a PackedSequence like the input's for a packed input) and the
        stacked final states (layers * D, N, hidden)."""
        stacked = [F.stack(kind, axis=0) for kind in finals]
        if packed is not None:
            return pack_like(out, packed, batch_first=True), stacked
        if unbatched:
            return F.squeeze(out, 0), [F.squeeze(s, 1) for s in stacked]
        return (out if self.batch_first else F.swapaxes(out, 0, 1)), stacked

    def extra_repr(self) -> str:
        s = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            s += f", num_layers={self.num_layers}"
        if not self.bias:
            s += ", bias=False"
        if self.batch_first:
            s += ", batch_first=True"
        if self.dropout != 0:
            s += f", dropout={self.dropout}"
        if self.bidirectional:
            s += ", bidirectional=True"
        return s
