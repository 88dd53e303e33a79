"""Building jaring layers from the Keras layers a config describes, with their weights.

Layers are looked up in a fixed table of the Keras classes jaring can rebuild; Lambda layers,
custom objects and unknown classes are refused with an error that names the layer.
"""

from __future__ import annotations

import re
import warnings
from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import nn
from jaring.io.keras.archive import WEIGHT_COUNTS, KerasFormatError, KerasLayer
from jaring.io.keras.weights import assign, load_batchnorm, load_conv, load_dense, load_recurrent
from jaring.nn.module import Module
from jaring.ops.geometry import pair


KERAS_MODULES = (None, "keras", "keras.layers")


# Keras's names for activations jaring has; Keras's leaky_relu slope defaults to 0.2.
KERAS_ACTIVATIONS: dict[str, tuple[str, dict]] = {
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


def layers_from_config(config: dict) -> list[KerasLayer]:
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
    layers = [parse_layer(spec, i) for i, spec in enumerate(specs)]
    if kind != "Sequential":
        _check_chain(specs, layers)
    return layers


def parse_layer(spec: Any, index: int) -> KerasLayer:
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
            f"Keras layers: {', '.join(sorted(BUILDERS))}"
        )
    if cls not in BUILDERS:
        raise KerasFormatError(
            f"layer {name!r} has the unsupported type {cls!r}; supported: {', '.join(sorted(BUILDERS))}"
        )
    build_config = spec.get("build_config")
    shape = build_config.get("input_shape") if isinstance(build_config, dict) else None
    return KerasLayer(name, cls, config, input_shape=shape if isinstance(shape, list) else None)


def named_layers(layers: list[KerasLayer]) -> dict[str, Module]:
    """{child name: jaring layer}: Keras's names, made safe as attribute and state_dict names."""
    built: dict[str, Module] = {}
    for i, layer in enumerate(layers):
        name = re.sub(r"\W", "_", layer.name) or f"layer_{i}"
        built[name if name not in built else f"{name}_{i}"] = _build(layer)
    return built


def _check_chain(specs: list, layers: list[KerasLayer]) -> None:
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


def _option(layer: KerasLayer, key: str, default: Any = None, allowed: tuple | None = None) -> Any:
    value = layer.config.get(key, default)
    if allowed is not None and value not in allowed:
        raise KerasFormatError(
            f"{layer.label}: {key}={value!r} is not supported; jaring supports "
            + ", ".join(map(repr, allowed))
        )
    return value


def _pair(layer: KerasLayer, key: str) -> tuple[int, int]:
    """The layer's `key` read by the one pair rule (ops/geometry.pair), as a KerasFormatError."""
    try:
        return pair(layer.config.get(key), f"{layer.label}: {key}")
    except ValueError as exc:
        raise KerasFormatError(str(exc)) from None


def _activation(layer: KerasLayer, key: str = "activation") -> tuple[str, dict]:
    """(jaring activation name, its arguments) for the layer's Keras activation name."""
    name = layer.config.get(key, "linear")
    if name is None:
        name = "linear"
    if not isinstance(name, str) or name not in KERAS_ACTIVATIONS:
        raise KerasFormatError(
            f"{layer.label}: activation {name!r} is not supported (custom functions are never loaded); "
            f"supported: {', '.join(sorted(KERAS_ACTIVATIONS))}"
        )
    return KERAS_ACTIVATIONS[name]


def _activation_spec(layer: KerasLayer) -> str | Module:
    """The `activation=` argument for a jaring layer: a name, or a module when it needs arguments."""
    name, kwargs = _activation(layer)
    return nn.get_activation(name, **kwargs) if kwargs else name


def _channels_last(layer: KerasLayer) -> str:
    return _option(layer, "data_format", "channels_last", ("channels_last",))


def _weights(layer: KerasLayer, side: str = "own") -> list[np.ndarray]:
    arrays = layer.weights.get(side, [])
    expected = WEIGHT_COUNTS[layer.cls]
    if expected is not None and len(arrays) not in expected:
        raise KerasFormatError(
            f"{layer.label}: the file holds {len(arrays)} weight array(s), expected "
            f"{' or '.join(map(str, expected))}"
        )
    return arrays


def _dense(layer: KerasLayer) -> Module:
    arrays = _weights(layer)
    use_bias = bool(_option(layer, "use_bias", True))
    _ndim(layer, arrays[0], 2, "kernel")
    dense = nn.Dense(
        int(layer.config["units"]),
        activation=_activation_spec(layer),
        use_bias=use_bias,
        input_dim=arrays[0].shape[0],
    )
    load_dense(dense, arrays, layer.label)
    return dense


def _conv(layer: KerasLayer) -> Module:
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
        input_dim=arrays[0].shape[2],
    )
    load_conv(conv, arrays, layer.label)
    return conv


def _batchnorm(layer: KerasLayer) -> Module:
    axis = layer.config.get("axis", -1)
    shape = layer.input_shape
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
        momentum=float(layer.config.get("momentum", 0.99)),
        epsilon=float(layer.config.get("epsilon", 1e-3)),
        center=center,
        scale=scale,
    )
    load_batchnorm(norm, arrays, layer.label)
    return norm


def _pool(kind: type) -> Callable[[KerasLayer], Module]:
    def build(layer: KerasLayer) -> Module:
        strides = layer.config.get("strides")
        return kind(
            _pair(layer, "pool_size"),
            strides=None if strides is None else _pair(layer, "strides"),
            padding=_option(layer, "padding", "valid", ("valid", "same")),
            data_format=_channels_last(layer),
        )

    return build


def _global_pool(kind: type) -> Callable[[KerasLayer], Module]:
    def build(layer: KerasLayer) -> Module:
        _option(layer, "keepdims", False, (False,))
        return kind(data_format=_channels_last(layer))

    return build


def _flatten(layer: KerasLayer) -> Module:
    _channels_last(layer)
    return nn.Flatten()


def _dropout(layer: KerasLayer) -> Module:
    return nn.Dropout(float(layer.config.get("rate", 0.0)))


def _embedding(layer: KerasLayer) -> Module:
    (table,) = _weights(layer)
    _ndim(layer, table, 2, "embeddings")
    if layer.config.get("quantization_config") is not None:
        raise KerasFormatError(f"{layer.label}: quantized embeddings are not supported")
    emb = nn.Embedding(table.shape[0], table.shape[1], mask_zero=bool(layer.config.get("mask_zero", False)))
    assign(emb.weight, table, layer.label, "embeddings")
    return emb


def _recurrent(layer: KerasLayer, side: str = "own") -> Module:
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
    load_recurrent(rnn, arrays, layer.label)
    return rnn


def _bidirectional(layer: KerasLayer) -> Module:
    inner, back = layer.config.get("layer"), layer.config.get("backward_layer")
    merge = _option(layer, "merge_mode", "concat", ("concat", "sum", "mul", "ave", None))
    sides = []
    for side, spec in (("forward_layer", inner), ("backward_layer", back or inner)):
        sub = parse_layer(spec, 0)
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
    load_recurrent(bi.backward_layer, _weights(sides[1]), sides[1].label)
    return bi


def _plain(config: dict) -> dict:
    """A layer config without the parts that do not change what the layer computes."""
    drop = ("initializer", "regularizer", "constraint", "shared_object_id")
    return {k: v for k, v in config.items() if not any(d in k for d in drop) and k != "build_config"}


def _ndim(layer: KerasLayer, array: np.ndarray, ndim: int, what: str) -> None:
    if array.ndim != ndim:
        raise KerasFormatError(f"{layer.label}: {what} has shape {array.shape}, expected {ndim} dimensions")


BUILDERS: dict[str, Callable[[KerasLayer], Module | None]] = {
    "InputLayer": lambda layer: None,
    "Dense": _dense,
    "Conv2D": _conv,
    "BatchNormalization": _batchnorm,
    "MaxPooling2D": _pool(nn.MaxPool2D),
    "AveragePooling2D": _pool(nn.AvgPool2D),
    "GlobalMaxPooling2D": _global_pool(nn.GlobalMaxPool2D),
    "GlobalAveragePooling2D": _global_pool(nn.GlobalAvgPool2D),
    "Flatten": _flatten,
    "Dropout": _dropout,
    "Activation": lambda layer: nn.get_activation(_activation_spec(layer)),
    "Embedding": _embedding,
    "SimpleRNN": _recurrent,
    "LSTM": _recurrent,
    "GRU": _recurrent,
    "Bidirectional": _bidirectional,
}


def _build(layer: KerasLayer) -> Module:
    try:
        return BUILDERS[layer.cls](layer)
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, KerasFormatError):
            raise
        raise KerasFormatError(f"{layer.label}: its config cannot be rebuilt in jaring: {exc!r}") from None
