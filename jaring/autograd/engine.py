"""backward(): reverse-mode traversal of the recorded graph.

Iterative, never recursive, so a 100,000-op chain does not hit Python's recursion limit.
Broadcasting is undone here, once, for every op: an op's backward returns the gradient in
the broadcast shape and `unbroadcast` sums it down to the input's shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jaring import backend
from jaring.autograd import function
from jaring.autograd.tensor import Tensor
from jaring.autograd.versions import check_unchanged


def unbroadcast(grad: Any, shape: tuple) -> Any:
    """Sum `grad` down to `shape`, undoing NumPy broadcasting (leading and size-1 axes)."""
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    if extra > 0:
        grad = grad.sum(axis=tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axis=axes, keepdims=True)
    if grad.shape != shape:  # e.g. a backward that returned a wrong shape: fail loudly
        raise RuntimeError(f"gradient of shape {grad.shape} cannot be reduced to shape {shape}")
    return grad


def _consumer_counts(root: Tensor) -> tuple[dict, dict]:
    """For every op (Context) reachable from root, how many graph edges consume its output, and
    for an op whose output is more than one Tensor object, those tensors.

    Backward may process an op only once all its consumers have sent their gradient (Kahn's
    algorithm); a depth-first order alone gets shared subgraphs wrong. Counting by op rather than
    by tensor matters where two Tensor objects are one graph node, as a layer's output and the
    same output carrying a mask (jaring/nn/embedding.py: with_mask): counted apart, that op ran
    its backward twice.
    """
    counts = {id(root._ctx): 0}
    first = {id(root._ctx): root}
    aliases: dict = {}
    stack = [root]
    while stack:
        for parent in stack.pop()._ctx.parents:
            ctx = parent._ctx
            if ctx is not None:
                key = id(ctx)
                if key in counts:
                    counts[key] += 1
                    if parent is not first[key]:
                        shared = aliases.setdefault(key, [first[key]])
                        if all(parent is not t for t in shared):
                            shared.append(parent)
                else:
                    counts[key] = 1
                    first[key] = parent
                    stack.append(parent)
    return counts, aliases


def _initial_grad(root: Tensor, grad: Any) -> Any:
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"backward() without a grad argument needs a scalar output; this one has shape "
                f"{root.shape}. Reduce it first (e.g. .sum() or .mean()) or pass grad=."
            )
        return backend.array_module(root.data).ones_like(root.data)
    grad = grad.data if isinstance(grad, Tensor) else grad
    xp = backend.array_module(root.data)
    grad = xp.array(grad, dtype=root.data.dtype, copy=True)
    if grad.shape != root.shape:
        raise ValueError(f"grad has shape {grad.shape} but the tensor has shape {root.shape}")
    return grad


def _accumulate_leaf(leaf: Tensor, grad: Any, stored: set) -> None:
    # The same array object may reach several leaves (add's backward returns it twice), and
    # reductions return read-only broadcast views: copy those so every .grad owns its memory.
    owner = grad if grad.base is None else grad.base  # views of one array count as that array
    if id(owner) in stored or not getattr(grad.flags, "writeable", True):
        grad = grad.copy()
        owner = grad
    stored.add(id(owner))
    if grad.dtype != leaf.data.dtype:
        grad = grad.astype(leaf.data.dtype)
    if leaf.grad is None:
        leaf.grad = Tensor._from_op(grad, None)
    else:
        summed = leaf.grad.data + grad
        # 0-d + 0-d gives a NumPy scalar; .grad stays an array so that w.grad.zero_() can write to it
        leaf.grad.data = summed if summed.ndim else backend.array_module(summed).asarray(summed)


def propagate(root: Tensor, grad: Any, release: bool) -> Iterator[tuple[Tensor, Any]]:
    """Walk the graph backward from root, yielding (tensor, gradient of root w.r.t. it).

    Each non-leaf tensor comes once, with its total gradient, before its own backward runs;
    each leaf that requires grad comes once per contribution (the caller sums them).
    release=True frees every op's saved arrays once its backward has run.
    """
    yield root, grad
    if root._ctx is None:
        return
    grads = {id(root._ctx): grad}
    counts, aliases = _consumer_counts(root)
    ready = [root]
    while ready:
        node = ready.pop()
        ctx = node._ctx
        parents = ctx.parents
        g = grads.pop(id(ctx), None)
        parent_grads: tuple = ()
        if g is not None:
            shared = aliases.get(id(ctx)) if aliases else None
            if shared is not None:  # never holds root: an op's output is not its own ancestor
                for tensor in shared:
                    yield tensor, g
            elif node is not root:
                yield node, g
            if ctx.released:
                raise RuntimeError(
                    f"trying to backward through the graph a second time (at {ctx.fn.__name__}): its "
                    "saved arrays were freed after the first backward. Pass retain_graph=True to the "
                    "first backward() if you need to call it twice."
                )
            if ctx.stamp != function._clock:  # some in-place op ran since this op was recorded
                check_unchanged(node, ctx)
            parent_grads = ctx.fn.backward(ctx, g)
            if type(parent_grads) is not tuple:
                parent_grads = (parent_grads,)
            if release:
                ctx.release()
        for i, parent in enumerate(parents):
            pg = parent_grads[i] if i < len(parent_grads) else None
            if pg is not None and parent.requires_grad and pg.shape != parent.data.shape:
                pg = unbroadcast(pg, parent.data.shape)
            parent_ctx = parent._ctx
            if parent_ctx is None:
                if pg is not None and parent.requires_grad:
                    yield parent, pg
                continue
            key = id(parent_ctx)
            if pg is not None:
                prev = grads.get(key)
                grads[key] = pg if prev is None else prev + pg
            counts[key] -= 1
            if counts[key] == 0:
                ready.append(parent)


def backward(root: Tensor, grad: Any = None, retain_graph: bool = False) -> None:
    """Propagate gradients from `root` to every leaf that requires grad."""
    if not root.requires_grad:
        raise RuntimeError(
            "backward() on a tensor that does not require grad: no input had requires_grad=True, "
            "or it was computed under no_grad()"
        )
    stored: set = set()
    for tensor, g in propagate(root, _initial_grad(root, grad), release=not retain_graph):
        if tensor._ctx is None:
            _accumulate_leaf(tensor, g, stored)
        elif tensor._retain:
            tensor.grad = Tensor._from_op(g, None)
