"""save / load any Module as one safe `.jaring` file: JSON architecture + safetensors weights.

The file is a zip archive holding exactly two members:
    model.json           {"format": "jaring", "version": 1, "model": <module>, "extra": {...}}
                         where <module> = {"class": "jaring.nn.linear.Linear", "config": {...}}
    weights.safetensors  every parameter and buffer, by its state_dict name

Writing is atomic: the archive goes to a temporary file in the target's folder, is flushed to
disk (fsync) and then renamed over the target, so a crash or an error leaves any previous file
intact. Loading never unpickles and never imports anything: class names must be jaring Module
classes that are already loaded (or ones passed in `custom_objects`), the JSON is checked
value by value, and every tensor's name, shape and dtype must match the rebuilt model.
"""

from __future__ import annotations

import inspect
import json
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from jaring.nn.module import Module, module_class

FORMAT, VERSION = "jaring", 1
JSON_NAME, WEIGHTS_NAME = "model.json", "weights.safetensors"
MAX_JSON_BYTES = 16 * 2**20
# Constructor arguments that only decide the starting weights: when JSON cannot hold them (a
# Generator, a function) they are saved as their defaults, since the file restores the weights.
INIT_ONLY = {
    "seed",
    "weight_init",
    "bias_init",
    "kernel_initializer",
    "bias_initializer",
    "weight_init_kwargs",
}
_RESERVED = {"__module__", "__tuple__", "__dtype__"}
# Classes that moved to another file keep loading under the full name older files wrote.
MOVED = {
    "jaring.nn.module.Sequential": "jaring.nn.container.Sequential",
    "jaring.nn.module.ModuleList": "jaring.nn.container.ModuleList",
    "jaring.nn.recurrent.Bidirectional": "jaring.nn.bidirectional.Bidirectional",
}


class CheckpointError(ValueError):
    """A .jaring file that is missing, corrupt, truncated or describes something unsafe."""


# ----- writing -----------------------------------------------------------------------------


def _encode(value: Any, where: str) -> Any:
    """A JSON-ready form of a config value; Modules become {"__module__": name, "config": ...}."""
    if isinstance(value, Module):
        return _encode_module(value, where)
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
        return {"__dtype__": np.dtype(value).name}
    if isinstance(value, tuple):
        return {"__tuple__": [_encode(v, f"{where}[{i}]") for i, v in enumerate(value)]}
    if isinstance(value, list):
        return [_encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict) and all(isinstance(k, str) and k not in _RESERVED for k in value):
        return {k: _encode(v, f"{where}.{k}") for k, v in value.items()}
    raise TypeError(
        f"cannot save {where}: JSON cannot hold a {type(value).__name__} ({value!r}); give this "
        "argument a name or number instead (e.g. an activation name rather than a function)"
    )


def _encode_module(module: Module, where: str) -> dict:
    cls = type(module)
    defaults = {
        p.name: p.default
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.default is not inspect.Parameter.empty
    }
    config = {}
    for key, value in module.get_config().items():
        try:
            config[key] = _encode(value, f"{where}.{key}")
        except TypeError:
            if key not in INIT_ONLY or key not in defaults:
                raise
            config[key] = _encode(defaults[key], f"{where}.{key}")
    return {"__module__": f"{cls.__module__}.{cls.__qualname__}", "config": config}


def _weights_bytes(module: Module) -> bytes:
    from safetensors.numpy import save as st_save

    state = {name: np.ascontiguousarray(array) for name, array in module.state_dict().items()}
    return st_save(state)


def save(module: Module, path: str | os.PathLike, extra_config: dict | None = None) -> Path:
    """Write `module` (architecture + weights) and `extra_config` (any JSON data) to `path`.

    The suffix ".jaring" is added when the path has none. Returns the path written.
    """
    if not isinstance(module, Module):
        raise TypeError(f"save needs a jaring Module, got {type(module).__name__}")
    path = Path(path)
    if not path.suffix:
        path = path.with_suffix(".jaring")
    document = {
        "format": FORMAT,
        "version": VERSION,
        "model": _encode_module(module, type(module).__name__),
        "extra": _encode(extra_config or {}, "extra_config"),
    }
    text = json.dumps(document, indent=1, allow_nan=True).encode()
    weights = _weights_bytes(module)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", compression=zipfile.ZIP_STORED) as archive:
                archive.writestr(JSON_NAME, text)
                archive.writestr(WEIGHTS_NAME, weights)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


# ----- reading -----------------------------------------------------------------------------


def _read_members(path: Path) -> tuple[bytes, bytes]:
    if not path.is_file():
        raise FileNotFoundError(f"no model file at {path}")
    try:
        with zipfile.ZipFile(path) as archive:
            names = sorted(archive.namelist())
            if names != sorted([JSON_NAME, WEIGHTS_NAME]):
                raise CheckpointError(
                    f"{path} is not a jaring model file: it must hold exactly {JSON_NAME} and "
                    f"{WEIGHTS_NAME}, found {names}"
                )
            if archive.getinfo(JSON_NAME).file_size > MAX_JSON_BYTES:
                raise CheckpointError(f"{path}: {JSON_NAME} is larger than {MAX_JSON_BYTES} bytes")
            return archive.read(JSON_NAME), archive.read(WEIGHTS_NAME)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError) as exc:
        if isinstance(exc, FileNotFoundError):
            raise
        raise CheckpointError(
            f"{path} is not a readable jaring model file (corrupt or truncated): {exc}"
        ) from exc


def read_metadata(path: str | os.PathLike) -> dict:
    """The file's JSON document (format, version, model description, extra config), checked."""
    path = Path(path)
    text, _ = _read_members(path)
    return _parse_document(path, text)


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
    except (TypeError, ValueError, KeyError, MemoryError, OverflowError) as exc:
        raise CheckpointError(
            f"{path}: cannot rebuild {cls.__name__} from its saved configuration: {exc}"
        ) from exc


def _load_weights(path: Path, data: bytes) -> dict[str, np.ndarray]:
    from safetensors.numpy import load as st_load

    try:
        return st_load(data)
    except Exception as exc:  # safetensors raises its own error types for every kind of damage
        raise CheckpointError(f"{path}: {WEIGHTS_NAME} is corrupt or truncated: {exc}") from exc


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


def load(path: str | os.PathLike, custom_objects: dict[str, type] | None = None) -> Module:
    """Rebuild the Module saved at `path` and fill in its weights (in eval-ready, training mode).

    `custom_objects` maps class names to your own Module subclasses that the file may use.
    """
    path = Path(path)
    custom = dict(custom_objects or {})
    for name, cls in custom.items():
        if not (isinstance(cls, type) and issubclass(cls, Module)):
            raise TypeError(f"custom_objects[{name!r}] must be a Module subclass, got {cls!r}")
    text, data = _read_members(path)
    document = _parse_document(path, text)
    model = _build(document["model"], custom, path)
    weights = _load_weights(path, data)
    _check_weights(path, model, weights)
    model.load_state_dict(weights)
    return model
