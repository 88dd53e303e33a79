"""CIFAR-10 from the python-batches format, unpickled with an allow-list so no code can run.

The official `cifar-10-python.tar.gz` holds pickles (data_batch_1..5, test_batch): dicts with
bytes keys b"data" (uint8, N x 3072, channel planes R, G, B of 32x32) and b"labels". A pickle
can call any importable function while loading, so `_BatchUnpickler` admits only NumPy array
reconstruction and refuses everything else before it runs.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from jaring.data.dataset import ArrayDataset
from jaring.data.datasets.files import download as download_file
from jaring.data.datasets.files import (
    CorruptDatasetError,
    DatasetNotFoundError,
    download_dir,
    extract_tar,
    search_dirs,
    verify,
)

_ALLOWED = {
    ("numpy.core.multiarray", "_reconstruct"),
    ("numpy._core.multiarray", "_reconstruct"),
    ("numpy", "ndarray"),
    ("numpy", "dtype"),
    # Python 3 writes bytes as _codecs.encode(str, "latin1") under pickle protocol 2.
    ("_codecs", "encode"),
}


# A genuine batch pickle holds 30.7 MB; larger files are refused before unpickling (pass
# max_bytes= to read_batch for a bigger file you trust).
MAX_BATCH_BYTES = 256 * 2**20


class UnsafePickleError(CorruptDatasetError):
    """A pickle asked for something other than NumPy arrays and plain containers."""


class _BatchUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str) -> Any:
        if (module, name) not in _ALLOWED:
            raise UnsafePickleError(
                f"refused to load {module}.{name}: CIFAR-10 batches hold only NumPy arrays and plain "
                "containers, so this file is not a genuine CIFAR-10 batch (it may be malicious)"
            )
        return super().find_class(module, name)


def _labels(path: str | os.PathLike, labels: object, n: int) -> np.ndarray:
    """b"labels" as int64, checked before any conversion: a flat list (or 1-D integer array) of
    n integers in 0..9. Checking the items first matters: a pickle can share one nested list
    many times over, which is tiny in the file but enormous once NumPy copies it out."""
    bad = CorruptDatasetError(f"{path}: b'labels' must be {n} integers in 0..9 (one per image)", path)
    if isinstance(labels, np.ndarray):
        if labels.shape != (n,) or labels.dtype.kind not in "iu":
            raise bad
        values = labels.astype(np.int64)
    elif isinstance(labels, list) and len(labels) == n and all(type(v) is int for v in labels):
        if any(not -(2**63) <= v < 2**63 for v in labels):
            raise bad
        values = np.array(labels, dtype=np.int64)
    else:
        raise bad
    if values.size and (values.min() < 0 or values.max() > 9):
        raise CorruptDatasetError(
            f"{path}: b'labels' must lie in 0..9, found {int(values.min())}..{int(values.max())}", path
        )
    return values


def read_batch(path: str | os.PathLike, max_bytes: int = MAX_BATCH_BYTES) -> tuple[np.ndarray, np.ndarray]:
    """One python-format batch as (images uint8 (N, 32, 32, 3), labels int64 (N,)).

    Files over `max_bytes` are refused unread; anything wrong is a CorruptDatasetError.
    """
    size = os.path.getsize(path)
    if size > max_bytes:
        raise CorruptDatasetError(
            f"{path} holds {size:,} bytes, over the limit of {max_bytes:,} for a CIFAR-10 batch "
            "(pass max_bytes= to read a bigger file you trust)",
            path,
        )
    try:
        with open(path, "rb") as f:
            batch = _BatchUnpickler(f, encoding="bytes").load()
    except UnsafePickleError as exc:
        raise UnsafePickleError(f"{path}: {exc}", path) from None
    except (
        pickle.UnpicklingError,
        EOFError,
        ValueError,
        TypeError,
        AttributeError,
        KeyError,
        IndexError,
        OverflowError,
        RecursionError,
        MemoryError,
    ) as exc:
        raise CorruptDatasetError(f"{path} is not a readable CIFAR-10 batch: {exc!r:.300}", path) from None
    if not isinstance(batch, dict) or b"data" not in batch or b"labels" not in batch:
        keys = sorted(map(repr, batch))[:10] if isinstance(batch, dict) else type(batch).__name__
        raise CorruptDatasetError(f"{path}: expected a dict with keys b'data' and b'labels', got {keys}")
    data = batch[b"data"]
    if not isinstance(data, np.ndarray) or data.dtype != np.uint8 or data.ndim != 2 or data.shape[1] != 3072:
        desc = f"{data.dtype} {data.shape}" if isinstance(data, np.ndarray) else type(data).__name__
        raise CorruptDatasetError(f"{path}: b'data' must be uint8 of shape (N, 3072), got {desc}")
    labels = _labels(path, batch[b"labels"], len(data))
    images = data.reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(images), labels


class CIFAR10(ArrayDataset):
    """CIFAR-10: 50,000 training and 10,000 test colour images, 32x32, 10 classes.

    Looks for the folder `cifar-10-batches-py` in `root`, `$JARING_DATA/cifar10` and
    `~/.cache/jaring/cifar10` (a downloaded `cifar-10-python.tar.gz` there is extracted);
    `download=True` fetches the archive (md5 checked). `.data` is uint8 (N, 32, 32, 3) like
    torchvision (ToTensor makes it channels-first), `.targets` int64.
    """

    subdir = "cifar10"
    folder_name = "cifar-10-batches-py"
    archive = "cifar-10-python.tar.gz"
    url = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
    md5 = "c58f30108f718f92721af3b95e74349a"
    train_files = tuple(f"data_batch_{i}" for i in range(1, 6))
    test_files = ("test_batch",)
    classes = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")

    def __init__(
        self,
        root: str | os.PathLike | None = None,
        train: bool = True,
        download: bool = False,
        transform: Callable[[Any], Any] | None = None,
        target_transform: Callable[[Any], Any] | None = None,
    ) -> None:
        self.root, self.train = root, train
        names = self.train_files if train else self.test_files
        self.folder = self._find_folder(root, names, download)
        parts = [read_batch(self.folder / name) for name in names]
        images = np.concatenate([p[0] for p in parts])
        labels = np.concatenate([p[1] for p in parts])
        super().__init__(images, labels, transform, target_transform)

    def _find_folder(self, root: Any, names: tuple[str, ...], download_ok: bool) -> Path:
        places = search_dirs(root, self.subdir)
        for place in places:
            for folder in (place / self.folder_name, place):
                if all((folder / n).is_file() for n in names):
                    return folder
        for place in places:
            if (place / self.archive).is_file():
                return self._extract(place / self.archive, names)
        if download_ok:
            target = download_dir(root, self.subdir) / self.archive
            return self._extract(download_file([self.url], target, self.md5), names)
        looked = "\n".join(f"  {p}" for p in places)
        raise DatasetNotFoundError(
            f"CIFAR10: {self.folder_name}/{', '.join(names)} not found. Looked in:\n{looked}\n"
            f"To fix: pass download=True, or download {self.url} (md5 {self.md5}) and extract it, "
            f"or put the extracted {self.folder_name} folder into one of the folders above."
        )

    def _extract(self, archive: Path, names: tuple[str, ...]) -> Path:
        verify(archive, md5=self.md5)
        extract_tar(archive, archive.parent)
        folder = archive.parent / self.folder_name
        missing = [n for n in names if not (folder / n).is_file()]
        if missing:
            raise CorruptDatasetError(f"{archive} did not contain {self.folder_name}/{', '.join(missing)}")
        return folder

    def __repr__(self) -> str:
        split = "train" if self.train else "test"
        return f"CIFAR10(split={split!r}, size={len(self)}, folder={str(self.folder)!r})"


def load_cifar10(
    root: str | os.PathLike | None = None, download: bool = False, channels_last: bool = False
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """((x_train, y_train), (x_test, y_test)): float32 images in [0, 1], int64 labels.

    Images are (N, 3, 32, 32) channels-first (jaring's internal layout, PyTorch's), or
    (N, 32, 32, 3) with `channels_last=True` (the Keras habit).
    """
    out = []
    for train in (True, False):
        ds = CIFAR10(root, train, download)
        images = ds.data if channels_last else ds.data.transpose(0, 3, 1, 2)
        x = np.multiply(images, np.float32(1 / 255), dtype=np.float32, order="C")
        out.append((x, ds.targets))
    return out[0], out[1]
