"""The PyTorch-style jaring layers that rebuild a torch module from its own settings.

jaring's Conv1d, Conv2d, ConvTranspose2d, BatchNorm1d/2d, MaxPool2d, AvgPool2d, the adaptive
poolings and the other PyTorch-style layers (GroupNorm, InstanceNorm, channel dropout, PReLU, the
shrinks, PixelShuffle, Unflatten, Bilinear, the recurrent cells) take torch's constructor words
and keep torch's state dict. `from_torch` turns torch
modules into the Keras-style layers where those compute the same thing (so that the model
reads as the rest of jaring); what they cannot express (a reflect padding mode, padded or
dilated pooling, batch norm without running statistics, 7x7 adaptive pooling...) becomes the
twin instead of an error.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import nn
from jaring.nn.module import Module

_CONV = ("in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias")
_NORM = ("num_features", "eps", "momentum", "affine", "track_running_stats")
_STACK = ("bias", "batch_first", "dropout", "bidirectional")  # what torch's RNN, LSTM and GRU share
# jaring's settings for each torch class, read from torch's attributes of the same names (`bias`:
# whether there is one).
_SETTINGS = {
    "Conv1d": _CONV,
    "Conv2d": (*_CONV, "padding_mode"),
    "ConvTranspose2d": (*_CONV, "output_padding"),
    "BatchNorm1d": _NORM,
    "BatchNorm2d": _NORM,
    "MaxPool2d": ("kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
    "AvgPool2d": ("kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"),
    "AdaptiveAvgPool2d": ("output_size",),
    "AdaptiveMaxPool2d": ("output_size",),
    "GroupNorm": ("num_groups", "num_channels", "eps", "affine", "bias"),
    "InstanceNorm1d": (*_NORM, "bias"),
    "InstanceNorm2d": (*_NORM, "bias"),
    "InstanceNorm3d": (*_NORM, "bias"),
    "PReLU": ("num_parameters", "init"),
    "Bilinear": ("in1_features", "in2_features", "out_features", "bias"),
    "RNNCell": ("input_size", "hidden_size", "bias", "nonlinearity"),
    "LSTMCell": ("input_size", "hidden_size", "bias"),
    "GRUCell": ("input_size", "hidden_size", "bias"),
    "RNN": ("input_size", "hidden_size", "num_layers", "nonlinearity", *_STACK),
    "LSTM": ("input_size", "hidden_size", "num_layers", *_STACK, "proj_size"),
    "GRU": ("input_size", "hidden_size", "num_layers", *_STACK),
    **{
        kind: ("p",)
        for kind in ("Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout")
    },
    "Threshold": ("threshold", "value"),
    "GLU": ("dim",),
    "Tanhshrink": (),
    "Hardshrink": ("lambd",),
    "Softshrink": ("lambd",),
    "PixelShuffle": ("upscale_factor",),
    "PixelUnshuffle": ("downscale_factor",),
    "Unflatten": ("dim", "unflattened_size"),
}
# The layers that hold weights, built in the torch module's dtype.
_WEIGHTED = (
    "Conv", "BatchNorm", "GroupNorm", "InstanceNorm", "PReLU", "Bilinear", "RNNCell", "LSTMCell", "GRUCell",
    "RNN", "LSTM", "GRU",
)  # fmt: skip


def twin_from_torch(m: Any, dtype: Any) -> Module | None:
    """The jaring layer with `m`'s class name and settings, its weights and buffers copied; None
    when jaring has no layer of that name."""
    kind = type(m).__name__
    if kind not in _SETTINGS:
        return None
    settings = {name: _setting(m, name) for name in _SETTINGS[kind]}
    if kind == "Conv1d" and isinstance(settings["kernel_size"], tuple):  # torch keeps 1-tuples
        settings.update({k: settings[k][0] for k in ("kernel_size", "stride", "dilation")})
        if not isinstance(settings["padding"], str):
            settings["padding"] = settings["padding"][0]
    if kind.startswith(_WEIGHTED):
        settings["dtype"] = np.dtype(dtype).name
    return _with_state(getattr(nn, kind)(**settings), m)


def _with_state(layer: Module, m: Any) -> Module:
    """`layer` holding torch module `m`'s parameters and buffers."""
    state = {k: np.array(v.detach().cpu().numpy()) for k, v in m.state_dict().items()}
    if state:
        layer.load_state_dict(state)
    return layer


def _setting(m: Any, name: str) -> Any:
    value = getattr(m, name)
    if name == "bias" and not isinstance(value, bool):  # the bias Parameter, or None without one
        return value is not None
    return _plain(value)


def _plain(value: Any) -> Any:
    """torch keeps some settings as tuples or lists; jaring's layers take ints, tuples and strings."""
    return tuple(value) if isinstance(value, list) else value
