"""Weight initialisers: functions `name(shape, *, seed=None, dtype=None, **params) -> ndarray`.

Fans follow PyTorch's weight layout (out_features, in_features, *kernel): fan_in =
in * prod(kernel), fan_out = out * prod(kernel); a 1-D shape (a bias) uses its length for
both, as Keras does. The bounds and standard deviations are torch.nn.init's formulas.
`normal` takes a VARIANCE, not a standard deviation. Every draw is reproducible from `seed`
(an int or a NumPy Generator; None uses the process-wide generator, see jaring.manual_seed).
torch's in-place spellings (`kaiming_normal_(layer.weight)`, `zeros_(layer.bias)`, ...) fill an
existing Tensor instead; they live in jaring/nn/init_torch.py and are exported from here.
"""

from __future__ import annotations

import functools
import inspect
import math
from typing import Any
from collections.abc import Callable

import numpy as np

from jaring import backend
from jaring.allocation import reserve
from jaring.nn.init_gain import GAINS, _calculate_fan_in_and_fan_out, calculate_gain
from jaring.nn import init_torch as _in_place
from jaring.nn.init_arrays import on_arrays
from jaring.random import get_rng

# torch's in-place initialisers, taking a Tensor, a Parameter or a weight's raw array (`.data`)
constant_ = on_arrays(_in_place.constant_)
dirac_ = on_arrays(_in_place.dirac_)
eye_ = on_arrays(_in_place.eye_)
kaiming_normal_ = on_arrays(_in_place.kaiming_normal_)
kaiming_uniform_ = on_arrays(_in_place.kaiming_uniform_)
normal_ = on_arrays(_in_place.normal_)
ones_ = on_arrays(_in_place.ones_)
orthogonal_ = on_arrays(_in_place.orthogonal_)
sparse_ = on_arrays(_in_place.sparse_)
trunc_normal_ = on_arrays(_in_place.trunc_normal_)
uniform_ = on_arrays(_in_place.uniform_)
xavier_normal_ = on_arrays(_in_place.xavier_normal_)
xavier_uniform_ = on_arrays(_in_place.xavier_uniform_)
zeros_ = on_arrays(_in_place.zeros_)

Initializer = Callable[..., np.ndarray]


def _shape(shape: Any) -> tuple:
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    if any(not isinstance(n, (int, np.integer)) or n < 0 for n in shape):
        raise ValueError(f"an initializer needs a shape of non-negative integers, got {shape}")
    return tuple(int(n) for n in shape)


def _new_shape(shape: Any) -> tuple:
    """The checked shape of a weight about to be allocated, counted against any active budget."""
    shape = _shape(shape)
    reserve(shape)
    return shape


def weight_dtype(dtype: Any) -> np.dtype:
    """A weight's dtype: the default for None, else a floating-point one (weights take gradients)."""
    if dtype is None:
        return backend.get_default_dtype()
    try:
        found = np.dtype(dtype)
    except TypeError:
        found = None
    if found is None or found.kind != "f":
        raise TypeError(
            f"dtype must be a floating-point dtype such as 'float32' or 'float64', got {dtype!r:.80}"
        )
    return found


def compute_fans(shape: Any) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight in PyTorch layout (out, in, *kernel)."""
    shape = _shape(shape)
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    receptive = math.prod(shape[2:])
    return shape[1] * receptive, shape[0] * receptive


def _fan(shape: tuple, mode: str) -> int:
    fan_in, fan_out = compute_fans(shape)
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"mode must be 'fan_in' or 'fan_out', got {mode!r}")
    fan = fan_in if mode == "fan_in" else fan_out
    if fan == 0:
        raise ValueError(f"cannot initialise a weight of shape {shape}: its {mode} is 0")
    return fan


def zeros(shape: Any, *, seed: Any = None, dtype: Any = None) -> np.ndarray:
    return np.zeros(_new_shape(shape), dtype=weight_dtype(dtype))


def ones(shape: Any, *, seed: Any = None, dtype: Any = None) -> np.ndarray:
    return np.ones(_new_shape(shape), dtype=weight_dtype(dtype))


def constant(shape: Any, *, value: float = 0.0, seed: Any = None, dtype: Any = None) -> np.ndarray:
    return np.full(_new_shape(shape), value, dtype=weight_dtype(dtype))


def uniform(
    shape: Any, *, lower: float = -0.05, upper: float = 0.05, seed: Any = None, dtype: Any = None
) -> np.ndarray:
    """Uniform draws in [lower, upper)."""
    if not lower <= upper:
        raise ValueError(f"uniform: lower ({lower}) must not exceed upper ({upper})")
    return get_rng(seed).uniform(lower, upper, _new_shape(shape)).astype(weight_dtype(dtype))


def normal(
    shape: Any, *, mean: float = 0.0, variance: float = 1.0, seed: Any = None, dtype: Any = None
) -> np.ndarray:
    """Gaussian draws with the given mean and VARIANCE (the standard deviation is its root)."""
    if variance < 0:
        raise ValueError(f"normal: variance must be >= 0, got {variance}")
    return get_rng(seed).normal(mean, math.sqrt(variance), _new_shape(shape)).astype(weight_dtype(dtype))


def glorot_uniform(shape: Any, *, gain: float = 1.0, seed: Any = None, dtype: Any = None) -> np.ndarray:
    """Xavier/Glorot uniform: U(-b, b) with b = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = compute_fans(shape)
    bound = gain * math.sqrt(6.0 / max(fan_in + fan_out, 1))
    return uniform(shape, lower=-bound, upper=bound, seed=seed, dtype=dtype)


def glorot_normal(shape: Any, *, gain: float = 1.0, seed: Any = None, dtype: Any = None) -> np.ndarray:
    """Xavier/Glorot normal: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out)), untruncated."""
    fan_in, fan_out = compute_fans(shape)
    std = gain * math.sqrt(2.0 / max(fan_in + fan_out, 1))
    return normal(shape, variance=std**2, seed=seed, dtype=dtype)


def he_uniform(
    shape: Any,
    *,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "relu",
    seed: Any = None,
    dtype: Any = None,
) -> np.ndarray:
    """He/Kaiming uniform: U(-b, b) with b = gain * sqrt(3 / fan); sqrt(6 / fan_in) for relu."""
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(_shape(shape), mode))
    bound = math.sqrt(3.0) * std
    return uniform(shape, lower=-bound, upper=bound, seed=seed, dtype=dtype)


def he_normal(
    shape: Any,
    *,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "relu",
    seed: Any = None,
    dtype: Any = None,
) -> np.ndarray:
    """He/Kaiming normal: N(0, std^2) with std = gain / sqrt(fan); sqrt(2 / fan_in) for relu."""
    std = calculate_gain(nonlinearity, a) / math.sqrt(_fan(_shape(shape), mode))
    return normal(shape, variance=std**2, seed=seed, dtype=dtype)


def orthogonal(shape: Any, *, gain: float = 1.0, seed: Any = None, dtype: Any = None) -> np.ndarray:
    """A (semi-)orthogonal matrix from the QR of a Gaussian draw; trailing dims are flattened."""
    shape = _new_shape(shape)
    if len(shape) < 2:
        raise ValueError(f"orthogonal needs a shape with at least 2 dimensions, got {shape}")
    rows, cols = shape[0], math.prod(shape[1:])
    flat = get_rng(seed).standard_normal((rows, cols))
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    q *= np.sign(np.diag(r))  # makes the decomposition unique, so the draw is uniform (Haar)
    if rows < cols:
        q = q.T
    return (gain * q).reshape(shape).astype(weight_dtype(dtype))


xavier_uniform = glorot_uniform
xavier_normal = glorot_normal
kaiming_uniform = he_uniform
kaiming_normal = he_normal

INITIALIZERS: dict[str, Initializer] = {
    "zeros": zeros,
    "ones": ones,
    "constant": constant,
    "uniform": uniform,
    "normal": normal,
    "glorot_uniform": glorot_uniform,
    "xavier_uniform": glorot_uniform,
    "glorot_normal": glorot_normal,
    "xavier_normal": glorot_normal,
    "he_uniform": he_uniform,
    "kaiming_uniform": he_uniform,
    "he_normal": he_normal,
    "kaiming_normal": he_normal,
    "he": he_normal,
    "kaiming": he_normal,
    "orthogonal": orthogonal,
}


def _adapt(fn: Callable, name: str) -> Initializer:
    """Let a user function take only the arguments it declares, and check what it returns."""
    params = inspect.signature(fn).parameters
    takes_all = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())

    @functools.wraps(fn)
    def init(shape: Any, seed: Any = None, dtype: Any = None) -> np.ndarray:
        shape = _shape(shape)  # not counted here: a wrapped jaring initializer counts itself
        extra = {k: v for k, v in (("seed", seed), ("dtype", dtype)) if takes_all or k in params}
        out = np.asarray(backend.to_numpy(fn(shape, **extra)))
        if out.shape != shape:
            raise ValueError(f"initializer {name} returned shape {out.shape}, expected {shape}")
        return out.astype(weight_dtype(dtype), copy=False)

    return init


def resolve(spec: str | Callable, *, argument: str | None = None, **kwargs: Any) -> Initializer:
    """An initializer `fn(shape, seed=None, dtype=None) -> ndarray` from a name or a callable.

    `kwargs` fill the initializer's parameters, e.g. resolve("uniform", lower=-0.1, upper=0.1)
    or resolve(my_fn, scale=0.01). A callable may accept just `shape`; seed and dtype are passed
    only when it declares them. `argument` (e.g. "Dense kernel_initializer") names the caller's
    argument in errors.
    """
    where = f"{argument}: " if argument else ""
    if callable(spec):
        name = getattr(spec, "__name__", repr(spec))
        fn = functools.partial(spec, **kwargs) if kwargs else spec
        return _adapt(fn, name)
    if not isinstance(spec, str):
        raise TypeError(f"{where}an initializer is a name or a callable, got {type(spec).__name__}: {spec!r}")
    key = spec.lower().replace("-", "_")
    if key not in INITIALIZERS:
        raise ValueError(
            f"{where}unknown initializer {spec!r}; choose from {sorted(INITIALIZERS)} or pass a callable"
        )
    fn = INITIALIZERS[key]
    accepted = [p for p in inspect.signature(fn).parameters if p not in ("shape", "seed", "dtype")]
    unknown = [k for k in kwargs if k not in accepted]
    if unknown:
        raise TypeError(f"{where}initializer {spec!r} has no parameter {unknown[0]!r}; it accepts {accepted}")
    return functools.partial(fn, **kwargs) if kwargs else fn


__all__ = [
    "GAINS",
    "INITIALIZERS",
    "_calculate_fan_in_and_fan_out",
    "calculate_gain",
    "compute_fans",
    "constant",
    "constant_",
    "dirac_",
    "eye_",
    "glorot_normal",
    "glorot_uniform",
    "he_normal",
    "he_uniform",
    "kaiming_normal_",
    "kaiming_uniform_",
    "kaiming_normal",
    "kaiming_uniform",
    "normal",
    "normal_",
    "ones",
    "ones_",
    "orthogonal",
    "orthogonal_",
    "resolve",
    "sparse_",
    "trunc_normal_",
    "uniform",
    "uniform_",
    "xavier_normal",
    "xavier_normal_",
    "xavier_uniform",
    "xavier_uniform_",
    "zeros",
    "zeros_",
]
