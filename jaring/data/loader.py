"""DataLoader: iterate over a dataset in (optionally shuffled) mini-batches of jaring Tensors.

It takes torch.utils.data.DataLoader's arguments (sampler, batch_sampler, collate_fn, generator,
batch_size=None, and the worker options, loading in the calling process) with torch's rules for
combining them. Shuffling draws a fresh permutation every epoch from one generator made from
`generator` (alias `seed`), so a seeded run sees the same sequence of epochs each time. Datasets
with a vectorised `get_batch` (TensorDataset, MNIST, Subset and ConcatDataset of them) are
gathered with one fancy index per array whenever no collate_fn is given.
"""

from __future__ import annotations

import itertools
import multiprocessing
import numbers
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.data.collate import default_convert
from jaring.data.dataset import collate
from jaring.data.iterable import IterableDataset
from jaring.data.sampler import BatchSampler, RandomSampler, SequentialSampler
from jaring.random import get_rng
from jaring.validation import check_bool

# A batch_sampler decides the batches; batch_size left at jaring's default (32) or torch's (1) is "unset".
_UNSET_BATCH_SIZES = (32, 1)


def _to_tensor(value: Any) -> Any:
    """Arrays become Tensors (integers as int64, raw uint8 image bytes kept); strings stay lists."""
    if isinstance(value, (Tensor, list)):
        return value
    if not hasattr(value, "dtype"):
        value = np.asarray(value)
    if value.dtype.kind in "iu" and value.dtype != np.uint8 and value.dtype != np.int64:
        value = value.astype(np.int64)
    return Tensor._from_op(value, None)


def _seed(name: str, value: Any) -> np.random.Generator | None:
    if value is None:
        return None
    try:
        return get_rng(value)
    except (TypeError, ValueError) as error:
        expected = "an int seed >= 0, a numpy or jaring Generator or None"
        message = f"DataLoader: {name} must be {expected}, got {value!r:.80}"
        raise type(error)(message) from None


def _length(sized: Any) -> Any:
    try:
        return len(sized)
    except TypeError:  # a stream without a length
        return "?"


def _check_callable(name: str, value: Any, what: str) -> None:
    if value is not None and not callable(value):
        raise TypeError(f"DataLoader: {name} must be a function of {what} or None, got {value!r:.80}")


def _check_process_options(
    num_workers: int, timeout: Any, worker_init_fn: Any, context: Any, prefetch_factor: Any, pin_device: Any
) -> int | None:
    """torch's checks of the worker-process options; returns prefetch_factor (2 with workers, as torch)."""
    if isinstance(timeout, bool) or not isinstance(timeout, numbers.Real):
        raise TypeError(f"DataLoader: timeout must be a number of seconds >= 0, got {timeout!r:.80}")
    if timeout < 0:
        raise ValueError("timeout option should be non-negative")
    _check_callable("worker_init_fn", worker_init_fn, "the worker id")
    if context is not None:
        if num_workers == 0:
            raise ValueError(
                "multiprocessing_context can only be used with multi-process loading "
                f"(num_workers > 0), but got num_workers={num_workers}"
            )
        if isinstance(context, str):
            methods = multiprocessing.get_all_start_methods()
            if context not in methods:
                raise ValueError(
                    "multiprocessing_context option should specify a valid start method in "
                    f"{methods!r}, but got multiprocessing_context={context!r}"
                )
        elif not isinstance(context, multiprocessing.context.BaseContext):
            raise TypeError(
                "multiprocessing_context option should be a valid context object or a string "
                f"specifying the start method, but got multiprocessing_context={context!r:.80}"
            )
    if prefetch_factor is not None:
        if num_workers == 0:
            raise ValueError(
                "prefetch_factor option could only be specified in multiprocessing."
                "let num_workers > 0 to enable multiprocessing, otherwise set prefetch_factor to None."
            )
        if isinstance(prefetch_factor, bool) or not isinstance(prefetch_factor, numbers.Integral):
            raise TypeError(
                f"DataLoader: prefetch_factor must be an integer >= 0, got {prefetch_factor!r:.80}"
            )
        if prefetch_factor < 0:
            raise ValueError("prefetch_factor option should be non-negative")
    if not isinstance(pin_device, str):
        raise TypeError(
            f"DataLoader: pin_memory_device must be a string such as 'cuda', got {pin_device!r:.80}"
        )
    return 2 if prefetch_factor is None and num_workers > 0 else prefetch_factor


class DataLoader:
    """Mini-batches over `dataset`: `for x, y in DataLoader(ds, batch_size=64, shuffle=True, seed=0)`.

    The last, smaller batch is kept unless `drop_last=True`. Without `collate_fn` each batch is a
    tuple of Tensors (a single Tensor when items are not tuples); integer fields such as labels
    come out as int64, uint8 images stay uint8 (convert them with a transform). With `collate_fn`
    the batch is whatever it returns for the list of samples (`default_collate` gives torch's
    structure). `transform`, when given, is applied to the input field (the first) of each whole
    batch, so it should accept a batch.

    As in torch: `sampler=` (an iterable of indices) replaces `shuffle`; `batch_sampler=` (an
    iterable of lists of indices) replaces `batch_size` (left at jaring's 32 or torch's 1),
    `shuffle`, `sampler` and `drop_last`;
    `batch_size=None` turns batching off and yields single samples (NumPy arrays made Tensors,
    or `collate_fn(sample)`); an IterableDataset is read in order and cut into batches.
    `generator=` (or its alias `seed=`, not both) is an int seed, a jaring or NumPy Generator for
    `shuffle=True`; without one the global generator is used, so `jaring.manual_seed` counts.

    torch's worker-process options (`num_workers`, `pin_memory`, `persistent_workers`,
    `prefetch_factor`, `timeout`, `worker_init_fn`, `multiprocessing_context`,
    `pin_memory_device`, `in_order`) are accepted so code written for torch runs unchanged, and
    checked as torch checks them (num_workers < 0, or prefetch_factor or multiprocessing_context
    without workers, is a ValueError), but jaring always loads in the calling process: the
    batches are the same, in the same order, as torch's with num_workers=0 (workers only overlap
    loading with training; in-memory datasets are gathered with vectorised indexing that workers
    would rarely speed up; refusing `num_workers=4` would break nearly every ported tutorial).
    With no worker started, `worker_init_fn` is never called, as in torch with num_workers=0, and
    get_worker_info() is None. There is no device memory to pin on the CPU, so `pin_memory`
    changes nothing, and `timeout` has no worker to wait for.

    Examples:
        >>> import numpy as np
        >>> from jaring.data import DataLoader, TensorDataset, WeightedRandomSampler
        >>> data = TensorDataset(np.arange(10, dtype=np.float32).reshape(5, 2), np.arange(5))
        >>> loader = DataLoader(data, batch_size=2, shuffle=True, generator=0)
        >>> [labels.tolist() for _, labels in loader] == [labels.tolist() for _, labels in loader]
        False
        >>> len(loader), [len(y) for _, y in DataLoader(data, batch_size=2)]
        (3, [2, 2, 1])
        >>> sampler = WeightedRandomSampler([0, 0, 0, 1, 1], num_samples=4, generator=0)
        >>> sorted(set(sum((y.tolist() for _, y in DataLoader(data, batch_size=2, sampler=sampler)), [])))
        [3, 4]
        >>> [y.tolist() for _, y in DataLoader(data, batch_sampler=[[4, 0], [2]])]
        [[4, 0], [2]]
    """

    def __init__(
        self,
        dataset: Any,
        batch_size: int | None = 32,
        shuffle: bool | None = False,
        sampler: Iterable[Any] | None = None,
        batch_sampler: Iterable[Any] | None = None,
        num_workers: int = 0,
        collate_fn: Callable[[Any], Any] | None = None,
        pin_memory: bool = False,
        drop_last: bool = False,
        timeout: float = 0,
        worker_init_fn: Callable[[int], Any] | None = None,
        multiprocessing_context: Any = None,
        generator: Any = None,
        *,
        seed: Any = None,
        transform: Callable[[Any], Any] | None = None,
        prefetch_factor: int | None = None,
        persistent_workers: bool = False,
        pin_memory_device: str = "",
        in_order: bool = True,
    ) -> None:
        if batch_size is not None and (
            isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1
        ):
            raise ValueError(f"DataLoader: batch_size must be a positive integer or None, got {batch_size!r}")
        shuffle = False if shuffle is None else check_bool("DataLoader", "shuffle", shuffle)
        drop_last = check_bool("DataLoader", "drop_last", drop_last)
        self._check_workers(num_workers, pin_memory, persistent_workers)
        prefetch_factor = _check_process_options(
            num_workers, timeout, worker_init_fn, multiprocessing_context, prefetch_factor, pin_memory_device
        )
        in_order = check_bool("DataLoader", "in_order", in_order)
        _check_callable("collate_fn", collate_fn, "a list of samples")
        _check_callable("transform", transform, "a batch")
        if generator is not None and seed is not None:
            raise TypeError(
                "DataLoader: pass the shuffle seed as generator= or as seed= (its alias), not both"
            )
        rng = _seed("generator", generator) if seed is None else _seed("seed", seed)
        iterable = isinstance(dataset, IterableDataset)
        if iterable:
            for name, value in (("shuffle", shuffle), ("sampler", sampler), ("batch_sampler", batch_sampler)):
                if value not in (None, False):
                    raise ValueError(
                        "DataLoader with IterableDataset: expected unspecified "
                        f"{name} option, but got {name}={value!r:.80}"
                    )
        else:
            self._check_dataset(dataset, needs_len=sampler is None and batch_sampler is None)
        for name, value in (("sampler", sampler), ("batch_sampler", batch_sampler)):
            if value is not None and not hasattr(value, "__iter__"):
                raise TypeError(
                    f"DataLoader: {name} must be an iterable (a Sampler), got {type(value).__name__}"
                )
        if sampler is not None and shuffle:
            raise ValueError("sampler option is mutually exclusive with shuffle")
        if batch_sampler is not None:
            if batch_size not in _UNSET_BATCH_SIZES or shuffle or sampler is not None or drop_last:
                raise ValueError(
                    "batch_sampler option is mutually exclusive with "
                    "batch_size, shuffle, sampler, and drop_last"
                )
            batch_size, drop_last = None, False
        elif batch_size is None and drop_last:
            raise ValueError(
                "batch_size=None option disables auto-batching and is mutually exclusive with drop_last"
            )
        if sampler is None and not iterable:
            sampler = RandomSampler(dataset, generator=rng) if shuffle else SequentialSampler(dataset)
        if batch_size is not None and batch_sampler is None and not iterable:
            batch_sampler = BatchSampler(sampler, int(batch_size), drop_last)
        self.dataset = dataset
        self.batch_size = None if batch_size is None else int(batch_size)
        self.shuffle, self.drop_last = shuffle, drop_last
        self.sampler, self.batch_sampler = sampler, batch_sampler
        self.collate_fn, self.transform = collate_fn, transform
        self.num_workers, self.pin_memory = int(num_workers), bool(pin_memory)
        self.persistent_workers = bool(persistent_workers)
        self.timeout, self.worker_init_fn = timeout, worker_init_fn
        self.multiprocessing_context, self.prefetch_factor = multiprocessing_context, prefetch_factor
        self.pin_memory_device, self.in_order = pin_memory_device, in_order
        self.generator = generator if seed is None else seed
        # The generator the order is drawn from, if a fixed one (fit saves it in checkpoints);
        # without a seed the global generator is looked up per epoch, so a later manual_seed counts.
        drawn_from = getattr(getattr(batch_sampler, "sampler", sampler), "_rng", None)
        self._rng = drawn_from if isinstance(drawn_from, np.random.Generator) else rng

    @staticmethod
    def _check_workers(num_workers: Any, pin_memory: Any, persistent_workers: Any) -> None:
        if isinstance(num_workers, bool) or not isinstance(num_workers, numbers.Integral):
            raise TypeError(f"DataLoader: num_workers must be an integer >= 0, got {num_workers!r:.80}")
        if num_workers < 0:
            raise ValueError(
                "num_workers option should be non-negative; use num_workers=0 to disable multiprocessing."
            )
        check_bool("DataLoader", "pin_memory", pin_memory)
        if check_bool("DataLoader", "persistent_workers", persistent_workers) and num_workers == 0:
            raise ValueError("persistent_workers option needs num_workers > 0")

    @staticmethod
    def _check_dataset(dataset: Any, needs_len: bool) -> None:
        if not hasattr(dataset, "__getitem__") or (needs_len and not hasattr(dataset, "__len__")):
            raise TypeError(
                f"DataLoader needs a dataset with __len__ and __getitem__ (or an IterableDataset), "
                f"got {type(dataset).__name__}"
            )
        if hasattr(dataset, "__len__") and len(dataset) == 0:
            raise ValueError("DataLoader: the dataset is empty")

    def __len__(self) -> int:
        if isinstance(self.dataset, IterableDataset):
            n = len(self.dataset)  # TypeError for a stream without __len__, as in torch
            if self.batch_size is None:
                return n
            return n // self.batch_size if self.drop_last else -(-n // self.batch_size)
        return len(self.batch_sampler if self.batch_sampler is not None else self.sampler)

    def _transformed(self, batch: Any) -> Any:
        if self.transform is None:
            return batch
        if isinstance(batch, tuple):
            return (self.transform(batch[0]),) + batch[1:]
        if isinstance(batch, list) and batch:
            return [self.transform(batch[0]), *batch[1:]]
        return self.transform(batch)

    def _finish(self, batch: Any) -> Any:
        """A batch from jaring's own collation: transform the inputs, then make Tensors of the fields."""
        batch = self._transformed(batch)
        if isinstance(batch, tuple):
            return tuple(_to_tensor(b) for b in batch)
        return _to_tensor(batch)

    def _batch_of(self, samples: list[Any]) -> Any:
        if self.collate_fn is not None:
            return self._transformed(self.collate_fn(samples))
        return self._finish(collate(samples))

    def _single(self, sample: Any) -> Any:
        return self._transformed(
            default_convert(sample) if self.collate_fn is None else self.collate_fn(sample)
        )

    def _gather(self, indices: Any) -> Any:
        if self.collate_fn is None and hasattr(self.dataset, "get_batch"):
            array = np.asarray(indices)
            if array.ndim == 1 and array.dtype.kind in "iu":
                return self._finish(self.dataset.get_batch(array))
        return self._batch_of([self.dataset[i] for i in indices])

    def _iter_stream(self) -> Iterator[Any]:
        stream = iter(self.dataset)
        if self.batch_size is None:
            for sample in stream:
                yield self._single(sample)
            return
        while samples := list(itertools.islice(stream, self.batch_size)):
            if self.drop_last and len(samples) < self.batch_size:
                return
            yield self._batch_of(samples)

    def __iter__(self) -> Iterator[Any]:
        if isinstance(self.dataset, IterableDataset):
            yield from self._iter_stream()
        elif self.batch_sampler is None:
            for index in self.sampler:
                yield self._single(self.dataset[index])
        elif (
            self.collate_fn is None
            and hasattr(self.dataset, "get_batch")
            and isinstance(self.batch_sampler, BatchSampler)
            and hasattr(self.batch_sampler.sampler, "_indices")
        ):  # the fast path: a whole pass's order as one array, sliced into batches
            for indices in self.batch_sampler._index_arrays():
                yield self._finish(self.dataset.get_batch(indices))
        else:
            for indices in self.batch_sampler:
                yield self._gather(indices)

    def __repr__(self) -> str:
        size = _length(self.dataset)
        order = type(self.sampler).__name__ if self.sampler is not None else "stream"
        if self.batch_sampler is not None and not isinstance(self.batch_sampler, BatchSampler):
            order = type(self.batch_sampler).__name__
        batches = _length(self)
        return (
            f"DataLoader({type(self.dataset).__name__}, size={size}, batch_size={self.batch_size}, "
            f"shuffle={self.shuffle}, drop_last={self.drop_last}, sampler={order}, batches={batches})"
        )
