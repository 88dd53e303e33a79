"""ParameterList (torch's nn.ParameterList), and what the torch-style containers share: wrapping
tensors into Parameters, torch's assignment rules and repr, and a config that saves Parameters.

ParameterList holds Parameters under the names "0", "1", ... (so `named_parameters()` and
`state_dict()` give torch's keys); a Tensor or an array put into it becomes a Parameter sharing
its memory, anything else (an int, None, a Module) is kept as it is, as torch keeps it. The dict
containers (ModuleDict, ParameterDict) are in jaring/nn/container_dict.py.

Saving: the architecture JSON of jaring.io.save cannot hold tensors, so `get_config()` describes
each Parameter by its shape, dtype and requires_grad ({"__parameter__": {...}}), and
`from_config` makes zeros of that shape, counted against the loader's allocation budget, which
the saved weights then fill. Other entries are saved as their values, so JSON must hold them.
"""

from __future__ import annotations

import numbers
import operator
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from jaring import backend
from jaring.allocation import reserve
from jaring.autograd.tensor import Tensor
from jaring.nn.module import Module
from jaring.nn.parameter import Parameter

SPEC = "__parameter__"


# ----- shared by ParameterList, ParameterDict and ModuleDict -------------------------------------
def as_parameter(value: Any) -> Any:
    """A Tensor or array as a Parameter (sharing its data, requiring grad), as torch wraps a
    Tensor; a Parameter, None or any other object unchanged."""
    if isinstance(value, Parameter) or value is None:
        return value
    if isinstance(value, Tensor):
        return Parameter(value)
    if isinstance(value, np.ndarray) or backend.is_cupy_array(value):
        return Parameter(value)
    return value


def check_slot(module: Module, name: str, value: Any) -> None:
    """torch's Module.__setattr__ rules: a Parameter may replace anything, nothing but a Parameter
    or None replaces a Parameter, and nothing but a Module or None replaces a Module."""
    if value is None or isinstance(value, Parameter):
        return
    cls = type(value)
    typename = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    if name in module._parameters:
        raise TypeError(
            f"cannot assign '{typename}' as parameter '{name}' (jaring.nn.Parameter or None expected)"
        )
    if name in module._modules and not isinstance(value, Module):
        raise TypeError(
            f"cannot assign '{typename}' as child module '{name}' (jaring.nn.Module or None expected)"
        )


def describe(value: Any, dtype_name: Any) -> str:
    """One entry as torch's containers print it: "Parameter containing: [jaring.float32 of size 2x3]"."""
    if not isinstance(value, Tensor):
        return f"Object of type: {type(value).__name__}"
    size = "x".join(str(n) for n in value.shape)
    device = " (cuda:0)" if value.device == "cuda" else ""
    kind = "Parameter" if isinstance(value, Parameter) else "Tensor"
    return f"{kind} containing: [{dtype_name(value)} of size {size}{device}]"


def torch_repr(module: Module) -> str:
    """torch's Module.__repr__: the extra_repr lines, then every child (None included)."""
    extra = module.extra_repr()
    extra_lines = extra.split("\n") if extra else []
    child_lines = [
        f"({name}): " + repr(child).replace("\n", "\n  ") for name, child in module._modules.items()
    ]
    lines = extra_lines + child_lines
    if not lines:
        return f"{type(module).__name__}()"
    if len(extra_lines) == 1 and not child_lines:
        return f"{type(module).__name__}({extra_lines[0]})"
    return f"{type(module).__name__}(\n  " + "\n  ".join(lines) + "\n)"


def own_init_below(cls: type, base: type) -> bool:
    """Whether a subclass of `base` from `cls` down to `base` defines its own __init__: then its
    recorded arguments, not the container's contents, rebuild it."""
    mro = cls.__mro__
    return any("__init__" in c.__dict__ for c in mro[: mro.index(base)])


def entry_config(value: Any, where: str) -> Any:
    """An entry as get_config holds it: a Parameter as its spec, anything else as it is."""
    if isinstance(value, Tensor):
        return {
            SPEC: {
                "shape": tuple(value.shape),
                "dtype": np.dtype(value.dtype),
                "requires_grad": value.requires_grad,
            }
        }
    if isinstance(value, dict) and SPEC in value:
        raise TypeError(f"cannot describe {where}: a dict holding the key {SPEC!r} would load as a Parameter")
    return value


def entry_from_config(value: Any, where: str) -> Any:
    """The inverse of entry_config: zeros of the spec's shape and dtype for a Parameter."""
    if not (isinstance(value, dict) and SPEC in value):
        return value
    spec = value[SPEC]
    if set(value) != {SPEC} or not isinstance(spec, dict) or set(spec) != {"shape", "dtype", "requires_grad"}:
        raise ValueError(f"{where}: a saved Parameter needs exactly 'shape', 'dtype' and 'requires_grad'")
    shape, grad = spec["shape"], spec["requires_grad"]
    if not isinstance(shape, (tuple, list)) or not all(
        isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0 for n in shape
    ):
        raise ValueError(f"{where}: a saved Parameter's shape must be non-negative integers, got {shape!r}")
    if not isinstance(grad, bool):
        raise ValueError(f"{where}: a saved Parameter's requires_grad must be True or False, got {grad!r}")
    try:
        dtype = np.dtype(spec["dtype"])
    except TypeError:
        raise ValueError(f"{where}: a saved Parameter's dtype is not a dtype: {spec['dtype']!r}") from None
    if dtype.kind not in "fiub":
        raise ValueError(f"{where}: a saved Parameter's dtype must be numeric, got {dtype}")
    shape = tuple(int(n) for n in shape)
    reserve(shape)  # a loader's budget refuses shapes the file's bytes cannot back
    return Parameter(np.zeros(shape, dtype=dtype), requires_grad=grad)


# ----- ParameterList -----------------------------------------------------------------------------
class ParameterList(Module):
    """A list of Parameters registered as "0", "1", ..., as torch's nn.ParameterList.

    A Tensor or array added (constructor, append, extend, item assignment) becomes a Parameter
    sharing its memory; other objects are kept as they are. It has no forward and cannot be called.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> params = nn.ParameterList([jaring.ones(2, 3), nn.Parameter(jaring.zeros(4))])
        >>> params.append(jaring.zeros(5))
        ParameterList(
            (0): Parameter containing: [jaring.float32 of size 2x3]
            (1): Parameter containing: [jaring.float32 of size 4]
            (2): Parameter containing: [jaring.float32 of size 5]
        )
        >>> [name for name, _ in params.named_parameters()], type(params[0]).__name__
        (['0', '1', '2'], 'Parameter')
    """

    def __init__(self, values: Iterable[Any] | None = None) -> None:
        super().__init__()
        self._size = 0
        if values is not None:
            self += values

    def _index(self, idx: Any) -> str:
        idx = operator.index(idx)
        if not (-len(self) <= idx < len(self)):
            raise IndexError(f"index {idx} is out of range")
        return str(idx + len(self) if idx < 0 else idx)

    def __getitem__(self, idx: Any) -> Any:
        if isinstance(idx, slice):
            out = type(self)()
            for i in range(*idx.indices(len(self))):
                out.append(self[i])
            return out
        return getattr(self, self._index(idx))

    def __setitem__(self, idx: Any, value: Any) -> None:
        name = self._index(idx)
        value = as_parameter(value)
        check_slot(self, name, value)
        setattr(self, name, value)

    def __len__(self) -> int:
        return self._size

    def __iter__(self) -> Iterator[Any]:
        return iter([self[i] for i in range(len(self))])

    def __iadd__(self, values: Iterable[Any]) -> ParameterList:
        return self.extend(values)

    def __dir__(self) -> list[str]:
        return [key for key in super().__dir__() if not key.isdigit()]

    def append(self, value: Any) -> ParameterList:
        """Add `value` at the end (a Tensor or array as a Parameter); returns the list."""
        self._size += 1
        try:
            self[self._size - 1] = value
        except Exception:
            self._size -= 1
            raise
        return self

    def extend(self, values: Iterable[Any]) -> ParameterList:
        """Append each of `values` (an iterable, not a Tensor); returns the list."""
        if not isinstance(values, Iterable) or isinstance(values, (Tensor, np.ndarray)):
            raise TypeError(
                f"ParameterList.extend should be called with an iterable, but got {type(values).__name__}"
            )
        for value in values:
            self.append(value)
        return self

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("ParameterList should not be called.")

    def extra_repr(self) -> str:
        return "\n".join(f"  ({i}): {describe(p, lambda t: f'jaring.{t.dtype}')}" for i, p in enumerate(self))

    def __repr__(self) -> str:
        return torch_repr(self)

    # ----- saving -------------------------------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """{"values": [...]}: each Parameter as its shape, dtype and requires_grad (see the module
        docstring); a subclass with its own __init__ keeps its recorded arguments."""
        if own_init_below(type(self), ParameterList):
            return super().get_config()
        return {"values": [entry_config(v, f"ParameterList[{i}]") for i, v in enumerate(self)]}

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> ParameterList:
        if own_init_below(cls, ParameterList) or not isinstance(config, dict) or set(config) - {"values"}:
            return super().from_config(config)  # Module's: recorded arguments, or a clear error
        values = config.get("values")
        if values is None:
            return cls()
        if not isinstance(values, (list, tuple)):
            raise TypeError(f"ParameterList.from_config: values must be a list, got {type(values).__name__}")
        return cls([entry_from_config(v, f"ParameterList[{i}]") for i, v in enumerate(values)])
