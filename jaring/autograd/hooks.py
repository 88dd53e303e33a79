"""Tensor hooks, as torch's `Tensor.register_hook`: functions that see, and may replace, the
gradient flowing into a tensor during backward.

    handle = hidden.register_hook(lambda grad: print(grad.abs().mean()))
    loss.backward()    # prints the mean gradient of the hidden activation
    handle.remove()

A hook gets the gradient as a Tensor that requires no grad (read-only: return a new one instead
of changing it) and returns None or the gradient to use instead, of the same shape and dtype.
On a non-leaf tensor it runs once, with the total gradient, before the gradient goes on to the
op that produced the tensor (and before retain_grad stores it); on a leaf, once, with the sum of
every contribution, before that sum goes into `.grad`. Hooks of one tensor run in registration
order. The engine (jaring/autograd/engine.py) reads one flag per backward,
`any_hook_registered`, and looks at tensors' hooks only once some tensor has been given one.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Callable
from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor

_handle_ids = itertools.count()

# False until some tensor gets a hook: until then backward looks at no tensor's hooks.
any_hook_registered = False


class HookDict(dict):
    """A tensor's hooks by handle id, in registration order (a dict that handles can refer to weakly)."""

    def remove(self, handle_id: int) -> None:
        self.pop(handle_id, None)


class RemovableHandle:
    """What register_hook returns, as torch.utils.hooks': `.remove()` unregisters the hook (again:
    nothing happens); in a `with` block the hook is removed when the block ends.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, 2.0], requires_grad=True)
        >>> seen = []
        >>> with x.register_hook(lambda grad: seen.append(grad.tolist())):
        ...     (x * 3).sum().backward()
        >>> (x * 3).sum().backward()  # the hook is gone
        >>> seen
        [[3.0, 3.0]]
    """

    __slots__ = ("id", "_table")

    def __init__(self, table: Any) -> None:
        self.id = next(_handle_ids)
        self._table = weakref.ref(table)

    def remove(self) -> None:
        table = self._table()
        if table is not None:
            table.remove(self.id)

    def __enter__(self) -> RemovableHandle:
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.remove()

    def __repr__(self) -> str:
        return f"<RemovableHandle id={self.id}>"


def register_hook(tensor: Tensor, hook: Callable) -> RemovableHandle:
    """Add `hook(grad)` to the tensor's hooks (Tensor.register_hook; see the module docstring)."""
    global any_hook_registered
    if not tensor.requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if not callable(hook):
        raise TypeError(f"register_hook: hook must be a function of the gradient, got {hook!r:.80}")
    table = tensor._hooks
    if table is None:
        table = tensor._hooks = HookDict()
    handle = RemovableHandle(table)
    table[handle.id] = hook
    any_hook_registered = True
    return handle


def run_hooks(tensor: Tensor, grad: Any) -> Any:
    """The gradient after the tensor's hooks, each given the previous one's result (raw arrays)."""
    for hook in tuple(tensor._hooks.values()):
        view = grad.view()
        if not backend.is_cupy_array(view):
            view.flags.writeable = False  # a hook that changed it in place would change other branches
        new = hook(Tensor._from_op(view, None))
        if new is None:
            continue
        name = getattr(hook, "__name__", type(hook).__name__)
        if not isinstance(new, Tensor):
            raise TypeError(
                f"expected Tensor, but hook '{name}' returned '{type(new).__module__}.{type(new).__name__}'"
            )
        if new.shape != grad.shape:
            raise RuntimeError(
                f"hook '{name}' has changed the size of value: the gradient has shape {grad.shape}, "
                f"the hook returned shape {new.shape}"
            )
        if new.dtype != grad.dtype:
            raise RuntimeError(
                f"hook '{name}' has changed the type of value (was {grad.dtype} got {new.dtype})"
            )
        grad = new.data
    return grad


class Special:
    """What one backward needs beyond plain traversal: tensor hooks and, for autograd.grad and
    backward(inputs=...), the set of ops that lead to the wanted tensors.

    `needed` holds the ids of the Contexts whose backward must run (None: all of them). A hooked
    leaf's contributions are summed in `pending` until its last consumer has sent its part, so
    the hook sees the whole gradient once, as torch's.
    """

    def __init__(self, hooked: bool, needed: set | None, leaf_counts: dict) -> None:
        self.hooked = hooked
        self.needed = needed
        self.leaf_counts = leaf_counts
        self.pending: dict = {}

    def node(self, tensor: Tensor, shared: list | None, grad: Any) -> Any:
        """The gradient of a non-leaf tensor (or of every alias of its op) after its hooks."""
        if not self.hooked:
            return grad
        for t in shared if shared is not None else (tensor,):
            if t._hooks:
                grad = run_hooks(t, grad)
        return grad

    def runs_backward(self, ctx: Any) -> bool:
        return self.needed is None or id(ctx) in self.needed

    def leaf(self, tensor: Tensor, grad: Any) -> Any:
        """One contribution to a leaf: passed on, or, for a hooked leaf, summed until the last one
        has come and then passed on after the hooks (None meanwhile)."""
        key = id(tensor)
        left = self.leaf_counts.get(key)
        if left is None:
            return grad
        if grad is not None:
            prev = self.pending.get(key)
            self.pending[key] = grad if prev is None else prev + grad
        if left > 1:
            self.leaf_counts[key] = left - 1
            return None
        del self.leaf_counts[key]
        total = self.pending.pop(key, None)
        return None if total is None else run_hooks(tensor, total)
