"""What torch's transformer layers share: the activation by name, the checks of inputs and
masks, the causal mask, and the stack of deep copies an encoder or decoder is built from.

A stack's copies start with the same weights, as torch's do (TransformerEncoder deep-copies its
layer). A layer built with a seed owns one Generator for its dropouts; each copy gets a child
of it (Generator.spawn), so the layers of a stack draw different dropout masks, reproducibly.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from jaring import backend
from jaring import functional as F
from jaring.autograd.tensor import Tensor
from jaring.nn.container import ModuleList
from jaring.nn.module import Module
from jaring.ops.dropout import check_probability
from jaring.random import get_rng
from jaring.validation import check_bool

ACTIVATIONS: dict[str, Callable] = {"relu": F.relu, "gelu": F.gelu}


def feedforward_activation(layer: str, activation: Any) -> Callable:
    """torch's activation argument: "relu", "gelu" or any callable (a function or a Module)."""
    if isinstance(activation, str):
        if activation not in ACTIVATIONS:
            raise ValueError(f"{layer}: activation should be relu/gelu, not {activation}")
        return ACTIVATIONS[activation]
    if not callable(activation):
        raise TypeError(f"{layer}: activation must be 'relu', 'gelu' or a callable, got {activation!r:.80}")
    return activation


def check_sizes(layer: str, d_model: Any, nhead: Any, dim_feedforward: Any) -> None:
    """Positive integers, with d_model divisible by nhead (the attention heads split it)."""
    for name, value in (("d_model", d_model), ("nhead", nhead), ("dim_feedforward", dim_feedforward)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
            raise ValueError(f"{layer}: {name} must be a positive integer, got {value!r:.80}")
    if d_model % nhead:
        raise ValueError(f"{layer}: d_model ({d_model}) must be divisible by nhead ({nhead})")


def layer_settings(
    layer: Module,
    d_model: Any,
    nhead: Any,
    dim_feedforward: Any,
    dropout: Any,
    batch_first: Any,
    norm_first: Any,
    seed: Any,
) -> tuple[float, Any]:
    """What an encoder and a decoder layer check and keep alike: the sizes, d_model, batch_first
    and norm_first set on `layer`; returns (the dropout probability, the generator or None)."""
    name = type(layer).__name__
    check_sizes(name, d_model, nhead, dim_feedforward)
    p = check_probability(dropout, name)
    layer.d_model, layer.batch_first = int(d_model), check_bool(name, "batch_first", batch_first)
    layer.norm_first = check_bool(name, "norm_first", norm_first)
    return p, None if seed is None else get_rng(seed)


def check_sequence(layer: str, name: str, x: Any, d_model: int, batch_first: bool, dtype: Any) -> Tensor:
    """A (S, N, E) input, (N, S, E) with batch_first, or unbatched (S, E), E = d_model."""
    x = x if isinstance(x, Tensor) else Tensor(x, dtype=dtype)
    if x.ndim not in (2, 3) or x.shape[-1] != d_model:
        layout = f"(N, S, {d_model})" if batch_first else f"(S, N, {d_model})"
        raise ValueError(
            f"{layer}: expected {name} of shape {layout} or unbatched (S, {d_model}), got {x.shape}"
        )
    return x


def check_mask(layer: str, name: str, mask: Any) -> Any:
    """A mask must be bool (True: do not attend) or float (added to the scores), as torch asks."""
    if mask is None:
        return None
    data = mask.data if isinstance(mask, Tensor) else np.asarray(mask)
    if data.dtype != bool and data.dtype.kind != "f":
        raise TypeError(
            f"{layer}: only bool and floating types of {name} are supported, got dtype {data.dtype}"
        )
    return mask


def square_subsequent_mask(sz: int, dtype: Any = None) -> Tensor:
    """The (sz, sz) float mask with -inf above the diagonal and 0 elsewhere (position i sees j <= i)."""
    if isinstance(sz, bool) or not isinstance(sz, (int, np.integer)) or sz < 0:
        raise ValueError(f"generate_square_subsequent_mask: sz must be an integer >= 0, got {sz!r:.80}")
    dtype = backend.get_default_dtype() if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"generate_square_subsequent_mask: dtype must be a floating dtype, got {dtype}")
    return Tensor(np.triu(np.full((int(sz), int(sz)), -np.inf, dtype=dtype), 1))


def _child_generators(template: Module, clone: Module, children: dict) -> None:
    """Give the clone's modules, in place of their copied Generators, children of the template's."""
    for original, copied in zip(template.modules(), clone.modules()):
        rng = vars(original).get("_rng")
        if isinstance(rng, np.random.Generator):
            if id(rng) not in children:
                children[id(rng)] = rng.spawn(1)[0]
            copied._rng = children[id(rng)]


def clones(layer: Module, num_layers: Any, owner: str) -> ModuleList:
    """num_layers deep copies of layer in a ModuleList (state_dict keys layers.0..., as torch's)."""
    if not isinstance(layer, Module):
        raise TypeError(f"{owner}: the layer to stack must be a Module, got {type(layer).__name__}")
    if isinstance(num_layers, bool) or not isinstance(num_layers, (int, np.integer)) or num_layers < 1:
        raise ValueError(f"{owner}: num_layers must be a positive integer, got {num_layers!r:.80}")
    copies = []
    for _ in range(int(num_layers)):
        clone = copy.deepcopy(layer)
        _child_generators(layer, clone, {})
        copies.append(clone)
    return ModuleList(copies)
