"""Samplers: the order in which a DataLoader visits a dataset's indices, as torch.utils.data has them.

A sampler is an iterable of indices (`BatchSampler`: of lists of indices) with a `__len__`.
Random samplers take `generator=`: an int seed, a NumPy or jaring Generator, or None for jaring's global
generator (looked up on every pass, so `jaring.manual_seed` makes a run reproducible). A seeded
sampler keeps one generator, so every pass draws a new order and a second sampler with the same
seed repeats the same sequence of passes. The built-in samplers also hand the DataLoader a whole
pass as one index array (`_indices()`), which keeps vectorised batching fast; a custom sampler
may yield any keys its dataset's `__getitem__` accepts.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Iterator, Sized
from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.generator import Generator
from jaring.random import get_rng


def _generator(owner: str, generator: Any) -> np.random.Generator | None:
    """None stays None (the global generator, looked up per pass); else a Generator kept for good."""
    if generator is None:
        return None
    if isinstance(generator, bool) or not isinstance(
        generator, (numbers.Integral, np.random.Generator, Generator)
    ):
        raise TypeError(
            f"{owner}: generator must be an int seed, a numpy Generator or None (or a jaring.Generator), "
            f"got {generator!r:.80} (a {type(generator).__name__})"
        )
    return get_rng(generator)


def _positive(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value <= 0:
        raise ValueError(f"{name} should be a positive integer value, but got {name}={value!r}")
    return int(value)


class Sampler:
    """Base class: subclasses define `__iter__` (the indices of one pass) and usually `__len__`.

    Examples:
        >>> from jaring.data import DataLoader, Sampler
        >>> class EvensFirst(Sampler):
        ...     def __init__(self, n):
        ...         self.n = n
        ...
        ...     def __iter__(self):
        ...         return iter([*range(0, self.n, 2), *range(1, self.n, 2)])
        ...
        ...     def __len__(self):
        ...         return self.n
        >>> list(EvensFirst(5))
        [0, 2, 4, 1, 3]
        >>> [b.tolist() for b in DataLoader(list(range(10, 15)), batch_size=3, sampler=EvensFirst(5))]
        [[10, 12, 14], [11, 13]]
    """

    def __init__(self, data_source: Sized | None = None) -> None:
        pass  # torch's data_source argument is accepted and unused, as in torch

    def __iter__(self) -> Iterator[int]:
        raise NotImplementedError(f"{type(self).__name__} must define __iter__ (the indices of one pass)")

    def __len__(self) -> int:
        raise TypeError(f"object of type '{type(self).__name__}' has no len(); define __len__ on the sampler")


class SequentialSampler(Sampler):
    """0, 1, ..., len(data_source) - 1, in order.

    Examples:
        >>> from jaring.data import SequentialSampler
        >>> list(SequentialSampler(["a", "b", "c"]))
        [0, 1, 2]
    """

    def __init__(self, data_source: Sized) -> None:
        if not hasattr(data_source, "__len__"):
            raise TypeError(
                f"SequentialSampler needs a data_source with __len__, got {type(data_source).__name__}"
            )
        self.data_source = data_source

    def _indices(self) -> np.ndarray:
        return np.arange(len(self.data_source), dtype=np.int64)

    def __iter__(self) -> Iterator[int]:
        return iter(range(len(self.data_source)))

    def __len__(self) -> int:
        return len(self.data_source)

    def __repr__(self) -> str:
        return f"SequentialSampler(size={len(self)})"


class RandomSampler(Sampler):
    """A random order of the indices; a new one each pass.

    Without replacement each index comes once per pass (for `num_samples` above the dataset's size,
    whole shuffled passes follow each other, as in torch); with `replacement=True`, `num_samples`
    (default: the dataset's size) independent uniform draws.

    Examples:
        >>> from jaring.data import RandomSampler
        >>> sampler = RandomSampler(range(5), generator=0)
        >>> first, second = list(sampler), list(sampler)
        >>> sorted(first), first == second
        ([0, 1, 2, 3, 4], False)
        >>> len(RandomSampler(range(5), replacement=True, num_samples=12))
        12
    """

    def __init__(
        self,
        data_source: Sized,
        replacement: bool = False,
        num_samples: int | None = None,
        generator: Any = None,
    ) -> None:
        if not hasattr(data_source, "__len__"):
            raise TypeError(
                f"RandomSampler needs a data_source with __len__, got {type(data_source).__name__}"
            )
        if not isinstance(replacement, bool):
            raise TypeError(f"replacement should be a boolean value, but got replacement={replacement!r}")
        self.data_source = data_source
        self.replacement = replacement
        self._num_samples = num_samples
        self.generator = generator
        self._rng = _generator("RandomSampler", generator)
        _positive("num_samples", self.num_samples)

    @property
    def num_samples(self) -> int:
        """The number of indices one pass yields: the dataset's size unless given."""
        return len(self.data_source) if self._num_samples is None else self._num_samples

    def _indices(self) -> np.ndarray:
        rng = get_rng() if self._rng is None else self._rng
        n, k = len(self.data_source), self.num_samples
        if n == 0:
            raise ValueError("RandomSampler: the data_source is empty")
        if self.replacement:
            return rng.integers(0, n, size=k, dtype=np.int64)
        if k == n:
            return rng.permutation(n)
        passes = [rng.permutation(n) for _ in range(k // n)]
        if k % n:
            passes.append(rng.permutation(n)[: k % n])
        return np.concatenate(passes)

    def __iter__(self) -> Iterator[int]:
        return iter(self._indices().tolist())

    def __len__(self) -> int:
        return self.num_samples

    def __repr__(self) -> str:
        size = len(self.data_source)
        return f"RandomSampler(size={size}, replacement={self.replacement}, num_samples={len(self)})"


class SubsetRandomSampler(Sampler):
    """The given `indices` in a random order, a new one each pass (e.g. a validation split).

    Examples:
        >>> from jaring.data import SubsetRandomSampler
        >>> sorted(SubsetRandomSampler([7, 3, 9], generator=0))
        [3, 7, 9]
    """

    def __init__(self, indices: Iterable[int], generator: Any = None) -> None:
        values = indices.data if isinstance(indices, Tensor) else indices
        array = np.asarray(list(values) if not hasattr(values, "__len__") else values)
        if array.ndim != 1 or (array.size and array.dtype.kind not in "iu"):
            raise ValueError(
                f"SubsetRandomSampler: indices must be a 1-D sequence of integers, got {indices!r:.80}"
            )
        self.indices = array.astype(np.int64)
        self.generator = generator
        self._rng = _generator("SubsetRandomSampler", generator)

    def _indices(self) -> np.ndarray:
        rng = get_rng() if self._rng is None else self._rng
        return self.indices[rng.permutation(len(self.indices))]

    def __iter__(self) -> Iterator[int]:
        return iter(self._indices().tolist())

    def __len__(self) -> int:
        return len(self.indices)

    def __repr__(self) -> str:
        return f"SubsetRandomSampler(size={len(self)})"


class WeightedRandomSampler(Sampler):
    """`num_samples` indices in [0, len(weights)), drawn with probability proportional to `weights`.

    The weights need not sum to one; they must be a 1-D sequence of finite non-negative numbers
    with a positive sum. For an imbalanced dataset give each sample the inverse frequency of its
    class, so every class is drawn about equally often. Without replacement there must be at least
    `num_samples` positive weights.

    Examples:
        >>> from jaring.data import WeightedRandomSampler
        >>> draws = list(WeightedRandomSampler([0.0, 1.0, 3.0], num_samples=1000, generator=0))
        >>> draws.count(0), 600 < draws.count(2) < 900
        (0, True)
        >>> sorted(WeightedRandomSampler([1, 1, 5], num_samples=3, replacement=False, generator=0))
        [0, 1, 2]
    """

    def __init__(
        self, weights: Any, num_samples: int, replacement: bool = True, generator: Any = None
    ) -> None:
        num_samples = _positive("num_samples", num_samples)
        if not isinstance(replacement, bool):
            raise ValueError(f"replacement should be a boolean value, but got replacement={replacement!r}")
        try:
            array = np.asarray(weights.data if isinstance(weights, Tensor) else weights, dtype=np.float64)
        except (TypeError, ValueError) as error:
            raise TypeError(
                f"WeightedRandomSampler: weights must be a 1-D sequence of numbers, got {weights!r:.80}"
            ) from error
        if array.ndim != 1:
            raise ValueError(
                f"weights should be a 1d sequence but given weights have shape {tuple(array.shape)}"
            )
        if not np.isfinite(array).all() or (array < 0).any():
            raise ValueError(
                "WeightedRandomSampler: weights must be finite and non-negative "
                f"(torch: invalid multinomial distribution), got {weights!r:.80}"
            )
        if array.sum() <= 0:
            raise ValueError("WeightedRandomSampler: the weights sum to 0; at least one must be positive")
        if not replacement and num_samples > np.count_nonzero(array):
            raise ValueError(
                f"WeightedRandomSampler: cannot draw num_samples={num_samples} without replacement from "
                f"{np.count_nonzero(array)} positive weights (of {array.size}); use replacement=True "
                "or a smaller num_samples"
            )
        self.weights = array
        self.num_samples = num_samples
        self.replacement = replacement
        self.generator = generator
        self._rng = _generator("WeightedRandomSampler", generator)
        self._p = array / array.sum()

    def _indices(self) -> np.ndarray:
        rng = get_rng() if self._rng is None else self._rng
        drawn = rng.choice(len(self._p), size=self.num_samples, replace=self.replacement, p=self._p)
        return drawn.astype(np.int64)

    def __iter__(self) -> Iterator[int]:
        return iter(self._indices().tolist())

    def __len__(self) -> int:
        return self.num_samples

    def __repr__(self) -> str:
        return (
            f"WeightedRandomSampler(size={len(self.weights)}, num_samples={self.num_samples}, "
            f"replacement={self.replacement})"
        )


class BatchSampler(Sampler):
    """Groups the indices of `sampler` (any iterable of indices) into lists of `batch_size`.

    The last, smaller list is kept unless `drop_last=True`.

    Examples:
        >>> from jaring.data import BatchSampler, SequentialSampler
        >>> list(BatchSampler(SequentialSampler(range(7)), batch_size=3, drop_last=False))
        [[0, 1, 2], [3, 4, 5], [6]]
        >>> len(BatchSampler(range(7), batch_size=3, drop_last=True))
        2
    """

    def __init__(self, sampler: Iterable[int], batch_size: int, drop_last: bool) -> None:
        batch_size = _positive("batch_size", batch_size)
        if not isinstance(drop_last, bool):
            raise ValueError(f"drop_last should be a boolean value, but got drop_last={drop_last!r}")
        if not hasattr(sampler, "__iter__"):
            raise TypeError(
                f"BatchSampler: sampler must be an iterable of indices, got {type(sampler).__name__}"
            )
        self.sampler = sampler
        self.batch_size = batch_size
        self.drop_last = drop_last

    def _index_arrays(self) -> Iterator[np.ndarray]:
        """The batches of one pass as int64 arrays, for a built-in sampler (one with `_indices`)."""
        order = self.sampler._indices()  # type: ignore[attr-defined]
        n = len(order)
        stop = n - n % self.batch_size if self.drop_last else n
        for start in range(0, stop, self.batch_size):
            yield order[start : start + self.batch_size]

    def __iter__(self) -> Iterator[list[int]]:
        batch: list[int] = []
        for index in self.sampler:
            batch.append(index)
            if len(batch) == self.batch_size:
                yield batch
                batch = []
        if batch and not self.drop_last:
            yield batch

    def __len__(self) -> int:
        n = len(self.sampler)  # type: ignore[arg-type]
        return n // self.batch_size if self.drop_last else -(-n // self.batch_size)

    def __repr__(self) -> str:
        inner = type(self.sampler).__name__
        return f"BatchSampler({inner}, batch_size={self.batch_size}, drop_last={self.drop_last})"
