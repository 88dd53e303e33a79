"""torch.linalg's norms: vector_norm (any ord over any dims), matrix_norm ('fro', 'nuc', ±1, ±2,
±inf) and norm, which picks one of the two as torch does.

VectorNorm is one op with torch's backward: 0 where the norm is 0, and for ±inf the gradient
shared evenly among the entries that tie for the extreme. Matrix norms are built on it and on
svdvals (2, -2 and 'nuc' are the largest, the smallest and the sum of the singular values).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.axes import movedim
from jaring.ops.linalg_checks import check_matrices
from jaring.ops.linalg_decomp import svdvals
from jaring.ops.shape import reshape, unsqueeze


class VectorNorm(Function):
    @staticmethod
    def forward(ctx: Context, x: Any, ord: float, axes: tuple, keepdims: bool) -> Any:
        xp = backend.array_module(x)
        a = xp.abs(x)
        if ord == math.inf:
            out = (
                a.max(axis=axes, keepdims=True, initial=0) if x.size == 0 else a.max(axis=axes, keepdims=True)
            )
        elif ord == -math.inf:
            out = a.min(axis=axes, keepdims=True)
        elif ord == 0:
            out = (a != 0).sum(axis=axes, keepdims=True).astype(x.dtype)
        elif ord == 1:
            out = a.sum(axis=axes, keepdims=True)
        elif ord == 2:
            out = xp.sqrt((a * a).sum(axis=axes, keepdims=True))
        else:
            with np.errstate(divide="ignore"):
                out = (a**ord).sum(axis=axes, keepdims=True) ** (1.0 / ord)
        ctx.ord, ctx.axes, ctx.keepdims = ord, axes, keepdims
        ctx.save_for_backward(x, out)
        return out if keepdims else out.squeeze(axis=axes)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        x, norm = ctx.saved
        xp = backend.array_module(x)
        p = ctx.ord
        g = grad if ctx.keepdims else xp.expand_dims(grad, ctx.axes)
        if p == 0:
            return xp.zeros_like(x)
        if p == 1:
            return xp.sign(x) * g
        if math.isinf(p):
            ties = xp.abs(x) == norm
            return xp.sign(x) * ties * (g / ties.sum(axis=ctx.axes, keepdims=True))
        with np.errstate(divide="ignore", invalid="ignore"):
            if p < 1:
                scaled = xp.where(x == 0, 0, xp.sign(x) * xp.abs(x) ** (p - 1))
                return scaled * g * norm ** (1 - p)
            scaled = (
                x if p == 2 else (xp.sign(x) * xp.abs(x) ** (p - 1) if p < 2 else x * xp.abs(x) ** (p - 2))
            )
            scale = xp.where(norm == 0, 0, g / (norm if p == 2 else norm ** (p - 1)))
        return (scaled * scale).astype(x.dtype, copy=False)


def vector_norm(x: Any, ord: float = 2, dim: Any = None, keepdim: bool = False) -> Tensor:
    """(sum |x|^ord)^(1/ord) over `dim` (an int, a tuple, or None for every element); ord may be
    0 (count of non-zeros), inf (max |x|) or -inf (min |x|), as torch.linalg.vector_norm.

    Examples:
        >>> import jaring
        >>> jaring.linalg.vector_norm(jaring.tensor([3.0, -4.0])).item()
        5.0
        >>> jaring.linalg.vector_norm(jaring.tensor([[3.0, -4.0]]), ord=float("inf"), dim=1).tolist()
        [4.0]
    """
    x = as_tensor(x)
    if isinstance(ord, str) or isinstance(ord, bool):
        raise TypeError(f"linalg_vector_norm(): argument 'ord' must be Number, not {type(ord).__name__}")
    if x.dtype.kind not in "fc":
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {x.dtype}"
        )
    axes = resolve_axis("linalg.vector_norm", dim, x.ndim, many=True, name="dim")
    if x.ndim == 0:
        return VectorNorm.apply(reshape(x, (1,)), ord=float(ord), axes=(0,), keepdims=False)
    return VectorNorm.apply(x, ord=float(ord), axes=axes, keepdims=keepdim)


def _matrix_dims(A: Tensor, dim: Any) -> tuple[int, int]:  # noqa: N803
    rows, cols = (resolve_axis("linalg.matrix_norm", d, A.ndim, name="dim") for d in dim)
    if rows == cols:
        raise RuntimeError(f"linalg.matrix_norm: dims must be different. Got ({dim[0]}, {dim[1]})")
    return rows, cols


def matrix_norm(A: Any, ord: Any = "fro", dim: tuple = (-2, -1), keepdim: bool = False) -> Tensor:  # noqa: N803
    """A norm of each matrix over the two `dim` axes: 'fro', 'nuc', 1 and -1 (max / min column sum
    of |A|), inf and -inf (max / min row sum), 2 and -2 (largest / smallest singular value).

    Examples:
        >>> import jaring
        >>> A = jaring.tensor([[1.0, -2.0], [3.0, 4.0]])
        >>> jaring.linalg.matrix_norm(A, ord=1).item()
        6.0
        >>> round(jaring.linalg.matrix_norm(A).item(), 4)
        5.4772
    """
    A = as_tensor(A)
    check_matrices("linalg.matrix_norm", A, square=False)
    rows, cols = _matrix_dims(A, dim)
    if ord == "fro":
        return vector_norm(A, 2, (rows, cols), keepdim)
    if ord in ("nuc", 2, -2):
        moved = movedim(A, (rows, cols), (-2, -1))
        sv = svdvals(moved)
        out = vector_norm(sv, {"nuc": 1, 2: math.inf, -2: -math.inf}[ord], -1)
        if keepdim:
            out = unsqueeze(unsqueeze(out, min(rows, cols)), max(rows, cols))
        return out
    if ord in (1, -1, math.inf, -math.inf):
        inner, outer = (rows, cols) if ord in (1, -1) else (cols, rows)
        sums = vector_norm(A, 1, inner, keepdim=True)
        out = vector_norm(sums, math.inf if ord > 0 else -math.inf, outer, keepdim=True)
        return (
            out if keepdim else reshape(out, tuple(n for d, n in enumerate(A.shape) if d not in (rows, cols)))
        )
    raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def norm(A: Any, ord: Any = None, dim: Any = None, keepdim: bool = False) -> Tensor:  # noqa: N803
    """torch.linalg.norm: a vector norm when `dim` is an int (or, with dim=None, for a 1-D input or
    ord=None), a matrix norm when `dim` is a pair (or, with dim=None, for a 2-D input and an ord).

    Examples:
        >>> import jaring
        >>> jaring.linalg.norm(jaring.tensor([[3.0, 0.0], [0.0, 4.0]])).item()
        5.0
        >>> jaring.linalg.norm(jaring.tensor([[3.0, 0.0], [0.0, 4.0]]), ord=2).item()
        4.0
    """
    A = as_tensor(A)
    if dim is not None:
        dims = (dim,) if isinstance(dim, int) else tuple(dim)
        if len(dims) == 2:
            return matrix_norm(A, "fro" if ord is None else ord, dims, keepdim)
        return vector_norm(A, 2 if ord is None else ord, dims, keepdim)
    if ord is None:
        return vector_norm(A, 2, None, keepdim)
    if A.ndim == 2:
        return matrix_norm(A, ord, (-2, -1), keepdim)
    if A.ndim == 1:
        return vector_norm(A, ord, None, keepdim)
    raise RuntimeError(
        f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got {A.ndim}D."
    )
