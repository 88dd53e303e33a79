"""Tensor methods under PyTorch's names, each built from the ops, for code written for torch.

`pred.eq(target.view_as(pred)).sum().item()`, `x.clone()`, `x.expand(4, -1)`, `x.norm(dim=1)`,
`x.chunk(2)`, `x.index_select(0, idx)`, `x.new_zeros(3)`: what torch's tutorials reach for.
Most are one line over an op of the floor; the two with a backward of their own are Clone (the
copy) and PNorm (whose gradient at a zero vector is 0, as torch's, not 0/0).
`jaring/ops/tensor_methods.py` installs them with the others.
"""

from __future__ import annotations

import math
import operator
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor
from jaring.ops import arith, index, linalg, logic, reduce, rearrange, select, shape
from jaring.ops.common import as_tensor, floating, resolve_axis


class Clone(Function):
    """A copy in new memory; the gradient passes unchanged."""

    @staticmethod
    def forward(ctx: Context, a: Any) -> Any:
        return a.copy()

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return grad


class PNorm(Function):
    """(sum |x|^p)^(1/p) over `axes`, for p > 0; its gradient sign(x) |x|^(p-1) / norm^(p-1)
    is 0 where the norm is 0 (torch's), not the 0/0 that composing pow and sum would give."""

    @staticmethod
    def forward(ctx: Context, a: Any, axes: tuple, keepdims: bool, p: float) -> Any:
        xp = backend.array_module(a)
        if p == 2:
            norm = xp.sqrt((a * a).sum(axis=axes, keepdims=True))
        else:
            norm = (xp.abs(a) ** p).sum(axis=axes, keepdims=True) ** (1.0 / p)
        ctx.saved = (a, norm)
        ctx.p = p
        return norm if keepdims else norm.reshape([n for i, n in enumerate(a.shape) if i not in axes])

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        a, norm = ctx.saved
        xp = backend.array_module(a)
        grad = grad.reshape(norm.shape)
        safe = xp.where(norm == 0, 1, norm)
        if ctx.p == 2:
            slope = a / safe
        else:
            with np.errstate(divide="ignore", invalid="ignore"):  # |0|^(p-1) for p < 1
                slope = xp.sign(a) * xp.abs(a) ** (ctx.p - 1) / safe ** (ctx.p - 1)
            slope = xp.where(a == 0, 0, slope)
        return xp.where(norm == 0, 0, grad * slope).astype(a.dtype, copy=False)


def clone(self: Tensor) -> Tensor:
    """A copy that owns its memory; gradients flow back to self (torch.clone)."""
    return Clone.apply(self)


def contiguous(self: Tensor) -> Tensor:
    """self when its array is C-contiguous, else a C-contiguous copy (torch's contiguous)."""
    return self if self.data.flags.c_contiguous else Clone.apply(self)


def cpu(self: Tensor) -> Tensor:
    """self on the CPU (itself when it is there already)."""
    return self.to("cpu")


def numel(self: Tensor) -> int:
    """The number of elements (jaring's `size`; torch's size() is the shape)."""
    return int(self.size)


def dim(self: Tensor) -> int:
    """The number of dimensions (`ndim`)."""
    return self.ndim


def t(self: Tensor) -> Tensor:
    """The transpose of a matrix; a 0-d or 1-D tensor as it is (torch.t)."""
    if self.ndim > 2:
        raise ValueError(
            f"t: expects a tensor of at most 2 dimensions, got shape {self.shape}; use transpose"
        )
    return shape.transpose(self) if self.ndim == 2 else self


def view_as(self: Tensor, other: Tensor) -> Tensor:
    """self reshaped to other's shape (also `reshape_as`)."""
    return shape.reshape(self, tuple(other.shape))


def expand(self: Tensor, *sizes: Any) -> Tensor:
    """self broadcast to `sizes`, where -1 keeps that dimension (torch.Tensor.expand)."""
    sizes = _size(sizes)
    lead = len(sizes) - self.ndim
    if lead < 0:
        raise ValueError(
            f"expand: {len(sizes)} sizes for a tensor of shape {self.shape}; give at least {self.ndim}"
        )
    target = []
    for i, n in enumerate(sizes):
        if n == -1:
            if i < lead:
                raise ValueError(f"expand: -1 is not allowed for a new leading dimension, got sizes {sizes}")
            n = self.shape[i - lead]
        target.append(int(n))
    return shape.broadcast_to(self, tuple(target))


def expand_as(self: Tensor, other: Tensor) -> Tensor:
    """self broadcast to other's shape."""
    return shape.broadcast_to(self, tuple(other.shape))


def type_as(self: Tensor, other: Tensor) -> Tensor:
    """self cast to other's dtype."""
    return arith.cast(self, other.dtype)


def new_tensor(self: Tensor, data: Any) -> Tensor:
    """A tensor of `data` with self's dtype (no gradient, as in torch)."""
    return Tensor(np.asarray(data.data if isinstance(data, Tensor) else data, dtype=self.dtype))


def _size(sizes: tuple) -> tuple:
    return tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else sizes


def new_zeros(self: Tensor, *sizes: Any) -> Tensor:
    """Zeros of shape `sizes` with self's dtype and device."""
    return Tensor(backend.array_module(self.data).zeros(_size(sizes), dtype=self.dtype))


def new_ones(self: Tensor, *sizes: Any) -> Tensor:
    """Ones of shape `sizes` with self's dtype and device."""
    return Tensor(backend.array_module(self.data).ones(_size(sizes), dtype=self.dtype))


def new_full(self: Tensor, size: Any, fill_value: Any) -> Tensor:
    """`fill_value` in shape `size` with self's dtype and device."""
    return Tensor(backend.array_module(self.data).full(_size((size,)), fill_value, dtype=self.dtype))


def chunk(self: Tensor, chunks: int, dim: int = 0) -> list:
    """`chunks` pieces along `dim` of ceil(length / chunks) each, the last shorter (or fewer
    pieces when the length runs out first), as torch.chunk."""
    if isinstance(chunks, bool) or not isinstance(chunks, (int, np.integer)) or chunks <= 0:
        raise ValueError(f"chunk: chunks must be a positive int, got {chunks!r}")
    if self.ndim == 0:
        raise ValueError("chunk: a 0-d tensor has no dimension to cut")
    (axis,) = resolve_axis("chunk", dim, self.ndim, many=True)
    length = self.shape[axis]
    if length == 0:  # torch gives `chunks` empty pieces
        return shape.split(self, [0] * chunks, dim=axis)
    return shape.split(self, math.ceil(length / chunks), dim=axis)


def unbind(self: Tensor, dim: int = 0) -> tuple:
    """The slices along `dim`, each without that dimension (torch.unbind)."""
    if self.ndim == 0:
        raise ValueError("unbind: a 0-d tensor has no dimension to take apart")
    (axis,) = resolve_axis("unbind", dim, self.ndim, many=True)
    lead = (slice(None),) * axis
    return tuple(index.getitem(self, lead + (i,)) for i in range(self.shape[axis]))


def narrow(self: Tensor, dim: int, start: int, length: int) -> Tensor:
    """The `length` elements from `start` along `dim` (torch.narrow)."""
    (axis,) = resolve_axis("narrow", dim, self.ndim, many=True)
    n = self.shape[axis]
    start = start + n if start < 0 else start
    if not 0 <= start <= n or length < 0 or start + length > n:
        raise IndexError(f"narrow: start {start} and length {length} leave dim {axis} of size {n}")
    return index.getitem(self, (slice(None),) * axis + (slice(start, start + length),))


def index_select(self: Tensor, dim: int, indices: Any) -> Tensor:
    """The entries at `indices` (a 1-D integer tensor) along `dim` (torch.index_select)."""
    picked = indices.data if isinstance(indices, Tensor) else np.asarray(indices)
    if picked.ndim > 1 or picked.dtype.kind not in "iu":
        raise ValueError(
            "index_select: indices must be a 0-d or 1-D integer tensor, "
            f"got {picked.dtype} of shape {picked.shape}"
        )
    (axis,) = resolve_axis("index_select", dim, max(self.ndim, 1), many=True)
    return index.getitem(self, (slice(None),) * axis + (picked.reshape(-1),))


def norm(self: Tensor, p: Any = "fro", dim: Any = None, keepdim: bool = False) -> Tensor:
    """The p-norm over `dim` (all elements when None): p = 2 or "fro" (the default), 1, inf,
    -inf, 0 (the count of non-zeros) or any other positive number (torch.norm)."""
    axes = resolve_axis("norm", dim, self.ndim, many=True) if self.ndim else ()
    if p == "fro":
        p = 2
    magnitude = arith.abs(self)
    if p in (math.inf, -math.inf):
        pick = reduce.max if p > 0 else reduce.min
        return pick(magnitude, axes if axes else None, keepdim)
    if p == 0:
        return reduce.sum(arith.cast(self != 0, self.dtype), axes if axes else None, keepdim)
    if not isinstance(p, (int, float)) or isinstance(p, bool) or p < 0:
        raise ValueError(f"norm: p must be 'fro', inf, -inf or a number >= 0, got {p!r}")
    if p == 1:
        return reduce.sum(magnitude, axes if axes else None, keepdim)
    return PNorm.apply(floating(self), axes=axes, keepdims=keepdim, p=float(p))


def square(self: Tensor) -> Tensor:
    """self * self."""
    return self * self


def mm(self: Tensor, other: Any) -> Tensor:
    """The product of two matrices (2-D only, as torch.mm; `@` broadcasts)."""
    other = as_tensor(other)
    if self.ndim != 2 or other.ndim != 2:
        raise ValueError(f"mm: expects two matrices, got shapes {self.shape} and {other.shape}")
    return linalg.matmul(self, other)


def bmm(self: Tensor, other: Any) -> Tensor:
    """Batched matrix products of (b, n, m) and (b, m, p) (3-D only, as torch.bmm)."""
    other = as_tensor(other)
    if self.ndim != 3 or other.ndim != 3 or self.shape[0] != other.shape[0]:
        raise ValueError(f"bmm: expects (b, n, m) and (b, m, p), got shapes {self.shape} and {other.shape}")
    return linalg.matmul(self, other)


def dot(self: Tensor, other: Any) -> Tensor:
    """The inner product of two vectors (1-D only, as torch.dot)."""
    other = as_tensor(other)
    if self.ndim != 1 or other.ndim != 1 or self.shape != other.shape:
        raise ValueError(f"dot: expects two vectors of one length, got shapes {self.shape} and {other.shape}")
    return linalg.matmul(self, other)


def outer(self: Tensor, other: Any) -> Tensor:
    """The outer product of two vectors: out[i, j] = self[i] * other[j]."""
    other = as_tensor(other)
    if self.ndim != 1 or other.ndim != 1:
        raise ValueError(f"outer: expects two vectors, got shapes {self.shape} and {other.shape}")
    return shape.reshape(self, (-1, 1)) * shape.reshape(other, (1, -1))


def where(self: Tensor, condition: Any, other: Any) -> Tensor:
    """self where `condition` holds, else `other` (torch.Tensor.where)."""
    return select.where(condition, self, other)


def nan_to_num(
    self: Tensor, nan: float = 0.0, posinf: float | None = None, neginf: float | None = None
) -> Tensor:
    """NaN, +inf and -inf replaced (by 0 and the dtype's largest and smallest finite values unless
    given); the gradient passes where the value was finite and is 0 where it was replaced."""
    if self.dtype.kind != "f":
        return self
    info = np.finfo(self.dtype)
    out = select.where(logic.isnan(self), nan, self)
    out = select.where(self == math.inf, info.max if posinf is None else posinf, out)
    return select.where(self == -math.inf, info.min if neginf is None else neginf, out)


def tile(self: Tensor, *reps: Any) -> Tensor:
    """self repeated `reps[d]` times along each dimension; fewer reps than dimensions count from
    the last, as torch.tile (Tensor.repeat needs one per dimension)."""
    reps = _size(reps)
    return rearrange.repeat(self, *((1,) * (self.ndim - len(reps)) + tuple(reps)))


def unique(
    self: Tensor,
    sorted: bool = True,
    return_inverse: bool = False,
    return_counts: bool = False,
    dim: Any = None,
) -> Any:
    """The distinct values in ascending order (torch.unique; no gradient), with, on request, the
    inverse (where each element's value sits in them) and the counts, over the flattened tensor
    or the slices along `dim`."""
    xp = backend.array_module(self.data)
    axis = None if dim is None else resolve_axis("unique", dim, self.ndim, many=True)[0]
    values, inverse, counts = xp.unique(self.data, return_inverse=True, return_counts=True, axis=axis)
    inverse = inverse.reshape(self.shape if axis is None else (self.shape[axis],)).astype(np.int64)
    out = [Tensor(values)]
    if return_inverse:
        out.append(Tensor(inverse))
    if return_counts:
        out.append(Tensor(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def _cast(dtype: str) -> Any:
    def method(self: Tensor) -> Tensor:
        return arith.cast(self, dtype)

    method.__name__ = method.__qualname__ = {"int32": "int", "bool": "bool", "float16": "half"}[dtype]
    method.__doc__ = f"self cast to {dtype}."
    return method


def _add(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """self + alpha * other."""
    return self + (other if alpha == 1 else other * alpha)


def _sub(self: Tensor, other: Any, *, alpha: Any = 1) -> Tensor:
    """self - alpha * other."""
    return self - (other if alpha == 1 else other * alpha)


def _named(name: str, symbol: str, fn: Any) -> Any:
    """`x.<name>(y)`, torch's name for `x <symbol> y`."""

    def method(self: Tensor, other: Any) -> Tensor:
        return fn(self, other)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"self {symbol} other, under torch's name."
    return method


METHODS: dict[str, Any] = {
    "clone": clone,
    "contiguous": contiguous,
    "cpu": cpu,
    "numel": numel,
    "dim": dim,
    "t": t,
    "view_as": view_as,
    "reshape_as": view_as,
    "expand": expand,
    "expand_as": expand_as,
    "type_as": type_as,
    "new_tensor": new_tensor,
    "new_zeros": new_zeros,
    "new_ones": new_ones,
    "new_full": new_full,
    "chunk": chunk,
    "split": shape.split,
    "unbind": unbind,
    "narrow": narrow,
    "index_select": index_select,
    "norm": norm,
    "square": square,
    "mm": mm,
    "bmm": bmm,
    "dot": dot,
    "outer": outer,
    "where": where,
    "nan_to_num": nan_to_num,
    "tile": tile,
    "unique": unique,
    "int": _cast("int32"),
    "bool": _cast("bool"),
    "half": _cast("float16"),
    # the operators under their names, as torch has them: x.add(y, alpha=2), pred.eq(target)
    "add": _add,
    "sub": _sub,
    "neg": arith.neg,
}
_OPERATORS = {
    "mul": "*",
    "div": "/",
    "pow": "**",
    "eq": "==",
    "ne": "!=",
    "lt": "<",
    "le": "<=",
    "gt": ">",
    "ge": ">=",
}
_FUNCTIONS = {"div": operator.truediv}
METHODS.update(
    {
        name: _named(name, symbol, _FUNCTIONS.get(name) or getattr(operator, name))
        for name, symbol in _OPERATORS.items()
    }
)
