"""Read and check a safetensors header before any tensor is allocated.

A safetensors file is an 8-byte little-endian header length, a JSON header mapping each tensor
name to {"dtype", "shape", "data_offsets": [begin, end]}, then the raw bytes. The header is a
claim: `check_header` holds every shape and offset against the number of bytes really present,
so a file that declares more than it holds is refused before anything of that size exists.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass

from jaring.errors import FileFormatError

# The format's own cap on the JSON header (safetensors refuses larger ones too).
MAX_HEADER_BYTES = 100 * 2**20
ITEMSIZE = {
    "BOOL": 1,
    "U8": 1,
    "I8": 1,
    "F8_E5M2": 1,
    "F8_E4M3": 1,
    "I16": 2,
    "U16": 2,
    "F16": 2,
    "BF16": 2,
    "I32": 4,
    "U32": 4,
    "F32": 4,
    "I64": 8,
    "U64": 8,
    "F64": 8,
}


@dataclass(frozen=True)
class TensorEntry:
    """One tensor as the header declares it: dtype name, shape and byte range in the data."""

    dtype: str
    shape: tuple[int, ...]
    begin: int
    end: int

    @property
    def size(self) -> int:
        return math.prod(self.shape)


def _fail(where: str, problem: str) -> FileFormatError:
    return FileFormatError(f"{where} is corrupt or truncated: {problem}")


def check_header(read: Callable[[int], bytes], total_bytes: int, where: str) -> dict[str, TensorEntry]:
    """The tensors a safetensors blob of `total_bytes` declares, read through `read(n)`, checked.

    `where` names the blob in messages (e.g. "m.jaring: weights.safetensors").
    Refused with FileFormatError: a header longer than the blob or than MAX_HEADER_BYTES, JSON
    that is not an object of tensor entries, unknown dtypes, shapes that are not lists of
    non-negative integers, and byte ranges that do not fit the data, overlap, leave gaps or
    disagree with shape x itemsize.
    """
    prefix = read(8)
    if len(prefix) < 8:
        raise _fail(where, f"{total_bytes} bytes is too short for the 8-byte header length")
    n = int.from_bytes(prefix, "little")
    if n > min(MAX_HEADER_BYTES, total_bytes - 8):
        raise _fail(where, f"the header claims {n:,} bytes but only {total_bytes - 8:,} follow")
    raw = read(n)
    if len(raw) != n:
        raise _fail(where, f"the header claims {n:,} bytes but only {len(raw):,} could be read")
    try:
        header = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise _fail(where, f"the header is not valid JSON ({exc})") from None
    if not isinstance(header, dict):
        raise _fail(where, f"the header must be a JSON object, got {type(header).__name__}")
    data_bytes = total_bytes - 8 - n
    entries = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        entries[name] = _entry(where, name, spec, data_bytes)
    ranges = sorted((e.begin, e.end, name) for name, e in entries.items())
    position = 0
    for begin, end, name in ranges:
        if begin != position:
            kind = "overlaps another tensor" if begin < position else "leaves a gap before it"
            raise _fail(where, f"tensor {name!r} at bytes [{begin}, {end}) {kind}")
        position = end
    if position != data_bytes:
        raise _fail(where, f"the tensors cover {position:,} bytes but the data holds {data_bytes:,}")
    return entries


def _entry(where: str, name: str, spec: object, data_bytes: int) -> TensorEntry:
    if not isinstance(spec, dict) or not {"dtype", "shape", "data_offsets"} <= set(spec):
        raise _fail(where, f"tensor {name!r} needs 'dtype', 'shape' and 'data_offsets', got {spec!r:.200}")
    dtype, shape, offsets = spec["dtype"], spec["shape"], spec["data_offsets"]
    if dtype not in ITEMSIZE:
        raise _fail(where, f"tensor {name!r} has unknown dtype {dtype!r}; known: {sorted(ITEMSIZE)}")
    if not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape):
        raise _fail(where, f"tensor {name!r} has shape {shape!r:.200}; a shape is a list of integers >= 0")
    if (
        not isinstance(offsets, list)
        or len(offsets) != 2
        or not all(type(o) is int and 0 <= o <= data_bytes for o in offsets)
        or offsets[0] > offsets[1]
    ):
        raise _fail(
            where, f"tensor {name!r} has data_offsets {offsets!r:.200}; the data holds {data_bytes:,} bytes"
        )
    entry = TensorEntry(dtype, tuple(shape), offsets[0], offsets[1])
    if entry.size * ITEMSIZE[dtype] != entry.end - entry.begin:
        raise _fail(
            where,
            f"tensor {name!r} of shape {entry.shape} and dtype {dtype} needs "
            f"{entry.size * ITEMSIZE[dtype]:,} bytes but its offsets span {entry.end - entry.begin:,}",
        )
    return entry
