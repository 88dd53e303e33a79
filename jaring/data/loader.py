"""DataLoader: iterate over a dataset in (optionally shuffled) mini-batches of jaring Tensors.

Shuffling draws a fresh permutation every epoch from one generator made from `seed`, so a
seeded run sees the same sequence of epochs each time. Datasets with a vectorised
`get_batch` (TensorDataset, MNIST, Subset of them) are gathered with one fancy index per array.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.data.dataset import collate
from jaring.random import get_rng
from jaring.validation import check_bool


def _to_tensor(value: Any) -> Any:
    """Arrays become Tensors (integers as int64, raw uint8 image bytes kept); strings stay lists."""
    if isinstance(value, (Tensor, list)):
        return value
    if not hasattr(value, "dtype"):
        value = np.asarray(value)
    if value.dtype.kind in "iu" and value.dtype != np.uint8 and value.dtype != np.int64:
        value = value.astype(np.int64)
    return Tensor._from_op(value, None)


class DataLoader:
    """Mini-batches over `dataset`: `for x, y in DataLoader(ds, batch_size=64, shuffle=True, seed=0)`.

    The last, smaller batch is kept unless `drop_last=True`. Each batch is a tuple of Tensors
    (a single Tensor when items are not tuples); integer fields such as labels come out as int64,
    uint8 images stay uint8 (convert them with a transform). `transform`, when given, is applied
    to the input field (the first) of each whole batch, so it should accept a batch.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import DataLoader, TensorDataset
        >>> data = TensorDataset(np.arange(10, dtype=np.float32).reshape(5, 2), np.arange(5))
        >>> loader = DataLoader(data, batch_size=2, shuffle=True, seed=0)
        >>> [labels.tolist() for _, labels in loader] == [labels.tolist() for _, labels in loader]
        False
        >>> len(loader), [len(y) for _, y in DataLoader(data, batch_size=2)]
        (3, [2, 2, 1])
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int = 32,
        shuffle: bool = False,
        seed: Any = None,
        drop_last: bool = False,
        transform: Callable[[Any], Any] | None = None,
    ) -> None:
        if not isinstance(batch_size, (int, np.integer)) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be a positive integer, got {batch_size!r}")
        if not hasattr(dataset, "__len__") or not hasattr(dataset, "__getitem__"):
            raise TypeError(
                f"DataLoader needs a dataset with __len__ and __getitem__, got {type(dataset).__name__}"
            )
        if len(dataset) == 0:
            raise ValueError("DataLoader: the dataset is empty")
        if transform is not None and not callable(transform):
            raise TypeError(
                f"DataLoader: transform must be a function of a batch or None, got {transform!r:.80}"
            )
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = check_bool("DataLoader", "shuffle", shuffle)
        self.drop_last = check_bool("DataLoader", "drop_last", drop_last)
        self.transform = transform
        # Without a seed the global generator is looked up per epoch, so a later manual_seed counts.
        self._rng = None if seed is None else get_rng(seed)

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def _gather(self, indices: np.ndarray) -> Any:
        if hasattr(self.dataset, "get_batch"):
            return self.dataset.get_batch(indices)
        return collate([self.dataset[int(i)] for i in indices])

    def __iter__(self) -> Iterator[Any]:
        n = len(self.dataset)
        if self.shuffle:
            order = (get_rng() if self._rng is None else self._rng).permutation(n)
        else:
            order = np.arange(n)
        stop = n - n % self.batch_size if self.drop_last else n
        for start in range(0, stop, self.batch_size):
            batch = self._gather(order[start : start + self.batch_size])
            if isinstance(batch, tuple):
                if self.transform is not None:
                    batch = (self.transform(batch[0]),) + batch[1:]
                yield tuple(_to_tensor(b) for b in batch)
            else:
                yield _to_tensor(batch if self.transform is None else self.transform(batch))

    def __repr__(self) -> str:
        return (
            f"DataLoader({type(self.dataset).__name__}, size={len(self.dataset)}, "
            f"batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last}, batches={len(self)})"
        )
