"""Reading a Keras 3 file: the .keras zip archive (config.json + model.weights.h5) and the HDF5 groups.

Only json, zipfile and h5py read the file; nothing in it is executed. Every size is checked
before it is allocated: config.json at most MAX_CONFIG_BYTES and MAX_CONFIG_DEPTH levels deep
(real Keras configs nest about 10), the weights member and each weight array at most
`max_bytes` (MAX_ARRAY_BYTES unless `load_keras(..., max_bytes=)` says otherwise), and an
array's declared bytes must really be stored in the file (at most MAX_COMPRESSION_RATIO times
fewer when HDF5 compressed it), so a tiny file declaring a (10**6, 10**6) kernel is refused.
"""

from __future__ import annotations

import json
import math
import os
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from jaring.errors import FileFormatError


MAX_CONFIG_BYTES = 16 * 2**20
MAX_CONFIG_DEPTH = 64
MAX_ARRAY_BYTES = 4 * 2**30
MAX_COMPRESSION_RATIO = 1000


class KerasFormatError(FileFormatError):
    """A Keras file jaring cannot load: damaged, unsupported, unsafe, or not matching the model.

    Examples:
        >>> from jaring.io import load_keras
        >>> _ = open("model.keras", "w").write("not a zip")
        >>> load_keras("model.keras")
        Traceback (most recent call last):
            ...
        jaring.io.keras.archive.KerasFormatError: model.keras: not a complete .keras archive ...
    """


@dataclass
class KerasLayer:
    """One Keras layer of the file: its name, class, config and (once read) its weight arrays."""

    name: str
    cls: str
    config: dict
    weights: dict[str, list[np.ndarray]] = field(default_factory=dict)
    input_shape: list | None = None  # the shape Keras recorded in the layer's build_config

    @property
    def label(self) -> str:
        return f"layer {self.name!r} ({self.cls})"


# How many weight arrays each Keras layer class holds in the file (None: no weights).
WEIGHT_COUNTS: dict[str, tuple[int, ...] | None] = {
    "InputLayer": None,
    "Dense": (1, 2),
    "Conv2D": (1, 2),
    "BatchNormalization": (2, 4),
    "MaxPooling2D": None,
    "AveragePooling2D": None,
    "GlobalMaxPooling2D": None,
    "GlobalAveragePooling2D": None,
    "Flatten": None,
    "Dropout": None,
    "Activation": None,
    "Embedding": (1,),
    "SimpleRNN": (2, 3),
    "LSTM": (2, 3),
    "GRU": (2, 3),
    "Bidirectional": (),
}


def read_archive(path: str, max_bytes: int = MAX_ARRAY_BYTES) -> tuple[dict | None, bytes | None]:
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
            _check_member(archive.getinfo("model.weights.h5"), path, max_bytes)
            config = json.loads(archive.read("config.json"))
            _check_depth(config, path)
            weights = archive.read("model.weights.h5")
    except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
        raise KerasFormatError(f"{path}: damaged .keras archive: {exc}") from None
    except json.JSONDecodeError as exc:
        raise KerasFormatError(f"{path}: config.json is not valid JSON: {exc}") from None
    except RecursionError:
        raise KerasFormatError(
            f"{path}: config.json nests deeper than Python's JSON reader allows (limit {MAX_CONFIG_DEPTH})"
        ) from None
    if not isinstance(config, dict):
        raise KerasFormatError(f"{path}: config.json must describe one model, got a {type(config).__name__}")
    return config, weights


def _check_member(info: zipfile.ZipInfo, path: str, max_bytes: int) -> None:
    """The weights member's size and compression ratio, read from the zip directory before inflating."""
    if info.file_size > max_bytes:
        raise KerasFormatError(
            f"{path}: model.weights.h5 declares {info.file_size:,} bytes, more than the limit of "
            f"{max_bytes:,} (load_keras(..., max_bytes=) raises it for a file you trust)"
        )
    if info.file_size > MAX_COMPRESSION_RATIO * max(info.compress_size, 1):
        raise KerasFormatError(
            f"{path}: model.weights.h5 would inflate {info.file_size / max(info.compress_size, 1):,.0f} "
            f"times, more than {MAX_COMPRESSION_RATIO}; Keras stores it uncompressed"
        )


def _check_depth(config: Any, path: str) -> None:
    """Refuse a config nested deeper than MAX_CONFIG_DEPTH (walked with a stack, not recursion)."""
    stack = [(config, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_CONFIG_DEPTH:
            raise KerasFormatError(
                f"{path}: config.json nests more than {MAX_CONFIG_DEPTH} levels deep; Keras configs "
                "nest about 10, so the file is damaged or hostile"
            )
        children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
        stack.extend((item, depth + 1) for item in children if isinstance(item, dict | list))


def h5_names(classes: list[str]) -> list[str]:
    """The group names Keras gives layers in the weights file: snake_case class, _1, _2 for repeats."""
    used: dict[str, int] = {}
    names = []
    for cls in classes:
        base = re.sub("([a-z])([A-Z])", r"\1_\2", re.sub("(.)([A-Z][a-z]+)", r"\1_\2", cls)).lower()
        used[base] = used.get(base, -1) + 1
        names.append(base if used[base] == 0 else f"{base}_{used[base]}")
    return names


def child(group: Any, path: str, label: str) -> Any:
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


def arrays_group(group: Any, label: str) -> Any:
    """Where a layer's arrays are: its recurrent `cell` subgroup, or the layer's own group."""
    found = child(group, "cell", label)
    return group if found is None else found


def check_dataset(dataset: Any, label: str, what: str, max_bytes: int = MAX_ARRAY_BYTES) -> None:
    """A weight dataset must hold numbers, fit `max_bytes`, and have its declared bytes in the file."""
    dtype = dataset.dtype
    if dtype.kind not in "fiub" or dtype.fields is not None:
        raise KerasFormatError(f"{label}: {what} holds {dtype} values; weights must be numbers")
    declared = math.prod(dataset.shape) * dtype.itemsize
    if declared > max_bytes:
        raise KerasFormatError(
            f"{label}: {what} declares shape {dataset.shape} ({declared:,} bytes), more than the limit "
            f"of {max_bytes:,} (load_keras(..., max_bytes=) raises it for a file you trust)"
        )
    stored = dataset.id.get_storage_size()
    compressed = dataset.id.get_create_plist().get_nfilters() > 0
    if declared > (MAX_COMPRESSION_RATIO * stored if compressed else stored):
        raise KerasFormatError(
            f"{label}: {what} declares shape {dataset.shape} ({declared:,} bytes) but the file stores "
            f"only {stored:,} bytes of it, so the file is truncated or hostile"
        )


def read_vars(group: Any, label: str, max_bytes: int = MAX_ARRAY_BYTES) -> list[np.ndarray]:
    """The arrays of one `vars` group in their saved order (0, 1, 2, ...), each checked first."""
    vars_group = child(group, "vars", label)
    if vars_group is None:
        return []
    arrays = []
    try:
        for i in range(len(vars_group)):
            dataset = child(vars_group, str(i), label)
            if dataset is None or not hasattr(dataset, "shape") or dataset.is_virtual or dataset.external:
                raise KerasFormatError(f"{label}: weight {i} is missing or not plain data inside the file")
            check_dataset(dataset, label, f"weight {i}", max_bytes)
            arrays.append(np.asarray(dataset[()]))
    except OSError as exc:
        raise KerasFormatError(f"{label}: its weights cannot be read (truncated file?): {exc}") from None
    return arrays


def read_weights(root: Any, layers: list[KerasLayer], path: str, max_bytes: int = MAX_ARRAY_BYTES) -> None:
    """Fill each layer's weights from its group; every weighted group of the file must be used."""
    used = set()
    for layer, name in zip(layers, h5_names([layer.cls for layer in layers])):
        if layer.cls == "InputLayer":
            continue
        group = child(root, name, layer.label)
        if group is None:
            if WEIGHT_COUNTS[layer.cls] is None:
                continue
            raise KerasFormatError(f"{path}: no weights for {layer.label} (expected a group 'layers/{name}')")
        used.add(name)
        if layer.cls == "Bidirectional":
            for side in ("forward_layer", "backward_layer"):
                sub = child(group, f"{side}/cell", layer.label)
                layer.weights[side] = (
                    [] if sub is None else read_vars(sub, f"{layer.label} {side}", max_bytes)
                )
        else:
            layer.weights["own"] = read_vars(arrays_group(group, layer.label), layer.label, max_bytes)
    extra = sorted(n for n in root if n not in used and has_arrays(root[n]))
    if extra:
        raise KerasFormatError(
            f"{path} holds weights for layer(s) the model does not have: {', '.join(extra)}"
        )


def has_arrays(group: Any) -> bool:
    found: list = []
    group.visititems(lambda _name, obj: found.append(1) if hasattr(obj, "shape") else None)
    return bool(found)


def declared_input_shape(config: dict) -> list | None:
    for spec in (config.get("config") or {}).get("layers") or []:
        if isinstance(spec, dict) and spec.get("class_name") == "InputLayer":
            return (spec.get("config") or {}).get("batch_shape")
    return None
