"""Saving and loading models safely: one .jaring file = JSON architecture + safetensors weights.

jaring.io.save(model, "runs/mnist.jaring"); model = jaring.io.load("runs/mnist.jaring")
Interop: load_keras(".keras" or ".weights.h5"), from_torch(module or state_dict), to_torch(model).
"""

from jaring.errors import FileFormatError
from jaring.io.checkpoint import (
    CheckpointError,
    load,
    load_weights_into,
    read_metadata,
    read_training_state,
    save,
)
from jaring.io.keras import KerasFormatError, load_keras
from jaring.io.torch import TorchConversionError, from_torch, load_torch_state, to_torch

__all__ = [
    "CheckpointError",
    "FileFormatError",
    "KerasFormatError",
    "TorchConversionError",
    "from_torch",
    "load",
    "load_keras",
    "load_weights_into",
    "load_torch_state",
    "read_metadata",
    "read_training_state",
    "save",
    "to_torch",
]
