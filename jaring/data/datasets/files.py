"""Finding, verifying and downloading dataset files, shared by every dataset reader.

A file is looked for in `root` (and `root/<subdir>`), then `$JARING_DATA/<subdir>`, then the
user cache (`$XDG_CACHE_HOME/jaring/<subdir>`, else `~/.cache/jaring/<subdir>`). Checksums are
verified before a file is parsed, so a truncated download is reported as such instead of
failing somewhere inside NumPy.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from jaring.errors import FileFormatError

_CHUNK = 1 << 20


class DatasetNotFoundError(FileNotFoundError):
    """A dataset file is in none of the places jaring looks; the message lists them all."""


class CorruptDatasetError(FileFormatError):
    """A dataset file exists but is damaged: wrong checksum, bad header, wrong size, over a limit."""


def cache_dir() -> Path:
    """The user cache folder for downloads: $XDG_CACHE_HOME/jaring, else ~/.cache/jaring."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "jaring"


def search_dirs(root: str | os.PathLike | None, subdir: str) -> list[Path]:
    """The folders searched, in order: root, root/subdir, $JARING_DATA/subdir, cache/subdir."""
    dirs = []
    if root is not None and not isinstance(root, (str, os.PathLike)):
        raise TypeError(f"root must be a folder path (str or Path), got {root!r:.80}")
    if root is not None:
        dirs += [Path(root).expanduser(), Path(root).expanduser() / subdir]
    env = os.environ.get("JARING_DATA")
    if env:
        dirs.append(Path(env).expanduser() / subdir)
    dirs.append(cache_dir() / subdir)
    unique: list[Path] = []
    for d in dirs:
        if d not in unique:
            unique.append(d)
    return unique


def download_dir(root: str | os.PathLike | None, subdir: str) -> Path:
    """Where a download goes: into root when the user gave one, else into the cache."""
    return Path(root).expanduser() if root is not None else cache_dir() / subdir


def find_file(name: str, root: str | os.PathLike | None, subdir: str) -> Path | None:
    """The first existing `name` in the search folders, or None."""
    for d in search_dirs(root, subdir):
        if (d / name).is_file():
            return d / name
    return None


def file_digest(path: str | os.PathLike, algorithm: str = "md5") -> str:
    """Hex digest of a file ('md5' or 'sha256'), read in chunks so large files use little memory."""
    if algorithm not in ("md5", "sha256"):
        raise ValueError(f"unknown checksum algorithm {algorithm!r}; use 'md5' or 'sha256'")
    digest = hashlib.new(algorithm)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def verify(path: str | os.PathLike, md5: str | None = None, sha256: str | None = None) -> None:
    """Raise CorruptDatasetError unless the file's checksum(s) match the expected ones."""
    for algorithm, expected in (("md5", md5), ("sha256", sha256)):
        if expected is None:
            continue
        actual = file_digest(path, algorithm)
        if actual != expected.lower():
            raise CorruptDatasetError(
                f"{path} is corrupt or incomplete: its {algorithm} is {actual}, expected {expected}. "
                "Delete it and download it again."
            )


def download(urls: Sequence[str], dest: str | os.PathLike, md5: str, timeout: float = 60.0) -> Path:
    """Fetch the first URL that works into `dest`, verifying md5 before the file appears.

    The bytes go to a temporary file in the same folder, which is renamed into place only after
    the checksum matches, so an interrupted or corrupt download never leaves a half file behind.
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    failures = []
    for url in urls:
        fd, tmp = tempfile.mkstemp(prefix=dest.name + ".", suffix=".part", dir=dest.parent)
        try:
            with os.fdopen(fd, "wb") as out, urllib.request.urlopen(url, timeout=timeout) as response:
                shutil.copyfileobj(response, out, _CHUNK)
            verify(tmp, md5=md5)
            os.replace(tmp, dest)
            return dest
        except (OSError, CorruptDatasetError) as exc:
            failures.append(f"  {url}: {exc}")
        finally:
            if os.path.exists(tmp):
                os.remove(tmp)
    raise DatasetNotFoundError(f"could not download {dest.name} (md5 {md5}):\n" + "\n".join(failures))


def locate(
    name: str,
    md5: str | None,
    root: str | os.PathLike | None,
    subdir: str,
    download_from: Sequence[str] = (),
    download_ok: bool = False,
    dataset: str = "the dataset",
) -> Path:
    """Find `name` (or download it when allowed), verify its md5 and return its path.

    The error for a missing file names every folder looked in, the checksum expected, and how
    to get the file (pass download=True, set $JARING_DATA, or copy it into one of the folders).
    """
    path = find_file(name, root, subdir)
    if path is None and download_ok and download_from:
        path = download(
            [u.rstrip("/") + "/" + name for u in download_from], download_dir(root, subdir) / name, md5
        )
    if path is None:
        looked = "\n".join(f"  {d}" for d in search_dirs(root, subdir))
        hint = "pass download=True to fetch it, " if download_from else ""
        raise DatasetNotFoundError(
            f"{dataset}: file {name} not found (expected md5 {md5}). Looked in:\n{looked}\n"
            f"To fix: {hint}set $JARING_DATA to a folder holding {subdir}/{name}, "
            "or copy the file into one of the folders above."
        )
    verify(path, md5=md5)
    return path


def extract_tar(archive: str | os.PathLike, dest: str | os.PathLike) -> None:
    """Extract a .tar(.gz) into `dest`, refusing links, devices and paths that escape `dest`."""
    dest = Path(dest).resolve()
    with tarfile.open(archive, "r:*") as tar:
        members = tar.getmembers()
        for member in members:
            target = (dest / member.name).resolve()
            if member.name.startswith(("/", "\\")) or not target.is_relative_to(dest):
                raise CorruptDatasetError(f"{archive}: refusing member {member.name!r} outside {dest}")
            if not (member.isfile() or member.isdir()):
                raise CorruptDatasetError(f"{archive}: refusing member {member.name!r} (not a plain file)")
        for member in members:
            target = (dest / member.name).resolve()
            if member.isdir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            source = tar.extractfile(member)
            with source, open(target, "wb") as out:
                shutil.copyfileobj(source, out, _CHUNK)
