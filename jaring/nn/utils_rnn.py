"""torch.nn.utils.rnn for jaring: pad variable-length sequences into one batch and back, or pack them.

    from jaring.nn.utils.rnn import pad_sequence
    batch = pad_sequence([a, b, c], batch_first=True)  # (3, longest, *features)

    packed = pack_padded_sequence(batch, lengths, batch_first=True, enforce_sorted=False)
    output, h_n = nn.GRU(8, 16, batch_first=True)(packed)  # output: a PackedSequence
    padded, lengths = pad_packed_sequence(output, batch_first=True)

Everything here is differentiable: each sequence gets the gradient of its own (unpadded) steps.
PackedSequence, pack_padded_sequence, pad_packed_sequence and invert_permutation live in
jaring/nn/utils_rnn_packed.py (its docstring explains the layout); pack_sequence and
unpack_sequence, which join them with pad_sequence and unpad_sequence, live here. torch-style
nn.RNN, nn.LSTM and nn.GRU take a PackedSequence and return one; the Keras-style layers take the
padded batch with a mask instead (LSTM(units)(x, mask=...)).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.nn.utils_rnn_packed import (
    PackedSequence,
    invert_permutation,
    pack_padded_sequence,
    pad_packed_sequence,
)
from jaring.ops.common import as_tensor
from jaring.ops.shape import pad, stack

__all__ = [
    "PackedSequence",
    "invert_permutation",
    "pack_padded_sequence",
    "pack_sequence",
    "pad_packed_sequence",
    "pad_sequence",
    "unpack_sequence",
    "unpad_sequence",
]


def _sequences(what: str, sequences: Any) -> list:
    if isinstance(sequences, Tensor):
        sequences = [sequences[i] for i in range(sequences.shape[0])] if sequences.ndim else [sequences]
    if not isinstance(sequences, (list, tuple)):
        raise TypeError(f"{what}: expected a list or tuple of Tensors, got {type(sequences).__name__}")
    if not sequences:
        raise RuntimeError(f"{what}: received an empty list of sequences")
    out = [as_tensor(s) for s in sequences]
    for s in out:
        if s.ndim == 0:
            raise ValueError(f"{what}: each sequence needs a time axis (shape (L, *)), got a 0-d tensor")
        if s.shape[1:] != out[0].shape[1:]:
            raise ValueError(
                f"{what}: every sequence must have the same trailing shape after its length, "
                f"got {out[0].shape[1:]} and {s.shape[1:]}"
            )
    return out


def pad_sequence(
    sequences: Any, batch_first: bool = False, padding_value: float = 0.0, padding_side: str = "right"
) -> Tensor:
    """Stack sequences of shapes (L_i, *) into (max L, B, *), or (B, max L, *) with batch_first,
    filling the missing steps with padding_value, after each sequence ("right") or before it ("left").

    Examples:
        >>> import jaring
        >>> from jaring.nn.utils.rnn import pad_sequence
        >>> a, b = jaring.tensor([1.0, 2.0, 3.0]), jaring.tensor([4.0])
        >>> pad_sequence([a, b], batch_first=True).tolist()
        [[1.0, 2.0, 3.0], [4.0, 0.0, 0.0]]
        >>> pad_sequence([a, b], batch_first=True, padding_value=-1, padding_side="left").tolist()
        [[1.0, 2.0, 3.0], [-1.0, -1.0, 4.0]]
    """
    if padding_side not in ("left", "right"):
        raise ValueError(
            f"pad_sequence: expected padding_side to be one of left or right, but got {padding_side!r}"
        )
    seqs = _sequences("pad_sequence", sequences)
    longest = max(s.shape[0] for s in seqs)
    padded = []
    for s in seqs:
        missing = longest - s.shape[0]
        steps = (0, missing) if padding_side == "right" else (missing, 0)
        padded.append(pad(s, [steps] + [(0, 0)] * (s.ndim - 1), value=padding_value) if missing else s)
    return stack(padded, axis=0 if batch_first else 1)


def unpad_sequence(padded_sequences: Any, lengths: Any, batch_first: bool = False) -> list:
    """The list of sequences pad_sequence made: sequence i is its first lengths[i] steps
    (right padding, as torch's unpad_sequence assumes).

    Examples:
        >>> import jaring
        >>> from jaring.nn.utils.rnn import pad_sequence, unpad_sequence
        >>> batch = pad_sequence([jaring.tensor([1.0, 2.0]), jaring.tensor([3.0])], batch_first=True)
        >>> [s.tolist() for s in unpad_sequence(batch, [2, 1], batch_first=True)]
        [[1.0, 2.0], [3.0]]
    """
    padded = as_tensor(padded_sequences)
    if padded.ndim < 2:
        raise ValueError(
            f"unpad_sequence: padded_sequences must be at least 2-d (time and batch), got {padded.shape}"
        )
    if isinstance(lengths, Tensor):
        lengths = lengths.numpy()
    lengths = np.asarray(lengths).reshape(-1)
    if lengths.dtype.kind not in "iu" and not (
        lengths.dtype.kind == "f" and (lengths == lengths.round()).all()
    ):
        raise TypeError(f"unpad_sequence: lengths must be whole numbers, got {lengths.tolist()!r}")
    time, batch = (padded.shape[1], padded.shape[0]) if batch_first else padded.shape[:2]
    if lengths.size != batch:
        raise ValueError(f"unpad_sequence: got {lengths.size} lengths for a batch of {batch} sequences")
    if lengths.size and (lengths.min() < 0 or lengths.max() > time):
        raise ValueError(f"unpad_sequence: lengths must lie in [0, {time}], got {lengths.tolist()}")
    if batch_first:
        return [padded[i, : int(n)] for i, n in enumerate(lengths)]
    return [padded[: int(n), i] for i, n in enumerate(lengths)]


def pack_sequence(sequences: Any, enforce_sorted: bool = True) -> PackedSequence:
    """Pack a list of sequences of shapes (L_i, *): pad_sequence, then pack_padded_sequence with
    their lengths (decreasing unless enforce_sorted=False).

    Examples:
        >>> import jaring
        >>> from jaring.nn.utils.rnn import pack_sequence
        >>> a, b, c = jaring.tensor([1, 2, 3]), jaring.tensor([4, 5]), jaring.tensor([6])
        >>> packed = pack_sequence([a, b, c])
        >>> packed.data.tolist(), packed.batch_sizes.tolist(), packed.sorted_indices
        ([1, 4, 6, 2, 5, 3], [3, 2, 1], None)
    """
    seqs = _sequences("pack_sequence", sequences)
    lengths = [s.shape[0] for s in seqs]
    return pack_padded_sequence(pad_sequence(seqs), lengths, enforce_sorted=enforce_sorted)


def unpack_sequence(packed_sequences: PackedSequence) -> list:
    """The list of sequences a PackedSequence holds, in their original order.

    Examples:
        >>> import jaring
        >>> from jaring.nn.utils.rnn import pack_sequence, unpack_sequence
        >>> packed = pack_sequence([jaring.tensor([1, 2]), jaring.tensor([3, 4, 5])], enforce_sorted=False)
        >>> [s.tolist() for s in unpack_sequence(packed)]
        [[1, 2], [3, 4, 5]]
    """
    padded, lengths = pad_packed_sequence(packed_sequences, batch_first=True)
    return unpad_sequence(padded, lengths, batch_first=True)
