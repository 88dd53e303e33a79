"""torch's second names for ops jaring already has: true_divide, negative, positive, fix,
clamp_min and clamp_max. Each is one line over the op it names."""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops import arith, select
from jaring.ops.common import as_tensor
from jaring.ops.rounding import fix


def true_divide(input: Any, other: Any) -> Tensor:
    """torch's alias of div: true division, integers divide into floats.

    Examples:
        >>> import jaring
        >>> jaring.true_divide(jaring.tensor([1, 3]), 2)
        tensor([0.5, 1.5])
    """
    return arith.div(input, other)


def negative(x: Any) -> Tensor:
    """torch's alias of neg: -x.

    Examples:
        >>> import jaring
        >>> jaring.negative(jaring.tensor([1.0, -2.0]))
        tensor([-1.,  2.])
    """
    return arith.neg(x)


def positive(x: Any) -> Tensor:
    """+x: the tensor itself, as torch returns it (booleans raise, as in torch).

    Examples:
        >>> import jaring
        >>> x = jaring.tensor([1.0, -2.0])
        >>> jaring.positive(x) is x
        True
    """
    x = as_tensor(x)
    if x.dtype == bool:
        raise TypeError("positive: the + operator on a bool tensor is not supported (as in torch)")
    return x


def clamp_min(x: Any, min: Any) -> Tensor:
    """x limited from below: clamp(x, min=min).

    Examples:
        >>> import jaring
        >>> jaring.clamp_min(jaring.tensor([-1.0, 2.0]), 0.0)
        tensor([0., 2.])
    """
    return select.clamp(x, min=min)


def clamp_max(x: Any, max: Any) -> Tensor:
    """x limited from above: clamp(x, max=max).

    Examples:
        >>> import jaring
        >>> jaring.clamp_max(jaring.tensor([-1.0, 2.0]), 1.0)
        tensor([-1.,  1.])
    """
    return select.clamp(x, max=max)


__all__ = ["clamp_max", "clamp_min", "fix", "negative", "positive", "true_divide"]
