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
from typing import Any

from jaring import nn
from jaring.io.keras.archive import (
    MAX_ARRAY_BYTES,
    KerasFormatError,
    declared_input_shape,
    read_archive,
    read_weights,
)
from jaring.io.keras.builders import layers_from_config, named_layers
from jaring.io.keras.shapes import check_shapes
from jaring.io.keras.weights import load_into
from jaring.nn.module import Module

__all__ = ["KerasFormatError", "load_keras"]


def load_keras(
    path: str | os.PathLike, model: Module | None = None, max_bytes: int = MAX_ARRAY_BYTES
) -> Module:
    """A jaring model with the Keras model's weights, in eval mode.

    `path` is a Keras 3 `.keras` archive or a `.weights.h5` file. Without `model` the
    architecture is rebuilt from the archive's config (a Sequential, or a Functional model
    that is a single chain of layers), as a jaring Sequential whose children carry the Keras
    layer names. With `model`, the weights are copied into it instead: its Dense/Linear,
    Conv2D, BatchNorm2D, Embedding and recurrent layers are matched, in order, to the file's.
    Raises KerasFormatError (a `jaring.FileFormatError`) naming the file and the layer for
    anything it cannot load. Sizes are checked before anything is allocated: each weight array
    (and a `.keras` archive's weights member) holds at most `max_bytes` (4 GiB; raise it for a
    file you trust), its declared bytes must be stored in the file, and every array must agree
    with the config's units, filters and sizes and with the model's input shape.

    Examples:
        >>> import h5py
        >>> import numpy as np
        >>> from jaring import nn
        >>> from jaring.io import load_keras
        >>> with h5py.File("dense.weights.h5", "w") as f:  # the layout Keras 3's save_weights writes
        ...     kernel_and_bias = f.create_group("layers/dense/vars")
        ...     kernel_and_bias["0"] = np.arange(8, dtype="float32").reshape(4, 2)  # (in, out)
        ...     kernel_and_bias["1"] = np.zeros(2, dtype="float32")
        >>> model = load_keras("dense.weights.h5", model=nn.Sequential(nn.Linear(4, 2)))
        >>> model[0].weight.numpy().tolist()  # torch's (out, in) layout
        [[0.0, 2.0, 4.0, 6.0], [1.0, 3.0, 5.0, 7.0]]
    """
    try:
        import h5py  # optional: only load_keras needs it
    except ImportError:
        raise ImportError("load_keras needs h5py: pip install h5py (or jaring[keras])") from None

    path = os.fspath(path)
    try:
        return _load(h5py, path, model, max_bytes)
    except KerasFormatError as exc:
        message = str(exc)
        raise KerasFormatError(message if message.startswith(path) else f"{path}: {message}", path) from None


def _load(h5py: Any, path: str, model: Module | None, max_bytes: int) -> Module:
    config, weights_bytes = read_archive(path, max_bytes)
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
            read_weights(h5["layers"], layers, path, max_bytes)
            check_shapes(layers, declared_input_shape(config))
            model = nn.Sequential(named_layers([layer for layer in layers if layer.cls != "InputLayer"]))
        else:
            load_into(model, h5["layers"], config, path, max_bytes)
    return model.eval()
