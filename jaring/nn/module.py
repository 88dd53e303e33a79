"""Module: how layers hold their weights (the containers are in jaring/nn/container.py).

Attributes that are Parameters (jaring/nn/parameter.py) or Modules register themselves when
assigned (in definition order), so `named_parameters()` finds every weight with a dotted name
("0.weight", "layers.1.bias") and `state_dict()` / `load_state_dict()` move them as NumPy arrays.
Walking and looking up by dotted name are in jaring/nn/module_tree.py, forward hooks in
jaring/nn/module_hooks.py, backward hooks in jaring/nn/module_backward_hooks.py: Module inherits them.

`get_config()` / `cls.from_config(config)` save and rebuild an architecture from its constructor
arguments (the contract is in jaring/nn/module_config.py); `module_class(name)` looks a Module
class up by name for loading.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from typing import Any, NamedTuple
from collections.abc import Callable, Iterable

import numpy as np

from jaring import backend
from jaring.autograd.function import no_grad
from jaring.autograd.tensor import Tensor
from jaring.nn import module_arguments as check, module_hooks
from jaring.nn.module_config import recording_init, same_value as _same, set_build_dtype
from jaring.nn.module_backward_hooks import BackwardHooks
from jaring.nn.module_hooks import ForwardHooks
from jaring.nn.module_tree import ModuleTree
from jaring.nn.parameter import Parameter
from jaring.nn.renamed import translate
from jaring.validation import check_bool

_REGISTRY: dict[str, type] = {}


class IncompatibleKeys(NamedTuple):
    """What `load_state_dict(strict=False)` skipped.

    Examples:
        >>> from jaring import nn
        >>> model = nn.Sequential(nn.Linear(2, 3, seed=0))
        >>> model.load_state_dict({"0.weight": model[0].weight.numpy()}, strict=False)
        IncompatibleKeys(missing_keys=['0.bias'], unexpected_keys=[])
    """

    missing_keys: list
    unexpected_keys: list


def module_class(name: str) -> type:
    """The Module subclass called `name` ("Linear", or "jaring.nn.linear.Linear" when ambiguous).

    Examples:
        >>> from jaring import nn
        >>> nn.module_class("Linear").from_config(nn.Linear(2, 3).get_config())
        Linear(in_features=2, out_features=3, bias=True)
    """
    if not isinstance(name, str):
        raise TypeError(f"module_class: name must be a class name (str), got {name!r}")
    if name in _REGISTRY:
        return _REGISTRY[name]
    matches = [cls for full, cls in _REGISTRY.items() if full.rsplit(".", 1)[-1] == name]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise KeyError(f"no Module class named {name!r} has been defined (import the module that defines it)")
    raise KeyError(f"several Module classes are named {name!r}; use the full name: {sorted(_REGISTRY)}")


class Module(ModuleTree, ForwardHooks, BackwardHooks):
    """Base class of layers and models: subclasses set attributes in __init__ and write forward.

    Examples:
        >>> import jaring
        >>> from jaring import nn
        >>> class TinyMLP(nn.Module):
        ...     def __init__(self):
        ...         super().__init__()
        ...         self.hidden = nn.Linear(4, 8, seed=0)
        ...         self.out = nn.Linear(8, 2, seed=1)
        ...     def forward(self, x):
        ...         return self.out(jaring.relu(self.hidden(x)))
        >>> model = TinyMLP()
        >>> print(*(name for name, _ in model.named_parameters()))
        hidden.weight hidden.bias out.weight out.bias
        >>> model(jaring.ones(3, 4)).shape, model.num_parameters()
        ((3, 2), 58)
    """

    training: bool

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        _REGISTRY[f"{cls.__module__}.{cls.__qualname__}"] = cls
        if "__init__" in cls.__dict__:
            cls.__init__ = recording_init(cls.__dict__["__init__"])

    def __init__(self) -> None:
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "training", True)
        if "_config" not in self.__dict__:
            object.__setattr__(self, "_config", {})

    # ----- registration -----------------------------------------------------------------
    def __setattr__(self, name: str, value: Any) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"cannot assign {name!r} before Module.__init__ ran: call super().__init__() first "
                f"in {type(self).__name__}.__init__"
            )
        params, modules, buffers = self._parameters, self._modules, self._buffers
        if isinstance(value, Parameter):
            modules.pop(name, None)
            buffers.pop(name, None)
            params[name] = value
        elif isinstance(value, Module):
            params.pop(name, None)
            buffers.pop(name, None)
            modules[name] = value
        elif name in params:
            if value is not None:
                raise TypeError(
                    f"cannot assign a {type(value).__name__} to parameter {name!r} of "
                    f"{type(self).__name__}: wrap it in jaring.nn.Parameter (or assign to .{name}.data)"
                )
            params[name] = None
        elif name in modules:
            if value is not None:
                raise TypeError(f"cannot replace submodule {name!r} with a {type(value).__name__}")
            modules[name] = None
        elif name in buffers:
            value = value if value is None or isinstance(value, Tensor) else Tensor(value)
            buffers[name] = value
        object.__setattr__(self, name, value)

    def __delattr__(self, name: str) -> None:
        for registry in (self._parameters, self._modules, self._buffers):
            registry.pop(name, None)
        object.__delattr__(self, name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Add a parameter (or a None placeholder, e.g. a disabled bias) under `name`."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"register_parameter({name!r}) needs a Parameter or None, got {type(param).__name__}"
            )
        check.attribute_name(type(self).__name__, "register_parameter", name)
        self._parameters[name] = None
        setattr(self, name, param)

    def register_buffer(self, name: str, value: Any) -> None:
        """Add state that is saved in state_dict but not trained (e.g. running statistics)."""
        check.attribute_name(type(self).__name__, "register_buffer", name)
        tensor = value if value is None or isinstance(value, Tensor) else Tensor(value)
        self._parameters.pop(name, None)
        self._modules.pop(name, None)
        self._buffers[name] = tensor
        object.__setattr__(self, name, tensor)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register `module` (or a None placeholder) as the submodule `name`, as torch's:
        the same as `setattr(self, name, module)`, for names chosen at run time.

        Examples:
            >>> from jaring import nn
            >>> model = nn.Module()
            >>> model.add_module("encoder", nn.Linear(2, 3))
            >>> [name for name, _ in model.named_parameters()]
            ['encoder.weight', 'encoder.bias']
        """
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"{_typename(module)} is not a Module subclass")
        if not isinstance(name, str):
            raise TypeError(f"module name should be a string. Got {_typename(name)}")
        if hasattr(self, name) and name not in self._modules:
            raise KeyError(f"attribute '{name}' already exists")
        if "." in name:
            raise KeyError(f'module name can\'t contain ".", got: {name}')
        if name == "":
            raise KeyError('module name can\'t be empty string ""')
        self._modules[name] = module
        object.__setattr__(self, name, module)

    def register_module(self, name: str, module: Module | None) -> None:
        """Another name of add_module, as torch's."""
        self.add_module(name, module)

    # ----- calling ----------------------------------------------------------------------
    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(f"{type(self).__name__} must define forward()")

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if module_hooks.any_hook_registered and self._hooks:  # None, or a table true while not empty
            return self._call_with_hooks(args, kwargs)
        return self.forward(*args, **kwargs)

    @property
    def built(self) -> bool:
        """Whether every weight exists: False while a lazy layer inside still waits for its input size.

        Lazy layers (Dense, Conv2D, BatchNorm2D, the recurrent layers without their input size)
        override it; they are built by `build(input_shape)` or by their first call.
        """
        return all(child.built for child in self.children())

    def unbuilt_layers(self) -> list["Module"]:
        """The lazy layers inside (this one included) that have no weights yet."""
        return [m for m in self.modules() if not m.built and all(c.built for c in m.children())]

    def build(self, input_shape: Iterable[int | None], dtype: Any = None) -> "Module":
        """Create lazily sized weights now by running a dummy batch of `input_shape`.

        `input_shape` includes the batch dimension; None entries (Keras's unknown batch size)
        become 1. Runs under no_grad in eval mode and restores the previous mode.
        """
        owner = type(self).__name__
        shape = check.input_shape(f"{owner}.build", input_shape)
        dtype = (
            backend.get_default_dtype()
            if dtype is None
            else check.float_dtype(f"{owner}.build", "dtype", dtype)
        )
        batch = check.dummy_batch(owner, shape, dtype)
        modes = [(m, m.training) for m in self.modules()]
        self.eval()
        try:
            with no_grad():
                self(Tensor(batch))
        finally:
            for module, mode in modes:
                object.__setattr__(module, "training", mode)
        return self

    # ----- modes and gradients ----------------------------------------------------------
    def train(self, mode: bool = True) -> "Module":
        """Switch this module and every descendant to training (or eval) mode."""
        mode = check_bool(f"{type(self).__name__}.train", "mode", mode)
        for module in self.modules():
            object.__setattr__(module, "training", bool(mode))
        return self

    def eval(self) -> "Module":
        return self.train(False)

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Set requires_grad on every parameter, e.g. False to freeze a pretrained part; returns self.

        A frozen parameter gets no gradient (its .grad stays None) and optimizers skip it.

        Examples:
            >>> import jaring
            >>> from jaring import nn
            >>> model = nn.Sequential(nn.Linear(2, 3, seed=0), nn.Linear(3, 1, seed=1))
            >>> _ = model[0].requires_grad_(False)
            >>> model(jaring.ones(4, 2)).sum().backward()
            >>> model[0].weight.grad is None, model[1].weight.grad is None
            (True, False)
        """
        requires_grad = check_bool(f"{type(self).__name__}.requires_grad_", "requires_grad", requires_grad)
        unbuilt = [] if self.built else self.unbuilt_layers()
        if unbuilt:
            warnings.warn(
                f"{unbuilt[0]!r} has no weights yet because its input size is unknown, so "
                "requires_grad_ cannot reach them; call model.build(input_shape) first",
                stacklevel=2,
            )
        for _, param in self.named_parameters():
            param.requires_grad_(requires_grad)
        return self

    def zero_grad(self, set_to_none: bool = True) -> None:
        """Forget accumulated gradients: every parameter's .grad becomes None, or with
        set_to_none=False zeros in place (as torch's)."""
        for _, p in self.named_parameters():
            p.zero_grad(set_to_none)

    def apply(self, fn: Callable[["Module"], Any]) -> "Module":
        """Call fn on every descendant and then on this module (e.g. custom initialisation)."""
        if not callable(fn):
            raise TypeError(f"{type(self).__name__}.apply: fn must be a function of a module, got {fn!r:.80}")
        for module in reversed(list(self.modules())):
            fn(module)
        return self

    def to(self, target: Any) -> "Module":
        """Move parameters and buffers to a device ('cpu', 'cuda') or cast them to a float dtype;
        layers not built yet (Dense, Conv2D...) build their weights in that dtype."""
        target = check.device_or_dtype(target)
        if isinstance(target, str):
            convert = functools.partial(backend.to_device, device=target)
        else:
            convert = functools.partial(_cast_float, dtype=target)
            for module in self.modules():
                set_build_dtype(module, target)
        for _, tensor in [*self.named_parameters(), *self.named_buffers()]:
            tensor.data = convert(tensor.data)
            if tensor.grad is not None:
                tensor.grad.data = convert(tensor.grad.data)
        return self

    def float(self) -> "Module":
        return self.to(np.float32)

    def double(self) -> "Module":
        return self.to(np.float64)

    # ----- state ------------------------------------------------------------------------
    def state_dict(self) -> dict[str, np.ndarray]:
        """Every parameter and buffer as a NumPy copy, keyed by dotted name."""
        items = [*self.named_parameters(), *self.named_buffers()]
        return {name: np.array(backend.to_numpy(t.data), copy=True) for name, t in items}

    def load_state_dict(self, state: dict[str, Any], strict: bool = True) -> IncompatibleKeys:
        """Copy arrays into the parameters and buffers with the same names.

        Everything is checked before anything is written, so a failed load leaves the model
        unchanged. strict=True rejects missing and unexpected keys; shape mismatches always fail.
        A lazy layer not materialised yet takes its input size from the loaded weights (torch's).
        """
        own = dict([*self.named_parameters(), *self.named_buffers()])
        strict = check_bool(f"{type(self).__name__}.load_state_dict", "strict", strict)
        lazy = check.lazy_plans(self, state, own)
        arrays, problems = check.state_arrays(type(self).__name__, state, own)
        missing = [k for k in own if k not in state]
        unexpected = [k for k in state if k not in own]
        keys = [("missing", missing), ("unexpected", unexpected)] if strict else []
        problems = [f"{kind} key(s): {', '.join(names)}" for kind, names in keys if names] + problems
        if problems:
            raise RuntimeError(f"cannot load state_dict into {type(self).__name__}: " + "; ".join(problems))
        for layer, plain in lazy:
            layer.become(plain)
        own = dict([*self.named_parameters(), *self.named_buffers()]) if lazy else own
        for name, array in arrays.items():
            target = own[name].data
            target[...] = backend.array_module(target).asarray(array, dtype=target.dtype)
        return IncompatibleKeys(missing, unexpected)

    # ----- configuration and display ----------------------------------------------------
    def get_config(self) -> dict[str, Any]:
        """The constructor arguments of this module (see the module docstring)."""
        return dict(self._config)

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> "Module":
        """Build a new module from `get_config()`'s output (weights are not included)."""
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        any_keyword = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params)
        config = check.config_dict(cls, config, [], True)  # a mapping, else a clear error
        config = translate(cls, dict(config), warn=False)  # an old file may use a renamed argument
        kwargs = check.config_dict(cls, config, [p.name for p in params], any_keyword)
        args: list = []
        for param in params:
            if param.kind is inspect.Parameter.VAR_POSITIONAL and param.name in kwargs:
                args = list(kwargs.pop(param.name))
        return cls(*args, **kwargs)

    def extra_repr(self) -> str:
        """The text inside the parentheses of repr(); by default the non-default constructor args."""
        init = type(self).__init__
        defaults = {
            p.name: p.default
            for p in inspect.signature(init).parameters.values()
            if p.default is not inspect.Parameter.empty
        }
        shown = []
        for name, value in self.get_config().items():
            if isinstance(value, (Module, list, dict)) or (name in defaults and _same(defaults[name], value)):
                continue
            shown.append(f"{name}={value!r}")
        return ", ".join(shown)

    def __repr__(self) -> str:
        extra = self.extra_repr()
        kids = list(self.named_children())
        if not kids:
            return f"{type(self).__name__}({extra})"
        lines = [f"  {extra}"] if extra else []
        for name, child in kids:
            body = repr(child).replace("\n", "\n  ")
            lines.append(f"  ({name}): {body}")
        return f"{type(self).__name__}(\n" + "\n".join(lines) + "\n)"


def _typename(value: Any) -> str:
    """torch.typename's spelling of a value's type: "int", "jaring.autograd.tensor.Tensor"."""
    cls = type(value)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def _cast_float(array: Any, dtype: np.dtype) -> Any:
    return array.astype(dtype, copy=False) if array.dtype.kind == "f" else array
