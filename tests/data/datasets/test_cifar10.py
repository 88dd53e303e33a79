"""Tests for jaring/data/datasets/cifar10.py on small files in the real python-batches format."""

import hashlib
import os
import pickle
import tarfile

import numpy as np
import pytest

from jaring.data import DataLoader
from jaring.data.datasets import (
    CIFAR10,
    CorruptDatasetError,
    DatasetNotFoundError,
    UnsafePickleError,
    load_cifar10,
)
from jaring.data.datasets.cifar10 import read_batch

NAMES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]


def write_batch(path, n, seed, old_numpy_name=False):
    """A batch as the original: dict with bytes keys, uint8 (n, 3072) rows, pickle protocol 2."""
    rng = np.random.default_rng(seed)
    batch = {
        b"batch_label": b"testing batch",
        b"labels": rng.integers(0, 10, n).tolist(),
        b"data": rng.integers(0, 256, (n, 3072), dtype=np.uint8),
        b"filenames": [b"img_%d.png" % i for i in range(n)],
    }
    raw = pickle.dumps(batch, protocol=2)
    if old_numpy_name:  # the real files name numpy.core (NumPy 1.x); protocol 2 stores names as text
        raw = raw.replace(b"numpy._core.multiarray", b"numpy.core.multiarray")
    path.write_bytes(raw)
    return batch


@pytest.fixture
def cifar_root(isolated):
    folder = isolated / "data" / "cifar-10-batches-py"
    folder.mkdir(parents=True)
    batches = {
        name: write_batch(folder / name, 3, i, old_numpy_name=i % 2 == 0) for i, name in enumerate(NAMES)
    }
    return isolated / "data", batches


def test_reads_train_and_test_batches_in_hwc_layout(cifar_root):
    root, batches = cifar_root
    train = CIFAR10(root, train=True)
    assert train.data.shape == (15, 32, 32, 3) and train.data.dtype == np.uint8
    assert train.targets.dtype == np.int64
    assert train.targets.tolist() == sum((batches[n][b"labels"] for n in NAMES[:5]), [])
    rows = batches["data_batch_2"][b"data"]
    # Row layout: 1024 red values, then green, then blue, each row-major over 32x32.
    assert train.data[4, 5, 7, 2] == rows[1, 2 * 1024 + 5 * 32 + 7]
    test = CIFAR10(root, train=False)
    assert len(test) == 3 and test.folder.name == "cifar-10-batches-py"
    xb, yb = next(iter(DataLoader(test, batch_size=2)))
    assert xb.shape == (2, 32, 32, 3) and yb.dtype == np.int64


def test_load_cifar10_float_layouts(cifar_root):
    root, _ = cifar_root
    (x_train, y_train), (x_test, _) = load_cifar10(root)
    assert x_train.shape == (15, 3, 32, 32) and x_train.dtype == np.float32 and x_train.flags.c_contiguous
    assert 0.0 <= x_train.min() and x_train.max() <= 1.0
    (x_last, _), _ = load_cifar10(root, channels_last=True)
    np.testing.assert_array_equal(x_last.transpose(0, 3, 1, 2), x_train)


class Evil:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_hostile_pickle_refused_without_running(cifar_root):
    root, _ = cifar_root
    marker = root / "pwned"
    path = root / "cifar-10-batches-py" / "test_batch"
    path.write_bytes(pickle.dumps({b"data": Evil(marker), b"labels": []}, protocol=2))
    with pytest.raises(UnsafePickleError, match=r"refused to load (posix|os|nt)\.system"):
        CIFAR10(root, train=False)
    assert not marker.exists()


@pytest.mark.parametrize(
    "payload, message",
    [
        (b"not a pickle at all", "not a readable CIFAR-10 batch"),
        (pickle.dumps([1, 2], protocol=2), "expected a dict with keys"),
        (pickle.dumps({b"data": np.zeros((2, 10), np.uint8), b"labels": [0, 1]}, protocol=2), r"\(N, 3072\)"),
        (pickle.dumps({b"data": np.zeros((2, 3072), np.uint8), b"labels": [0, 12]}, protocol=2), "0..9"),
    ],
)
def test_corrupt_batches_give_clear_errors(tmp_path, payload, message):
    path = tmp_path / "test_batch"
    path.write_bytes(payload)
    with pytest.raises(CorruptDatasetError, match=message):
        read_batch(path)


def test_missing_files_say_where_and_how(isolated):
    with pytest.raises(DatasetNotFoundError) as info:
        CIFAR10(isolated / "data", train=False)
    message = str(info.value)
    assert "download=True" in message and CIFAR10.url in message and CIFAR10.md5 in message
    assert (
        str(isolated / "data" / "cifar10") in message
        and str(isolated / "cache" / "jaring" / "cifar10") in message
    )


def make_archive(path, folder):
    with tarfile.open(path, "w:gz") as tar:
        tar.add(folder, arcname="cifar-10-batches-py")
    return hashlib.md5(path.read_bytes()).hexdigest()


def test_download_verifies_and_extracts_archive(cifar_root, tmp_path):
    root, batches = cifar_root
    archive = tmp_path / "cifar-10-python.tar.gz"
    md5 = make_archive(archive, root / "cifar-10-batches-py")
    mirror = type("Mirror", (CIFAR10,), {"url": archive.as_uri(), "md5": md5})
    target = tmp_path / "fresh"
    ds = mirror(target, train=False, download=True)
    assert ds.folder == target / "cifar-10-batches-py"
    assert ds.targets.tolist() == batches["test_batch"][b"labels"]
    # A second instance finds the extracted folder without downloading.
    assert len(mirror(target, train=True)) == 15
    wrong = type("Wrong", (CIFAR10,), {"url": archive.as_uri(), "md5": "0" * 32})
    with pytest.raises(DatasetNotFoundError, match="could not download"):
        wrong(tmp_path / "other", download=True)
