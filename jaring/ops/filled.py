"""Tensors of another's shape, dtype and device: full_like (one number), rand_like, randn_like
and randint_like (draws from `generator=`, an int seed or a NumPy Generator, else the global one)."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor
from jaring.random import get_rng


def full_like(x: Any, fill_value: Any, *, dtype: Any = None, requires_grad: bool = False) -> Tensor:
    """`fill_value` in x's shape, with x's dtype (or `dtype`) and device, as torch.full_like.

    Examples:
        >>> import jaring
        >>> jaring.full_like(jaring.zeros(2, 2), 7.0).tolist()
        [[7.0, 7.0], [7.0, 7.0]]
        >>> jaring.full_like(jaring.tensor([1, 2]), 2.7).tolist()
        [2, 2]
    """
    x = as_tensor(x)
    if isinstance(fill_value, Tensor) and fill_value.ndim == 0:
        fill_value = fill_value.item()
    if not isinstance(fill_value, (numbers.Number, bool)):
        raise TypeError(f"full_like: fill_value must be a number, got {type(fill_value).__name__}")
    xp = backend.array_module(x.data)
    values = xp.full(x.shape, fill_value, dtype=x.dtype if dtype is None else dtype)
    return Tensor(values, requires_grad=requires_grad)


def _drawn_like(
    x: Any, draw: Any, dtype: Any, requires_grad: bool, name: str, floating: bool = True
) -> Tensor:
    x = as_tensor(x)
    dtype = x.dtype if dtype is None else np.dtype(dtype)
    if floating and dtype.kind != "f":
        raise TypeError(f"{name}: draws need a floating-point dtype, got {dtype}")
    values = np.asarray(draw(x.shape)).astype(dtype)
    return Tensor(backend.to_device(values, backend.device_of(x.data)), requires_grad=requires_grad)


def rand_like(x: Any, *, dtype: Any = None, requires_grad: bool = False, generator: Any = None) -> Tensor:
    """Uniform draws in [0, 1) of x's shape, dtype (or `dtype`) and device, as torch.rand_like.

    Examples:
        >>> import jaring
        >>> jaring.rand_like(jaring.zeros(2, 3), generator=0).shape
        (2, 3)
    """
    return _drawn_like(x, lambda shape: get_rng(generator).random(shape), dtype, requires_grad, "rand_like")


def randn_like(x: Any, *, dtype: Any = None, requires_grad: bool = False, generator: Any = None) -> Tensor:
    """Standard normal draws of x's shape, dtype (or `dtype`) and device, as torch.randn_like."""
    draw = lambda shape: get_rng(generator).standard_normal(shape)  # noqa: E731
    return _drawn_like(x, draw, dtype, requires_grad, "randn_like")


def randint_like(
    x: Any, low: int = 0, high: int | None = None, *, dtype: Any = None, generator: Any = None
) -> Tensor:
    """Integers from [low, high) ([0, low) with one bound) of x's shape, dtype and device."""
    low, high = (0, low) if high is None else (low, high)
    if not low < high:
        raise ValueError(f"randint_like: expected low < high, got low={low}, high={high}")
    draw = lambda shape: get_rng(generator).integers(low, high, shape)  # noqa: E731
    return _drawn_like(x, draw, dtype, False, "randint_like", floating=False)
