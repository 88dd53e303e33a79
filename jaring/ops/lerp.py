"""lerp: linear interpolation start + weight * (end - start), built from differentiable ops."""

from __future__ import annotations

from typing import Any

from jaring.autograd.tensor import Tensor
from jaring.ops import arith
from jaring.ops.common import floating


def lerp(start: Any, end: Any, weight: Any) -> Tensor:
    """start + weight * (end - start), elementwise with broadcasting; `weight` is a number or a
    tensor, and gradients reach all three (as torch.lerp).

    Examples:
        >>> import jaring
        >>> jaring.lerp(jaring.tensor([0.0, 10.0]), jaring.tensor([4.0, 20.0]), 0.25)
        tensor([ 1. , 12.5])
    """
    start, end = floating(start), floating(end)
    if isinstance(weight, Tensor):
        weight = floating(weight)
    elif isinstance(weight, bool) or not isinstance(weight, (int, float)):
        raise TypeError(f"lerp: weight must be a number or a Tensor, got {weight!r:.80}")
    else:
        weight = float(weight)
    return arith.add(start, arith.mul(weight, arith.sub(end, start)))
