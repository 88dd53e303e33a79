"""PyTorch to jaring: rebuild a torch.nn.Sequential as jaring layers, or copy a state_dict in."""

from __future__ import annotations

from typing import Any
from collections.abc import Mapping

import numpy as np

from jaring import backend, nn
from jaring.io.layers import weighted_layers
from jaring.io.torch.twins import twin_from_torch
from jaring.io.torch.adapters import TorchConversionError, import_torch, to_numpy, torch_adapters
from jaring.nn.module import Module
from jaring.ops.geometry import pair


def from_torch(source: Any, model: Module | None = None) -> Module:
    """A jaring model computing what the torch model computes, in eval mode.

    `source` is a torch.nn.Module or a state_dict. Without `model`, `source` must be a
    torch.nn.Sequential (nested ones are flattened), or one layer that jaring has under torch's
    name (nn.LSTMCell, nn.Bilinear, nn.GroupNorm...); it is rebuilt layer by layer, images
    channels-first as in torch. With `model`, the weights are copied into that jaring model:
    its weighted layers are matched in order to the state_dict's (a torch LSTM with
    num_layers=k fills k jaring layers). Build such a model channels-first
    (data_format="channels_first") so Flatten keeps torch's order.

    Examples:
        >>> import numpy as np
        >>> import torch
        >>> import jaring
        >>> from jaring.io import from_torch
        >>> _ = torch.manual_seed(0)
        >>> torch_model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
        >>> model = from_torch(torch_model)
        >>> model
        Sequential(
          (0): Linear(in_features=4, out_features=3, bias=True)
          (1): ReLU()
          (2): Linear(in_features=3, out_features=2, bias=True)
        )
        >>> expected = torch_model(torch.ones(1, 4)).detach().numpy()
        >>> bool(np.allclose(model(jaring.ones(1, 4)).numpy(), expected, atol=1e-6))
        True
    """
    torch = import_torch()
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
    if not isinstance(source, torch.nn.Sequential) and not list(source.children()):
        twin = twin_from_torch(source, _dtype(source))  # one PyTorch-style layer on its own
        if twin is not None:
            return twin.eval()
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
    torch = import_torch()
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
    return to_numpy(params[0]).dtype if params else np.float32


def _from_module(torch: Any, name: str, m: Any, following: Any) -> tuple[list[Module], int]:
    """(jaring layers for torch module `m`, how many torch modules they replace)."""
    tnn = torch.nn
    if isinstance(m, tnn.Linear):
        layer = nn.Linear(m.in_features, m.out_features, bias=m.bias is not None, dtype=_dtype(m))
        _copy(layer, {"weight": m.weight, "bias": m.bias}, name)
        return [layer], 1
    if isinstance(m, tnn.Conv2d):
        if m.padding_mode != "zeros":
            return _twin_or_refuse(name, m, "only padding_mode='zeros' is supported")
        layer = nn.Conv2D(
            m.out_channels,
            m.kernel_size,
            strides=m.stride,
            padding=m.padding,
            dilation=m.dilation,
            use_bias=m.bias is not None,
            data_format="channels_first",
            input_dim=m.in_channels,
            dtype=_dtype(m),
            groups=m.groups,
        )
        _copy(layer, {"weight": m.weight, "bias": m.bias}, name)
        return [layer], 1
    if isinstance(m, tnn.BatchNorm2d):
        if m.momentum is None or not m.track_running_stats:
            return _twin_or_refuse(name, m, "needs track_running_stats=True and a numeric momentum")
        layer = nn.BatchNorm2D(
            m.num_features, 1.0 - m.momentum, m.eps, m.affine, m.affine, data_format="channels_first"
        )
        _copy(layer, dict(m.state_dict()), name)
        return [layer], 1
    if isinstance(m, (tnn.MaxPool2d, tnn.AvgPool2d)):
        padding, dilation = pair(m.padding, "padding", 0), pair(getattr(m, "dilation", 1), "dilation")
        if padding != (0, 0) or m.ceil_mode or dilation != (1, 1) or getattr(m, "return_indices", False):
            return _twin_or_refuse(
                name, m, "only pooling without padding, dilation or ceil_mode is supported"
            )
        if getattr(m, "divisor_override", None) is not None:
            return _twin_or_refuse(name, m, "divisor_override is not supported")
        kind = nn.MaxPool2D if isinstance(m, tnn.MaxPool2d) else nn.AvgPool2D
        return [kind(m.kernel_size, m.stride, data_format="channels_first")], 1
    if isinstance(m, (tnn.AdaptiveAvgPool2d, tnn.AdaptiveMaxPool2d)):
        if m.output_size not in (1, (1, 1), [1, 1]) or not _is_flatten(torch, following):
            return _twin_or_refuse(
                name, m, "only output_size=1 followed by Flatten (global pooling) is supported"
            )
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
    adapter = torch_adapters()["RecurrentLayer"]
    if isinstance(m, (tnn.RNNBase, adapter)):
        rnn, sequences = (
            (m.rnn, m.return_sequences) if isinstance(m, adapter) else (m, _is_rnn(torch, following))
        )
        return _recurrent_from_torch(name, rnn, sequences), 1
    for kind, build in _ACTIVATIONS_FROM_TORCH.items():
        if type(m).__name__ == kind:
            return [build(m)], 1
    supported = (
        "Linear, Conv1d, Conv2d, ConvTranspose2d, BatchNorm1d/2d, MaxPool2d, AvgPool2d, Adaptive*Pool2d, "
        "GroupNorm, InstanceNorm1d/2d/3d, Dropout1d/2d/3d, AlphaDropout, PReLU, Threshold, GLU, the shrinks, "
        "PixelShuffle/Unshuffle, Unflatten, "
    )
    return _twin_or_refuse(
        name,
        m,
        f"unsupported layer; supported: {supported}Flatten, Dropout, Embedding, RNN, LSTM, GRU, activations",
    )


def _twin_or_refuse(name: str, m: Any, why: str) -> tuple[list[Module], int]:
    """The PyTorch-style jaring twin of `m` where the Keras-style layers cannot express it."""
    twin = twin_from_torch(m, _dtype(m))
    if twin is None:
        raise _refuse(name, m, why)
    return [twin], 1


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


def _is_flatten(torch: Any, module: Any) -> bool:
    return isinstance(module, torch.nn.Flatten) and module.start_dim == 1


def _is_rnn(torch: Any, module: Any) -> bool:
    return isinstance(module, (torch.nn.RNNBase, torch_adapters()["RecurrentLayer"]))


def _recurrent_from_torch(name: str, rnn: Any, return_sequences: bool) -> list[Module]:
    kind = type(rnn).__name__
    if kind not in ("RNN", "LSTM", "GRU"):
        raise _refuse(name, rnn, "only RNN, LSTM and GRU are supported")
    if not rnn.batch_first:
        raise _refuse(name, rnn, "jaring's recurrent layers are batch-first: create it with batch_first=True")
    if getattr(rnn, "proj_size", 0):
        raise _refuse(name, rnn, "LSTM projections (proj_size) are not supported")
    state = {k: to_numpy(v) for k, v in rnn.state_dict().items()}
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
        array = to_numpy(value)
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

    Examples:
        >>> import numpy as np
        >>> import torch
        >>> from jaring import nn
        >>> from jaring.io import load_torch_state
        >>> torch_model = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 2))
        >>> model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
        >>> load_torch_state(model, torch_model.state_dict())
        >>> bool(np.array_equal(model[2].weight.numpy(), torch_model[2].weight.detach().numpy()))
        True
    """
    groups: dict[str, dict[str, np.ndarray]] = {}
    for key, value in state.items():
        prefix, _, leaf = key.rpartition(".")
        groups.setdefault(prefix, {})[leaf] = to_numpy(value)
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
            if not layer.built:
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
