"""The arrays a study trains on, from its [data] section: subset, validation split, model layout.

Every trial of a study sees the same arrays: the training subset is the first `train` samples,
the validation part a fixed slice of it (drawn with seed 0, not the trial's seed), and the test
subset the first `test` samples of the test set. The run prepares them once and writes them to
DIR/data.npz, which its workers read instead of decoding the dataset again.
"""

from __future__ import annotations

import dataclasses
import functools
import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from jaring.data.datasets import (
    load_cifar10,
    load_digits,
    load_fashion_mnist,
    load_mnist,
    load_nusax_sentiment,
    train_test_split,
)
from jaring.data.text import TextVectorizer
from jaring.experiments.layout import write_bytes_atomic

VALIDATION_SEED = 0


@dataclass(frozen=True)
class StudyData:
    """Train/validation/test arrays in the layout the model wants, and their shape facts."""

    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray | None
    y_val: np.ndarray | None
    x_test: np.ndarray
    y_test: np.ndarray
    input_shape: tuple
    classes: int
    vocabulary: int = 0


@functools.lru_cache(maxsize=2)
def _images(dataset: str) -> tuple:
    """The whole dataset as float32 arrays, decoded once per process (many quick studies share it)."""
    if dataset == "mnist":
        return load_mnist()
    if dataset == "fashion_mnist":
        return load_fashion_mnist()
    if dataset == "cifar10":
        return load_cifar10()
    x, y = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(x / 16.0, y, test_size=0.25, seed=0, stratify=True)
    return (x_train.astype(np.float32), y_train), (x_test.astype(np.float32), y_test)


def _layout(x: np.ndarray, layout: str) -> np.ndarray:
    """Flat vectors for an FFNN, channels-last images (N, H, W, C) for a CNN."""
    if layout == "flat":
        return np.ascontiguousarray(x.reshape(len(x), -1))
    if x.ndim == 3:
        return x[..., None]
    if x.ndim == 4 and x.shape[1] in (1, 3) and x.shape[-1] not in (1, 3):  # CIFAR-10 comes NCHW
        return np.ascontiguousarray(x.transpose(0, 2, 3, 1))
    return x


def _split_validation(x: np.ndarray, y: np.ndarray, fraction: float) -> tuple:
    if not fraction:
        return x, y, None, None
    order = np.random.default_rng(VALIDATION_SEED).permutation(len(x))
    n_val = max(1, int(round(fraction * len(x))))
    val, train = np.sort(order[:n_val]), np.sort(order[n_val:])
    return x[train], y[train], x[val], y[val]


def _first(n: int, *arrays: np.ndarray) -> tuple:
    return tuple(a[:n] if n else a for a in arrays)


@functools.lru_cache(maxsize=4)
def _load(spec_json: str, layout: str) -> StudyData:
    spec = json.loads(spec_json)
    if spec["dataset"] == "nusax_sentiment":
        return _load_text(spec)
    (x_train, y_train), (x_test, y_test) = _images(spec["dataset"])
    x_train, y_train = _first(spec["train"], x_train, y_train)
    x_test, y_test = _first(spec["test"], x_test, y_test)
    x_train, x_test = _layout(x_train, layout), _layout(x_test, layout)
    x_train, y_train, x_val, y_val = _split_validation(x_train, y_train, spec["validation"])
    classes = int(max(y_train.max(), y_test.max())) + 1
    return StudyData(x_train, y_train, x_val, y_val, x_test, y_test, tuple(x_train.shape[1:]), classes)


def _load_text(spec: dict) -> StudyData:
    (tr_text, tr_y), (va_text, va_y), (te_text, te_y) = load_nusax_sentiment(
        language=spec.get("language", "indonesian")
    )
    tr_text, tr_y = _first(spec["train"], list(tr_text), tr_y)
    te_text, te_y = _first(spec["test"], list(te_text), te_y)
    vectorizer = TextVectorizer(spec.get("max_tokens", 3000), spec.get("sequence_length", 60)).adapt(tr_text)
    x_train, x_test = vectorizer(tr_text), vectorizer(te_text)
    if spec["validation"] == "given":
        x_val, y_val = vectorizer(list(va_text)), va_y
    else:
        x_train, tr_y, x_val, y_val = _split_validation(x_train, tr_y, spec["validation"])
    classes = int(max(tr_y.max(), te_y.max())) + 1
    return StudyData(
        x_train, tr_y, x_val, y_val, x_test, te_y, tuple(x_train.shape[1:]), classes,
        vocabulary=vectorizer.vocabulary_size(),
    )  # fmt: skip


def load_study_data(data: dict, layout: str) -> StudyData:
    """The arrays for [data] `data`; layout is "flat" (FFNN), "image" (CNN) or "tokens" (text)."""
    return _load(json.dumps(data, sort_keys=True), layout)


def save_study_data(path: Path, data: StudyData) -> None:
    """Write the arrays to one .npy archive (atomically), so workers read them instead of the dataset."""
    arrays = {k: v for k, v in dataclasses.asdict(data).items() if isinstance(v, np.ndarray)}
    facts = {"input_shape": list(data.input_shape), "classes": data.classes, "vocabulary": data.vocabulary}
    buffer = io.BytesIO()
    np.savez(buffer, facts=np.array(json.dumps(facts)), **arrays)
    write_bytes_atomic(path, buffer.getvalue())


@functools.lru_cache(maxsize=2)
def read_study_data(path: Path) -> StudyData:
    """The arrays `save_study_data` wrote (cached: a worker runs many trials on them)."""
    with np.load(path) as archive:
        facts = json.loads(str(archive["facts"]))
        arrays = {k: archive[k] if k in archive else None for k in ("x_train", "y_train", "x_val", "y_val",
                                                                  "x_test", "y_test")}  # fmt: skip
    return StudyData(**arrays, input_shape=tuple(facts["input_shape"]), classes=facts["classes"],
                     vocabulary=facts["vocabulary"])  # fmt: skip
