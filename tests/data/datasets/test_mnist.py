"""Tests for jaring/data/datasets/mnist.py: real files when $JARING_DATA has them, synthetic IDX otherwise."""

import gzip
import hashlib
import struct

import numpy as np
import pytest

from jaring.data import DataLoader, ToTensor
from jaring.data.datasets import MNIST, CorruptDatasetError, DatasetNotFoundError, FashionMNIST, load_mnist
from jaring.data.datasets.files import file_digest
from jaring.data.datasets.mnist import read_idx


def write_idx(path, array, magic=None, extra=b""):
    array = np.asarray(array, dtype=np.uint8)
    magic = magic if magic is not None else (2051 if array.ndim == 3 else 2049)
    header = struct.pack(f">{1 + array.ndim}I", magic, *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.tobytes() + extra)
    return hashlib.md5(path.read_bytes()).hexdigest()


@pytest.mark.slow  # reads and checks 70,000 real images
def test_real_fashion_mnist_from_jaring_data(shared_data):
    train, test = FashionMNIST(train=True), FashionMNIST(train=False)
    assert train.data.shape == (60000, 28, 28) and test.data.shape == (10000, 28, 28)
    assert train.data.dtype == np.uint8 and train.targets.dtype == np.int64
    assert train.targets.min() == 0 and train.targets.max() == 9
    assert np.bincount(train.targets).tolist() == [6000] * 10
    for name, md5 in FashionMNIST.files["test"]:
        assert file_digest(test.folder / name) == md5
    assert test.folder == shared_data / "fashion_mnist"


@pytest.mark.slow  # reads and checks 70,000 real images
def test_real_mnist_from_jaring_data(shared_data):
    (x_train, y_train), (x_test, y_test) = load_mnist(flatten=True)
    assert x_train.shape == (60000, 784) and x_test.shape == (10000, 784)
    assert x_train.dtype == np.float32 and y_test.dtype == np.int64
    assert x_train.min() == 0.0 and x_train.max() == 1.0
    assert y_train.min() == 0 and y_train.max() == 9 and np.bincount(y_test).min() > 800
    test = MNIST(train=False)
    for name, md5 in MNIST.files["test"]:
        assert file_digest(test.folder / name) == md5
    image, label = test[0]
    assert image.shape == (28, 28) and type(label) is int and label == y_test[0]
    np.testing.assert_allclose(image.reshape(-1) / 255, x_test[0], rtol=1e-6)


class Tiny(MNIST):
    """MNIST's reader pointed at files a test writes (its own names and md5s)."""

    subdir = "tiny"
    mirrors = ()


@pytest.fixture
def tiny(isolated):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(7, 4, 4), dtype=np.uint8)
    labels = rng.integers(0, 10, size=7, dtype=np.uint8)
    md5_images = write_idx(isolated / "img.gz", images)
    md5_labels = write_idx(isolated / "lab.gz", labels)
    files = {"train": (("img.gz", md5_images), ("lab.gz", md5_labels)), "test": ()}
    return isolated, images, labels, type("TinyFiles", (Tiny,), {"files": files})


def test_dataset_items_batches_and_transform(tiny):
    root, images, labels, cls = tiny
    ds = cls(root)
    assert len(ds) == 7 and ds.targets.dtype == np.int64
    np.testing.assert_array_equal(ds.data, images)
    xb, yb = next(iter(DataLoader(ds, batch_size=5)))
    assert xb.dtype == np.uint8 and xb.shape == (5, 4, 4)
    np.testing.assert_array_equal(yb.numpy(), labels[:5])
    xb, _ = next(iter(DataLoader(cls(root, transform=ToTensor()), batch_size=5)))
    assert xb.shape == (5, 1, 4, 4) and xb.dtype == np.float32
    np.testing.assert_allclose(xb.numpy()[:, 0], images[:5] / 255, rtol=1e-6)
    xb, yb = next(iter(DataLoader(ds, batch_size=7, transform=ToTensor(batched=True))))
    assert xb.shape == (7, 1, 4, 4) and xb.dtype == np.float32 and yb.dtype == np.int64
    assert "size=7" in repr(ds)


def test_missing_files_list_places_and_md5(isolated):
    with pytest.raises(DatasetNotFoundError) as info:
        MNIST(root=isolated / "data")
    message = str(info.value)
    assert "train-images-idx3-ubyte.gz" in message and "f68b3c2dcbeaaa9fbdd348bbdeb94873" in message
    assert (
        str(isolated / "data" / "mnist") in message
        and str(isolated / "cache" / "jaring" / "mnist") in message
    )
    assert "download=True" in message


def test_corrupt_real_name_fails_on_checksum(isolated):
    (isolated / "train-images-idx3-ubyte.gz").write_bytes(b"\x1f\x8b garbage")
    with pytest.raises(CorruptDatasetError, match="expected f68b3c2dcbeaaa9fbdd348bbdeb94873"):
        MNIST(root=isolated)


@pytest.mark.parametrize(
    "kind, message",
    [
        ("truncated", "payload has fewer bytes"),
        ("trailing", "payload has more bytes"),
        ("magic", "magic number is 2049, expected 2051"),
        ("not_gzip", "not a readable gzip file"),
        ("short", "too short for an IDX header"),
    ],
)
def test_read_idx_header_validation(tmp_path, kind, message):
    path = tmp_path / "x.gz"
    images = np.zeros((3, 2, 2), np.uint8)
    if kind == "truncated":
        write_idx(path, images)
        raw = gzip.decompress(path.read_bytes())[:-3]
        path.write_bytes(gzip.compress(raw))
    elif kind == "trailing":
        write_idx(path, images, extra=b"\x00")
    elif kind == "magic":
        write_idx(path, images, magic=2049)
    elif kind == "not_gzip":
        path.write_bytes(b"plain bytes, not gzip")
    else:
        path.write_bytes(gzip.compress(b"\x00\x00"))
    with pytest.raises(CorruptDatasetError, match=message):
        read_idx(path, 2051)


def test_read_idx_labels(tmp_path):
    write_idx(tmp_path / "l.gz", [3, 1, 4])
    np.testing.assert_array_equal(read_idx(tmp_path / "l.gz", 2049), [3, 1, 4])
