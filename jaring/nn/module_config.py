"""How every Module subclass records its constructor arguments, for get_config() / from_config().

`Module.__init_subclass__` wraps each subclass's `__init__` with `recording_init`, so the arguments
of the outermost constructor call (defaults filled in, renamed keywords translated) are stored as
the module's `_config` before the `__init__` body runs; `same_value` decides which of them repr()
leaves out as equal to their defaults. See jaring/nn/module.py's docstring for the contract.
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
