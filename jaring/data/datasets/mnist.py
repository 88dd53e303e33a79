"""MNIST and Fashion-MNIST, read from the original IDX gz files with checksum and header checks.

`MNIST(...)` is a Dataset of (uint8 28x28 image, int label) pairs like torchvision's;
`load_mnist(...)` gives ready float32 arrays in [0, 1] for training, like Keras' `load_data`.
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from jaring.data.dataset import ArrayDataset
from jaring.data.datasets.files import CorruptDatasetError, locate

_IMAGES_MAGIC, _LABELS_MAGIC = 2051, 2049
# The largest payload read_idx accepts by default (MNIST's training images hold 47 MB); pass
# max_bytes= for bigger files you trust.
MAX_IDX_BYTES = 2**30
# Deflate never expands data more than about 1032 times, so a header announcing more than this
# many bytes per byte of gzip file is impossible, whatever the data.
_MAX_DEFLATE_RATIO = 1032


def read_idx(path: str | os.PathLike, magic: int, max_bytes: int = MAX_IDX_BYTES) -> np.ndarray:
    """Read a gzipped IDX file of uint8 (2051: images N,rows,cols; 2049: labels N).

    The header (magic number, sizes) and the exact payload length are checked, so a truncated
    or foreign file raises CorruptDatasetError naming the file. The announced size is checked
    against `max_bytes` and against what the file's size can possibly hold before any memory
    is allocated for it.
    """
    ndim = 3 if magic == _IMAGES_MAGIC else 1
    try:
        compressed = os.path.getsize(path)
    except OSError as exc:
        raise CorruptDatasetError(f"{path} cannot be read: {exc}", path) from exc
    try:
        with gzip.open(path, "rb") as f:
            header = f.read(4 + 4 * ndim)
            if len(header) < 4 + 4 * ndim:
                raise CorruptDatasetError(f"{path}: file too short for an IDX header")
            found, *shape = struct.unpack(f">{1 + ndim}I", header)
            if found != magic:
                raise CorruptDatasetError(f"{path}: IDX magic number is {found}, expected {magic}")
            announced = int(np.prod(shape, dtype=object))
            if announced > min(max_bytes, _MAX_DEFLATE_RATIO * compressed):
                why = (
                    f"over the limit of {max_bytes:,} (pass max_bytes= to read a bigger file you trust)"
                    if announced > max_bytes
                    else f"more than a {compressed:,}-byte gzip file can hold"
                )
                raise CorruptDatasetError(
                    f"{path}: header announces shape {tuple(shape)} ({announced:,} bytes), {why}", path
                )
            data = np.empty(shape, dtype=np.uint8)
            read = f.readinto(memoryview(data).cast("B"))
            if read != data.size or f.read(1):
                raise CorruptDatasetError(
                    f"{path}: header announces shape {tuple(shape)} ({data.size} bytes) "
                    f"but the payload has {'fewer' if read != data.size else 'more'} bytes"
                )
    except (OSError, EOFError, zlib.error) as exc:
        raise CorruptDatasetError(f"{path} is not a readable gzip file: {exc}") from exc
    return data


class MNIST(ArrayDataset):
    """The MNIST handwritten digits: 60,000 training and 10,000 test images, 28x28 uint8.

    Files are looked for in `root`, then `$JARING_DATA/mnist`, then `~/.cache/jaring/mnist`;
    `download=True` fetches missing ones from the canonical mirrors. Every file's md5 is checked.
    `.data` is uint8 (N, 28, 28), `.targets` int64 (N,). `transform` is applied to each image
    (e.g. `ToTensor()`), `target_transform` to each label.
    """

    subdir = "mnist"
    mirrors = (
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
        "http://yann.lecun.com/exdb/mnist/",
    )
    files = {
        "train": (
            ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
        ),
        "test": (
            ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
            ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
        ),
    }
    classes = ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9")

    def __init__(
        self,
        root: str | os.PathLike | None = None,
        train: bool = True,
        download: bool = False,
        transform: Callable[[Any], Any] | None = None,
        target_transform: Callable[[Any], Any] | None = None,
    ) -> None:
        self.root, self.train = root, train
        (images_name, images_md5), (labels_name, labels_md5) = self.files["train" if train else "test"]
        name = type(self).__name__
        find = dict(
            root=root, subdir=self.subdir, download_from=self.mirrors, download_ok=download, dataset=name
        )
        images_path = locate(images_name, images_md5, **find)
        labels_path = locate(labels_name, labels_md5, **find)
        images = read_idx(images_path, _IMAGES_MAGIC)
        labels = read_idx(labels_path, _LABELS_MAGIC).astype(np.int64)
        if len(images) != len(labels):
            raise CorruptDatasetError(
                f"{name}: {images_path.name} has {len(images)} images "
                f"but {labels_path.name} has {len(labels)} labels"
            )
        if labels.size and labels.max() >= len(self.classes):
            raise CorruptDatasetError(f"{labels_path}: labels must lie in 0..{len(self.classes) - 1}")
        super().__init__(images, labels, transform, target_transform)
        self.folder = Path(images_path).parent

    def __repr__(self) -> str:
        split = "train" if self.train else "test"
        return f"{type(self).__name__}(split={split!r}, size={len(self)}, folder={str(self.folder)!r})"


class FashionMNIST(MNIST):
    """Zalando's Fashion-MNIST: the MNIST layout with 10 clothing classes (see `classes`)."""

    subdir = "fashion_mnist"
    mirrors = ("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",)
    files = {
        "train": (
            ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
        ),
        "test": (
            ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
            ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
        ),
    }
    classes = (
        "T-shirt/top",
        "Trouser",
        "Pullover",
        "Dress",
        "Coat",
        "Sandal",
        "Shirt",
        "Sneaker",
        "Bag",
        "Ankle boot",
    )


def _as_float(images: np.ndarray, flatten: bool) -> np.ndarray:
    x = np.multiply(images, np.float32(1 / 255), dtype=np.float32)
    return x.reshape(len(x), -1) if flatten else x


def load_mnist(
    root: str | os.PathLike | None = None,
    flatten: bool = False,
    download: bool = False,
    fashion: bool = False,
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """((x_train, y_train), (x_test, y_test)): float32 images in [0, 1] and int64 labels.

    Images are (N, 28, 28), or (N, 784) with `flatten=True` for a feed-forward network.
    `fashion=True` loads Fashion-MNIST instead.
    """
    cls = FashionMNIST if fashion else MNIST
    train, test = cls(root, True, download), cls(root, False, download)
    return (_as_float(train.data, flatten), train.targets), (_as_float(test.data, flatten), test.targets)


def load_fashion_mnist(
    root: str | os.PathLike | None = None, flatten: bool = False, download: bool = False
) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Fashion-MNIST as float32 arrays in [0, 1]; see `load_mnist`."""
    return load_mnist(root, flatten, download, fashion=True)
