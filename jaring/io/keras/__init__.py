"""Load Keras 3 models into jaring: `.keras` archives (config + weights) and `.weights.h5` files.

model = jaring.io.load_keras("cnn.keras")                  # rebuild the architecture, load weights
jaring.io.load_keras("cnn.weights.h5", model=my_model)      # only weights, into a jaring model

Keras is not needed, and nothing in the file is executed (no unpickling, no eval, no imports by
name). `archive` reads the file, `builders` rebuilds layers from the config, `weights` copies
arrays into jaring layers. Models stay channels-last, so Flatten's order matches.
"""

from __future__ import annotations

import io
import os

from jaring import nn
from jaring.io.keras.archive import KerasFormatError, read_archive, read_weights
from jaring.io.keras.builders import layers_from_config, named_layers
from jaring.io.keras.weights import load_into
from jaring.nn.module import Module

__all__ = ["KerasFormatError", "load_keras"]


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
    config, weights_bytes = read_archive(path)
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
            layers = layers_from_config(config)
            read_weights(h5["layers"], layers, path)
            model = nn.Sequential(named_layers([layer for layer in layers if layer.cls != "InputLayer"]))
        else:
            load_into(model, h5["layers"], config, path)
    return model.eval()
