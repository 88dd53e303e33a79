"""Matrices built from pieces, torch's way: block_diag, diag_embed and vander.

block_diag pads and joins its inputs and vander multiplies running powers, so both differentiate
through the ops they are made of; diag_embed has a Function of its own, whose backward reads the
gradient's diagonal.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.promotion import result_type, to_dtype
from jaring.ops.rearrange import flip
from jaring.ops.shape import concat, pad, reshape, stack


def block_diag(*tensors: Any) -> Tensor:
    """The inputs (0-d, 1-D as one row, or 2-D) placed one after another down the diagonal of a
    matrix of zeros, as torch.block_diag; the dtype is the inputs' promoted one.

    Examples:
        >>> import jaring
        >>> jaring.block_diag(jaring.tensor([[1, 2]]), jaring.tensor(3)).tolist()
        [[1, 2, 0], [0, 0, 3]]
    """
    blocks = [as_tensor(t) for t in tensors]
    if not blocks:
        return Tensor(np.zeros((1, 0), dtype=backend.get_default_dtype()))
    for i, t in enumerate(blocks):
        if t.ndim > 2:
            raise ValueError(
                "block_diag: Input tensors must have 2 or fewer dimensions. "
                f"Input {i} has {t.ndim} dimensions"
            )
    dtype = result_type(*blocks)
    blocks = [reshape(to_dtype(t, dtype), (1, -1) if t.ndim < 2 else t.shape) for t in blocks]
    width, left, rows = sum(t.shape[1] for t in blocks), 0, []
    for t in blocks:
        rows.append(pad(t, ((0, 0), (left, width - left - t.shape[1]))))
        left += t.shape[1]
    return concat(rows, 0)


class DiagonalEmbed(Function):
    """Zeros with the last dim of the input on diagonal `offset` of dims (axis1, axis2) of the output."""

    @staticmethod
    def forward(ctx: Context, a: Any, offset: int, axis1: int, axis2: int) -> Any:
        xp = backend.array_module(a)
        n = a.shape[-1] + abs(offset)
        shape = list(a.shape[:-1])
        for axis in sorted((axis1, axis2)):
            shape.insert(axis, n)
        out = xp.zeros(shape, dtype=a.dtype)
        square = xp.moveaxis(out, (axis1, axis2), (-2, -1))  # a view: writing into it fills `out`
        steps = xp.arange(a.shape[-1])
        square[..., steps + max(-offset, 0), steps + max(offset, 0)] = a
        ctx.offset, ctx.axes = offset, (axis1, axis2)
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.array_module(grad).diagonal(grad, ctx.offset, *ctx.axes).copy()


def diag_embed(input: Any, offset: int = 0, dim1: int = -2, dim2: int = -1) -> Tensor:
    """A batch of matrices with the last dim of `input` on their diagonal `offset`, spanned by
    dims `dim1` and `dim2` of the result (one dim more than the input), as torch.diag_embed.
    Also `x.diag_embed(...)`.

    Examples:
        >>> import jaring
        >>> jaring.diag_embed(jaring.tensor([[1, 2], [3, 4]])).tolist()
        [[[1, 0], [0, 2]], [[3, 0], [0, 4]]]
        >>> jaring.diag_embed(jaring.tensor([1, 2]), offset=1).shape
        (3, 3)
    """
    x = as_tensor(input)
    if isinstance(offset, bool) or not isinstance(offset, (int, np.integer)):
        raise TypeError(f"diag_embed: offset must be an int, got {offset!r}")
    axis1 = resolve_axis("diag_embed", dim1, x.ndim + 1, name="dim1")
    axis2 = resolve_axis("diag_embed", dim2, x.ndim + 1, name="dim2")
    if axis1 == axis2:
        raise ValueError(f"diag_embed: diagonal dimensions cannot be identical {dim1}, {dim2}")
    if x.ndim == 0:
        x = reshape(x, (1,))
    return DiagonalEmbed.apply(x, offset=int(offset), axis1=axis1, axis2=axis2)


def vander(x: Any, N: int | None = None, increasing: bool = False) -> Tensor:  # noqa: N803 (torch's name)
    """The Vandermonde matrix of the 1-D `x`: column j holds x ** (N - 1 - j) (x ** j when
    `increasing`), N = len(x) by default, as torch.vander; integers give int64.

    Examples:
        >>> import jaring
        >>> jaring.vander(jaring.tensor([1, 2, 3])).tolist()
        [[1, 1, 1], [4, 2, 1], [9, 3, 1]]
        >>> jaring.vander(jaring.tensor([2.0, 3.0]), N=3, increasing=True).tolist()
        [[1.0, 2.0, 4.0], [1.0, 3.0, 9.0]]
    """
    x = as_tensor(x)
    if x.ndim != 1:
        raise ValueError(f"vander: x must be a one-dimensional tensor, got shape {x.shape}")
    n = x.shape[0] if N is None else N
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"vander: N must be an int, got {N!r}")
    if n < 0:
        raise ValueError(f"vander: N must be non-negative, got {n}")
    x = to_dtype(x, np.dtype(np.int64) if x.dtype.kind in "biu" else x.dtype)
    xp = backend.array_module(x.data)
    if n == 0:
        return Tensor._from_op(xp.zeros((x.shape[0], 0), dtype=x.dtype), None)
    columns = [Tensor._from_op(xp.ones(x.shape, dtype=x.dtype), None)]
    for _ in range(n - 1):
        columns.append(columns[-1] * x)
    out = stack(columns, 1)
    return out if increasing else flip(out, 1)
