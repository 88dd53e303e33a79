"""PyTorch copies of jaring models: the same layers holding the same initial weights, returning logits.

FFNN and TextClassifier are copied layer by layer (jaring.io.to_torch converts Sequentials, not
these ready models); CNN's layer stack and a build function's Sequential go through to_torch.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch

from jaring import nn
from jaring.io import to_torch
from jaring.models import CNN, FFNN, TextClassifier

ACTIVATIONS = {
    "ReLU": lambda a: torch.nn.ReLU(), "LeakyReLU": lambda a: torch.nn.LeakyReLU(a.negative_slope),
    "Tanh": lambda a: torch.nn.Tanh(), "Sigmoid": lambda a: torch.nn.Sigmoid(),
    "Identity": lambda a: torch.nn.Identity(), "SiLU": lambda a: torch.nn.SiLU(),
    "ELU": lambda a: torch.nn.ELU(), "GELU": lambda a: torch.nn.GELU(),
}  # fmt: skip


def _array(value: Any) -> torch.Tensor:
    return torch.from_numpy(np.ascontiguousarray(value.numpy() if hasattr(value, "numpy") else value))


def _linear(layer: Any) -> torch.nn.Linear:
    linear = torch.nn.Linear(layer.weight.shape[1], layer.weight.shape[0])
    with torch.no_grad():
        linear.weight.copy_(_array(layer.weight))
        linear.bias.copy_(_array(layer.bias))
    return linear


def ffnn_twin(model: FFNN) -> torch.nn.Sequential:
    """Linear, [RMSNorm], activation per hidden layer, then the output Linear (logits)."""
    modules: list[torch.nn.Module] = []
    last = len(model.layers) - 1
    for i, layer in enumerate(model.layers):
        modules.append(_linear(layer))
        if i == last:
            break
        if model.norms is not None:
            norm = torch.nn.RMSNorm(layer.weight.shape[0], eps=model.norms[i].eps)
            with torch.no_grad():
                norm.weight.copy_(_array(model.norms[i].weight))
            modules.append(norm)
        act = model.acts[i]
        modules.append(ACTIVATIONS[type(act).__name__](act))
    return torch.nn.Sequential(*modules)


class TextTwin(torch.nn.Module):
    """The TextClassifier's network in PyTorch; packed sequences skip padding, as mask_zero does."""

    def __init__(self, model: TextClassifier) -> None:
        super().__init__()
        bi = model.direction == "bi"
        kind = {"LSTM": torch.nn.LSTM, "GRU": torch.nn.GRU}.get(model.cell, torch.nn.RNN)
        self.embedding = torch.nn.Embedding(model.vocab_size, model.embedding.output_dim)
        self.layers = torch.nn.ModuleList()
        width = model.embedding.output_dim
        for units in model.units:
            self.layers.append(kind(width, units, batch_first=True, bidirectional=bi))
            width = 2 * units if bi else units
        self.dropout = torch.nn.Dropout(model.dropout.p)
        self.dense = _linear(model.dense)
        with torch.no_grad():
            self.embedding.weight.copy_(_array(model.embedding.weight))
            for ours, theirs in zip(self.layers, model.recurrent):
                pairs = (
                    [("", theirs.forward_layer), ("_reverse", theirs.backward_layer)]
                    if bi
                    else [("", theirs)]
                )
                for suffix, layer in pairs:
                    getattr(ours, f"weight_ih_l0{suffix}").copy_(_array(layer.weight_ih))
                    getattr(ours, f"weight_hh_l0{suffix}").copy_(_array(layer.weight_hh))
                    getattr(ours, f"bias_ih_l0{suffix}").copy_(_array(layer.bias))  # jaring's one bias
                    getattr(ours, f"bias_hh_l0{suffix}").zero_()

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        lengths = (ids != 0).sum(1).clamp(min=1)  # an empty text reads one padding step
        h: Any = torch.nn.utils.rnn.pack_padded_sequence(
            self.embedding(ids), lengths, batch_first=True, enforce_sorted=False
        )
        for layer in self.layers:
            h, last = layer(h)
        last = last[0] if isinstance(last, tuple) else last  # LSTM: (h_n, c_n)
        return self.dense(self.dropout(torch.cat(list(last), dim=1)))


def _ends_in_softmax(model: Any) -> bool:
    """Whether jaring's cross-entropy fuses the model's final softmax (so the twin must stop before it)."""
    if not isinstance(model, nn.Sequential) or not len(model):
        return False
    last = list(model)[-1]
    return isinstance(last, nn.Softmax) or isinstance(getattr(last, "activation", None), nn.Softmax)


def torch_twin(model: Any) -> torch.nn.Module:
    """A PyTorch module with `model`'s current weights whose outputs are what jaring's loss sees."""
    if isinstance(model, FFNN):
        return ffnn_twin(model)
    if isinstance(model, TextClassifier):
        return TextTwin(model)
    twin = to_torch(model.layers if isinstance(model, CNN) else model)
    if _ends_in_softmax(model) and isinstance(twin[-1], torch.nn.Softmax):
        twin = twin[:-1]
    return twin
