"""Load Keras 3 models into jaring: `.keras` archives (config + weights) and `.weights.h5` files.

model = jaring.io.load_keras("cnn.keras")                  # rebuild the architecture, load weights
jaring.io.load_keras("cnn.weights.h5", model=my_model)      # only weights, into a jaring model

Only json, zipfile and h5py read the file: Keras is not needed, and nothing in the file is
executed (no unpickling, no eval, no imports by name). Layers are looked up in a fixed table
of the Keras classes jaring can rebuild; Lambda layers, custom objects and unknown classes
are refused with an error that names the layer. Layouts are converted on the way in:
Dense kernels (in, out) are transposed to jaring's (out, in), Conv2D kernels (kh, kw, in, out)
become (out, in, kh, kw), recurrent kernels are transposed and Keras's GRU gate blocks
(z, r, h) are reordered to (r, z, n). Models stay channels-last, so Flatten's order matches.
"""

from __future__ import annotations

import io
import json
import os
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import backend
from jaring import nn
from jaring.nn.module import Module, Parameter

MAX_CONFIG_BYTES = 16 * 2**20
KERAS_MODULES = (None, "keras", "keras.layers")
# Keras's names for activations jaring has; Keras's leaky_relu slope defaults to 0.2.
ACTIVATIONS: dict[str, tuple[str, dict]] = {
    "linear": ("linear", {}),
    "relu": ("relu", {}),
    "sigmoid": ("sigmoid", {}),
    "tanh": ("tanh", {}),
    "softmax": ("softmax", {}),
    "log_softmax": ("log_softmax", {}),
    "elu": ("elu", {}),
    "leaky_relu": ("leaky_relu", {"negative_slope": 0.2}),
    "silu": ("silu", {}),
    "swish": ("silu", {}),
    "gelu": ("gelu", {}),
    "softplus": ("softplus", {}),
}


class KerasFormatError(ValueError):
    """A Keras file jaring cannot load: damaged, unsupported, unsafe, or not matching the model."""


@dataclass
class _Layer:
    """One Keras layer of the file: its name, class, config and (once read) its weight arrays."""

    name: str
    cls: str
    config: dict
    weights: dict[str, list[np.ndarray]] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"layer {self.name!r} ({self.cls})"


def load_keras(path: str | os.PathLike, model: Module | None = None) -> Module:
    """A jaring model with the Keras model's weights, in eval mode.

    `path` is a Keras 3 `.keras` archive or a `.weights.h5` file. Without `model` the
    architecture is rebuilt from the archive's config (a Sequential, or a Functional model
    that is a single chain of layers), as a jaring Sequential whose children carry the Keras
    layer names. With `model`, the weights are copied into it instead: its Dense/Linear,
    Conv2D, BatchNorm2D, Embedding and recurrent layers are matched, in order, to the file's.
    Raises KerasFormatError naming the layer for anything it cannot load.
    """
    try:
        import h5py  # optional: only load_keras needs it
    except ImportError:
        raise ImportError("load_keras needs h5py: pip install h5py (or jaring[keras])") from None

    path = os.fspath(path)
    config, weights_bytes = _read_archive(path)
    try:
        h5 = h5py.File(io.BytesIO(weights_bytes) if weights_bytes is not None else path, "r")
    except OSError as exc:
        raise KerasFormatError(
            f"{path}: not a readable HDF5 weights file (truncated or damaged): {exc}"
        ) from None
    with h5:
        if "layers" not in h5:
            hint = " (a Keras 2 .h5 file? re-save it with Keras 3 as .keras)" if "model_weights" in h5 else ""
            raise KerasFormatError(f"{path}: no 'layers' group, so not a Keras 3 weights file{hint}")
        if model is None:
            if config is None:
                raise KerasFormatError(
                    f"{path} holds weights only, no architecture: build the model in jaring and pass "
                    "model=, or load the .keras archive"
                )
            layers = _layers_from_config(config)
            _read_weights(h5["layers"], layers, path)
            model = nn.Sequential(_named([layer for layer in layers if layer.cls != "InputLayer"]))
        else:
            _load_into(model, h5["layers"], config, path)
    return model.eval()


# ----- reading the file --------------------------------------------------------------------


def _read_archive(path: str) -> tuple[dict | None, bytes | None]:
    """(config or None, weights bytes or None to read `path` itself as HDF5)."""
    if not os.path.exists(path):
        raise FileNotFoundError(f"no Keras file at {path}")
    if not zipfile.is_zipfile(path):
        if path.endswith(".keras"):
            raise KerasFormatError(f"{path}: not a complete .keras archive (truncated or damaged zip)")
        return None, None
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            missing = {"config.json", "model.weights.h5"} - names
            if missing:
                raise KerasFormatError(f"{path}: the .keras archive lacks {', '.join(sorted(missing))}")
            if archive.getinfo("config.json").file_size > MAX_CONFIG_BYTES:
                raise KerasFormatError(f"{path}: config.json is larger than {MAX_CONFIG_BYTES} bytes")
            config = json.loads(archive.read("config.json"))
            weights = archive.read("model.weights.h5")
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise KerasFormatError(f"{path}: damaged .keras archive: {exc}") from None
    except json.JSONDecodeError as exc:
        raise KerasFormatError(f"{path}: config.json is not valid JSON: {exc}") from None
    if not isinstance(config, dict):
        raise KerasFormatError(f"{path}: config.json must describe one model, got a {type(config).__name__}")
    return config, weights


def _layers_from_config(config: dict) -> list[_Layer]:
    """The model's layers in call order; refuses anything but a plain chain of known layers."""
    kind = config.get("class_name")
    body = config.get("config")
    if kind not in ("Sequential", "Functional", "Model") or not isinstance(body, dict):
        raise KerasFormatError(
            f"unsupported model type {kind!r}: load_keras rebuilds Sequential models and Functional "
            "models that are one chain of layers"
        )
    specs = body.get("layers")
    if not isinstance(specs, list):
        raise KerasFormatError(f"the {kind} model's config has no list of layers")
    layers = [_layer(spec, i) for i, spec in enumerate(specs)]
    if kind != "Sequential":
        _check_chain(specs, layers)
    return layers


def _layer(spec: Any, index: int) -> _Layer:
    if not isinstance(spec, dict) or not isinstance(spec.get("config"), dict):
        raise KerasFormatError(f"layer #{index} of the config is not a layer description")
    cls, config = spec.get("class_name"), spec["config"]
    name = str(config.get("name", f"#{index}"))
    if cls == "Lambda":
        raise KerasFormatError(
            f"layer {name!r} is a Lambda layer, which holds Python code; jaring never runs code from a "
            "file: replace it with a built-in layer (or rebuild the model in jaring and pass model=)"
        )
    if spec.get("module") not in KERAS_MODULES or spec.get("registered_name") not in (None, cls):
        where = ".".join(str(p) for p in (spec.get("module"), spec.get("registered_name") or cls) if p)
        raise KerasFormatError(
            f"layer {name!r} is of the custom or unknown type {where!r}; jaring only rebuilds built-in "
            f"Keras layers: {', '.join(sorted(LAYERS))}"
        )
    if cls not in LAYERS:
        raise KerasFormatError(
            f"layer {name!r} has the unsupported type {cls!r}; supported: {', '.join(sorted(LAYERS))}"
        )
    return _Layer(name, cls, config)


def _named(layers: list[_Layer]) -> dict[str, Module]:
    """{child name: jaring layer}: Keras's names, made safe as attribute and state_dict names."""
    built: dict[str, Module] = {}
    for i, layer in enumerate(layers):
        name = re.sub(r"\W", "_", layer.name) or f"layer_{i}"
        built[name if name not in built else f"{name}_{i}"] = _build(layer)
    return built


def _check_chain(specs: list, layers: list[_Layer]) -> None:
    """A Functional model loads only when each layer takes the previous layer's single output."""
    for prev, spec, layer in zip(layers, specs[1:], layers[1:]):
        nodes = spec.get("inbound_nodes") or [None]
        args = nodes[0].get("args") if len(nodes) == 1 and isinstance(nodes[0], dict) else None
        source = args[0] if isinstance(args, list) and len(args) == 1 else None
        history = source.get("config", {}).get("keras_history") if isinstance(source, dict) else None
        if not history or history[0] != prev.name:
            raise KerasFormatError(
                f"{layer.label} does not simply take the output of {prev.name!r}: load_keras rebuilds "
                "Functional models only when they are one chain of layers; build the model in jaring "
                "and pass model= to load its weights"
            )


def _h5_names(classes: list[str]) -> list[str]:
    """The group names Keras gives layers in the weights file: snake_case class, _1, _2 for repeats."""
    used: dict[str, int] = {}
    names = []
    for cls in classes:
        base = re.sub("([a-z])([A-Z])", r"\1_\2", re.sub("(.)([A-Z][a-z]+)", r"\1_\2", cls)).lower()
        used[base] = used.get(base, -1) + 1
        names.append(base if used[base] == 0 else f"{base}_{used[base]}")
    return names


def _child(group: Any, path: str, label: str) -> Any:
    """group[path], or None when absent; links to other files are refused (they could read any file)."""
    import h5py

    for part in path.split("/"):
        link = group.get(part, getlink=True)
        if link is None:
            return None
        if not isinstance(link, h5py.HardLink):
            raise KerasFormatError(
                f"{label}: {part!r} is a {type(link).__name__}; only plain HDF5 data loads"
            )
        group = group[part]
    return group


def _cell(group: Any, label: str) -> Any:
    """Where a layer's arrays are: its recurrent `cell` subgroup, or the layer's own group."""
    cell = _child(group, "cell", label)
    return group if cell is None else cell


def _vars(group: Any, label: str) -> list[np.ndarray]:
    """The arrays of one `vars` group in their saved order (0, 1, 2, ...)."""
    vars_group = _child(group, "vars", label)
    if vars_group is None:
        return []
    arrays = []
    try:
        for i in range(len(vars_group)):
            dataset = _child(vars_group, str(i), label)
            if dataset is None or not hasattr(dataset, "shape") or dataset.is_virtual or dataset.external:
                raise KerasFormatError(f"{label}: weight {i} is missing or not plain data inside the file")
            arrays.append(np.asarray(dataset[()]))
    except OSError as exc:
        raise KerasFormatError(f"{label}: its weights cannot be read (truncated file?): {exc}") from None
    return arrays


def _read_weights(root: Any, layers: list[_Layer], path: str) -> None:
    """Fill each layer's weights from its group; every weighted group of the file must be used."""
    used = set()
    for layer, name in zip(layers, _h5_names([layer.cls for layer in layers])):
        if layer.cls == "InputLayer":
            continue
        group = _child(root, name, layer.label)
        if group is None:
            if LAYERS[layer.cls][1] is None:
                continue
            raise KerasFormatError(f"{path}: no weights for {layer.label} (expected a group 'layers/{name}')")
        used.add(name)
        if layer.cls == "Bidirectional":
            for side in ("forward_layer", "backward_layer"):
                sub = _child(group, f"{side}/cell", layer.label)
                layer.weights[side] = [] if sub is None else _vars(sub, f"{layer.label} {side}")
        else:
            layer.weights["own"] = _vars(_cell(group, layer.label), layer.label)
    extra = sorted(n for n in root if n not in used and _has_arrays(root[n]))
    if extra:
        raise KerasFormatError(
            f"{path} holds weights for layer(s) the model does not have: {', '.join(extra)}"
        )


def _has_arrays(group: Any) -> bool:
    found: list = []
    group.visititems(lambda _name, obj: found.append(1) if hasattr(obj, "shape") else None)
    return bool(found)


# ----- config values -----------------------------------------------------------------------


def _option(layer: _Layer, key: str, default: Any = None, allowed: tuple | None = None) -> Any:
    value = layer.config.get(key, default)
    if allowed is not None and value not in allowed:
        raise KerasFormatError(
            f"{layer.label}: {key}={value!r} is not supported; jaring supports "
            + ", ".join(map(repr, allowed))
        )
    return value


def _pair(layer: _Layer, key: str) -> tuple[int, int]:
    value = layer.config.get(key)
    values = [value, value] if isinstance(value, int) else value
    if not (
        isinstance(values, (list, tuple)) and len(values) == 2 and all(isinstance(v, int) for v in values)
    ):
        raise KerasFormatError(f"{layer.label}: {key} must be an int or a pair of ints, got {value!r}")
    return int(values[0]), int(values[1])


def _activation(layer: _Layer, key: str = "activation") -> tuple[str, dict]:
    """(jaring activation name, its arguments) for the layer's Keras activation name."""
    name = layer.config.get(key, "linear")
    if name is None:
        name = "linear"
    if not isinstance(name, str) or name not in ACTIVATIONS:
        raise KerasFormatError(
            f"{layer.label}: activation {name!r} is not supported (custom functions are never loaded); "
            f"supported: {', '.join(sorted(ACTIVATIONS))}"
        )
    return ACTIVATIONS[name]


def _activation_spec(layer: _Layer) -> str | Module:
    """The `activation=` argument for a jaring layer: a name, or a module when it needs arguments."""
    name, kwargs = _activation(layer)
    return nn.get_activation(name, **kwargs) if kwargs else name


def _channels_last(layer: _Layer) -> str:
    return _option(layer, "data_format", "channels_last", ("channels_last",))


# ----- building jaring layers from Keras layers -------------------------------------------


def _weights(layer: _Layer, side: str = "own") -> list[np.ndarray]:
    arrays = layer.weights.get(side, [])
    expected = LAYERS[layer.cls][1]
    if expected is not None and len(arrays) not in expected:
        raise KerasFormatError(
            f"{layer.label}: the file holds {len(arrays)} weight array(s), expected "
            f"{' or '.join(map(str, expected))}"
        )
    return arrays


def _dense(layer: _Layer) -> Module:
    arrays = _weights(layer)
    use_bias = bool(_option(layer, "use_bias", True))
    _ndim(layer, arrays[0], 2, "kernel")
    dense = nn.Dense(
        int(layer.config["units"]),
        activation=_activation_spec(layer),
        use_bias=use_bias,
        in_features=arrays[0].shape[0],
    )
    _load_dense(dense, arrays, layer.label)
    return dense


def _conv(layer: _Layer) -> Module:
    arrays = _weights(layer)
    _option(layer, "groups", 1, (1,))
    _ndim(layer, arrays[0], 4, "kernel")
    padding = _option(layer, "padding", "valid", ("valid", "same"))
    conv = nn.Conv2D(
        int(layer.config["filters"]),
        _pair(layer, "kernel_size"),
        strides=_pair(layer, "strides"),
        padding=padding,
        dilation=_pair(layer, "dilation_rate"),
        use_bias=bool(_option(layer, "use_bias", True)),
        activation=_activation_spec(layer),
        data_format=_channels_last(layer),
        in_channels=arrays[0].shape[2],
    )
    _load_conv(conv, arrays, layer.label)
    return conv


def _batchnorm(layer: _Layer) -> Module:
    axis = layer.config.get("axis", -1)
    shape = (layer.config.get("build_config") or {}).get("input_shape")
    if axis not in (-1, 3, [-1], [3]) or (shape is not None and len(shape) != 4):
        raise KerasFormatError(
            f"{layer.label}: only channels-last image batch normalisation (axis=-1 on 4-D input) is supported"
        )
    arrays = _weights(layer)
    scale, center = bool(layer.config.get("scale", True)), bool(layer.config.get("center", True))
    if scale != center:
        raise KerasFormatError(f"{layer.label}: scale and center must both be on or both off")
    norm = nn.BatchNorm2D(
        arrays[-1].shape[0],
        momentum=1.0 - float(layer.config.get("momentum", 0.99)),
        eps=float(layer.config.get("epsilon", 1e-3)),
        affine=scale,
    )
    _load_batchnorm(norm, arrays, layer.label)
    return norm


def _pool(kind: type) -> Callable[[_Layer], Module]:
    def build(layer: _Layer) -> Module:
        strides = layer.config.get("strides")
        return kind(
            _pair(layer, "pool_size"),
            strides=None if strides is None else _pair(layer, "strides"),
            padding=_option(layer, "padding", "valid", ("valid", "same")),
            data_format=_channels_last(layer),
        )

    return build


def _global_pool(kind: type) -> Callable[[_Layer], Module]:
    def build(layer: _Layer) -> Module:
        _option(layer, "keepdims", False, (False,))
        return kind(data_format=_channels_last(layer))

    return build


def _flatten(layer: _Layer) -> Module:
    _channels_last(layer)
    return nn.Flatten()


def _dropout(layer: _Layer) -> Module:
    return nn.Dropout(float(layer.config.get("rate", 0.0)))


def _embedding(layer: _Layer) -> Module:
    (table,) = _weights(layer)
    _ndim(layer, table, 2, "embeddings")
    if layer.config.get("quantization_config") is not None:
        raise KerasFormatError(f"{layer.label}: quantized embeddings are not supported")
    emb = nn.Embedding(table.shape[0], table.shape[1], mask_zero=bool(layer.config.get("mask_zero", False)))
    _assign(emb.weight, table, layer.label, "embeddings")
    return emb


def _recurrent(layer: _Layer, side: str = "own") -> Module:
    config, cls = layer.config, layer.cls
    if config.get("stateful"):
        raise KerasFormatError(f"{layer.label}: stateful recurrent layers are not supported")
    if config.get("dropout") or config.get("recurrent_dropout"):
        warnings.warn(f"{layer.label}: dropout/recurrent_dropout act only in training and are not loaded")
    arrays = _weights(layer, side)
    _ndim(layer, arrays[0], 2, "kernel")
    kwargs: dict[str, Any] = {
        "return_sequences": bool(config.get("return_sequences", False)),
        "return_state": bool(config.get("return_state", False)),
        "go_backwards": bool(config.get("go_backwards", False)),
        "input_dim": arrays[0].shape[0],
    }
    if cls == "SimpleRNN":
        activation = config.get("activation", "tanh")
        if activation not in ("tanh", "relu", "sigmoid", "linear", None):
            raise KerasFormatError(f"{layer.label}: activation {activation!r} is not supported for SimpleRNN")
        rnn = nn.SimpleRNN(int(config["units"]), activation=activation, **kwargs)
    else:
        _option(layer, "activation", "tanh", ("tanh",))
        _option(layer, "recurrent_activation", "sigmoid", ("sigmoid",))
        if cls == "GRU":
            _option(layer, "reset_after", True, (True,))
        rnn = (nn.LSTM if cls == "LSTM" else nn.GRU)(int(config["units"]), **kwargs)
    _load_recurrent(rnn, arrays, layer.label)
    return rnn


def _bidirectional(layer: _Layer) -> Module:
    inner, back = layer.config.get("layer"), layer.config.get("backward_layer")
    merge = _option(layer, "merge_mode", "concat", ("concat", "sum", "mul", "ave", None))
    sides = []
    for side, spec in (("forward_layer", inner), ("backward_layer", back or inner)):
        sub = _layer(spec, 0)
        if sub.cls not in ("SimpleRNN", "LSTM", "GRU"):
            raise KerasFormatError(
                f"{layer.label} wraps a {sub.cls}; jaring's Bidirectional wraps SimpleRNN/LSTM/GRU"
            )
        sub.weights["own"] = layer.weights.get(side, [])
        sub.name = f"{layer.name}.{side}"
        sides.append(sub)
    forward_cfg, backward_cfg = (dict(s.config) for s in sides)
    for cfg in (forward_cfg, backward_cfg):
        for key in ("name", "go_backwards", "seed", "trainable", "dtype"):
            cfg.pop(key, None)
    if sides[0].cls != sides[1].cls or _plain(forward_cfg) != _plain(backward_cfg):
        raise KerasFormatError(
            f"{layer.label}: its backward layer differs from its forward layer; not supported"
        )
    forward = _recurrent(sides[0])
    bi = nn.Bidirectional(forward, merge_mode=merge)
    _load_recurrent(bi.backward_layer, _weights(sides[1]), sides[1].label)
    return bi


def _plain(config: dict) -> dict:
    """A layer config without the parts that do not change what the layer computes."""
    drop = ("initializer", "regularizer", "constraint", "shared_object_id")
    return {k: v for k, v in config.items() if not any(d in k for d in drop) and k != "build_config"}


def _ndim(layer: _Layer, array: np.ndarray, ndim: int, what: str) -> None:
    if array.ndim != ndim:
        raise KerasFormatError(f"{layer.label}: {what} has shape {array.shape}, expected {ndim} dimensions")


# ----- copying weights into jaring layers --------------------------------------------------


def _assign(param: Parameter | None, array: np.ndarray, label: str, what: str) -> None:
    """Copy `array` into `param` in place (on its device and dtype), or say what shape was expected."""
    if param is None:
        raise KerasFormatError(f"{label}: the jaring layer has no {what}")
    if tuple(array.shape) != tuple(param.shape):
        raise KerasFormatError(
            f"{label}: shape mismatch for {what}: the jaring layer expects {tuple(param.shape)}, "
            f"the file holds {tuple(array.shape)} (after converting Keras's layout)"
        )
    target = param.data
    target[...] = backend.array_module(target).asarray(array, dtype=target.dtype)


def _load_dense(layer: Module, arrays: list[np.ndarray], label: str) -> None:
    _check_bias(layer, arrays, 2, label)
    _assign(layer.weight, arrays[0].T, label, "kernel")
    if len(arrays) > 1:
        _assign(layer.bias, arrays[1], label, "bias")


def _load_conv(layer: Module, arrays: list[np.ndarray], label: str) -> None:
    _check_bias(layer, arrays, 2, label)
    _assign(layer.weight, arrays[0].transpose(3, 2, 0, 1), label, "kernel")
    if len(arrays) > 1:
        _assign(layer.bias, arrays[1], label, "bias")


def _check_bias(layer: Module, arrays: list, with_bias: int, label: str) -> None:
    if (len(arrays) == with_bias) != (layer.bias is not None):
        has = "has" if len(arrays) == with_bias else "has no"
        raise KerasFormatError(
            f"{label}: the file {has} a bias but the jaring layer does not agree (use_bias)"
        )


def _load_batchnorm(layer: Module, arrays: list[np.ndarray], label: str) -> None:
    names = ("weight", "bias", "running_mean", "running_var")[4 - len(arrays) :]
    if (len(arrays) == 4) != (layer.weight is not None):
        raise KerasFormatError(f"{label}: scale/center in the file and affine in the jaring layer disagree")
    for name, array in zip(names, arrays):
        tensor = getattr(layer, name)
        _assign(tensor, array, label, name)


def _blocks(array: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
    """Reorder the equal gate blocks along the last axis (Keras GRU (z, r, h) -> (r, z, n))."""
    parts = np.split(array, len(order), axis=-1)
    return np.concatenate([parts[i] for i in order], axis=-1)


def _load_recurrent(layer: Module, arrays: list[np.ndarray], label: str) -> None:
    kernel, recurrent = arrays[0], arrays[1]
    if len(arrays) > 2:
        bias = arrays[2]
    else:  # use_bias=False: jaring's recurrent layers always have a bias, so it stays zero
        bias = np.zeros((2 if isinstance(layer, nn.GRU) else 1) * kernel.shape[1], kernel.dtype)
    if isinstance(layer, nn.GRU):
        order = (1, 0, 2)
        kernel, recurrent = _blocks(kernel, order), _blocks(recurrent, order)
        bias = _blocks(bias.reshape(2, -1), order)
        _assign(layer.bias_ih, bias[0], label, "bias (input part)")
        _assign(layer.bias_hh, bias[1], label, "bias (recurrent part)")
    else:
        _assign(layer.bias, bias, label, "bias")
    _assign(layer.weight_ih, kernel.T, label, "kernel")
    _assign(layer.weight_hh, recurrent.T, label, "recurrent_kernel")


# Keras class -> (builder of the jaring layer, how many weight arrays it may hold; None: none).
LAYERS: dict[str, tuple[Callable[[_Layer], Module | None], tuple[int, ...] | None]] = {
    "InputLayer": (lambda layer: None, None),
    "Dense": (_dense, (1, 2)),
    "Conv2D": (_conv, (1, 2)),
    "BatchNormalization": (_batchnorm, (2, 4)),
    "MaxPooling2D": (_pool(nn.MaxPool2D), None),
    "AveragePooling2D": (_pool(nn.AvgPool2D), None),
    "GlobalMaxPooling2D": (_global_pool(nn.GlobalMaxPool2D), None),
    "GlobalAveragePooling2D": (_global_pool(nn.GlobalAvgPool2D), None),
    "Flatten": (_flatten, None),
    "Dropout": (_dropout, None),
    "Activation": (lambda layer: nn.get_activation(_activation_spec(layer)), None),
    "Embedding": (_embedding, (1,)),
    "SimpleRNN": (_recurrent, (2, 3)),
    "LSTM": (_recurrent, (2, 3)),
    "GRU": (_recurrent, (2, 3)),
    "Bidirectional": (_bidirectional, ()),
}


def _build(layer: _Layer) -> Module:
    try:
        return LAYERS[layer.cls][0](layer)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, KerasFormatError):
            raise
        raise KerasFormatError(f"{layer.label}: its config cannot be rebuilt in jaring: {exc!r}") from None


# ----- loading into a given jaring model ---------------------------------------------------

# jaring layer class -> (Keras class, loader of that layer's arrays)
_LOADERS: dict[type, tuple[str, Callable]] = {
    nn.Dense: ("Dense", _load_dense),
    nn.Linear: ("Dense", _load_dense),
    nn.Conv2D: ("Conv2D", _load_conv),
    nn.BatchNorm2D: ("BatchNormalization", _load_batchnorm),
    nn.Embedding: ("Embedding", lambda m, a, label: _assign(m.weight, a[0], label, "embeddings")),
    nn.SimpleRNN: ("SimpleRNN", _load_recurrent),
    nn.LSTM: ("LSTM", _load_recurrent),
    nn.GRU: ("GRU", _load_recurrent),
    nn.Bidirectional: ("Bidirectional", None),
}


def weighted_layers(model: Module) -> list[tuple[str, Module]]:
    """The model's layers that hold weights, in registration order, without looking inside them."""
    found, stack = [], [("", model)]
    while stack:
        name, module = stack.pop()
        if type(module) in _LOADERS:
            found.append((name or type(module).__name__, module))
            continue
        kids = [(f"{name}.{n}" if name else n, m) for n, m in module.named_children()]
        stack.extend(reversed(kids))
    return found


def _load_into(model: Module, root: Any, config: dict | None, path: str) -> None:
    """Copy the file's weights into `model`, layer by layer in order, checking every shape first."""
    if config is not None and any(getattr(m, "_awaiting_input", False) for m in model.modules()):
        shape = _input_shape(config)
        if shape is not None:
            model.build(shape)
    targets = weighted_layers(model)
    names = _h5_names([_LOADERS[type(m)][0] for _, m in targets])
    pending = []
    for (where, module), h5_name in zip(targets, names):
        cls = _LOADERS[type(module)][0]
        label = f"layer {where!r} ({type(module).__name__}, Keras {cls} {h5_name!r})"
        group = _child(root, h5_name, label)
        if group is None:
            raise KerasFormatError(f"{path}: no weights for the model's {label}")
        if getattr(module, "_awaiting_input", False):
            raise KerasFormatError(f"{label} has no weights yet: call model.build(input_shape) first")
        if isinstance(module, nn.Bidirectional):
            for side in ("forward_layer", "backward_layer"):
                cell = _child(group, f"{side}/cell", label)
                arrays = [] if cell is None else _vars(cell, f"{label} {side}")
                if len(arrays) not in (2, 3):
                    raise KerasFormatError(f"{path}: {label} has no {side} weights")
                pending.append((_load_recurrent, getattr(module, side), arrays, f"{label} {side}"))
        else:
            arrays = _vars(_cell(group, label), label)
            if len(arrays) not in LAYERS[cls][1]:
                raise KerasFormatError(
                    f"{path}: {label} holds {len(arrays)} weight arrays, expected {LAYERS[cls][1]}"
                )
            pending.append((_LOADERS[type(module)][1], module, arrays, label))
    extra = sorted(n for n in root if n not in names and _has_arrays(root[n]))
    if extra:
        raise KerasFormatError(
            f"{path} holds weights for layer(s) {', '.join(extra)} that the jaring model does not have"
        )
    backup = model.state_dict()
    try:
        for loader, module, arrays, label in pending:
            loader(module, arrays, label)
    except KerasFormatError:
        model.load_state_dict(backup)  # leave the model as it was
        raise


def _input_shape(config: dict) -> list | None:
    for spec in (config.get("config") or {}).get("layers") or []:
        if isinstance(spec, dict) and spec.get("class_name") == "InputLayer":
            return (spec.get("config") or {}).get("batch_shape")
    return None
