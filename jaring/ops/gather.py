"""Gather and scatter along one axis with an index tensor (torch.gather, scatter, scatter_add).

`out[i][j][k] = x[i][index[i][j][k]][k]` for axis 1: the index has the input's rank and may be
smaller than the input along the other axes (those positions are simply not visited). The
gradient of a gather is a scatter-add of the gradient, and the other way round.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis


def along(index: Any, axis: int) -> tuple:
    """The NumPy index tuple that visits `index`'s positions, taking `index` along `axis`."""
    xp = backend.array_module(index)
    parts = []
    for d, n in enumerate(index.shape):
        if d == axis:
            parts.append(index)
        else:
            view = [1] * index.ndim
            view[d] = n
            parts.append(xp.arange(n).reshape(view))
    return tuple(parts)


class Gather(Function):
    """Values of `a` at `index` along `axis`; backward scatter-adds the gradient back."""

    @staticmethod
    def forward(ctx: Context, a: Any, index: Any, axis: int) -> Any:
        ctx.shape, ctx.where = a.shape, along(index, axis)
        return a[ctx.where]

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.array_module(grad)
        out = xp.zeros(ctx.shape, dtype=grad.dtype)
        xp.add.at(out, ctx.where, grad)
        return out


class Scatter(Function):
    """A copy of `a` with `src` written at `index` along `axis` (`add=True`: added there instead).

    Without `add`, a position that the index names twice keeps one of the written values (which
    one is unspecified, as in torch) and the gradient goes to every `src` entry that was written
    there; with `add` every written value counts and gets the gradient.
    """

    @staticmethod
    def forward(ctx: Context, a: Any, src: Any, index: Any, axis: int, add: bool) -> Any:
        where = along(index, axis)
        cut = src[tuple(slice(0, n) for n in index.shape)] if src.ndim else src
        out = a.copy()
        if add:
            backend.array_module(a).add.at(out, where, cut)
        else:
            out[where] = cut
        ctx.where, ctx.add, ctx.src_shape, ctx.index_shape = where, add, src.shape, index.shape
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        xp = backend.array_module(grad)
        grad_a = grad
        if not ctx.add:
            grad_a = grad.copy()
            grad_a[ctx.where] = 0
        grad_src = None
        if ctx.needs_input_grad[1]:
            picked = grad[ctx.where]
            if len(ctx.src_shape) == 0:  # a scalar value receives the sum of its copies' gradients
                grad_src = picked.sum()
            else:
                grad_src = xp.zeros(ctx.src_shape, dtype=grad.dtype)
                grad_src[tuple(slice(0, n) for n in ctx.index_shape)] = picked
        return grad_a, grad_src


def _check_index(op: str, x: Tensor, axis: Any, index: Any, src: Tensor | None = None) -> tuple:
    """The axis as an int and the index as an int array, or an error naming what is wrong."""
    index = as_tensor(index)
    if index.dtype.kind not in "iu":
        raise TypeError(f"{op}: index must hold integers, got {index.dtype}")
    ndim = max(x.ndim, 1)
    axis = resolve_axis(op, axis, ndim)
    data = index.data.reshape(index.shape or (1,)) if x.ndim == 0 else index.data
    if data.ndim != ndim:
        raise ValueError(f"{op}: index has {index.ndim} dimensions, the input {x.ndim}; they must match")
    shape = x.shape or (1,)
    for d, (n, m) in enumerate(zip(data.shape, shape)):
        if d != axis and n > m:
            raise ValueError(
                f"{op}: index size {n} along dim {d} is larger than the input's (allowed: at most {m})"
            )
        if src is not None and src.ndim and n > src.shape[d]:
            raise ValueError(f"{op}: index size {n} along dimension {d} is larger than src's {src.shape[d]}")
    if data.size and (data.min() < 0 or data.max() >= shape[axis]):
        bad = int(data.min() if data.min() < 0 else data.max())
        raise IndexError(
            f"{op}: index {bad} is out of range for dim {axis} of size {shape[axis]} "
            f"(allowed: 0 to {shape[axis] - 1})"
        )
    return axis, data.astype(np.intp, copy=False)


def _scalar_input(fn: Any, x: Tensor, *rest: Any) -> Tensor:
    """Run `fn` on a 0-d input seen as 1-D (torch accepts dim 0 and -1 there), then back to 0-d."""
    if x.ndim:
        return fn(x, *rest)
    return fn(x.reshape(1), *rest).reshape(())


def gather(x: Any, dim: int, index: Any) -> Tensor:
    """`x`'s values at `index` along `dim` (torch.gather); the output has the index's shape.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1, 2], [3, 4]])
        >>> jaring.gather(x, 1, jaring.tensor([[0, 0], [1, 0]])).tolist()
        [[1, 1], [4, 3]]
    """
    x = as_tensor(x)
    axis, idx = _check_index("gather", x, dim, index)
    return _scalar_input(lambda t: Gather.apply(t, index=idx, axis=axis), x)


def _scatter(op: str, x: Any, dim: int, index: Any, src: Any, add: bool) -> Tensor:
    x = as_tensor(x)
    src = as_tensor(src, x)
    if src.dtype != x.dtype:
        src = src.astype(x.dtype)
    axis, idx = _check_index(op, x, dim, index, src)
    if x.ndim == 0 and src.ndim:
        src = src.reshape(1)
    return _scalar_input(lambda t: Scatter.apply(t, src, index=idx, axis=axis, add=add), x)


def scatter(x: Any, dim: int, index: Any, src: Any = None, *, value: Any = None) -> Tensor:
    """A copy of `x` with `src` (a tensor, or `value=` a number) written at `index` along `dim`.

    Examples:
        >>> import jaring
        >>> index = jaring.tensor([[2], [0]])
        >>> jaring.scatter(jaring.zeros(2, 3), 1, index, jaring.tensor([[5.0], [7.0]])).tolist()
        [[0.0, 0.0, 5.0], [7.0, 0.0, 0.0]]
        >>> jaring.scatter(jaring.zeros(3), 0, jaring.tensor([0, 2]), value=1.0).tolist()
        [1.0, 0.0, 1.0]
    """
    if (src is None) == (value is None):
        raise TypeError("scatter: pass exactly one of src (a tensor) and value (a number)")
    return _scatter("scatter", x, dim, index, value if src is None else src, add=False)


def scatter_add(x: Any, dim: int, index: Any, src: Any) -> Tensor:
    """A copy of `x` with `src` added at `index` along `dim`; repeated indices add up.

    Examples:
        >>> import jaring
        >>> src = jaring.tensor([1.0, 2.0, 3.0])
        >>> jaring.scatter_add(jaring.zeros(3), 0, jaring.tensor([0, 1, 0]), src).tolist()
        [4.0, 2.0, 0.0]
    """
    return _scatter("scatter_add", x, dim, index, src, add=True)


def take(x: Any, index: Any) -> Tensor:
    """x's elements at `index` (int64; negative counts from the end) as if x were flattened,
    in the index's shape (torch.take; also `x.take(index)`); repeats sum their gradients.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1, 2, 3], [4, 5, 6]])
        >>> jaring.take(x, jaring.tensor([[0, -1], [4, 4]])).tolist()
        [[1, 6], [5, 5]]
    """
    x, index = as_tensor(x), as_tensor(index)
    if index.dtype.kind not in "iu":
        raise TypeError(f"take(): Expected a long tensor for index, but got {index.dtype}")
    n = x.size
    flat_index = index.data.reshape(-1).astype(np.intp)
    if flat_index.size and (flat_index.min() < -n or flat_index.max() >= n):
        bad = int(flat_index.min() if flat_index.min() < -n else flat_index.max())
        raise IndexError(f"take: out of range: tried to access index {bad} on a tensor of {n} elements.")
    flat_index = backend.array_module(flat_index).where(flat_index < 0, flat_index + n, flat_index)
    picked = Gather.apply(x.reshape(-1), index=flat_index, axis=0)
    return picked.reshape(index.shape)
