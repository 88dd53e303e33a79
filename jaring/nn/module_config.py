"""How every Module subclass records its constructor arguments, for get_config() / from_config().

`Module.__init_subclass__` wraps each subclass's `__init__` with `recording_init`, so the arguments
of the outermost constructor call (defaults filled in, renamed keywords translated) are stored as
the module's `_config` before the `__init__` body runs; `same_value` decides which of them repr()
leaves out as equal to their defaults.

The contract, for saving an architecture as JSON: every Module subclass records the arguments
its constructor was called with (defaults filled in) before its `__init__` body runs.
`get_config()` returns them as a dict {argument name: value}; a `*args` argument is stored under
its own name as a list and `**kwargs` are merged in. `cls.from_config(config)` calls the
constructor again with them. Values are kept exactly as passed, so they may be Modules
(Sequential's children), callables or Generators; a JSON writer must recurse into Modules (class
name + `get_config()`) and refuse what JSON cannot hold. Layers whose config changes after
construction (a lazy layer learning its input size, a container growing) override `get_config()`.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from jaring.nn.renamed import translate


def recording_init(init: Callable) -> Callable:
    """Wrap a subclass __init__ so the outermost call stores its bound arguments as the config."""
    signature = inspect.signature(init)

    @functools.wraps(init)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> None:
        kwargs = translate(type(self), kwargs, warn=True)
        if "_config" not in self.__dict__:
            try:
                bound = signature.bind(self, *args, **kwargs)
            except TypeError:
                return init(self, *args, **kwargs)  # Python raises its own message about the bad call
            bound.apply_defaults()
            config: dict = {}
            for name, value in list(bound.arguments.items())[1:]:
                kind = signature.parameters[name].kind
                if kind is inspect.Parameter.VAR_KEYWORD:
                    config.update(value)
                elif kind is inspect.Parameter.VAR_POSITIONAL:
                    config[name] = list(value)
                else:
                    config[name] = value
            object.__setattr__(self, "_config", config)
        init(self, *args, **kwargs)

    return wrapper


def same_value(a: Any, b: Any) -> bool:
    try:
        return bool(a == b) and type(a) is type(b)
    except (TypeError, ValueError):
        return False


def set_build_dtype(module: Any, dtype: Any) -> None:
    """Make a layer that builds its weights on the first call (Dense, Conv2D, the recurrent
    layers, BatchNorm2D: they keep that dtype as `_dtype`) build them in `dtype`, and say so in
    its config, so that a saved, unbuilt model loads in it too. Without this, a model cast before
    its first call built float32 weights and cast a float64 input down to them."""
    if "_dtype" in vars(module):
        module._dtype = dtype
        if "dtype" in module._config:
            module._config["dtype"] = dtype
