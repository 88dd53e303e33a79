"""unique_consecutive: each run of equal neighbours collapsed to one value (or one slice along a
dim), with, on request, the inverse (which run each element is in) and the run lengths.

It counts and carries no gradient, as torch's.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis


def _run_starts(xp: Any, lines: Any) -> Any:
    """Whether each of the rows of the 2-D `lines` differs from the row before (the first does)."""
    changed = (lines[1:] != lines[:-1]).any(axis=1)
    return xp.concatenate([xp.ones(min(lines.shape[0], 1), dtype=bool), changed])


def unique_consecutive(
    input: Any, return_inverse: bool = False, return_counts: bool = False, dim: Any = None
) -> Any:
    """The values with every run of equal consecutive elements (or, with `dim`, of equal
    consecutive slices along it) kept once, as torch.unique_consecutive; with the inverse (int64,
    the run of each element: input's shape, or the dim's length) and the counts on request.
    Also `x.unique_consecutive(...)`.

    Examples:
        >>> import jaring
        >>> values, counts = jaring.unique_consecutive(jaring.tensor([1, 1, 2, 2, 1]), return_counts=True)
        >>> values.tolist(), counts.tolist()
        ([1, 2, 1], [2, 2, 1])
    """
    x = as_tensor(input)
    xp = backend.array_module(x.data)
    if dim is None:
        axis, data = 0, x.data.reshape(-1)
    else:
        axis = resolve_axis("unique_consecutive", dim, x.ndim, name="dim")
        if any(n == 0 for i, n in enumerate(x.shape) if i != axis):
            raise ValueError(
                "unique_consecutive: There are 0 sized dimensions, and they aren't selected, so unique "
                "cannot be applied"
            )
        data = x.data
    lines = xp.moveaxis(data, axis, 0)
    starts = _run_starts(xp, lines.reshape(lines.shape[0], int(np.prod(lines.shape[1:]))))
    first = xp.nonzero(starts)[0]
    out = [Tensor._from_op(xp.take(data, first, axis=axis), None)]
    if return_inverse:
        inverse = (xp.cumsum(starts) - 1).astype(np.int64)
        out.append(Tensor._from_op(inverse.reshape(x.shape if dim is None else (-1,)), None))
    if return_counts:
        ends = xp.concatenate([first, xp.asarray([lines.shape[0]])])
        out.append(Tensor._from_op(xp.diff(ends).astype(np.int64), None))
    return out[0] if len(out) == 1 else tuple(out)
