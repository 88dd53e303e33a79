"""IterableDataset: a stream of samples (a generator, a file read line by line), not an indexable table.

A DataLoader over one reads the stream in order and groups it into batches; there are no indices,
so `shuffle=`, `sampler=` and `batch_sampler=` are refused, as in torch.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


class IterableDataset:
    """Base class: subclasses define `__iter__` (the samples of one pass), and may define `__len__`.

    Examples:
        >>> from jaring.data import DataLoader, IterableDataset
        >>> class Counting(IterableDataset):
        ...     def __iter__(self):
        ...         return iter(range(5))
        >>> [b.tolist() for b in DataLoader(Counting(), batch_size=2)]
        [[0, 1], [2, 3], [4]]
    """

    def __iter__(self) -> Iterator[Any]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__ (the samples of one pass)")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def get_worker_info() -> None:
    """None: jaring loads data in the main process, which is what torch reports there too.

    Code written for torch's worker processes (splitting an IterableDataset's stream between
    workers) calls this; None means "one process reads everything", so it runs unchanged.

    Examples:
        >>> from jaring.data import get_worker_info
        >>> get_worker_info() is None
        True
    """
    return None
