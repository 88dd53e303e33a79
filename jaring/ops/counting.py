"""Counting, torch's way: count_nonzero and bincount (int64 results, no gradient)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis


def count_nonzero(x: Any, dim: Any = None) -> Tensor:
    """How many elements are not zero (int64): of every element, or over `dim` (an int or a
    tuple of ints), as torch.count_nonzero. Also `x.count_nonzero(...)`.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[0.0, 1.0, 2.0], [3.0, 0.0, 0.0]])
        >>> jaring.count_nonzero(x).item(), jaring.count_nonzero(x, dim=0).tolist()
        (3, [1, 1, 1])
    """
    x = as_tensor(x)
    axes = resolve_axis("count_nonzero", dim, x.ndim, many=True)
    nonzero = x.data != 0
    counts = nonzero.sum(axis=axes) if x.ndim else nonzero
    return Tensor._from_op(backend.array_module(x.data).asarray(counts, dtype=np.int64), None)


def bincount(x: Any, weights: Any = None, minlength: int = 0) -> Tensor:
    """How often each value 0, 1, ..., max(x) occurs in the 1-D non-negative integer tensor x
    (at least `minlength` bins); with `weights`, their sums instead of counts (torch.bincount).

    Examples:
        >>> import jaring
        >>> jaring.bincount(jaring.tensor([0, 2, 2, 3])).tolist()
        [1, 0, 2, 1]
        >>> jaring.bincount(jaring.tensor([1, 1]), weights=jaring.tensor([0.5, 2.0]), minlength=3).tolist()
        [0.0, 2.5, 0.0]
    """
    x = as_tensor(x)
    if x.ndim != 1 or x.dtype.kind not in "iu" or (x.size and int(x.data.min()) < 0):
        raise ValueError(
            f"bincount only supports 1-d non-negative integral inputs, got {x.dtype} of shape {x.shape}"
        )
    if isinstance(minlength, bool) or not isinstance(minlength, numbers.Integral) or minlength < 0:
        raise ValueError(f"bincount: minlength should be an int >= 0, got {minlength!r}")
    xp = backend.array_module(x.data)
    if weights is None or x.size == 0:  # torch's: no values, int64 zeros even with weights
        return Tensor._from_op(xp.bincount(x.data, minlength=minlength).astype(np.int64), None)
    weights = as_tensor(weights)
    if weights.shape != x.shape:
        raise ValueError(
            f"bincount: weights should be 1-d and have the same length as input, got shape "
            f"{weights.shape} for input of shape {x.shape}"
        )
    dtype = weights.dtype if weights.dtype.kind == "f" else np.float64
    sums = xp.bincount(x.data, weights=weights.data, minlength=minlength)
    return Tensor._from_op(sums.astype(dtype), None)
