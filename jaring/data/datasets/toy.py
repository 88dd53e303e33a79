"""scikit-learn's small bundled datasets as (X float32, y int64), and a seeded train/test split.

They need no download, so they suit quick experiments and tests: digits (1797 8x8 images,
values 0..16, 10 classes), breast cancer (569 x 30, 2 classes), wine (178 x 13, 3 classes)
and iris (150 x 4, 3 classes).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.random import get_rng

_LOADERS = ("digits", "breast_cancer", "wine", "iris")


def load_toy(name: str) -> tuple[np.ndarray, np.ndarray]:
    """One of 'digits', 'breast_cancer', 'wine', 'iris' as (X float32 (N, features), y int64 (N,))."""
    if name not in _LOADERS:
        raise ValueError(f"unknown toy dataset {name!r}; choose one of {', '.join(_LOADERS)}")
    from sklearn import datasets  # imported here: scikit-learn takes a moment to load

    bunch = getattr(datasets, f"load_{name}")()
    return bunch.data.astype(np.float32), bunch.target.astype(np.int64)


def load_digits() -> tuple[np.ndarray, np.ndarray]:
    """8x8 handwritten digits flattened to 64 features with values 0..16 (divide by 16 for [0, 1])."""
    return load_toy("digits")


def load_breast_cancer() -> tuple[np.ndarray, np.ndarray]:
    """Wisconsin breast cancer: 30 features on very different scales (standardise them), 2 classes."""
    return load_toy("breast_cancer")


def load_wine() -> tuple[np.ndarray, np.ndarray]:
    """Wine recognition: 13 chemical measurements, 3 cultivars."""
    return load_toy("wine")


def load_iris() -> tuple[np.ndarray, np.ndarray]:
    """Fisher's iris: 4 measurements, 3 species."""
    return load_toy("iris")


def standardize(x_train: np.ndarray, *others: np.ndarray, eps: float = 1e-8) -> tuple[np.ndarray, ...]:
    """Scale every feature to mean 0, std 1 using statistics of `x_train` only, applied to all.

    Using only the training statistics keeps the test set unseen, as in sklearn's StandardScaler.
    Constant features (std 0) are only centred.
    """
    mean = x_train.mean(axis=0)
    std = x_train.std(axis=0)
    std = np.where(std < eps, 1, std).astype(x_train.dtype)
    return tuple(((x - mean) / std).astype(x.dtype, copy=False) for x in (x_train, *others))


def _test_counts(y: np.ndarray, n_test: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-class test counts proportional to class sizes, summing exactly to n_test."""
    classes, sizes = np.unique(y, return_counts=True)
    exact = sizes * n_test / len(y)
    counts = np.floor(exact).astype(np.int64)
    # Largest remainders get the leftover places, so the total is exact and the split is fair.
    leftover = n_test - counts.sum()
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[:leftover]] += 1
    return classes, counts


def train_test_split(
    X: np.ndarray,
    y: np.ndarray,
    test_size: float | int = 0.2,
    seed: Any = None,
    stratify: bool = False,
    standardize_features: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Shuffle and split into X_train, X_test, y_train, y_test (sklearn's order).

    `test_size` is a fraction in (0, 1) or a count. `seed` (int or Generator) makes the split
    reproducible. `stratify=True` keeps each class's share equal in both parts.
    `standardize_features=True` scales X with the training part's mean and std.
    """
    X, y = np.asarray(X), np.asarray(y)
    n = len(X)
    if len(y) != n:
        raise ValueError(f"train_test_split: X has {n} samples but y has {len(y)}")
    if isinstance(test_size, float):
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"train_test_split: a fractional test_size must lie in (0, 1), got {test_size}")
        n_test = int(np.ceil(test_size * n))
    elif isinstance(test_size, (int, np.integer)) and 0 < test_size < n:
        n_test = int(test_size)
    else:
        raise ValueError(
            f"train_test_split: test_size must be a fraction in (0, 1) or a count in [1, {n - 1}]"
        )
    if n_test >= n:
        raise ValueError(f"train_test_split: test_size {test_size} leaves no training samples out of {n}")
    rng = get_rng(seed)
    if stratify:
        classes, counts = _test_counts(y, n_test)
        test_parts, train_parts = [], []
        for label, k in zip(classes, counts):
            members = rng.permutation(np.flatnonzero(y == label))
            test_parts.append(members[:k])
            train_parts.append(members[k:])
        test_idx = rng.permutation(np.concatenate(test_parts))
        train_idx = rng.permutation(np.concatenate(train_parts))
    else:
        order = rng.permutation(n)
        test_idx, train_idx = order[:n_test], order[n_test:]
    X_train, X_test = X[train_idx], X[test_idx]
    if standardize_features:
        X_train, X_test = standardize(X_train, X_test)
    return X_train, X_test, y[train_idx], y[test_idx]
