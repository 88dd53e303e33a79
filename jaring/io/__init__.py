"""Saving and loading models safely: one .jaring file = JSON architecture + safetensors weights.

jaring.io.save(model, "runs/mnist.jaring"); model = jaring.io.load("runs/mnist.jaring")
Interop: load_keras(".keras" or ".weights.h5"), from_torch(module or state_dict), to_torch(model).
"""

from jaring.io.checkpoint import CheckpointError, load, read_metadata, save

__all__ = ["CheckpointError", "load", "read_metadata", "save"]
