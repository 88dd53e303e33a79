"""Bidirectional: a recurrent layer run forwards and a copy of it run backwards, outputs merged (Keras)."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.embedding import get_mask, with_mask
from jaring.nn.module import Module
from jaring.nn.recurrent import LSTM, Recurrent, raw_mask


MERGE_MODES = ("concat", "sum", "mul", "ave", None)


class Bidirectional(Module):
    """Runs `layer` forwards and a copy of it backwards over each sequence, then merges the two.

    The copy has its own weights, drawn from a seed derived from the layer's. With a mask, the
    backward pass reads only the real steps of each sequence, last to first (masked steps leave
    its state unchanged), and with return_sequences the outputs at masked steps are zero (as in
    Keras). merge_mode: "concat" (features of both directions side by side), "sum", "mul",
    "ave", or None (a tuple of both outputs). return_state adds the forward layer's final
    states, then the backward layer's.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> bi = nn.Bidirectional(nn.LSTM(8, seed=0))
        >>> bi(jaring.ones(2, 5, 3)).shape
        (2, 16)
    """

    def __init__(self, layer: Recurrent, merge_mode: str | None = "concat") -> None:
        super().__init__()
        if not isinstance(layer, Recurrent):
            raise TypeError(f"Bidirectional wraps a SimpleRNN, LSTM or GRU layer, got {type(layer).__name__}")
        if merge_mode not in MERGE_MODES:
            raise ValueError(
                f"Bidirectional: unknown merge_mode {merge_mode!r}; choose from {list(MERGE_MODES)}"
            )
        self.merge_mode = merge_mode
        config = layer.get_config()
        seed = config.get("seed")
        if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            seed = np.random.default_rng([int(seed), 1])  # a different, reproducible stream
        config.update(go_backwards=not layer.go_backwards, seed=seed)
        self.forward_layer = layer
        self.backward_layer = type(layer)(**config)
        self.return_sequences, self.return_state = layer.return_sequences, layer.return_state

    def forward(self, x: Any, mask: Any = None, initial_state: Any = None) -> Any:
        mask = raw_mask(get_mask(x) if mask is None else mask)
        count = 2 if isinstance(self.forward_layer, LSTM) else 1
        states = [None] * (2 * count) if initial_state is None else list(initial_state)
        if len(states) != 2 * count:
            raise ValueError(
                f"Bidirectional({self.forward_layer._label()}) takes {2 * count} initial states "
                f"(forward then backward), got {len(states)}"
            )
        seq_f, finals_f = self.forward_layer.run(x, mask, states[:count] if initial_state else None)
        seq_b, finals_b = self.backward_layer.run(x, mask, states[count:] if initial_state else None)
        if self.return_sequences:
            if mask is not None:
                real = Tensor(mask[:, :, None].astype(seq_f.dtype))
                seq_f, seq_b = seq_f * real, seq_b * real
            out_f, out_b = seq_f, seq_b
        else:
            out_f, out_b = finals_f[0], finals_b[0]
        out = self._merge(out_f, out_b)
        if self.return_sequences and self.merge_mode is not None:
            out = with_mask(out, mask)
        return (out, *finals_f, *finals_b) if self.return_state else out

    def _merge(self, a: Tensor, b: Tensor) -> Any:
        if self.merge_mode == "concat":
            return F.concat([a, b], axis=-1)
        if self.merge_mode == "sum":
            return a + b
        if self.merge_mode == "mul":
            return a * b
        if self.merge_mode == "ave":
            return (a + b) * 0.5
        return a, b

    def extra_repr(self) -> str:
        return f"merge_mode={self.merge_mode!r}"
