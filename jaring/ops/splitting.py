"""tensor_split: cut a tensor into pieces along one dim, by a count of pieces or at given indices.

Each piece is a slice of the input (`getitem`), so gradients flow back to where it came from.
Unlike `split`, a count of n pieces is always honoured: the first `len % n` pieces are one longer.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.index import getitem


def _is_int(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _bounds(given: Any, length: int) -> list:
    """The (start, stop) of every piece: `given` is a count of pieces or a list of indices."""
    if _is_int(given):
        if given <= 0:
            raise ValueError(f"tensor_split: number of sections must be larger than 0, got {given}")
        size, longer = divmod(length, int(given))
        stops = np.cumsum([size + (i < longer) for i in range(int(given))]).tolist()
        return list(zip([0, *stops[:-1]], stops))
    indices = list(given)
    if not all(_is_int(i) for i in indices):
        raise TypeError(f"tensor_split: indices must be ints, got {given!r}")
    starts, stops = [0, *indices], [*indices, None]
    return [(int(s), None if e is None else int(e)) for s, e in zip(starts, stops)]


def _from_tensor(given: Tensor) -> Any:
    if given.dtype.kind not in "iu":
        raise TypeError(
            f"tensor_split expected tensor_indices_or_sections to have dtype of long, but got {given.dtype}"
        )
    if given.ndim > 1:
        raise ValueError(
            "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
            f"one-dimensional tensor, but got a tensor with {given.ndim} dims"
        )
    return int(given.item()) if given.ndim == 0 else [int(i) for i in given.tolist()]


def tensor_split(
    input: Any,
    indices_or_sections: Any = None,
    dim: int = 0,
    *,
    sections: Any = None,
    indices: Any = None,
    tensor_indices_or_sections: Any = None,
) -> tuple:
    """The pieces of `input` along `dim` (a tuple of slices), as torch.tensor_split: an int n
    cuts n pieces as even as can be (the first ones one longer); a list of indices cuts before
    each, as Python slices would; a 0-d or 1-D int tensor is read as one or the other.
    Also `x.tensor_split(...)`.

    Examples:
        >>> import jaring
        >>> [p.tolist() for p in jaring.tensor_split(jaring.arange(7), 3)]
        [[0, 1, 2], [3, 4], [5, 6]]
        >>> [p.tolist() for p in jaring.tensor_split(jaring.arange(7), [1, 5])]
        [[0], [1, 2, 3, 4], [5, 6]]
    """
    x = as_tensor(input)
    given = [g for g in (indices_or_sections, sections, indices, tensor_indices_or_sections) if g is not None]
    if len(given) != 1:
        raise TypeError(
            "tensor_split: pass exactly one of indices_or_sections, sections, indices and "
            "tensor_indices_or_sections"
        )
    (given,) = given
    if isinstance(given, Tensor):
        given = _from_tensor(given)
    elif not _is_int(given) and not isinstance(given, (list, tuple)):
        raise TypeError(
            f"tensor_split: indices_or_sections must be an int, a list of ints or a tensor, got {given!r}"
        )
    if x.ndim == 0:
        raise ValueError(
            "tensor_split expected at least a 1-dimensional tensor, but got a tensor with 0 dims"
        )
    axis = resolve_axis("tensor_split", dim, x.ndim, name="dim")
    lead = (slice(None),) * axis
    return tuple(getitem(x, lead + (slice(s, e),)) for s, e in _bounds(given, x.shape[axis]))
