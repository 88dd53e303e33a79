"""torch's PackedSequence: a batch of variable-length sequences stored step by step, without padding,
and the two functions that pack a padded batch into one and pad it back.

    packed = pack_padded_sequence(x, lengths, batch_first=True, enforce_sorted=False)
    output, (h_n, c_n) = nn.LSTM(8, 16, batch_first=True)(packed)  # output is a PackedSequence
    padded, lengths = pad_packed_sequence(output, batch_first=True)

The layout is torch's. The sequences are ranked by decreasing length; `data` holds step 0 of every
sequence, then step 1 of those at least 2 long, and so on; batch_sizes[t] counts the sequences with
a step t. sorted_indices[j] is the batch position of the j-th longest sequence (None when the batch
came sorted), unsorted_indices its inverse. Packing and padding are one indexing op each, so every
real step gets its gradient back. Ties in length keep their batch order (a stable sort; torch's
sort may order ties otherwise in batches of 20 or more).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.shape import concat

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_like",
    "pack_padded_sequence",
    "pad_packed_sequence",
    "step_mask",
]


class _Fields(NamedTuple):
    data: Tensor
    batch_sizes: Tensor
    sorted_indices: Tensor | None
    unsorted_indices: Tensor | None


def _host(values: Any) -> np.ndarray:
    """A Tensor's or list's values as a NumPy array."""
    return backend.to_numpy(values.data) if isinstance(values, Tensor) else np.asarray(values)


def _like(values: np.ndarray, tensor: Tensor) -> Tensor:
    """An int64 index Tensor on `tensor`'s device."""
    return Tensor(backend.array_module(tensor.data).asarray(values.astype(np.int64)))


class PackedSequence(_Fields):
    """torch.nn.utils.rnn.PackedSequence: the named tuple (data, batch_sizes, sorted_indices,
    unsorted_indices) that pack_padded_sequence and pack_sequence make and nn.RNN, nn.LSTM and
    nn.GRU take and return.

    data (sum of lengths, *) holds the steps; batch_sizes (an int64 CPU Tensor) how many sequences
    have each step; sorted_indices and unsorted_indices (int64, on data's device, or None) the
    order the sequences were sorted in and its inverse. Built by hand, PackedSequence(data,
    batch_sizes, sorted_indices) fills in unsorted_indices, as torch's does.

    Examples:
        >>> import jaring
        >>> from jaring.nn.utils.rnn import pack_sequence
        >>> a, b = jaring.tensor([1.0, 2.0, 3.0]), jaring.tensor([4.0])
        >>> packed = pack_sequence([b, a], enforce_sorted=False)
        >>> packed.data.tolist(), packed.batch_sizes.tolist(), packed.sorted_indices.tolist()
        ([1.0, 4.0, 2.0, 3.0], [2, 1, 1], [1, 0])
    """

    __slots__ = ()

    def __new__(
        cls, data: Any, batch_sizes: Any = None, sorted_indices: Any = None, unsorted_indices: Any = None
    ) -> PackedSequence:
        if batch_sizes is None:
            if not (isinstance(data, (list, tuple)) and len(data) == 2):
                raise TypeError(
                    "PackedSequence: give data and batch_sizes, or the pair (data, batch_sizes) as data"
                )
            data, batch_sizes = data
        data = as_tensor(data)
        if isinstance(batch_sizes, Tensor) and backend.is_cupy_array(batch_sizes.data):
            raise ValueError(
                "batch_sizes should always be on CPU. Instances of PackedSequence should never be created "
                "manually. They should be instantiated by functions like pack_sequence and "
                "pack_padded_sequences in nn.utils.rnn."
            )
        if not isinstance(batch_sizes, Tensor):
            batch_sizes = Tensor(np.asarray(batch_sizes, dtype=np.int64))
        if data.ndim == 0 or batch_sizes.ndim != 1 or int(_host(batch_sizes).sum()) != data.shape[0]:
            raise ValueError(
                f"PackedSequence: batch_sizes must be 1-d and sum to data's first size {data.shape[:1]}, "
                f"got batch_sizes {_host(batch_sizes).tolist()}"
            )
        if unsorted_indices is None:
            unsorted_indices = invert_permutation(sorted_indices)
        return super().__new__(cls, data, batch_sizes, sorted_indices, unsorted_indices)

    def to(self, *args: Any, **kwargs: Any) -> PackedSequence:
        """data.to(*args, **kwargs), the indices following it to its device; batch_sizes stays on
        the CPU. self when data needs no change (torch's)."""
        data = self.data.to(*args, **kwargs)
        if data is self.data:
            return self
        moved = [None if t is None else t.to(data.device) for t in self[2:]]
        return type(self)(data, self.batch_sizes, *moved)

    def cpu(self) -> PackedSequence:
        """The sequence with data on the CPU."""
        return self.to("cpu")

    def cuda(self, device: Any = None) -> PackedSequence:
        """The sequence with data on the GPU (CuPy)."""
        return self.to("cuda" if device is None else device)

    def float(self) -> PackedSequence:
        """The sequence with float32 data."""
        return self.to(dtype=np.float32)

    def double(self) -> PackedSequence:
        """The sequence with float64 data."""
        return self.to(dtype=np.float64)

    def half(self) -> PackedSequence:
        """The sequence with float16 data."""
        return self.to(dtype=np.float16)

    def long(self) -> PackedSequence:
        """The sequence with int64 data."""
        return self.to(dtype=np.int64)

    def int(self) -> PackedSequence:
        """The sequence with int32 data."""
        return self.to(dtype=np.int32)

    @property
    def is_cuda(self) -> bool:
        """Whether data lives on the GPU."""
        return backend.is_cupy_array(self.data.data)


def invert_permutation(permutation: Any) -> Tensor | None:
    """The inverse of a permutation (None for None): out[permutation[i]] = i, on its device.

    Examples:
        >>> import jaring
        >>> from jaring.nn.utils.rnn import invert_permutation
        >>> invert_permutation(jaring.tensor([2, 0, 1])).tolist()
        [1, 2, 0]
    """
    if permutation is None:
        return None
    permutation = as_tensor(permutation)
    order = _host(permutation).astype(np.int64).reshape(-1)
    inverse = np.empty_like(order)
    inverse[order] = np.arange(order.size)
    return _like(inverse, permutation)


def _lengths(
    what: str, lengths: Any, batch: int, time: int, time_axis: int, enforce_sorted: bool
) -> np.ndarray:
    """lengths checked as torch checks them (and against the input's length), as int64."""
    if isinstance(lengths, Tensor) and backend.is_cupy_array(lengths.data):
        raise RuntimeError(
            f"{what}: 'lengths' argument should be a 1D CPU int64 tensor, but got {lengths.ndim}D cuda "
            "tensor (call lengths.cpu())"
        )
    values = _host(lengths)
    if values.ndim != 1:
        raise RuntimeError(
            f"{what}: 'lengths' argument should be a 1D CPU int64 tensor or a list, but got shape "
            f"{values.shape}"
        )
    if values.dtype.kind not in "iuf" or (values.dtype.kind == "f" and (values != values.round()).any()):
        raise TypeError(f"{what}: lengths must be whole numbers, got {values.tolist()!r}")
    values = values.astype(np.int64)
    if values.size != batch:
        raise RuntimeError(
            f"{what}: Expected `len(lengths)` to be equal to batch_size, but got {values.size} "
            f"(batch_size={batch})"
        )
    if enforce_sorted and (np.diff(values) > 0).any():
        raise RuntimeError(
            f"{what}: `lengths` array must be sorted in decreasing order when `enforce_sorted` is True. "
            "You can pass `enforce_sorted=False` to pack_padded_sequence and/or pack_sequence to sidestep "
            "this requirement if you do not need ONNX exportability."
        )
    if values.min() <= 0:
        raise RuntimeError(
            f"{what}: Length of all samples has to be greater than 0, but found an element in 'lengths' "
            f"that is <= 0: {values.tolist()}"
        )
    if values.max() > time:
        raise RuntimeError(
            f"{what}: lengths must be at most the input's {time} time steps (its axis {time_axis}; "
            f"check batch_first), got {values.tolist()}"
        )
    return values


def _positions(batch_sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(time step, rank among the sequences sorted by length) of every row of a packed data."""
    steps = np.repeat(np.arange(batch_sizes.size), batch_sizes)
    starts = np.cumsum(batch_sizes) - batch_sizes
    return steps, np.arange(steps.size) - np.repeat(starts, batch_sizes)


def pack_padded_sequence(
    input: Any, lengths: Any, batch_first: bool = False, enforce_sorted: bool = True
) -> PackedSequence:
    """Pack a padded batch (T, B, *), or (B, T, *) with batch_first, whose sequence b is its first
    lengths[b] steps: a PackedSequence for nn.RNN, nn.LSTM and nn.GRU.

    lengths: a list or a CPU integer tensor, one positive length per sequence, at most T;
    decreasing unless enforce_sorted=False, which sorts the sequences and records the order.

    Examples:
        >>> import jaring
        >>> from jaring.nn.utils.rnn import pack_padded_sequence
        >>> x = jaring.tensor([[1, 2, 0], [3, 0, 0], [4, 5, 6]])
        >>> packed = pack_padded_sequence(x, [2, 1, 3], batch_first=True, enforce_sorted=False)
        >>> packed.data.tolist(), packed.batch_sizes.tolist()
        ([4, 1, 3, 5, 2, 6], [3, 2, 1])
        >>> packed.sorted_indices.tolist(), packed.unsorted_indices.tolist()
        ([2, 0, 1], [1, 2, 0])
    """
    what = "pack_padded_sequence"
    x = as_tensor(input)
    if x.ndim < 2:
        raise ValueError(f"{what}: input must be at least 2-d (time and batch), got shape {x.shape}")
    time, batch = (x.shape[1], x.shape[0]) if batch_first else x.shape[:2]
    if time == 0 or batch == 0:
        raise RuntimeError(f"{what}: Cannot pack empty tensors (input shape {x.shape}).")
    n = _lengths(what, lengths, batch, time, int(batch_first), enforce_sorted)
    order = np.arange(batch) if enforce_sorted else np.argsort(-n, kind="stable")
    batch_sizes = (n[order][None, :] > np.arange(n.max())[:, None]).sum(axis=1)
    steps, ranks = _positions(batch_sizes)
    rows = order[ranks]
    data = x[rows, steps] if batch_first else x[steps, rows]
    sorted_indices = None if enforce_sorted else _like(order, x)
    return PackedSequence(data, Tensor(batch_sizes.astype(np.int64)), sorted_indices, None)


def pad_packed_sequence(
    sequence: PackedSequence, batch_first: bool = False, padding_value: float = 0.0, total_length: Any = None
) -> tuple[Tensor, Tensor]:
    """Undo pack_padded_sequence: (the padded batch (T, B, *), or (B, T, *) with batch_first, in the
    original batch order, the lengths as an int64 tensor). T is the longest length, or total_length.

    Examples:
        >>> import jaring
        >>> from jaring.nn.utils.rnn import pack_sequence, pad_packed_sequence
        >>> packed = pack_sequence([jaring.tensor([1.0]), jaring.tensor([2.0, 3.0])], enforce_sorted=False)
        >>> padded, lengths = pad_packed_sequence(packed, batch_first=True, padding_value=-1.0)
        >>> padded.tolist(), lengths.tolist()
        ([[1.0, -1.0], [2.0, 3.0]], [1, 2])
    """
    if not isinstance(sequence, PackedSequence):
        raise TypeError(
            f"pad_packed_sequence: expected a PackedSequence (from pack_padded_sequence or "
            f"pack_sequence), got {type(sequence).__name__}"
        )
    longest = int(sequence.batch_sizes.shape[0])
    if total_length is not None:
        if total_length < longest:
            raise ValueError(
                "Expected total_length to be at least the length of the longest sequence in input, but got "
                f"total_length={total_length} and max sequence length being {longest}"
            )
        longest = int(total_length)
    steps, rows = _layout(sequence)
    data, batch = sequence.data, int(_host(sequence.batch_sizes)[0])
    index = np.full((longest, batch), steps.size)  # the padding row's index where no step is
    index[steps, rows] = np.arange(steps.size)
    xp = backend.array_module(data.data)
    fill = Tensor(xp.full((1, *data.shape[1:]), padding_value, dtype=data.dtype))
    padded = concat([data, fill])[index.T if batch_first else index]
    return padded, Tensor(np.bincount(rows, minlength=batch).astype(np.int64))


def _layout(sequence: PackedSequence) -> tuple[np.ndarray, np.ndarray]:
    """(time step, original batch position) of every row of sequence.data."""
    steps, ranks = _positions(_host(sequence.batch_sizes).astype(np.int64))
    unsorted = sequence.unsorted_indices
    return steps, (ranks if unsorted is None else np.argsort(_host(unsorted))[ranks])


def step_mask(sequence: PackedSequence) -> np.ndarray:
    """(B, T) booleans, true where sequence b (in the original order) has step t: the mask the
    recurrent ops take to run a PackedSequence padded out."""
    steps, rows = _layout(sequence)
    mask = np.zeros((int(_host(sequence.batch_sizes)[0]), int(sequence.batch_sizes.shape[0])), bool)
    mask[rows, steps] = True
    return mask


def pack_like(padded: Any, like: PackedSequence, batch_first: bool = False) -> PackedSequence:
    """Pack a padded batch (T, B, *), or (B, T, *) with batch_first, in the original order, in the
    layout of `like` (its lengths, batch_sizes and indices): how nn.RNN, nn.LSTM and nn.GRU pack
    their output for a packed input."""
    steps, rows = _layout(like)
    padded = as_tensor(padded)
    data = padded[rows, steps] if batch_first else padded[steps, rows]
    return PackedSequence(data, like.batch_sizes, like.sorted_indices, like.unsorted_indices)
