"""Checks for the arguments of Module's and Parameter's public methods (build, to, load_state_dict,
register_*): each failure names the method, the argument, the value given and what is allowed,
instead of a bare "'str' object has no attribute 'items'" from deep inside."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np

from jaring import backend
from jaring.allocation import check_fits_in_memory
from jaring.autograd.tensor import Tensor
from jaring.validation import _describe

DEVICES = ("cpu", "cuda", "gpu")


def input_shape(owner: str, value: Any) -> tuple[int, ...]:
    """`build`'s input_shape: a sequence of positive ints (None for the batch size), None -> 1."""
    allowed = "a tuple of positive ints including the batch size, e.g. (None, 28, 28, 1)"
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise TypeError(f"{owner}: input_shape must be {allowed}, got {_describe(value)}")
    dims = list(value)
    if not dims:
        raise ValueError(f"{owner}: input_shape must be {allowed}, got an empty shape")
    for n in dims:
        if n is not None and (isinstance(n, bool) or not isinstance(n, numbers.Integral)):
            raise TypeError(
                f"{owner}: input_shape must be {allowed}, got {tuple(dims)!r} (holds {_describe(n)})"
            )
        if n is not None and n <= 0:
            raise ValueError(f"{owner}: input_shape must be {allowed}, got {tuple(dims)!r}")
    return tuple(1 if n is None else int(n) for n in dims)


def float_dtype(owner: str, name: str, value: Any) -> np.dtype:
    """A floating-point NumPy dtype from `value` (a name, a type or a dtype)."""
    try:
        dtype = np.dtype(value) if value is not None else None
    except TypeError:
        dtype = None
    if dtype is None or dtype.kind != "f":
        raise TypeError(
            f"{owner}: {name} must be a floating-point dtype such as 'float32', got {_describe(value)}"
        )
    return dtype


def device_or_dtype(value: Any) -> str | np.dtype:
    """`Module.to`'s target: one of DEVICES (or a jaring.device, 'cuda:0'), or a floating-point dtype."""
    if isinstance(value, str) and value in DEVICES:
        return value
    if isinstance(value, str) and value.partition(":")[0] in DEVICES:
        return str.__str__(backend.Device(value))  # 'cuda:0' -> 'cuda'; a bad index says why
    try:
        return float_dtype("Module.to", "target", value)
    except TypeError:
        raise TypeError(
            f"Module.to: target must be a device ({', '.join(map(repr, DEVICES))}) or a floating-point "
            f"dtype such as 'float32' or 'float64', got {_describe(value)}"
        ) from None


def state_arrays(
    owner: str, state: Any, own: Mapping[str, Tensor]
) -> tuple[dict[str, np.ndarray], list[str]]:
    """The arrays of `state` that `own` has, as NumPy, and the problems found (shapes, dtypes)."""
    if not isinstance(state, Mapping):
        raise TypeError(
            f"{owner}.load_state_dict: state must be a dict of {{name: array}} as state_dict() returns, "
            f"got {_describe(state)}"
        )
    bad_keys = [k for k in state if not isinstance(k, str)]
    if bad_keys:
        raise TypeError(
            f"{owner}.load_state_dict: state's keys must be parameter names (str), got {bad_keys[0]!r}"
        )
    arrays, problems = {}, []
    for name, value in state.items():
        if name not in own:
            continue
        try:
            array = np.asarray(backend.to_numpy(value.data if isinstance(value, Tensor) else value))
        except (TypeError, ValueError) as exc:
            problems.append(f"{name} is not an array ({type(value).__name__}: {exc})")
            continue
        if array.dtype.kind not in "biuf":
            problems.append(f"{name} holds {array.dtype} values, not numbers")
        elif array.shape != own[name].shape:
            problems.append(
                f"shape mismatch for {name}: expected {tuple(own[name].shape)}, received {array.shape}"
            )
        arrays[name] = array
    return arrays, problems


def lazy_plans(model: Any, state: Any, own: dict[str, Tensor]) -> list[tuple[Any, Any]]:
    """The lazy layers in `model` that loading `state` materialises, as (layer, the plain layer it
    becomes); `own`'s entries for them are replaced by the plain layer's, so the loaded shapes are
    checked against those before anything changes."""
    if not isinstance(state, Mapping) or not all(isinstance(k, str) for k in state):
        return []  # state_arrays reports the error
    plans = []
    for prefix, module in model.named_modules():
        plan = getattr(module, "plain_layer_from_state", None)
        dotted = f"{prefix}." if prefix else ""
        real = None if plan is None else plan(state, dotted)
        if real is None:
            continue
        for name in [*module._parameters, *module._buffers]:
            own.pop(dotted + name, None)
        own.update({dotted + name: t for name, t in [*real.named_parameters(), *real.named_buffers()]})
        plans.append((module, real))
    return plans


def attribute_name(owner: str, method: str, name: Any) -> str:
    """A parameter or buffer name: a non-empty str without '.', which state_dict uses as a separator."""
    if not isinstance(name, str):
        raise TypeError(f"{owner}.{method}: name must be a str, got {_describe(name)}")
    if not name or "." in name:
        raise ValueError(f"{owner}.{method}: name must be a non-empty str without '.', got {name!r}")
    return name


def dummy_batch(owner: str, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """The zeros `build` runs, refused when they alone would not fit in memory."""
    check_fits_in_memory(shape, dtype.itemsize, f"{owner}.build's dummy batch")
    return np.zeros(shape, dtype=dtype)


def config_dict(cls: type, config: Any, names: list[str], any_keyword: bool) -> dict:
    """`from_config`'s argument: a dict whose keys the constructor takes (any, with **kwargs)."""
    if not isinstance(config, Mapping):
        raise TypeError(
            f"{cls.__name__}.from_config: config must be a dict as get_config() returns, "
            f"got {_describe(config)}"
        )
    unknown = [k for k in config if k not in names]
    if unknown and not any_keyword:
        raise TypeError(
            f"{cls.__name__}.from_config: unknown argument(s) {', '.join(map(repr, unknown))}; "
            f"{cls.__name__} takes {', '.join(names) or 'no arguments'}"
        )
    return dict(config)
