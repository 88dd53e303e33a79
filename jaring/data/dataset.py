"""Datasets: anything with __len__ and __getitem__, plus in-memory arrays, subsets and random splits.

`get_batch(indices)` is the hook the DataLoader calls: the default gathers items one by one,
while TensorDataset, ArrayDataset (MNIST, CIFAR10) and Subsets of them gather a whole batch with
one fancy index per array.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.random import get_rng


def _stack(values: Sequence[Any]) -> Any:
    first = values[0]
    if isinstance(first, Tensor):
        values = [v.data for v in values]
        first = values[0]
    if isinstance(first, (str, bytes)):
        return list(values)
    if isinstance(first, np.generic):
        return np.asarray(values)
    if isinstance(first, (int, float, bool)):
        array = np.asarray(values)
        # Python floats follow jaring's rule for float lists: the default dtype, not float64.
        return array.astype(backend.get_default_dtype()) if type(first) is float else array
    return backend.array_module(first).stack(values)


def collate(items: Sequence[Any]) -> Any:
    """Stack a list of items into a batch: tuples field by field, strings into lists.

    Python floats become the default dtype (float32); arrays keep theirs.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import collate
        >>> x, y = collate([(np.zeros(2), 0), (np.ones(2), 1)])
        >>> x.shape, y.tolist()
        ((2, 2), [0, 1])
    """
    if isinstance(items[0], (tuple, list)):
        return tuple(_stack(field) for field in zip(*items))
    return _stack(items)


class Dataset:
    """Base class: subclasses define `__len__` and `__getitem__(index) -> item`.

    Examples:
        >>> from jaring.data import DataLoader, Dataset
        >>> class Squares(Dataset):
        ...     def __len__(self):
        ...         return 4
        ...
        ...     def __getitem__(self, i):
        ...         return i, i * i
        >>> x, y = next(iter(DataLoader(Squares(), batch_size=4)))
        >>> x, y
        (tensor([0, 1, 2, 3]), tensor([0, 1, 4, 9]))
    """

    def __len__(self) -> int:
        raise NotImplementedError(f"{type(self).__name__} must define __len__")

    def __getitem__(self, index: int) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define __getitem__")

    def get_batch(self, indices: np.ndarray) -> Any:
        """The items at `indices`, stacked into a batch (override for a vectorised version)."""
        return collate([self[int(i)] for i in indices])

    def __add__(self, other: Any) -> Any:
        """`a + b` is ConcatDataset([a, b]), as in torch."""
        from jaring.data.concat import ConcatDataset

        return ConcatDataset([self, other])


def _as_array(data: Any) -> Any:
    if backend.is_cupy_array(data):
        return data
    array = np.asarray(data)
    if array.dtype.kind not in "fiub":
        raise TypeError(f"TensorDataset holds numbers; got an array of dtype {array.dtype}")
    return array


class TensorDataset(Dataset):
    """Equal-length arrays or Tensors indexed together along the first axis: (x[i], y[i], ...).

    Examples:
        >>> import numpy as np
        >>> from jaring.data import TensorDataset
        >>> ds = TensorDataset(np.zeros((3, 2)), np.array([0, 1, 2]))
        >>> features, label = ds[1]
        >>> len(ds), features.shape, int(label)
        (3, (2,), 1)
    """

    def __init__(self, *arrays: Any) -> None:
        if not arrays:
            raise ValueError("TensorDataset needs at least one array, e.g. TensorDataset(x, y)")
        self.arrays = tuple(a.data if isinstance(a, Tensor) else _as_array(a) for a in arrays)
        for i, a in enumerate(self.arrays):
            if a.ndim == 0:
                raise ValueError(f"TensorDataset: array {i} is a scalar; every array needs a sample axis")
        lengths = [len(a) for a in self.arrays]
        if len(set(lengths)) > 1:
            shapes = ", ".join(str(tuple(a.shape)) for a in self.arrays)
            raise ValueError(
                f"TensorDataset: all arrays need the same first dimension (number of samples), got {shapes}"
            )

    def __len__(self) -> int:
        return len(self.arrays[0])

    def __getitem__(self, index: int) -> tuple:
        """Sample `index` as a tuple of Tensors, as torch's TensorDataset gives (sharing memory
        with the arrays, where NumPy's indexing gives a view)."""
        return tuple(
            Tensor(np.asarray(a[index]) if not backend.is_cupy_array(a) else a[index]) for a in self.arrays
        )

    def get_batch(self, indices: np.ndarray) -> tuple:
        # One fancy index per array: measured faster than np.take and than permuting whole arrays.
        indices = backend.array_module(self.arrays[0]).asarray(indices)
        return tuple(a[indices] for a in self.arrays)

    def __repr__(self) -> str:
        shapes = ", ".join(f"{tuple(a.shape)} {a.dtype}" for a in self.arrays)
        return f"TensorDataset({shapes})"


class ArrayDataset(Dataset):
    """Samples `.data` with labels `.targets` (arrays of equal length) and optional per-item transforms.

    Items are (transform(data[i]), target_transform(targets[i])). Without transforms, batches are
    gathered with one fancy index per array. MNIST and CIFAR10 build on this.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import ArrayDataset
        >>> ds = ArrayDataset(np.ones((4, 2)), np.arange(4), transform=lambda x: x * 10)
        >>> ds[2]
        (array([10., 10.]), 2)
    """

    def __init__(
        self,
        data: Any,
        targets: Any,
        transform: Callable[[Any], Any] | None = None,
        target_transform: Callable[[Any], Any] | None = None,
    ) -> None:
        if len(data) != len(targets):
            raise ValueError(f"{type(self).__name__}: {len(data)} samples but {len(targets)} targets")
        self.data, self.targets = data, targets
        self.transform, self.target_transform = transform, target_transform

    def __len__(self) -> int:
        return len(self.data)

    def __getitem__(self, index: int) -> tuple[Any, Any]:
        sample, target = self.data[index], self.targets[index]
        if isinstance(target, np.generic):
            target = target.item()
        if self.transform is not None:
            sample = self.transform(sample)
        if self.target_transform is not None:
            target = self.target_transform(target)
        return sample, target

    def get_batch(self, indices: np.ndarray) -> Any:
        if self.transform is None and self.target_transform is None:
            return self.data[indices], self.targets[indices]
        return super().get_batch(indices)


class Subset(Dataset):
    """The items of `dataset` at `indices`, in that order.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import Subset, TensorDataset
        >>> part = Subset(TensorDataset(np.arange(10)), [0, 5, 9])
        >>> len(part), part[2]
        (3, (tensor(9),))
    """

    def __init__(self, dataset: Any, indices: Sequence[int] | np.ndarray) -> None:
        self.dataset = dataset
        self.indices = np.asarray(indices, dtype=np.int64).reshape(-1)
        n = len(dataset)
        if self.indices.size and (self.indices.min() < -n or self.indices.max() >= n):
            raise IndexError(f"Subset: indices must lie in [0, {n}) for a dataset of {n} items")

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, index: int) -> Any:
        return self.dataset[int(self.indices[index])]

    def get_batch(self, indices: np.ndarray) -> Any:
        inner = self.indices[np.asarray(indices)]
        if hasattr(self.dataset, "get_batch"):
            return self.dataset.get_batch(inner)
        return collate([self.dataset[int(i)] for i in inner])


def random_split(
    dataset: Any, lengths: Sequence[int | float], seed: Any = None, *, generator: Any = None
) -> list[Subset]:
    """Split into non-overlapping Subsets of the given lengths (counts, or fractions summing to 1).

    Fractions are turned into counts by flooring, and the leftover items go round-robin to the
    first parts (as in PyTorch). `seed` (int or Generator), or torch's keyword `generator=` for
    the same thing, makes the split reproducible.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import TensorDataset, random_split
        >>> train, valid = random_split(TensorDataset(np.arange(10)), [0.8, 0.2], seed=0)
        >>> len(train), len(valid)
        (8, 2)
    """
    if generator is not None:
        if seed is not None:
            raise TypeError("random_split: give seed= or generator=, not both (they are the same thing)")
        seed = generator
    n = len(dataset)
    lengths = list(lengths)
    if not lengths or any(v < 0 for v in lengths):
        raise ValueError(f"random_split: lengths must be non-negative, got {lengths}")
    if all(isinstance(v, float) for v in lengths):
        if not np.isclose(sum(lengths), 1.0):
            raise ValueError(f"random_split: fractions must sum to 1, got {lengths} (sum {sum(lengths)})")
        counts = [int(np.floor(n * f)) for f in lengths]
        for i in range(n - sum(counts)):
            counts[i % len(counts)] += 1
    elif all(isinstance(v, (int, np.integer)) for v in lengths):
        counts = [int(v) for v in lengths]
        if sum(counts) != n:
            raise ValueError(
                f"random_split: lengths {counts} sum to {sum(counts)}, but the dataset has {n} items"
            )
    else:
        raise TypeError(f"random_split: lengths must be all ints or all fractions, got {lengths}")
    order = get_rng(seed).permutation(n)
    bounds = np.cumsum([0] + counts)
    return [Subset(dataset, order[a:b]) for a, b in zip(bounds[:-1], bounds[1:])]
