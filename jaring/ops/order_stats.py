"""Order statistics under torch's names: median (the lower middle value) and aminmax.

median picks an element, so its gradient goes to that one element, as torch's does; a NaN
anywhere along the dim makes the median NaN (the first NaN is the one picked). aminmax is
amin and amax at once; tied extremes share the gradient evenly, as torch's amin and amax.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops import reduce
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.gather import Gather
from jaring.ops.index import getitem
from jaring.ops.shape import reshape, squeeze
from jaring.ops.sort import ValuesIndices


class MinMax(NamedTuple):
    """What aminmax returns (torch.return_types.aminmax): `low, high = jaring.aminmax(x)`.

    Examples:
        >>> import jaring
        >>> result = jaring.aminmax(jaring.tensor([3.0, 1.0, 2.0]))
        >>> result.min.item(), result.max.item()
        (1.0, 3.0)
    """

    min: Tensor
    max: Tensor


def _middle(a: Any, axis: int) -> Any:
    """The position of the lower median along `axis`, kept with size 1; the first NaN if any."""
    xp = backend.array_module(a)
    n = a.shape[axis]
    order = xp.argsort(a, axis=axis, kind="stable")
    at = xp.take(order, [(n - 1) // 2], axis=axis)
    if a.dtype.kind == "f":
        nan = xp.isnan(a)
        first_nan = xp.argmax(nan, axis=axis, keepdims=True)
        at = xp.where(nan.any(axis=axis, keepdims=True), first_nan, at)
    return at.astype(np.int64)


def median(x: Any, dim: Any = None, keepdim: bool = False) -> Any:
    """The lower median (of an even count, the smaller middle value): of every element, or
    with `dim` the (values, indices) along it, as torch.median. Also `x.median(...)`.

    Examples:
        >>> import jaring
        >>> jaring.median(jaring.tensor([4.0, 1.0, 3.0, 2.0])).item()
        2.0
        >>> values, indices = jaring.median(jaring.tensor([[1.0, 5.0, 3.0], [6.0, 4.0, 2.0]]), dim=1)
        >>> values.tolist(), indices.tolist()
        ([3.0, 4.0], [2, 1])
    """
    x = as_tensor(x)
    if dim is None:
        if x.size == 0:
            return Tensor._from_op(backend.array_module(x.data).asarray(np.nan, dtype=x.dtype), None)
        flat = reshape(x, (-1,))
        return getitem(flat, int(_middle(flat.data, 0)[0]))
    if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
        raise TypeError(f"median: dim must be a single int, got {dim!r}")
    axis = resolve_axis("median", dim, max(x.ndim, 1))
    if x.ndim == 0:
        return ValuesIndices(getitem(x, ()), Tensor(np.int64(0)))
    if x.shape[axis] == 0:
        raise IndexError(
            f"median(): Expected reduction dim {axis} to have non-zero size, got shape {x.shape}"
        )
    at = _middle(x.data, axis)
    values = Gather.apply(x, index=at, axis=axis)
    indices = Tensor._from_op(at, None)
    if keepdim:
        return ValuesIndices(values, indices)
    return ValuesIndices(squeeze(values, axis), Tensor._from_op(at.squeeze(axis), None))


def aminmax(x: Any, *, dim: Any = None, keepdim: bool = False) -> MinMax:
    """The smallest and largest values, of every element or along `dim`, as torch.aminmax.

    Examples:
        >>> import jaring
        >>> low, high = jaring.aminmax(jaring.tensor([[1.0, 5.0], [4.0, 2.0]]), dim=0)
        >>> low.tolist(), high.tolist()
        ([1.0, 2.0], [4.0, 5.0])
    """
    x = as_tensor(x)
    if dim is not None:
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TypeError(f"aminmax: dim must be a single int, got {dim!r}")
        axis = resolve_axis("aminmax", dim, max(x.ndim, 1))
        empty = x.ndim > 0 and x.shape[axis] == 0
    else:
        axis, empty = None, x.size == 0
    if empty:
        raise ValueError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity"
        )
    if x.ndim == 0:
        axis = None
    keep = keepdim and axis is not None
    low, high = reduce.min(x, axis, keep), reduce.max(x, axis, keep)
    if keepdim and axis is None and x.ndim:
        low, high = reshape(low, (1,) * x.ndim), reshape(high, (1,) * x.ndim)
    return MinMax(low, high)
