"""Tests for jaring/data/concat.py and iterable.py: ConcatDataset indexing against torch's (negative
indices, cumulative_sizes, errors), its vectorised batches, `a + b`, and IterableDataset's base class."""

import numpy as np
import pytest

from jaring.data import ConcatDataset, DataLoader, Dataset, IterableDataset, Subset, TensorDataset

torch_data = pytest.importorskip("torch.utils.data")

PARTS = [list(range(3)), list(range(10, 14)), [], list(range(20, 22))]


def test_indexing_and_cumulative_sizes_match_torch():
    ours, theirs = ConcatDataset(PARTS), torch_data.ConcatDataset(PARTS)
    assert ours.cumulative_sizes == theirs.cumulative_sizes == [3, 7, 7, 9]
    assert len(ours) == len(theirs) == 9
    for i in range(-9, 9):
        assert ours[i] == theirs[i], i


def test_index_errors():
    ours, theirs = ConcatDataset(PARTS), torch_data.ConcatDataset(PARTS)
    with pytest.raises(ValueError, match="absolute value of index should not exceed dataset length") as mine:
        ours[-10]
    with pytest.raises(ValueError) as torchs:
        theirs[-10]
    assert str(mine.value) == str(torchs.value)
    with pytest.raises(IndexError, match="out of range"):
        ours[9]
    with pytest.raises(ValueError, match="should not be an empty iterable"):
        ConcatDataset([])
    with pytest.raises(TypeError, match="does not support IterableDataset"):
        ConcatDataset([IterableDataset()])
    with pytest.raises(TypeError, match="dataset 1 needs __len__ and __getitem__"):
        ConcatDataset([PARTS[0], 5])


def test_batches_gather_per_part_in_the_requested_order():
    a = TensorDataset(np.arange(6, dtype=np.float32).reshape(3, 2), np.arange(3, dtype=np.int32))
    b = TensorDataset(np.arange(100, 108, dtype=np.float32).reshape(4, 2), np.arange(10, 14))
    both = a + Subset(b, [3, 2, 1, 0])
    assert isinstance(both, ConcatDataset) and len(both) == 7
    order = np.array([6, 0, 3, -1, 2, 4])
    x, y = both.get_batch(order)
    assert y.tolist() == [10, 0, 13, 10, 2, 12] and y.dtype == np.int64
    np.testing.assert_array_equal(x, np.stack([both[int(i)][0] for i in order]))
    with pytest.raises(IndexError, match="indices must lie in"):
        both.get_batch(np.array([7]))


def test_loader_over_a_concat_matches_the_per_item_path():
    a = TensorDataset(np.arange(10, dtype=np.float32).reshape(5, 2), np.arange(5))
    b = TensorDataset(np.arange(10, 16, dtype=np.float32).reshape(3, 2), np.arange(5, 8))
    fast = list(DataLoader(ConcatDataset([a, b]), batch_size=3, shuffle=True, seed=0))
    items = [a[i] for i in range(5)] + [b[i] for i in range(3)]
    slow = list(DataLoader(items, batch_size=3, shuffle=True, seed=0))
    for (fx, fy), (sx, sy) in zip(fast, slow, strict=True):
        np.testing.assert_array_equal(fx.numpy(), sx.numpy())
        np.testing.assert_array_equal(fy.numpy(), sy.numpy())


def test_mixed_parts_fall_back_to_items():
    class Texts(Dataset):
        def __len__(self):
            return 2

        def __getitem__(self, i):
            return ("ab"[i], i)

    both = ConcatDataset([Texts(), [("c", 5)]])
    texts, labels = both.get_batch(np.array([2, 0, 1]))
    assert texts == ["c", "a", "b"] and labels.tolist() == [5, 0, 1]


def test_iterable_dataset_base_class():
    with pytest.raises(NotImplementedError, match="must define __iter__"):
        iter(IterableDataset())
