"""rot90: a quarter turn (or k of them) of a tensor in the plane of two dims, as torch.rot90.

A turn is a flip and a swap of the two dims (a half turn two flips), so the gradient is the
opposite turn, through those ops.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.rearrange import flip
from jaring.ops.shape import swapaxes
from jaring.ops.tensor_methods_torch import clone


def rot90(input: Any, k: int = 1, dims: Any = (0, 1)) -> Tensor:
    """`input` turned k times by 90 degrees in the plane of `dims`, from the first dim towards
    the second (k < 0 turns the other way), as torch.rot90. Also `x.rot90(...)`.

    Examples:
        >>> import jaring
        >>> jaring.rot90(jaring.tensor([[1, 2], [3, 4]])).tolist()
        [[2, 4], [1, 3]]
        >>> jaring.rot90(jaring.tensor([[1, 2], [3, 4]]), k=-1).tolist()
        [[3, 1], [4, 2]]
    """
    x = as_tensor(input)
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"rot90: k must be an int, got {k!r}")
    dims = list(dims)
    if len(dims) != 2:
        raise ValueError(f"rot90: expected total rotation dims == 2, but got dims = {len(dims)}")
    if x.ndim < 2:
        raise ValueError(f"rot90: expected total dims >= 2, but got total dims = {x.ndim}")
    first, second = (resolve_axis("rot90", d, x.ndim, name="dims") for d in dims)
    if first == second:
        raise ValueError(
            f"rot90: expected rotation dims to be different, but got dim0 = {dims[0]} and dim1 = {dims[1]}"
        )
    turns = int(k) % 4
    if turns == 1:
        return swapaxes(flip(x, second), first, second)
    if turns == 2:
        return flip(x, (first, second))
    if turns == 3:
        return swapaxes(flip(x, first), first, second)
    return clone(x)
