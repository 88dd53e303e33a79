"""Matrix products and identities under torch's names: trace, addmm, kron and cross.

Each is composed from differentiable ops (diagonal and sum, matmul, broadcast products,
slices and stack), so their gradients are those of the pieces.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring.autograd.tensor import Tensor
from jaring.ops import reduce
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.index import getitem
from jaring.ops.joining import broadcast_tensors
from jaring.ops.linalg import matmul
from jaring.ops.shape import reshape, stack
from jaring.ops.triangle import diagonal


def trace(x: Any) -> Tensor:
    """The sum of the main diagonal of a matrix (torch.trace; also `x.trace()`).

    Examples:
        >>> import jaring
        >>> jaring.trace(jaring.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).item()
        6.0
    """
    x = as_tensor(x)
    if x.ndim != 2:
        raise ValueError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
    return reduce.sum(diagonal(x))


def addmm(x: Any, mat1: Any, mat2: Any, *, beta: Any = 1, alpha: Any = 1) -> Tensor:
    """beta * x + alpha * (mat1 @ mat2), for matrices mat1 (n, m) and mat2 (m, p) and x
    broadcastable to (n, p), as torch.addmm; with beta = 0, x is ignored (NaN in it too).

    Examples:
        >>> import jaring
        >>> bias, a, b = jaring.ones(2), jaring.eye(2), jaring.full((2, 2), 3.0)
        >>> jaring.addmm(bias, a, b, beta=0.5, alpha=2).tolist()
        [[6.5, 6.5], [6.5, 6.5]]
    """
    x, mat1, mat2 = as_tensor(x), as_tensor(mat1), as_tensor(mat2)
    if mat1.ndim != 2 or mat2.ndim != 2:
        raise ValueError(f"addmm: mat1 and mat2 must be matrices, got shapes {mat1.shape} and {mat2.shape}")
    if mat1.shape[1] != mat2.shape[0]:
        raise ValueError(
            f"addmm: mat1 and mat2 shapes cannot be multiplied "
            f"({mat1.shape[0]}x{mat1.shape[1]} and {mat2.shape[0]}x{mat2.shape[1]})"
        )
    target = (mat1.shape[0], mat2.shape[1])
    try:
        fits = np.broadcast_shapes(x.shape, target) == target
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"addmm: input of shape {x.shape} cannot be broadcast to the product's {target}")
    product = matmul(mat1, mat2)
    if alpha != 1:
        product = product * alpha
    if beta == 0:
        return product
    return product + (x if beta == 1 else x * beta)


def kron(a: Any, b: Any) -> Tensor:
    """The Kronecker product: every element of a times the whole of b, in blocks; the fewer
    dims of the two are padded with leading 1s (torch.kron; also `a.kron(b)`).

    Examples:
        >>> import jaring
        >>> jaring.kron(jaring.eye(2), jaring.tensor([[1.0, 2.0]])).tolist()
        [[1.0, 2.0, 0.0, 0.0], [0.0, 0.0, 1.0, 2.0]]
    """
    a, b = as_tensor(a), as_tensor(b)
    n = max(a.ndim, b.ndim)
    sa, sb = (1,) * (n - a.ndim) + a.shape, (1,) * (n - b.ndim) + b.shape
    spread_a = reshape(a, tuple(d for s in sa for d in (s, 1)))
    spread_b = reshape(b, tuple(d for s in sb for d in (1, s)))
    return reshape(spread_a * spread_b, tuple(p * q for p, q in zip(sa, sb)))


def cross(a: Any, b: Any, dim: Any = None) -> Tensor:
    """The cross product of 3-vectors along `dim` (a and b broadcast). As torch.cross in torch
    2.13, dim=None takes the first dim of size 3 (torch.linalg.cross's default is -1; pass dim
    to be sure). Also `a.cross(b)`.

    Examples:
        >>> import jaring
        >>> jaring.cross(jaring.tensor([1.0, 0.0, 0.0]), jaring.tensor([0.0, 1.0, 0.0])).tolist()
        [0.0, 0.0, 1.0]
    """
    a, b = broadcast_tensors(as_tensor(a), as_tensor(b))
    if a.ndim == 0:
        raise ValueError("cross: inputs must have at least one dimension, got 0-d tensors")
    if dim is None:
        sizes = [d for d, n in enumerate(a.shape) if n == 3]
        if not sizes:
            raise ValueError(f"cross: no dimension of size 3 in input of shape {a.shape}")
        axis = sizes[0]
    else:
        axis = resolve_axis("cross", dim, a.ndim, name="dim")
        if a.shape[axis] != 3:
            raise ValueError(
                f"cross: inputs dimension {dim} must have length 3. Got {a.shape[axis]} and {b.shape[axis]}"
            )
    lead = (slice(None),) * axis
    ax, ay, az = (getitem(a, lead + (i,)) for i in range(3))
    bx, by, bz = (getitem(b, lead + (i,)) for i in range(3))
    return stack([ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx], axis)
