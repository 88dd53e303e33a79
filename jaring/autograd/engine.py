"""backward(): reverse-mode traversal of the recorded graph.

Iterative, never recursive, so a 100,000-op chain does not hit Python's recursion limit.
Broadcasting is undone here, once, for every op: an op's backward returns the gradient in
the broadcast shape and `unbroadcast` sums it down to the input's shape.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from jaring import backend
from jaring.autograd import function, hooks
from jaring.autograd.hooks import Special
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


def _consumer_counts(root: Tensor, leaf_counts: dict | None = None) -> tuple[dict, dict]:
    """For every op (Context) reachable from root, how many graph edges consume its output, and
    for an op whose output is more than one Tensor object, those tensors.

    Backward may process an op only once all its consumers have sent their gradient (Kahn's
    algorithm); a depth-first order alone gets shared subgraphs wrong. Counting by op rather than
    by tensor matters where two Tensor objects are one graph node, as a layer's output and the
    same output carrying a mask (jaring/nn/embedding.py: with_mask): counted apart, that op ran
    its backward twice. With leaf_counts (a dict, while tensor hooks exist) it also counts the
    edges into every leaf that has hooks, so that its hooks can wait for the last one.
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
            elif leaf_counts is not None and parent._hooks and parent.requires_grad:
                leaf_counts[id(parent)] = leaf_counts.get(id(parent), 0) + 1
    return counts, aliases


def initial_grad(root: Tensor, grad: Any, what: str = "grad") -> Any:
    """The gradient backward starts from at `root`: ones for a scalar, else `grad` as an array."""
    if grad is None:
        if root.data.size != 1:
            raise RuntimeError(
                f"grad can be implicitly created only for scalar outputs; this one has shape "
                f"{root.shape}. Reduce it first (e.g. .sum() or .mean()) or pass {what}=."
            )
        return backend.array_module(root.data).ones_like(root.data)
    grad = grad.data if isinstance(grad, Tensor) else grad
    xp = backend.array_module(root.data)
    grad = xp.array(grad, dtype=root.data.dtype, copy=True)
    if grad.shape != root.shape:
        raise ValueError(f"{what} has shape {grad.shape} but the tensor has shape {root.shape}")
    return grad


def owned(grad: Any, dtype: Any, stored: set) -> Any:
    """`grad` as an array of `dtype` that owns its memory: copied when an array already handed
    out (in `stored`, by the id of the array or of what it views) or a read-only view."""
    # The same array object may reach several leaves (add's backward returns it twice), and
    # reductions return read-only broadcast views: copy those so every .grad owns its memory.
    owner = grad if grad.base is None else grad.base  # views of one array count as that array
    if id(owner) in stored or not getattr(grad.flags, "writeable", True):
        grad = grad.copy()
        owner = grad
    stored.add(id(owner))
    return grad if grad.dtype == dtype else grad.astype(dtype)


def _accumulate_leaf(leaf: Tensor, grad: Any, stored: set) -> None:
    grad = owned(grad, leaf.data.dtype, stored)
    if leaf.grad is None:
        leaf.grad = Tensor._from_op(grad, None)
    else:
        summed = leaf.grad.data + grad
        # 0-d + 0-d gives a NumPy scalar; .grad stays an array so that w.grad.zero_() can write to it
        leaf.grad.data = summed if summed.ndim else backend.array_module(summed).asarray(summed)


def _needed_ops(root: Tensor, targets: dict) -> set:
    """The ids of the Contexts whose backward leads to a tensor in `targets` (by id): those
    with a target, or an op in the set, among their inputs. Post-order, iteratively."""
    needed: set = set()
    seen: set = set()
    stack = [(root._ctx, False)]
    while stack:
        ctx, finished = stack.pop()
        if finished:
            for p in ctx.parents:
                if id(p) in targets or (p._ctx is not None and id(p._ctx) in needed):
                    needed.add(id(ctx))
                    break
        elif id(ctx) not in seen:
            seen.add(id(ctx))
            stack.append((ctx, True))
            stack.extend(
                (p._ctx, False) for p in ctx.parents if p._ctx is not None and id(p._ctx) not in seen
            )
    return needed


def _special(root: Tensor, targets: dict | None, counts: dict, leaf_counts: dict, hooked: bool) -> Special:
    """Hooks and pruning for one backward; ops that lead to no target never become ready."""
    needed = None
    if targets is not None:
        needed = _needed_ops(root, targets)
        wanted = needed | {id(t._ctx) for t in targets.values() if t._ctx is not None}
        for key in counts:
            if key not in wanted:
                counts[key] = -1  # counts only go down from here: never 0, never ready
        leaf_counts = {key: n for key, n in leaf_counts.items() if key in targets}
    return Special(hooked, needed, leaf_counts)


def propagate(
    root: Tensor, grad: Any, release: bool, targets: dict | None = None, run_hooks: bool = True
) -> Iterator[tuple[Tensor, Any]]:
    """Walk the graph backward from root, yielding (tensor, gradient of root w.r.t. it).

    Each non-leaf tensor comes once, with its total gradient (after its hooks), before its own
    backward runs; each leaf that requires grad comes once per contribution (the caller sums
    them), or once with the hooked total where the leaf has hooks (jaring/autograd/hooks.py).
    targets ({id: tensor}) limits the walk to the ops that lead to them, as torch's
    autograd.grad and backward(inputs=...) do. release=True frees every op's saved arrays once
    its backward has run. run_hooks=False walks as if no tensor had hooks (jaring.viz's drawing).
    """
    hooked = run_hooks and hooks.any_hook_registered
    if hooked and root._hooks and root.requires_grad:
        grad = hooks.run_hooks(root, grad)
    yield root, grad
    if root._ctx is None:
        return
    grads = {id(root._ctx): grad}
    leaf_counts = {} if hooked else None
    counts, aliases = _consumer_counts(root, leaf_counts)
    special = (
        _special(root, targets, counts, leaf_counts or {}, hooked) if hooked or targets is not None else None
    )
    if special is not None and targets is not None and id(root._ctx) not in special.needed:
        return
    ready = [root]
    while ready:
        node = ready.pop()
        ctx = node._ctx
        parents = ctx.parents
        g = grads.pop(id(ctx), None)
        parent_grads: tuple = ()
        if g is not None:
            shared = aliases.get(id(ctx)) if aliases else None
            if special is not None and node is not root:
                g = special.node(node, shared, g)
            if shared is not None:  # never holds root: an op's output is not its own ancestor
                for tensor in shared:
                    yield tensor, g
            elif node is not root:
                yield node, g
            if special is not None and not special.runs_backward(ctx):
                continue
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
                if parent.requires_grad:
                    if special is not None:
                        pg = special.leaf(parent, pg)
                    if pg is not None:
                        yield parent, pg
                continue
            key = id(parent_ctx)
            if pg is not None:
                prev = grads.get(key)
                grads[key] = pg if prev is None else prev + pg
            counts[key] -= 1
            if counts[key] == 0:
                ready.append(parent)


def accumulate(root: Tensor, grad: Any, retain_graph: bool = False, targets: dict | None = None) -> None:
    """Backward from `root`, starting from the array `grad`: every leaf that requires grad (or
    every tensor in targets, {id: tensor}, leaf or not, as torch's inputs=) gets its gradient
    added into `.grad`; non-leaves that retain_grad() get theirs stored."""
    stored: set = set()
    for tensor, g in propagate(root, grad, not retain_graph, targets):
        if targets is not None:
            if id(tensor) in targets:
                _accumulate_leaf(tensor, g, stored)
        elif tensor._ctx is None:
            _accumulate_leaf(tensor, g, stored)
        elif tensor._retain:
            tensor.grad = Tensor._from_op(g, None)
