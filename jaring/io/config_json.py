"""A Module's architecture as JSON, for jaring.io.save: each layer's class name and constructor config.

A config value is written as JSON holds it, except Modules ({"__module__": full class name,
"config": ...}), tuples ({"__tuple__": [...]}) and NumPy dtypes ({"__dtype__": name}); anything
else JSON cannot hold is refused with a message naming the argument, unless it only decides the
starting weights (INIT_ONLY), which the saved weights replace. jaring.io.checkpoint reads it back.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np

from jaring.nn.module import Module

# Constructor arguments that only decide the starting weights: when JSON cannot hold them (a
# Generator, a function) they are saved as their defaults, since the file restores the weights.
INIT_ONLY = {
    "seed",
    "weight_init",
    "bias_init",
    "kernel_initializer",
    "bias_initializer",
    "weight_init_kwargs",
}
_RESERVED = {"__module__", "__tuple__", "__dtype__"}


def encode(value: Any, where: str) -> Any:
    """A JSON-ready form of a config value; Modules become {"__module__": name, "config": ...}."""
    if isinstance(value, Module):
        return encode_module(value, where)
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return float(value)
    if isinstance(value, np.dtype) or (isinstance(value, type) and issubclass(value, np.generic)):
        return {"__dtype__": np.dtype(value).name}
    if isinstance(value, tuple):
        return {"__tuple__": [encode(v, f"{where}[{i}]") for i, v in enumerate(value)]}
    if isinstance(value, list):
        return [encode(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, dict) and all(isinstance(k, str) and k not in _RESERVED for k in value):
        return {k: encode(v, f"{where}.{k}") for k, v in value.items()}
    raise TypeError(
        f"cannot save {where}: JSON cannot hold a {type(value).__name__} ({value!r}); give this "
        "argument a name or number instead (e.g. an activation name rather than a function)"
    )


def encode_module(module: Module, where: str) -> dict:
    """{"__module__": full class name, "config": JSON-ready constructor arguments} for one Module."""
    cls = type(module)
    defaults = {
        p.name: p.default
        for p in inspect.signature(cls.__init__).parameters.values()
        if p.default is not inspect.Parameter.empty
    }
    config = {}
    for key, value in module.get_config().items():
        try:
            config[key] = encode(value, f"{where}.{key}")
        except TypeError:
            if key not in INIT_ONLY or key not in defaults:
                raise
            config[key] = encode(defaults[key], f"{where}.{key}")
    return {"__module__": f"{cls.__module__}.{cls.__qualname__}", "config": config}
