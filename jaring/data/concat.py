"""ConcatDataset: several datasets read as one, end to end (torch's ConcatDataset, and `ds1 + ds2`)."""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

import numpy as np

from jaring import backend
from jaring.data.dataset import Dataset, collate
from jaring.data.iterable import IterableDataset


def _join(parts: list[Any]) -> Any:
    """One field's pieces (arrays or lists), end to end; None when they do not join cleanly."""
    if all(isinstance(p, list) for p in parts):
        return [v for p in parts for v in p]
    if all(hasattr(p, "shape") and hasattr(p, "dtype") for p in parts):
        if len({p.shape[1:] for p in parts}) == 1:
            return backend.array_module(parts[0]).concatenate(parts)
    return None


class ConcatDataset(Dataset):
    """The items of each dataset in turn; `cumulative_sizes[i]` is the length of the first i + 1.

    Negative indices count from the end, as for a list. Batches are gathered with each part's
    vectorised `get_batch`, so a ConcatDataset of TensorDatasets stays fast in a DataLoader.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import ConcatDataset, TensorDataset
        >>> both = ConcatDataset([TensorDataset(np.arange(3)), TensorDataset(np.arange(10, 12))])
        >>> len(both), both.cumulative_sizes, int(both[3][0]), int(both[-1][0])
        (5, [3, 5], 10, 11)
    """

    def __init__(self, datasets: Iterable[Any]) -> None:
        self.datasets = list(datasets)
        if not self.datasets:
            raise ValueError("ConcatDataset: datasets should not be an empty iterable")
        for i, d in enumerate(self.datasets):
            if isinstance(d, IterableDataset):
                raise TypeError(f"ConcatDataset does not support IterableDataset (dataset {i})")
            if not hasattr(d, "__len__") or not hasattr(d, "__getitem__"):
                raise TypeError(
                    f"ConcatDataset: dataset {i} needs __len__ and __getitem__, got {type(d).__name__}"
                )
        self.cumulative_sizes = self.cumsum(self.datasets)

    @staticmethod
    def cumsum(sequence: Iterable[Any]) -> list[int]:
        """Running totals of the lengths: [len(a), len(a) + len(b), ...]."""
        totals, s = [], 0
        for d in sequence:
            s += len(d)
            totals.append(s)
        return totals

    def __len__(self) -> int:
        return self.cumulative_sizes[-1]

    def _locate(self, index: int) -> tuple[int, int]:
        n = len(self)
        if index < 0:
            if -index > n:
                raise ValueError("absolute value of index should not exceed dataset length")
            index += n
        if index >= n:
            raise IndexError(f"ConcatDataset: index {index} is out of range for {n} items")
        part = bisect.bisect_right(self.cumulative_sizes, index)
        return part, index - (self.cumulative_sizes[part - 1] if part else 0)

    def __getitem__(self, index: int) -> Any:
        part, local = self._locate(int(index))
        return self.datasets[part][local]

    def get_batch(self, indices: np.ndarray) -> Any:
        idx = np.asarray(indices, dtype=np.int64).reshape(-1)
        n = len(self)
        if idx.size and (idx.min() < -n or idx.max() >= n):
            raise IndexError(f"ConcatDataset: indices must lie in [-{n}, {n}) for {n} items")
        idx = np.where(idx < 0, idx + n, idx)
        which = np.searchsorted(self.cumulative_sizes, idx, side="right")
        starts = np.concatenate([[0], self.cumulative_sizes[:-1]])
        parts, positions = [], []
        for k in np.unique(which):
            where = np.nonzero(which == k)[0]
            d = self.datasets[k]
            local = idx[where] - starts[k]
            parts.append(
                d.get_batch(local) if hasattr(d, "get_batch") else collate([d[int(i)] for i in local])
            )
            positions.append(where)
        if len(parts) == 1:
            return parts[0]
        order = np.argsort(np.concatenate(positions), kind="stable")
        if all(isinstance(p, tuple) for p in parts) and len({len(p) for p in parts}) == 1:
            fields = [_join([p[f] for p in parts]) for f in range(len(parts[0]))]
            if all(f is not None for f in fields):
                return tuple(_reorder(f, order) for f in fields)
        elif not any(isinstance(p, tuple) for p in parts):
            joined = _join(parts)
            if joined is not None:
                return _reorder(joined, order)
        return collate([self[int(i)] for i in idx])

    def __repr__(self) -> str:
        return f"ConcatDataset({', '.join(type(d).__name__ for d in self.datasets)}; size={len(self)})"


def _reorder(field: Any, order: np.ndarray) -> Any:
    if isinstance(field, list):
        return [field[i] for i in order]
    return field[backend.array_module(field).asarray(order)]
