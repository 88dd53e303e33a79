"""Small data sets shared by the training tests (loaded once per session)."""

import functools

import numpy as np

from jaring.data.datasets import load_digits, train_test_split


@functools.cache
def digits_split() -> tuple:
    """Digits scaled to [0, 1], stratified 80/20 split with a fixed seed (read-only arrays)."""
    x, y = load_digits()
    parts = train_test_split(x / 16, y, test_size=0.2, seed=0, stratify=True)
    for a in parts:
        a.setflags(write=False)
    return parts


def blobs(n: int = 60, features: int = 4, classes: int = 3, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Well separated Gaussian clusters: a problem any working training loop solves quickly."""
    rng = np.random.default_rng(seed)
    y = np.arange(n) % classes
    centers = rng.normal(0, 3, (classes, features))
    x = centers[y] + rng.normal(0, 0.5, (n, features))
    return x.astype(np.float32), y.astype(np.int64)
