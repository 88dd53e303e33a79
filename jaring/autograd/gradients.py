"""torch.autograd's two entry points: `grad` (gradients returned, no .grad touched) and
`backward` (gradients accumulated into .grad), for one output or several at once.

Several outputs are joined under one extra node whose backward hands each output its own
starting gradient, so one walk sums what they send into shared tensors (a hook sees the sum once,
as torch's). Both walk only the ops that lead to the wanted tensors (`inputs`), as torch's.
Higher-order gradients are not supported: backward works on raw arrays (ARCHITECTURE.md), so
create_graph=True is refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from jaring import backend
from jaring.autograd import engine, function
from jaring.autograd.function import Context, Function
from jaring.autograd.tensor import Tensor


class _Outputs(Function):
    """The node above several outputs: its backward returns each output's starting gradient."""

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        return ctx.grads


def _tensors(value: Any, what: str) -> tuple:
    items = (value,) if isinstance(value, Tensor) else tuple(value)
    for item in items:
        if not isinstance(item, Tensor):
            raise TypeError(f"{what} must be Tensors (or one Tensor), got {type(item).__name__}")
    return items


def _gradients(value: Any, n: int, what: str) -> tuple:
    if value is None:
        return (None,) * n
    if isinstance(value, Tensor) or not isinstance(value, Sequence):
        value = (value,)
    if len(value) != n:
        raise RuntimeError(
            f"{what} should be a sequence of length {n} (one per output), but got {len(value)}"
        )
    return tuple(value)


def _no_create_graph(create_graph: bool) -> None:
    if create_graph:
        raise NotImplementedError(
            "create_graph=True (higher-order gradients) is not supported: jaring's backward works on "
            "raw arrays and records no graph of its own. Use create_graph=False."
        )


def _root(outputs: tuple, grads: tuple, what: str) -> tuple[Tensor, Any]:
    """One tensor to walk back from and its starting gradient: the output itself, or the node
    joining several outputs."""
    for i, out in enumerate(outputs):
        if not out.requires_grad:
            raise RuntimeError(
                f"element {i} of tensors does not require grad and does not have a grad_fn: no input "
                "had requires_grad=True, or it was computed under no_grad()"
            )
    starts = tuple(engine.initial_grad(out, g, what) for out, g in zip(outputs, grads))
    if len(outputs) == 1:
        return outputs[0], starts[0]
    ctx = Context()
    ctx.fn = _Outputs
    ctx.parents = outputs
    ctx.stamp = function._clock
    ctx.grads = starts
    xp = backend.array_module(outputs[0].data)
    return Tensor._from_op(xp.zeros((), dtype=outputs[0].dtype), ctx), xp.ones((), dtype=outputs[0].dtype)


def _targets(inputs: Any, caller: str) -> dict:
    items = _tensors(inputs, "inputs")
    if not items:
        raise RuntimeError(f"`inputs` argument to `{caller}()` cannot be empty.")
    for item in items:
        if not item.requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    return {id(t): t for t in items}


def backward(
    tensors: Any,
    grad_tensors: Any = None,
    retain_graph: bool | None = None,
    inputs: Any = None,
    *,
    create_graph: bool = False,
) -> None:
    """Accumulate the gradients of `tensors` into the `.grad` of every leaf that requires grad,
    or only into `inputs` (leaves or not) when given; as torch.autograd.backward.

    grad_tensors gives each non-scalar output's starting gradient (None for a scalar).

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, 2.0], requires_grad=True)
        >>> w = jaring.tensor([3.0, 4.0], requires_grad=True)
        >>> jaring.autograd.backward([(x * w).sum(), x * 10], [None, jaring.ones(2)], inputs=[x])
        >>> x.grad.numpy(), w.grad
        (array([13., 14.], dtype=float32), None)
    """
    _no_create_graph(create_graph)
    outputs = _tensors(tensors, "tensors")
    targets = None if inputs is None else _targets(inputs, "backward")
    root, start = _root(outputs, _gradients(grad_tensors, len(outputs), "grad_tensors"), "gradient")
    engine.accumulate(root, start, bool(retain_graph), targets)


def grad(
    outputs: Any,
    inputs: Any,
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool | None = None,
    materialize_grads: bool = False,
) -> tuple:
    """The gradients of `outputs` with respect to `inputs`, one Tensor per input, as
    torch.autograd.grad; no `.grad` is read or written.

    grad_outputs gives each non-scalar output's starting gradient. An input the outputs do not
    depend on raises, unless allow_unused=True (its gradient is then None, or zeros with
    materialize_grads=True). The graph is freed unless retain_graph=True.

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, 2.0], requires_grad=True)
        >>> w = jaring.tensor([3.0, 4.0], requires_grad=True)
        >>> gx, gw = jaring.autograd.grad((x * w).sum(), [x, w])
        >>> gx.numpy(), gw.numpy(), x.grad
        (array([3., 4.], dtype=float32), array([1., 2.], dtype=float32), None)
    """
    _no_create_graph(create_graph)
    if materialize_grads and allow_unused is False:
        raise ValueError(
            "Expected allow_unused to be True or not passed when materialize_grads=True, but got: "
            "allow_unused=False."
        )
    allow_unused = materialize_grads if allow_unused is None else allow_unused
    outs = _tensors(outputs, "outputs")
    targets = _targets(inputs, "grad")
    root, start = _root(outs, _gradients(grad_outputs, len(outs), "grad_outputs"), "grad_outputs")
    found: dict = {}
    for tensor, g in engine.propagate(root, start, not retain_graph, targets):
        key = id(tensor)
        if key in targets:
            prev = found.get(key)
            found[key] = g if prev is None else prev + g
    result = []
    stored: set = set()
    for i, tensor in enumerate(_tensors(inputs, "inputs")):
        g = found.get(id(tensor))
        if g is None:
            if not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the graph. "
                    "Set allow_unused=True if this is the desired behavior."
                )
            if materialize_grads:
                result.append(
                    Tensor._from_op(backend.array_module(tensor.data).zeros_like(tensor.data), None)
                )
            else:
                result.append(None)
            continue
        result.append(Tensor._from_op(engine.owned(g, tensor.data.dtype, stored), None))
    return tuple(result)
