"""full_like: a tensor of another's shape, dtype and device, filled with one number."""

from __future__ import annotations

import numbers
from typing import Any

from jaring import backend
from jaring.autograd.tensor import Tensor
from jaring.ops.common import as_tensor


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
