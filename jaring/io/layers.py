"""Which layers of a model hold weights, as the Keras and PyTorch converters both walk them."""

from __future__ import annotations

from jaring import nn
from jaring.nn.module import Module

# The layer classes whose weights the converters move; a model's other modules are looked into.
WEIGHTED: tuple[type, ...] = (
    nn.Dense,
    nn.Linear,
    nn.Conv2D,
    nn.BatchNorm2D,
    nn.Embedding,
    nn.SimpleRNN,
    nn.LSTM,
    nn.GRU,
    nn.Bidirectional,
)


def weighted_layers(model: Module) -> list[tuple[str, Module]]:
    """The model's layers that hold weights, in registration order, without looking inside them."""
    found, stack = [], [("", model)]
    while stack:
        name, module = stack.pop()
        if type(module) in WEIGHTED:
            found.append((name or type(module).__name__, module))
            continue
        kids = [(f"{name}.{n}" if name else n, m) for n, m in module.named_children()]
        stack.extend(reversed(kids))
    return found
