"""The shapes a Keras config promises, checked against the weight arrays before any layer is built.

A hostile or damaged config can declare Dense units of 10**12, or a kernel whose input size
contradicts the model's input shape; building the layer first would allocate terabytes or
silently load a model that cannot run. Here each layer's arrays are compared with its own
config (units, filters, kernel_size, input_dim/output_dim) and with the feature size flowing
out of the previous layer, starting from the InputLayer's batch_shape (or the layer's own
`build_config`), walking the chain as Keras would: Conv2D and pooling change the image size,
Flatten multiplies it out, Dense and recurrent layers replace the last axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from jaring.io.keras.archive import WEIGHT_COUNTS, KerasFormatError, KerasLayer

# Keras's gate count per recurrent cell: the kernel's second axis is gates * units.
GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3}


@dataclass
class Flow:
    """What reaches the next layer: the last axis (None when unknown) and the image size, if any."""

    features: int | None
    image: tuple[int | None, int | None] | None = None


def check_shapes(layers: list[KerasLayer], batch_shape: list | None) -> None:
    """Raise KerasFormatError naming the layer whose arrays contradict the config or the input."""
    flow = _start(batch_shape)
    for layer in layers:
        flow = _step(layer, _own_input(layer, flow))


def _dim(value: object) -> int | None:
    return int(value) if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _start(batch_shape: list | None) -> Flow:
    if not isinstance(batch_shape, list) or len(batch_shape) < 2:
        return Flow(None)
    dims = [_dim(v) for v in batch_shape[1:]]
    return Flow(dims[-1], (dims[0], dims[1]) if len(dims) == 3 else None)


def _own_input(layer: KerasLayer, flow: Flow) -> Flow:
    """The flow, completed (or contradicted) by the input shape Keras recorded for the layer."""
    shape = layer.input_shape
    if not isinstance(shape, list) or not shape or layer.cls == "Embedding":
        return flow
    recorded = _dim(shape[-1])
    if recorded is not None and flow.features is not None and recorded != flow.features:
        raise KerasFormatError(
            f"{layer.label}: its build_config says its input has {recorded} features, but the previous "
            f"layers give it {flow.features}"
        )
    image = flow.image if flow.image is not None or len(shape) != 4 else (_dim(shape[1]), _dim(shape[2]))
    return Flow(flow.features if flow.features is not None else recorded, image)


def _expect(layer: KerasLayer, what: str, array: np.ndarray, shape: tuple) -> None:
    """`array` must have `shape` where an entry is not None (None: any size on that axis)."""
    got = tuple(array.shape)
    if len(got) != len(shape) or any(want is not None and want != have for want, have in zip(shape, got)):
        wanted = "(" + ", ".join("?" if s is None else str(s) for s in shape) + ")"
        raise KerasFormatError(
            f"{layer.label}: its {what} has shape {got}, but the config and the model's input shape "
            f"need {wanted}"
        )


def _config_int(layer: KerasLayer, key: str) -> int:
    value = layer.config.get(key)
    if _dim(value) is None:
        raise KerasFormatError(f"{layer.label}: {key} must be a positive int, got {value!r}")
    return int(value)


def _window(layer: KerasLayer, key: str, default: object = None) -> tuple[int, int]:
    value = layer.config.get(key, default)
    values = [value, value] if isinstance(value, int) else value
    if not (isinstance(values, list | tuple) and len(values) == 2 and all(_dim(v) for v in values)):
        raise KerasFormatError(f"{layer.label}: {key} must be a positive int or pair of them, got {value!r}")
    return int(values[0]), int(values[1])


def _shrink(
    image: tuple | None, window: tuple, strides: tuple, padding: object, dilation: tuple
) -> tuple | None:
    """The image size after a convolution or pooling window (None stays unknown)."""
    if image is None:
        return None
    out = []
    for size, k, s, d in zip(image, window, strides, dilation):
        reach = d * (k - 1) + 1
        out.append(None if size is None else -(-size // s) if padding == "same" else (size - reach) // s + 1)
    return tuple(out)


def _step(layer: KerasLayer, flow: Flow) -> Flow:
    arrays = layer.weights.get("own", [])
    counts = WEIGHT_COUNTS.get(layer.cls)
    if counts and len(arrays) not in counts:
        raise KerasFormatError(
            f"{layer.label}: the file holds {len(arrays)} weight array(s), expected "
            f"{' or '.join(map(str, counts))}"
        )
    if layer.cls == "Dense":
        units = _config_int(layer, "units")
        _expect(layer, "kernel", arrays[0], (flow.features, units))
        if len(arrays) > 1:
            _expect(layer, "bias", arrays[1], (units,))
        return Flow(units, flow.image)
    if layer.cls == "Conv2D":
        filters, window = _config_int(layer, "filters"), _window(layer, "kernel_size")
        _expect(layer, "kernel", arrays[0], (*window, flow.features, filters))
        if len(arrays) > 1:
            _expect(layer, "bias", arrays[1], (filters,))
        strides, dilation = _window(layer, "strides", 1), _window(layer, "dilation_rate", 1)
        image = _shrink(flow.image, window, strides, layer.config.get("padding"), dilation)
        return Flow(filters, image)
    if layer.cls in ("MaxPooling2D", "AveragePooling2D"):
        window = _window(layer, "pool_size")
        strides = window if layer.config.get("strides") is None else _window(layer, "strides")
        return Flow(flow.features, _shrink(flow.image, window, strides, layer.config.get("padding"), (1, 1)))
    if layer.cls in ("GlobalMaxPooling2D", "GlobalAveragePooling2D"):
        return Flow(flow.features)
    if layer.cls == "Flatten":
        known = flow.image is not None and None not in flow.image and flow.features is not None
        return Flow(math.prod(flow.image) * flow.features if known else None)
    if layer.cls == "BatchNormalization":
        size = flow.features or arrays[-1].shape[0]
        for array in arrays:
            _expect(layer, "scale, offset or moving statistic", array, (size,))
        return Flow(size, flow.image)
    if layer.cls == "Embedding":
        rows, width = layer.config.get("input_dim"), layer.config.get("output_dim")
        _expect(layer, "embeddings", arrays[0], (_dim(rows), _dim(width)))
        return Flow(int(arrays[0].shape[1]))
    if layer.cls in GATES:
        return Flow(_recurrent(layer, arrays, flow.features))
    if layer.cls == "Bidirectional":
        return Flow(_bidirectional(layer, flow.features))
    return flow  # InputLayer, Dropout, Activation: the shape passes through


def _recurrent(layer: KerasLayer, arrays: list[np.ndarray], features: int | None) -> int:
    units, gates = _config_int(layer, "units"), GATES[layer.cls]
    _expect(layer, "kernel", arrays[0], (features, gates * units))
    if len(arrays) > 1:
        _expect(layer, "recurrent_kernel", arrays[1], (units, gates * units))
    if len(arrays) > 2:
        reset_after = layer.cls == "GRU" and layer.config.get("reset_after", True)
        _expect(layer, "bias", arrays[2], (2, gates * units) if reset_after else (gates * units,))
    return units


def _bidirectional(layer: KerasLayer, features: int | None) -> int | None:
    sizes = []
    for side, key in (("forward_layer", "layer"), ("backward_layer", "backward_layer")):
        spec = layer.config.get(key) or layer.config.get("layer")
        config = spec.get("config") if isinstance(spec, dict) else None
        cls = spec.get("class_name") if isinstance(spec, dict) else None
        arrays = layer.weights.get(side, [])
        if cls not in GATES or not isinstance(config, dict) or len(arrays) < 2:
            return None  # not a wrapped recurrent layer: the builder refuses it with the precise reason
        sizes.append(_recurrent(KerasLayer(f"{layer.name}.{side}", cls, config), arrays, features))
    merge = layer.config.get("merge_mode", "concat")
    return sum(sizes) if merge == "concat" else sizes[0]
