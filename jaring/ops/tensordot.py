"""tensordot: sum over pairs of axes of two tensors, as one matmul between two reshaped views.

The contracted axes of `a` move to the end and those of `b` to the front; both become matrices
and one matmul does the sum. Permute, reshape and matmul are differentiable, so is tensordot.
"""

from __future__ import annotations

import math
from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.ops.linalg import matmul
from jaring.ops.shape import permute, reshape


def _axes(dims: Any, a: Tensor, b: Tensor) -> tuple[list, list]:
    if isinstance(dims, int):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > min(a.ndim, b.ndim):
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        return list(range(a.ndim - dims, a.ndim)), list(range(dims))
    first, second = dims
    first = [first] if isinstance(first, int) else list(first)
    second = [second] if isinstance(second, int) else list(second)
    if len(first) != len(second):
        raise RuntimeError("both dimension lists should have same length")
    return [d % a.ndim for d in first], [d % b.ndim for d in second]


def tensordot(a: Any, b: Any, dims: Any = 2) -> Tensor:
    """Contract the last `dims` axes of a with the first `dims` of b, or the axes of a pair of lists.

    Examples:
        >>> import jaring
        >>> a, b = jaring.ones(3, 4, 5), jaring.ones(4, 5, 2)
        >>> jaring.tensordot(a, b, dims=2).shape
        (3, 2)
        >>> jaring.tensordot(a, b, dims=([1, 2], [0, 1])).tolist()[0]
        [20.0, 20.0]
    """
    a = as_tensor(a)
    b = as_tensor(b, a)
    axes_a, axes_b = _axes(dims, a, b)
    for i, j in zip(axes_a, axes_b):
        if a.shape[i] != b.shape[j]:
            raise RuntimeError(
                f"contracted dimensions need to match, but first has size {a.shape[i]} in dim {i} "
                f"and second has size {b.shape[j]} in dim {j}"
            )
    free_a = [d for d in range(a.ndim) if d not in axes_a]
    free_b = [d for d in range(b.ndim) if d not in axes_b]
    inner = math.prod(a.shape[d] for d in axes_a)
    left = reshape(permute(a, free_a + axes_a), (-1, inner)) if a.ndim else reshape(a, (1, 1))
    right = reshape(permute(b, axes_b + free_b), (inner, -1)) if b.ndim else reshape(b, (1, 1))
    out_shape = tuple(a.shape[d] for d in free_a) + tuple(b.shape[d] for d in free_b)
    return reshape(matmul(left, right), out_shape)
