"""Saving and loading models safely: one .jaring file = JSON architecture + safetensors weights.

jaring.io.save(model, "runs/mnist.jaring"); model = jaring.io.load("runs/mnist.jaring")
Interop: load_keras(".keras" or ".weights.h5"), from_torch(module or state_dict), to_torch(model).
"""

from jaring.io.checkpoint import CheckpointError, load, read_metadata, save
from jaring.io.keras import KerasFormatError, load_keras
from jaring.io.torch import TorchConversionError, from_torch, load_torch_state, to_torch

__all__ = [
    "CheckpointError",
    "KerasFormatError",
    "TorchConversionError",
    "from_torch",
    "load",
    "load_keras",
    "load_torch_state",
    "read_metadata",
    "save",
    "to_torch",
]
