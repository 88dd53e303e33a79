"""Where indexing with arrays puts its dimensions: PyTorch's order, computed from NumPy's.

NumPy and PyTorch agree on every index but one kind: integers and index arrays together, where
the integers keep the arrays apart. PyTorch takes an integer as basic indexing (it selects and
drops that dimension first), NumPy as one more index array. So for x of shape (3, 4, 5),
x[1, :, [0, 2, 4]] has shape (4, 3) in PyTorch (the arrays' dimensions stay where the arrays
were) and (3, 4) in NumPy (they go first, as always when the arrays are not side by side).

jaring indexes the way PyTorch does: `getitem` and `setitem` index with NumPy, then move the
arrays' dimensions from the front to where PyTorch puts them, with `torch_permutation`.
"""

from __future__ import annotations

from typing import Any


def _is_integer(part: Any) -> bool:
    """An integer index: a Python or NumPy integer, or a 0-d integer array (PyTorch's too)."""
    if isinstance(part, bool):
        return False
    if isinstance(part, int):
        return True
    dtype = getattr(part, "dtype", None)
    return dtype is not None and dtype.kind in "iu" and part.ndim == 0


def _is_array(part: Any) -> bool:
    """An index array (integer or boolean) that is not an integer in disguise."""
    return hasattr(part, "dtype") and not _is_integer(part) and hasattr(part, "ndim")


def _is_truth(part: Any) -> bool:
    """A boolean scalar index (True, False, a 0-d boolean array)."""
    return isinstance(part, bool) or (
        getattr(part, "dtype", None) is not None and part.dtype.kind == "b" and part.ndim == 0
    )


def _side_by_side(positions: list) -> bool:
    return positions == list(range(positions[0], positions[-1] + 1))


def torch_permutation(parts: tuple, ndim: int) -> list | None:
    """The axes of NumPy's x[parts], in PyTorch's order, for `transpose`; None where they agree.

    parts: the index's entries as jaring passes them to NumPy (ints, slices, None, Ellipsis,
    integer and boolean arrays), for an x with `ndim` dimensions.
    """
    if not any(_is_integer(p) for p in parts) or any(_is_truth(p) for p in parts):
        return None  # a True/False index adds a dimension of its own: left in NumPy's order
    arrays = [i for i, p in enumerate(parts) if _is_array(p)]
    if not arrays:
        return None
    indexing = [i for i, p in enumerate(parts) if _is_array(p) or _is_integer(p)]
    # NumPy counts the integers among the arrays; PyTorch has dropped them before it looks.
    kept = [p for p in parts if not _is_integer(p)]
    kept_arrays = [i for i, p in enumerate(kept) if _is_array(p)]
    if _side_by_side(indexing) or not _side_by_side(kept_arrays):
        return None
    # the arrays' broadcast dimensions: a boolean mask gives one (its True count), like nonzero
    moved = max(1 if p.dtype.kind == "b" else p.ndim for p in kept if _is_array(p))
    used = sum(p.ndim if _is_array(p) and p.dtype.kind == "b" else 1 for p in parts if _consumes(p))
    rest = ndim - used  # the dimensions an Ellipsis stands for, or the unnamed trailing ones

    def basic(p: Any) -> int:  # result dimensions of one basic entry
        return rest if p is Ellipsis else 1 if p is None or isinstance(p, slice) else 0

    before = sum(basic(p) for p in kept[: kept_arrays[0]])
    total = moved + sum(basic(p) for p in kept) + (0 if any(p is Ellipsis for p in parts) else rest)
    return [*range(moved, moved + before), *range(moved), *range(moved + before, total)]


def _consumes(part: Any) -> bool:
    """Whether the entry uses up dimensions of x (None and Ellipsis do not, by themselves)."""
    return part is not None and part is not Ellipsis


def inverse(permutation: list) -> list:
    """The permutation that undoes `permutation`."""
    undo = [0] * len(permutation)
    for i, axis in enumerate(permutation):
        undo[axis] = i
    return undo
