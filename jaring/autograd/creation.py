"""Ways to make tensors: from data, filled with a constant, ranges, identity and random draws."""

from __future__ import annotations

from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.random import get_rng


def _shape(shape: tuple) -> tuple:
    # Accept both zeros(2, 3) and zeros((2, 3)), as PyTorch does.
    if len(shape) == 1 and isinstance(shape[0], (tuple, list)):
        shape = tuple(shape[0])
    for n in shape:
        if not isinstance(n, (int, np.integer)) or n < 0:
            raise ValueError(f"a shape holds non-negative integers, got {shape}")
    return tuple(int(n) for n in shape)


def _float(dtype: Any) -> np.dtype:
    return backend.get_default_dtype() if dtype is None else np.dtype(dtype)


def tensor(data: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """A tensor from a number, nested list or array (float lists become float32)."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


def zeros(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros(_shape(shape), dtype=_float(dtype)), requires_grad=requires_grad)


def ones(*shape: Any, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones(_shape(shape), dtype=_float(dtype)), requires_grad=requires_grad)


def full(shape: Any, fill_value: float, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    shape = _shape((shape,) if isinstance(shape, (tuple, list)) else (shape,))
    return Tensor(np.full(shape, fill_value, dtype=_float(dtype)), requires_grad=requires_grad)


def zeros_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    return Tensor(np.zeros_like(t.numpy()), requires_grad=requires_grad)


def ones_like(t: Tensor, requires_grad: bool = False) -> Tensor:
    return Tensor(np.ones_like(t.numpy()), requires_grad=requires_grad)


def arange(start: float, stop: float | None = None, step: float = 1, dtype: Any = None) -> Tensor:
    """Evenly spaced values in [start, stop); integers unless a float bound or dtype says otherwise."""
    values = np.arange(start, stop, step) if stop is not None else np.arange(start)
    if dtype is None and values.dtype.kind == "f":
        dtype = backend.get_default_dtype()
    return Tensor(values, dtype=dtype)


def eye(n: int, m: int | None = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    return Tensor(np.eye(n, m, dtype=_float(dtype)), requires_grad=requires_grad)


def rand(*shape: Any, seed: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Uniform draws in [0, 1); `seed` is an int or a numpy Generator."""
    values = get_rng(seed).random(_shape(shape), dtype=np.float64).astype(_float(dtype))
    return Tensor(values, requires_grad=requires_grad)


def randn(*shape: Any, seed: Any = None, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """Standard normal draws; `seed` is an int or a numpy Generator."""
    values = get_rng(seed).standard_normal(_shape(shape)).astype(_float(dtype))
    return Tensor(values, requires_grad=requires_grad)
