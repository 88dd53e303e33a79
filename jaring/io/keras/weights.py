"""Copying Keras weight arrays into jaring layers, converting layouts on the way in.

Dense kernels (in, out) are transposed to jaring's (out, in), Conv2D kernels (kh, kw, in, out)
become (out, in, kh, kw), recurrent kernels are transposed and Keras's GRU gate blocks
(z, r, h) are reordered to (r, z, n). Every shape is checked before anything is written.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import backend
from jaring import nn
from jaring.io.keras.archive import (
    MAX_ARRAY_BYTES,
    WEIGHT_COUNTS,
    KerasFormatError,
    arrays_group,
    child,
    declared_input_shape,
    h5_names,
    has_arrays,
    read_vars,
)
from jaring.io.layers import weighted_layers
from jaring.nn.module import Module, Parameter


def assign(param: Parameter | None, array: np.ndarray, label: str, what: str) -> None:
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


def load_dense(layer: Module, arrays: list[np.ndarray], label: str) -> None:
    _check_bias(layer, arrays, 2, label)
    assign(layer.weight, arrays[0].T, label, "kernel")
    if len(arrays) > 1:
        assign(layer.bias, arrays[1], label, "bias")


def load_conv(layer: Module, arrays: list[np.ndarray], label: str) -> None:
    _check_bias(layer, arrays, 2, label)
    assign(layer.weight, arrays[0].transpose(3, 2, 0, 1), label, "kernel")
    if len(arrays) > 1:
        assign(layer.bias, arrays[1], label, "bias")


def _check_bias(layer: Module, arrays: list, with_bias: int, label: str) -> None:
    if (len(arrays) == with_bias) != (layer.bias is not None):
        has = "has" if len(arrays) == with_bias else "has no"
        raise KerasFormatError(
            f"{label}: the file {has} a bias but the jaring layer does not agree (use_bias)"
        )


def load_batchnorm(layer: Module, arrays: list[np.ndarray], label: str) -> None:
    names = ("weight", "bias", "running_mean", "running_var")[4 - len(arrays) :]
    if (len(arrays) == 4) != (layer.weight is not None):
        raise KerasFormatError(f"{label}: scale/center in the file and affine in the jaring layer disagree")
    for name, array in zip(names, arrays):
        tensor = getattr(layer, name)
        assign(tensor, array, label, name)


def _blocks(array: np.ndarray, order: tuple[int, ...]) -> np.ndarray:
    """Reorder the equal gate blocks along the last axis (Keras GRU (z, r, h) -> (r, z, n))."""
    parts = np.split(array, len(order), axis=-1)
    return np.concatenate([parts[i] for i in order], axis=-1)


def load_recurrent(layer: Module, arrays: list[np.ndarray], label: str) -> None:
    kernel, recurrent = arrays[0], arrays[1]
    if len(arrays) > 2:
        bias = arrays[2]
    else:  # use_bias=False: jaring's recurrent layers always have a bias, so it stays zero
        bias = np.zeros((2 if isinstance(layer, nn.GRU) else 1) * kernel.shape[1], kernel.dtype)
    if isinstance(layer, nn.GRU):
        order = (1, 0, 2)
        kernel, recurrent = _blocks(kernel, order), _blocks(recurrent, order)
        bias = _blocks(bias.reshape(2, -1), order)
        assign(layer.bias_ih, bias[0], label, "bias (input part)")
        assign(layer.bias_hh, bias[1], label, "bias (recurrent part)")
    else:
        assign(layer.bias, bias, label, "bias")
    assign(layer.weight_ih, kernel.T, label, "kernel")
    assign(layer.weight_hh, recurrent.T, label, "recurrent_kernel")


# jaring layer class -> (Keras class, loader of that layer's arrays)
LOADERS: dict[type, tuple[str, Callable]] = {
    nn.Dense: ("Dense", load_dense),
    nn.Linear: ("Dense", load_dense),
    nn.Conv2D: ("Conv2D", load_conv),
    nn.BatchNorm2D: ("BatchNormalization", load_batchnorm),
    nn.Embedding: ("Embedding", lambda m, a, label: assign(m.weight, a[0], label, "embeddings")),
    nn.SimpleRNN: ("SimpleRNN", load_recurrent),
    nn.LSTM: ("LSTM", load_recurrent),
    nn.GRU: ("GRU", load_recurrent),
    nn.Bidirectional: ("Bidirectional", None),
}


def load_into(
    model: Module, root: Any, config: dict | None, path: str, max_bytes: int = MAX_ARRAY_BYTES
) -> None:
    """Copy the file's weights into `model`, layer by layer in order, checking every shape first."""
    if config is not None and not model.built:
        shape = declared_input_shape(config)
        if shape is not None:
            model.build(shape)
    targets = weighted_layers(model)
    names = h5_names([LOADERS[type(m)][0] for _, m in targets])
    pending = []
    for (where, module), h5_name in zip(targets, names):
        cls = LOADERS[type(module)][0]
        label = f"layer {where!r} ({type(module).__name__}, Keras {cls} {h5_name!r})"
        group = child(root, h5_name, label)
        if group is None:
            raise KerasFormatError(f"{path}: no weights for the model's {label}")
        if not module.built:
            raise KerasFormatError(f"{label} has no weights yet: call model.build(input_shape) first")
        if isinstance(module, nn.Bidirectional):
            for side in ("forward_layer", "backward_layer"):
                cell = child(group, f"{side}/cell", label)
                arrays = [] if cell is None else read_vars(cell, f"{label} {side}", max_bytes)
                if len(arrays) not in (2, 3):
                    raise KerasFormatError(f"{path}: {label} has no {side} weights")
                pending.append((load_recurrent, getattr(module, side), arrays, f"{label} {side}"))
        else:
            arrays = read_vars(arrays_group(group, label), label, max_bytes)
            if len(arrays) not in WEIGHT_COUNTS[cls]:
                raise KerasFormatError(
                    f"{path}: {label} holds {len(arrays)} weight arrays, expected {WEIGHT_COUNTS[cls]}"
                )
            pending.append((LOADERS[type(module)][1], module, arrays, label))
    extra = sorted(n for n in root if n not in names and has_arrays(root[n]))
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
