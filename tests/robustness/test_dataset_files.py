"""Damaged and hostile dataset files (IDX, CIFAR-10 batches, NusaX CSVs): each a CorruptDatasetError."""

import gzip
import pickle
import struct

import numpy as np
import pytest

import jaring
from jaring.data.datasets.cifar10 import read_batch
from jaring.data.datasets.files import CorruptDatasetError
from jaring.data.datasets.mnist import read_idx
from jaring.data.datasets.nusax import NusaXSentiment
from tests.robustness.helpers import assert_clear_error, peak_memory_below

IMAGES, LABELS = 2051, 2049


def idx(magic, shape, payload=b"", compress=True):
    raw = struct.pack(f">{1 + len(shape)}I", magic, *shape) + payload
    return gzip.compress(raw) if compress else raw


IDX_CASES = {
    "empty gzip": (gzip.compress(b""), IMAGES, "too short"),
    "short header": (gzip.compress(b"\0\0\x08\x03\0\0"), IMAGES, "too short"),
    "not gzip": (b"plain bytes, not gzip at all", IMAGES, "not a readable gzip"),
    "raw idx": (idx(IMAGES, (1, 2, 2), b"\0" * 4, compress=False), IMAGES, "not a readable gzip"),
    "truncated gzip": (
        idx(IMAGES, (10, 28, 28), np.random.default_rng(0).bytes(7840))[:3000],
        IMAGES,
        "not a readable gzip|fewer",
    ),
    "wrong magic": (idx(LABELS, (1, 2, 2), b"\0" * 4), IMAGES, "magic number"),
    "labels as images": (idx(IMAGES, (3,), b"\0" * 3), LABELS, "magic number"),
    "magic zero": (idx(0, (1, 2, 2), b"\0" * 4), IMAGES, "magic number"),
    "fewer bytes": (idx(IMAGES, (10, 28, 28), b"\0" * 100), IMAGES, "fewer"),
    "more bytes": (idx(IMAGES, (1, 2, 2), b"\0" * 10), IMAGES, "more"),
    "labels fewer": (idx(LABELS, (100,), b"\0" * 10), LABELS, "fewer"),
    "labels more": (idx(LABELS, (1,), b"\0" * 10), LABELS, "more"),
    "4 billion images": (idx(IMAGES, (4 * 10**9, 28, 28)), IMAGES, "over the limit|gzip file can hold"),
    "max dims": (idx(IMAGES, (2**32 - 1, 2**32 - 1, 2**32 - 1)), IMAGES, "gzip file can hold|limit"),
    "4 billion labels": (idx(LABELS, (2**32 - 1,)), LABELS, "over the limit|gzip file can hold"),
    "huge rows": (idx(IMAGES, (1, 2**31, 2)), IMAGES, "over the limit|gzip file can hold"),
    "just over the file": (idx(IMAGES, (1000, 28, 28)), IMAGES, "gzip file can hold"),
    "corrupt deflate": (
        idx(IMAGES, (1, 2, 2), b"\0" * 4)[:12] + b"\xff" * 20,
        IMAGES,
        "not a readable|magic",
    ),
    "bad crc": (idx(IMAGES, (1, 2, 2), b"\1" * 4)[:-8] + b"\0" * 8, IMAGES, "not a readable gzip"),
}


@pytest.mark.parametrize("name", sorted(IDX_CASES))
def test_bad_idx_files(tmp_path, name):
    data, magic, message = IDX_CASES[name]
    path = tmp_path / "file-idx.gz"
    path.write_bytes(data)
    error = assert_clear_error(lambda: read_idx(path, magic), message, CorruptDatasetError)
    assert str(path) in str(error)


def test_a_gzip_bomb_over_the_limit_is_refused_before_allocating(tmp_path):
    path = tmp_path / "bomb-idx.gz"
    with gzip.open(path, "wb", compresslevel=1) as f:  # an honest header, 39 MB of zeros in a small file
        f.write(struct.pack(">4I", IMAGES, 50_000, 28, 28))
        for _ in range(4):
            f.write(b"\0" * 9_800_000)
    assert path.stat().st_size < 2**20
    with peak_memory_below(4 * 2**20):
        assert_clear_error(
            lambda: read_idx(path, IMAGES, max_bytes=2**20), "over the limit", CorruptDatasetError
        )


def test_a_header_declaring_four_billion_images_allocates_nothing(tmp_path):
    path = tmp_path / "huge-idx.gz"
    path.write_bytes(idx(IMAGES, (4 * 10**9, 28, 28), b"\0" * 1000))
    with peak_memory_below(2**20):
        assert_clear_error(lambda: read_idx(path, IMAGES), "limit|gzip file can hold", CorruptDatasetError)


def test_a_header_just_past_what_the_file_can_hold_allocates_nothing(tmp_path):
    path = tmp_path / "lying-idx.gz"
    path.write_bytes(idx(IMAGES, (600_000, 28, 28), b"\0" * 1000))  # 470 MB claimed, under the limit
    with peak_memory_below(2**20):
        assert_clear_error(lambda: read_idx(path, IMAGES), "gzip file can hold", CorruptDatasetError)


def test_a_valid_idx_file_reads_back(tmp_path):
    path = tmp_path / "ok-idx.gz"
    path.write_bytes(idx(IMAGES, (2, 2, 3), bytes(range(12))))
    np.testing.assert_array_equal(read_idx(path, IMAGES), np.arange(12, dtype=np.uint8).reshape(2, 2, 3))


def batch(data=None, labels=None, protocol=2, **extra):
    content = {
        b"data": np.zeros((2, 3072), np.uint8) if data is None else data,
        b"labels": [0, 1] if labels is None else labels,
        **extra,
    }
    return pickle.dumps(content, protocol=protocol)


def billion_laughs(depth=9, width=10):
    """A pickle whose labels are one list shared `width` times at each of `depth` levels."""
    inner: list = [1]
    for _ in range(depth):
        inner = [inner] * width
    return pickle.dumps({b"data": np.zeros((2, 3072), np.uint8), b"labels": inner}, protocol=4)


class Payload:
    def __reduce__(self):
        return (print, ("executed",))


CIFAR_CASES = {
    "empty": (b"", "not a readable CIFAR-10 batch"),
    "garbage": (b"\x80\x04garbage", "not a readable CIFAR-10 batch"),
    "truncated": (batch()[:100], "not a readable CIFAR-10 batch"),
    "text": (b"hello world", "not a readable CIFAR-10 batch"),
    "code": (pickle.dumps(Payload()), "refused to load builtins.print"),
    "os.system": (b"cos\nsystem\n(S'echo hi'\ntR.", "refused to load os.system"),
    "eval": (b"cbuiltins\neval\n(S'1+1'\ntR.", "refused to load builtins.eval"),
    "getattr": (b"cbuiltins\ngetattr\n(cbuiltins\nobject\nS'x'\ntR.", "refused to load builtins.getattr"),
    "list": (pickle.dumps([1, 2]), "expected a dict"),
    "no labels": (pickle.dumps({b"data": np.zeros((2, 3072), np.uint8)}), "expected a dict"),
    "str keys": (pickle.dumps({"data": 1, "labels": 2}), "expected a dict"),
    "data list": (batch(data=[[0] * 3072] * 2), "b'data' must be uint8"),
    "data float": (batch(data=np.zeros((2, 3072))), "b'data' must be uint8"),
    "data 3d": (batch(data=np.zeros((2, 32, 96), np.uint8)), "b'data' must be uint8"),
    "data wide": (batch(data=np.zeros((2, 3073), np.uint8)), "b'data' must be uint8"),
    "data object": (batch(data=np.array([None, None], dtype=object)), "b'data' must be uint8"),
    "labels negative": (batch(labels=[0, -1]), "0..9"),
    "labels ten": (batch(labels=[0, 10]), "0..9"),
    "labels huge": (batch(labels=[0, 2**80]), "0..9|integers"),
    "labels float": (batch(labels=[0.0, 1.0]), "integers"),
    "labels bool": (batch(labels=[True, False]), "integers"),
    "labels str": (batch(labels=["0", "1"]), "integers"),
    "labels short": (batch(labels=[0]), "2 integers"),
    "labels long": (batch(labels=[0, 1, 2]), "2 integers"),
    "labels nested": (batch(labels=[[0], [1]]), "integers"),
    "labels None": (batch(labels=None, **{}).replace(b"labels", b"labelz"), "expected a dict"),
    "labels dict": (batch(labels={0: 1, 1: 2}), "integers"),
    "labels array neg": (batch(labels=np.array([0, -3])), "0..9"),
    "labels array float": (batch(labels=np.array([0.0, 1.0])), "integers"),
    "labels array 2d": (batch(labels=np.zeros((2, 1), int)), "integers"),
    "billion laughs": (billion_laughs(), "integers"),
    "protocol 0": (batch(protocol=0, labels=[0, -5]), "0..9"),
}


@pytest.mark.parametrize("name", sorted(CIFAR_CASES))
def test_bad_cifar_batches(tmp_path, name, capsys):
    data, message = CIFAR_CASES[name]
    path = tmp_path / "data_batch_1"
    path.write_bytes(data)
    error = assert_clear_error(lambda: read_batch(path), message, CorruptDatasetError)
    assert str(path) in str(error)
    assert "executed" not in capsys.readouterr().out


def test_billion_laughs_labels_are_refused_before_numpy_expands_them(tmp_path):
    path = tmp_path / "data_batch_1"
    path.write_bytes(billion_laughs(depth=10, width=10))  # 10**10 labels once expanded
    assert path.stat().st_size < 10_000
    with peak_memory_below(4 * 2**20):
        assert_clear_error(lambda: read_batch(path), "integers", CorruptDatasetError)


def test_a_batch_file_over_the_limit_is_refused_unread(tmp_path):
    path = tmp_path / "data_batch_1"
    path.write_bytes(batch())
    assert_clear_error(lambda: read_batch(path, max_bytes=100), "over the limit of 100", CorruptDatasetError)


def test_a_valid_batch_reads_back(tmp_path):
    path = tmp_path / "data_batch_1"
    path.write_bytes(batch(labels=[3, 9]))
    images, labels = read_batch(path)
    assert images.shape == (2, 32, 32, 3) and labels.tolist() == [3, 9]


def nusax(tmp_path, content: bytes):
    folder = tmp_path / "nusax_sentiment" / "indonesian"
    folder.mkdir(parents=True)
    (folder / "train.csv").write_bytes(content)
    return lambda: NusaXSentiment(tmp_path, "indonesian", "train")


NUSAX_CASES = {
    "latin1": ("id,text,label\n1,caf\xe9 enak,positive\n".encode("latin-1"), "not UTF-8"),
    "utf16": ("id,text,label\n1,bagus,positive\n".encode("utf-16"), "not UTF-8|header"),
    "binary": (b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "not UTF-8|header|CSV"),
    "huge field": (
        b'id,text,label\n1,"' + b"a" * 200_000 + b'",positive\n',
        "field limit|not a readable CSV",
    ),
    "no header": (b"", "header"),
    "wrong header": (b"a,b,c\n1,2,3\n", "header"),
    "unknown label": (b"id,text,label\n1,bagus,great\n", "unknown label 'great'"),
    "label number": (b"id,text,label\n1,bagus,2\n", "unknown label '2'"),
    "missing label": (b"id,text,label\n1,bagus\n", "unknown label ''"),
    "unclosed quote": (b'id,text,label\n1,"bagus,positive\n', "unknown label|not a readable CSV"),
}


@pytest.mark.parametrize("name", sorted(NUSAX_CASES))
def test_bad_nusax_files(tmp_path, name):
    content, message = NUSAX_CASES[name]
    error = assert_clear_error(nusax(tmp_path, content), message, CorruptDatasetError)
    assert "train.csv" in str(error)


def test_nul_bytes_in_a_nusax_text_are_kept_as_text(tmp_path):
    assert nusax(tmp_path, b"id,text,label\n1,ba\x00gus,positive\n")().texts == ["ba\x00gus"]


def test_a_valid_nusax_file_reads_back(tmp_path):
    ds = nusax(tmp_path, b'id,text,label\n1,makanan enak,positive\n2,"buruk, sekali",negative\n')()
    assert ds.texts == ["makanan enak", "buruk, sekali"] and ds.labels.tolist() == [2, 0]


def test_dataset_errors_are_file_format_errors(tmp_path):
    path = tmp_path / "bad-idx.gz"
    path.write_bytes(b"nope")
    with pytest.raises(jaring.FileFormatError):
        read_idx(path, IMAGES)
