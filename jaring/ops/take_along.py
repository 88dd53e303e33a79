"""take_along_dim: the values at an index tensor along one dim, the two broadcast against each
other elsewhere (or, without a dim, along the flattened input), as torch.take_along_dim.

It is a broadcast and a gather, so repeated picks sum their gradients back.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.gather import gather
from jaring.ops.shape import broadcast_to, reshape


def take_along_dim(input: Any, indices: Any, dim: int | None = None) -> Tensor:
    """input's values at `indices` along `dim` (the other dims broadcast between the two; both
    have one rank), or at the flat positions `indices` when dim is None (torch.take_along_dim).
    Also `x.take_along_dim(...)`.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[10, 30, 20], [60, 40, 50]])
        >>> jaring.take_along_dim(x, jaring.argsort(x, dim=1), dim=1).tolist()
        [[10, 20, 30], [40, 50, 60]]
        >>> jaring.take_along_dim(x, jaring.tensor([5, 0])).tolist()
        [50, 10]
    """
    x, index = as_tensor(input), as_tensor(indices)
    if index.dtype.kind not in "iu":
        raise TypeError(f"take_along_dim(): dtype of indices should be Long but got {index.dtype}")
    if dim is None:
        return gather(reshape(x, (-1,)), 0, reshape(index, (-1,)))
    if x.ndim != index.ndim:
        raise ValueError(
            "take_along_dim(): input and indices should have the same number of dimensions, "
            f"but got {x.ndim} dimensions for input, and {index.ndim} dimensions for indices"
        )
    axis = resolve_axis("take_along_dim", dim, x.ndim, name="dim")
    wanted = list(x.shape)
    wanted[axis] = index.shape[axis]
    try:
        shape = np.broadcast_shapes(tuple(wanted), index.shape)
    except ValueError:
        raise ValueError(
            f"take_along_dim: input of shape {x.shape} and indices of shape {index.shape} cannot be "
            f"broadcast together outside dim {axis}"
        ) from None
    source = shape[:axis] + (x.shape[axis],) + shape[axis + 1 :]
    xp = backend.array_module(index.data)
    picked = Tensor._from_op(xp.broadcast_to(index.data, shape), None) if index.shape != shape else index
    return gather(x if x.shape == source else broadcast_to(x, source), axis, picked)
