"""Triangles and diagonals of matrices: tril, triu, diag and diagonal.

`tril`/`triu` work on the last two dims (a batch of matrices); `diagonal` takes any two dims
and puts the diagonal last, as torch does.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis


class Triangle(Function):
    """Keep the lower (`upper=False`) or upper triangle from diagonal `k` on; zero the rest."""

    @staticmethod
    def forward(ctx: Context, a: Any, k: int, upper: bool) -> Any:
        xp = backend.array_module(a)
        rows, cols = a.shape[-2:]
        keep = (
            xp.triu(xp.ones((rows, cols), dtype=bool), k)
            if upper
            else xp.tril(xp.ones((rows, cols), dtype=bool), k)
        )
        ctx.keep = keep
        return xp.where(keep, a, xp.zeros((), dtype=a.dtype))

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad * ctx.keep


def _diagonal_index(xp: Any, rows: int, cols: int, offset: int) -> tuple:
    """Row and column positions of diagonal `offset` in a rows x cols matrix."""
    start_row, start_col = max(-offset, 0), max(offset, 0)
    n = max(min(rows - start_row, cols - start_col), 0)
    steps = xp.arange(n)
    return steps + start_row, steps + start_col


class Diagonal(Function):
    """The diagonal `offset` of the matrices spanned by dims (axis1, axis2), as the last dim."""

    @staticmethod
    def forward(ctx: Context, a: Any, offset: int, axis1: int, axis2: int) -> Any:
        ctx.shape, ctx.offset, ctx.axes = a.shape, offset, (axis1, axis2)
        return backend.array_module(a).diagonal(a, offset, axis1, axis2).copy()

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.array_module(grad)
        out = xp.zeros(ctx.shape, dtype=grad.dtype)
        square = xp.moveaxis(out, ctx.axes, (-2, -1))  # a view: writing into it fills `out`
        rows, cols = _diagonal_index(xp, *square.shape[-2:], ctx.offset)
        square[..., rows, cols] = grad
        return out


class DiagEmbed(Function):
    """A square matrix with the 1-D input on diagonal `offset` and zeros elsewhere."""

    @staticmethod
    def forward(ctx: Context, a: Any, offset: int) -> Any:
        ctx.offset = offset
        return backend.array_module(a).diag(a, offset)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.array_module(grad).diagonal(grad, ctx.offset).copy()


def _matrices(op: str, x: Tensor) -> None:
    if x.ndim < 2:
        raise ValueError(
            f"{op}: x must have at least 2 dims (a matrix or a batch of them), got shape {x.shape}"
        )


def _offset(op: str, diagonal: Any) -> int:
    if isinstance(diagonal, bool) or not isinstance(diagonal, (int, np.integer)):
        raise TypeError(f"{op}: diagonal must be an int, got {diagonal!r}")
    return int(diagonal)


def tril(x: Any, diagonal: int = 0) -> Tensor:
    """The lower triangle (on and below diagonal `diagonal`) of each matrix in the last two dims.

    Examples:
        >>> import jaring
        >>> m = jaring.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        >>> jaring.tril(m).tolist()
        [[1, 0, 0], [4, 5, 0], [7, 8, 9]]
        >>> jaring.tril(m, diagonal=-1).tolist()
        [[0, 0, 0], [4, 0, 0], [7, 8, 0]]
    """
    x = as_tensor(x)
    _matrices("tril", x)
    return Triangle.apply(x, k=_offset("tril", diagonal), upper=False)


def triu(x: Any, diagonal: int = 0) -> Tensor:
    """The upper triangle (on and above diagonal `diagonal`) of each matrix in the last two dims.

    Examples:
        >>> import jaring
        >>> m = jaring.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        >>> jaring.triu(m).tolist()
        [[1, 2, 3], [0, 5, 6], [0, 0, 9]]
        >>> jaring.triu(m, diagonal=1).tolist()
        [[0, 2, 3], [0, 0, 6], [0, 0, 0]]
    """
    x = as_tensor(x)
    _matrices("triu", x)
    return Triangle.apply(x, k=_offset("triu", diagonal), upper=True)


def diagonal(x: Any, offset: int = 0, dim1: int = 0, dim2: int = 1) -> Tensor:
    """Diagonal `offset` of the matrices spanned by `dim1` and `dim2`, appended as the last dim.

    Examples:
        >>> import jaring
        >>> m = jaring.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]])
        >>> jaring.diagonal(m).tolist(), jaring.diagonal(m, offset=-1).tolist()
        ([1, 5, 9], [4, 8])
        >>> jaring.diagonal(jaring.zeros(5, 2, 3), dim1=1, dim2=2).shape
        (5, 2)
    """
    x = as_tensor(x)
    _matrices("diagonal", x)
    axis1, axis2 = resolve_axis("diagonal", dim1, x.ndim), resolve_axis("diagonal", dim2, x.ndim)
    if axis1 == axis2:
        raise ValueError(f"diagonal: dim1 and dim2 must differ, both name dim {axis1}")
    return Diagonal.apply(x, offset=_offset("diagonal", offset), axis1=axis1, axis2=axis2)


def diag(x: Any, diagonal: int = 0) -> Tensor:
    """A 1-D tensor becomes a matrix with it on diagonal `diagonal`; a matrix gives that diagonal.

    Examples:
        >>> import jaring
        >>> jaring.diag(jaring.tensor([1, 2])).tolist()
        [[1, 0], [0, 2]]
        >>> jaring.diag(jaring.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9]]), 1).tolist()
        [2, 6]
    """
    x = as_tensor(x)
    k = _offset("diag", diagonal)
    if x.ndim == 1:
        return DiagEmbed.apply(x, offset=k)
    if x.ndim == 2:
        return Diagonal.apply(x, offset=k, axis1=0, axis2=1)
    raise ValueError(f"diag: x must be 1-D or 2-D, got shape {x.shape}")
