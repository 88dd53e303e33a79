"""Joining and matching tensors torch's way: hstack, vstack and broadcast_tensors.

Each is composed from differentiable ops (reshape, concat, broadcast_to), so gradients flow
back to every input without a backward of its own.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.shape import broadcast_to, concat, reshape


def _listed(op: str, tensors: Any) -> list:
    if isinstance(tensors, Tensor) or not isinstance(tensors, Sequence) or isinstance(tensors, str):
        raise TypeError(f"{op}: expects a list or tuple of tensors, got {type(tensors).__name__}")
    if not tensors:
        raise ValueError(f"{op}: expects a non-empty list of tensors")
    return [as_tensor(t) for t in tensors]


def hstack(tensors: Sequence[Any]) -> Tensor:
    """Join along the columns: along dim 0 for 1-D tensors, dim 1 otherwise (0-d become 1-D),
    as torch.hstack.

    Examples:
        >>> import jaring
        >>> jaring.hstack([jaring.tensor([1, 2]), jaring.tensor([3])]).tolist()
        [1, 2, 3]
        >>> jaring.hstack([jaring.zeros(2, 1), jaring.ones(2, 2)]).shape
        (2, 3)
    """
    tensors = [t if t.ndim else reshape(t, (1,)) for t in _listed("hstack", tensors)]
    return concat(tensors, 0 if all(t.ndim == 1 for t in tensors) else 1)


def vstack(tensors: Sequence[Any]) -> Tensor:
    """Join along the rows (dim 0), 1-D tensors of length n taken as rows (1, n), as torch.vstack.

    Examples:
        >>> import jaring
        >>> jaring.vstack([jaring.tensor([1, 2]), jaring.tensor([3, 4])]).tolist()
        [[1, 2], [3, 4]]
        >>> jaring.vstack([jaring.zeros(2, 3), jaring.ones(3)]).shape
        (3, 3)
    """
    tensors = [t if t.ndim >= 2 else reshape(t, (1, -1)) for t in _listed("vstack", tensors)]
    return concat(tensors, 0)


def broadcast_tensors(*tensors: Any) -> tuple:
    """The tensors broadcast to one shape, as torch.broadcast_tensors; gradients sum back.

    Examples:
        >>> import jaring
        >>> a, b = jaring.broadcast_tensors(jaring.zeros(2, 1), jaring.ones(3))
        >>> a.shape, b.shape
        ((2, 3), (2, 3))
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    tensors = [as_tensor(t) for t in tensors]
    try:
        target = np.broadcast_shapes(*(t.shape for t in tensors))
    except ValueError:
        shapes = ", ".join(str(t.shape) for t in tensors)
        raise ValueError(f"broadcast_tensors: shapes {shapes} cannot be broadcast together") from None
    return tuple(t if t.shape == target else broadcast_to(t, target) for t in tensors)
