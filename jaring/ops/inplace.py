"""In-place ops: `add_`, `mul_`, `zero_`, `copy_`, `x -= y`, `x[i] = v` and the rest, with torch's rules.

Three cases, decided per call:
- no graph is recorded (inside no_grad, or nothing requires grad): the new values are written
  into the tensor's own array, so `w -= lr * w.grad` keeps `w` the same leaf (same object, same
  memory, requires_grad kept) and arrays shared through `from_numpy` see the change;
- the tensor is a leaf that requires grad and recording is on: torch's error, since its
  gradient would no longer mean anything;
- otherwise the op is recorded: the tensor takes the place of the op's output in the graph and
  gets a fresh array holding the result (the old array stays with the old node, so gradients
  through it stay right; NumPy views taken before see the old values, unlike torch's views).
Every in-place op advances the tensor's version counter (jaring/autograd/versions.py), so a
backward that needs the old values raises instead of giving a wrong gradient.
"""

from __future__ import annotations

from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import backend
from jaring.autograd import function
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor, _new_tensor
from jaring.autograd.versions import advance, mark_relinked, version_error
from jaring.ops import arith, select, shape
from jaring.ops.index import _index_part
from jaring.ops.mask import masked_fill
from jaring.ops.index_order import inverse, torch_permutation
from jaring.ops.promotion import can_cast

LEAF_ERROR = "a leaf Variable that requires grad is being used in an in-place operation."


def _check_not_leaf(t: Tensor) -> None:
    if function._grad_enabled and t.requires_grad and t._ctx is None:
        raise RuntimeError(
            f"{LEAF_ERROR} Update weights inside `with jaring.no_grad():` "
            "(or change w.detach(), which shares the memory and records nothing)."
        )


def _write(t: Tensor, values: Any, name: str) -> None:
    if isinstance(t.data, np.generic):  # a NumPy scalar has no memory to write into or share
        t.data = np.array(values, dtype=t.data.dtype)
        return
    try:
        t.data[...] = values
    except ValueError as exc:  # read-only memory, e.g. a broadcast view
        raise RuntimeError(f"{name}: cannot write into this tensor's memory ({exc})") from None


def apply_inplace(t: Tensor, compute: Callable[[Tensor], Tensor], name: str, cast: bool = False) -> Tensor:
    """Replace t's values by compute(t) in place and return t; `cast` allows any dtype (copy_)."""
    if not isinstance(t, Tensor):
        raise TypeError(f"{name}: expected a Tensor, got {type(t).__name__}")
    _check_not_leaf(t)
    recording = function._grad_enabled
    # compute runs on a stand-in for the old node, so a recorded result never points at itself.
    source = _new_tensor(t.data, t._ctx) if recording else t
    if recording:
        source.requires_grad = t.requires_grad
    out = compute(source)
    if out.shape != t.shape:
        raise RuntimeError(
            f"{name}: output with shape {t.shape} doesn't match the broadcast shape {out.shape}"
        )
    if not cast and not can_cast(out.dtype, t.dtype):
        raise RuntimeError(
            f"{name}: result type {out.dtype} can't be cast to the desired output type {t.dtype}"
        )
    if out._ctx is None:
        _write(t, out.data, name)
        advance(t, t.data)
        return t
    if out.dtype != t.dtype:
        out = arith.cast(out, t.dtype)
    _point_at_old_node(out, t, source)
    stamp = advance(t)
    out._ctx.stamp = stamp  # the new node comes after the change it records
    t.data, t._ctx, t.requires_grad = out.data, out._ctx, True
    mark_relinked(t, stamp)
    return t


def _point_at_old_node(out: Tensor, t: Tensor, source: Tensor) -> None:
    """Make the nodes of `out`'s graph that took `t`'s current value take `source` (t's old node).

    In `y.add_(y * 2)` the operand `y * 2` was recorded with the tensor object `y`, which is about
    to name the new node: left as it is, the graph would run from the new node through `y * 2`
    back into itself, and backward would give `y`'s inputs no gradient at all. torch's graph
    holds the old node there; so does this one after the walk. A node that took an older value
    of `t` (recorded before t's last recorded in-place op) cannot be pointed anywhere right, so
    it raises torch's version error now instead of losing the gradient.

    The walk skips nodes recorded before t's current node (an earlier in-place clock reading),
    which cannot hold t: after an earlier in-place op it covers only what was recorded since."""
    floor = source._ctx.stamp if source._ctx is not None and t._relinked < 0 else None
    seen, stack = set(), [out._ctx]
    while stack:
        ctx = stack.pop()
        if id(ctx) in seen or (floor is not None and ctx.stamp < floor):
            continue
        seen.add(id(ctx))
        if any(parent is t for parent in ctx.parents):
            if ctx.stamp < t._relinked:
                raise version_error(t, "an input used", ctx)
            ctx.parents = tuple(source if parent is t else parent for parent in ctx.parents)
        stack.extend(
            parent._ctx for parent in ctx.parents if parent._ctx is not None and parent is not source
        )


def _same(t: Tensor, value: Any, source: Tensor) -> Any:
    """`value`, with `t` itself replaced by its stand-in (x.add_(x) must not form a cycle)."""
    return source if value is t else value


def add_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
    """self += alpha * other, in place."""
    return apply_inplace(self, lambda s: arith.add(s, _scaled(_same(self, other, s), alpha)), "add_")


def sub_(self: Tensor, other: Any, *, alpha: float = 1) -> Tensor:
    """self -= alpha * other, in place."""
    return apply_inplace(self, lambda s: arith.sub(s, _scaled(_same(self, other, s), alpha)), "sub_")


def mul_(self: Tensor, other: Any) -> Tensor:
    """self *= other, in place."""
    return apply_inplace(self, lambda s: arith.mul(s, _same(self, other, s)), "mul_")


def div_(self: Tensor, other: Any) -> Tensor:
    """self /= other, in place (an integer tensor refuses: the quotient is a float)."""
    return apply_inplace(self, lambda s: arith.div(s, _same(self, other, s)), "div_")


def clamp_(self: Tensor, min: Any = None, max: Any = None) -> Tensor:
    """Clip self to [min, max], in place."""
    return apply_inplace(self, lambda s: select.clamp(s, min, max), "clamp_")


def masked_fill_(self: Tensor, mask: Any, value: Any) -> Tensor:
    """Set self to `value` where `mask` (boolean, broadcast to self) is true, in place.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, 2.0, 3.0])
        >>> x.masked_fill_(x > 1.5, 0.0).tolist()
        [1.0, 0.0, 0.0]
    """
    return apply_inplace(self, lambda s: masked_fill(s, mask, value), "masked_fill_")


def _scaled(value: Any, alpha: float) -> Any:
    return value if alpha == 1 else arith.mul(value, alpha)


class Fill(Function):
    """Every element set to one number: no gradient reaches the old values."""

    @staticmethod
    def forward(ctx: Context, a: Any, value: Any) -> Any:
        return backend.array_module(a).full(a.shape, value, dtype=a.dtype)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        return None


class CopyFrom(Function):
    """The values of `src`, broadcast to the target's shape and cast to its dtype."""

    @staticmethod
    def forward(ctx: Context, a: Any, src: Any) -> Any:
        xp = backend.array_module(a)
        try:
            out = xp.broadcast_to(src, a.shape)
        except ValueError:
            raise RuntimeError(
                f"copy_: source of shape {src.shape} cannot be broadcast to {a.shape}"
            ) from None
        ctx.src_dtype = src.dtype
        return out.astype(a.dtype, copy=True)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        return None, (grad.astype(ctx.src_dtype) if ctx.src_dtype.kind == "f" else None)


def fill_(self: Tensor, value: Any) -> Tensor:
    """Set every element to `value` (a number or a one-element tensor), in place."""
    if isinstance(value, Tensor):
        value = value.item()
    if not isinstance(value, (bool, int, float, np.number, np.bool_)):
        raise TypeError(f"fill_: value must be a number, got {value!r:.80} (a {type(value).__name__})")
    return apply_inplace(self, lambda s: Fill.apply(s, value=value), "fill_", cast=True)


def zero_(self: Tensor) -> Tensor:
    """Set every element to 0, in place (as in `w.grad.zero_()`)."""
    return fill_(self, 0)


def copy_(self: Tensor, src: Any) -> Tensor:
    """Copy `src`'s values into self (broadcast to self's shape, cast to its dtype), in place."""
    src = src if isinstance(src, Tensor) else Tensor(src)
    return apply_inplace(self, lambda s: CopyFrom.apply(s, _same(self, src, s)), "copy_", cast=True)


class SetItem(Function):
    """a with a[index] = v; the gradient of the overwritten places goes to v, not to a."""

    @staticmethod
    def forward(ctx: Context, a: Any, v: Any, index: tuple) -> Any:
        out = a.copy()
        try:
            out[index] = v
        except (IndexError, ValueError) as exc:
            raise type(exc)(f"setitem on a tensor of shape {tuple(a.shape)}: {exc}") from None
        ctx.index = index
        return out

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        need_a, need_v = ctx.needs_input_grad
        grad_a = None
        if need_a:
            grad_a = grad.copy()
            grad_a[ctx.index] = 0
        return grad_a, (grad[ctx.index] if need_v else None)


def setitem(self: Tensor, index: Any, value: Any) -> None:
    """x[index] = value with PyTorch's indexing (see `getitem`); recorded in the graph like the
    other in-place ops."""
    parts = index if isinstance(index, tuple) else (index,)
    xp = backend.array_module(self.data)
    parts = tuple(_index_part(p, xp) for p in parts)
    order = torch_permutation(parts, self.ndim)
    needs_graph = function._grad_enabled and (
        self.requires_grad or (isinstance(value, Tensor) and value.requires_grad)
    )
    if not needs_graph:  # the common case: write straight into the array
        _check_not_leaf(self)
        raw = value.data if isinstance(value, Tensor) else value
        try:
            if order is not None:
                raw = _in_numpy_order(xp.asarray(raw), self, parts, order, xp)
            self.data[parts] = raw
        except (IndexError, ValueError) as exc:
            raise type(exc)(f"setitem on a tensor of shape {tuple(self.shape)}: {exc}") from None
        advance(self, self.data)
        return
    v = value if isinstance(value, Tensor) else Tensor(np.asarray(value, dtype=self.dtype))
    if v.dtype != self.dtype:
        v = arith.cast(v, self.dtype)
    if order is not None:
        try:
            v = _in_numpy_order(v, self, parts, order, xp)
        except (IndexError, ValueError) as exc:
            raise type(exc)(f"setitem on a tensor of shape {tuple(self.shape)}: {exc}") from None
    apply_inplace(self, lambda s: SetItem.apply(s, _same(self, v, s), index=parts), "setitem", cast=True)


def _in_numpy_order(value: Any, target: Tensor, parts: tuple, order: list, xp: Any) -> Any:
    """`value`, given for PyTorch's x[parts], broadcast and transposed for NumPy's x[parts] =."""
    # NumPy's result shape: index a broadcast one-byte zero of the target's shape (a byte per
    # picked element, not the target's data)
    numpy_shape = xp.broadcast_to(xp.zeros((), np.int8), target.shape)[parts].shape
    torch_shape = tuple(numpy_shape[axis] for axis in order)
    if isinstance(value, Tensor):
        return shape.transpose(shape.broadcast_to(value, torch_shape), inverse(order))
    return xp.broadcast_to(value, torch_shape).transpose(inverse(order))


def _iadd(self: Tensor, other: Any) -> Tensor:
    return add_(self, other)


def _isub(self: Tensor, other: Any) -> Tensor:
    return sub_(self, other)


def _imul(self: Tensor, other: Any) -> Tensor:
    return mul_(self, other)


def _itruediv(self: Tensor, other: Any) -> Tensor:
    return div_(self, other)


METHODS: dict[str, Any] = {
    "add_": add_,
    "sub_": sub_,
    "mul_": mul_,
    "div_": div_,
    "clamp_": clamp_,
    "masked_fill_": masked_fill_,
    "fill_": fill_,
    "zero_": zero_,
    "copy_": copy_,
    "__iadd__": _iadd,
    "__isub__": _isub,
    "__imul__": _imul,
    "__itruediv__": _itruediv,
    "__setitem__": setitem,
}
