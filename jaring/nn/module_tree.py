"""How a Module finds what it holds: children, descendants, parameters and buffers, walked with
dotted names ("0.weight", "layers.1.bias") or looked up by one, as torch's get_submodule,
get_parameter and get_buffer take them ("0.1", "encoder.norm.running_mean").

`ModuleTree` is a base class of `jaring.nn.Module` (jaring/nn/module.py) and of nothing else: it
reads the `_modules`, `_parameters` and `_buffers` registries that Module.__setattr__ fills.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

from jaring.autograd.tensor import Tensor
from jaring.nn.parameter import Parameter
from jaring.validation import check_bool

if TYPE_CHECKING:
    from jaring.nn.module import Module


class ModuleTree:
    """Traversal and lookup for Module (see the module docstring)."""

    _modules: dict[str, Module | None]
    _parameters: dict[str, Parameter | None]
    _buffers: dict[str, Tensor | None]

    # ----- walking ----------------------------------------------------------------------
    def named_children(self) -> Iterator[tuple[str, Module]]:
        """(name, module) for each direct submodule, in the order they were assigned."""
        return ((name, m) for name, m in self._modules.items() if m is not None)

    def children(self) -> Iterator[Module]:
        """Each direct submodule, in the order they were assigned."""
        return (m for _, m in self.named_children())

    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """This module and every descendant, depth-first, each once, with dotted names."""
        seen: set = set()
        stack: list[tuple[str, ModuleTree]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module  # type: ignore[misc]
            kids = [(f"{name}.{n}" if name else n, m) for n, m in module.named_children()]
            stack.extend(reversed(kids))

    def modules(self) -> Iterator[Module]:
        """This module and every descendant, depth-first, each once."""
        return (m for _, m in self.named_modules())

    def _owners(self, prefix: str, recurse: bool, method: str) -> Iterator[tuple[str, ModuleTree]]:
        """The modules whose own parameters or buffers a walk lists: all of them, or this one."""
        recurse = check_bool(f"{type(self).__name__}.{method}", "recurse", recurse)
        return self.named_modules(prefix) if recurse else iter([(prefix, self)])

    def named_parameters(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Parameter]]:
        """(dotted name, Parameter) pairs; a parameter shared by two layers appears once.

        recurse=False lists only this module's own parameters, not its submodules'.
        """
        seen: set = set()
        for owner, module in self._owners(prefix, recurse, "named_parameters"):
            for name, param in module._parameters.items():
                if param is not None and id(param) not in seen:
                    seen.add(id(param))
                    yield (f"{owner}.{name}" if owner else name), param

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        """Every parameter once (what an optimizer takes); warns while a lazy layer has none yet."""
        unbuilt = [] if self.built else self.unbuilt_layers()  # type: ignore[attr-defined]
        # torch's lazy layers (jaring/nn/lazy.py) yield placeholders that an optimizer refuses
        unbuilt = [m for m in unbuilt if not hasattr(m, "initialize_parameters")]
        if unbuilt:
            warnings.warn(
                f"{unbuilt[0]!r} has no weights yet because its input size is unknown, so parameters() "
                "misses them; call model.build(input_shape) or pass input_dim= before creating an "
                "optimizer",
                stacklevel=2,
            )
        return (p for _, p in self.named_parameters(recurse=recurse))

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Tensor]]:
        """(dotted name, Tensor) for the state that is saved but not trained (running statistics).

        Examples:
            >>> from jaring import nn
            >>> [name for name, _ in nn.Sequential(nn.BatchNorm1d(3)).named_buffers()]
            ['0.running_mean', '0.running_var', '0.num_batches_tracked']
        """
        for owner, module in self._owners(prefix, recurse, "named_buffers"):
            for name, buf in module._buffers.items():
                if buf is not None:
                    yield (f"{owner}.{name}" if owner else name), buf

    def buffers(self, recurse: bool = True) -> Iterator[Tensor]:
        """Every buffer (see named_buffers); recurse=False: only this module's own.

        Examples:
            >>> from jaring import nn
            >>> [tuple(b.shape) for b in nn.BatchNorm1d(3).buffers()]
            [(3,), (3,), ()]
        """
        return (b for _, b in self.named_buffers(recurse=recurse))

    def num_parameters(self, trainable_only: bool = False) -> int:
        """How many numbers the model learns (all parameters, or only those requiring grad)."""
        trainable_only = check_bool(f"{type(self).__name__}.num_parameters", "trainable_only", trainable_only)
        return sum(p.size for _, p in self.named_parameters() if p.requires_grad or not trainable_only)

    # ----- looking up by dotted path ----------------------------------------------------
    def get_submodule(self, target: str) -> Module:
        """The submodule at dotted path `target` ("" is this module), as torch's.

        Raises AttributeError with torch's wording: "Linear has no attribute `x`" where a step
        is missing, "`x` is not an nn.Module" where it is something else.

        Examples:
            >>> from jaring import nn
            >>> model = nn.Sequential(nn.Linear(2, 3), nn.Sequential(nn.ReLU(), nn.Linear(3, 1)))
            >>> model.get_submodule("1.1")
            Linear(in_features=3, out_features=1, bias=True)
            >>> model.get_submodule("1.2")
            Traceback (most recent call last):
            AttributeError: Sequential has no attribute `2`
        """
        if not isinstance(target, str):
            raise TypeError(f"{type(self).__name__}.get_submodule: target must be a dotted name (str)")
        module: ModuleTree = self
        if target == "":
            return module  # type: ignore[return-value]
        for item in target.split("."):
            if not hasattr(module, item):
                raise AttributeError(f"{type(module).__name__} has no attribute `{item}`")
            module = getattr(module, item)
            if not isinstance(module, ModuleTree):  # every Module is a ModuleTree
                raise AttributeError(f"`{item}` is not an nn.Module")
        return module  # type: ignore[return-value]

    def get_parameter(self, target: str) -> Parameter:
        """The parameter at dotted path `target` ("0.weight"), as torch's.

        Examples:
            >>> from jaring import nn
            >>> nn.Sequential(nn.Linear(2, 3)).get_parameter("0.bias").shape
            (3,)
            >>> nn.Linear(2, 3).get_parameter("in_features")
            Traceback (most recent call last):
            AttributeError: `in_features` is not an nn.Parameter
        """
        module, name = self._owner_of(target, "get_parameter")
        value = getattr(module, name)
        if not isinstance(value, Parameter):
            raise AttributeError(f"`{name}` is not an nn.Parameter")
        return value

    def get_buffer(self, target: str) -> Tensor:
        """The buffer at dotted path `target` ("0.running_mean"), as torch's.

        Examples:
            >>> from jaring import nn
            >>> nn.Sequential(nn.BatchNorm1d(3)).get_buffer("0.running_var").numpy()
            array([1., 1., 1.], dtype=float32)
            >>> nn.BatchNorm1d(3).get_buffer("weight")
            Traceback (most recent call last):
            AttributeError: `weight` is not a buffer
        """
        module, name = self._owner_of(target, "get_buffer")
        if name not in module._buffers:
            raise AttributeError(f"`{name}` is not a buffer")
        return getattr(module, name)

    def _owner_of(self, target: str, method: str) -> tuple[ModuleTree, str]:
        """The module holding the last name of dotted path `target`, and that name."""
        if not isinstance(target, str):
            raise TypeError(f"{type(self).__name__}.{method}: target must be a dotted name (str)")
        path, _, name = target.rpartition(".")
        module: ModuleTree = self.get_submodule(path)
        if not hasattr(module, name):
            raise AttributeError(f"{type(module).__name__} has no attribute `{name}`")
        return module, name
