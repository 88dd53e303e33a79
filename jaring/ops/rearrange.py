"""Ops that move or copy elements without changing them: flip, roll, repeat, repeat_interleave,
unflatten and meshgrid. Each backward moves the gradient back, summing over the copies."""

from __future__ import annotations

from typing import Any
from collections.abc import Sequence

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.shape import _shape_arg, broadcast_to, reshape


class Flip(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, axes: tuple) -> Any:
        ctx.axes = axes
        return backend.array_module(a).flip(a, axes).copy()

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return backend.array_module(grad).flip(grad, ctx.axes)


class Roll(Function):
    @staticmethod
    def forward(ctx: Context, a: Any, shifts: Any, axes: Any) -> Any:
        ctx.shifts, ctx.axes = shifts, axes
        return backend.array_module(a).roll(a, shifts, axes)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        back = tuple(-s for s in ctx.shifts) if isinstance(ctx.shifts, tuple) else -ctx.shifts
        return backend.array_module(grad).roll(grad, back, ctx.axes)


class Tile(Function):
    """torch's `repeat`: the whole tensor copied `reps[d]` times along each dim d."""

    @staticmethod
    def forward(ctx: Context, a: Any, reps: tuple) -> Any:
        ctx.shape, ctx.reps = a.shape, reps
        return backend.array_module(a).tile(a, reps)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        # grad has shape (r0*s0, r1*s1, ...): split each dim into (copy, element), sum the copies
        sizes = (1,) * (len(ctx.reps) - len(ctx.shape)) + tuple(ctx.shape)
        split = [n for pair in zip(ctx.reps, sizes) for n in pair]
        return grad.reshape(split).sum(axis=tuple(range(0, len(split), 2))).reshape(ctx.shape)


class RepeatInterleave(Function):
    """Each element repeated along `axis` (`repeats` an int or one count per element)."""

    @staticmethod
    def forward(ctx: Context, a: Any, repeats: Any, axis: int) -> Any:
        xp = backend.array_module(a)
        ctx.shape, ctx.axis = a.shape, axis
        ctx.source = xp.repeat(xp.arange(a.shape[axis]), repeats)  # input position of each output one
        return xp.repeat(a, repeats, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        xp = backend.array_module(grad)
        out = xp.zeros(ctx.shape, dtype=grad.dtype)
        xp.add.at(out, (slice(None),) * ctx.axis + (ctx.source,), grad)
        return out


def flip(x: Any, dims: Any) -> Tensor:
    """Reverse the order of elements along `dims` (an int or a sequence of ints).

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([[1, 2], [3, 4]])
        >>> jaring.flip(x, 0).tolist(), jaring.flip(x, (0, 1)).tolist()
        ([[3, 4], [1, 2]], [[4, 3], [2, 1]])
    """
    x = as_tensor(x)
    dims = (dims,) if isinstance(dims, (int, np.integer)) else tuple(dims)
    if x.ndim == 0:
        for d in dims:
            resolve_axis("flip", d, 1)
        return Flip.apply(x, axes=())
    axes = tuple(resolve_axis("flip", d, x.ndim) for d in dims)
    if len(set(axes)) != len(axes):
        raise ValueError(f"flip: dims {dims} name the same dimension twice")
    return Flip.apply(x, axes=axes)


def roll(x: Any, shifts: Any, dims: Any = None) -> Tensor:
    """Shift elements along `dims`, wrapping around; with dims=None the flattened tensor rolls.

    Examples:
        >>> import jaring
        >>> jaring.roll(jaring.tensor([1, 2, 3, 4]), 1).tolist()
        [4, 1, 2, 3]
        >>> jaring.roll(jaring.tensor([[1, 2, 3], [4, 5, 6]]), -1, dims=1).tolist()
        [[2, 3, 1], [5, 6, 4]]
    """
    x = as_tensor(x)
    if dims is None:
        if not isinstance(shifts, (int, np.integer)):
            raise ValueError("roll: without dims, shifts must be one int (the flattened tensor rolls)")
        return Roll.apply(x, shifts=int(shifts), axes=None)
    many = not isinstance(dims, (int, np.integer))
    dims = tuple(dims) if many else (dims,)
    shifts = tuple(shifts) if not isinstance(shifts, (int, np.integer)) else (shifts,)
    if len(shifts) != len(dims):
        raise ValueError(f"roll: shifts {shifts} and dims {dims} must have the same length")
    if x.ndim == 0:
        for d in dims:
            resolve_axis("roll", d, 1)
        return Roll.apply(x, shifts=0, axes=None)
    axes = tuple(resolve_axis("roll", d, x.ndim) for d in dims)
    return Roll.apply(x, shifts=tuple(int(s) for s in shifts), axes=axes)


def repeat(x: Any, *sizes: Any) -> Tensor:
    """torch's Tensor.repeat: tile the whole tensor `sizes[d]` times along dim d.

    `sizes` may have more entries than x has dims (new leading dims), never fewer. This is
    NumPy's `tile`; NumPy's `repeat` is `repeat_interleave` here, as in torch.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.repeat(jaring.tensor([1, 2]), 2, 2).tolist()
        [[1, 2, 1, 2], [1, 2, 1, 2]]
    """
    x = as_tensor(x)
    reps = _shape_arg("repeat", sizes)
    if len(reps) < x.ndim:
        raise ValueError(f"repeat: sizes {reps} need at least one entry per dim of x ({x.ndim})")
    if any(r < 0 for r in reps):
        raise ValueError(f"repeat: sizes must be >= 0, got {reps}")
    return Tile.apply(x, reps=reps)


def repeat_interleave(x: Any, repeats: Any, dim: Any = None) -> Tensor:
    """Repeat each element `repeats` times along `dim` (None: of the flattened tensor).

    `repeats` is an int, or a 1-D integer tensor with one count per element along `dim`.

    Examples:
        >>> import jaring
        >>> jaring.repeat_interleave(jaring.tensor([1, 2, 3]), 2).tolist()
        [1, 1, 2, 2, 3, 3]
        >>> rows = jaring.tensor([[1, 2], [3, 4]])
        >>> jaring.repeat_interleave(rows, jaring.tensor([1, 2]), dim=0).tolist()
        [[1, 2], [3, 4], [3, 4]]
    """
    x = as_tensor(x)
    if dim is None:
        x, axis = reshape(x, -1), 0
    else:
        axis = resolve_axis("repeat_interleave", dim, max(x.ndim, 1))
        if x.ndim == 0:
            x = reshape(x, 1)
    counts = repeats.data if isinstance(repeats, Tensor) else np.asarray(repeats)
    if counts.dtype.kind not in "iu" or counts.ndim > 1:
        raise TypeError(
            f"repeat_interleave: repeats must be an int or a 1-D integer tensor, got {repeats!r:.80}"
        )
    if counts.ndim == 1 and counts.shape[0] not in (1, x.shape[axis]):
        raise ValueError(
            f"repeat_interleave: repeats has {counts.shape[0]} counts, dim {axis} {x.shape[axis]} elements"
        )
    if (counts < 0).any():
        raise ValueError("repeat_interleave: repeats must be >= 0")
    return RepeatInterleave.apply(x, repeats=counts, axis=axis)


def unflatten(x: Any, dim: int, sizes: Sequence[int]) -> Tensor:
    """Split dim `dim` into several dims of `sizes` (one may be -1); the inverse of flatten.

    Examples:
        >>> import jaring
        >>> jaring.unflatten(jaring.zeros(2, 12), 1, (3, 4)).shape
        (2, 3, 4)
        >>> jaring.unflatten(jaring.arange(6), 0, (2, -1)).tolist()
        [[0, 1, 2], [3, 4, 5]]
    """
    x = as_tensor(x)
    axis = resolve_axis("unflatten", dim, x.ndim)
    sizes = _shape_arg("unflatten", (tuple(sizes),))
    known = int(np.prod([s for s in sizes if s != -1]))
    if sizes.count(-1) > 1 or (-1 not in sizes and known != x.shape[axis]):
        raise ValueError(f"unflatten: sizes {sizes} do not multiply to dim {dim}'s size {x.shape[axis]}")
    if -1 in sizes:
        if known == 0 or x.shape[axis] % known:
            raise ValueError(f"unflatten: sizes {sizes} cannot split dim {dim} of size {x.shape[axis]}")
        sizes = tuple(x.shape[axis] // known if s == -1 else s for s in sizes)
    return reshape(x, x.shape[:axis] + sizes + x.shape[axis + 1 :])


def meshgrid(*tensors: Any, indexing: str = "ij") -> tuple:
    """Coordinate grids from 1-D tensors; indexing "ij" (matrix, torch's default) or "xy" (Cartesian).

    The grids are broadcast views of the inputs, so gradients flow back to them.

    Examples:
        >>> import jaring
        >>> rows, cols = jaring.meshgrid(jaring.tensor([1, 2, 3]), jaring.tensor([10, 20]))
        >>> rows.tolist(), cols.tolist()
        ([[1, 1], [2, 2], [3, 3]], [[10, 20], [10, 20], [10, 20]])
        >>> xs, ys = jaring.meshgrid(jaring.tensor([1, 2, 3]), jaring.tensor([10, 20]), indexing="xy")
        >>> xs.shape, ys.shape
        ((2, 3), (2, 3))
    """
    if len(tensors) == 1 and isinstance(tensors[0], (list, tuple)):
        tensors = tuple(tensors[0])
    if indexing not in ("ij", "xy"):
        raise ValueError(f'meshgrid: indexing must be "ij" or "xy", got {indexing!r}')
    vectors = [as_tensor(t) for t in tensors]
    for i, v in enumerate(vectors):
        if v.ndim > 1:
            raise ValueError(f"meshgrid: tensor {i} has shape {v.shape}; each must be 0-d or 1-D")
    sizes = [v.size for v in vectors]
    if indexing == "xy" and len(vectors) >= 2:  # the first two axes swap: x runs along columns
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for i, v in enumerate(vectors):
        axis = {0: 1, 1: 0}.get(i, i) if indexing == "xy" and len(vectors) >= 2 else i
        view = [1] * len(vectors)
        view[axis] = v.size
        grids.append(broadcast_to(reshape(v, tuple(view)), tuple(sizes)))
    return tuple(grids)
