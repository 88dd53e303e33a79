"""Function: the base class of every differentiable op, its Context, and gradient mode.

An op subclasses `Function` and writes two static methods on raw arrays:

    forward(ctx, *arrays, **attrs) -> array
    backward(ctx, grad) -> one array per input (or None where no gradient flows)

`Op.apply(*tensors, **attrs)` runs forward and, only when gradient mode is on and some input
requires grad, records a Context on the output so the engine can call backward later.
Backward returns gradients in the *broadcast* shape; the engine sums them down once.
"""

from __future__ import annotations

import functools
from typing import Any
from collections.abc import Callable

from jaring.autograd.tensor import Tensor, _ndarray, _new_tensor, _object_new


# Process-wide switch for graph recording (jaring is single-threaded by design). A plain
# module global, because every op reads it.
_grad_enabled = True

# Counts in-place ops (see jaring/autograd/versions.py). Every recorded Context keeps the count
# of its moment, so backward can tell which tensors changed after an op saved them.
_clock = 0


def _set_mode(flag: bool) -> None:
    global _grad_enabled
    _grad_enabled = flag


def is_grad_enabled() -> bool:
    """Whether ops currently record the graph for backward.

    Examples:
        >>> import jaring
        >>> with jaring.no_grad():
        ...     print(jaring.is_grad_enabled())
        False
    """
    return _grad_enabled


class set_grad_enabled:
    """Turn graph recording on or off; usable as a context manager, a decorator or a call.

    Examples:
        >>> import jaring
        >>> w = jaring.ones(2, requires_grad=True)
        >>> with jaring.set_grad_enabled(False):
        ...     print((w * 2).requires_grad)
        False
    """

    def __init__(self, mode: bool) -> None:
        self.prev = _grad_enabled
        self.mode = bool(mode)
        _set_mode(self.mode)

    def __enter__(self) -> "set_grad_enabled":
        return self

    def __exit__(self, *exc: object) -> None:
        _set_mode(self.prev)

    def __call__(self, fn: Callable) -> Callable:
        mode = self.mode
        _set_mode(self.prev)  # decorating must not change the mode by itself

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with set_grad_enabled(mode):
                return fn(*args, **kwargs)

        return wrapper


class no_grad:
    """Context manager and decorator: ops inside record no graph (inference, weight updates).

    Examples:
        >>> import jaring
        >>> w = jaring.ones(2, requires_grad=True)
        >>> with jaring.no_grad():
        ...     y = w * 2
        >>> y.requires_grad
        False
    """

    def __enter__(self) -> "no_grad":
        self.prev = _grad_enabled
        _set_mode(False)
        return self

    def __exit__(self, *exc: object) -> None:
        _set_mode(self.prev)

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with no_grad():
                return fn(*args, **kwargs)

        return wrapper


class inference_mode:
    """torch.inference_mode: no_grad for evaluation code; `inference_mode(False)` records again.
    jaring has no separate inference tensors, so it is no_grad under torch's name.

    Examples:
        >>> import jaring
        >>> w = jaring.ones(2, requires_grad=True)
        >>> with jaring.inference_mode():
        ...     print((w * 2).requires_grad)
        False
    """

    def __init__(self, mode: bool = True) -> None:
        self.mode = bool(mode)

    def __enter__(self) -> "inference_mode":
        self.prev = _grad_enabled
        _set_mode(not self.mode)  # torch's inference_mode(False) records again, even inside no_grad
        return self

    def __exit__(self, *exc: object) -> None:
        _set_mode(self.prev)

    def __call__(self, fn: Callable) -> Callable:
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with inference_mode(mode):
                return fn(*args, **kwargs)

        return wrapper


class enable_grad(no_grad):
    """Context manager and decorator that turns recording back on inside a no_grad block.

    Examples:
        >>> import jaring
        >>> w = jaring.ones(2, requires_grad=True)
        >>> with jaring.no_grad(), jaring.enable_grad():
        ...     print((w * 2).requires_grad)
        True
    """

    def __enter__(self) -> "enable_grad":
        self.prev = _grad_enabled
        _set_mode(True)
        return self

    def __call__(self, fn: Callable) -> Callable:
        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            with enable_grad():
                return fn(*args, **kwargs)

        return wrapper


class Context:
    """What one recorded op keeps for its backward: the op, its inputs and saved arrays.

    `stamp` is the in-place clock at recording time (see jaring/autograd/versions.py).
    Ops may also set plain attributes on it (shapes, axes, masks) in forward. It has no
    __init__, because one is built for every op call: `saved` exists once an op saved
    something, and backward reads it only in ops that did.
    """

    __slots__ = ("fn", "parents", "saved", "stamp", "__dict__")
    released = False

    @property
    def needs_input_grad(self) -> list:
        """One bool per input: whether backward must compute that input's gradient."""
        return [p.requires_grad for p in self.parents]

    def save_for_backward(self, *arrays: Any) -> None:
        self.saved = arrays

    @property
    def saved_tensors(self) -> tuple:
        return self.saved

    def release(self) -> None:
        """Drop saved arrays and attributes once backward has used them."""
        self.__dict__.clear()
        self.saved = ()
        self.released = True


class Function:
    """Base class of ops; see the module docstring for the contract."""

    @staticmethod
    def forward(ctx: Context, *arrays: Any, **attrs: Any) -> Any:
        raise NotImplementedError

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        raise NotImplementedError

    @classmethod
    def apply(cls, *inputs: Tensor, **attrs: Any) -> Tensor:
        """Run forward on the inputs' arrays; record the graph when a gradient is needed."""
        n = len(inputs)
        if n == 2 and not attrs:
            return apply_binary(cls, *inputs)
        ctx = Context()
        # Unrolled for one input: this runs for every op, and on small arrays packing a list
        # costs as much as the NumPy call itself.
        if n == 1:
            a = inputs[0]
            out = cls.forward(ctx, a.data, **attrs) if attrs else cls.forward(ctx, a.data)
            record = a.requires_grad
        else:
            out = cls.forward(ctx, *[t.data for t in inputs], **attrs)
            record = any(t.requires_grad for t in inputs)
        if record and _grad_enabled:
            ctx.fn = cls
            ctx.parents = inputs
            ctx.stamp = _clock
            return _new_tensor(out, ctx)
        return _new_tensor(out, None)


def apply_binary(fn: type, a: Tensor, b: Tensor) -> Tensor:
    """`fn.apply(a, b)` for a two-input op without attributes, minus the call packing.

    Tensor's arithmetic operators go through here: on small arrays the generic apply's
    *inputs/**attrs handling costs a third of the whole op.
    """
    ctx = Context()
    out = fn.forward(ctx, a.data, b.data)
    if (a.requires_grad or b.requires_grad) and _grad_enabled:
        ctx.fn = fn
        ctx.parents = (a, b)
        ctx.stamp = _clock
        return _new_tensor(out, ctx)
    return _new_tensor(out, None)


def binary_operator(fn: type, other_way: Callable, floats_only: bool = False) -> Callable:
    """Tensor's operator method `a <op> b` for the two-input op `fn`.

    Two Tensors of one dtype (of a floating dtype, with floats_only) run `fn` with apply_binary's
    work written out in the method itself: recording `a + b` on small arrays is mostly Python
    calls, and the calls saved here are a tenth of it. Anything else goes to `other_way(a, b)`,
    the op's public function, which promotes dtypes and wraps numbers.
    """
    forward = fn.forward

    def operator(a: Tensor, b: Any) -> Tensor:
        if isinstance(b, Tensor):
            x, y = a.data, b.data
            same = x.dtype is y.dtype or x.dtype == y.dtype
            if same and (not floats_only or x.dtype.kind == "f"):
                ctx = Context()
                out = forward(ctx, x, y)
                record = (a.requires_grad or b.requires_grad) and _grad_enabled
                if record:
                    ctx.fn = fn
                    ctx.parents = (a, b)
                    ctx.stamp = _clock
                if type(out) is not _ndarray:  # a CuPy array or a NumPy scalar: the general way
                    return _new_tensor(out, ctx if record else None)
                t = _object_new(Tensor)
                t.data = out
                if record:
                    t._ctx = ctx
                    t.requires_grad = True
                else:
                    t._ctx = None
                    t.requires_grad = False
                return t
        return other_way(a, b)

    operator.__name__ = operator.__qualname__ = f"{fn.__name__.lower()}_operator"
    return operator
