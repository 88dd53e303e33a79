"""Moving axes under torch's names: movedim, swapaxes (torch's alias of transpose), t and mT.

All are a permutation of the axes (the Transpose op), so the gradient is the inverse
permutation of the upstream gradient.
"""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops import tensor_methods_torch
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.shape import permute, swapaxes

swapaxes = swapaxes  # torch.swapaxes(x, axis0, axis1) is torch.transpose(x, dim0, dim1)
swapdims = swapaxes


def _dims(op: str, name: str, dims: Any, ndim: int) -> list:
    dims = list(dims) if isinstance(dims, (tuple, list)) else [dims]
    out = [resolve_axis(op, d, max(ndim, 1), name=name) for d in dims]
    if len(set(out)) != len(out):
        raise ValueError(f"{op}: repeated dim in {name} {dims}")
    return out


def movedim(x: Any, source: Any, destination: Any) -> Tensor:
    """x with the dims at `source` moved to `destination` (ints or tuples of ints), the other
    dims keeping their order, as torch.movedim (also `moveaxis`).

    Examples:
        >>> import jaring
        >>> jaring.movedim(jaring.zeros(2, 3, 4), 0, -1).shape
        (3, 4, 2)
        >>> jaring.movedim(jaring.zeros(2, 3, 4), (0, 1), (2, 0)).shape
        (3, 4, 2)
    """
    x = as_tensor(x)
    src = _dims("movedim", "source", source, x.ndim)
    dst = _dims("movedim", "destination", destination, x.ndim)
    if len(src) != len(dst):
        raise ValueError(
            f"movedim: Invalid source or destination dims: source ({list(src)}) and destination "
            f"({list(dst)}) dims must have the same number of elements"
        )
    if x.ndim == 0:
        return x
    rest = iter(d for d in range(x.ndim) if d not in src)
    placed = dict(zip(dst, src))
    order = [placed[i] if i in placed else next(rest) for i in range(x.ndim)]
    return permute(x, tuple(order))


moveaxis = movedim


def t(x: Any) -> Tensor:
    """The transpose of a matrix; a 0-d or 1-D tensor as it is (torch.t; also `x.t()`).

    Examples:
        >>> import jaring
        >>> jaring.t(jaring.tensor([[1, 2, 3]])).tolist()
        [[1], [2], [3]]
    """
    return tensor_methods_torch.t(as_tensor(x))


def mT(x: Any) -> Tensor:  # noqa: N802 (torch's name)
    """The last two dims swapped, a batch of matrices transposed (torch's `x.mT`).

    Examples:
        >>> import jaring
        >>> jaring.zeros(5, 2, 3).mT.shape
        (5, 3, 2)
    """
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(
            f"mT: tensor.mT is only supported on matrices or batches of matrices. Got {x.ndim}-D tensor."
        )
    return swapaxes(x, -2, -1)
