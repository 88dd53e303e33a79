"""A trial folder's files as a dict of strings, and back: how outputs travel when no folder is shared.

A worker on another machine packs its trial's files (params, history, metrics, histograms; the
weights only when asked) into the trial's Optuna user attributes, a Ray task returns them to the
driver; `unpack` writes them into the driver's or the report's DIR/trials/<key>/ (atomically).
Each file is zlib-compressed and base64-encoded, then cut into CHUNK-character parts, because a
user attribute is one TEXT value (MySQL's TEXT holds 64 KiB).
"""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path

from jaring.experiments import layout

PREFIX = "file:"
MANIFEST = "files_json"  # {file name: number of parts}
CHUNK = 48_000
SMALL_FILES = (layout.PARAMS_JSON, layout.HISTORY_JSON, layout.HISTOGRAMS_JSON, layout.METRICS_JSON)


def pack(folder: Path, weights: bool) -> dict[str, str]:
    """The files of trial `folder` as {attribute name: string part}, plus the manifest."""
    names = [*SMALL_FILES, *([layout.WEIGHTS] if weights else [])]
    attrs, manifest = {}, {}
    for name in names:
        path = folder / name
        if not path.exists():
            continue
        text = base64.b64encode(zlib.compress(path.read_bytes(), 6)).decode("ascii")
        parts = [text[i : i + CHUNK] for i in range(0, len(text), CHUNK)] or [""]
        for i, part in enumerate(parts):
            attrs[f"{PREFIX}{name}:{i}"] = part
        manifest[name] = len(parts)
    attrs[MANIFEST] = json.dumps(manifest)
    return attrs


def has_files(attrs: dict) -> bool:
    return MANIFEST in attrs


def unpack(attrs: dict, folder: Path) -> list[str]:
    """Write the files packed in `attrs` into `folder` (metrics.json last); returns their names."""
    manifest = json.loads(attrs[MANIFEST])
    names = sorted(manifest, key=lambda n: n == layout.METRICS_JSON)  # metrics.json marks it complete
    for name in names:
        text = "".join(attrs[f"{PREFIX}{name}:{i}"] for i in range(manifest[name]))
        layout.write_bytes_atomic(folder / name, zlib.decompress(base64.b64decode(text)))
    return names
