"""ModuleDict and ParameterDict: torch's ordered dictionaries of submodules and of Parameters.

Each entry is registered under its key, so `named_parameters()` and `state_dict()` give torch's
names ("encoder.weight" in a ModuleDict, "scale" in a ParameterDict, with the container's own
attribute name in front inside a model). Keys follow torch's rules and messages: strings, no
".", not empty, not an attribute the container already has ("keys", "training"). As in torch,
`update` keeps the order of a ModuleDict's mapping, while ParameterDict.update sorts the keys of
a plain dict (an OrderedDict, a ParameterDict or a list of pairs keeps its order).

Saving with jaring.io.save: the config holds the entries as {key: value} in their order (as
[key, value] pairs when a key starts with "__", which the file format reserves); a
ParameterDict describes its Parameters as jaring/nn/container_params.py does.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import ItemsView, Iterable, Iterator, KeysView, Mapping, ValuesView
from typing import Any

from jaring.nn.container_params import (
    as_parameter,
    check_slot,
    describe,
    entry_config,
    entry_from_config,
    own_init_below,
    torch_repr,
)
from jaring.nn.module import Module
from jaring.nn.parameter import Parameter


class ParameterKeyError(KeyError, AttributeError):
    """A key a ParameterDict lacks: torch raises AttributeError (its lookup is getattr), a dict
    KeyError, so this is both and either `except` catches it."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _pairs(owner: str, items: Any) -> Iterator[tuple[Any, Any]]:
    """The (key, value) pairs of an iterable of pairs, with torch's errors for anything else."""
    for j, pair in enumerate(items):
        if not isinstance(pair, Iterable):
            raise TypeError(
                f"{owner} update sequence element #{j} should be Iterable; is{type(pair).__name__}"
            )
        pair = list(pair) if not hasattr(pair, "__len__") else pair
        if len(pair) != 2:
            raise ValueError(f"{owner} update sequence element #{j} has length {len(pair)}; 2 is required")
        yield pair[0], pair[1]


def _entries(pairs: list[tuple[str, Any]]) -> dict[str, Any] | list[list[Any]]:
    """The entries as a config holds them: a dict (JSON keeps its order, and a refusal names the
    key), or [key, value] pairs where a key such as "__tuple__" would read as a marker of the file."""
    if any(key.startswith("__") for key, _ in pairs):
        return [[key, value] for key, value in pairs]
    return dict(pairs)


# ----- ModuleDict ---------------------------------------------------------------------------------
class ModuleDict(Module):
    """Submodules in an ordered dict, registered under their keys, as torch's nn.ModuleDict.

    Takes a mapping {name: module} or an iterable of (name, module) pairs. It has no forward:
    a model picks entries in its own forward.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> heads = nn.ModuleDict({"cls": nn.Linear(4, 3, seed=0), "box": nn.Linear(4, 2, seed=1)})
        >>> heads["box"](jaring.ones(1, 4)).shape, list(heads)
        ((1, 2), ['cls', 'box'])
        >>> [name for name, _ in heads.named_parameters()]
        ['cls.weight', 'cls.bias', 'box.weight', 'box.bias']
    """

    def __init__(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        return self._modules[key]

    def __setitem__(self, key: str, module: Module | None) -> None:
        self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        del self._modules[key]
        object.__delattr__(self, key)

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(self._modules)

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def clear(self) -> None:
        """Remove every entry."""
        for key in list(self._modules):
            del self[key]

    def pop(self, key: str) -> Module:
        """Remove `key` and return its module (KeyError when it is missing)."""
        module = self[key]
        del self[key]
        return module

    def keys(self) -> KeysView[str]:
        return self._modules.keys()

    def items(self) -> ItemsView[str, Module]:
        return self._modules.items()

    def values(self) -> ValuesView[Module]:
        return self._modules.values()

    def update(self, modules: Mapping[str, Module] | Iterable[tuple[str, Module]]) -> None:
        """Add or replace entries from a mapping or an iterable of (key, module) pairs, in order."""
        if not isinstance(modules, Iterable):
            raise TypeError(
                "ModuleDict.update should be called with an iterable of key/value pairs, "
                f"but got {type(modules).__name__}"
            )
        pairs = (
            modules.items() if isinstance(modules, (Mapping, ModuleDict)) else _pairs("ModuleDict", modules)
        )
        for key, module in pairs:
            self[key] = module

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f'Module [{type(self).__name__}] is missing the required "forward" function'
        )

    def __repr__(self) -> str:
        return torch_repr(self)

    def get_config(self) -> dict[str, Any]:
        """{"modules": {key: module, ...}}; a subclass with its own __init__ keeps its arguments."""
        if own_init_below(type(self), ModuleDict):
            return super().get_config()
        return {"modules": _entries(list(self._modules.items()))}


# ----- ParameterDict ------------------------------------------------------------------------------
class ParameterDict(Module):
    """Parameters in an ordered dict, registered under their keys, as torch's nn.ParameterDict.

    A Tensor or array stored becomes a Parameter sharing its memory; other objects are kept as
    they are. A missing key raises ParameterKeyError (both torch's AttributeError and KeyError).

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> params = nn.ParameterDict({"scale": jaring.ones(3), "shift": jaring.zeros(3)})
        >>> params
        ParameterDict(
            (scale): Parameter containing: [jaring.FloatTensor of size 3]
            (shift): Parameter containing: [jaring.FloatTensor of size 3]
        )
        >>> [name for name, _ in params.named_parameters()], "scale" in params
        (['scale', 'shift'], True)
    """

    def __init__(self, parameters: Any = None) -> None:
        super().__init__()
        self._keys: dict[str, None] = {}
        if parameters is not None:
            self.update(parameters)

    @staticmethod
    def _key(key: Any) -> str:
        if not isinstance(key, str):
            raise TypeError(
                "Index given to ParameterDict cannot be used as a key as it is not a string "
                f"(type is '{type(key).__name__}'). Open an issue on github if you need non-string keys."
            )
        return key

    def __getitem__(self, key: str) -> Any:
        if self._key(key) not in self._keys:
            raise ParameterKeyError(f"'{type(self).__name__}' object has no attribute '{key}'")
        return getattr(self, key)

    def __setitem__(self, key: str, value: Any) -> None:
        self._key(key)
        value = as_parameter(value)
        if isinstance(value, (Parameter, Module)):
            kind = "parameter" if isinstance(value, Parameter) else "module"
            if "." in key:
                raise KeyError(f'{kind} name can\'t contain "."')
            if key == "":
                raise KeyError(f'{kind} name can\'t be empty string ""')
        if key not in self._keys and hasattr(self, key):
            raise KeyError(f"attribute '{key}' already exists")
        check_slot(self, key, value)
        self._keys[key] = None
        setattr(self, key, value)

    def __delitem__(self, key: str) -> None:
        del self._keys[key]
        delattr(self, key)

    def __len__(self) -> int:
        return len(self._keys)

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._keys)

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def copy(self) -> ParameterDict:
        """A new ParameterDict holding the same Parameters, in the same order."""
        return ParameterDict([(k, self[k]) for k in self._keys])

    def setdefault(self, key: str, default: Any = None) -> Any:
        """self[key], first setting it to `default` when it is missing."""
        if key not in self:
            self[key] = default
        return self[key]

    def clear(self) -> None:
        """Remove every entry."""
        for key in list(self._keys):
            del self[key]

    def pop(self, key: str) -> Any:
        """Remove `key` and return its value."""
        value = self[key]
        del self[key]
        return value

    def popitem(self) -> tuple[str, Any]:
        """Remove and return the last (key, value) pair inserted."""
        if not self._keys:
            raise KeyError("popitem(): dictionary is empty")
        key = next(reversed(self._keys))
        return key, self.pop(key)

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default

    def fromkeys(self, keys: Iterable[str], default: Any = None) -> ParameterDict:
        """A new ParameterDict with each of `keys` holding `default`."""
        return ParameterDict((k, default) for k in keys)

    def keys(self) -> KeysView[str]:
        return self._keys.keys()

    def items(self) -> Iterator[tuple[str, Any]]:
        return ((k, self[k]) for k in self._keys)

    def values(self) -> Iterator[Any]:
        return (self[k] for k in self._keys)

    def update(self, parameters: Any) -> None:
        """Add or replace entries: an OrderedDict, a ParameterDict or pairs in their order, a plain
        mapping sorted by key (torch's rule)."""
        if not isinstance(parameters, Iterable):
            raise TypeError(
                "ParametersDict.update should be called with an iterable of key/value pairs, "
                f"but got {type(parameters).__name__}"
            )
        if isinstance(parameters, (OrderedDict, ParameterDict)):
            pairs: Iterable = list(parameters.items())
        elif isinstance(parameters, Mapping):
            pairs = sorted(parameters.items(), key=lambda pair: pair[0])
        else:
            pairs = _pairs("ParameterDict", parameters)
        for key, value in pairs:
            self[key] = value

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterDict should not be called.")

    def __or__(self, other: ParameterDict) -> ParameterDict:
        merged = self.copy()
        merged.update(other)
        return merged

    def __ror__(self, other: ParameterDict) -> ParameterDict:
        merged = other.copy()
        merged.update(self)
        return merged

    def __ior__(self, other: ParameterDict) -> ParameterDict:
        self.update(other)
        return self

    def extra_repr(self) -> str:
        return "\n".join(f"  ({k}): {describe(p, lambda t: t.type())}" for k, p in self.items())

    def __repr__(self) -> str:
        return torch_repr(self)

    # ----- saving -------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """{"parameters": {key: entry, ...}}, each Parameter as its shape, dtype and requires_grad."""
        if own_init_below(type(self), ParameterDict):
            return super().get_config()
        return {
            "parameters": _entries([(k, entry_config(v, f"ParameterDict[{k!r}]")) for k, v in self.items()])
        }

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> ParameterDict:
        if own_init_below(cls, ParameterDict) or not isinstance(config, dict) or set(config) - {"parameters"}:
            return super().from_config(config)  # Module's: recorded arguments, or a clear error
        pairs = config.get("parameters")
        if pairs is None:
            return cls()
        if isinstance(pairs, Mapping):
            pairs = list(pairs.items())  # in the saved order: the constructor would sort a dict
        if not isinstance(pairs, (list, tuple)):
            raise TypeError(
                f"ParameterDict.from_config: parameters must be a dict or pairs, got {pairs!r:.80}"
            )
        return cls(
            [(k, entry_from_config(v, f"ParameterDict[{k!r}]")) for k, v in _pairs("ParameterDict", pairs)]
        )
