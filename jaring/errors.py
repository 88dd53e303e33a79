"""The error jaring raises for a bad file: corrupt, truncated, hostile, or over a size limit.

Every reader (model files, safetensors weights, IDX, CIFAR-10 batches, NusaX CSVs) raises a
subclass of `FileFormatError`, so one `except jaring.FileFormatError` catches them all. It is a
ValueError (the file's contents are a bad value), and its message names the file and says
what is wrong; `.path` holds the file's path when one is known.
"""

from __future__ import annotations

import os


class FileFormatError(ValueError):
    """A file jaring reads is corrupt, truncated, unsafe, or declares more than a limit allows.

    Examples:
        >>> import jaring
        >>> from jaring.io import load
        >>> _ = open("notes.jaring", "w").write("not a model")
        >>> try:
        ...     load("notes.jaring")
        ... except jaring.FileFormatError as error:
        ...     print(type(error).__name__, error.path)
        CheckpointError notes.jaring
    """

    def __init__(self, message: str, path: str | os.PathLike | None = None) -> None:
        super().__init__(message)
        self.path = None if path is None else os.fspath(path)
