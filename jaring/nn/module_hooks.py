"""Forward hooks, as torch.nn.Module's: functions that see, and may replace, what goes into a
module's forward and what comes out, each time the module is called.

    handle = model[0].register_forward_hook(lambda module, args, output: print(output.shape))
    model(x)           # prints the first layer's output shape
    handle.remove()    # or register it in a `with` block, which removes it at the end

`ForwardHooks` is a base class of `jaring.nn.Module` (jaring/nn/module.py), whose __call__ runs
`_call_with_hooks` only while the module holds a hook: as long as no module has registered one,
a call costs one test of `any_hook_registered`. Hooks run in __call__, never in forward, in
registration order (prepend=True puts one first). They are not configuration: state_dict,
get_config and saved files never hold them; copy.deepcopy copies them with the module, as
torch's does, and the copy's hooks stay registered when the original's handle removes its own.

Backward hooks (register_full_backward_hook, register_full_backward_pre_hook) are in
jaring/nn/module_backward_hooks.py; they share this table and run from `_call_with_hooks` too.
torch's global (all-module) hooks and its old register_backward_hook are not implemented.
"""

from __future__ import annotations

import warnings
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from jaring.autograd.hooks import RemovableHandle  # one handle for tensor and module hooks
from jaring.nn.module_backward_hooks import backward_call
from jaring.validation import check_bool


# False until some module registers a hook: until then Module.__call__ tests nothing else (about
# 5 ns), afterwards it also tests the module's own `_hooks` (about 25 ns more).
any_hook_registered = False


class HookTable:
    """The hooks of one module by handle id, in calling order: pre-hooks as (hook, with_kwargs),
    forward hooks as (hook, with_kwargs, always_call), backward and backward pre-hooks as hooks."""

    def __init__(self) -> None:
        self.pre: OrderedDict[int, tuple[Callable, bool]] = OrderedDict()
        self.post: OrderedDict[int, tuple[Callable, bool, bool]] = OrderedDict()
        self.backward: OrderedDict[int, Callable] = OrderedDict()
        self.backward_pre: OrderedDict[int, Callable] = OrderedDict()

    def __bool__(self) -> bool:
        return bool(self.pre or self.post or self.backward or self.backward_pre)

    def add(self, table: OrderedDict, entry: tuple, prepend: bool) -> RemovableHandle:
        handle = RemovableHandle(self)
        table[handle.id] = entry
        if prepend:
            table.move_to_end(handle.id, last=False)
        return handle

    def remove(self, handle_id: int) -> None:
        for table in (self.pre, self.post, self.backward, self.backward_pre):
            table.pop(handle_id, None)


class ForwardHooks:
    """register_forward_pre_hook / register_forward_hook for Module (see the module docstring)."""

    _hooks: HookTable | None = None  # made on the first registration

    def register_forward_pre_hook(
        self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False
    ) -> RemovableHandle:
        """Call `hook(module, args)` before each forward; it returns None (keep the input) or the
        new positional input: a tuple, or one value that becomes a 1-tuple.

        with_kwargs=True calls `hook(module, args, kwargs)`, which returns None or a tuple
        (new_args, new_kwargs). prepend=True runs it before the hooks registered so far.

        Examples:
            >>> import jaring
            >>> from jaring import nn
            >>> double = nn.Identity()
            >>> handle = double.register_forward_pre_hook(lambda module, args: args[0] * 2)
            >>> double(jaring.tensor([1.0, 2.0])).numpy()
            array([2., 4.], dtype=float32)
            >>> handle.remove()
        """
        prepend, with_kwargs = self._checked_flags("register_forward_pre_hook", hook, prepend, with_kwargs)
        table = self._hook_table()
        return table.add(table.pre, (hook, with_kwargs), prepend)

    def register_forward_hook(
        self, hook: Callable, *, prepend: bool = False, with_kwargs: bool = False, always_call: bool = False
    ) -> RemovableHandle:
        """Call `hook(module, args, output)` after each forward; it returns None (keep the
        output) or the output to use instead. `args` is the input forward got.

        with_kwargs=True calls `hook(module, args, kwargs, output)`. prepend=True runs it before
        the hooks registered so far. always_call=True runs it also when forward (or a hook)
        raises, with output None, before the error goes on; an error of its own then only warns.

        Examples:
            >>> import jaring
            >>> from jaring import nn
            >>> model = nn.Sequential(nn.Linear(4, 8, seed=0), nn.ReLU(), nn.Linear(8, 2, seed=1))
            >>> shapes = {}
            >>> def record(module, args, output):
            ...     shapes[type(module).__name__] = output.shape
            >>> handles = [layer.register_forward_hook(record) for layer in model]
            >>> _ = model(jaring.ones(3, 4))
            >>> shapes
            {'Linear': (3, 2), 'ReLU': (3, 8)}
            >>> for handle in handles:
            ...     handle.remove()
        """
        prepend, with_kwargs, always_call = self._checked_flags(
            "register_forward_hook", hook, prepend, with_kwargs, always_call
        )
        table = self._hook_table()
        return table.add(table.post, (hook, with_kwargs, always_call), prepend)

    def _checked_flags(self, method: str, hook: Any, *flags: Any) -> list[bool]:
        owner = f"{type(self).__name__}.{method}"
        if not callable(hook):
            raise TypeError(f"{owner}: hook must be a function of the module and its input, got {hook!r:.80}")
        names = ("prepend", "with_kwargs", "always_call")
        return [check_bool(owner, name, flag) for name, flag in zip(names, flags)]

    def _hook_table(self) -> HookTable:
        global any_hook_registered
        any_hook_registered = True
        if self._hooks is None:
            object.__setattr__(self, "_hooks", HookTable())
        return self._hooks  # type: ignore[return-value]

    def _call_with_hooks(self, args: tuple, kwargs: dict) -> Any:
        """__call__ of a module holding hooks: pre-hooks, forward, forward hooks (torch's order)."""
        table = self._hook_table()
        output = None  # what always_call hooks see when forward raised
        called: set[int] = set()
        try:
            for hook, with_kwargs in tuple(table.pre.values()):
                if with_kwargs:
                    new = hook(self, args, kwargs)
                    if new is not None:
                        if not (isinstance(new, tuple) and len(new) == 2):
                            raise RuntimeError(
                                f"forward pre-hook must return None or a tuple of (new_args, new_kwargs), "
                                f"but got {new}."
                            )
                        args, kwargs = new
                else:
                    new = hook(self, args)
                    if new is not None:
                        args = new if isinstance(new, tuple) else (new,)
            backward = backward_call(self, table)
            if backward is not None:
                args = backward.wrap_inputs(args)
            output = self.forward(*args, **kwargs)
            for handle_id, (hook, with_kwargs, _) in tuple(table.post.items()):
                called.add(handle_id)
                new = hook(self, args, kwargs, output) if with_kwargs else hook(self, args, output)
                if new is not None:
                    output = new
            return output if backward is None else backward.wrap_outputs(output)
        except Exception:
            for handle_id, (hook, with_kwargs, always_call) in tuple(table.post.items()):
                if not always_call or handle_id in called:
                    continue
                try:
                    new = hook(self, args, kwargs, output) if with_kwargs else hook(self, args, output)
                    output = output if new is None else new
                except Exception as exc:
                    warnings.warn(
                        "module forward hook with ``always_call=True`` raised an exception that was "
                        f"silenced as another error was raised in forward: {exc}",
                        stacklevel=2,
                    )
            raise
