"""Shape ops: reshape, transpose, broadcast, joining, splitting and padding (indexing: ops/index.py).

None of them changes a value, so each backward only moves the gradient back into the input's
layout: reshape it back, permute it back, or slice it back out.
"""

from __future__ import annotations

import math
from typing import Any
from collections.abc import Sequence

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor, resolve_axis
from jaring.ops.index import GetItem


class Reshape(Function):
    """Same data, new shape (a view when the memory layout allows); also squeeze/unsqueeze/flatten."""

    @staticmethod
    def forward(ctx: Context, a: Any, shape: tuple) -> Any:
        ctx.shape = a.shape
        return a.reshape(shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad.reshape(ctx.shape)


class Transpose(Function):
    """Permute axes; backward applies the inverse permutation."""

    @staticmethod
    def forward(ctx: Context, a: Any, axes: tuple) -> Any:
        ctx.axes = axes
        return a.transpose(axes)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad.transpose(tuple(np.argsort(ctx.axes)))


class BroadcastTo(Function):
    """A read-only broadcast view; the engine's unbroadcast sums the gradient back down."""

    @staticmethod
    def forward(ctx: Context, a: Any, shape: tuple) -> Any:
        return backend.array_module(a).broadcast_to(a, shape)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad


class Concat(Function):
    """Join along an existing axis; backward splits the gradient at the same boundaries."""

    @staticmethod
    def forward(ctx: Context, *arrays: Any, axis: int) -> Any:
        ctx.axis = axis
        ctx.sizes = [a.shape[axis] for a in arrays]
        ctx.dtypes = [a.dtype for a in arrays]
        return backend.array_module(*arrays).concatenate(arrays, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        xp = backend.array_module(grad)
        pieces = xp.split(grad, np.cumsum(ctx.sizes)[:-1].tolist(), axis=ctx.axis)
        return tuple(
            piece.astype(dtype, copy=False) if need else None
            for piece, dtype, need in zip(pieces, ctx.dtypes, ctx.needs_input_grad)
        )


class Stack(Function):
    """Join along a new axis; backward hands each input its slice of the gradient."""

    @staticmethod
    def forward(ctx: Context, *arrays: Any, axis: int) -> Any:
        ctx.axis = axis
        ctx.dtypes = [a.dtype for a in arrays]
        return backend.array_module(*arrays).stack(arrays, axis=axis)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        moved = backend.array_module(grad).moveaxis(grad, ctx.axis, 0)
        return tuple(
            moved[i].astype(dtype, copy=False) if need else None
            for i, (dtype, need) in enumerate(zip(ctx.dtypes, ctx.needs_input_grad))
        )


class Pad(Function):
    """Constant padding; backward slices the padding off the gradient."""

    @staticmethod
    def forward(ctx: Context, a: Any, pairs: tuple, value: float) -> Any:
        ctx.inner = tuple(slice(before, before + n) for (before, _), n in zip(pairs, a.shape))
        return backend.array_module(a).pad(a, pairs, mode="constant", constant_values=value)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad[ctx.inner]


# ----- argument helpers ---------------------------------------------------------------------


def _shape_arg(op: str, shape: tuple) -> tuple:
    """Accept f(x, 2, 3) and f(x, (2, 3)) as PyTorch does; every entry must be an int."""
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in shape):
        raise TypeError(f"{op}: a shape holds integers, got {shape}")
    return tuple(int(n) for n in shape)


def _tensors(op: str, tensors: Sequence[Any]) -> list:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)) or not tensors:
        raise TypeError(f"{op} takes a non-empty list or tuple of tensors")
    first = next((t for t in tensors if isinstance(t, Tensor)), None)
    return [as_tensor(t, first) for t in tensors]


# ----- the functional forms (re-exported by jaring.functional) ------------------------------


def reshape(x: Any, *shape: Any) -> Tensor:
    """The same elements in a new shape; one entry may be -1 (inferred). reshape(x, 2, 3) or (2, 3).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.reshape(jaring.arange(6), 2, 3).tolist()
        [[0, 1, 2], [3, 4, 5]]
        >>> F.reshape(jaring.arange(6), (3, -1)).shape
        (3, 2)
    """
    x = as_tensor(x)
    if not shape:
        raise TypeError(f"reshape needs a target shape (the tensor has shape {x.shape})")
    shape = _shape_arg("reshape", shape)
    if shape.count(-1) > 1 or any(n < -1 for n in shape):
        raise ValueError(f"reshape: invalid shape {shape}; sizes are >= 0 and at most one may be -1")
    known = math.prod(n for n in shape if n != -1)
    count = x.data.size  # the array's int, not Tensor.size's callable count
    fits = (known > 0 and count % known == 0) if -1 in shape else known == count
    if not fits:
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {x.shape} ({count} elements) into {shape}"
        )
    return Reshape.apply(x, shape=shape)


def transpose(x: Any, *axes: Any) -> Tensor:
    """Permute axes. No axes reverses them (like x.T); two ints swap those two axes (PyTorch's
    x.transpose(0, 1)); a full permutation, given as ints or one tuple, permutes (NumPy).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.transpose(jaring.tensor([[1, 2, 3], [4, 5, 6]])).tolist()
        [[1, 4], [2, 5], [3, 6]]
        >>> F.transpose(jaring.zeros(2, 3, 4), 0, 1).shape
        (3, 2, 4)
    """
    x = as_tensor(x)
    if len(axes) == 2 and all(isinstance(a, (int, np.integer)) for a in axes):
        return swapaxes(x, *axes)
    if len(axes) == 1 and axes[0] is None:
        axes = ()
    if not axes:
        return Transpose.apply(x, axes=tuple(range(x.ndim - 1, -1, -1)))
    return permute(x, *axes)


def permute(x: Any, *dims: Any) -> Tensor:
    """Reorder all axes: permute(x, 0, 2, 1) or permute(x, (0, 2, 1)); negative axes allowed.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.permute(jaring.zeros(2, 3, 4), 2, 0, 1).shape
        (4, 2, 3)
    """
    x = as_tensor(x)
    dims = _shape_arg("permute", dims)
    n = x.ndim
    if not (len(dims) == n and all(-n <= d < n for d in dims) and len({d % n for d in dims}) == n):
        raise ValueError(
            f"permute: {dims} is not a permutation of the {x.ndim} axes of a tensor of shape {x.shape} "
            f"(give each of 0..{x.ndim - 1} once)"
        )
    return Transpose.apply(x, axes=tuple(d % x.ndim for d in dims))


def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    """Exchange two axes (PyTorch's transpose(dim0, dim1)).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.swapaxes(jaring.zeros(2, 3, 4), 0, 2).shape
        (4, 3, 2)
    """
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError("swapaxes: a 0-d tensor has no axes to swap")
    a = resolve_axis("swapaxes", axis1, x.ndim, name="axis1")
    b = resolve_axis("swapaxes", axis2, x.ndim, name="axis2")
    axes = list(range(x.ndim))
    axes[a], axes[b] = b, a
    return Transpose.apply(x, axes=tuple(axes))


def broadcast_to(x: Any, shape: Any) -> Tensor:
    """A read-only view repeated along new or size-1 axes (NumPy broadcasting rules).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> F.broadcast_to(jaring.tensor([1, 2, 3]), (2, 3)).tolist()
        [[1, 2, 3], [1, 2, 3]]
    """
    x = as_tensor(x)
    shape = _shape_arg("broadcast_to", (shape,))
    try:
        ok = np.broadcast_shapes(x.shape, shape) == shape
    except ValueError:
        ok = False
    if not ok:
        raise ValueError(f"broadcast_to: cannot broadcast a tensor of shape {x.shape} to shape {shape}")
    return BroadcastTo.apply(x, shape=shape)


def squeeze(x: Any, axis: Any = None, *, dim: Any = None) -> Tensor:
    """Drop size-1 axes: all of them, or those of the named ones (an int or a tuple) that have
    size 1. A named axis of another size stays, as in torch (NumPy would raise), so that
    `logits.squeeze(-1)` works on (N, 1) and leaves (N, 3) alone.

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.zeros(1, 3, 1)
        >>> F.squeeze(x).shape, F.squeeze(x, dim=0).shape, x.squeeze(1).shape
        ((3,), (3, 1), (1, 3, 1))
    """
    x = as_tensor(x)
    axes = resolve_axis("squeeze", axis, x.ndim, dim=dim, many=True)
    if x.ndim == 0:
        return Reshape.apply(x, shape=())
    drop = {a for a in axes if x.shape[a] == 1}
    return Reshape.apply(x, shape=tuple(n for i, n in enumerate(x.shape) if i not in drop))


def unsqueeze(x: Any, axis: Any = None, *, dim: Any = None) -> Tensor:
    """Insert a size-1 axis at `axis` (from -ndim-1 to ndim, as in PyTorch).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.tensor([1, 2, 3])
        >>> F.unsqueeze(x, 0).shape, F.unsqueeze(x, dim=-1).shape
        ((1, 3), (3, 1))
    """
    x = as_tensor(x)
    if axis is None and dim is None:
        raise TypeError("unsqueeze needs an axis")
    a = resolve_axis("unsqueeze", axis, x.ndim, dim=dim, new_axis=True)
    return Reshape.apply(x, shape=x.shape[:a] + (1,) + x.shape[a:])


def flatten(x: Any, start_dim: int = 0, end_dim: int = -1) -> Tensor:
    """Merge axes start_dim..end_dim (inclusive) into one, as torch.flatten; a 0-d tensor becomes (1,).

    Examples:
        >>> import jaring
        >>> import jaring.functional as F
        >>> x = jaring.zeros(2, 3, 4)
        >>> F.flatten(x).shape, F.flatten(x, start_dim=1).shape
        ((24,), (2, 12))
    """
    x = as_tensor(x)
    # A 0-d tensor flattens to shape (1,) and accepts axis 0 or -1, as in PyTorch.
    start = resolve_axis("flatten", start_dim, max(x.ndim, 1), name="start_dim")
    end = resolve_axis("flatten", end_dim, max(x.ndim, 1), name="end_dim")
    if x.ndim == 0:
        return Reshape.apply(x, shape=(1,))
    if start > end:
        raise ValueError(f"flatten: start_dim {start_dim} comes after end_dim {end_dim} (shape {x.shape})")
    merged = math.prod(x.shape[start : end + 1])
    return Reshape.apply(x, shape=x.shape[:start] + (merged,) + x.shape[end + 1 :])


def concat(tensors: Sequence[Any], axis: Any = 0, *, dim: Any = None) -> Tensor:
    """Join tensors along an existing axis; all other sizes must match (also `jaring.cat`).

    Examples:
        >>> import jaring
        >>> a, b = jaring.tensor([[1, 2]]), jaring.tensor([[3, 4]])
        >>> jaring.concat([a, b]).tolist(), jaring.cat([a, b], dim=1).tolist()
        ([[1, 2], [3, 4]], [[1, 2, 3, 4]])
    """
    tensors = _tensors("concat", tensors)
    first = tensors[0]
    if first.ndim == 0:
        raise ValueError("concat: 0-d tensors cannot be concatenated; use stack")
    a = resolve_axis("concat", axis, first.ndim, dim=dim, default=0)
    for t in tensors:
        if t.ndim != first.ndim or t.shape[:a] + t.shape[a + 1 :] != first.shape[:a] + first.shape[a + 1 :]:
            shapes = ", ".join(str(u.shape) for u in tensors)
            raise ValueError(f"concat: tensors must have the same shape except along axis {a}, got {shapes}")
    return Concat.apply(*tensors, axis=a)


cat = concat


def stack(tensors: Sequence[Any], axis: Any = 0, *, dim: Any = None) -> Tensor:
    """Join same-shaped tensors along a new axis.

    Examples:
        >>> import jaring
        >>> a, b = jaring.tensor([1, 2]), jaring.tensor([3, 4])
        >>> jaring.stack([a, b]).tolist(), jaring.stack([a, b], dim=1).tolist()
        ([[1, 2], [3, 4]], [[1, 3], [2, 4]])
    """
    tensors = _tensors("stack", tensors)
    a = resolve_axis("stack", axis, tensors[0].ndim, dim=dim, default=0, new_axis=True)
    if any(t.shape != tensors[0].shape for t in tensors):
        shapes = ", ".join(str(t.shape) for t in tensors)
        raise ValueError(f"stack: all tensors must have the same shape, got {shapes}")
    return Stack.apply(*tensors, axis=a)


def split(x: Any, split_size_or_sections: Any, axis: Any = 0, *, dim: Any = None) -> list:
    """Cut into pieces along `axis` (PyTorch semantics): an int is the size of each piece (the
    last may be smaller); a list gives every piece's size and must sum to the axis length.

    Examples:
        >>> import jaring
        >>> [piece.tolist() for piece in jaring.split(jaring.arange(5), 2)]
        [[0, 1], [2, 3], [4]]
        >>> [piece.shape for piece in jaring.split(jaring.zeros(4, 6), [1, 5], dim=1)]
        [(4, 1), (4, 5)]
    """
    x = as_tensor(x)
    if x.ndim == 0:
        raise ValueError("split: a 0-d tensor has no axis to split")
    a = resolve_axis("split", axis, x.ndim, dim=dim, default=0)
    length = x.shape[a]
    sizes = split_size_or_sections
    if isinstance(sizes, (int, np.integer)) and not isinstance(sizes, bool):
        if sizes <= 0:
            raise ValueError(f"split: the piece size must be a positive int, got {sizes}")
        sizes = [min(sizes, length - s) for s in range(0, length, sizes)] or [0]
    else:
        sizes = list(sizes)
        if any(not isinstance(s, (int, np.integer)) or s < 0 for s in sizes) or sum(sizes) != length:
            raise ValueError(
                f"split: sizes {sizes} must be non-negative ints summing to {length}, "
                f"the length of axis {axis} in a tensor of shape {x.shape}"
            )
    lead = (slice(None),) * a
    bounds = np.cumsum([0, *sizes]).tolist()
    return [GetItem.apply(x, index=lead + (slice(s, e),), kind="assign") for s, e in zip(bounds, bounds[1:])]


def pad(x: Any, pad_width: Any, value: float = 0.0) -> Tensor:
    """Pad with a constant. pad_width as in NumPy: n, (before, after), or one pair per axis."""
    x = as_tensor(x)
    widths = np.asarray(pad_width)
    if widths.dtype.kind not in "iu" or widths.ndim > 2:
        raise ValueError(
            f"pad: pad_width must be an int, a (before, after) pair or one pair per axis, got {pad_width!r}"
        )
    try:
        pairs = np.broadcast_to(widths, (x.ndim, 2))
    except ValueError:
        raise ValueError(
            f"pad: pad_width {pad_width!r} does not fit a tensor of shape {x.shape}; give an int, a "
            f"(before, after) pair or {x.ndim} pairs, first axis first (not PyTorch's last-axis-first list)"
        ) from None
    if (pairs < 0).any():
        raise ValueError(f"pad: pad widths must be >= 0, got {pad_width!r}")
    if x.ndim == 0:  # nothing to pad; NumPy's pad rejects the empty list of pairs
        return Reshape.apply(x, shape=())
    return Pad.apply(x, pairs=tuple((int(b), int(e)) for b, e in pairs), value=value)
