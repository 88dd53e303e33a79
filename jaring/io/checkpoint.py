"""save / load any Module as one safe `.jaring` file: JSON architecture + safetensors weights.

The file is a zip archive holding exactly two members:
    model.json           {"format": "jaring", "version": 1, "model": <module>, "extra": {...}}
                         where <module> = {"class": "jaring.nn.linear.Linear", "config": {...}}
    weights.safetensors  every parameter and buffer, by its state_dict name
and, in a training checkpoint (see jaring.training.resume), two more:
    training.json        epoch, history, RNG states, optimizer and scheduler settings
    optimizer.safetensors  the optimizer's per-parameter state arrays

Writing is atomic (jaring.atomic): the archive goes to a uniquely named temporary file in the
target's folder, is flushed to disk (fsync) and then renamed over the target, so a crash or an
error leaves any previous file intact. Reading is bounded: declared sizes are checked against
the limits below, and the safetensors header against the bytes present, before anything is
inflated or built. Loading never unpickles and never imports anything: class names must be jaring Module
classes that are already loaded (or ones passed in `custom_objects`), the JSON is checked
value by value, and every tensor's name, shape and dtype must match the rebuilt model.
"""

from __future__ import annotations

import contextlib
import json
import os
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from jaring.allocation import AllocationRefusedError, budget
from jaring.atomic import write_atomically
from jaring.io.archive import (
    FORMAT,
    JSON_NAME,
    MAX_MEMBER_BYTES,
    TRAINING_JSON,
    TRAINING_WEIGHTS,
    VERSION,
    WEIGHTS_NAME,
    Archive,
    CheckpointError,
)
from jaring.errors import FileFormatError
from jaring.io.config_json import encode, encode_module
from jaring.io.safetensors_header import TensorEntry
from jaring.nn.module import Module, module_class

# Weight elements a rebuilt model may create beyond those the file holds (a few scalars that
# are not saved); everything else must be backed by bytes really present in the file.
BUDGET_SLACK = 4096

# Classes that moved to another file keep loading under the full name older files wrote.
MOVED = {
    "jaring.nn.module.Sequential": "jaring.nn.container.Sequential",
    "jaring.nn.module.ModuleList": "jaring.nn.container.ModuleList",
    "jaring.nn.recurrent.Bidirectional": "jaring.nn.bidirectional.Bidirectional",
}


# ----- writing -----------------------------------------------------------------------------


def _contiguous(array: np.ndarray) -> np.ndarray:
    """A C-ordered array of the same shape (np.ascontiguousarray turns a 0-d array into shape (1,),
    so a saved BatchNorm2D's num_batches_tracked did not match the model on loading)."""
    return array if array.flags.c_contiguous else np.ascontiguousarray(array)


def _weights_bytes(module: Module) -> bytes:
    from safetensors.numpy import save as st_save

    state = {name: _contiguous(array) for name, array in module.state_dict().items()}
    return st_save(state)


def with_default_suffix(path: str | os.PathLike) -> Path:
    """`path` with ".jaring" added when it has no suffix: save("m") and load("m") both use m.jaring."""
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"a model file path must be a str or a Path, got {path!r:.80}")
    if Path(path).is_dir():
        raise IsADirectoryError(f"{path} is a folder; give the path of a .jaring file (e.g. {path}/model)")
    path = Path(path)
    return path.with_suffix(".jaring") if not path.suffix else path


def save(
    module: Module,
    path: str | os.PathLike,
    extra_config: dict | None = None,
    training_state: tuple[dict, dict[str, np.ndarray]] | None = None,
) -> Path:
    """Write `module` (architecture + weights) and `extra_config` (any JSON data) to `path`.

    The suffix ".jaring" is added when the path has none. `training_state`, a (JSON document,
    {name: array}) pair from jaring.training, adds the members a resumable checkpoint needs.
    Returns the path written.

    Examples:
        >>> from jaring.io import load, save
        >>> from jaring.models import FFNN
        >>> path = save(FFNN([4, 8, 3], ["relu", "softmax"], seed=0), "model.jaring")
        >>> type(load("model")).__name__
        'FFNN'
    """
    if not isinstance(module, Module):
        raise TypeError(f"save needs a jaring Module, got {type(module).__name__}")
    path = with_default_suffix(path)
    document = {
        "format": FORMAT,
        "version": VERSION,
        "model": encode_module(module, type(module).__name__),
        "extra": encode(extra_config or {}, "extra_config"),
    }
    members = {JSON_NAME: json.dumps(document, indent=1, allow_nan=True).encode()}
    members[WEIGHTS_NAME] = _weights_bytes(module)
    if training_state is not None:
        from safetensors.numpy import save as st_save

        training_doc, arrays = training_state
        members[TRAINING_JSON] = json.dumps(training_doc, allow_nan=True).encode()
        members[TRAINING_WEIGHTS] = st_save({k: _contiguous(v) for k, v in arrays.items()})

    def write(raw: Any) -> None:
        with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_STORED) as archive:
            for name, data in members.items():
                archive.writestr(name, data)

    return write_atomically(path, write)


# ----- reading -----------------------------------------------------------------------------


def read_metadata(path: str | os.PathLike, max_bytes: int = MAX_MEMBER_BYTES) -> dict:
    """The file's JSON document (format, version, model description, extra config), checked.

    Examples:
        >>> from jaring import nn
        >>> from jaring.io import read_metadata, save
        >>> _ = save(nn.Sequential(nn.Linear(2, 3, seed=0)), "tiny", extra_config={"note": "hello"})
        >>> read_metadata("tiny.jaring")["extra"]
        {'note': 'hello'}
    """
    path = with_default_suffix(path)
    with _naming(path), Archive(path, max_bytes) as archive:
        return _parse_document(path, archive.read(JSON_NAME))


def _parse_document(path: Path, text: bytes) -> dict:
    try:
        document = json.loads(text.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise CheckpointError(f"{path}: {JSON_NAME} is not valid JSON: {exc}") from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise CheckpointError(f"{path}: {JSON_NAME} does not describe a jaring model")
    if document.get("version") != VERSION:
        raise CheckpointError(
            f"{path}: format version {document.get('version')!r}; this jaring reads {VERSION}"
        )
    if not isinstance(document.get("model"), dict) or not isinstance(document.get("extra", {}), dict):
        raise CheckpointError(f"{path}: {JSON_NAME} lacks a valid 'model' entry")
    return document


def _lookup(name: Any, custom: dict[str, type], path: Path) -> type:
    if not isinstance(name, str):
        raise CheckpointError(f"{path}: a layer type must be a string, got {name!r}")
    name = MOVED.get(name, name)
    short = name.rsplit(".", 1)[-1]
    for key in (name, short):
        if key in custom:
            return custom[key]
    if not name.startswith("jaring."):
        raise CheckpointError(
            f"{path}: unknown layer type {name!r}; a model file may name jaring layers only "
            "(pass your own classes as custom_objects={'Name': Class})"
        )
    try:
        cls = module_class(name)
    except KeyError:
        raise CheckpointError(f"{path}: unknown layer type {name!r} (not a jaring layer)") from None
    if not cls.__module__.startswith("jaring.") or f"{cls.__module__}.{cls.__qualname__}" != name:
        raise CheckpointError(f"{path}: unknown layer type {name!r} (not a jaring layer)")
    return cls


def _decode(value: Any, custom: dict, path: Path, depth: int = 0) -> Any:
    if depth > 100:
        raise CheckpointError(f"{path}: {JSON_NAME} is nested too deeply")
    if isinstance(value, list):
        return [_decode(v, custom, path, depth + 1) for v in value]
    if not isinstance(value, dict):
        return value
    if "__module__" in value:
        return _build(value, custom, path, depth + 1)
    if "__tuple__" in value:
        return tuple(_decode(value["__tuple__"], custom, path, depth + 1))
    if "__dtype__" in value:
        try:
            dtype = np.dtype(value["__dtype__"])
        except TypeError as exc:
            raise CheckpointError(f"{path}: invalid dtype {value['__dtype__']!r}") from exc
        if dtype.kind not in "fiub":
            raise CheckpointError(f"{path}: invalid dtype {value['__dtype__']!r}")
        return dtype
    return {k: _decode(v, custom, path, depth + 1) for k, v in value.items()}


def _build(spec: dict, custom: dict, path: Path, depth: int = 0) -> Module:
    if set(spec) != {"__module__", "config"} or not isinstance(spec["config"], dict):
        raise CheckpointError(f"{path}: a layer entry must have exactly '__module__' and 'config'")
    cls = _lookup(spec["__module__"], custom, path)
    config = _decode(spec["config"], custom, path, depth)
    try:
        return cls.from_config(config)
    except AllocationRefusedError:
        raise
    except (TypeError, ValueError, KeyError, MemoryError, OverflowError) as exc:
        raise CheckpointError(
            f"{path}: cannot rebuild {cls.__name__} from its saved configuration: {exc}"
        ) from exc


def _load_weights(path: Path, data: bytes, name: str = WEIGHTS_NAME) -> dict[str, np.ndarray]:
    from safetensors.numpy import load as st_load

    try:
        return st_load(data)
    except Exception as exc:  # safetensors raises its own error types for every kind of damage
        raise CheckpointError(f"{path}: {name} is corrupt or truncated: {exc}", path) from exc


def _check_weights(path: Path, model: Module, weights: dict[str, np.ndarray]) -> None:
    expected = {name: t for name, t in [*model.named_parameters(), *model.named_buffers()]}
    missing = sorted(set(expected) - set(weights))
    unexpected = sorted(set(weights) - set(expected))
    if missing or unexpected:
        raise CheckpointError(
            f"{path}: the weights do not match the architecture (missing: {missing or 'none'}, "
            f"unexpected: {unexpected or 'none'})"
        )
    float_dtypes = {a.dtype for a in weights.values() if a.dtype.kind == "f"}
    if len(float_dtypes) == 1:
        (dtype,) = float_dtypes
        if any(t.dtype.kind == "f" and t.dtype != dtype for t in expected.values()):
            model.to(dtype)  # a model saved after .double() comes back in float64
    problems = [
        f"tensor {name!r} has shape {tuple(array.shape)} and dtype {array.dtype}, but the model "
        f"expects shape {tuple(expected[name].shape)} and dtype {expected[name].dtype}"
        for name, array in sorted(weights.items())
        if tuple(array.shape) != tuple(expected[name].shape) or array.dtype != expected[name].dtype
    ]
    if problems:
        raise CheckpointError(f"{path}: " + "; ".join(problems))


@contextlib.contextmanager
def _naming(path: Path) -> Iterator[None]:
    """Give every file error raised inside the block the file's path (its `.path`)."""
    try:
        yield
    except FileFormatError as exc:
        if exc.path is None:
            exc.path = str(path)
        raise


def _build_within(path: Path, spec: dict, custom: dict, header: dict[str, TensorEntry]) -> Module:
    """Rebuild the model, refusing any layer whose weights the file's bytes cannot back."""
    elements = sum(entry.size for entry in header.values())
    why = f"{WEIGHTS_NAME} holds only {elements:,} elements"
    try:
        with budget(elements + BUDGET_SLACK, why):
            return _build(spec, custom, path)
    except AllocationRefusedError as exc:
        raise CheckpointError(f"{path}: {exc}; the file is damaged or made to exhaust memory", path) from None


def load(
    path: str | os.PathLike,
    custom_objects: dict[str, type] | None = None,
    max_bytes: int = MAX_MEMBER_BYTES,
) -> Module:
    """Rebuild the Module saved at `path` and fill in its weights (in eval-ready, training mode).

    `custom_objects` maps class names to your own Module subclasses that the file may use. A
    path without a suffix means path + ".jaring", as in `save`. `max_bytes` bounds the weights
    member (see MAX_MEMBER_BYTES); the architecture is refused before it is built when its
    weights would need more elements than the file holds. Every failure is a CheckpointError
    (a jaring.FileFormatError) naming the file.

    Examples:
        >>> import numpy as np
        >>> from jaring import nn
        >>> from jaring.io import load, save
        >>> model = nn.Sequential(nn.Dense(3, seed=0))
        >>> _ = model.build((1, 4))
        >>> _ = save(model, "dense")
        >>> again = load("dense")
        >>> bool(np.array_equal(again[0].weight.numpy(), model[0].weight.numpy()))
        True
    """
    path = with_default_suffix(path)
    custom = dict(custom_objects or {})
    for name, cls in custom.items():
        if not (isinstance(cls, type) and issubclass(cls, Module)):
            raise TypeError(f"custom_objects[{name!r}] must be a Module subclass, got {cls!r}")
    with _naming(path), Archive(path, max_bytes) as archive:
        document = _parse_document(path, archive.read(JSON_NAME))
        header = archive.tensor_header(WEIGHTS_NAME)
        model = _build_within(path, document["model"], custom, header)
        weights = _load_weights(path, archive.read(WEIGHTS_NAME))
    with _naming(path):
        _check_weights(path, model, weights)
    model.load_state_dict(weights)
    return model


def load_weights_into(model: Module, path: str | os.PathLike, max_bytes: int = MAX_MEMBER_BYTES) -> None:
    """Fill `model`'s parameters and buffers from the file at `path`; names, shapes, dtypes checked.

    Examples:
        >>> import numpy as np
        >>> from jaring import nn
        >>> from jaring.io import load_weights_into, save
        >>> _ = save(nn.Sequential(nn.Linear(2, 3, seed=0)), "weights.jaring")
        >>> model = nn.Sequential(nn.Linear(2, 3, seed=1))
        >>> load_weights_into(model, "weights.jaring")
        >>> bool(np.array_equal(model[0].weight.numpy(), nn.Linear(2, 3, seed=0).weight.numpy()))
        True
    """
    path = with_default_suffix(path)
    with _naming(path), Archive(path, max_bytes) as archive:
        archive.tensor_header(WEIGHTS_NAME)
        weights = _load_weights(path, archive.read(WEIGHTS_NAME))
    with _naming(path):
        _check_weights(path, model, weights)
    model.load_state_dict(weights)


def read_training_state(
    path: str | os.PathLike, max_bytes: int = MAX_MEMBER_BYTES
) -> tuple[dict, dict[str, np.ndarray]] | None:
    """The (JSON document, {name: array}) a training checkpoint holds; None for a plain model file.

    Examples:
        >>> import numpy as np
        >>> from jaring.io import read_training_state
        >>> from jaring.models import FFNN
        >>> from jaring.training import ModelCheckpoint
        >>> x, y = np.ones((8, 4), dtype=np.float32), np.arange(8) % 2
        >>> model = FFNN([4, 8, 2], ["relu", "softmax"], seed=0)
        >>> _ = model.fit(x, y, epochs=2, callbacks=[ModelCheckpoint("run", save_optimizer=True)], seed=0)
        >>> document, arrays = read_training_state("run.jaring")
        >>> optimizer = document["optimizer"]
        >>> document["epoch"], optimizer["class"]
        (2, 'SGD')
    """
    path = with_default_suffix(path)
    with _naming(path), Archive(path, max_bytes) as archive:
        if not archive.has_training_state:
            return None
        archive.tensor_header(TRAINING_WEIGHTS)
        try:
            document = json.loads(archive.read(TRAINING_JSON).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
            raise CheckpointError(f"{path}: {TRAINING_JSON} is not valid JSON: {exc}", path) from exc
        if not isinstance(document, dict):
            raise CheckpointError(f"{path}: {TRAINING_JSON} must hold a JSON object", path)
        return document, _load_weights(path, archive.read(TRAINING_WEIGHTS), TRAINING_WEIGHTS)
