"""Small torch functions built from the ops: is_floating_point, ravel, fliplr, flipud,
atleast_1d/2d/3d, nansum, nanmean, var_mean, std_mean, isin, triu_indices, tril_indices.

Each is the composition a person would write, so its gradient is the ops' own.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops import logic, rearrange, reduce, select, shape
from jaring.ops.common import as_tensor
from jaring.ops.reduce_options import cast_input, pick_correction


def is_floating_point(x: Any) -> bool:
    """Whether `x` holds floating-point numbers (float16, float32 or float64).

    Examples:
        >>> import jaring
        >>> jaring.is_floating_point(jaring.ones(2)), jaring.tensor([1]).is_floating_point()
        (True, False)
    """
    return as_tensor(x).dtype.kind == "f"


def ravel(x: Any) -> Tensor:
    """The elements of `x` as one dimension, in row-major order (torch.ravel)."""
    return shape.reshape(as_tensor(x), -1)


def fliplr(x: Any) -> Tensor:
    """`x` with its columns (dimension 1) in reverse order; needs at least 2 dimensions."""
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError("fliplr: Input must be >= 2-d.")
    return rearrange.flip(x, (1,))


def flipud(x: Any) -> Tensor:
    """`x` with its rows (dimension 0) in reverse order; needs at least 1 dimension."""
    x = as_tensor(x)
    if x.ndim < 1:
        raise ValueError("flipud: Input must be >= 1-d.")
    return rearrange.flip(x, (0,))


def _expanded(t: Tensor, ndim: int) -> Tensor:
    """torch's layouts: a scalar becomes (1,), (1, 1) or (1, 1, 1); a vector (1, n) or (1, n, 1);
    a matrix (m, n, 1)."""
    if t.ndim >= ndim:
        return t
    if t.ndim == 0:
        return shape.reshape(t, *(1,) * ndim)
    if t.ndim == 1:
        return shape.reshape(t, 1, t.shape[0]) if ndim == 2 else shape.reshape(t, 1, t.shape[0], 1)
    return shape.reshape(t, *t.shape, 1)


def _at_least(tensors: tuple, ndim: int) -> Any:
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    out = [_expanded(as_tensor(t), ndim) for t in tensors]
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*tensors: Any) -> Any:
    """Each tensor with at least one dimension (a scalar becomes shape (1,)), as torch."""
    return _at_least(tensors, 1)


def atleast_2d(*tensors: Any) -> Any:
    """Each tensor with at least two dimensions: a scalar (1, 1), a vector (1, n), as torch."""
    return _at_least(tensors, 2)


def atleast_3d(*tensors: Any) -> Any:
    """Each tensor with at least three dimensions: (1, 1, 1), (1, n, 1), (m, n, 1), as torch."""
    return _at_least(tensors, 3)


def nansum(x: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """The sum with NaNs counted as zero (their gradient is zero too); `dtype=` casts x first.

    Examples:
        >>> import jaring
        >>> jaring.nansum(jaring.tensor([1.0, float("nan"), 2.0])).item()
        3.0
    """
    x = cast_input(x, dtype)
    clean = select.where(logic.isnan(x), 0.0, x) if x.dtype.kind == "f" else x
    return reduce.sum(clean, dim=dim, keepdim=keepdim)


def nanmean(x: Any, dim: Any = None, keepdim: bool = False, *, dtype: Any = None) -> Tensor:
    """The mean of the non-NaN elements (NaN where a slice has none), as torch.nanmean; `dtype=`
    casts x first."""
    x = cast_input(x, dtype)
    if x.dtype.kind != "f":
        raise TypeError(f"nanmean(): expected input to have floating point dtype but got {x.dtype}")
    present = logic.logical_not(logic.isnan(x))
    count = reduce.sum(present.astype(x.dtype), dim=dim, keepdim=keepdim)
    empty = count == 0  # a slice of NaNs only: NaN, without dividing 0 by 0
    mean = nansum(x, dim, keepdim) / select.where(empty, 1.0, count)
    return select.where(empty, float("nan"), mean)


def var_mean(
    x: Any,
    dim: Any = None,
    *,
    correction: int | None = None,
    keepdim: bool = False,
    unbiased: bool | None = None,
) -> tuple[Tensor, Tensor]:
    """(variance, mean) over `dim`, as torch.var_mean; `unbiased=` is correction 1 or 0."""
    return _spread_and_mean("var_mean", reduce.var, x, dim, correction, keepdim, unbiased)


def std_mean(
    x: Any,
    dim: Any = None,
    *,
    correction: int | None = None,
    keepdim: bool = False,
    unbiased: bool | None = None,
) -> tuple[Tensor, Tensor]:
    """(standard deviation, mean) over `dim`, as torch.std_mean; `unbiased=` is correction 1 or 0."""
    return _spread_and_mean("std_mean", reduce.std, x, dim, correction, keepdim, unbiased)


def _spread_and_mean(
    name: str, spread: Any, x: Any, dim: Any, correction: Any, keepdim: bool, unbiased: Any
) -> tuple[Tensor, Tensor]:
    """(spread(x), mean(x)) over `dim` for var_mean and std_mean."""
    if isinstance(dim, bool):  # torch's var_mean(x, unbiased) spelled positionally
        dim, unbiased = None, dim
    correction = pick_correction(name, correction, unbiased)
    return (
        spread(x, dim=dim, correction=correction, keepdim=keepdim),
        reduce.mean(x, dim=dim, keepdim=keepdim),
    )


def isin(elements: Any, test_elements: Any, *, invert: bool = False) -> Tensor:
    """A boolean tensor: whether each of `elements` occurs in `test_elements` (no gradient)."""
    elements = as_tensor(elements)
    xp = backend.array_module(elements.data)
    tests = test_elements.data if isinstance(test_elements, Tensor) else xp.asarray(test_elements)
    return Tensor(xp.isin(elements.data, tests, invert=invert))


def _indices(row: int, col: int, offset: int, upper: bool) -> Tensor:
    for name, value in (("row", row), ("col", col), ("offset", offset)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
            raise TypeError(f"{'triu' if upper else 'tril'}_indices: {name} must be an int, got {value!r}")
    if row < 0 or col < 0:
        raise ValueError(
            f"row must be non-negative, got {row}" if row < 0 else f"col must be non-negative, got {col}"
        )
    rows, cols = (np.triu_indices if upper else np.tril_indices)(row, offset, col)
    return Tensor(np.stack([rows, cols]).astype(np.int64))


def triu_indices(row: int, col: int, offset: int = 0) -> Tensor:
    """The (2, N) int64 coordinates of a row x col matrix's upper triangle from diagonal `offset`.

    Examples:
        >>> import jaring
        >>> jaring.triu_indices(3, 3).tolist()
        [[0, 0, 0, 1, 1, 2], [0, 1, 2, 1, 2, 2]]
    """
    return _indices(row, col, offset, upper=True)


def tril_indices(row: int, col: int, offset: int = 0) -> Tensor:
    """The (2, N) int64 coordinates of a row x col matrix's lower triangle to diagonal `offset`."""
    return _indices(row, col, offset, upper=False)


METHODS = {"is_floating_point": is_floating_point, "ravel": ravel, "fliplr": fliplr, "flipud": flipud}
METHODS.update(nansum=nansum, nanmean=nanmean, isin=isin)
