"""Tests for jaring/data/datasets/toy.py: the bundled scikit-learn sets, seeded stratified splits."""

import numpy as np
import pytest

from jaring.data.datasets import (
    load_breast_cancer,
    load_digits,
    load_iris,
    load_toy,
    load_wine,
    standardize,
    train_test_split,
)


@pytest.mark.parametrize(
    "loader, shape, classes",
    [
        (load_digits, (1797, 64), 10),
        (load_breast_cancer, (569, 30), 2),
        (load_wine, (178, 13), 3),
        (load_iris, (150, 4), 3),
    ],
)
def test_toy_shapes_and_dtypes(loader, shape, classes):
    X, y = loader()
    assert X.shape == shape and X.dtype == np.float32
    assert y.shape == (shape[0],) and y.dtype == np.int64
    assert set(np.unique(y).tolist()) == set(range(classes))


def test_unknown_toy_name_lists_choices():
    with pytest.raises(ValueError, match="digits, breast_cancer, wine, iris"):
        load_toy("mnist")


def test_split_sizes_reproducible_and_disjoint():
    X = np.arange(100, dtype=np.float32).reshape(50, 2)
    y = np.arange(50) % 5
    a = train_test_split(X, y, test_size=0.2, seed=0)
    b = train_test_split(X, y, test_size=0.2, seed=0)
    c = train_test_split(X, y, test_size=0.2, seed=1)
    assert a[0].shape == (40, 2) and a[1].shape == (10, 2) and a[3].shape == (10,)
    for left, right in zip(a, b):
        np.testing.assert_array_equal(left, right)
    assert not np.array_equal(a[1], c[1])
    rows = np.concatenate([a[0][:, 0], a[1][:, 0]])
    assert sorted(rows.tolist()) == list(range(0, 100, 2))
    np.testing.assert_array_equal(a[1][:, 0] // 2 % 5, a[3])
    assert train_test_split(X, y, test_size=7, seed=0)[1].shape == (7, 2)


def test_stratified_split_keeps_class_shares():
    X, y = load_iris()
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=3, stratify=True)
    assert np.bincount(y_test).tolist() == [10, 10, 10]
    assert np.bincount(y_train).tolist() == [40, 40, 40]
    # Uneven classes: counts stay proportional and sum exactly to the test size.
    y = np.array([0] * 70 + [1] * 20 + [2] * 10)
    _, _, _, y_test = train_test_split(np.zeros((100, 1)), y, test_size=0.25, seed=0, stratify=True)
    assert len(y_test) == 25 and np.bincount(y_test).tolist() in ([18, 5, 2], [17, 5, 3])


def test_standardize_uses_training_statistics_only():
    X, y = load_wine()
    X_train, X_test, _, _ = train_test_split(X, y, test_size=0.3, seed=0, standardize_features=True)
    np.testing.assert_allclose(X_train.mean(axis=0), 0, atol=1e-4)
    np.testing.assert_allclose(X_train.std(axis=0), 1, atol=1e-4)
    assert X_train.dtype == np.float32 and not np.allclose(X_test.mean(axis=0), 0, atol=1e-4)
    const = np.ones((4, 2), np.float32)
    (out,) = standardize(const)
    np.testing.assert_array_equal(out, 0)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"test_size": 1.5}, r"must lie in \(0, 1\), got 1.5"),
        ({"test_size": 0}, r"count in \[1, 9\]"),
        ({"test_size": 10}, r"count in \[1, 9\]"),
        ({"test_size": 0.99}, "leaves no training samples"),
    ],
)
def test_split_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train_test_split(np.zeros((10, 2)), np.zeros(10), **kwargs)


def test_split_length_mismatch():
    with pytest.raises(ValueError, match="X has 10 samples but y has 9"):
        train_test_split(np.zeros((10, 2)), np.zeros(9))
