"""Atomic file writes: a unique temporary file beside the target, fsync, then one rename.

A reader therefore sees the old file or the new one, never half of one. The temporary name
`.<target name>.<pid>.<random>.tmp` is removed on any failure; a save that was killed outright
cannot remove its own, so every later save to the same target first deletes the ones whose
process is no longer running.
"""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # it exists but belongs to someone else, or we cannot tell: keep its file
    return True


def leftover_temporaries(path: str | os.PathLike) -> list[Path]:
    """Temporary files of earlier saves to `path` whose writing process has died."""
    path = Path(path)
    prefix = f".{path.name}."
    found = []
    for name in glob.glob(glob.escape(str(path.parent / prefix)) + "*.tmp"):
        pid = Path(name).name[len(prefix) :].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            found.append(Path(name))
    return found


def write_atomically(path: str | os.PathLike, write: Callable[[BinaryIO], None]) -> Path:
    """Create or replace `path` with what `write(file)` writes, atomically; returns the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    for stale in leftover_temporaries(path):
        stale.unlink(missing_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
