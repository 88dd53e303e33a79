"""Module backward hooks, as torch.nn.Module's: functions that see, and may replace, the gradients
w.r.t. a module's outputs and tensor inputs while backward passes through the module.

    handle = model[0].register_full_backward_hook(
        lambda module, grad_input, grad_output: print(grad_output[0].shape)
    )
    model(x).sum().backward()   # prints the shape of the gradient w.r.t. the first layer's output
    handle.remove()

While a module holds such a hook, each call that records a graph (grad enabled, some tensor
input or output requiring grad) goes through two identity ops, as torch's BackwardHook does: the
tensor inputs that require grad are joined into one flat array and sliced back apart
(`HookGather` then `HookSlice`, after the forward pre-hooks), and so are the tensor outputs
(after the forward hooks). The engine runs a gather's backward only once every slice has sent
its gradient, so it sees all the module's output gradients at once (the backward pre-hooks run
there) and, later, all its input gradients at once (the full backward hooks run there). Hooks
get and return Tensors that require no grad; None in grad_input / grad_output marks a position
that is not a tensor or got no gradient. When no input requires grad, the full backward hooks
run at the output with grad_input all None, as torch's. A module whose output is neither a
Tensor nor a tuple warns that its backward hooks will not be called. Hooks are taken as they
are at the call: one registered after a forward does not run in that forward's backward.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from jaring import backend
from jaring.autograd.function import Context, Function, is_grad_enabled
from jaring.autograd.hooks import RemovableHandle
from jaring.autograd.tensor import Tensor
from jaring.validation import check_bool


class HookGather(Function):
    """Identity on several tensors, joined into one flat array; its backward runs `call`'s hooks."""

    @staticmethod
    def forward(ctx: Context, *arrays: Any, call: "BackwardCall", side: str) -> Any:
        xp = backend.array_module(*arrays)
        ctx.call, ctx.side = call, side
        ctx.shapes = [(a.shape, a.dtype, a.size) for a in arrays]
        flat = [a.reshape(-1) for a in arrays]
        return (
            flat[0] if len(flat) == 1 else xp.concatenate([f.astype(xp.result_type(*arrays)) for f in flat])
        )

    @staticmethod
    def backward(ctx: Context, grad: Any) -> tuple:
        grads, start = [], 0
        received = ctx.call.received.pop(ctx.side, set())
        for i, (shape, dtype, size) in enumerate(ctx.shapes):
            part = grad[start : start + size].reshape(shape).astype(dtype, copy=False)
            grads.append(part if i in received else None)
            start += size
        run = ctx.call.run_output_hooks if ctx.side == "output" else ctx.call.run_input_hooks
        return tuple(run(grads))


class HookSlice(Function):
    """One tensor cut back out of a HookGather's flat array (its gradient goes back in place)."""

    @staticmethod
    def forward(ctx: Context, flat: Any, call: "BackwardCall", side: str, index: int, part: tuple) -> Any:
        start, shape, dtype = part
        size = 1
        for n in shape:
            size *= n
        ctx.call, ctx.side, ctx.index = call, side, index
        ctx.span, ctx.size = (start, start + size), flat.size
        return flat[start : start + size].reshape(shape).astype(dtype, copy=False)

    @staticmethod
    def backward(ctx: Context, grad: Any) -> Any:
        ctx.call.received.setdefault(ctx.side, set()).add(ctx.index)
        out = backend.array_module(grad).zeros(ctx.size, dtype=grad.dtype)
        out[ctx.span[0] : ctx.span[1]] = grad.reshape(-1)
        return out


def _as_tensor(grad: Any) -> Tensor | None:
    return None if grad is None else Tensor._from_op(grad, None)


def _as_array(value: Any, like: Any, what: str, index: int) -> Any:
    """A hook's replacement gradient as an array of the original's shape (None stays None)."""
    if value is None:
        return None
    if not isinstance(value, Tensor):
        raise TypeError(
            f"{what} {index} returned by a backward hook must be a Tensor or None, got {value!r:.80}"
        )
    if like is not None and value.shape != like.shape:
        raise RuntimeError(
            f"{what} {index} returned by a backward hook has shape {value.shape}, expected {like.shape}"
        )
    return value.data


class BackwardCall:
    """One call of a module with backward hooks: the wrapped positions and the gradients of its
    outputs, kept from the output's backward to the input's."""

    def __init__(self, module: Any, hooks: tuple, pre_hooks: tuple) -> None:
        self.module, self.hooks, self.pre_hooks = module, hooks, pre_hooks
        self.n_inputs = 0
        self.input_positions: list | None = None  # None: no input requires grad
        self.input_like: dict = {}  # the tensor arguments' (shape, dtype) by position
        self.output_positions: list = []
        self.n_outputs = 0
        self.grad_outputs: tuple | None = None
        self.received: dict = {}

    def _wrap(self, values: tuple, side: str) -> tuple[tuple, list | None]:
        positions = [i for i, v in enumerate(values) if isinstance(v, Tensor) and v.requires_grad]
        if not positions or not is_grad_enabled():
            return values, None
        tensors = [values[i] for i in positions]
        flat = HookGather.apply(*tensors, call=self, side=side)
        out, start = list(values), 0
        for k, (i, t) in enumerate(zip(positions, tensors)):
            out[i] = HookSlice.apply(flat, call=self, side=side, index=k, part=(start, t.shape, t.dtype))
            start += t.data.size
            if getattr(t, "mask", None) is not None:  # an Embedding's MaskedTensor keeps its mask
                from jaring.nn.embedding import with_mask  # embedding imports module, which imports us

                out[i] = with_mask(out[i], t.mask)
        return tuple(out), positions

    def wrap_inputs(self, args: tuple) -> tuple:
        """The positional arguments, those tensors that require grad passed through HookSlices."""
        self.n_inputs = len(args)
        wrapped, self.input_positions = self._wrap(args, "input")
        self.input_like = {
            i: (a.data.shape, a.data.dtype) for i, a in enumerate(args) if isinstance(a, Tensor)
        }
        return wrapped

    def wrap_outputs(self, output: Any) -> Any:
        """The output (a Tensor or a tuple), its tensors that require grad passed through HookSlices."""
        if not isinstance(output, (Tensor, tuple)):
            warnings.warn(
                "For backward hooks to be called, module output should be a Tensor or a tuple of "
                f"Tensors but received {type(output)}",
                stacklevel=3,
            )
            return output
        values = output if isinstance(output, tuple) else (output,)
        self.n_outputs = len(values)
        wrapped, positions = self._wrap(values, "output")
        self.output_positions = positions or []
        return wrapped if isinstance(output, tuple) else wrapped[0]

    @staticmethod
    def _spread(positions: list, grads: list, n: int) -> list:
        full: list = [None] * n
        for i, g in zip(positions, grads):
            full[i] = _as_tensor(g)
        return full

    def run_output_hooks(self, grads: list) -> list:
        """The backward pre-hooks on the output gradients (and, when no input requires grad, the
        full hooks); what flows on into the module."""
        grad_outputs = tuple(self._spread(self.output_positions, grads, self.n_outputs))
        for hook in self.pre_hooks:
            new = hook(self.module, grad_outputs)
            if new is None:
                continue
            new = new if isinstance(new, tuple) else (new,)
            if len(new) != len(grad_outputs):
                raise RuntimeError(
                    f"Backward pre hook returned an invalid number of grad_output, got {len(new)}, "
                    f"but expected {len(grad_outputs)}"
                )
            grad_outputs = new
        self.grad_outputs = grad_outputs
        if self.input_positions is None:
            if self.hooks:
                warnings.warn(
                    "Full backward hook is firing when gradients are computed with respect to module "
                    "outputs since no inputs require gradients",
                    stacklevel=2,
                )
            grad_inputs = (None,) * self.n_inputs
            for hook in self.hooks:
                new = hook(self.module, grad_inputs, grad_outputs)
                if new is not None and not (isinstance(new, tuple) and all(g is None for g in new)):
                    raise RuntimeError(
                        "Backward hook for Modules where no input requires gradient should always "
                        "return None or None for all gradients."
                    )
            self.grad_outputs = None
        return [_as_array(grad_outputs[i], g, "grad_output", i) for i, g in zip(self.output_positions, grads)]

    def run_input_hooks(self, grads: list) -> list:
        """The full backward hooks on the input gradients; what flows on to the module's inputs."""
        if self.grad_outputs is None:  # the gradient reached the input without passing the output
            return grads
        grad_inputs = self._spread(self.input_positions or [], grads, self.n_inputs)
        xp = backend.array_module(next(g for g in grads if g is not None))  # else no backward ran
        for i, (shape, dtype) in self.input_like.items():  # torch's: zeros where no gradient came
            if grad_inputs[i] is None:
                grad_inputs[i] = _as_tensor(xp.zeros(shape, dtype))
        grad_inputs = tuple(grad_inputs)
        for hook in self.hooks:
            new = hook(self.module, grad_inputs, self.grad_outputs)
            if new is None:
                continue
            new = new if isinstance(new, tuple) else (new,)
            if len(new) != len(grad_inputs):
                raise RuntimeError(
                    f"Backward hook returned an invalid number of grad_input, got {len(new)}, but "
                    f"expected {len(grad_inputs)}"
                )
            grad_inputs = new
        self.grad_outputs = None
        positions = self.input_positions or []
        return [_as_array(grad_inputs[i], g, "grad_input", i) for i, g in zip(positions, grads)]


class BackwardHooks:
    """register_full_backward_hook / register_full_backward_pre_hook for Module (see the module
    docstring); the hooks live in the module's HookTable (jaring/nn/module_hooks.py)."""

    def register_full_backward_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call `hook(module, grad_input, grad_output)` once the gradients w.r.t. the module's
        positional inputs are known; it returns None or a tuple (one entry per positional
        argument) of the gradients to pass on instead. prepend=True runs it first.

        Examples:
            >>> import jaring
            >>> from jaring import nn
            >>> layer = nn.Linear(3, 2, seed=0)
            >>> halve = layer.register_full_backward_hook(lambda m, gin, gout: (gin[0] / 2,))
            >>> x = jaring.ones(4, 3, requires_grad=True)
            >>> layer(x).sum().backward()
            >>> bool((x.grad.numpy() == layer.weight.numpy().sum(axis=0) / 2).all())
            True
            >>> halve.remove()
        """
        table = self._checked_table("register_full_backward_hook", hook, prepend)  # type: ignore[attr-defined]
        return table.add(table.backward, hook, prepend)

    def register_full_backward_pre_hook(self, hook: Callable, prepend: bool = False) -> RemovableHandle:
        """Call `hook(module, grad_output)` when the gradients w.r.t. the module's outputs are known,
        before they flow into it; it returns None or the grad_output tuple to use instead.

        Examples:
            >>> import jaring
            >>> from jaring import nn
            >>> relu = nn.ReLU()
            >>> seen = []
            >>> handle = relu.register_full_backward_pre_hook(lambda m, gout: seen.append(gout[0].shape))
            >>> relu(jaring.ones(2, 5, requires_grad=True)).sum().backward()
            >>> seen
            [(2, 5)]
            >>> handle.remove()
        """
        table = self._checked_table("register_full_backward_pre_hook", hook, prepend)  # type: ignore[attr-defined]
        return table.add(table.backward_pre, hook, prepend)

    def _checked_table(self, method: str, hook: Any, prepend: Any) -> Any:
        owner = f"{type(self).__name__}.{method}"
        if not callable(hook):
            raise TypeError(
                f"{owner}: hook must be a function of the module and the gradients, got {hook!r:.80}"
            )
        check_bool(owner, "prepend", prepend)
        return self._hook_table()  # type: ignore[attr-defined]


def backward_call(module: Any, table: Any) -> BackwardCall | None:
    """A BackwardCall for this call when the module has backward hooks (None otherwise)."""
    if not (table.backward or table.backward_pre):
        return None
    return BackwardCall(module, tuple(table.backward.values()), tuple(table.backward_pre.values()))
