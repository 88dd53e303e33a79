"""Tensor.size: NumPy's element count that also answers torch's `size()` and `size(dim)` calls.

NumPy code reads `x.size` as the number of elements; torch code calls `x.size()` for the shape
and `x.size(0)` for one dimension (`total += labels.size(0)` in every torch training loop). The
value is an int, so arithmetic, comparisons, indexing and JSON see the element count; calling it
gives torch's answers.
"""

from __future__ import annotations

import functools
import operator


class ElementCount(int):
    """The number of elements of a tensor of `shape`; call it for the shape or one dimension.

    Examples:
        >>> import jaring
        >>> x = jaring.zeros(2, 3)
        >>> x.size, x.size(), x.size(0), x.size(-1)
        (6, (2, 3), 2, 3)
    """

    shape: tuple

    def __new__(cls, shape: tuple) -> "ElementCount":
        count = 1
        for n in shape:
            count *= n
        value = super().__new__(cls, count)
        value.shape = tuple(shape)
        return value

    def __call__(self, dim: int | None = None) -> tuple | int:
        """torch's Tensor.size: the shape, or with `dim` (negative from the end) that dimension."""
        if dim is None:
            return self.shape
        index = operator.index(dim)
        ndim = len(self.shape)
        if not -ndim <= index < ndim:
            low, high = (-ndim, ndim - 1) if ndim else (-1, 0)
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{low}, {high}], but got {dim})"
            )
        return self.shape[index]

    def __repr__(self) -> str:
        return int.__repr__(self)

    __str__ = __repr__

    def __reduce__(self) -> tuple:  # copies and pickles as the plain count
        return (int, (int(self),))


@functools.lru_cache(maxsize=4096)
def element_count(shape: tuple) -> ElementCount:
    """The ElementCount of `shape`, made once per shape: Tensor.size is read in loops, and building
    an int subclass with an attribute takes about twenty times as long as the cache's lookup."""
    return ElementCount(shape)
