"""How a model looks to the pictures: its layers in forward order, dense layers with their activation.

Every view in jaring.viz (network page, static drawing, weight histograms) reads a model
through here, so they agree on what "layer 2" means: the layers that hold a weight matrix or
kernel (a parameter with two or more axes), in the order data flows through them. For FFNN
that is exactly `model.layers[i]`; normalisation layers (1-d scales) are not counted.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jaring import backend
from jaring.nn.activation import ACTIVATIONS, Lambda
from jaring.nn.container import ModuleList, Sequential
from jaring.nn.linear import Dense
from jaring.nn.module import Module

# The first name of each activation class ("linear" before "identity") is the one shown.
_ACTIVATION_NAMES: dict[type, str] = {}
for _name, _cls in ACTIVATIONS.items():
    _ACTIVATION_NAMES.setdefault(_cls, _name)


def activation_name(module: Module) -> str | None:
    """The name shown for an activation module ("relu", "softmax"; a Lambda's function name), else None."""
    if isinstance(module, Lambda):
        return getattr(module.fn, "__name__", "lambda")
    return _ACTIVATION_NAMES.get(type(module))


@dataclass
class DenseLayer:
    """A fully connected layer: weight (out, in), optional bias, and the activation applied after it."""

    name: str
    module: Module
    activation: str = "linear"

    @property
    def weight(self) -> Any:
        return self.module.weight

    @property
    def bias(self) -> Any:
        return self.module.bias


@dataclass
class Block:
    """Any other layer (convolution, recurrence, pooling, flatten, ...): drawn as one box."""

    name: str
    module: Module
    activations: list[str] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return type(self.module).__name__


def _children_in_order(module: Module) -> list[tuple[str, Module]]:
    """Children in forward order; FFNN keeps layers, norms and activations in parallel lists."""
    layers, acts = getattr(module, "layers", None), getattr(module, "acts", None)
    if isinstance(layers, ModuleList) and isinstance(acts, ModuleList) and len(layers) == len(acts):
        norms = getattr(module, "norms", None)
        ordered = []
        for i in range(len(layers)):
            ordered.append((f"layers.{i}", layers[i]))
            if isinstance(norms, ModuleList) and i < len(norms):
                ordered.append((f"norms.{i}", norms[i]))
            ordered.append((f"acts.{i}", acts[i]))
        return ordered
    return list(module.named_children())


def forward_modules(model: Module) -> list[tuple[str, Module]]:
    """The leaf layers of `model` (dotted name, module) in the order its forward uses them.

    Containers (Sequential, ModuleList, modules without parameters of their own, such as
    FFNN) are opened; a module with its own parameters (Dense with its activation) is one layer.
    """
    found: list[tuple[str, Module]] = []
    stack: list[tuple[str, Module]] = [("", model)]
    while stack:
        name, module = stack.pop()
        kids = _children_in_order(module)
        own = any(p is not None for p in module._parameters.values())
        container = isinstance(module, (Sequential, ModuleList)) or not own
        if kids and container:
            stack.extend((f"{name}.{n}" if name else n, m) for n, m in reversed(kids))
        else:
            found.append((name or type(module).__name__, module))
    return found


def _is_dense(module: Module) -> bool:
    weight = module._parameters.get("weight")
    # Linear (and layers like it) say in_features; Dense says input_dim as Embedding does: test the class
    return (
        weight is not None
        and weight.ndim == 2
        and (isinstance(module, Dense) or "in_features" in vars(module))
    )


def check_built(model: Module) -> None:
    """Raise the Keras-style advice when a lazy layer has no weights yet (or for a non-Module)."""
    if not isinstance(model, Module):
        raise TypeError(f"jaring.viz needs a jaring.nn.Module, got {type(model).__name__}")
    for name, module in model.named_modules():
        if not module.built and all(child.built for child in module.children()):
            raise ValueError(
                f"layer {name or type(module).__name__} ({type(module).__name__}) has no weights yet because "
                "its input size is unknown: call model.build(input_shape) or run one batch through the "
                "model first"
            )


def stages(model: Module) -> list[DenseLayer | Block]:
    """Dense layers and other blocks in forward order, activation modules folded into them."""
    check_built(model)
    result: list[DenseLayer | Block] = []
    for name, module in forward_modules(model):
        act = activation_name(module)
        if act is not None and result:
            last = result[-1]
            if isinstance(last, DenseLayer) and last.activation == "linear":
                last.activation = act
            elif isinstance(last, Block):
                last.activations.append(act)
            else:
                result.append(Block(name, module))
            continue
        if act is not None:  # an activation before any layer: show it as its own box
            result.append(Block(name, module))
            continue
        inner = getattr(module, "activation", None)
        inner_name = activation_name(inner) if isinstance(inner, Module) else None
        if _is_dense(module):
            result.append(DenseLayer(name, module, inner_name or "linear"))
        else:
            result.append(Block(name, module, [inner_name] if inner_name and inner_name != "linear" else []))
    return result


def weighted_layers(model: Module) -> list[tuple[str, Module]]:
    """The layers that hold a weight matrix or kernel, in forward order (what layer indices count)."""
    check_built(model)
    return [
        (name, module)
        for name, module in forward_modules(model)
        if any(p is not None and p.ndim >= 2 for p in module._parameters.values())
    ]


def select_layers(model: Module, layers: Any) -> list[tuple[int, str, Module]]:
    """(index, name, module) for each requested layer: indices (negative ok) or dotted names; None = all."""
    available = weighted_layers(model)
    if not available:
        raise ValueError(f"{type(model).__name__} has no layers with weights to plot")
    listing = ", ".join(f"{i}: {n} ({type(m).__name__})" for i, (n, m) in enumerate(available))
    if layers is None:
        return [(i, n, m) for i, (n, m) in enumerate(available)]
    if isinstance(layers, (int, np.integer, str)):
        layers = [layers]
    chosen = []
    names = [n for n, _ in available]
    for spec in layers:
        if isinstance(spec, str):
            if spec not in names:
                raise ValueError(f"no layer named {spec!r}; the layers with weights are {listing}")
            index = names.index(spec)
        elif isinstance(spec, (int, np.integer)) and not isinstance(spec, bool):
            if not -len(available) <= spec < len(available):
                raise IndexError(
                    f"layer {spec} is out of range: this model has {len(available)} layers with weights "
                    f"({listing})"
                )
            index = int(spec) % len(available)
        else:
            raise TypeError(f"layers are given by index or name, got {type(spec).__name__}: {spec!r}")
        chosen.append((index, *available[index]))
    if not chosen:
        raise ValueError(f"layers=[] selects nothing; the layers with weights are {listing}")
    return chosen


def to_numpy(tensor: Any) -> np.ndarray | None:
    """A parameter's (or gradient's) values as a NumPy array, None for None."""
    if tensor is None:
        return None
    return np.asarray(backend.to_numpy(getattr(tensor, "data", tensor)))


def stats(values: np.ndarray | None) -> dict[str, float] | None:
    """mean, std, min, max and count of an array, as plain floats (None for no array)."""
    if values is None or values.size == 0:
        return None
    v = values.astype(np.float64, copy=False)
    return {
        "mean": float(v.mean()),
        "std": float(v.std()),
        "min": float(v.min()),
        "max": float(v.max()),
        "count": int(v.size),
    }


def _grad_array(param: Any) -> np.ndarray | None:
    return None if param is None or param.grad is None else to_numpy(param.grad)


def network_columns(model: Module) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The network as columns (neurons or blocks) and links between neighbouring columns.

    A neuron column: {"kind": "neurons", "label", "name", "size", "activation"}; a block:
    {"kind": "block", "label", "name", "detail", "activation", "module"}. A link is
    {"kind": "flow"} or {"kind": "dense", "layer", "W" (out, in), "G", "B", "BG"} (NumPy
    arrays, gradients None before a backward pass). A dense layer whose input is not a
    neuron column of the right size gets one ("input", or "<previous> output").
    """
    columns: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    hidden = 0
    for stage in stages(model):
        if isinstance(stage, Block):
            columns.append(
                {
                    "kind": "block",
                    "label": stage.kind,
                    "name": stage.name,
                    "detail": stage.module.extra_repr(),
                    "activation": ", ".join(stage.activations) or None,
                    "module": stage.module,
                }
            )
            if len(columns) > 1:
                links.append({"kind": "flow"})
            continue
        weight = to_numpy(stage.weight)
        n_out, n_in = weight.shape
        last = columns[-1] if columns else None
        if last is None or last["kind"] != "neurons" or last["size"] != n_in:
            label = "input" if last is None else f"{last['label']} output"
            columns.append({"kind": "neurons", "label": label, "name": "", "size": n_in, "activation": None})
            if last is not None:
                links.append({"kind": "flow"})
        hidden += 1
        columns.append(
            {"kind": "neurons", "label": f"hidden {hidden}", "name": stage.name, "size": n_out,
             "activation": stage.activation}
        )  # fmt: skip
        links.append(
            {
                "kind": "dense",
                "layer": stage.name,
                "W": weight,
                "G": _grad_array(stage.weight),
                "B": to_numpy(stage.bias),
                "BG": _grad_array(stage.bias),
            }
        )
    if not columns:
        raise ValueError(f"{type(model).__name__} has no layers to draw")
    if columns[-1]["kind"] == "neurons" and columns[-1]["name"]:
        columns[-1]["label"] = "output"
    return columns, links
