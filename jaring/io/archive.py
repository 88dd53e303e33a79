"""The .jaring zip archive opened for reading, with its member list and declared sizes checked.

Limits, checked against the sizes the zip declares before anything is inflated: a JSON member
may hold at most MAX_JSON_BYTES, a tensor member MAX_MEMBER_BYTES (`jaring.io.load(path,
max_bytes=...)` raises it for a bigger model you trust), and a compressed member may inflate
at most MAX_COMPRESSION_RATIO times (jaring itself stores members uncompressed).
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from jaring.errors import FileFormatError
from jaring.io.safetensors_header import TensorEntry, check_header

FORMAT, VERSION = "jaring", 1
JSON_NAME, WEIGHTS_NAME = "model.json", "weights.safetensors"
# A training checkpoint (ModelCheckpoint(save_optimizer=True)) adds these two members.
TRAINING_JSON, TRAINING_WEIGHTS = "training.json", "optimizer.safetensors"
ALL_MEMBERS = (JSON_NAME, WEIGHTS_NAME, TRAINING_JSON, TRAINING_WEIGHTS)
MAX_JSON_BYTES = 16 * 2**20
MAX_MEMBER_BYTES = 4 * 2**30
MAX_COMPRESSION_RATIO = 100


class CheckpointError(FileFormatError):
    """A .jaring file that is corrupt, truncated, over a size limit or describes something unsafe.

    Examples:
        >>> from jaring.io import load
        >>> _ = open("broken.jaring", "w").write("not a zip")
        >>> load("broken.jaring")
        Traceback (most recent call last):
            ...
        jaring.io.archive.CheckpointError: broken.jaring is not a readable jaring model file ...
    """


class Archive:
    """An open .jaring zip whose member list and declared sizes have been checked."""

    def __init__(self, path: Path, max_bytes: int) -> None:
        if not path.is_file():
            raise FileNotFoundError(f"no model file at {path}")
        self.path, self.max_bytes = path, max_bytes
        try:
            self.zip = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, KeyError, ValueError) as exc:
            raise CheckpointError(
                f"{path} is not a readable jaring model file (corrupt or truncated): {exc}", path
            ) from exc
        try:
            self._check()
        except BaseException:
            self.zip.close()
            raise

    def _check(self) -> None:
        path, names = self.path, sorted(self.zip.namelist())
        if names not in (sorted([JSON_NAME, WEIGHTS_NAME]), sorted(ALL_MEMBERS)):
            raise CheckpointError(
                f"{path} is not a jaring model file: it must hold exactly {JSON_NAME} and "
                f"{WEIGHTS_NAME} (a training checkpoint also {TRAINING_JSON} and {TRAINING_WEIGHTS}), "
                f"found {names}",
                path,
            )
        for info in self.zip.infolist():
            limit = MAX_JSON_BYTES if info.filename.endswith(".json") else self.max_bytes
            if info.file_size > limit:
                raise CheckpointError(
                    f"{path}: {info.filename} inflates to {info.file_size:,} bytes, over the limit of "
                    f"{limit:,} (pass a larger max_bytes= to load a bigger model you trust)",
                    path,
                )
            if info.compress_type != zipfile.ZIP_STORED and info.file_size > MAX_COMPRESSION_RATIO * max(
                info.compress_size, 1
            ):
                raise CheckpointError(
                    f"{path}: {info.filename} inflates {info.file_size / max(info.compress_size, 1):,.0f} "
                    f"times ({info.compress_size:,} -> {info.file_size:,} bytes), over the limit of "
                    f"{MAX_COMPRESSION_RATIO}; jaring writes members uncompressed, so this file was "
                    "made to exhaust memory",
                    path,
                )

    def __enter__(self) -> "Archive":
        return self

    def __exit__(self, *exc: object) -> None:
        self.zip.close()

    @property
    def has_training_state(self) -> bool:
        return TRAINING_JSON in self.zip.namelist()

    def read(self, name: str) -> bytes:
        """A member's bytes; the zip module stops at the size checked above and verifies the CRC."""
        try:
            return self.zip.read(name)
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
            raise CheckpointError(f"{self.path}: {name} is corrupt or truncated: {exc}", self.path) from exc

    def tensor_header(self, name: str) -> dict[str, TensorEntry]:
        """The safetensors header of member `name`, checked against the member's size, unread data."""
        try:
            with self.zip.open(name) as stream:
                return check_header(stream.read, self.zip.getinfo(name).file_size, f"{self.path}: {name}")
        except (zipfile.BadZipFile, EOFError, OSError, zlib.error) as exc:
            raise CheckpointError(f"{self.path}: {name} is corrupt or truncated: {exc}", self.path) from exc
        except FileFormatError as exc:
            raise CheckpointError(str(exc), self.path) from None
