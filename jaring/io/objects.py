"""jaring.save and jaring.load: torch.save's habits (state dicts, checkpoint dicts) without pickle.

PyTorch tutorials write `torch.save(model.state_dict(), "model.pt")` and
`model.load_state_dict(torch.load("model.pt"))`, and save training checkpoints as a dict of the
epoch, the model's and the optimizer's state dicts. jaring.save writes such an object as one
safetensors file: every array or tensor is a safetensors entry, and the structure around them
(dicts with str or int keys, lists, tuples, numbers, strings, None) is JSON in the file's
metadata. Loading rebuilds it from that JSON alone; nothing in the file can name code to run,
which is the point of never unpickling.

A Module passed on its own is written as a .jaring model file (jaring.io.save: architecture and
weights) and jaring.load gives the model back. jaring.load also reads any plain safetensors file
(for instance one written by `safetensors.torch.save_file`) as a dict of tensors. PyTorch's own
.pt files are pickles; jaring refuses them and says how to bring them over.
"""

from __future__ import annotations

import io
import json
import math
import os
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.backend import to_device
from jaring.errors import FileFormatError
from jaring.io.archive import JSON_NAME, MAX_MEMBER_BYTES
from jaring.io.safetensors_header import check_header
from jaring.nn.module import Module, Parameter

FORMAT = "jaring-object"
VERSION = 1
MAX_DEPTH = 64  # nesting of dicts, lists and tuples, on both sides
_KEY_TYPES = (str, int, float, bool, type(None))


def _is_key(key: Any) -> bool:
    """Keys that JSON can carry back: str, numbers, bool, None, and tuples of them."""
    return isinstance(key, _KEY_TYPES) or (isinstance(key, tuple) and all(_is_key(k) for k in key))


_TAGS = frozenset({"dict", "tuple", "float", "tensor", "array", "scalar"})


class _Encoder:
    """Turns an object into JSON-ready data, putting its arrays aside under "0", "1", ..."""

    def __init__(self) -> None:
        self.arrays: dict[str, np.ndarray] = {}

    def array(self, data: Any, where: str) -> str:
        data = np.asarray(to_device(data, "cpu"), order="C")  # (ascontiguousarray makes 0-d 1-d)
        if data.dtype.kind not in "biuf":
            raise TypeError(f"jaring.save: {where} has dtype {data.dtype}; only bool, integer and float data")
        name = str(len(self.arrays))
        self.arrays[name] = data
        return name

    def encode(self, value: Any, where: str, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise ValueError(f"jaring.save: {where} is nested more than {MAX_DEPTH} levels deep")
        if isinstance(value, np.generic):  # before float: np.float64 is a float subclass
            return {"scalar": self.array(np.asarray(value), where)}
        if value is None or isinstance(value, (bool, str)):
            return value
        if isinstance(value, int):
            return int(value)
        if isinstance(value, float):
            return value if math.isfinite(value) else {"float": repr(value)}
        if isinstance(value, Tensor):
            node = {"tensor": self.array(value.data, where), "requires_grad": bool(value.requires_grad)}
            return {**node, "parameter": True} if isinstance(value, Parameter) else node
        if isinstance(value, np.ndarray):
            return {"array": self.array(value, where)}
        if isinstance(value, (list, tuple)):
            items = [self.encode(v, f"{where}[{i}]", depth + 1) for i, v in enumerate(value)]
            return items if isinstance(value, list) else {"tuple": items}
        if isinstance(value, dict):
            return {"dict": [self.entry(k, v, where, depth) for k, v in value.items()]}
        if isinstance(value, Module):
            raise TypeError(
                f"jaring.save: {where} is a {type(value).__name__} Module; save its state_dict() inside "
                "the object, or the Module on its own (jaring.save(model, path))"
            )
        raise TypeError(
            f"jaring.save: {where} is a {type(value).__name__}; jaring saves dicts, lists, tuples, "
            "str, int, float, bool, None, Tensors and NumPy arrays"
        )

    def entry(self, key: Any, value: Any, where: str, depth: int) -> list:
        if not _is_key(key):
            raise TypeError(
                f"jaring.save: {where} has a key of type {type(key).__name__}; "
                "keys are str, int, float, bool, None or tuples of them"
            )
        return [self.encode(key, where, depth + 1), self.encode(value, f"{where}[{key!r}]", depth + 1)]


def save(obj: Any, f: str | os.PathLike | BinaryIO) -> None:
    """Write `obj` to `f` (a path or a binary file object), as torch.save does, without pickle.

    `obj` is a state dict, an optimizer's state dict, a checkpoint dict holding them, or any
    nesting of dicts (str or int keys), lists, tuples, numbers, strings, None, Tensors and NumPy
    arrays; a Module on its own is saved as a .jaring model file (see jaring.io.save). The write
    is atomic: a crash leaves the old file or the new one, never half of one.

    Examples:
        >>> import jaring
        >>> from jaring import nn, optim
        >>> model = nn.Linear(3, 2)
        >>> opt = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        >>> jaring.save({"epoch": 4, "model": model.state_dict(), "optimizer": opt.state_dict()}, "ckpt.pt")
        >>> checkpoint = jaring.load("ckpt.pt")
        >>> model.load_state_dict(checkpoint["model"])
        IncompatibleKeys(missing_keys=[], unexpected_keys=[])
        >>> opt.load_state_dict(checkpoint["optimizer"])
        >>> checkpoint["epoch"], sorted(checkpoint["model"])
        (4, ['bias', 'weight'])
    """
    if isinstance(obj, Module):
        if hasattr(f, "write"):
            raise TypeError(
                "jaring.save writes a Module to a path (a .jaring model file), not to a file object"
            )
        from jaring.io.checkpoint import save as save_model

        save_model(obj, f)
        return
    encoder = _Encoder()
    document = {"version": VERSION, "object": encoder.encode(obj, "the object")}
    from safetensors.numpy import save as st_save

    blob = st_save(
        encoder.arrays, metadata={"format": FORMAT, "object": json.dumps(document, allow_nan=False)}
    )
    if hasattr(f, "write"):
        f.write(blob)
        return
    from jaring.atomic import write_atomically

    write_atomically(f, lambda raw: raw.write(blob))


def _read(f: str | os.PathLike | BinaryIO, max_bytes: int) -> tuple[bytes, str]:
    """The bytes of `f` (at most max_bytes of them) and a name for messages."""
    if hasattr(f, "read"):
        blob = f.read(max_bytes + 1)
        where = getattr(f, "name", "the file object")
    else:
        path = Path(f)
        if not path.is_file():
            raise FileNotFoundError(f"no file at {path}")
        where = str(path)
        if path.stat().st_size > max_bytes:
            raise FileFormatError(
                f"{path} holds {path.stat().st_size:,} bytes, over max_bytes={max_bytes:,}; "
                "pass a larger max_bytes for a file you trust"
            )
        blob = path.read_bytes()
    if len(blob) > max_bytes:
        raise FileFormatError(f"{where} holds more than max_bytes={max_bytes:,} bytes")
    return blob, str(where)


def _zip_kind(blob: bytes, where: str) -> str:
    """'model' for a .jaring model file; PyTorch's zip format and other zips are refused."""
    import zipfile

    try:
        names = zipfile.ZipFile(io.BytesIO(blob)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise FileFormatError(f"{where} is a corrupt zip archive: {exc}") from exc
    if JSON_NAME in names:
        return "model"
    if any(name.endswith("data.pkl") for name in names):
        raise FileFormatError(f"{where} is a PyTorch file (torch.save's zip of pickles); {_TORCH_ADVICE}")
    raise FileFormatError(f"{where} is a zip archive but not a jaring model file")


_TORCH_ADVICE = (
    "jaring never unpickles. In PyTorch, write the state dict as safetensors "
    "(safetensors.torch.save_file(model.state_dict(), 'model.safetensors')) and jaring.load reads it, "
    "or convert a live torch model with jaring.io.from_torch / jaring.io.load_torch_state"
)


class _Decoder:
    """Rebuilds the object from the file's JSON and its checked arrays."""

    def __init__(self, arrays: dict[str, np.ndarray], where: str, device: str | None) -> None:
        self.arrays, self.where, self.device = arrays, where, device

    def fail(self, problem: str) -> FileFormatError:
        return FileFormatError(f"{self.where} is not a valid jaring object file: {problem}")

    def array(self, name: Any) -> np.ndarray:
        if not isinstance(name, str) or name not in self.arrays:
            raise self.fail(f"it refers to array {name!r:.50}, which it does not hold")
        return self.arrays[name]

    def decode(self, node: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise self.fail(f"it is nested more than {MAX_DEPTH} levels deep")
        if node is None or isinstance(node, (bool, int, float, str)):
            return node
        if isinstance(node, list):
            return [self.decode(v, depth + 1) for v in node]
        if not isinstance(node, dict) or not node.keys() & _TAGS:
            raise self.fail(f"unknown node {node!r:.80}")
        if "dict" in node:
            return dict(self.pair(item, depth) for item in self.listed(node["dict"]))
        if "tuple" in node:
            return tuple(self.decode(v, depth + 1) for v in self.listed(node["tuple"]))
        if "float" in node:
            if node["float"] not in ("nan", "inf", "-inf"):
                raise self.fail(f"a float node holds {node['float']!r:.50}")
            return float(node["float"])
        if "array" in node:
            return self.array(node["array"])
        if "scalar" in node:
            return self.array(node["scalar"])[()]
        return self.tensor(node)

    def listed(self, value: Any) -> list:
        if not isinstance(value, list):
            raise self.fail(f"expected a list, got {type(value).__name__}")
        return value

    def pair(self, item: Any, depth: int) -> tuple:
        if not isinstance(item, list) or len(item) != 2:
            raise self.fail(f"a dict entry must be a [key, value] pair, got {item!r:.80}")
        key = self.decode(item[0], depth + 1)
        if not _is_key(key):
            raise self.fail(f"a dict key decodes to a {type(key).__name__}")
        return key, self.decode(item[1], depth + 1)

    def tensor(self, node: dict) -> Tensor:
        data = self.array(node["tensor"])
        if self.device is not None:
            data = to_device(data, self.device)
        requires_grad = node.get("requires_grad", False) is True
        if node.get("parameter") is True:
            return Parameter(data, requires_grad=requires_grad)
        return Tensor(data, requires_grad=requires_grad and data.dtype.kind == "f")


def _looks_pickled(blob: bytes) -> bool:
    """A pickle's protocol opcode (0x80, protocol 2 to 5) where a safetensors file would hold a
    header length, and a length no file of this size could hold."""
    return (
        len(blob) >= 8
        and blob[0] == 0x80
        and 2 <= blob[1] <= 5
        and int.from_bytes(blob[:8], "little") > len(blob)
    )


def _device(map_location: Any) -> str | None:
    if map_location is None or map_location == "cpu":
        return None if map_location is None else "cpu"
    if isinstance(map_location, str) and map_location.split(":")[0] in ("cuda", "gpu"):
        return "cuda"
    raise ValueError(f"jaring.load: map_location must be None, 'cpu' or 'cuda', got {map_location!r}")


def load(
    f: str | os.PathLike | BinaryIO,
    map_location: str | None = None,
    weights_only: bool | None = None,
    max_bytes: int = MAX_MEMBER_BYTES,
) -> Any:
    """Read what jaring.save wrote to `f`: the object, or the Module for a .jaring model file.

    A plain safetensors file loads as a dict of tensors. `map_location` ('cpu' or 'cuda') moves
    the tensors (arrays stay NumPy: load_state_dict copies them onto the model's device).
    `weights_only` is accepted for torch's sake and changes nothing: a jaring file never holds
    code. `max_bytes` bounds the file; every array's declared size is checked against the bytes
    really present before anything is allocated. A damaged file raises jaring.FileFormatError.

    Examples:
        >>> import jaring
        >>> jaring.save({"step": 3, "w": jaring.ones(2)}, "state.pt")
        >>> jaring.load("state.pt", weights_only=True)
        {'step': 3, 'w': tensor([1., 1.])}
    """
    if not isinstance(max_bytes, int) or isinstance(max_bytes, bool) or max_bytes < 0:
        raise ValueError(f"jaring.load: max_bytes must be an integer >= 0, got {max_bytes!r}")
    device = _device(map_location)
    if not hasattr(f, "read") and not Path(f).is_file() and Path(f).suffix == "":
        f = Path(f).with_name(Path(f).name + ".jaring")  # jaring.save(model, "name") wrote name.jaring
    blob, where = _read(f, max_bytes)
    if blob[:4] == b"PK\x03\x04" and _zip_kind(blob, where) == "model":
        if hasattr(f, "read"):
            raise TypeError("jaring.load reads a .jaring model file from its path, not from a file object")
        from jaring.io.checkpoint import load as load_model

        return load_model(f, max_bytes=max_bytes)
    if _looks_pickled(blob):
        raise FileFormatError(f"{where} is a pickle (PyTorch's legacy torch.save format); {_TORCH_ADVICE}")
    view = io.BytesIO(blob)
    check_header(view.read, len(blob), where)
    from safetensors.numpy import load as st_load

    try:
        arrays = st_load(blob)
    except Exception as exc:  # safetensors raises its own error types for every kind of damage
        raise FileFormatError(f"{where} is corrupt or truncated: {exc}") from exc
    header = json.loads(blob[8 : 8 + int.from_bytes(blob[:8], "little")])
    metadata = header.get("__metadata__") or {}
    decoder = _Decoder(arrays, where, device)
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        return {name: decoder.tensor({"tensor": name}) for name in arrays}
    try:
        document = json.loads(metadata.get("object", ""))
    except (json.JSONDecodeError, RecursionError, TypeError) as exc:
        raise decoder.fail(f"its structure is not valid JSON ({exc})") from None
    if not isinstance(document, dict) or document.get("version") != VERSION or "object" not in document:
        raise decoder.fail(f"expected version {VERSION} with an object, got {str(document)[:80]}")
    return decoder.decode(document["object"])
