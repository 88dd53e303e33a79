"""Tests for jaring/data/dataset.py: TensorDataset, ArrayDataset, Subset, random_split, collate."""

import numpy as np
import pytest

import jaring
from jaring.data import ArrayDataset, Dataset, Subset, TensorDataset, collate, random_split


def make(n=10):
    x = np.arange(n * 3, dtype=np.float32).reshape(n, 3)
    y = np.arange(n, dtype=np.int64)
    return x, y


def test_tensor_dataset_items_and_batches():
    x, y = make()
    ds = TensorDataset(jaring.tensor(x), y)
    assert len(ds) == 10
    xi, yi = ds[3]
    np.testing.assert_array_equal(xi, x[3])
    assert yi == 3
    xb, yb = ds.get_batch(np.array([4, 0, 4]))
    np.testing.assert_array_equal(xb, x[[4, 0, 4]])
    np.testing.assert_array_equal(yb, [4, 0, 4])
    assert "TensorDataset((10, 3) float32" in repr(ds)


@pytest.mark.parametrize(
    "arrays, message",
    [
        ((), "at least one array"),
        ((np.zeros((3, 2)), np.zeros(4)), r"same first dimension.*\(3, 2\), \(4,\)"),
        ((np.float32(1.0),), "scalar"),
        ((np.array(["a", "b"]),), "holds numbers"),
    ],
)
def test_tensor_dataset_bad_input(arrays, message):
    with pytest.raises((ValueError, TypeError), match=message):
        TensorDataset(*arrays)


def test_array_dataset_transforms_and_fast_path():
    x, y = make(4)
    plain = ArrayDataset(x, y)
    sample, target = plain[1]
    assert type(target) is int and target == 1
    xb, yb = plain.get_batch(np.array([2, 3]))
    np.testing.assert_array_equal(xb, x[2:4])
    shifted = ArrayDataset(x, y, transform=lambda v: v + 1, target_transform=lambda t: t * 10)
    xb, yb = shifted.get_batch(np.array([2, 3]))
    np.testing.assert_array_equal(xb, x[2:4] + 1)
    np.testing.assert_array_equal(yb, [20, 30])
    with pytest.raises(ValueError, match="4 samples but 3 targets"):
        ArrayDataset(x, y[:3])


def test_subset_maps_indices_and_checks_range():
    x, y = make()
    sub = Subset(TensorDataset(x, y), [9, 2, 5])
    assert len(sub) == 3
    assert sub[0][1] == 9
    np.testing.assert_array_equal(sub.get_batch(np.array([2, 0]))[1], [5, 9])
    with pytest.raises(IndexError, match=r"\[0, 10\)"):
        Subset(TensorDataset(x, y), [10])


class Squares(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return float(i), i * i


def test_base_dataset_get_batch_collates_items():
    xb, yb = Squares().get_batch(np.array([1, 3]))
    assert xb.dtype == np.float32 and yb.dtype == np.int64
    np.testing.assert_array_equal(yb, [1, 9])
    with pytest.raises(NotImplementedError, match="__len__"):
        len(Dataset())


def test_collate_strings_tensors_and_arrays():
    texts, labels = collate([("a b", 0), ("c", 2)])
    assert texts == ["a b", "c"] and labels.tolist() == [0, 2]
    assert collate([1.0, 2.0]).dtype == np.float32
    assert collate([np.float64(1.0), np.float64(2.0)]).dtype == np.float64
    stacked = collate([jaring.tensor([1.0, 2.0]), jaring.tensor([3.0, 4.0])])
    assert stacked.shape == (2, 2) and stacked.dtype == np.float32


def test_random_split_counts_fractions_and_seed():
    x, y = make(10)
    ds = TensorDataset(x, y)
    a, b = random_split(ds, [7, 3], seed=0)
    assert (len(a), len(b)) == (7, 3)
    union = np.concatenate([a.indices, b.indices])
    assert sorted(union.tolist()) == list(range(10))
    again = random_split(ds, [7, 3], seed=0)
    np.testing.assert_array_equal(again[0].indices, a.indices)
    other = random_split(ds, [7, 3], seed=1)
    assert not np.array_equal(other[0].indices, a.indices)
    parts = random_split(ds, [0.5, 0.25, 0.25], seed=0)
    assert [len(p) for p in parts] == [6, 2, 2]  # floors 5, 2, 2; the leftover goes first, as in PyTorch


@pytest.mark.parametrize(
    "lengths, message",
    [
        ([5, 4], "sum to 9"),
        ([0.5, 0.4], "sum to 1"),
        ([5, 0.5], "all ints or all fractions"),
        ([-1, 11], "non-neg"),
    ],
)
def test_random_split_bad_lengths(lengths, message):
    with pytest.raises((ValueError, TypeError), match=message):
        random_split(TensorDataset(*make(10)), lengths)


def test_tensor_dataset_items_are_tensors_as_torch_s():
    torch = pytest.importorskip("torch")
    x, y = np.arange(6, dtype=np.float64).reshape(3, 2), np.array([0, 1, 2])
    ours = TensorDataset(x, y)[1]
    theirs = torch.utils.data.TensorDataset(torch.from_numpy(x), torch.from_numpy(y))[1]
    for a, b in zip(ours, theirs, strict=True):
        assert isinstance(a, jaring.Tensor) and a.shape == tuple(b.shape)
        assert a.dtype == np.dtype(str(b.dtype).removeprefix("torch."))
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    assert np.shares_memory(ours[0].data, x)  # a view, as torch's indexing gives


def test_random_split_takes_torch_s_generator_keyword():
    data = TensorDataset(np.arange(10))
    by_seed = [list(part.indices) for part in random_split(data, [0.7, 0.3], seed=3)]
    by_generator = [list(part.indices) for part in random_split(data, [0.7, 0.3], generator=3)]
    assert by_seed == by_generator
    with pytest.raises(TypeError, match="not both"):
        random_split(data, [5, 5], seed=1, generator=1)
