"""Containers: Sequential (layers one after another) and ModuleList (layers a model loops over)."""

from __future__ import annotations

from typing import Any
from collections.abc import Iterable, Iterator

from jaring.nn.module import Module


class _Layers(Module):
    """What Sequential and ModuleList share: layers numbered in order, appended, indexed, sliced.

    Both constructors take one list of modules, so a slice is rebuilt the same way for either.
    """

    def append(self, module: Module) -> Any:
        _check_module(module, type(self).__name__)
        setattr(self, str(len(self._modules)), module)
        return self

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._modules.values())
        if isinstance(index, slice):
            return type(self)(items[index])
        try:
            return items[index]
        except IndexError:
            raise IndexError(
                f"index {index} is out of range for {type(self).__name__} of length {len(items)}"
            ) from None

    def _key(self, index: Any) -> str:
        """The name of the layer at `index` (negative from the end), torch's IndexError otherwise."""
        if isinstance(index, bool) or not isinstance(index, int):
            raise TypeError(f"{type(self).__name__} indices must be integers, got {type(index).__name__}")
        names = list(self._modules)
        if not -len(names) <= index < len(names):
            raise IndexError(f"index {index} is out of range")
        return names[index]

    def __setitem__(self, index: int, module: Module) -> None:
        """Replace the layer at `index`: `model[0] = nn.Linear(4, 3)`, as torch's."""
        _check_module(module, type(self).__name__)
        setattr(self, self._key(index), module)

    def __delitem__(self, index: int | slice) -> None:
        """Remove layers; the rest are renumbered 0, 1, ... as torch's (named ones keep names)."""
        names = list(self._modules)
        doomed = names[index] if isinstance(index, slice) else [self._key(index)]
        kept = [(n, m) for n, m in self._modules.items() if n not in doomed]
        numbered = names == [str(i) for i in range(len(names))]
        for name in names:
            delattr(self, name)
        for i, (name, module) in enumerate(kept):
            setattr(self, str(i) if numbered else name, module)

    def insert(self, index: int, module: Module) -> Any:
        """Put `module` before the layer at `index` (numbered layers only), as torch's; like torch's,
        Sequential.insert returns the container and ModuleList.insert None."""
        _check_module(module, type(self).__name__)
        items = list(self._modules.values())
        if isinstance(index, bool) or not isinstance(index, int) or not -len(items) <= index <= len(items):
            raise IndexError(f"Index out of range: {index}")
        items.insert(index, module)
        for name in list(self._modules):
            delattr(self, name)
        for i, layer in enumerate(items):
            setattr(self, str(i), layer)
        return self if isinstance(self, Sequential) else None

    def pop(self, index: int = -1) -> Module:
        """Remove and return the layer at `index`."""
        module = self[index]
        del self[index]
        return module

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))


class Sequential(_Layers):
    """Layers applied one after another: Sequential(Linear(4, 8), ReLU(), Linear(8, 1)).

    Also accepts one list (Keras style) or one dict {name: module} (named layers).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> model = nn.Sequential(nn.Dense(8, activation="relu", seed=0), nn.Dense(3, seed=1))
        >>> model(jaring.ones(4, 5)).shape, len(model)
        ((4, 3), 2)
    """

    def __init__(self, *modules: Any) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], dict):
            items = list(modules[0].items())
        else:
            if len(modules) == 1 and isinstance(modules[0], (list, tuple)):
                modules = tuple(modules[0])
            items = [(str(i), m) for i, m in enumerate(modules)]
        for name, module in items:
            _check_module(module, type(self).__name__)
            setattr(self, str(name), module)

    def forward(self, x: Any) -> Any:
        for module in self._modules.values():
            x = module(x)
        return x

    def get_config(self) -> dict[str, Any]:
        names = list(self._modules)
        if names == [str(i) for i in range(len(names))]:
            return {"modules": list(self._modules.values())}
        return {"modules": [dict(self._modules)]}


class ModuleList(_Layers):
    """A list of modules whose parameters are registered (for models that loop over layers).

    Examples:
        >>> from jaring import nn
        >>> blocks = nn.ModuleList([nn.Linear(4, 4, seed=i) for i in range(3)])
        >>> len(blocks), len(list(blocks.parameters()))
        (3, 6)
    """

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None and not isinstance(modules, Iterable):
            raise TypeError(
                f"ModuleList: modules must be an iterable of Modules or None, got {modules!r:.80}"
            )
        for module in modules or ():
            self.append(module)

    def extend(self, modules: Iterable[Module]) -> "ModuleList":
        for module in modules:
            self.append(module)
        return self

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError("ModuleList has no forward(); loop over its layers in your model's forward")

    def get_config(self) -> dict[str, Any]:
        return {"modules": list(self._modules.values())}


def _check_module(module: Any, container: str) -> None:
    if not isinstance(module, Module):
        raise TypeError(f"{container} holds Modules, got {type(module).__name__}: {module!r}")
