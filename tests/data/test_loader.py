"""Tests for jaring/data/loader.py: batching, seeded shuffling, drop_last, dtypes, the fast path."""

import numpy as np
import pytest

import jaring
from jaring.data import DataLoader, Dataset, Subset, TensorDataset


def make(n=10, features=3):
    x = np.arange(n * features, dtype=np.float32).reshape(n, features)
    y = np.arange(n, dtype=np.int32)
    return TensorDataset(x, y)


def labels_of(loader):
    return [yb.numpy().tolist() for _, yb in loader]


def test_batches_in_order_with_partial_last_batch_kept():
    loader = DataLoader(make(10), batch_size=4)
    batches = list(loader)
    assert len(loader) == 3 == len(batches)
    assert [tuple(xb.shape) for xb, _ in batches] == [(4, 3), (4, 3), (2, 3)]
    assert labels_of(loader) == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    xb, yb = batches[0]
    assert isinstance(xb, jaring.Tensor) and xb.dtype == np.float32 and not xb.requires_grad
    assert yb.dtype == np.int64


def test_drop_last():
    loader = DataLoader(make(10), batch_size=4, drop_last=True)
    assert len(loader) == 2
    assert labels_of(loader) == [[0, 1, 2, 3], [4, 5, 6, 7]]
    assert len(DataLoader(make(8), batch_size=4, drop_last=True)) == 2


def test_shuffle_reproducible_with_seed_and_fresh_each_epoch():
    first = DataLoader(make(50), batch_size=8, shuffle=True, seed=123)
    second = DataLoader(make(50), batch_size=8, shuffle=True, seed=123)
    epoch1, epoch2 = labels_of(first), labels_of(first)
    assert epoch1 == labels_of(second) and epoch2 == labels_of(second)
    assert epoch1 != epoch2
    assert sorted(sum(epoch1, [])) == list(range(50))
    assert labels_of(DataLoader(make(50), batch_size=8, shuffle=True, seed=7)) != epoch1


def test_shuffle_without_seed_follows_manual_seed():
    loader = DataLoader(make(20), batch_size=20, shuffle=True)
    jaring.manual_seed(5)
    first = labels_of(loader)
    jaring.manual_seed(5)
    assert labels_of(loader) == first


class Pairs(Dataset):
    """A per-item dataset without a vectorised get_batch (exercises the slow path)."""

    def __len__(self):
        return 5

    def __getitem__(self, i):
        return np.full((2,), i, dtype=np.float32), i


def test_per_item_dataset_and_plain_sequence():
    xb, yb = next(iter(DataLoader(Pairs(), batch_size=3)))
    assert xb.shape == (3, 2) and yb.dtype == np.int64
    batch = next(iter(DataLoader([1.0, 2.0, 3.0], batch_size=2)))
    assert isinstance(batch, jaring.Tensor) and batch.dtype == np.float32


def test_fast_path_matches_per_item_path_on_subset():
    ds = make(30)
    fast = list(DataLoader(Subset(ds, np.arange(29, -1, -1)), batch_size=7, shuffle=True, seed=0))
    slow_ds = [ds[i] for i in range(29, -1, -1)]
    slow = list(DataLoader(slow_ds, batch_size=7, shuffle=True, seed=0))
    for (fx, fy), (sx, sy) in zip(fast, slow):
        np.testing.assert_array_equal(fx.numpy(), sx.numpy())
        np.testing.assert_array_equal(fy.numpy(), sy.numpy())


def test_batch_transform_applies_to_inputs_only():
    loader = DataLoader(make(6), batch_size=6, transform=lambda x: x * 0 + 1)
    xb, yb = next(iter(loader))
    assert xb.numpy().sum() == 18 and yb.numpy().tolist() == list(range(6))


def test_texts_are_batched_as_lists():
    texts, labels = next(iter(DataLoader([("halo", 2), ("dunia", 0)], batch_size=2)))
    assert texts == ["halo", "dunia"] and labels.dtype == np.int64


@pytest.mark.parametrize("batch_size", [0, -3, 2.5, True])
def test_bad_batch_size(batch_size):
    with pytest.raises(ValueError, match="batch_size must be a positive integer"):
        DataLoader(make(4), batch_size=batch_size)


def test_empty_dataset_and_non_dataset():
    with pytest.raises(ValueError, match="empty"):
        DataLoader(TensorDataset(np.zeros((0, 2))))
    with pytest.raises(TypeError, match="__len__ and __getitem__"):
        DataLoader(42)
