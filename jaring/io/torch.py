"""Move models between jaring and PyTorch with the same outputs: `from_torch` and `to_torch`.

model = jaring.io.from_torch(torch_sequential)        # rebuild a torch.nn.Sequential in jaring
jaring.io.from_torch(state_dict, model=my_model)       # or copy a state_dict into a jaring model
torch_model = jaring.io.to_torch(model)                # and back: a torch.nn.Sequential

torch is optional: it is imported on first use, with a clear error when it is missing.
Both directions know Linear/Dense, Conv2D, BatchNorm2D, max/average pooling, global pooling,
Flatten, Dropout, Embedding, SimpleRNN (torch RNN), LSTM, GRU, Bidirectional and the
activations. Recurrent layers: jaring's return only the final hidden state unless
return_sequences=True, torch's return (output, h_n); `to_torch` wraps each in a
`RecurrentLayer` that returns what the jaring layer returns. jaring's single recurrent
bias is torch's bias_ih + bias_hh. A channels-last jaring model gets `Permute` layers
around its image layers, so the torch model takes the same NHWC input and flattens in the
same order.
"""

from __future__ import annotations

import functools
from typing import Any
from collections.abc import Mapping

import numpy as np

from jaring import backend
from jaring import nn
from jaring.autograd.tensor import Tensor
from jaring.io.layers import weighted_layers
from jaring.nn.module import Module
from jaring.ops.geometry import same_padding


class TorchConversionError(ValueError):
    """A model or state_dict that cannot move between jaring and PyTorch; the message names the layer."""


def _torch() -> Any:
    try:
        import torch
    except ImportError:
        raise ImportError(
            "jaring.io.from_torch / to_torch need PyTorch, which is not installed: pip install torch"
        ) from None
    return torch


@functools.cache
def _adapters() -> dict[str, type]:
    """The small torch modules that make torch behave like the jaring layers (built on first use)."""
    torch = _torch()

    class RecurrentLayer(torch.nn.Module):
        """A batch-first torch RNN/LSTM/GRU returning the whole output sequence (return_sequences)
        or the final hidden state, both directions side by side, as jaring's layers do."""

        def __init__(self, rnn: Any, return_sequences: bool = False) -> None:
            super().__init__()
            self.rnn, self.return_sequences = rnn, bool(return_sequences)

        def forward(self, x: Any) -> Any:
            out, h = self.rnn(x)
            if self.return_sequences:
                return out
            h = h[0] if isinstance(h, tuple) else h
            return torch.cat(list(h[-2:] if self.rnn.bidirectional else h[-1:]), dim=-1)

        def extra_repr(self) -> str:
            return f"return_sequences={self.return_sequences}"

    class Permute(torch.nn.Module):
        """x.permute(dims): NHWC <-> NCHW at the edges of a channels-last model's image layers."""

        def __init__(self, dims: tuple) -> None:
            super().__init__()
            self.dims = tuple(dims)

        def forward(self, x: Any) -> Any:
            return x.permute(*self.dims)

        def extra_repr(self) -> str:
            return f"dims={self.dims}"

    class SamePadding(torch.nn.Module):
        """Zero padding with TensorFlow's "same" rule (the odd pixel bottom/right), from the input size."""

        def __init__(self, kernel_size: tuple, stride: tuple, dilation: tuple) -> None:
            super().__init__()
            self.kernel_size, self.stride, self.dilation = kernel_size, stride, dilation

        def forward(self, x: Any) -> Any:
            rows = same_padding(x.shape[2], self.kernel_size[0], self.stride[0], self.dilation[0])
            cols = same_padding(x.shape[3], self.kernel_size[1], self.stride[1], self.dilation[1])
            return torch.nn.functional.pad(x, (*cols, *rows))

    for cls in (RecurrentLayer, Permute, SamePadding):
        cls.__module__, cls.__qualname__ = __name__, cls.__name__  # so pickle finds them here
    return {cls.__name__: cls for cls in (RecurrentLayer, Permute, SamePadding)}


def __getattr__(name: str) -> type:
    """`jaring.io.torch.RecurrentLayer` etc., created when first asked for (they need torch)."""
    if name in ("RecurrentLayer", "Permute", "SamePadding"):
        return _adapters()[name]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _numpy(value: Any) -> np.ndarray:
    """A NumPy array from a jaring Tensor, a torch tensor or an array."""
    if isinstance(value, Tensor):
        return np.asarray(backend.to_numpy(value.data))
    if hasattr(value, "detach"):
        return value.detach().cpu().numpy()
    return np.asarray(value)


# ----- torch -> jaring -----------------------------------------------------------------------


def from_torch(source: Any, model: Module | None = None) -> Module:
    """A jaring model computing what the torch model computes, in eval mode.

    `source` is a torch.nn.Module or a state_dict. Without `model`, `source` must be a
    torch.nn.Sequential (nested ones are flattened); it is rebuilt layer by layer, images
    channels-first as in torch. With `model`, the weights are copied into that jaring model:
    its weighted layers are matched in order to the state_dict's (a torch LSTM with
    num_layers=k fills k jaring layers). Build such a model channels-first
    (data_format="channels_first") so Flatten keeps torch's order.
    """
    torch = _torch()
    if model is not None:
        state = source.state_dict() if isinstance(source, torch.nn.Module) else source
        if not isinstance(state, Mapping):
            raise TypeError(f"from_torch takes a torch Module or a state_dict, got {type(source).__name__}")
        load_torch_state(model, state)
        return model.eval()
    if isinstance(source, Mapping):
        raise TorchConversionError(
            "a state_dict holds weights but no architecture: build the model in jaring and pass model="
        )
    if not isinstance(source, torch.nn.Sequential):
        raise TorchConversionError(
            f"from_torch can rebuild only torch.nn.Sequential models (the order a custom "
            f"{type(source).__name__}.forward calls its layers is unknown): build the same model in "
            "jaring and pass model= to copy the weights"
        )
    modules = _flat(source)
    layers: dict[str, Module] = {}
    i = 0
    while i < len(modules):
        name, module = modules[i]
        following = modules[i + 1][1] if i + 1 < len(modules) else None
        built, used = _from_module(torch, name, module, following)
        for k, layer in enumerate(built):
            layers[name.replace(".", "_") + (f"_{k}" if len(built) > 1 else "")] = layer
        i += used
    return nn.Sequential(layers).eval()


def _flat(sequential: Any, prefix: str = "") -> list[tuple[str, Any]]:
    torch = _torch()
    found = []
    for name, module in sequential.named_children():
        full = f"{prefix}{name}"
        if isinstance(module, torch.nn.Sequential):
            found += _flat(module, full + ".")
        else:
            found.append((full, module))
    return found


def _refuse(name: str, module: Any, why: str) -> TorchConversionError:
    return TorchConversionError(f"layer {name!r} ({module!r}): {why}")


def _dtype(module: Any) -> Any:
    params = list(module.parameters())
    return _numpy(params[0]).dtype if params else np.float32


def _from_module(torch: Any, name: str, m: Any, following: Any) -> tuple[list[Module], int]:
    """(jaring layers for torch module `m`, how many torch modules they replace)."""
    tnn = torch.nn
    if isinstance(m, tnn.Linear):
        layer = nn.Linear(m.in_features, m.out_features, bias=m.bias is not None, dtype=_dtype(m))
        _copy(layer, {"weight": m.weight, "bias": m.bias}, name)
        return [layer], 1
    if isinstance(m, tnn.Conv2d):
        if m.groups != 1 or m.padding_mode != "zeros":
            raise _refuse(name, m, "only groups=1 and padding_mode='zeros' are supported")
        layer = nn.Conv2D(
            m.out_channels,
            m.kernel_size,
            strides=m.stride,
            padding=m.padding,
            dilation=m.dilation,
            use_bias=m.bias is not None,
            data_format="channels_first",
            in_channels=m.in_channels,
            dtype=_dtype(m),
        )
        _copy(layer, {"weight": m.weight, "bias": m.bias}, name)
        return [layer], 1
    if isinstance(m, tnn.BatchNorm2d):
        if m.momentum is None or not m.track_running_stats:
            raise _refuse(name, m, "needs track_running_stats=True and a numeric momentum")
        layer = nn.BatchNorm2D(m.num_features, m.momentum, m.eps, m.affine, data_format="channels_first")
        _copy(layer, dict(m.state_dict()), name)
        return [layer], 1
    if isinstance(m, (tnn.MaxPool2d, tnn.AvgPool2d)):
        if _pair(m.padding) != (0, 0) or m.ceil_mode or _pair(getattr(m, "dilation", 1)) != (1, 1):
            raise _refuse(name, m, "only pooling without padding, dilation or ceil_mode is supported")
        if getattr(m, "divisor_override", None) is not None:
            raise _refuse(name, m, "divisor_override is not supported")
        kind = nn.MaxPool2D if isinstance(m, tnn.MaxPool2d) else nn.AvgPool2D
        return [kind(_pair(m.kernel_size), _pair(m.stride), data_format="channels_first")], 1
    if isinstance(m, (tnn.AdaptiveAvgPool2d, tnn.AdaptiveMaxPool2d)):
        if _pair(m.output_size) != (1, 1) or not _is_flatten(torch, following):
            raise _refuse(name, m, "only output_size=1 followed by Flatten (global pooling) is supported")
        kind = nn.GlobalAvgPool2D if isinstance(m, tnn.AdaptiveAvgPool2d) else nn.GlobalMaxPool2D
        return [kind(data_format="channels_first")], 2
    if isinstance(m, tnn.Flatten):
        return [nn.Flatten(m.start_dim, m.end_dim)], 1
    if isinstance(m, tnn.Dropout):
        return [nn.Dropout(m.p)], 1
    if isinstance(m, tnn.Embedding):
        if m.max_norm is not None or m.sparse:
            raise _refuse(name, m, "max_norm and sparse embeddings are not supported")
        layer = nn.Embedding(m.num_embeddings, m.embedding_dim, padding_idx=m.padding_idx, dtype=_dtype(m))
        _copy(layer, {"weight": m.weight}, name)
        return [layer], 1
    adapter = _adapters()["RecurrentLayer"]
    if isinstance(m, (tnn.RNNBase, adapter)):
        rnn, sequences = (
            (m.rnn, m.return_sequences) if isinstance(m, adapter) else (m, _is_rnn(torch, following))
        )
        return _recurrent_from_torch(name, rnn, sequences), 1
    for kind, build in _ACTIVATIONS_FROM_TORCH.items():
        if type(m).__name__ == kind:
            return [build(m)], 1
    supported = "Linear, Conv2d, BatchNorm2d, MaxPool2d, AvgPool2d, Adaptive*Pool2d(1), Flatten, Dropout, "
    raise _refuse(name, m, f"unsupported layer; supported: {supported}Embedding, RNN, LSTM, GRU, activations")


_ACTIVATIONS_FROM_TORCH = {
    "ReLU": lambda m: nn.ReLU(),
    "Tanh": lambda m: nn.Tanh(),
    "Sigmoid": lambda m: nn.Sigmoid(),
    "Softmax": lambda m: nn.Softmax(-1 if m.dim is None else m.dim),
    "LogSoftmax": lambda m: nn.LogSoftmax(-1 if m.dim is None else m.dim),
    "GELU": lambda m: nn.GELU(m.approximate),
    "ELU": lambda m: nn.ELU(m.alpha),
    "LeakyReLU": lambda m: nn.LeakyReLU(m.negative_slope),
    "SiLU": lambda m: nn.SiLU(),
    "Softplus": lambda m: nn.Softplus(m.beta, m.threshold),
    "Identity": lambda m: nn.Identity(),
}


def _pair(value: Any) -> tuple[int, int]:
    return (value, value) if isinstance(value, int) else tuple(value)


def _is_flatten(torch: Any, module: Any) -> bool:
    return isinstance(module, torch.nn.Flatten) and module.start_dim == 1


def _is_rnn(torch: Any, module: Any) -> bool:
    return isinstance(module, (torch.nn.RNNBase, _adapters()["RecurrentLayer"]))


def _recurrent_from_torch(name: str, rnn: Any, return_sequences: bool) -> list[Module]:
    kind = type(rnn).__name__
    if kind not in ("RNN", "LSTM", "GRU"):
        raise _refuse(name, rnn, "only RNN, LSTM and GRU are supported")
    if not rnn.batch_first:
        raise _refuse(name, rnn, "jaring's recurrent layers are batch-first: create it with batch_first=True")
    if getattr(rnn, "proj_size", 0):
        raise _refuse(name, rnn, "LSTM projections (proj_size) are not supported")
    state = {k: _numpy(v) for k, v in rnn.state_dict().items()}
    built = []
    for k in range(rnn.num_layers):
        sequences = return_sequences or k < rnn.num_layers - 1
        directions = []
        for suffix in ("", "_reverse")[: 1 + rnn.bidirectional]:
            kwargs = {"return_sequences": sequences, "input_dim": state[f"weight_ih_l{k}{suffix}"].shape[1]}
            if kind == "RNN":
                layer = nn.SimpleRNN(rnn.hidden_size, activation=rnn.nonlinearity, **kwargs)
            else:
                layer = (nn.LSTM if kind == "LSTM" else nn.GRU)(rnn.hidden_size, **kwargs)
            directions.append((layer, {p: state.get(f"{p}_l{k}{suffix}") for p in _RNN_KEYS}))
        if rnn.bidirectional:
            layer = nn.Bidirectional(directions[0][0])
            directions = [(layer.forward_layer, directions[0][1]), (layer.backward_layer, directions[1][1])]
        for target, weights in directions:
            _copy_recurrent(target, weights, f"{name} layer {k}")
        built.append(layer)
    return built


_RNN_KEYS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _copy_recurrent(layer: Module, weights: dict, label: str) -> None:
    """torch's four arrays into a jaring recurrent layer (SimpleRNN/LSTM add the two biases)."""
    rows = weights["weight_ih"].shape[0]
    zeros = np.zeros(rows, dtype=weights["weight_ih"].dtype)
    b_ih = zeros if weights["bias_ih"] is None else weights["bias_ih"]
    b_hh = zeros if weights["bias_hh"] is None else weights["bias_hh"]
    arrays = {"weight_ih": weights["weight_ih"], "weight_hh": weights["weight_hh"]}
    if isinstance(layer, nn.GRU):
        arrays.update(bias_ih=b_ih, bias_hh=b_hh)
    else:
        arrays["bias"] = b_ih + b_hh
    _copy(layer, arrays, label)


def _copy(layer: Module, arrays: dict, label: str) -> None:
    """Copy named arrays into a jaring layer's parameters/buffers, checking every shape first."""
    own = dict([*layer.named_parameters(), *layer.named_buffers()])
    checked = []
    for key, value in arrays.items():
        if value is None:
            continue
        array = _numpy(value)
        if key not in own:
            raise TorchConversionError(f"{label}: the jaring {type(layer).__name__} has no {key!r}")
        if array.shape != tuple(own[key].shape):
            raise TorchConversionError(
                f"{label}: shape mismatch for {key}: the jaring {type(layer).__name__} expects "
                f"{tuple(own[key].shape)}, torch has {array.shape}"
            )
        checked.append((own[key], array))
    for tensor, array in checked:
        tensor.data[...] = backend.array_module(tensor.data).asarray(array, dtype=tensor.data.dtype)


def load_torch_state(model: Module, state: Mapping[str, Any]) -> None:
    """Copy a torch state_dict into a jaring model, matching weighted layers in order.

    Nothing is changed unless every layer matches (a failed load leaves the model as it was).
    """
    groups: dict[str, dict[str, np.ndarray]] = {}
    for key, value in state.items():
        prefix, _, leaf = key.rpartition(".")
        groups.setdefault(prefix, {})[leaf] = _numpy(value)
    units = []  # (torch name, arrays for one jaring layer or a (forward, backward) pair)
    for prefix, arrays in groups.items():
        if "weight_ih_l0" in arrays:
            depth = sum(
                1 for leaf in arrays if leaf.startswith("weight_ih_l") and not leaf.endswith("reverse")
            )
            for k in range(depth):
                sides = [{p: arrays.get(f"{p}_l{k}{s}") for p in _RNN_KEYS} for s in ("", "_reverse")]
                units.append(
                    (f"{prefix} layer {k}", sides if sides[1]["weight_ih"] is not None else sides[:1])
                )
        else:
            units.append((prefix, arrays))
    targets = weighted_layers(model)
    if len(units) != len(targets):
        raise TorchConversionError(
            f"the state_dict has {len(units)} weighted layer(s) ({', '.join(u[0] for u in units)}) but the "
            f"jaring model has {len(targets)} ({', '.join(f'{n} {type(m).__name__}' for n, m in targets)})"
        )
    backup = model.state_dict()
    try:
        for (torch_name, arrays), (where, layer) in zip(units, targets):
            label = f"layer {where!r} ({type(layer).__name__}) from torch {torch_name!r}"
            if getattr(layer, "_awaiting_input", False):
                raise TorchConversionError(f"{label} has no weights yet: call model.build(input_shape) first")
            recurrent = isinstance(layer, (nn.SimpleRNN, nn.LSTM, nn.GRU, nn.Bidirectional))
            if recurrent != isinstance(arrays, list):
                raise TorchConversionError(f"{label}: the torch layer is of a different kind")
            if isinstance(layer, nn.Bidirectional):
                if len(arrays) != 2:
                    raise TorchConversionError(f"{label}: the torch layer is not bidirectional")
                _copy_recurrent(layer.forward_layer, arrays[0], label)
                _copy_recurrent(layer.backward_layer, arrays[1], label)
            elif recurrent:
                if len(arrays) != 1:
                    raise TorchConversionError(
                        f"{label}: the torch layer is bidirectional, the jaring one is not"
                    )
                _copy_recurrent(layer, arrays[0], label)
            else:
                _copy(layer, arrays, label)
    except TorchConversionError:
        model.load_state_dict(backup)
        raise


# ----- jaring -> torch -----------------------------------------------------------------------


def to_torch(model: Module) -> Any:
    """A torch.nn.Sequential (in eval mode) that computes what the jaring model computes.

    `model` is a jaring Sequential (nested ones are flattened) or a single layer. The torch
    model takes the same input: a channels-last jaring CNN gets Permute layers so it takes
    NHWC images too. Raises TorchConversionError naming any layer torch cannot match.
    """
    torch = _torch()
    if any(getattr(m, "_awaiting_input", False) for m in model.modules()):
        raise TorchConversionError("the model has layers without weights yet: call model.build(input_shape)")
    built: list = []
    permuted = False  # True while torch holds NCHW where the jaring model holds NHWC
    adapters = _adapters()
    for name, layer in _flat_jaring(model):
        image = isinstance(layer, (nn.Conv2D, nn.MaxPool2D, nn.AvgPool2D, nn.BatchNorm2D, *_GLOBAL))
        last = image and getattr(layer, "data_format", "channels_first") == "channels_last"
        any_layout = isinstance(layer, (nn.Dropout, *_ELEMENTWISE))
        if last and not permuted:
            built.append(adapters["Permute"]((0, 3, 1, 2)))
        elif permuted and not last and not any_layout:
            built.append(adapters["Permute"]((0, 2, 3, 1)))
        # global pooling returns (N, C) in both frameworks
        permuted = not isinstance(layer, _GLOBAL) and (last or (permuted and any_layout))
        built += _to_modules(torch, name, layer)
    if permuted:
        built.append(adapters["Permute"]((0, 2, 3, 1)))
    return torch.nn.Sequential(*built).eval()


_GLOBAL = (nn.GlobalAvgPool2D, nn.GlobalMaxPool2D)
_ELEMENTWISE = (
    nn.ReLU, nn.Tanh, nn.Sigmoid, nn.ELU, nn.LeakyReLU, nn.SiLU, nn.GELU, nn.Softplus, nn.Identity,
)  # fmt: skip


def _flat_jaring(model: Module) -> list[tuple[str, Module]]:
    if not isinstance(model, nn.Sequential):
        return [(type(model).__name__, model)]
    found = []
    for name, child in model.named_children():
        found += [
            (f"{name}.{n}" if isinstance(child, nn.Sequential) else name, m) for n, m in _flat_jaring(child)
        ]
    return found


def _to_modules(torch: Any, name: str, layer: Module) -> list:
    """torch modules computing what one jaring layer computes."""
    tnn = torch.nn
    label = f"layer {name!r} ({layer!r})"
    if isinstance(layer, (nn.Linear, nn.Dense)):
        out = tnn.Linear(layer.weight.shape[1], layer.weight.shape[0], bias=layer.bias is not None)
        _set(torch, out, {"weight": layer.weight, "bias": layer.bias})
        return [out, *_activation_to_torch(torch, name, getattr(layer, "activation", None))]
    if isinstance(layer, nn.Conv2D):
        kernel, padding, pre = layer.kernel_size, layer.padding, []
        if padding == "same":
            odd = all((d * (k - 1)) % 2 == 0 for k, d in zip(kernel, layer.dilation))
            if layer.strides == (1, 1) and odd:
                padding = tuple(d * (k - 1) // 2 for k, d in zip(kernel, layer.dilation))
            else:
                pre, padding = [_adapters()["SamePadding"](kernel, layer.strides, layer.dilation)], 0
        elif padding == "valid":
            padding = 0
        conv = tnn.Conv2d(
            layer.weight.shape[1],
            layer.filters,
            kernel,
            layer.strides,
            padding,
            layer.dilation,
            bias=layer.use_bias,
        )
        _set(torch, conv, {"weight": layer.weight, "bias": layer.bias})
        return [*pre, conv, *_activation_to_torch(torch, name, layer.activation)]
    if isinstance(layer, nn.BatchNorm2D):
        norm = tnn.BatchNorm2d(layer.num_features, layer.eps, layer.momentum, layer.affine)
        _set(torch, norm, dict(layer.named_parameters()), buffers=dict(layer.named_buffers()))
        return [norm]
    if isinstance(layer, (nn.MaxPool2D, nn.AvgPool2D)):
        if layer.padding != "valid":
            raise TorchConversionError(f"{label}: torch has no 'same' pooling; only padding='valid' converts")
        kind = tnn.MaxPool2d if isinstance(layer, nn.MaxPool2D) else tnn.AvgPool2d
        return [kind(layer.pool_size, layer.strides)]
    if isinstance(layer, _GLOBAL):
        kind = tnn.AdaptiveAvgPool2d if isinstance(layer, nn.GlobalAvgPool2D) else tnn.AdaptiveMaxPool2d
        return [kind(1), tnn.Flatten()]
    if isinstance(layer, nn.Flatten):
        return [tnn.Flatten(layer.start_axis, layer.end_axis)]
    if isinstance(layer, nn.Dropout):
        return [tnn.Dropout(layer.p)]
    if isinstance(layer, nn.Embedding):
        if layer.mask_zero:
            raise TorchConversionError(
                f"{label}: torch has no masks, so mask_zero=True cannot be reproduced (set mask_zero=False "
                "if your sequences have no padding)"
            )
        emb = tnn.Embedding(layer.vocab_size, layer.dim, padding_idx=layer.padding_idx)
        _set(torch, emb, {"weight": layer.weight})
        return [emb]
    if isinstance(layer, (nn.SimpleRNN, nn.LSTM, nn.GRU, nn.Bidirectional)):
        return [_recurrent_to_torch(torch, label, layer)]
    return _activation_to_torch(torch, name, layer)


def _activation_to_torch(torch: Any, name: str, act: Module | None) -> list:
    tnn = torch.nn
    simple = {nn.ReLU: tnn.ReLU, nn.Tanh: tnn.Tanh, nn.Sigmoid: tnn.Sigmoid, nn.SiLU: tnn.SiLU}
    if act is None or isinstance(act, nn.Identity):
        return []
    if type(act) in simple:
        return [simple[type(act)]()]
    if isinstance(act, (nn.Softmax, nn.LogSoftmax)):
        return [(tnn.Softmax if isinstance(act, nn.Softmax) else tnn.LogSoftmax)(dim=act.axis)]
    if isinstance(act, nn.GELU):
        return [tnn.GELU(approximate=act.approximate)]
    if isinstance(act, nn.ELU):
        return [tnn.ELU(act.alpha)]
    if isinstance(act, nn.LeakyReLU):
        return [tnn.LeakyReLU(act.negative_slope)]
    if isinstance(act, nn.Softplus):
        return [tnn.Softplus(act.beta, act.threshold)]
    raise TorchConversionError(f"layer {name!r} ({act!r}) has no torch equivalent that to_torch knows")


def _recurrent_to_torch(torch: Any, label: str, layer: Module) -> Any:
    bidirectional = isinstance(layer, nn.Bidirectional)
    if bidirectional and layer.merge_mode != "concat":
        raise TorchConversionError(f"{label}: torch merges the two directions only by concatenation")
    cells = [layer.forward_layer, layer.backward_layer] if bidirectional else [layer]
    first = cells[0]
    if first.go_backwards or first.return_state:
        raise TorchConversionError(f"{label}: go_backwards and return_state have no torch equivalent")
    kind = type(first).__name__
    kwargs = {"batch_first": True, "bidirectional": bidirectional}
    if kind == "SimpleRNN":
        if first.activation not in ("tanh", "relu"):
            raise TorchConversionError(f"{label}: torch's RNN has only tanh and relu activations")
        rnn = torch.nn.RNN(first.input_dim, first.units, nonlinearity=first.activation, **kwargs)
    else:
        rnn = getattr(torch.nn, kind)(first.input_dim, first.units, **kwargs)
    for cell, suffix in zip(cells, ("_l0", "_l0_reverse")):
        arrays = {"weight_ih": cell.weight_ih, "weight_hh": cell.weight_hh}
        if isinstance(cell, nn.GRU):
            arrays.update(bias_ih=cell.bias_ih, bias_hh=cell.bias_hh)
        else:  # jaring's one bias is torch's two added: put it all in bias_ih
            arrays.update(bias_ih=cell.bias, bias_hh=np.zeros(cell.bias.shape, dtype=cell.bias.dtype))
        _set(torch, rnn, {f"{k}{suffix}": v for k, v in arrays.items()})
    return _adapters()["RecurrentLayer"](rnn, first.return_sequences)


def _set(torch: Any, module: Any, params: dict, buffers: dict | None = None) -> None:
    """Give the torch module's parameters and buffers the jaring values, in the jaring dtype."""
    for key, value in {**params, **(buffers or {})}.items():
        if value is not None:
            getattr(module, key).data = torch.from_numpy(np.array(_numpy(value)))
